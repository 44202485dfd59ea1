"""Tools run by local commands: success, failure, timeout, no handler, echoes, 4 MiB."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from octavus_cli.session.tools import (
    MAX_CONTINUATION_BYTES,
    ProcessGroup,
    ToolCall,
    ToolCommand,
    ToolResult,
    ToolRunner,
    body_size,
    fit_results,
)
from tests.run.conftest import REQUIRED, Octavus, tool_command, write_script
from tests.support.cli import CliResult, run_cli

ORDER_CALL = '/call check-order-status {"orderId": "ORD-1"}'

REPORTING_TOOL = """\
import json, os, sys
args = json.load(sys.stdin)
print(json.dumps({
    "args": args,
    "tool": os.environ["OCTAVUS_TOOL_NAME"],
    "callId": os.environ["OCTAVUS_TOOL_CALL_ID"],
    "sawKey": any(name in os.environ for name in
                  ("OCTAVUS_API_KEY", "OCTAVUS_CLI_API_KEY", "OCTAVUS_AGENT_KEY")),
    "sawUrl": "OCTAVUS_API_URL" in os.environ,
}))
"""


def ask_for_order_status(octavus: Octavus, command: str | None, *extra: str) -> CliResult:
    """Send the message that makes the agent call check-order-status, answered by COMMAND."""
    handler = ["--tool", f"check-order-status={command}"] if command else []
    return octavus.run("support-chat", "-m", ORDER_CALL, *REQUIRED, *handler, *extra)


def continuation(octavus: Octavus, index: int = 0) -> dict[str, Any]:
    bodies = [r.body for r in octavus.posts() if "toolResults" in (r.body or {})]
    body: dict[str, Any] = bodies[index]
    return body


def test_a_tool_command_gets_args_on_stdin_and_its_stdout_is_the_result(
    octavus: Octavus, tmp_path: Path
) -> None:
    script = write_script(tmp_path, "order.py", REPORTING_TOOL)
    result = ask_for_order_status(octavus, tool_command(script), "--json")
    assert result.code == 0, result
    events = [json.loads(line) for line in result.stdout.splitlines()]
    [request] = [e for e in events if e["type"] == "tool-request"]
    call_id = request["toolCalls"][0]["toolCallId"]
    expected = {
        "args": {"orderId": "ORD-1"},
        "tool": "check-order-status",
        "callId": call_id,
        "sawKey": False,  # the CLI's keys are not handed to tool commands
        "sawUrl": True,  # the rest of the environment is
    }
    body = continuation(octavus)
    assert body["executionId"] == request.get("executionId", events[1]["executionId"])
    assert body["toolResults"] == [
        {"toolCallId": call_id, "toolName": "check-order-status", "result": expected}
    ]
    [produced] = [e for e in events if e["type"] == "cli-tool-result"]
    assert produced["result"] == expected
    assert produced["handler"] == "command"
    # the second stream follows the first; the run ends with a final finish
    finishes = [e["finishReason"] for e in events if e["type"] == "finish"]
    assert finishes == ["tool-calls", "stop"]
    text = "".join(e["delta"] for e in events if e["type"] == "text-delta")
    assert text.startswith("The tool check-order-status returned {")


def test_text_output_is_sent_as_text(octavus: Octavus) -> None:
    result = ask_for_order_status(octavus, "echo shipped")
    assert result.code == 0, result
    assert continuation(octavus)["toolResults"][0]["result"] == "shipped"
    assert result.stdout == 'The tool check-order-status returned "shipped".\n'


def test_a_failing_tool_sends_an_error_with_the_end_of_stderr(
    octavus: Octavus, tmp_path: Path
) -> None:
    script = write_script(
        tmp_path,
        "fail.py",
        "import sys\nfor i in range(50):\n    print(f'noise {i}', file=sys.stderr)\n"
        "print('database unreachable', file=sys.stderr)\nsys.exit(3)\n",
    )
    result = ask_for_order_status(octavus, tool_command(script))
    assert result.code == 0, result  # the agent goes on
    [entry] = continuation(octavus)["toolResults"]
    assert "result" not in entry
    assert entry["error"].startswith("The tool command exited with code 3; stderr ends with:")
    assert entry["error"].endswith("database unreachable")
    assert "noise 0\n" not in entry["error"]  # only the end of stderr
    assert "check-order-status: The tool command exited with code 3" in result.stderr
    assert result.stdout.startswith("The tool check-order-status failed:")


def test_a_tool_that_times_out_is_stopped_with_its_children(
    octavus: Octavus, tmp_path: Path
) -> None:
    script = write_script(
        tmp_path,
        "slow.py",
        "import subprocess, sys\nprint('starting', file=sys.stderr, flush=True)\n"
        f"subprocess.run([{sys.executable!r}, '-c', 'import time; time.sleep(30)'])\n",
    )
    started = time.monotonic()
    result = ask_for_order_status(octavus, tool_command(script), "--tool-timeout", "1")
    elapsed = time.monotonic() - started
    assert result.code == 0, result
    assert elapsed < 10, elapsed
    [entry] = continuation(octavus)["toolResults"]
    assert entry["error"].startswith("The tool command timed out after 1 s and was stopped")
    assert entry["error"].endswith("starting")


def test_a_tool_without_a_handler_gets_an_error_result(octavus: Octavus) -> None:
    result = ask_for_order_status(octavus, None)
    assert result.code == 0, result
    [entry] = continuation(octavus)["toolResults"]
    assert entry["error"].startswith("No handler is configured for the tool 'check-order-status'")
    assert "No handler for the tool check-order-status" in result.stderr
    assert "--tool check-order-status=COMMAND" in result.stderr


def test_tool_call_blocks_echo_output_variable_and_block_index(octavus: Octavus) -> None:
    result = octavus.run(
        "support-chat",
        "-t",
        "request-human",
        *REQUIRED,
        "--json",
        "--tool",
        """list-open-incidents=echo '["API outage"]'""",
        "--tool",
        """create-support-ticket=echo '{"ticketId": "TKT-1", "priority": "medium"}'""",
    )
    assert result.code == 0, result
    first, second = continuation(octavus, 0), continuation(octavus, 1)
    [incidents] = first["toolResults"]
    [ticket] = second["toolResults"]
    assert incidents["outputVariable"] == "OPEN_INCIDENTS"
    assert incidents["blockIndex"] == 1
    assert incidents["result"] == ["API outage"]
    assert ticket["outputVariable"] == "TICKET"
    assert ticket["blockIndex"] == 5
    session_id = json.loads(result.stdout.splitlines()[0])["sessionId"]
    variables = octavus.session(session_id)["variables"]
    assert variables["OPEN_INCIDENTS"] == ["API outage"]
    assert variables["TICKET"] == {"ticketId": "TKT-1", "priority": "medium"}


def test_an_oversized_result_is_shortened_under_4_mib(octavus: Octavus, tmp_path: Path) -> None:
    script = write_script(tmp_path, "big.py", "import sys\nsys.stdout.write('x' * (5 << 20))\n")
    result = ask_for_order_status(octavus, tool_command(script))
    assert result.code == 0, result
    body = continuation(octavus)
    sent = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    assert len(sent) < MAX_CONTINUATION_BYTES
    assert len(sent) > MAX_CONTINUATION_BYTES - 4096  # shortened, not emptied
    text = body["toolResults"][0]["result"]
    assert text.endswith("[... shortened by octavus run: the result was 5,242,880 bytes]")
    assert "was shortened to keep the continuation under 4 MiB" in result.stderr
    as_json = ask_for_order_status(octavus, tool_command(script), "--json")
    produced = [json.loads(line) for line in as_json.stdout.splitlines()]
    [line] = [e for e in produced if e["type"] == "cli-tool-result"]
    assert line["shortenedFrom"] == 5 << 20
    assert "warning: The result of check-order-status (5,242,880 bytes) was shortened" in (
        as_json.stderr
    )


# -- the runner and the size limit, directly ----------------------------------------------


def test_calls_of_one_request_run_concurrently(tmp_path: Path) -> None:
    script = write_script(
        tmp_path,
        "nap.py",
        "import json, sys, time\nargs = json.load(sys.stdin)\n"
        "time.sleep(0.8)\nprint(json.dumps(args['n']))\n",
    )
    command = ToolCommand("nap", (sys.executable, str(script)))
    calls = [ToolCall(f"c{n}", "nap", {"n": n}) for n in range(4)]
    calls.append(ToolCall("c9", "other", {}))
    started = time.monotonic()
    results = ToolRunner({"nap": command}, 30, None).run_all(calls)
    elapsed = time.monotonic() - started
    assert [r.result for r in results[:4]] == [0, 1, 2, 3]  # in call order
    assert results[4].handler == "none"
    assert elapsed < 2.4, elapsed  # four 0.8 s naps, not one after another


BLOCKING = "import sys, time\nsys.stdin.read()\ntime.sleep(600)\n"  # never answers


def test_a_tool_process_registered_after_an_interrupt_is_killed_at_once(tmp_path: Path) -> None:
    # Ctrl-C can land between a worker's Popen and its registration in the group.
    script = write_script(tmp_path, "block.py", BLOCKING)
    group = ProcessGroup()
    group.kill_all()
    process = subprocess.Popen([sys.executable, str(script)], start_new_session=True)
    group.add(process)
    assert process.wait(timeout=30) < 0  # killed by a signal, not left for its timeout
    group.reopen()  # the next round of tools starts processes again
    assert not group.stopped


def test_an_interrupt_while_tools_start_stops_them_without_waiting_for_their_timeout(
    tmp_path: Path,
) -> None:
    script = write_script(tmp_path, "block.py", BLOCKING)
    command = ToolCommand("block", (sys.executable, str(script)))

    def interrupt(_call: ToolCall) -> ToolResult:  # Ctrl-C while the command starts
        raise KeyboardInterrupt

    runner = ToolRunner({"block": command}, 600, interrupt)
    raised: list[BaseException] = []

    def run() -> None:
        try:
            runner.run_all([ToolCall("c1", "block", {}), ToolCall("c2", "ask", {})])
        except BaseException as exc:  # the interrupt is what we look for
            raised.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=30)  # an upper bound: the old code waited the tool's 600 s
    assert not worker.is_alive(), "run_all waited for the blocked tool after Ctrl-C"
    assert [type(exc) for exc in raised] == [KeyboardInterrupt]


def test_fit_results_shortens_the_largest_first() -> None:
    small = ToolResult(ToolCall("a", "t", {}), result={"ok": True})
    large = ToolResult(ToolCall("b", "t", {}, {"blockIndex": 2}), result=["é" * 1000] * 1000)
    fitted = fit_results("e1", [small, large], limit=200_000)
    assert fitted[0] == small
    assert fitted[1].shortened_from is not None
    assert body_size("e1", [r.to_wire() for r in fitted]) < 200_000
    assert fitted[1].to_wire()["blockIndex"] == 2
    assert fit_results("e1", [small]) == [small]


def test_a_tool_name_the_agent_does_not_have_gets_a_did_you_mean(octavus: Octavus) -> None:
    result = octavus.run("support-chat", "-m", "hi", *REQUIRED, "--tool", "chek-order-status=cat")
    assert result.code == 2, result
    assert (
        "--tool chek-order-status: the agent declares no tool 'chek-order-status' "
        '(did you mean "check-order-status"?)'
    ) in result.stderr
    assert '"check-order-status"' in result.stderr.split("Its tools:")[1]
    assert octavus.posts("/api/agent-sessions") == []  # nothing was started
    # Namespaced MCP tools are only known at run time: accepted.
    mcp = octavus.run("support-chat", "-m", "hi", *REQUIRED, "--tool", "github__list=cat")
    assert mcp.code == 0, mcp


def test_a_tool_command_gets_the_variables_of_the_env_file_but_no_key(
    octavus: Octavus, tmp_path: Path
) -> None:
    script = write_script(
        tmp_path,
        "order.py",
        "import json, os\n"
        'print(json.dumps({"setting": os.environ.get("ORDER_DB"),'
        ' "key": "OCTAVUS_API_KEY" in os.environ}))\n',
    )
    env_file = tmp_path / "tools.env"
    env_file.write_text("ORDER_DB=orders-from-env-file\n")
    result = run_cli(
        "--env",
        str(env_file),
        "run",
        "support-chat",
        "-m",
        ORDER_CALL,
        *REQUIRED,
        "--tool",
        f"check-order-status={tool_command(script)}",
        "--json",
        env=octavus.env(),
    )
    assert result.code == 0, result
    [produced] = [
        json.loads(line)
        for line in result.stdout.splitlines()
        if json.loads(line)["type"] == "cli-tool-result"
    ]
    assert produced["result"] == {"setting": "orders-from-env-file", "key": False}
