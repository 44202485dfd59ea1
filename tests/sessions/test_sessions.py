"""`octavus sessions show|messages|logs|clear|export|restore` against the emulator."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.run.conftest import tool_command, write_script
from tests.sessions.conftest import Sessions

ORDER_CALL = '/call check-order-status {"orderId": "ORD-1"}'
TOOL = 'import json, sys; json.load(sys.stdin); print(json.dumps({"status": "shipped"}))\n'


def test_export_clear_restore_then_run_goes_on_with_the_history(
    octavus: Sessions, tmp_path: Path
) -> None:
    session_id = octavus.new_session("-m", "First question")
    exported = octavus.cli("export", session_id)
    assert exported.code == 0, exported
    document = exported.json()
    assert document["sessionId"] == session_id
    assert document["input"]["COMPANY_NAME"] == "Acme"
    export_file = tmp_path / "session.json"
    export_file.write_text(exported.stdout, encoding="utf-8")

    cleared = octavus.cli("clear", session_id, "--json")
    assert cleared.code == 0, cleared
    assert cleared.json() == {"sessionId": session_id, "cleared": True}
    again = octavus.cli("clear", session_id)  # idempotent
    assert again.code == 0, again
    assert f"Cleared: {session_id}" in again.stdout

    expired = octavus.cli("show", session_id)
    assert expired.code == 0, expired
    assert f"Session {session_id} has expired" in expired.stderr
    assert f"octavus sessions restore {session_id} --from FILE" in expired.stderr

    restored = octavus.cli("restore", session_id, "--from", str(export_file), "--json")
    assert restored.code == 0, restored
    assert restored.json() == {"sessionId": session_id, "restored": True}
    assert octavus.posts("/restore")[-1].body["input"]["COMPANY_NAME"] == "Acme"

    follow_up = octavus.run("support-chat", "--session", session_id, "-m", "Second question")
    assert follow_up.code == 0, follow_up
    messages = octavus.cli("messages", session_id)
    assert messages.code == 0, messages
    text = messages.stdout
    assert text.index("First question") < text.index("Second question")
    assert "Assistant:\nYou said: First question" in text
    assert text.rstrip().endswith("You said: Second question")


def test_restore_of_an_active_session_changes_nothing(octavus: Sessions, tmp_path: Path) -> None:
    session_id = octavus.new_session("-m", "hi")
    export_file = tmp_path / "s.json"
    export_file.write_text(octavus.cli("export", session_id).stdout, encoding="utf-8")
    result = octavus.cli("restore", session_id, "--from", str(export_file))
    assert result.code == 0, result
    assert f"Session {session_id} is active; nothing was restored" in result.stderr


def test_logs_list_trigger_tool_call_and_answer_in_order_with_durations(
    octavus: Sessions, tmp_path: Path
) -> None:
    script = write_script(tmp_path, "tool.py", TOOL)
    session_id = octavus.new_session(
        "-m", ORDER_CALL, "--tool", f"check-order-status={tool_command(script)}"
    )
    human = octavus.cli("logs", session_id)
    assert human.code == 0, human
    kinds = [line.split()[1] for line in human.stdout.splitlines()]
    assert kinds == [
        "trigger",
        "model-request",
        "tool-call",
        "tool-result",
        "llm-response",
    ]
    lines = human.stdout.splitlines()
    assert "user-message" in lines[0]
    assert "check-order-status" in lines[2]
    assert lines[2].rstrip().endswith(" s)")  # the tool call's duration
    assert "The tool check-order-status returned" in lines[4]

    as_json = octavus.cli("logs", session_id, "--json", "--no-model-requests")
    assert as_json.code == 0, as_json
    doc = as_json.json()
    entries = doc["entries"]
    assert [e["type"] for e in entries] == ["trigger", "tool-call", "tool-result", "llm-response"]
    assert entries[1]["toolArguments"] == {"orderId": "ORD-1"}
    assert entries[1]["durationMs"] >= 0
    assert entries[2]["toolResult"] == {"status": "shipped"}
    assert octavus.emulator.requests[-1].query == {"excludeModelRequests": "true"}


def test_show_prints_status_input_and_variables(octavus: Sessions) -> None:
    session_id = octavus.new_session("-m", "hi")
    human = octavus.cli("show", session_id)
    assert human.code == 0, human
    assert f"Session {session_id} (active)" in human.stdout
    assert "COMPANY_NAME: Acme" in human.stdout
    as_json = octavus.cli("show", session_id, "--json").json()
    assert as_json["status"] == "active"
    assert as_json["agentId"] == octavus.support_chat.id
    assert as_json["input"]["PLAN_TIER"] == "pro"


def test_messages_json_are_the_ui_messages(octavus: Sessions) -> None:
    session_id = octavus.new_session("-m", "hello there")
    doc = octavus.cli("messages", session_id, "--json").json()
    assert doc["sessionId"] == session_id
    assert [m["role"] for m in doc["messages"]] == ["user", "assistant"]
    assert octavus.emulator.requests[-1].query == {"format": "ui"}


def test_expired_sessions_say_how_to_restore_with_exit_1(octavus: Sessions) -> None:
    session_id = octavus.new_session("-m", "hi")
    assert octavus.cli("clear", session_id, "--yes").code == 0
    human = octavus.cli("logs", session_id)
    assert human.code == 1, human
    assert f"Session {session_id} has expired" in human.stderr
    assert "octavus sessions restore" in human.stderr
    for command in ("messages", "export"):
        as_json = octavus.cli(command, session_id, "--json")
        assert as_json.code == 1
        assert as_json.json()["code"] == "SESSION_EXPIRED"
    assert octavus.cli("show", session_id, "--json").json()["status"] == "expired"


def test_unknown_session_is_not_found(octavus: Sessions) -> None:
    for command in ("show", "clear"):
        result = octavus.cli(command, "cmnosuchsession", "--json")
        assert result.code == 1, result
        assert result.json()["code"] == "NOT_FOUND"


def test_restore_checks_the_file_before_any_request(octavus: Sessions, tmp_path: Path) -> None:
    missing = octavus.cli("restore", "cmabc", "--from", str(tmp_path / "none.json"), "--json")
    assert missing.code == 2
    assert missing.json()["code"] == "CONFIG_ERROR"
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"sessionId": "cmother", "messages": []}), encoding="utf-8")
    wrong = octavus.cli("restore", "cmabc", "--from", str(other))
    assert wrong.code == 2
    assert "is an export of session cmother" in wrong.stderr
    not_json = tmp_path / "bad.json"
    not_json.write_text("{", encoding="utf-8")
    assert octavus.cli("restore", "cmabc", "--from", str(not_json)).code == 2
    assert octavus.emulator.requests == []


def test_every_session_request_sends_the_sdk_version(octavus: Sessions) -> None:
    session_id = octavus.new_session("-m", "hi")
    octavus.cli("logs", session_id)
    session_calls = [r for r in octavus.emulator.requests if "/agent-sessions" in r.path]
    assert session_calls
    assert {r.sdk_version for r in session_calls} == {"4"}
    assert {r.trace for r in session_calls} == {None}


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_clear_asks_on_a_terminal_and_no_keeps_the_session(octavus: Sessions) -> None:
    from tests.management.conftest import run_on_terminal

    session_id = octavus.new_session("-m", "hi")
    code, output = run_on_terminal(["sessions", "clear", session_id], octavus.env(), "n")
    assert code == 1, output
    assert f"Clear session {session_id}?" in output
    assert f"Not cleared: {session_id}" in output
    assert not [r for r in octavus.emulator.requests if r.method == "DELETE"]
    code, output = run_on_terminal(["sessions", "clear", session_id], octavus.env(), "y")
    assert code == 0, output
    assert octavus.session(session_id)["status"] == "expired"
