"""One message, piped stdin, --session reuse, --json, rendering of events."""

from __future__ import annotations

import json

from tests.run.conftest import REQUIRED, SUPPORT_CHAT_DIR, Octavus


def test_one_message_streams_the_answer_to_stdout(octavus: Octavus) -> None:
    result = octavus.run("support-chat", "-m", "Where is my order?", *REQUIRED)
    assert result.code == 0, result
    assert result.stdout == "You said: Where is my order?\n"
    created = octavus.posts("/api/agent-sessions")
    assert len(created) == 1
    assert created[0].body == {
        "agentId": octavus.support_chat.id,
        "input": {"COMPANY_NAME": "Acme", "PRODUCT_NAME": "Widget", "PLAN_TIER": "pro"},
    }
    [trigger] = octavus.posts()
    assert trigger.body == {
        "triggerName": "user-message",
        "input": {"USER_MESSAGE": "Where is my order?"},
    }
    session_id = trigger.path.split("/")[3]
    assert f"New session {session_id}" in result.stderr


def test_piped_stdin_is_the_message(octavus: Octavus) -> None:
    result = octavus.run(str(SUPPORT_CHAT_DIR), *REQUIRED, input="Is the API down?\n")
    assert result.code == 0, result
    assert result.stdout == "You said: Is the API down?\n"
    assert octavus.posts()[0].body["input"] == {"USER_MESSAGE": "Is the API down?"}


def test_agent_by_id_and_by_slug(octavus: Octavus) -> None:
    by_id = octavus.run(octavus.legacy.id, "-m", "hi", "-i", "COMPANY_NAME=Acme")
    by_slug = octavus.run("resources-legacy", "-m", "hi", "-i", "COMPANY_NAME=Acme")
    assert by_id.code == by_slug.code == 0
    assert by_id.stdout == by_slug.stdout == "You said: hi\n"
    agent_ids = {r.body["agentId"] for r in octavus.posts("/api/agent-sessions")}
    assert agent_ids == {octavus.legacy.id}


def test_unknown_agent(octavus: Octavus) -> None:
    result = octavus.run("no-such-agent", "-m", "hi")
    assert result.code == 1
    assert "No agent with the id or slug 'no-such-agent'" in result.stderr
    assert octavus.posts("/api/agent-sessions") == []


def test_folder_not_synced_says_to_sync(octavus: Octavus, tmp_path: object) -> None:
    from tests.run.conftest import ROOT

    folder = ROOT / "examples" / "agents" / "minimal-chat"
    result = octavus.run(str(folder), "-m", "hi")
    assert result.code == 1
    assert f"Upload it first: octavus sync {folder}" in result.stderr


def test_json_lines_each_parse_and_carry_the_events(octavus: Octavus) -> None:
    result = octavus.run("support-chat", "-m", "hello world", *REQUIRED, "--json")
    assert result.code == 0, result
    events = [json.loads(line) for line in result.stdout.splitlines()]
    types = [e["type"] for e in events]
    assert types[0] == "cli-session"
    assert types[1] == "start"
    assert types[-1] == "finish"
    assert events[-1]["finishReason"] == "stop"
    assert {"block-start", "text-start", "text-delta", "text-end", "block-end"} <= set(types)
    text = "".join(e["delta"] for e in events if e["type"] == "text-delta")
    assert text == "You said: hello world"
    assert events[0]["sessionId"] == events[1]["sessionId"]
    assert result.stderr == ""


def test_session_is_reused(octavus: Octavus) -> None:
    first = octavus.run("support-chat", "-m", "first", *REQUIRED, "--json")
    session_id = json.loads(first.stdout.splitlines()[0])["sessionId"]
    second = octavus.run("support-chat", "--session", session_id, "-m", "second")
    assert second.code == 0, second
    assert second.stdout == "You said: second\n"
    assert f"Session {session_id}" in second.stderr
    assert len(octavus.posts("/api/agent-sessions")) == 1
    assert [r.path for r in octavus.posts()] == [f"/api/agent-sessions/{session_id}/trigger"] * 2
    users = [m for m in octavus.session(session_id)["messages"] if m["role"] == "user"]
    assert len(users) == 2


def test_unknown_session(octavus: Octavus) -> None:
    result = octavus.run("support-chat", "--session", "no-such-session", "-m", "hi")
    assert result.code == 1
    assert "Not found: session 'no-such-session'" in result.stderr
    assert "start a new session: octavus run support-chat without --session" in result.stderr


def test_session_of_another_agent(octavus: Octavus) -> None:
    first = octavus.run("resources-legacy", "-m", "x", "-i", "COMPANY_NAME=A", "--json")
    session_id = json.loads(first.stdout.splitlines()[0])["sessionId"]
    result = octavus.run("support-chat", "--session", session_id, "-m", "hi")
    assert result.code == 2
    assert f"belongs to agent {octavus.legacy.id}, not to support-chat" in result.stderr


def test_error_event_shows_type_and_message_and_exits_1(octavus: Octavus) -> None:
    result = octavus.run("support-chat", "-m", "/error the model broke", *REQUIRED)
    assert result.code == 1, result
    assert "provider_error: the model broke" in result.stderr
    assert result.stdout == ""


def test_reasoning_only_with_show_reasoning(octavus: Octavus) -> None:
    hidden = octavus.run("support-chat", "-m", "/think hello", *REQUIRED)
    shown = octavus.run("support-chat", "-m", "/think hello", *REQUIRED, "--show-reasoning")
    assert hidden.stdout == shown.stdout == "You said: hello\n"
    assert "thinking:" not in hidden.stderr
    assert "thinking: The user wrote: hello. I will answer it." in shown.stderr


def test_resource_updates_are_shown(octavus: Octavus) -> None:
    result = octavus.run("resources-legacy", "-t", "end-chat", "-i", "COMPANY_NAME=Acme")
    assert result.code == 0, result
    assert "resource CONVERSATION_SUMMARY = [summary] You said:" in result.stderr
    assert result.stdout == ""  # the summary block is hidden


def test_block_and_tool_display_modes(octavus: Octavus) -> None:
    result = octavus.run(
        "support-chat", "-m", '/call check-order-status {"orderId": "ORD-1"}', *REQUIRED
    )
    assert "⚙ check-order-status" in result.stderr  # display: name
    titled = octavus.run("support-chat", "-m", '/call get-user-account {"userId": "u"}', *REQUIRED)
    assert "⚙ Looking up your account (get-user-account)" in titled.stderr  # display: title
    assert '"userId"' not in titled.stderr  # title hides the arguments
    hidden = octavus.run(
        "support-chat",
        "-m",
        '/call set-chat-title {"title": "T"}',
        *REQUIRED,
        "--tool",
        "set-chat-title=true",
    )
    assert hidden.code == 0, hidden
    assert "set-chat-title" not in hidden.stderr  # display: hidden
    streamed = octavus.run(
        "support-chat",
        "-m",
        '/call request-refund {"refund": {"orderId": "O"}}',
        *REQUIRED,
        "--tool",
        """request-refund=echo '{"refundId": "R1"}'""",
    )
    # display: stream shows the arguments and the result
    assert '⚙ request-refund {"refund": {"orderId": "O"}}' in streamed.stderr
    assert '↳ {"refundId": "R1"}' in streamed.stderr
    handoff = octavus.run("support-chat", "-t", "request-human", *REQUIRED)
    assert "▸ Preparing your hand-off" in handoff.stderr  # block display: title
    assert "▸ [summary] Summarizing your conversation" in handoff.stderr  # a side thread
    assert "Add user message" not in handoff.stderr  # hidden blocks show nothing


def test_a_worker_agent_is_refused_with_a_pointer(octavus: Octavus) -> None:
    from tests.run.conftest import ROOT

    folder = ROOT / "examples" / "agents" / "research-worker"
    octavus.emulator.seed_agent(folder)
    local = octavus.run(str(folder), "-m", "hi")
    remote = octavus.run("research-worker", "-m", "hi")
    for result in (local, remote):
        assert result.code == 2, result
        assert "is a worker agent (format: worker)" in result.stderr
    assert octavus.posts("/api/agent-sessions") == []
