"""`run --json` as a stream: events as received, whole, and shown while the agent works."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from pathlib import Path

from octavus_cli.emulator.testing import wait_until
from tests.run.conftest import REQUIRED, Octavus, tool_command, write_script
from tests.support.cli import clean_env

ECHO_ARGS = "import json, sys; print(json.dumps(json.load(sys.stdin)))\n"


def test_a_tool_call_with_line_separators_in_its_arguments_arrives_whole(
    octavus: Octavus, tmp_path: Path
) -> None:
    # The platform's JSON may hold U+2028, U+0085 and U+001C unescaped; only CR and LF
    # end an event-stream line, so the tool request must not be cut at them.
    order = "O\u2028-\x85-\x1c-7"
    call = "/call check-order-status " + json.dumps({"orderId": order}, ensure_ascii=False)
    script = write_script(tmp_path, "echo.py", ECHO_ARGS)
    handler = f"check-order-status={tool_command(script)}"
    result = octavus.run("support-chat", "-m", call, *REQUIRED, "--tool", handler, "--json")
    assert result.code == 0, result
    assert "malformed" not in result.stderr
    # One event per "\n"-ended line (splitlines would also split at U+2028).
    events = [json.loads(line) for line in result.stdout.split("\n") if line]
    [request] = [e for e in events if e["type"] == "tool-request"]
    assert request["toolCalls"][0]["args"] == {"orderId": order}
    [sent] = [r.body for r in octavus.posts() if "toolResults" in (r.body or {})]
    assert sent["toolResults"][0]["result"] == {"orderId": order}


def test_events_are_written_while_the_agent_is_still_working(octavus: Octavus) -> None:
    env = clean_env({**octavus.env(), "PYTHONUNBUFFERED": ""})
    argv = [sys.executable, "-m", "octavus_cli", "run", "support-chat", *REQUIRED]
    argv += ["-m", "/wait 30 slow answer", "--json"]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout

    def read() -> None:
        for raw in stdout:
            lines.put(raw.decode())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    seen: list[dict[str, object]] = []

    def started() -> bool:
        while not lines.empty():
            seen.append(json.loads(lines.get()))
        return any(event["type"] == "start" for event in seen)

    try:
        wait_until(started, timeout=20, what="the start event on stdout")
        session_id = str(seen[0]["sessionId"])
        assert octavus.emulator.context.runtime.is_streaming(session_id), (
            "the start event arrived while the answer was still being written"
        )
    finally:
        process.kill()
        process.wait(10)
        reader.join(10)
    assert seen[0]["type"] == "cli-session"
