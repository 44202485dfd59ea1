"""Colour only on a terminal and never with NO_COLOR; the reporter's modes."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from octavus_cli.errors import ConfigError
from octavus_cli.output import Mode, Reporter
from tests.support.cli import run_cli

ESC = b"\x1b["

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")


def test_colour_on_a_terminal(tmp_path: Path) -> None:
    from tests.support.pty_run import run_in_pty

    code, output = run_in_pty("config", env={"OCTAVUS_API_KEY": "tty-test-key"})
    assert code == 0
    assert ESC in output
    assert b"tty-test-key" not in output


@pytest.mark.parametrize("value", ["1", "true", "anything"])
def test_no_color_removes_every_escape_sequence(value: str) -> None:
    from tests.support.pty_run import run_in_pty

    code, output = run_in_pty("config", env={"NO_COLOR": value})
    assert code == 0
    assert b"Base URL" in output
    assert ESC not in output


def test_no_color_also_for_errors_on_a_terminal() -> None:
    from tests.support.pty_run import run_in_pty

    code, output = run_in_pty("--env", "missing.env", "config", env={"NO_COLOR": "1"})
    assert code == 2
    assert b"missing.env" in output
    assert ESC not in output


def test_no_colour_in_pipes(tmp_path: Path) -> None:
    result = run_cli("config", cwd=tmp_path)
    assert "\x1b[" not in result.stdout + result.stderr
    assert "Base URL" in result.stdout


def test_human_mode_keeps_stdout_for_results() -> None:
    out, err = io.StringIO(), io.StringIO()
    rep = Reporter(Mode.HUMAN, stdout=out, stderr=err)
    rep.info("reading")
    rep.success("Created: demo")
    rep.detail("Agent ID", "a1")
    rep.warning("careful")
    assert out.getvalue() == "✓ Created: demo\n  Agent ID: a1\n"
    assert err.getvalue() == "ℹ reading\n⚠ careful\n"


def test_user_text_is_never_rich_markup() -> None:
    out = io.StringIO()
    Reporter(Mode.HUMAN, stdout=out, stderr=io.StringIO()).success("[bold]name[/bold] [red]x")
    assert out.getvalue() == "✓ [bold]name[/bold] [red]x\n"


def test_quiet_mode_prints_only_data() -> None:
    out, err = io.StringIO(), io.StringIO()
    rep = Reporter(Mode.QUIET, stdout=out, stderr=err)
    rep.info("reading")
    rep.success("Created")
    rep.text("support-chat")
    assert out.getvalue() == "support-chat\n"
    assert err.getvalue() == ""


def test_json_mode_prints_one_document_even_on_error() -> None:
    out, err = io.StringIO(), io.StringIO()
    rep = Reporter(Mode.JSON, stdout=out, stderr=err)
    rep.info("reading")
    rep.success("done")
    rep.text("data")
    rep.error(ConfigError("no key", hint="set OCTAVUS_API_KEY"))
    assert json.loads(out.getvalue()) == {
        "error": "no key",
        "code": "CONFIG_ERROR",
        "hint": "set OCTAVUS_API_KEY",
    }
    with pytest.raises(RuntimeError):
        rep.emit_json({"second": True})


def test_github_annotations_escape_data() -> None:
    out = io.StringIO()
    rep = Reporter(Mode.GITHUB, stdout=out, stderr=io.StringIO())
    rep.github("error", "line one\nline 100%", file="a,b.yaml", line=3, col=5, title="OCT1: x")
    assert out.getvalue() == (
        "::error file=a%2Cb.yaml,line=3,col=5,title=OCT1%3A x::line one%0Aline 100%25\n"
    )


def test_json_lines_mode_keeps_one_object_per_line_also_on_error() -> None:
    out, err = io.StringIO(), io.StringIO()
    rep = Reporter(Mode.JSON_LINES, stdout=out, stderr=err)
    rep.info("not shown")
    rep.emit_json_line({"type": "start"})
    rep.error(ConfigError("no key", hint="set OCTAVUS_API_KEY"))
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines == [
        {"type": "start"},
        {
            "type": "cli-error",
            "error": "no key",
            "code": "CONFIG_ERROR",
            "hint": "set OCTAVUS_API_KEY",
        },
    ]
    assert "no key" in err.getvalue()  # a person watching the terminal still reads it
    assert rep.is_json
