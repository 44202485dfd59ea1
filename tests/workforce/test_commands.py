"""`octavus workforce` end to end: the CLI as a subprocess against the emulator.

The emulator's workforce runs are pending 0.05 s and running 0.1 s; markers in the
message make a run fail (``[fail]``), get cancelled (``[cancel]``) or run for an hour
(``[slow]``). Every wait uses ``--poll-interval 0.05``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from octavus_cli.emulator import Emulator
from octavus_cli.emulator.testing import (
    TEST_OTHER_AGENT_KEY,
    TEST_WORKFORCE_AGENT_ID,
)
from tests.support.cli import CliResult, run_cli

AGENT = TEST_WORKFORCE_AGENT_ID
FAST = ("--poll-interval", "0.05")
THREADS = f"/api/v1/workforce/agents/{AGENT}/threads"


def workforce(env: dict[str, str], *args: str, **kwargs: Any) -> CliResult:
    return run_cli("workforce", *args, env=env, timeout=60, **kwargs)


def dispatch(env: dict[str, str], message: str) -> str:
    result = workforce(env, "dispatch", AGENT, message, "--quiet")
    assert result.code == 0, result
    return result.stdout.strip()


def bodies(emulator: Emulator, method: str, path: str) -> list[Any]:
    return [r.body for r in emulator.requests if r.method == method and r.path == path]


# -- run ---------------------------------------------------------------------------------


def test_run_completes_and_shows_the_answer(
    emulator: Emulator, emulator_env: dict[str, str]
) -> None:
    result = workforce(emulator_env, "run", AGENT, "Summarize the sales report", *FAST)
    assert result.code == 0, result
    assert result.stdout == "Task 1 complete. You asked: Summarize the sales report\n"
    assert "Dispatched to agent" in result.stderr
    assert "completed after" in result.stderr
    assert bodies(emulator, "POST", THREADS) == [{"message": "Summarize the sales report"}]
    # the status changes are lines in a log (no terminal here)
    assert "pending" in result.stderr or "running" in result.stderr


def test_run_quiet_prints_only_the_final_text(emulator_env: dict[str, str]) -> None:
    result = workforce(emulator_env, "run", AGENT, "Write a haiku", *FAST, "--quiet")
    assert result.code == 0, result
    assert result.stdout == "Task 1 complete. You asked: Write a haiku\n"
    assert result.stderr == ""


def test_run_json_prints_the_thread(emulator_env: dict[str, str]) -> None:
    result = workforce(emulator_env, "run", AGENT, "Count to three", *FAST, "--json")
    assert result.code == 0, result
    thread = result.json()
    assert thread["status"] == "completed"
    assert thread["failureReason"] is None
    assert [m["role"] for m in thread["messages"]] == ["user", "assistant"]
    assert thread["threadId"]


def test_run_reads_the_message_from_stdin(emulator: Emulator, emulator_env: dict[str, str]) -> None:
    task = "Review the spec below.\n\n## Spec\n- one\n- two\n"
    result = workforce(emulator_env, "run", AGENT, "-", *FAST, "--quiet", input=task)
    assert result.code == 0, result
    assert bodies(emulator, "POST", THREADS) == [{"message": task}]
    assert result.stdout.startswith("Task 1 complete. You asked: Review the spec")


def test_run_passes_files_through(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    files = [
        {"id": "file-1", "mediaType": "application/pdf", "url": "https://f.example/1"},
        {
            "id": "file-2",
            "mediaType": "image/png",
            "url": "https://f.example/2",
            "filename": "chart.png",
            "size": 1234,
        },
    ]
    path = tmp_path / "files.json"
    path.write_text(json.dumps(files), "utf-8")
    result = workforce(emulator_env, "run", AGENT, "Look at these", "--files", str(path), *FAST)
    assert result.code == 0, result
    assert bodies(emulator, "POST", THREADS) == [{"message": "Look at these", "files": files}]


def test_run_failed_exits_1_with_the_failure_reason(emulator_env: dict[str, str]) -> None:
    result = workforce(emulator_env, "run", AGENT, "Break [fail]", *FAST)
    assert result.code == 1, result
    assert "failed: The message asked for it" in result.stderr
    assert "The run failed" not in result.stderr
    assert result.stdout == ""


def test_run_writes_the_job_summary_only_to_the_summary_file(
    emulator_env: dict[str, str], tmp_path: Path
) -> None:
    summary = tmp_path / "summary.md"
    env = {**emulator_env, "GITHUB_STEP_SUMMARY": str(summary)}
    done = workforce(env, "run", AGENT, "Write a haiku", *FAST, "--quiet")
    assert done.code == 0, done
    assert done.stdout == "Task 1 complete. You asked: Write a haiku\n"
    failed = workforce(env, "run", AGENT, "Break [fail]", *FAST)
    assert failed.code == 1, failed
    text = summary.read_text(encoding="utf-8")
    first, second = text.split("### octavus workforce")[1:]
    assert "✅ Finished" in first
    assert "| Status | completed |" in first
    assert "Task 1 complete. You asked: Write a haiku" in first
    assert "❌ Failed" in second
    assert "| Failure | The message asked for it with the [fail] marker (emulator). |" in second


def test_run_failed_with_json_still_prints_the_thread(emulator_env: dict[str, str]) -> None:
    result = workforce(emulator_env, "run", AGENT, "Break [fail]", *FAST, "--json")
    assert result.code == 1, result
    thread = result.json()  # exactly one document on stdout
    assert thread["status"] == "failed"
    assert "[fail] marker" in thread["failureReason"]
    assert "[fail] marker" in result.stderr


def test_run_cancelled_exits_1(emulator_env: dict[str, str]) -> None:
    result = workforce(emulator_env, "run", AGENT, "Stop early [cancel]", *FAST)
    assert result.code == 1, result
    assert "was cancelled" in result.stderr


def test_run_timeout_exits_3_and_names_the_get_command(emulator_env: dict[str, str]) -> None:
    result = workforce(emulator_env, "run", AGENT, "Long [slow]", *FAST, "--timeout", "400ms")
    assert result.code == 3, result
    thread_id = result.stderr.split("thread ", 1)[1].split()[0]
    assert "Gave up waiting after" in result.stderr
    assert "is still running" in result.stderr
    assert f"octavus workforce get {AGENT} {thread_id}" in result.stderr


def test_the_command_to_run_later_keeps_the_env_file(
    emulator_env: dict[str, str], tmp_path: Path
) -> None:
    env_file = tmp_path / "agent env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in emulator_env.items()), "utf-8")
    result = run_cli(
        "--env", str(env_file), "workforce", "run", AGENT, "Long [slow]", *FAST, "--timeout", "0.1"
    )
    assert result.code == 3, result
    assert f"octavus --env '{env_file}' workforce get {AGENT} " in result.stderr


def test_run_timeout_with_json_is_one_error_document(emulator_env: dict[str, str]) -> None:
    result = workforce(
        emulator_env, "run", AGENT, "Long [slow]", *FAST, "--timeout", "0.3", "--json"
    )
    assert result.code == 3, result
    document = result.json()
    assert document["code"] == "TIMEOUT"
    assert document["threadStatus"] == "running"
    assert f"octavus workforce get {AGENT} {document['threadId']}" in document["error"]


def test_polling_goes_through_transient_503s(
    emulator: Emulator, emulator_env: dict[str, str]
) -> None:
    emulator.faults.retry_after = 0
    emulator.faults.path_prefix = THREADS + "/"  # the polls, not the dispatch
    emulator.faults.fail_first = 6  # two polls fail, each after the HTTP layer's 2 retries
    result = workforce(emulator_env, "run", AGENT, "Keep going", *FAST)
    assert result.code == 0, result
    assert result.stderr.count("Still waiting; next check in") == 2
    assert "HTTP 503" in result.stderr
    assert result.stdout.startswith("Task 1 complete.")
    gets = [r for r in emulator.requests if r.method == "GET"]
    assert [r.status for r in gets[:6]] == [503] * 6
    assert gets[-1].status == 200


def test_polling_goes_through_429s(emulator: Emulator, emulator_env: dict[str, str]) -> None:
    emulator.faults.retry_after = 0
    emulator.faults.path_prefix = THREADS + "/"
    emulator.faults.rate_limit_every = 2
    result = workforce(emulator_env, "run", AGENT, "Keep going", *FAST, "--quiet")
    assert result.code == 0, result
    assert result.stdout.startswith("Task 1 complete.")
    assert any(r.status == 429 for r in emulator.requests)


# -- dispatch, get, wait, follow-up ----------------------------------------------------


def test_dispatch_prints_the_thread_id(emulator: Emulator, emulator_env: dict[str, str]) -> None:
    human = workforce(emulator_env, "dispatch", AGENT, "Research competitors")
    assert human.code == 0, human
    quiet = workforce(emulator_env, "dispatch", AGENT, "Research competitors", "--quiet")
    as_json = workforce(emulator_env, "dispatch", AGENT, "Research competitors", "--json")
    thread_id = quiet.stdout.strip()
    assert quiet.stdout == f"{thread_id}\n"
    assert thread_id.startswith("cm")
    assert as_json.json() == {"threadId": as_json.json()["threadId"], "status": "pending"}
    assert f"Dispatched to agent {AGENT}: thread " in human.stdout
    assert f"octavus workforce wait {AGENT} " in human.stdout
    assert len(bodies(emulator, "POST", THREADS)) == 3


def test_get_shows_a_finished_thread(emulator_env: dict[str, str]) -> None:
    thread_id = dispatch(emulator_env, "Quick one")
    assert workforce(emulator_env, "wait", AGENT, thread_id, *FAST).code == 0
    result = workforce(emulator_env, "get", AGENT, thread_id)
    assert result.code == 0, result
    assert result.stdout == "Task 1 complete. You asked: Quick one\n"
    as_json = workforce(emulator_env, "get", AGENT, thread_id, "--json").json()
    assert as_json["threadId"] == thread_id
    assert as_json["status"] == "completed"


def test_get_of_a_running_thread_does_not_wait(emulator_env: dict[str, str]) -> None:
    thread_id = dispatch(emulator_env, "Long [slow]")
    result = workforce(emulator_env, "get", AGENT, thread_id)
    assert result.code == 0, result
    assert "The agent has not answered yet" in result.stderr
    assert f"octavus workforce wait {AGENT} {thread_id}" in result.stderr


def test_get_of_a_failed_thread_exits_1(emulator_env: dict[str, str]) -> None:
    thread_id = dispatch(emulator_env, "Break [fail]")
    assert workforce(emulator_env, "wait", AGENT, thread_id, *FAST).code == 1
    result = workforce(emulator_env, "get", AGENT, thread_id, "--quiet")
    assert result.code == 1, result
    assert "[fail] marker" in result.stderr


def test_wait_outcomes(emulator_env: dict[str, str]) -> None:
    done = dispatch(emulator_env, "Fine")
    slow = dispatch(emulator_env, "Long [slow]")
    completed = workforce(emulator_env, "wait", AGENT, done, *FAST, "--quiet")
    assert completed.code == 0, completed
    assert completed.stdout == "Task 1 complete. You asked: Fine\n"
    timed_out = workforce(emulator_env, "wait", AGENT, slow, *FAST, "--timeout", "0.2")
    assert timed_out.code == 3, timed_out
    assert f"octavus workforce get {AGENT} {slow}" in timed_out.stderr


def test_follow_up_without_wait_prints_the_thread(
    emulator: Emulator, emulator_env: dict[str, str]
) -> None:
    thread_id = dispatch(emulator_env, "First")
    result = workforce(emulator_env, "follow-up", AGENT, thread_id, "Second", "--json")
    assert result.code == 0, result
    assert result.json()["threadId"] == thread_id
    assert bodies(emulator, "POST", f"{THREADS}/{thread_id}/messages") == [{"message": "Second"}]


def test_follow_up_wait_shows_the_new_answer(emulator_env: dict[str, str]) -> None:
    thread_id = dispatch(emulator_env, "First")
    result = workforce(
        emulator_env, "follow-up", AGENT, thread_id, "-", "--wait", *FAST, input="Now a slide"
    )
    assert result.code == 0, result
    assert result.stdout == "Task 2 complete. You asked: Now a slide\n"  # not the first answer


def test_follow_up_wait_failed(emulator_env: dict[str, str]) -> None:
    thread_id = dispatch(emulator_env, "First")
    result = workforce(
        emulator_env, "follow-up", AGENT, thread_id, "Then break [fail]", "--wait", *FAST
    )
    assert result.code == 1, result
    assert "[fail] marker" in result.stderr


# -- errors that say what to do --------------------------------------------------------


def test_401_names_the_variable_and_where_keys_come_from(emulator_env: dict[str, str]) -> None:
    env = {**emulator_env, "OCTAVUS_AGENT_KEY": "test-wrong-key"}
    result = workforce(env, "dispatch", AGENT, "Hello")
    assert result.code == 1, result
    assert "rejected the key from OCTAVUS_AGENT_KEY (HTTP 401: Invalid API key)" in result.stderr
    assert "Settings → API" in result.stderr
    assert "test-wrong-key" not in result.stderr


def test_402_says_the_limit_blocks_the_agent(
    emulator: Emulator, emulator_env: dict[str, str]
) -> None:
    emulator.block_agent(AGENT)
    result = workforce(emulator_env, "run", AGENT, "Hello", *FAST)
    assert result.code == 1, result
    assert f"Agent {AGENT} is blocked by a usage or spending limit (HTTP 402" in result.stderr
    assert "Raise the limit" in result.stderr
    assert "nothing was dispatched" in result.stderr


def test_403_for_another_agents_key(emulator_env: dict[str, str]) -> None:
    env = {**emulator_env, "OCTAVUS_AGENT_KEY": TEST_OTHER_AGENT_KEY}
    result = workforce(env, "run", AGENT, "Hello", *FAST)
    assert result.code == 1, result
    assert f"not a key for agent {AGENT} (HTTP 403" in result.stderr
    assert "OCTAVUS_AGENT_KEY is a key for a different agent" in result.stderr
    assert "Settings → API" in result.stderr


def test_403_for_a_project_key(emulator_env: dict[str, str]) -> None:
    env = {k: v for k, v in emulator_env.items() if k != "OCTAVUS_AGENT_KEY"}
    result = workforce(env, "dispatch", AGENT, "Hello", "--json")
    assert result.code == 1, result
    document = result.json()
    assert document["status"] == 403
    assert "not a project key from OCTAVUS_API_KEY" in document["hint"]


def test_404_for_an_unknown_thread(emulator_env: dict[str, str]) -> None:
    result = workforce(emulator_env, "wait", AGENT, "cmnosuchthread", *FAST)
    assert result.code == 1, result
    assert f"Thread cmnosuchthread not found for agent {AGENT}" in result.stderr
    assert "octavus workforce dispatch" in result.stderr


def test_path_segments_are_encoded(emulator: Emulator, emulator_env: dict[str, str]) -> None:
    result = workforce(emulator_env, "get", AGENT, "../../agents", "--json")
    assert result.code == 1, result
    assert result.json()["code"] == "NOT_FOUND"
    # one segment: the slashes are encoded, so the request cannot leave the thread path
    assert emulator.requests[-1].path == f"{THREADS}/..%2F..%2Fagents"


def test_dispatch_503s_are_resent_then_reported(
    emulator: Emulator, emulator_env: dict[str, str]
) -> None:
    emulator.faults.retry_after = 0
    emulator.faults.fail_first = 3  # 503 means "not processed", so a POST may be resent
    result = workforce(emulator_env, "run", AGENT, "Hello", *FAST)
    assert result.code == 1, result
    assert "after 3 attempts" in result.stderr
    assert [r.status for r in emulator.requests] == [503, 503, 503]


def test_a_failure_reason_that_repeats_the_run_failed_is_not_doubled() -> None:
    import pytest

    from octavus_cli.commands.workforce import outcome
    from octavus_cli.errors import RunFailed

    thread = {"status": "failed", "failureReason": "The run failed: model overloaded"}
    with pytest.raises(RunFailed, match=r"^Thread th_1 failed: Model overloaded$"):
        outcome(thread, AGENT, "th_1")
