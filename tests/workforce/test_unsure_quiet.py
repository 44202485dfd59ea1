"""Issue 14 item 4: "may have reached the platform" reaches stderr in every output mode."""

from __future__ import annotations

import io

import pytest

from octavus_cli.errors import ApiError
from octavus_cli.output import Mode, Reporter
from tests.support.cli import run_cli
from tests.support.scripted_server import Reply, ScriptedServer

AGENT = "cmagent0000000000000001"


@pytest.mark.parametrize("mode", ["--quiet", "--json"])
@pytest.mark.parametrize(
    "args", [["dispatch", AGENT, "Hello"], ["run", AGENT, "Hello"]], ids=["dispatch", "run"]
)
def test_a_lost_dispatch_is_reported_in_quiet_and_json_modes(args: list[str], mode: str) -> None:
    with ScriptedServer() as server:
        server.script(Reply(drop=True))
        result = run_cli(
            "workforce",
            *args,
            mode,
            env={"OCTAVUS_API_URL": server.url, "OCTAVUS_AGENT_KEY": "test-agent-key"},
        )
    assert result.code == 1, result
    assert len(server.requests) == 1
    assert "may have reached the platform" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("mode", list(Mode))
def test_warnings_go_to_stderr_in_every_mode(mode: Mode) -> None:
    out, err = io.StringIO(), io.StringIO()
    Reporter(mode, stdout=out, stderr=err).warning("careful")
    assert "careful" in err.getvalue()
    assert "careful" not in out.getvalue()


def test_an_unsure_error_keeps_its_warning_in_quiet_mode() -> None:
    error = ApiError("Request failed", hint="It may have reached the platform.")
    error.details["ambiguous"] = True
    out, err = io.StringIO(), io.StringIO()
    Reporter(Mode.QUIET, stdout=out, stderr=err).error(error)
    assert "may have reached the platform" in err.getvalue()
    assert out.getvalue() == ""
