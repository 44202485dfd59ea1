"""`octavus run --json` throughput into a pipe: text-delta events per second (issue 15).

The emulator cannot write 150k+ events a second itself, so this measures the CLI, not
a server: a minimal loopback server in this process (127.0.0.1, port 0) answers the
three requests ``octavus run AGENT --message TEXT --json`` makes -- the agent by slug,
a new session, and the trigger. The agent answer is the emulator's own (started once
as a child process, ``examples/agents/support-chat`` synced into it, read back, the
emulator stopped), so ``run`` reads the real protocol and types the session input by
it. The trigger gets a pre-built event stream: start, the two blocks of the
``user-message`` handler, text-start, N ``text-delta`` events of one short word each,
text-end, block-end, finish, ``data: [DONE]``.

The CLI runs as fresh processes with stdout a pipe that this script reads to the end.
A long stream (``--events``, 200k deltas) and a tiny one (``--small``, 10 deltas)
alternate, ``--repeat`` rounds; the per-round time difference removes start-up and the
three requests, so

    events/s = (events - small) / median(long - tiny)

Each run's output is checked afterwards (not timed): one JSON line per event plus the
``cli-session`` line, the deltas in order, exit code 0.

Usage (from the repository root, in the project's virtualenv):

    python benchmarks/stream_bench.py                  # 200k deltas, 5 rounds
    python benchmarks/stream_bench.py --events 500000 --repeat 3 --json

Goal (issue 15, no regression): at least 150k events/s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.request import Request, urlopen

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BENCH_KEY, EXAMPLES, clean_env, emulator, our_cli

SUPPORT_CHAT = EXAMPLES / "support-chat"
SESSION_INPUT = {"COMPANY_NAME": "Acme", "PRODUCT_NAME": "Widget", "PLAN_TIER": "pro"}
SESSION_ID = "cmbenchstreamsession001"
EXECUTION_ID = "cmbenchstreamexecution1"
TEXT_ID = "txt_bench"
WORDS = ("The", " quick", " brown", " fox", " jumps", " over", " the", " lazy", " dog.")
GOAL = 150_000  # events per second
OTHER_EVENTS = 8  # start, block-start/-end x2, text-start, text-end, finish


def sse_body(deltas: int) -> bytes:
    """The trigger's whole event stream with ``deltas`` text deltas."""

    def frame(event: dict[str, Any]) -> str:
        return f"data: {json.dumps(event, separators=(',', ':'))}\n\n"

    block = f"block_{EXECUTION_ID}"
    head: list[dict[str, Any]] = [
        {"type": "start", "messageId": "msg_bench", "executionId": EXECUTION_ID,
         "sessionId": SESSION_ID},
        {"type": "block-start", "blockId": f"{block}_0", "blockName": "Add user message",
         "blockType": "add-message", "display": "hidden"},
        {"type": "block-end", "blockId": f"{block}_0"},
        {"type": "block-start", "blockId": f"{block}_1", "blockName": "Respond to user",
         "blockType": "next-message", "display": "stream", "outputToChat": True},
        {"type": "text-start", "id": TEXT_ID},
    ]  # fmt: skip
    tail: list[dict[str, Any]] = [
        {"type": "text-end", "id": TEXT_ID},
        {"type": "block-end", "blockId": f"{block}_1"},
        {"type": "finish", "finishReason": "stop", "executionId": EXECUTION_ID},
    ]
    assert len(head) + len(tail) == OTHER_EVENTS
    delta_frames = [frame({"type": "text-delta", "id": TEXT_ID, "delta": word}) for word in WORDS]
    parts = [frame(event) for event in head]
    parts += [delta_frames[index % len(WORDS)] for index in range(deltas)]
    parts += [frame(event) for event in tail]
    parts.append("data: [DONE]\n\n")
    return "".join(parts).encode()


def agent_answer() -> bytes:
    """The emulator's answer to the agent by slug, support-chat synced into it."""
    with emulator() as env:
        subprocess.run(
            [*our_cli(), "sync", str(SUPPORT_CHAT), "--quiet"], env=env, check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        request = Request(
            f"{env['OCTAVUS_API_URL']}/api/agents/support-chat?by=slug",
            headers={"Authorization": f"Bearer {BENCH_KEY}"},
        )
        with urlopen(request, timeout=30) as response:
            body: bytes = response.read()
            return body


@dataclass
class StreamServer:
    """Answers ``run``'s three requests; the trigger gets ``bodies[deltas]``."""

    agent: bytes
    bodies: dict[int, bytes]
    deltas: int = 0  # the stream the next trigger gets
    unexpected: list[str] = field(default_factory=list)


@contextmanager
def stream_server(state: StreamServer) -> Iterator[str]:
    """The server on 127.0.0.1 (a free port) in a thread; yields its URL; stops it."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _json(self, status: int, payload: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            path = self.path.split("?", 1)[0]
            if self.headers.get("Authorization") != f"Bearer {BENCH_KEY}":
                self._json(401, b'{"error": "Unauthorized", "code": "UNAUTHORIZED"}')
            elif self.command == "GET" and path in (
                "/api/agents/support-chat",
                f"/api/agents/{agent_id}",
            ):
                self._json(200, state.agent)
            elif self.command == "POST" and path == "/api/agent-sessions":
                self._json(200, json.dumps({"sessionId": SESSION_ID}).encode())
            elif self.command == "POST" and path == f"/api/agent-sessions/{SESSION_ID}/trigger":
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream; charset=utf-8")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                self.wfile.write(state.bodies[state.deltas])
            else:
                state.unexpected.append(f"{self.command} {self.path}")
                self._json(404, b'{"error": "Not found", "code": "NOT_FOUND"}')

        do_GET = do_POST = do_PATCH = do_DELETE = _handle

    class Server(ThreadingHTTPServer):
        daemon_threads = True

    agent_id = json.loads(state.agent)["id"]
    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class Run:
    deltas: int
    seconds: float
    code: int
    lines: int
    problem: str | None  # what is wrong with the output, if anything


def check_output(out: bytes, deltas: int) -> tuple[int, str | None]:
    """Lines written, and what is wrong with them (None: as expected)."""
    lines = out.decode().splitlines()
    expected = 1 + OTHER_EVENTS + deltas  # the cli-session line, then one line per event
    if len(lines) != expected:
        return len(lines), f"{len(lines)} lines, expected {expected}"
    events = [json.loads(line) for line in lines]
    if events[0].get("type") != "cli-session":
        return len(lines), f"first line is not cli-session: {lines[0][:80]}"
    got = [e.get("delta") for e in events if e.get("type") == "text-delta"]
    if got != [WORDS[index % len(WORDS)] for index in range(deltas)]:
        return len(lines), f"{len(got)} text deltas, not the {deltas} sent in order"
    return len(lines), None


def run_once(argv: list[str], env: dict[str, str], state: StreamServer, deltas: int) -> Run:
    """One fresh ``octavus run --json``, stdout read to the end; timed to its exit."""
    state.deltas = deltas
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out, err = process.communicate(timeout=300)
    seconds = time.perf_counter() - start
    lines, problem = check_output(out, deltas)
    if process.returncode != 0:
        problem = f"exit {process.returncode}: {err.decode(errors='replace').strip()[-300:]}"
    return Run(deltas, seconds, process.returncode, lines, problem)


def measure(events: int, small: int, repeat: int) -> tuple[list[Run], list[Run], list[str]]:
    state = StreamServer(agent_answer(), {events: sse_body(events), small: sse_body(small)})
    inputs = [part for name, value in SESSION_INPUT.items() for part in ("-i", f"{name}={value}")]
    argv = [*our_cli(), "run", "support-chat", "--message", "hi", *inputs, "--json"]
    long_runs: list[Run] = []
    tiny_runs: list[Run] = []
    with stream_server(state) as url:
        env = {**clean_env(), "OCTAVUS_API_URL": url, "OCTAVUS_API_KEY": BENCH_KEY}
        run_once(argv, env, state, small)  # warm-up: OS and bytecode caches
        run_once(argv, env, state, events)
        for _ in range(repeat):
            long_runs.append(run_once(argv, env, state, events))
            tiny_runs.append(run_once(argv, env, state, small))
    return long_runs, tiny_runs, state.unexpected


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=200_000, help="text deltas, long stream")
    parser.add_argument("--small", type=int, default=10, help="text deltas, tiny stream")
    parser.add_argument("--repeat", type=int, default=5, help="interleaved rounds")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    long_runs, tiny_runs, unexpected = measure(args.events, args.small, args.repeat)
    differences = [a.seconds - b.seconds for a, b in zip(long_runs, tiny_runs, strict=True)]
    difference = statistics.median(differences)
    rate = (args.events - args.small) / difference
    problems = sorted({r.problem for r in long_runs + tiny_runs if r.problem})
    problems += [f"unexpected request: {line}" for line in unexpected]
    rows = [(f"{args.events} text deltas", args.events, long_runs),
            (f"{args.small} text deltas", args.small, tiny_runs)]  # fmt: skip
    if args.json:
        print(json.dumps({
            "repeat": args.repeat,
            "runs": [{"deltas": deltas, "events": deltas + OTHER_EVENTS,
                      "lines": sorted({r.lines for r in runs}),
                      "exit_codes": sorted({r.code for r in runs}),
                      "median_s": statistics.median(r.seconds for r in runs),
                      "best_s": min(r.seconds for r in runs)}
                     for _, deltas, runs in rows],
            "difference_median_s": difference,
            "events_per_s": rate,
            "goal_events_per_s": GOAL,
            "problems": problems,
        }, indent=2))  # fmt: skip
    else:
        print(
            f"octavus run --json into a pipe, {args.repeat} interleaved rounds, "
            f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
        )
        print(f"{'stream':20} {'events':>8} {'lines':>8} {'exit':>5} {'median s':>9} {'best s':>7}")
        for label, deltas, runs in rows:
            lines = ",".join(str(n) for n in sorted({r.lines for r in runs}))
            codes = ",".join(str(c) for c in sorted({r.code for r in runs}))
            print(
                f"{label:20} {deltas + OTHER_EVENTS:8} {lines:>8} {codes:>5} "
                f"{statistics.median(r.seconds for r in runs):9.3f} "
                f"{min(r.seconds for r in runs):7.3f}"
            )
        print(f"{'difference (median of rounds)':44} {difference:9.3f}")
        print(f"events/s {rate:,.0f}  (goal >= {GOAL:,})")
        print("lines: one per event plus the cli-session line")
        for problem in problems:
            print(f"PROBLEM: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
