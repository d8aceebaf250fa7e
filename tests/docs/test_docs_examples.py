"""Every code example of the documentation site and of README.md runs (see doc_examples.py for
what runs how)."""

from __future__ import annotations

import shutil
from pathlib import Path

import docs_pages
import pytest
from doc_examples import (
    PYTHON,
    REPO,
    SHELL,
    Block,
    check_yaml_fragment,
    code_blocks,
    set_up_reason,
    shell_commands,
    with_fast_options,
)

from silkroad_routing.cli import main

#: What the site shows (includes expanded), and the README, which is not a page of the site.
PAGES = {f"docs/{page}": text for page, text in docs_pages.site_pages().items()}
PAGES["README.md"] = (REPO / "README.md").read_text(encoding="utf-8")
BLOCKS = {page: code_blocks(page, text) for page, text in PAGES.items()}


def _run_commands(block: Block, capsys: pytest.CaptureFixture[str]) -> None:
    for words in shell_commands(block):
        if words[0] == "silkroad":
            args = with_fast_options(words)
            code = main(args)
            out, err = capsys.readouterr()
            assert code == 0, f"{block.where}: silkroad {' '.join(args)} exited {code}\n{out}\n{err}"
        else:
            assert set_up_reason(words), (
                f"{block.where}: '{' '.join(words)}' is neither a silkroad command nor a known set-up "
                "command (doc_examples.SET_UP); the docs tests would not run it")


@pytest.mark.parametrize("page", sorted(p for p, blocks in BLOCKS.items() if blocks))
def test_page_examples_run(page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(REPO / "scenarios", tmp_path / "scenarios")
    monkeypatch.chdir(tmp_path)  # examples write into the current folder
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for block in BLOCKS[page]:
        if block.skip_reason:
            continue
        if block.title:
            (tmp_path / block.title).write_text(block.code, encoding="utf-8")
        elif block.lang in PYTHON:
            exec(compile(block.code, block.where, "exec"), namespace)
        elif block.lang in SHELL:
            _run_commands(block, capsys)
        elif block.lang == "yaml":
            check_yaml_fragment(block)
        else:
            first = block.code.lstrip()
            assert not first.startswith(("$ ", "silkroad ", "import ", "from ")), (
                f"{block.where}: code in a block marked '{block.lang or 'no language'}': label it "
                "python or console so that it runs")


def test_skipped_blocks_are_rare_and_say_why() -> None:
    skipped = [b for blocks in BLOCKS.values() for b in blocks if b.skip_reason]
    runnable = [b for blocks in BLOCKS.values() for b in blocks
                if b.lang in PYTHON | SHELL or b.title or b.lang == "yaml"]
    assert len(skipped) <= max(3, len(runnable) // 10), [b.where for b in skipped]
    assert all(len(b.skip_reason or "") > 10 for b in skipped)


def test_examples_are_found() -> None:
    """The parser sees the examples: the getting-started page has Python, console and file
    blocks, and the README its set-up commands."""
    started = {b.lang for b in BLOCKS["docs/getting-started.md"]}
    assert {"python", "console", "yaml"} <= started
    assert any(w[0] == "silkroad" for b in BLOCKS["README.md"] if b.lang in SHELL
               for w in shell_commands(b))
