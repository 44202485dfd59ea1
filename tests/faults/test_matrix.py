"""The fault matrix: every command family against the emulator under every fault it offers.

Each cell runs one command in-process (``--json``, retry delays shortened by the
test-only pacing) against a fresh emulator with one fault set, and checks:

* the documented exit code (0 ok, 1 failed, 3 a wait that timed out);
* no traceback anywhere;
* no key text in stdout or stderr;
* nothing applied twice: at most one arrival of each non-idempotent write that the
  server may have acted on (429/503 answers are refusals, so they do not count);
* every write that may have been applied without the CLI knowing (answer lost,
  server gone, 502/504, timed out) is reported: exit 0 with the outcome the CLI
  re-read, or "may have" said on stderr (also in ``--json`` mode).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from octavus_cli.app import app
from octavus_cli.emulator import Emulator, RecordedRequest
from octavus_cli.emulator.faults import DROPPED, LOST
from octavus_cli.emulator.testing import (
    TEST_AGENT_KEY,
    TEST_CLI_KEY,
    TEST_PROJECT_KEY,
    TEST_WORKFORCE_AGENT_ID,
    emulator_env_for,
)
from octavus_cli.records import field_names
from tests.management.conftest import EXAMPLES, copy_example, set_setting
from tests.support.pacing import FAST

AGENT = TEST_WORKFORCE_AGENT_ID
WRONG_KEY = "wrong-key-for-the-fault-matrix"
KEYS = (TEST_CLI_KEY, TEST_PROJECT_KEY, TEST_AGENT_KEY, WRONG_KEY)
REQUIRED = ["-i", "COMPANY_NAME=Acme", "-i", "PRODUCT_NAME=Widget", "-i", "PLAN_TIER=pro"]
# Answers that say the server did not act on a write.
REFUSED = frozenset({400, 401, 403, 404, 409, 422, 429, 503})
# Statuses after which a write may have been applied without the CLI being told.
UNKNOWN = frozenset({LOST, DROPPED, 0, 502, 504})


@dataclass
class Setup:
    """What a command needs on the emulator, and its arguments."""

    args: list[str]
    # Writes that must not happen twice: (method, path prefix).
    once: list[tuple[str, str]] = field(default_factory=list)
    reads_only: bool = False


def _sync_create(emulator: Emulator, tmp: Path) -> Setup:
    folder = copy_example("minimal-chat", tmp / "minimal-chat")
    return Setup(["sync", str(folder), "--json"], once=[("POST", "/api/agents")])


def _sync_update(emulator: Emulator, tmp: Path) -> Setup:
    emulator.seed_agent(EXAMPLES / "minimal-chat")
    folder = copy_example("minimal-chat", tmp / "minimal-chat")
    set_setting(folder, "name", "Minimal Chat, renamed")
    return Setup(["sync", str(folder), "--json"])  # PATCH of the same content: idempotent


def _archive(emulator: Emulator, tmp: Path) -> Setup:
    emulator.seed_agent(EXAMPLES / "minimal-chat")
    return Setup(["archive", "minimal-chat", "--yes", "--json"], once=[("DELETE", "/api/agents/")])


def _list(emulator: Emulator, tmp: Path) -> Setup:
    emulator.seed_agent(EXAMPLES / "minimal-chat")
    return Setup(["list", "--json"], reads_only=True)


def _get(emulator: Emulator, tmp: Path) -> Setup:
    emulator.seed_agent(EXAMPLES / "minimal-chat")
    return Setup(["get", "minimal-chat", "--json"], reads_only=True)


def _run(emulator: Emulator, tmp: Path) -> Setup:
    emulator.seed_agent(EXAMPLES / "support-chat")
    return Setup(
        ["run", "support-chat", "-m", "hi", *REQUIRED, "--json", "--idle-timeout", "0.5"],
        once=[("POST", "/api/agent-sessions")],
    )


def _dispatch(emulator: Emulator, tmp: Path) -> Setup:
    return Setup(
        ["workforce", "dispatch", AGENT, "Hello", "--json"],
        once=[("POST", f"/api/v1/workforce/agents/{AGENT}/threads")],
    )


def _wait(emulator: Emulator, tmp: Path) -> Setup:
    response = httpx.post(
        f"{emulator.url}/api/v1/workforce/agents/{AGENT}/threads",
        headers={"Authorization": f"Bearer {TEST_AGENT_KEY}"},
        json={"message": "Hello"},
    )
    response.raise_for_status()
    thread_id = response.json()["threadId"]
    emulator.clear_requests()
    args = ["workforce", "wait", AGENT, thread_id, "--json", "--poll-interval", "0.05"]
    return Setup([*args, "--timeout", "0.6"], reads_only=True)


COMMANDS: dict[str, Callable[[Emulator, Path], Setup]] = {
    "list": _list,
    "get": _get,
    "sync-create": _sync_create,
    "sync-update": _sync_update,
    "archive": _archive,
    "run": _run,
    "workforce-dispatch": _dispatch,
    "workforce-wait": _wait,
}


def _503_then_ok(emulator: Emulator, env: dict[str, str]) -> None:
    emulator.faults.fail_first = 2


def _503_always(emulator: Emulator, env: dict[str, str]) -> None:
    emulator.faults.fail_first = 1000


def _429_every_other(emulator: Emulator, env: dict[str, str]) -> None:
    emulator.faults.rate_limit_every = 2


def _slow(emulator: Emulator, env: dict[str, str]) -> None:
    emulator.faults.latency = 0.5
    env["OCTAVUS_TIMEOUT"] = "0.1"


def _answer_lost(emulator: Emulator, env: dict[str, str]) -> None:
    emulator.faults.lose_answers = 1


def _stopped(emulator: Emulator, env: dict[str, str]) -> None:
    emulator.faults.stop_mid_request = True


def _stopped_on_write(emulator: Emulator, env: dict[str, str]) -> None:
    emulator.faults.stop_on_write = True


def _wrong_key(emulator: Emulator, env: dict[str, str]) -> None:
    for name in ("OCTAVUS_CLI_API_KEY", "OCTAVUS_API_KEY", "OCTAVUS_AGENT_KEY"):
        env[name] = WRONG_KEY


FAULTS: dict[str, Callable[[Emulator, dict[str, str]], None]] = {
    "503-then-ok": _503_then_ok,
    "503-always": _503_always,
    "429-every-other": _429_every_other,
    "slow": _slow,
    "answer-lost": _answer_lost,
    "stopped-mid-request": _stopped,
    "stopped-on-write": _stopped_on_write,
    "wrong-key": _wrong_key,
}

# The documented exit code of each cell; cells not listed exit 0.
FAILS = 1
TIMED_OUT = 3
EXPECTED: dict[tuple[str, str], int] = {
    **{(c, "503-always"): FAILS for c in COMMANDS},
    ("workforce-wait", "503-always"): TIMED_OUT,
    **{(c, "slow"): FAILS for c in COMMANDS},
    ("workforce-wait", "slow"): TIMED_OUT,
    ("run", "answer-lost"): FAILS,  # the session create: may exist, reported
    ("workforce-dispatch", "answer-lost"): FAILS,  # may have been dispatched, reported
    **{(c, "stopped-mid-request"): FAILS for c in COMMANDS},
    ("workforce-wait", "stopped-mid-request"): TIMED_OUT,
    **{(c, "stopped-on-write"): FAILS for c in COMMANDS},
    ("list", "stopped-on-write"): 0,
    ("get", "stopped-on-write"): 0,
    ("workforce-wait", "stopped-on-write"): 0,
    **{(c, "wrong-key"): FAILS for c in COMMANDS},
}


@pytest.fixture
def emulator(emulator_factory: Callable[..., Emulator]) -> Emulator:
    return emulator_factory()


def invoke(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args, env=env, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{args}: uncaught {result.exception!r}") from result.exception
    return result.exit_code, result.stdout, result.stderr


def possibly_applied(requests: list[RecordedRequest], once: list[tuple[str, str]]) -> Counter[str]:
    """Arrivals of each once-only write that the server may have acted on."""
    counts: Counter[str] = Counter()
    for request in requests:
        for method, prefix in once:
            exact = not prefix.endswith("/")
            matches = request.path == prefix if exact else request.path.startswith(prefix)
            if request.method == method and matches and request.status not in REFUSED:
                counts[f"{method} {request.path}"] += 1
    return counts


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_cell(emulator: Emulator, tmp_path: Path, command: str, fault: str) -> None:
    setup = COMMANDS[command](emulator, tmp_path)
    env = {**emulator_env_for(emulator), **FAST}
    FAULTS[fault](emulator, env)
    code, stdout, stderr = invoke(setup.args, env)
    shown = stdout + stderr
    cell = f"{command} × {fault}: exit {code}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}"

    assert code == EXPECTED.get((command, fault), 0), cell
    assert "Traceback" not in shown, cell
    for key in KEYS:
        assert key not in shown, cell
    _parse_json_output(command, stdout)  # stdout stays machine-readable in every cell

    requests = emulator.requests
    applied = possibly_applied(requests, setup.once)
    assert all(n <= 1 for n in applied.values()), (applied, cell)
    if setup.reads_only:
        assert all(r.method == "GET" for r in requests), cell
    unsure = [
        r
        for r in requests
        if r.method != "GET" and r.status in UNKNOWN and not r.path.endswith("/trigger")
    ]
    if unsure and code != 0:
        assert "may have" in stderr.lower(), cell


def test_the_matrix_covers_every_fault_the_emulator_offers() -> None:
    from octavus_cli.emulator.faults import Faults

    counting = {"fail_first", "rate_limit_every", "latency", "lose_answers"}
    stops = {"stop_mid_request", "stop_on_write"}
    streams = {"cut_stream_after", "malformed_sse", "silent_stream"}  # test_run_under_stream_faults
    settings = {"retry_after", "silent_seconds", "path_prefix", "down"}
    fields = {name for name in field_names(Faults) if not name.startswith("_")}
    assert fields == counting | stops | streams | settings


def _parse_json_output(command: str, stdout: str) -> Any:
    if command == "run":  # JSON lines
        return [json.loads(line) for line in stdout.splitlines()]
    return json.loads(stdout)


STREAM_FAULTS: dict[str, tuple[dict[str, Any], int, str]] = {
    "cut": ({"cut_stream_after": 2}, FAILS, "--session"),
    "malformed": ({"malformed_sse": True}, 0, "Skipped 1 malformed line"),
    "silent": ({"silent_stream": True, "silent_seconds": 5.0}, FAILS, "--session"),
}


@pytest.mark.parametrize("fault", list(STREAM_FAULTS))
def test_run_under_stream_faults(emulator: Emulator, tmp_path: Path, fault: str) -> None:
    setup = _run(emulator, tmp_path)
    settings, expected, said = STREAM_FAULTS[fault]
    for name, value in settings.items():
        setattr(emulator.faults, name, value)
    code, stdout, stderr = invoke(setup.args, {**emulator_env_for(emulator), **FAST})
    cell = f"run × {fault}: exit {code}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}"
    assert code == expected, cell
    assert "Traceback" not in stdout + stderr, cell
    assert all(key not in stdout + stderr for key in KEYS), cell
    assert said in stdout + stderr, cell
    lines = _parse_json_output("run", stdout)
    if expected:
        assert lines[-1]["type"] == "cli-error", cell
    triggers = [r for r in emulator.requests if r.path.endswith("/trigger")]
    assert len(triggers) == 1, cell  # a stream that began is never resent
