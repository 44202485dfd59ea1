"""`octavus validate` as a user runs it: output formats, exit codes, offline, --remote."""

from __future__ import annotations

import json
import re
import socket
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from octavus_cli.app import app
from octavus_cli.protocol.examples import BASE_INTERACTIVE
from tests.protocol.helpers import EXAMPLES, FIXTURES, write_agent
from tests.support.cli import run_cli
from tests.support.pacing import FAST

HEADLINE = re.compile(
    r"^(?P<path>\S+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning)\[(?P<code>OCT\d{3})\] "
)


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """An agent with an error (a misspelt prompt) and a warning (an unknown key)."""
    protocol = BASE_INTERACTIVE.replace("  system: system\n", "  system: sytem\n  maxStep: 3\n")
    return write_agent(tmp_path / "broken", {"protocol.yaml": protocol})


@pytest.fixture
def warned(tmp_path: Path) -> Path:
    """An agent with a warning only (an unknown key)."""
    protocol = BASE_INTERACTIVE.replace("  system: system\n", "  system: system\n  maxStep: 3\n")
    return write_agent(tmp_path / "warned", {"protocol.yaml": protocol})


def test_valid_agent(tmp_path: Path) -> None:
    result = run_cli("validate", str(EXAMPLES / "support-chat"))
    assert result.code == 0, result
    assert result.stdout.strip() == f"✓ {EXAMPLES / 'support-chat'} is valid"


def test_human_output_is_ruff_like(broken: Path) -> None:
    result = run_cli("validate", str(broken))
    assert result.code == 1, result
    lines = result.stdout.splitlines()
    heads = [m for m in map(HEADLINE.match, lines) if m]
    assert [(m["code"], m["sev"], m["line"], m["col"]) for m in heads] == [
        ("OCT201", "error", "8", "11"),
        ("OCT114", "warning", "9", "3"),
    ]
    assert heads[0]["path"] == f"{broken}/protocol.yaml"
    at = lines.index(heads[0].string)
    assert lines[at + 1 : at + 5] == [
        "  |",
        "8 |   system: sytem",
        "  |           ^^^^^",
        '  = hint: Did you mean "system"? Prompts: "system", "user-message".',
    ]
    assert lines[-1] == f"✗ Found 1 error and 1 warning in {broken}"
    assert result.stderr == ""


def test_paths_are_shown_relative_to_the_cwd(broken: Path) -> None:
    result = run_cli("validate", "broken", cwd=broken.parent)
    assert result.stdout.startswith("broken/protocol.yaml:8:11: error[OCT201] ")
    # the summary names the folder as given, not the slug (my-agent)
    assert result.stdout.splitlines()[-1] == "✗ Found 1 error and 1 warning in broken"


def test_warnings_pass_unless_strict(warned: Path) -> None:
    result = run_cli("validate", str(warned))
    assert result.code == 0, result
    assert result.stdout.splitlines()[-1] == f"✓ {warned} is valid, with 1 warning"
    strict = run_cli("validate", str(warned), "--strict")
    assert strict.code == 1, strict
    assert strict.stdout.splitlines()[-1] == (
        f"✗ Found 1 warning in {warned} (--strict makes warnings fail)"
    )


def test_json_for_one_agent_keeps_the_official_shape(broken: Path) -> None:
    result = run_cli("validate", str(broken), "--json")
    assert result.code == 1, result
    doc = result.json()
    assert list(doc) == ["slug", "valid", "errors", "warnings", "path"]
    assert doc["slug"] == "my-agent"
    assert doc["valid"] is False
    (error,) = doc["errors"]
    assert error == {
        "message": 'agent.system uses prompt "sytem", but there is no prompts/sytem.md',
        "path": "agent.system",
        "severity": "error",
        "code": "OCT201",
        "file": "protocol.yaml",
        "line": 8,
        "column": 11,
        "hint": 'Did you mean "system"? Prompts: "system", "user-message".',
    }
    assert [w["code"] for w in doc["warnings"]] == ["OCT114"]
    assert result.stderr == ""


def test_json_for_several_agents(broken: Path, warned: Path) -> None:
    result = run_cli("validate", str(broken), str(warned), "--json", "--strict")
    assert result.code == 1, result
    doc = result.json()
    assert doc["valid"] is False
    assert doc["summary"] == {"agents": 2, "invalid": 2, "errors": 1, "warnings": 2}
    assert [a["path"] for a in doc["agents"]] == [str(broken), str(warned)]
    assert [a["valid"] for a in doc["agents"]] == [False, False]


def test_a_folder_of_agents_is_every_agent_in_it() -> None:
    result = run_cli("validate", str(EXAMPLES), "--json")
    assert result.code == 0, result
    doc = result.json()
    assert sorted(a["slug"] for a in doc["agents"]) == [
        "minimal-chat",
        "research-worker",
        "support-chat",
    ]
    assert doc["valid"] is True


def test_every_bad_folder_is_reported_and_the_others_still_checked(
    tmp_path: Path, broken: Path
) -> None:
    bad_settings = write_agent(tmp_path / "bad-settings", {"settings.json": '{"slug": 1}'})
    result = run_cli(
        "validate",
        str(tmp_path / "missing"),
        str(bad_settings),
        str(broken),
        str(EXAMPLES / "minimal-chat"),
        "--json",
    )
    assert result.code == 1, result
    agents = result.json()["agents"]
    assert [a["valid"] for a in agents] == [False, False, False, True]
    assert agents[0]["errors"][0]["code"] == "OCT001"
    assert {e["code"] for e in agents[1]["errors"]} == {"OCT004"}
    assert agents[1]["slug"] is None


def test_github_annotations(broken: Path) -> None:
    result = run_cli("validate", str(broken), "--format", "github")
    assert result.code == 1, result
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        f"::error file={broken}/protocol.yaml,line=8,col=11,endLine=8,endColumn=16,"
        "title=OCT201 undefined-prompt::agent.system uses prompt"
    )
    assert lines[1].startswith(f"::warning file={broken}/protocol.yaml,line=9,col=3,")
    assert "%0A%0ADid you mean" in lines[0]
    assert lines[-1] == f"octavus validate: Found 1 error and 1 warning in {broken}"


def test_github_is_the_default_on_github_actions(broken: Path) -> None:
    result = run_cli("validate", str(broken), env={"GITHUB_ACTIONS": "true"})
    assert result.stdout.startswith("::error file=")
    as_json = run_cli("validate", str(broken), "--json", env={"GITHUB_ACTIONS": "true"})
    assert as_json.json()["valid"] is False
    human = run_cli("validate", str(broken), "--format", "human", env={"GITHUB_ACTIONS": "true"})
    assert HEADLINE.match(human.stdout)


def test_conflicting_formats_are_a_usage_error(broken: Path) -> None:
    result = run_cli("validate", str(broken), "--json", "--format", "github")
    assert result.code == 2, result
    assert result.json()["code"] == "CONFIG_ERROR"


def test_quiet_prints_only_what_fails(broken: Path, warned: Path) -> None:
    result = run_cli("validate", str(broken), str(warned), "--quiet")
    assert result.code == 1, result
    assert result.stdout.splitlines() == [
        f'{broken}/protocol.yaml:8:11: error[OCT201] agent.system uses prompt "sytem", but '
        "there is no prompts/sytem.md"
    ]
    valid = run_cli("validate", str(warned), "-q")
    assert (valid.code, valid.stdout, valid.stderr) == (0, "", "")
    strict = run_cli("validate", str(warned), "-q", "--strict")
    assert strict.code == 1
    assert "warning[OCT114]" in strict.stdout


def test_a_file_stands_for_its_agent(broken: Path) -> None:
    result = run_cli("validate", str(broken / "prompts" / "system.md"), "--json")
    assert result.json()["path"] == str(broken)


def test_skip_unrelated(tmp_path: Path, broken: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# hi\n")
    result = run_cli("validate", "--skip-unrelated", str(readme))
    assert result.code == 0, result
    assert "Skipped" in result.stderr
    assert "No agent folders" in result.stderr
    with_agent = run_cli("validate", "--skip-unrelated", str(readme), str(broken / "protocol.yaml"))
    assert with_agent.code == 1
    nothing = run_cli("validate", "--skip-unrelated", str(readme), "--json")
    assert nothing.json()["agents"] == []


def test_usage_errors_exit_2() -> None:
    assert run_cli("validate").code == 2
    assert run_cli("validate", ".", "--format", "xml").code == 2


def test_help_has_examples() -> None:
    result = run_cli("validate", "--help")
    assert result.code == 0
    assert "Examples:" in result.stdout
    assert "octavus validate" in result.stdout


def test_works_with_an_empty_environment_and_no_env_file(tmp_path: Path) -> None:
    """No key, no .env, no HOME, no PATH: validation needs none of them."""
    agent = tmp_path / "agent"
    write_agent(agent)
    result = run_cli("validate", "agent", "--json", env={}, clean=False, cwd=tmp_path)
    assert result.code == 0, result
    assert result.json()["valid"] is True


def test_works_with_the_network_unreachable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Every socket fails: validation still passes, so it never touches the network."""

    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise OSError("network is unreachable (test)")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    for name in ("OCTAVUS_CLI_API_KEY", "OCTAVUS_API_KEY", "OCTAVUS_API_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["validate", str(EXAMPLES), str(FIXTURES / "docs"), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["valid"] is True


def test_in_process_human_output_is_plain_when_not_a_terminal(broken: Path) -> None:
    result = CliRunner().invoke(app, ["validate", str(broken)])
    assert result.exit_code == 1
    assert "\x1b[" not in result.stdout


# -- --remote, against the emulator ------------------------------------------------------


def test_remote_adds_the_platform_findings(
    warned: Path, emulator_env: dict[str, str], emulator: Any
) -> None:
    result = run_cli("validate", str(warned), "--remote", "--json", env=emulator_env)
    assert result.code == 0, result
    doc = result.json()
    sources = [(w["code"], w.get("source", "local")) for w in doc["warnings"]]
    assert sources == [("OCT114", "local"), ("OCT900", "platform")]
    platform = doc["warnings"][1]
    assert (platform["file"], platform["line"], platform["column"]) == ("protocol.yaml", 9, 3)
    requests = [(r.method, r.path) for r in emulator.requests]
    assert ("POST", "/api/agents/validate") in requests


def test_remote_human_output_marks_platform_findings(
    broken: Path, emulator_env: dict[str, str]
) -> None:
    result = run_cli("validate", str(broken), "--remote", env=emulator_env)
    assert result.code == 1, result
    assert "error[OCT900] (platform) " in result.stdout


def test_remote_needs_a_key(broken: Path) -> None:
    result = run_cli("validate", str(broken), "--remote", "--json")
    assert result.code == 2, result
    assert result.json()["code"] == "CONFIG_ERROR"


def test_remote_unreachable_is_an_api_error(broken: Path, tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        "OCTAVUS_CLI_API_KEY": "test-cli-key",
        "OCTAVUS_API_URL": f"http://127.0.0.1:{port}",
        **FAST,  # the connection retries wait a hundredth of their delays
    }
    result = run_cli("validate", str(broken), "--remote", "--json", env=env, timeout=120)
    assert result.code == 1, result
    assert result.json()["code"] == "API_ERROR"


def test_remote_skips_folders_that_cannot_be_read(
    tmp_path: Path, emulator_env: dict[str, str], emulator: Any
) -> None:
    bad = write_agent(tmp_path / "bad", {"settings.json": "{"})
    result = run_cli("validate", str(bad), "--remote", env=emulator_env)
    assert result.code == 1
    assert "not sent to the platform" in result.stderr
    assert not any(r.path == "/api/agents/validate" for r in emulator.requests)


def test_module_entry_point(broken: Path) -> None:
    import subprocess

    completed = subprocess.run(
        [sys.executable, "-m", "octavus_cli", "validate", str(broken), "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1
