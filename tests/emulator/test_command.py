"""`octavus emulator` as a user runs it: a subprocess that prints where to connect."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.support.cli import clean_env, run_cli

URL_LINE = re.compile(r"^Octavus emulator listening on (http://127\.0\.0\.1:(\d+))$")
FAKE_KEY = "my-fake-key"


@contextmanager
def running(*args: str) -> Iterator[tuple[subprocess.Popen[str], list[str]]]:
    """Start `octavus emulator ARGS`; yield it with its first five stdout lines."""
    process = subprocess.Popen(
        [sys.executable, "-m", "octavus_cli", "emulator", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(),
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline().rstrip("\n") for _ in range(4)]
        yield process, lines
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)


def stop(process: subprocess.Popen[str], signum: int) -> tuple[int, str, str]:
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=10)
    return process.returncode, stdout, stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_prints_the_url_first_and_stops_cleanly(signum: int) -> None:
    with running("--key", FAKE_KEY) as (process, lines):
        match = URL_LINE.match(lines[0])
        assert match, lines
        url = match.group(1)
        assert lines[1:] == [
            f"export OCTAVUS_API_URL={url}",
            f"export OCTAVUS_CLI_API_KEY={FAKE_KEY}",
            f"export OCTAVUS_API_KEY={FAKE_KEY}",
        ]
        response = httpx.get(f"{url}/api/agents", headers={"Authorization": f"Bearer {FAKE_KEY}"})
        assert response.json() == {"agents": []}
        code, _, stderr = stop(process, signum)
    assert code == 0, stderr
    assert "GET /api/agents -> 200" in stderr
    assert "Traceback" not in stderr


def test_generated_key_is_obviously_fake_and_works() -> None:
    with running("--agent-key", "cmagent01=fake-agent-key") as (process, lines):
        assert process.stdout is not None
        agent_line = process.stdout.readline().rstrip("\n")
        url = URL_LINE.match(lines[0]).group(1)  # type: ignore[union-attr]
        key = lines[2].removeprefix("export OCTAVUS_CLI_API_KEY=")
        assert key.startswith("emulator-fake-key-")
        assert not re.search(r"oct_(sk|agt)_[A-Za-z0-9]{16,}", key)
        assert agent_line == "export OCTAVUS_AGENT_KEY=fake-agent-key  # workforce agent cmagent01"
        ok = httpx.get(f"{url}/api/agents", headers={"Authorization": f"Bearer {key}"})
        thread = httpx.post(
            f"{url}/api/v1/workforce/agents/cmagent01/threads",
            json={"message": "hi"},
            headers={"Authorization": "Bearer fake-agent-key"},
        )
        code, _, stderr = stop(process, signal.SIGTERM)
    assert ok.status_code == 200
    assert thread.status_code == 201
    assert code == 0
    assert key not in stderr, "keys appear only in the startup lines"


def test_json_mode_prints_one_document(tmp_path: Path) -> None:
    data = tmp_path / "emulator.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "octavus_cli", "emulator", "--port", "0", "--json"]
        + ["--data", str(data), "--key", FAKE_KEY],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(),
    )
    assert process.stdout is not None
    document = ""
    while not document.rstrip().endswith("}") or document.count("{") != document.count("}"):
        line = process.stdout.readline()
        assert line, "the emulator exited early"
        document += line
    code, rest, _ = stop(process, signal.SIGTERM)
    doc = json.loads(document)
    assert code == 0
    assert rest == ""
    assert doc["url"].startswith("http://127.0.0.1:")
    assert doc["env"]["OCTAVUS_API_KEY"] == FAKE_KEY
    assert doc["data"] == str(data)
    assert data.exists()


def test_data_survives_a_restart_of_the_command(tmp_path: Path) -> None:
    data = tmp_path / "emulator.db"
    body = {
        "settings": {"slug": "kept", "name": "Kept", "format": "interactive"},
        "protocol": "agent:\n  model: x\n",
        "prompts": [],
    }
    headers = {"Authorization": f"Bearer {FAKE_KEY}"}
    with running("--data", str(data), "--key", FAKE_KEY) as (process, lines):
        url = URL_LINE.match(lines[0]).group(1)  # type: ignore[union-attr]
        assert httpx.post(f"{url}/api/agents", json=body, headers=headers).status_code == 201
        assert stop(process, signal.SIGTERM)[0] == 0
    with running("--data", str(data), "--key", FAKE_KEY) as (process, lines):
        url = URL_LINE.match(lines[0]).group(1)  # type: ignore[union-attr]
        agents = httpx.get(f"{url}/api/agents", headers=headers).json()["agents"]
        stop(process, signal.SIGTERM)
    assert [a["slug"] for a in agents] == ["kept"]


def test_port_in_use_is_a_configuration_error() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli("emulator", "--port", str(port), "--json", timeout=30)
    assert result.code == 2
    assert result.json()["code"] == "CONFIG_ERROR"
    assert f"127.0.0.1:{port}" in result.json()["error"]


def test_bad_agent_key_option_is_a_configuration_error() -> None:
    result = run_cli("emulator", "--agent-key", "no-equals-sign", timeout=30)
    assert result.code == 2
    assert "AGENT_ID=KEY" in result.stderr


def test_unusable_data_file_is_a_configuration_error(tmp_path: Path) -> None:
    data = tmp_path / "notes.txt"
    data.write_text("not a database\n" * 200)
    result = run_cli("emulator", "--port", "0", "--data", str(data), timeout=30)
    assert result.code == 2
    assert "data file" in result.stderr


def _primary_address() -> str | None:
    """This machine's address on its default route (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("203.0.113.1", 9))
        except OSError:
            return None
        address = str(probe.getsockname()[0])
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def test_binds_loopback_only() -> None:
    address = _primary_address()
    if address is None:
        pytest.skip("this machine has no non-loopback address to probe")
    with running() as (process, lines):
        port = int(URL_LINE.match(lines[0]).group(2))  # type: ignore[union-attr]
        with socket.socket() as probe:
            probe.settimeout(1)
            outside = probe.connect_ex((address, port))
        with socket.socket() as probe:
            probe.settimeout(1)
            inside = probe.connect_ex(("127.0.0.1", port))
        stop(process, signal.SIGTERM)
    assert inside == 0
    assert outside != 0, f"the emulator answered on {address}"


@pytest.mark.skipif(os.name != "posix", reason="signals")
def test_stops_promptly_with_an_open_stream() -> None:
    with running("--key", FAKE_KEY, "--silent-stream") as (process, lines):
        url = URL_LINE.match(lines[0]).group(1)  # type: ignore[union-attr]
        headers = {"Authorization": f"Bearer {FAKE_KEY}"}
        body = {
            "settings": {"slug": "s", "name": "S", "format": "interactive"},
            "protocol": (
                "triggers:\n  go: {}\nhandlers:\n  go:\n    Reply:\n      block: next-message\n"
            ),
            "prompts": [],
        }
        agent_id = httpx.post(f"{url}/api/agents", json=body, headers=headers).json()["agentId"]
        session = httpx.post(
            f"{url}/api/agent-sessions", json={"agentId": agent_id}, headers=headers
        ).json()["sessionId"]
        with httpx.stream(
            "POST",
            f"{url}/api/agent-sessions/{session}/trigger",
            json={"triggerName": "go"},
            headers=headers,
        ) as response:
            assert response.status_code == 200
            started = time.monotonic()
            code, _, _ = stop(process, signal.SIGTERM)
    assert code == 0
    assert time.monotonic() - started < 5


def test_a_data_file_keeps_the_generated_key_and_says_so(tmp_path: Path) -> None:
    data = tmp_path / "emulator.db"
    with running("--data", str(data)) as (process, lines):
        first_key = lines[2].split("=", 1)[1]
        assert first_key.startswith("emulator-fake-key-")
        code, _, stderr = stop(process, signal.SIGTERM)
        assert code == 0
        assert f"Key: new, stored in {data}" in stderr
    with running("--data", str(data)) as (process, lines):
        url = URL_LINE.match(lines[0]).group(1)  # type: ignore[union-attr]
        assert lines[2] == f"export OCTAVUS_CLI_API_KEY={first_key}"
        headers = {"Authorization": f"Bearer {first_key}"}
        assert httpx.get(f"{url}/api/agents", headers=headers).status_code == 200
        code, _, stderr = stop(process, signal.SIGTERM)
    assert f"Key: the one stored in {data}, so exports from before still work" in stderr
    # Without --data every start makes a new key.
    with running() as (process, lines):
        assert lines[2] != f"export OCTAVUS_CLI_API_KEY={first_key}"
        stop(process, signal.SIGTERM)
