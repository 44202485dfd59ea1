"""Keys never appear in the output of run, workforce and validate --remote (with --debug too).

The management commands have their own test (tests/management/test_secrets.py).
"""

from __future__ import annotations

import re
import shlex
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from octavus_cli.emulator import Emulator
from tests.support.cli import run_cli

PYTHON = shlex.quote(sys.executable)
REPO = Path(__file__).resolve().parents[1]
SUPPORT_CHAT = REPO / "examples" / "agents" / "support-chat"
MINIMAL_CHAT = REPO / "examples" / "agents" / "minimal-chat"

PROJECT_SECRET = "fake-project-key-Hv3kQ8-never-printed"
AGENT_SECRET = "fake-agent-key-Tx9mB4-never-printed"
WRONG_SECRET = "fake-wrong-key-Ld2sN6-never-printed"
WORKFORCE_AGENT = "cmsecretsworkforce01"
assert not re.search(r"oct_(sk|agt)_[A-Za-z0-9]{16,}", PROJECT_SECRET + AGENT_SECRET)


@pytest.mark.parametrize("debug", [False, True], ids=["plain", "debug"])
def test_run_workforce_and_remote_validate_never_print_keys(
    emulator_factory: Callable[..., Emulator], tmp_path: Path, debug: bool
) -> None:
    emulator = emulator_factory(
        keys={"secret": PROJECT_SECRET}, agent_keys={WORKFORCE_AGENT: AGENT_SECRET}
    )
    agent = emulator.seed_agent(MINIMAL_CHAT)
    emulator.seed_agent(SUPPORT_CHAT)
    project = {"OCTAVUS_API_URL": emulator.url, "OCTAVUS_API_KEY": PROJECT_SECRET}
    agent_key = {"OCTAVUS_API_URL": emulator.url, "OCTAVUS_AGENT_KEY": AGENT_SECRET}
    wrong = {"OCTAVUS_API_URL": emulator.url, "OCTAVUS_API_KEY": WRONG_SECRET}
    tool = f"check-order-status={PYTHON} -c \"import os; print(os.environ.get('OCTAVUS_API_KEY'))\""
    runs: list[tuple[dict[str, str], list[str], str | None]] = [
        (project, ["run", agent.id, "-m", "hello"], None),
        (project, ["run", "minimal-chat", "--json", "-m", "hello"], None),
        (project, ["run", str(MINIMAL_CHAT)], "piped message"),
        (
            project,
            [
                "run",
                "support-chat",
                "-m",
                '/call check-order-status {"orderId": "1"}',
                "--tool",
                tool,
                "-i",
                "COMPANY_NAME=Acme",
                "-i",
                "PRODUCT_NAME=Widget",
                "-i",
                "PLAN_TIER=pro",
            ],
            None,
        ),
        (project, ["validate", str(MINIMAL_CHAT), "--remote"], None),
        (wrong, ["run", agent.id, "-m", "hello"], None),
        (wrong, ["validate", str(MINIMAL_CHAT), "--remote", "--json"], None),
        (
            agent_key,
            ["workforce", "run", WORKFORCE_AGENT, "summarize", "--poll-interval", "0.05"],
            None,
        ),
        (agent_key, ["workforce", "dispatch", WORKFORCE_AGENT, "task", "--json"], None),
        (agent_key, ["workforce", "get", WORKFORCE_AGENT, "no-such-thread"], None),
        (
            {**agent_key, "OCTAVUS_AGENT_KEY": WRONG_SECRET},
            ["workforce", "dispatch", WORKFORCE_AGENT, "task"],
            None,
        ),
    ]
    prefix = ["--debug"] if debug else []
    for env, args, stdin in runs:
        result = run_cli(*prefix, *args, env=env, input=stdin, cwd=tmp_path)
        shown = result.stdout + result.stderr
        for secret in (PROJECT_SECRET, AGENT_SECRET, WRONG_SECRET):
            assert secret not in shown, result
    used = {request.key for request in emulator.requests}
    assert {"secret", "invalid"} <= used
    assert any(key is not None and key.startswith("agent:") for key in used)


def test_tool_commands_do_not_inherit_the_keys(
    emulator: Emulator, emulator_env: dict[str, str]
) -> None:
    emulator.seed_agent(SUPPORT_CHAT)
    tool = (
        f'check-order-status={PYTHON} -c "import os, json; '
        "print(json.dumps(sorted(k for k in os.environ if k.startswith('OCTAVUS_'))))\""
    )
    result = run_cli(
        "run",
        "support-chat",
        "--json",
        "-m",
        '/call check-order-status {"orderId": "1"}',
        "--tool",
        tool,
        "-i",
        "COMPANY_NAME=Acme",
        "-i",
        "PRODUCT_NAME=Widget",
        "-i",
        "PLAN_TIER=pro",
        env=emulator_env,
    )
    assert result.code == 0, result
    tool_results = [line for line in result.stdout.splitlines() if '"cli-tool-result"' in line]
    assert tool_results, result
    assert "OCTAVUS_API_KEY" not in tool_results[0]
    assert "OCTAVUS_TOOL_NAME" in tool_results[0]
