"""The API key never appears in the output of any command, with or without --debug."""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from octavus_cli.emulator import Emulator
from tests.management.conftest import break_protocol, copy_example
from tests.support.cli import run_cli

# Distinctive, obviously fake, and not shaped like a real key.
SECRET = "fake-key-Zq7xW2-must-never-be-printed"
WRONG = "fake-wrong-key-Kp4vR9-never-printed"
assert not re.search(r"oct_(sk|agt)_[A-Za-z0-9]{16,}", SECRET + WRONG)


@pytest.fixture
def secret_emulator(emulator_factory: Callable[..., Emulator]) -> Emulator:
    return emulator_factory(keys={"secret": SECRET})


@pytest.mark.parametrize("debug", [False, True], ids=["plain", "debug"])
def test_no_command_prints_the_key(secret_emulator: Emulator, tmp_path: Path, debug: bool) -> None:
    emulator = secret_emulator
    agents = tmp_path / "agents"
    copy_example("minimal-chat", agents / "minimal-chat")
    copy_example("research-worker", agents / "research-worker")
    broken = copy_example("minimal-chat", tmp_path / "broken", slug="broken-chat")
    break_protocol(broken)
    pulled = tmp_path / "pulled"
    good = {"OCTAVUS_API_URL": emulator.url, "OCTAVUS_CLI_API_KEY": SECRET}
    fallback = {"OCTAVUS_API_URL": emulator.url, "OCTAVUS_API_KEY": SECRET}
    wrong = {"OCTAVUS_API_URL": emulator.url, "OCTAVUS_CLI_API_KEY": WRONG}
    insecure = {"OCTAVUS_API_URL": "http://example.com", "OCTAVUS_CLI_API_KEY": SECRET}
    runs: list[tuple[dict[str, str], list[str]]] = [
        (good, ["sync", str(agents / "minimal-chat")]),
        (good, ["sync", str(agents), "--dry-run"]),
        (good, ["sync", str(agents), "--json"]),
        (good, ["sync", str(broken)]),
        (fallback, ["list", "--quiet"]),
        (good, ["list"]),
        (good, ["get", "minimal-chat"]),
        (good, ["get", "minimal-chat", "--output", str(pulled)]),
        (good, ["get", "no-such-agent"]),
        (good, ["archive", "research-worker", "--yes"]),
        (good, ["archive", "no-such-agent", "--json"]),
        (good, ["config"]),
        (good, ["config", "--json"]),
        (wrong, ["list"]),
        (wrong, ["sync", str(agents / "minimal-chat"), "--json"]),
        (wrong, ["archive", "minimal-chat", "--yes"]),
        (insecure, ["list"]),
    ]
    prefix = ["--debug"] if debug else []
    first = run_cli(*prefix, *runs[0][1], env=runs[0][0])  # creates what the others read
    # The rest do not depend on each other's order: run them side by side.
    with ThreadPoolExecutor(max_workers=8) as pool:
        rest = list(pool.map(lambda run: run_cli(*prefix, *run[1], env=run[0]), runs[1:]))
    for result in [first, *rest]:
        shown = result.stdout + result.stderr
        assert SECRET not in shown, result
        assert WRONG not in shown, result
    debug_lines = sum(r.stderr.count("[debug] -> ") for r in [first, *rest])
    assert (debug_lines > 0) is debug
    # the keys were really sent, so the runs above did talk to the platform
    assert {r.key for r in emulator.requests} == {"secret", "invalid"}
