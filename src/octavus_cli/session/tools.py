"""Tool calls run by local commands, and the continuation body that reports them.

The command contract (``--tool NAME=COMMAND``): COMMAND is split like a shell
would split it but runs without a shell; it gets the call's arguments as JSON
on stdin and ``OCTAVUS_TOOL_NAME`` / ``OCTAVUS_TOOL_CALL_ID`` in its
environment (the CLI's own API key variables are removed). Its stdout is the
result: JSON when it parses, else the text. A non-zero exit or a timeout gives
an error result carrying the end of stderr, so the agent can go on.

The calls of one ``tool-request`` run concurrently. A tool without a handler is
asked for on a terminal (a JSON result typed by the user); elsewhere it gets an
error result saying that no handler was configured.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TextIO

from octavus_cli.config import KEY_VARIABLES
from octavus_cli.errors import ConfigError
from octavus_cli.records import field, record, replace

ECHO_FIELDS = ("outputVariable", "blockIndex", "thread", "workerId")
MAX_CONTINUATION_BYTES = 4 * 1024 * 1024
STDERR_TAIL_CHARS = 2000
STDERR_TAIL_LINES = 20
MAX_WORKERS = 8
KILL_GRACE_SECONDS = 5.0
SHORTEN_SLACK = 256  # room for the marker appended to a shortened result
TOOL_NAME_VARIABLE = "OCTAVUS_TOOL_NAME"
TOOL_CALL_ID_VARIABLE = "OCTAVUS_TOOL_CALL_ID"


@record
class ToolCall:
    """One call of a ``tool-request`` event."""

    tool_call_id: str
    tool_name: str
    args: Any
    echo: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_event(cls, raw: Any) -> ToolCall | None:
        if not isinstance(raw, Mapping):
            return None
        call_id, name = raw.get("toolCallId"), raw.get("toolName")
        if not isinstance(call_id, str) or not isinstance(name, str):
            return None
        args = raw.get("args", raw.get("input", {}))
        echo = {key: raw[key] for key in ECHO_FIELDS if raw.get(key) is not None}
        return cls(call_id, name, {} if args is None else args, echo)


@record
class ToolResult:
    call: ToolCall
    result: Any = None
    error: str | None = None
    handler: str = "command"  # command | prompt | none
    shortened_from: int | None = None  # bytes of the result before it was shortened

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_wire(self) -> dict[str, Any]:
        """One entry of the continuation's ``toolResults``."""
        entry: dict[str, Any] = {
            "toolCallId": self.call.tool_call_id,
            "toolName": self.call.tool_name,
        }
        if self.error is not None:
            entry["error"] = self.error
        else:
            entry["result"] = self.result
        entry.update(self.call.echo)
        return entry

    def to_event(self) -> dict[str, Any]:
        """The NDJSON line ``--json`` prints for a result the CLI produced."""
        event = {"type": "cli-tool-result", "handler": self.handler, **self.to_wire()}
        if self.shortened_from is not None:
            event["shortenedFrom"] = self.shortened_from
        return event


@record
class ToolCommand:
    name: str
    argv: tuple[str, ...]

    @classmethod
    def parse(cls, spec: str) -> ToolCommand:
        """``NAME=COMMAND``: COMMAND split like a shell would split it (no shell runs it)."""
        name, sep, command = spec.partition("=")
        name = name.strip()
        if not sep or not name or not command.strip():
            raise ConfigError(
                f"--tool {spec!r} is not NAME=COMMAND",
                hint="For example: --tool check-order-status='./tools/order-status.sh --json'",
            )
        try:
            argv = tuple(shlex.split(command, posix=os.name != "nt"))
        except ValueError as exc:
            raise ConfigError(f"--tool {name}: cannot split the command: {exc}") from None
        if shutil.which(argv[0]) is None:
            raise ConfigError(
                f"--tool {name}: command not found: {argv[0]}",
                hint="Give a program on PATH or a path to an executable file.",
            )
        return cls(name, argv)


def parse_tool_commands(specs: Iterable[str]) -> dict[str, ToolCommand]:
    commands: dict[str, ToolCommand] = {}
    for spec in specs:
        command = ToolCommand.parse(spec)
        if command.name in commands:
            raise ConfigError(f"--tool {command.name} is given twice")
        commands[command.name] = command
    return commands


def tool_environment(call: ToolCall, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """``base`` (the settings' environment; default this process's) without the API keys."""
    secret = {name for names in KEY_VARIABLES.values() for name in names}
    source = os.environ if base is None else base
    env = {key: value for key, value in source.items() if key not in secret}
    env[TOOL_NAME_VARIABLE] = call.tool_name
    env[TOOL_CALL_ID_VARIABLE] = call.tool_call_id
    return env


def stderr_tail(text: str) -> str:
    lines = text.strip().splitlines()[-STDERR_TAIL_LINES:]
    tail = "\n".join(lines)
    return tail[-STDERR_TAIL_CHARS:]


def result_from_stdout(stdout: str) -> Any:
    """JSON when the output parses as JSON, else the text without its trailing newline."""
    try:
        return json.loads(stdout)
    except json.JSONDecodeError:
        return stdout.rstrip("\r\n")


class ProcessGroup:
    """The tool processes alive right now, so an interrupt can stop them all.

    After :meth:`kill_all` the group stays stopped until :meth:`reopen` (the next tool
    round): a process a worker thread starts after the interrupt, or registers just
    after it, is killed at once. Without that, Ctrl-C between ``Popen`` and :meth:`add`
    left a tool running, and the interrupted command waited for its whole timeout.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._live: set[subprocess.Popen[bytes]] = set()
        self._stopped = False

    @property
    def stopped(self) -> bool:
        with self._lock:
            return self._stopped

    def reopen(self) -> None:
        """A new round of tool calls may start processes again."""
        with self._lock:
            self._stopped = False

    def add(self, process: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._live.add(process)
            stopped = self._stopped
        if stopped:
            kill_tree(process)

    def discard(self, process: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._live.discard(process)

    def kill_all(self) -> None:
        with self._lock:
            self._stopped = True
            live = list(self._live)
        for process in live:
            kill_tree(process)


def kill_tree(process: subprocess.Popen[bytes]) -> None:
    """Kill the process and (on POSIX) its process group, children included."""
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except (ProcessLookupError, PermissionError, OSError):
        pass


def run_tool_command(
    command: ToolCommand,
    call: ToolCall,
    timeout: float,
    group: ProcessGroup,
    env: Mapping[str, str] | None = None,
) -> ToolResult:
    """Run ``command`` for ``call``; every failure becomes an error result."""
    payload = json.dumps(call.args, ensure_ascii=False).encode("utf-8")
    label = shlex.join(command.argv) if os.name == "posix" else " ".join(command.argv)
    if group.stopped:
        return ToolResult(call, error="The tool command was not started: the run was stopped")
    try:
        process = subprocess.Popen(
            list(command.argv),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=tool_environment(call, env),
            start_new_session=os.name == "posix",
        )
    except OSError as exc:
        return ToolResult(call, error=f"Could not start the tool command {label!r}: {exc}")
    group.add(process)
    try:
        try:
            stdout, stderr = process.communicate(payload, timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_tree(process)
            try:
                _, stderr = process.communicate(timeout=KILL_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                stderr = b""
            tail = stderr_tail(stderr.decode("utf-8", errors="replace"))
            return ToolResult(
                call,
                error=f"The tool command timed out after {timeout:g} s and was stopped"
                + (f"; stderr ends with:\n{tail}" if tail else ""),
            )
    finally:
        group.discard(process)
    if process.returncode != 0:
        tail = stderr_tail(stderr.decode("utf-8", errors="replace"))
        how = (
            f"was killed by signal {-process.returncode}"
            if process.returncode < 0
            else f"exited with code {process.returncode}"
        )
        return ToolResult(
            call,
            error=f"The tool command {how}" + (f"; stderr ends with:\n{tail}" if tail else ""),
        )
    return ToolResult(call, result=result_from_stdout(stdout.decode("utf-8", errors="replace")))


def no_handler_result(call: ToolCall) -> ToolResult:
    return ToolResult(
        call,
        error=f"No handler is configured for the tool {call.tool_name!r} in this octavus run "
        f"(the operator can add --tool {call.tool_name}=COMMAND). Go on without its result.",
        handler="none",
    )


@record(frozen=False)
class TerminalPrompt:
    """Asks the person at the terminal for the result of a tool without a handler."""

    stdin: TextIO
    stderr: TextIO

    def __call__(self, call: ToolCall) -> ToolResult:
        args = json.dumps(call.args, ensure_ascii=False)
        self.stderr.write(
            f"\nThe agent calls the tool {call.tool_name} with {args}\n"
            "No --tool handler was given for it. Type its result as JSON on one line "
            "(an empty line sends an error instead):\n"
        )
        while True:
            self.stderr.write(f"{call.tool_name} result> ")
            self.stderr.flush()
            line = self.stdin.readline()
            if not line.strip():
                return ToolResult(
                    call,
                    error="The operator gave no result for this tool call.",
                    handler="prompt",
                )
            try:
                return ToolResult(call, result=json.loads(line), handler="prompt")
            except json.JSONDecodeError as exc:
                self.stderr.write(f"That is not JSON ({exc.msg}); try again.\n")


class ToolRunner:
    """Runs the calls of one tool request: commands concurrently, prompts in turn."""

    def __init__(
        self,
        commands: Mapping[str, ToolCommand],
        timeout: float,
        ask: Callable[[ToolCall], ToolResult] | None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.commands = dict(commands)
        self.env = env  # the environment tool processes start from (None: this process's)
        self.timeout = timeout
        self.ask = ask
        self.processes = ProcessGroup()

    def run_all(self, calls: list[ToolCall]) -> list[ToolResult]:
        """One result per call, in the order of the calls."""
        results: list[ToolResult | None] = [None] * len(calls)
        pending: list[tuple[int, Future[ToolResult]]] = []
        workers = max(1, min(MAX_WORKERS, sum(c.tool_name in self.commands for c in calls)))
        self.processes.reopen()
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="octavus-tool") as pool:
            try:
                for index, call in enumerate(calls):
                    command = self.commands.get(call.tool_name)
                    if command is not None:
                        future = pool.submit(
                            run_tool_command, command, call, self.timeout, self.processes, self.env
                        )
                        pending.append((index, future))
                for index, call in enumerate(calls):
                    if call.tool_name not in self.commands:
                        results[index] = self.ask(call) if self.ask else no_handler_result(call)
                for index, future in pending:
                    results[index] = future.result()
            except BaseException:
                self.processes.kill_all()
                raise
        return [r for r in results if r is not None]


# -- the continuation body --------------------------------------------------------------


def body_size(execution_id: str, entries: list[dict[str, Any]]) -> int:
    """An upper bound of the encoded size (ASCII escapes, spaced separators)."""
    return len(json.dumps({"executionId": execution_id, "toolResults": entries}).encode())


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _shortened(item: ToolResult, keep: int, original: int) -> ToolResult:
    value = item.error if item.error is not None else item.result
    text = _as_text(value)[: max(0, keep)]
    text += f"\n[... shortened by octavus run: the result was {original:,} bytes]"
    if item.error is not None:
        return replace(item, error=text, shortened_from=original)
    return replace(item, result=text, shortened_from=original)


def fit_results(
    execution_id: str, results: list[ToolResult], limit: int = MAX_CONTINUATION_BYTES
) -> list[ToolResult]:
    """Shorten the largest results until the continuation body is under ``limit`` bytes.

    Every character of a cut text takes at least one byte, so cutting ``excess``
    characters from the largest entry gets at least that close; a value that was
    not text grows a little when it becomes text, so this repeats until it fits.
    """
    fitted = list(results)
    for _ in range(8 * len(fitted) + 8):
        entries = [r.to_wire() for r in fitted]
        excess = body_size(execution_id, entries) - limit + 1
        if excess <= 0:
            return fitted
        sizes = [len(json.dumps(e).encode()) for e in entries]
        index = max(range(len(fitted)), key=sizes.__getitem__)
        item = fitted[index]
        value = item.error if item.error is not None else item.result
        text = _as_text(value)
        original = item.shortened_from or len(text.encode("utf-8"))
        fitted[index] = _shortened(item, len(text) - excess - SHORTEN_SLACK, original)
    raise ConfigError(
        "The tool results cannot be made small enough for one continuation (4 MiB)",
        hint="Make the tool commands print smaller results.",
    )


def stdin_is_terminal() -> bool:
    try:
        return sys.stdin.isatty() and sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
