"""Building only the command being run changes nothing the user sees."""

from __future__ import annotations

import contextlib
import io

import pytest
import typer

from octavus_cli.app import app
from octavus_cli.command_pick import app_for, command_name, registered_name

NAMES = [registered_name(c) for c in app.registered_commands] + [
    registered_name(g) for g in app.registered_groups
]


def outcome(runnable: typer.Typer, args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            runnable(args=args, prog_name="octavus")
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue(), err.getvalue()


def test_names_found() -> None:
    assert "validate" in NAMES
    assert "workforce" in NAMES
    assert None not in NAMES


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "shape",
    [["{}", "--help"], ["{}", "--no-such-option"], ["--debug", "{}", "-h"], ["--env", "x", "{}"]],
    ids=["help", "bad-option", "debug-help", "env-no-args"],
)
def test_same_help_and_errors_as_the_whole_app(name: str, shape: list[str]) -> None:
    args = [part.format(name) for part in shape]
    picked = app_for(args)
    assert picked is not app
    assert [registered_name(c) for c in picked.registered_commands] + [
        registered_name(g) for g in picked.registered_groups
    ] == [name]
    assert outcome(picked, args) == outcome(app, args)


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["validate", "x"], "validate"),
        (["--env", "f", "--debug", "sync", "."], "sync"),
        (["--env=f", "run"], "run"),
        (["--help"], None),
        (["--version"], None),
        (["--unknown", "validate"], None),
        ([], None),
    ],
)
def test_command_name(args: list[str], name: str | None) -> None:
    assert command_name(args) == name


def test_unknown_or_uncertain_builds_the_whole_app() -> None:
    assert app_for(["valdate"]) is app
    assert app_for(["--debug", "--help"]) is app
    assert app_for(["--version"]) is app


@pytest.mark.parametrize("args", [[], ["--help"], ["-h"]])
def test_top_level_help_is_the_whole_apps(args: list[str]) -> None:
    picked = app_for(args)
    assert picked is not app
    code, out, err = outcome(picked, args)
    assert (code, out, err) == outcome(app, args)
    assert all(f" {name} " in out + err for name in NAMES if name)
