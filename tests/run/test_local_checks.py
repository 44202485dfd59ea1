"""Everything `octavus run` can check locally is reported before any request (exit 2)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli import CliResult, run_cli
from tests.support.scripted_server import ScriptedServer

ROOT = Path(__file__).resolve().parents[2]
SUPPORT_CHAT = ROOT / "examples" / "agents" / "support-chat"
REQUIRED = ["-i", "COMPANY_NAME=Acme", "-i", "PRODUCT_NAME=Widget", "-i", "PLAN_TIER=pro"]


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    """A platform that must never be asked: every test checks its request log is empty."""
    with ScriptedServer() as srv:
        yield srv


def run(server: ScriptedServer, *args: str, stdin: str | None = None) -> CliResult:
    return run_cli(
        "run",
        *args,
        env={"OCTAVUS_API_URL": server.url, "OCTAVUS_API_KEY": "test-project-key"},
        input=stdin,
    )


def test_missing_required_session_input_names_every_one(server: ScriptedServer) -> None:
    result = run(server, str(SUPPORT_CHAT), "-m", "hi", "-i", "COMPANY_NAME=Acme")
    assert result.code == 2, result
    assert "Missing required session inputs: PRODUCT_NAME, PLAN_TIER" in result.stderr
    assert "--input PRODUCT_NAME=..." in result.stderr
    assert server.requests == []
    assert result.stdout == ""


def test_missing_required_input_with_json_is_one_error_line(server: ScriptedServer) -> None:
    result = run(server, str(SUPPORT_CHAT), "-m", "hi", "--json")
    assert result.code == 2
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    error = json.loads(lines[0])
    assert error["type"] == "cli-error"
    assert error["code"] == "CONFIG_ERROR"
    assert error["missing"] == ["COMPANY_NAME", "PRODUCT_NAME", "PLAN_TIER"]
    assert server.requests == []


@pytest.mark.parametrize(
    ("assignment", "expected"),
    [
        ("HUMAN_HANDOFF=maybe", "HUMAN_HANDOFF is declared as boolean"),
        ("PLAN_TIER=enterprise", "not one of the allowed values"),
        ("COMPANY=Acme", "the agent declares no such session input. Did you mean COMPANY_NAME?"),
        ("novalue", "is not KEY=VALUE"),
    ],
)
def test_bad_session_input_is_reported(
    server: ScriptedServer, assignment: str, expected: str
) -> None:
    result = run(server, str(SUPPORT_CHAT), "-m", "hi", *REQUIRED, "-i", assignment)
    assert result.code == 2, result
    assert expected in result.stderr
    assert server.requests == []


def test_trigger_input_is_typed_by_its_declared_type(server: ScriptedServer) -> None:
    result = run(
        server,
        str(SUPPORT_CHAT),
        *REQUIRED,
        "-t",
        "submit-feedback",
        "--trigger-input",
        "FEEDBACK=5",
    )
    assert result.code == 2, result
    assert "FEEDBACK is declared as FeedbackForm (JSON)" in result.stderr
    assert server.requests == []


def test_unknown_trigger_lists_the_declared_ones(server: ScriptedServer) -> None:
    result = run(server, str(SUPPORT_CHAT), *REQUIRED, "-t", "no-such", "-m", "hi")
    assert result.code == 2
    assert "declares no trigger 'no-such'" in result.stderr
    assert "user-message, request-human, submit-feedback" in result.stderr


def test_a_trigger_without_a_message_refuses_one(server: ScriptedServer) -> None:
    result = run(server, str(SUPPORT_CHAT), *REQUIRED, "-t", "request-human", "-m", "hi")
    assert result.code == 2
    assert "Trigger 'request-human' takes no message" in result.stderr


def test_missing_required_trigger_input(server: ScriptedServer) -> None:
    result = run(server, str(SUPPORT_CHAT), *REQUIRED, "-t", "submit-feedback")
    assert result.code == 2
    assert "Missing required input of trigger submit-feedback: FEEDBACK" in result.stderr


def test_empty_piped_stdin_is_no_message(server: ScriptedServer) -> None:
    result = run(server, str(SUPPORT_CHAT), *REQUIRED, stdin="  \n")
    assert result.code == 2
    assert "No message: standard input was empty" in result.stderr
    assert server.requests == []


def test_input_file_errors_name_the_file(server: ScriptedServer, tmp_path: Path) -> None:
    bad = tmp_path / "input.json"
    bad.write_text('{"COMPANY_NAME": "Acme",}', "utf-8")
    result = run(server, str(SUPPORT_CHAT), "-m", "hi", "--input-file", str(bad))
    assert result.code == 2
    assert f"Input file {bad} is not valid JSON" in result.stderr
    listed = tmp_path / "input.yaml"
    listed.write_text("- a\n- b\n", "utf-8")
    result = run(server, str(SUPPORT_CHAT), "-m", "hi", "--input-file", str(listed))
    assert result.code == 2
    assert "must hold one object of NAME: value pairs" in result.stderr
    typo = tmp_path / "typo.yaml"
    typo.write_text("COMPANY_NAME: Acme\nPRODUCT: Widget\n", "utf-8")
    result = run(server, str(SUPPORT_CHAT), "-m", "hi", "--input-file", str(typo))
    assert result.code == 2
    assert "PRODUCT is not a session input the agent declares. Did you mean" in result.stderr
    assert server.requests == []


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("no-equals-sign", "is not NAME=COMMAND"),
        ("lookup=", "is not NAME=COMMAND"),
        ("lookup=definitely-not-a-command-xyz --flag", "command not found: definitely-not"),
        ("lookup='unclosed", "cannot split the command"),
    ],
)
def test_bad_tool_spec(server: ScriptedServer, spec: str, expected: str) -> None:
    result = run(server, str(SUPPORT_CHAT), *REQUIRED, "-m", "hi", "--tool", spec)
    assert result.code == 2, result
    assert expected in result.stderr
    assert server.requests == []


def test_session_input_cannot_change_with_session(server: ScriptedServer) -> None:
    result = run(server, str(SUPPORT_CHAT), "--session", "s1", "-m", "hi", *REQUIRED)
    assert result.code == 2
    assert "Session input is fixed when a session is created" in result.stderr


def test_a_path_that_is_not_a_folder(server: ScriptedServer, tmp_path: Path) -> None:
    result = run(server, str(tmp_path / "nope"), "-m", "hi")
    assert result.code == 2
    assert "No agent folder at" in result.stderr
    assert server.requests == []


def test_no_key_is_a_configuration_error(tmp_path: Path) -> None:
    result = run_cli("run", str(SUPPORT_CHAT), *REQUIRED, "-m", "hi", cwd=tmp_path)
    assert result.code == 2
    assert "No API key found. Set OCTAVUS_API_KEY or OCTAVUS_CLI_API_KEY" in result.stderr
