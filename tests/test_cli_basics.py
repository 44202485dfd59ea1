"""The entry points, help texts, start-up imports and the JSON error contract."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.support.cli import clean_env, run_cli

COMMANDS = [
    ["validate"],
    ["schema"],
    ["sync"],
    ["list"],
    ["get"],
    ["archive"],
    ["run"],
    ["emulator"],
    ["config"],
    ["workforce"],
    ["workforce", "run"],
    ["workforce", "dispatch"],
    ["workforce", "get"],
    ["workforce", "wait"],
    ["workforce", "follow-up"],
]


def test_version_from_package_metadata() -> None:
    result = run_cli("--version")
    assert result.code == 0
    assert result.stdout == f"octavus-cli {version('octavus-cli')}\n"
    assert result.stderr == ""


def test_console_script_is_installed() -> None:
    script = shutil.which("octavus", path=str(Path(sys.executable).parent))
    assert script is not None, "the octavus console script is not installed next to python"
    completed = subprocess.run(
        [script, "--version"], capture_output=True, text=True, env=clean_env(), check=False
    )
    assert completed.returncode == 0
    assert completed.stdout.startswith("octavus-cli ")


def test_app_help_lists_commands_with_examples() -> None:
    result = run_cli("--help")
    assert result.code == 0
    for name in ("validate", "sync", "list", "get", "archive", "run", "workforce", "emulator"):
        assert f"  {name}" in result.stdout
    assert "Examples:" in result.stdout
    assert "--env FILE" in result.stdout


def test_no_arguments_shows_help_and_exits_2() -> None:
    result = run_cli()
    assert result.code == 2
    assert "Usage: octavus" in result.stdout + result.stderr


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    result = run_cli(*command, "--help")
    assert result.code == 0, result
    assert f"Usage: octavus {' '.join(command)}" in result.stdout
    assert "Examples:" in result.stdout, f"`octavus {' '.join(command)} --help` shows no example"
    assert "octavus " in result.stdout.split("Examples:", 1)[1]


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["sync", "--help"]])
def test_startup_does_not_import_heavy_libraries(args: list[str]) -> None:
    probe = (
        "import sys\n"
        f"sys.argv = ['octavus', *{args!r}]\n"
        "from octavus_cli.__main__ import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('httpx', 'jsonschema', 'yaml') if m in sys.modules]\n"
        "sys.stderr.write('HEAVY=' + ','.join(heavy))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=clean_env(), check=False
    )
    assert "HEAVY=" in completed.stderr
    assert completed.stderr.rsplit("HEAVY=", 1)[1] == "", completed.stderr


def test_usage_error_with_json_is_one_json_document() -> None:
    result = run_cli("list", "--json", "--no-such-option")
    assert result.code == 2
    document = result.json()
    assert document["code"] == "CONFIG_ERROR"
    assert "--no-such-option" in document["error"]


def test_json_success_is_exactly_one_document(tmp_path: Path) -> None:
    result = run_cli("config", "--json", cwd=tmp_path)
    assert result.code == 0
    document = json.loads(result.stdout)  # raises if there is anything else on stdout
    assert document["baseUrl"] == "https://octavus.ai"


def test_json_failure_is_exactly_one_document(tmp_path: Path) -> None:
    result = run_cli("list", "--json", cwd=tmp_path)  # no key anywhere
    assert result.code == 2
    assert result.json()["code"] == "CONFIG_ERROR"


def test_unreadable_env_file_is_a_clear_configuration_error(tmp_path: Path) -> None:
    env_file = tmp_path / "bad.env"
    env_file.write_bytes(b"A=\xff\n")
    result = run_cli("--env", str(env_file), "config", cwd=tmp_path)
    assert result.code == 2
    assert "Traceback" not in result.stderr
    assert "not valid UTF-8" in result.stderr
