"""A misbehaving platform: retries, Retry-After, unreachable hosts, timeouts, odd bodies, bad keys.

The CLI runs with its test-only delay scale (``tests.support.pacing``): its
messages name the real delays of the policy, and the emulator's clock shows the
CLI really waited them (scaled), checked from below.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from octavus_cli.emulator import Emulator, RecordedRequest
from octavus_cli.emulator.testing import emulator_env_for
from tests.management.conftest import copy_example
from tests.support.cli import CliResult, run_cli
from tests.support.pacing import FAST, SCALE
from tests.support.ports import closed_port
from tests.support.scripted_server import Reply, ScriptedServer


def error_lines(result: CliResult) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("✗")]


def assert_one_clear_error(result: CliResult, *needles: str) -> None:
    """Exit 1, exactly one error line holding every needle, and no traceback."""
    assert result.code == 1, result
    lines = error_lines(result)
    assert len(lines) == 1, result
    for needle in needles:
        assert needle in lines[0], (needle, result)
    assert "Traceback" not in result.stderr


@pytest.fixture
def timed_emulator(
    emulator_factory: Callable[..., Emulator],
) -> tuple[Emulator, list[tuple[float, RecordedRequest]]]:
    """An emulator that notes when it answered each request."""
    answered: list[tuple[float, RecordedRequest]] = []
    emulator = emulator_factory(on_request=lambda r: answered.append((time.monotonic(), r)))
    return emulator, answered


def test_two_503s_then_success(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    folder = copy_example("minimal-chat", tmp_path / "minimal-chat")
    emulator.faults.fail_first = 2
    emulator.faults.retry_after = 1
    result = run_cli("sync", str(folder), env={**emulator_env, **FAST})
    assert result.code == 0, result
    assert result.stdout.startswith("✓ Created: minimal-chat")
    assert [(r.method, r.status) for r in emulator.requests] == [
        ("GET", 503),
        ("GET", 503),
        ("GET", 404),
        ("POST", 201),
    ]
    # Retry-After 1 honoured: 1 s, up to 25 % later (jitter).
    retries = re.findall(r"The platform answered HTTP 503; retrying in (1\.[0-2]) s", result.stderr)
    assert len(retries) == 2, result


def test_429_retry_after_is_honoured(
    timed_emulator: tuple[Emulator, list[tuple[float, RecordedRequest]]], tmp_path: Path
) -> None:
    emulator, answered = timed_emulator
    folder = copy_example("minimal-chat", tmp_path / "minimal-chat")
    emulator.faults.rate_limit_every = 2  # the POST is refused once
    emulator.faults.retry_after = 1
    result = run_cli("--debug", "sync", str(folder), env={**emulator_env_for(emulator), **FAST})
    assert result.code == 0, result
    assert [(r.method, r.status) for _, r in answered] == [
        ("GET", 404),
        ("POST", 429),
        ("POST", 201),
    ]
    assert re.search(r"retrying in 1\.[0-2]s \(HTTP 429\)", result.stderr), result
    assert answered[2][0] - answered[1][0] >= 0.9 * SCALE


def test_429_retry_after_is_clamped_to_8_seconds(
    timed_emulator: tuple[Emulator, list[tuple[float, RecordedRequest]]],
) -> None:
    emulator, answered = timed_emulator
    emulator.faults.rate_limit_every = 1
    emulator.faults.retry_after = 120
    env = {**emulator_env_for(emulator), **FAST}

    def lift_after_first(record: RecordedRequest) -> None:  # one 429, then normal answers
        if record.status == 429:
            emulator.faults.rate_limit_every = 0

    emulator.listen(lift_after_first)  # runs before the 429 leaves: the retry gets a 200
    result = run_cli("--debug", "list", "--json", env=env)
    assert result.code == 0, result
    assert re.search(r"retrying in (8\.\d|9\.\d|10\.0)s \(HTTP 429\)", result.stderr), result
    assert [r.status for _, r in answered] == [429, 200]
    waited = answered[1][0] - answered[0][0]
    assert 7.5 * SCALE <= waited < 60 * SCALE  # clamped: never the two minutes asked for


def test_connection_refused_gives_one_clear_line() -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    env = {"OCTAVUS_API_URL": url, "OCTAVUS_CLI_API_KEY": "test-cli-key", **FAST}
    result = run_cli("list", env=env)
    assert_one_clear_error(result, "could not connect", url, "after 3 attempts")


def test_a_timeout_gives_one_clear_line(emulator: Emulator, emulator_env: dict[str, str]) -> None:
    emulator.faults.latency = 10
    env = {**emulator_env, "OCTAVUS_TIMEOUT": "0.1", **FAST}
    result = run_cli("list", env=env)
    assert_one_clear_error(result, "timed out", "after 3 attempts")
    assert len(emulator.requests) == 3


def test_a_bad_timeout_setting_is_a_configuration_error(emulator_env: dict[str, str]) -> None:
    result = run_cli("list", "--json", env={**emulator_env, "OCTAVUS_TIMEOUT": "soon"})
    assert result.code == 2
    assert "OCTAVUS_TIMEOUT" in result.json()["error"]


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as srv:
        yield srv


def test_a_502_with_an_html_body(server: ScriptedServer) -> None:
    page = "<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>"
    server.script(*[Reply(502, page) for _ in range(3)])
    env = {"OCTAVUS_API_URL": server.url, "OCTAVUS_CLI_API_KEY": "test-cli-key", **FAST}
    result = run_cli("list", env=env)
    assert_one_clear_error(result, "HTTP 502", "502 Bad Gateway", "after 3 attempts")
    assert "Status: 502" in result.stderr
    server.script(*[Reply(502, page) for _ in range(3)])
    doc = run_cli("list", "--json", env=env).json()
    assert (doc["code"], doc["status"]) == ("API_ERROR", 502)


@pytest.mark.parametrize("variable", ["OCTAVUS_CLI_API_KEY", "OCTAVUS_API_KEY"])
def test_401_names_the_variable_never_the_key(emulator: Emulator, variable: str) -> None:
    wrong = "wrong-key-for-the-401-test"
    result = run_cli("list", env={"OCTAVUS_API_URL": emulator.url, variable: wrong})
    assert_one_clear_error(result, "rejected the API key", variable, "HTTP 401")
    assert wrong not in result.stdout + result.stderr
    assert [r.key for r in emulator.requests] == ["invalid"]
