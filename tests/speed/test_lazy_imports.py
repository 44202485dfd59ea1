"""What a valid `octavus validate` loads: not rich off a terminal, not jsonschema, not httpx.

(pydantic is not in the list: typer 0.29, required for its help hooks, imports it.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from octavus_cli.protocol.examples import write_example
from octavus_cli.protocol.registry import get_rule
from tests.support.cli import clean_env

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, sys
from octavus_cli.__main__ import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = {"rich", "jsonschema", "referencing", "httpx", "dotenv"}
sys.__stdout__.write(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & heavy)) + "\\n")
"""


def loaded_after(*args: str, cwd: Path = ROOT) -> list[str]:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        env=clean_env(),
        cwd=cwd,
        timeout=60,
        check=True,
    )
    last = completed.stdout.strip().splitlines()[-1]
    loaded: list[str] = json.loads(last)
    return loaded


def test_valid_agent_loads_no_heavy_library() -> None:
    assert loaded_after("validate", "examples/agents/support-chat") == []


def test_help_loads_no_heavy_library() -> None:
    assert loaded_after("validate", "--help") == []


def test_an_invalid_agent_still_gets_jsonschema_messages(tmp_path: Path) -> None:
    example = get_rule("OCT111").example
    assert example is not None
    write_example(example, tmp_path / "my-agent")
    assert loaded_after("validate", "my-agent", cwd=tmp_path) == ["jsonschema", "referencing"]
