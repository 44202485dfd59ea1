"""What a valid `octavus validate` loads: not rich off a terminal, not jsonschema, not httpx,
not pydantic (typer 0.29 would: pyproject.toml holds typer below it), and of our own
modules only the command being run and what it uses."""

from __future__ import annotations

import json
from pathlib import Path

from octavus_cli.protocol.examples import write_example
from octavus_cli.protocol.registry import get_rule
from tests.support.probe import ROOT, python_output

PROBE = """
import json, sys
from octavus_cli.__main__ import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = {"rich", "jsonschema", "referencing", "httpx", "dotenv", "pydantic", "pydantic_core"}
sys.__stdout__.write(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & heavy)) + "\\n")
ours = sorted(m for m in sys.modules if m.startswith("octavus_cli."))
sys.__stdout__.write(json.dumps(ours) + "\\n")
"""


def loaded_after(*args: str, cwd: Path = ROOT) -> list[str]:
    stdout = python_output(PROBE, *args, cwd=cwd)
    last = stdout.strip().splitlines()[-2]
    loaded: list[str] = json.loads(last)
    return loaded


def ours_loaded_after(*args: str) -> list[str]:
    """The ``octavus_cli`` modules imported by ``octavus ARGS``."""
    stdout = python_output(PROBE, *args)
    ours: list[str] = json.loads(stdout.strip().splitlines()[-1])
    return ours


def test_valid_agent_loads_no_heavy_library() -> None:
    assert loaded_after("validate", "examples/agents/support-chat") == []


def test_help_loads_no_heavy_library() -> None:
    assert loaded_after("validate", "--help") == []


def test_an_invalid_agent_still_gets_jsonschema_messages(tmp_path: Path) -> None:
    example = get_rule("OCT111").example
    assert example is not None
    write_example(example, tmp_path / "my-agent")
    assert loaded_after("validate", "my-agent", cwd=tmp_path) == ["jsonschema", "referencing"]


def test_validate_imports_only_its_own_command_and_no_skill_checks() -> None:
    ours = ours_loaded_after("validate", "examples/agents/support-chat")
    assert [m for m in ours if m.startswith("octavus_cli.commands.")] == [
        "octavus_cli.commands.options",
        "octavus_cli.commands.validate",
    ]
    assert "octavus_cli.skills.folders" in ours  # skills are looked for among the paths
    assert not [m for m in ours if m in {"octavus_cli.skills.validate", "octavus_cli.skills.rules"}]
    assert not [m for m in ours if m.startswith(("octavus_cli.workforce", "octavus_cli.session"))]


def test_help_of_one_command_imports_no_other_command() -> None:
    ours = ours_loaded_after("sync", "--help")
    assert [m for m in ours if m.startswith("octavus_cli.commands.")] == [
        "octavus_cli.commands.options",
        "octavus_cli.commands.sync",
    ]


def test_the_top_level_help_imports_no_command_and_no_error_handler() -> None:
    for args in ([], ["--help"], ["-h"]):
        ours = ours_loaded_after(*args)
        assert not [m for m in ours if m.startswith("octavus_cli.commands.")], args
        assert "octavus_cli.output.reporter" not in ours, args


def test_the_executable_pauses_the_collector_only_for_the_start_up() -> None:
    probe = """
import gc, json, sys
from octavus_cli import __main__ as entry
entry.hold_collector()
assert not gc.isenabled()
try:
    entry.main(["validate", "--help"])
except SystemExit:
    pass
sys.__stdout__.write(json.dumps([gc.isenabled(), gc.get_freeze_count() > 0]) + "\\n")
"""
    stdout = python_output(probe)
    assert json.loads(stdout.strip().splitlines()[-1]) == [True, True]
