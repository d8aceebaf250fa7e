"""The Typer application and its sub-command groups."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import __version__
from .compare import compare_command, sweep_command
from .matrix import matrix_command
from .network import network_app
from .route import route_command
from .scenario import run_command, schema_command, validate_command

app = typer.Typer(
    name="silkroad",
    help="Plan freight on the four silk roads out of Zhengzhou: air, rail, sea-rail and TIR.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: docstring lines joined, <name> left as written
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"silkroad-routing {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[bool, typer.Option(
        "--version", callback=_print_version, is_eager=True,
        help="print the version and exit")] = False) -> None:
    """Plan freight on the four silk roads out of Zhengzhou: air, rail, sea-rail and TIR."""


app.add_typer(network_app, name="network")
app.command("validate")(validate_command)
app.command("run")(run_command)
app.command("route")(route_command)
app.command("matrix")(matrix_command)
app.command("schema")(schema_command)
app.command("compare")(compare_command)
app.command("sweep")(sweep_command)

