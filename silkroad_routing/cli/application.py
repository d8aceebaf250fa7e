"""The Typer application and its sub-command groups."""

from __future__ import annotations

import typer

from .compare import compare_command, sweep_command
from .network import network_app
from .route import route_command
from .scenario import run_command, schema_command, validate_command

app = typer.Typer(
    name="silkroad",
    help="Plan freight on the four silk roads out of Zhengzhou: air, rail, sea-rail and TIR.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(network_app, name="network")
app.command("validate")(validate_command)
app.command("run")(run_command)
app.command("route")(route_command)
app.command("schema")(schema_command)
app.command("compare")(compare_command)
app.command("sweep")(sweep_command)
