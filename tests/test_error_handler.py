"""The one error handler: every outcome becomes output and an exit code."""

from __future__ import annotations

import io
import json

import pytest

from octavus_cli.error_handler import execute
from octavus_cli.errors import ApiError, ConfigError, ExitCode, NotFoundError, OctavusError
from octavus_cli.global_options import GlobalOptions
from octavus_cli.output import Mode, Reporter


def reporter(mode: Mode) -> tuple[Reporter, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    return Reporter(mode, stdout=out, stderr=err), out, err


def crash(_: Reporter) -> int:
    raise RuntimeError("boom")


def test_unexpected_exception_is_one_line_with_a_debug_hint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OCTAVUS_DEBUG", raising=False)
    rep, out, err = reporter(Mode.HUMAN)
    assert execute(crash, rep, GlobalOptions()) == ExitCode.FAILURE
    text = err.getvalue()
    assert "Unexpected error: RuntimeError: boom" in text
    assert "--debug" in text
    assert "Traceback" not in text
    assert out.getvalue() == ""


def test_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OCTAVUS_DEBUG", raising=False)
    rep, _, err = reporter(Mode.HUMAN)
    assert execute(crash, rep, GlobalOptions(debug=True)) == ExitCode.FAILURE
    assert "Traceback" in err.getvalue()
    assert 'raise RuntimeError("boom")' in err.getvalue()


def test_unexpected_exception_in_json_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OCTAVUS_DEBUG", raising=False)
    rep, out, _ = reporter(Mode.JSON)
    execute(crash, rep, GlobalOptions())
    assert json.loads(out.getvalue())["code"] == "UNKNOWN"


@pytest.mark.parametrize(
    ("error", "code", "exit_code"),
    [
        (ConfigError("no key"), "CONFIG_ERROR", 2),
        (ApiError("down", status=503), "API_ERROR", 1),
        (NotFoundError("gone", status=404), "NOT_FOUND", 1),
    ],
)
def test_taxonomy_maps_to_json_codes_and_exit_codes(
    error: OctavusError, code: str, exit_code: int
) -> None:
    def body(_: Reporter) -> int:
        raise error

    rep, out, _ = reporter(Mode.JSON)
    assert execute(body, rep, GlobalOptions()) == exit_code
    document = json.loads(out.getvalue())
    assert document["code"] == code
    assert document["error"] == error.message


def test_keyboard_interrupt_exits_130() -> None:
    def body(_: Reporter) -> int:
        raise KeyboardInterrupt

    rep, _, err = reporter(Mode.HUMAN)
    assert execute(body, rep, GlobalOptions()) == 130
    assert "Interrupted" in err.getvalue()


def test_quiet_mode_still_reports_errors_on_stderr() -> None:
    def body(_: Reporter) -> int:
        raise ConfigError("no key", hint="set it")

    rep, out, err = reporter(Mode.QUIET)
    assert execute(body, rep, GlobalOptions()) == 2
    assert out.getvalue() == ""
    assert "no key" in err.getvalue()
