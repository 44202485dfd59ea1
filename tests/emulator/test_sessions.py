"""Sessions API over real HTTP: turns, tool loops, busy sessions, clear and restore."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from octavus_cli.emulator import Emulator
from octavus_cli.emulator.testing import ManualClock, wait_until
from tests.emulator.helpers import (
    EXAMPLES,
    FIXTURES,
    SUPPORT_INPUT,
    api,
    continue_with,
    new_session,
    post_stream,
    results_for,
    say,
    trigger,
)


@pytest.fixture
def support(emulator: Emulator) -> str:
    return emulator.seed_agent(EXAMPLES / "support-chat").id


@pytest.fixture
def minimal(emulator: Emulator) -> str:
    return emulator.seed_agent(EXAMPLES / "minimal-chat").id


# -- a plain turn -----------------------------------------------------------------------------


def test_plain_turn_streams_a_deterministic_reply_word_by_word(
    emulator: Emulator, minimal: str
) -> None:
    with api(emulator) as client:
        session_id = new_session(client, minimal)
        stream = say(client, session_id, "Where is my order?")
    assert stream.status == 200
    assert stream.headers["content-type"].startswith("text/event-stream")
    assert stream.done, "the stream ends with data: [DONE]"
    assert stream.types() == [
        "start",
        "block-start",
        "block-end",
        "block-start",
        "text-start",
        *["text-delta"] * 6,  # You / said: / Where / is / my / order?
        "text-end",
        "block-end",
        "finish",
    ]
    start = stream.events[0]
    assert start["sessionId"] == session_id
    assert start["executionId"]
    assert start["messageId"]
    assert stream.text() == "You said: Where is my order?"
    assert [e["delta"] for e in stream.of("text-delta")][:2] == ["You", " said:"]
    add, respond = stream.of("block-start")
    assert add["blockType"] == "add-message"
    assert add["display"] == "hidden"
    assert respond == {
        "type": "block-start",
        "blockId": respond["blockId"],
        "blockName": "Respond",
        "blockType": "next-message",
        "display": "stream",
        "outputToChat": True,
    }
    assert stream.one("finish") == {
        "type": "finish",
        "finishReason": "stop",
        "executionId": start["executionId"],
    }


def test_messages_are_kept_in_both_views(emulator: Emulator, minimal: str) -> None:
    with api(emulator) as client:
        session_id = new_session(client, minimal)
        say(client, session_id, "Hello")
        full = client.get(f"/api/agent-sessions/{session_id}").json()
        ui = client.get(f"/api/agent-sessions/{session_id}", params={"format": "ui"}).json()
    assert full["status"] == "active"
    assert full["id"] == session_id
    assert full["agentId"] == minimal
    assert {"input", "variables", "resources", "createdAt", "updatedAt"} <= set(full)
    assert [m["role"] for m in full["messages"]] == ["user", "assistant"]
    assert full["messages"][1]["content"] == "You said: Hello"
    assert full["messages"][1]["parts"][0]["visible"] is True
    assert ui == {
        "sessionId": session_id,
        "agentId": minimal,
        "status": "active",
        "messages": ui["messages"],
    }
    user, assistant = ui["messages"]
    assert user["parts"] == [{"type": "text", "text": "Hello", "status": "done"}]
    assert assistant["parts"] == [{"type": "text", "text": "You said: Hello", "status": "done"}]
    assert assistant["status"] == "done"
    assert assistant["createdAt"].endswith("Z")


def test_session_needs_the_agent_id_not_the_slug(emulator: Emulator, minimal: str) -> None:
    with api(emulator) as client:
        response = client.post("/api/agent-sessions", json={"agentId": "minimal-chat"})
    assert response.status_code == 404
    assert "that is a slug" in response.json()["error"]


def test_missing_required_session_input_is_named(emulator: Emulator, support: str) -> None:
    with api(emulator) as client:
        missing = client.post(
            "/api/agent-sessions", json={"agentId": support, "input": {"COMPANY_NAME": "Acme"}}
        )
        bad_enum = client.post(
            "/api/agent-sessions",
            json={"agentId": support, "input": {**SUPPORT_INPUT, "PLAN_TIER": "gold"}},
        )
    assert missing.status_code == 400
    assert missing.json() == {
        "error": "Missing required session inputs: PRODUCT_NAME, PLAN_TIER",
        "code": "INVALID_INPUT",
    }
    assert bad_enum.status_code == 400
    assert "PLAN_TIER must be one of free, pro, team" in bad_enum.json()["error"]


def test_unknown_trigger_and_missing_trigger_input(emulator: Emulator, support: str) -> None:
    with api(emulator) as client:
        session_id = new_session(client, support, **SUPPORT_INPUT)
        unknown = trigger(client, session_id, "user-mesage", USER_MESSAGE="hi")
        missing = trigger(client, session_id, "user-message")
    assert unknown.status == 400
    assert unknown.body["code"] == "UNKNOWN_TRIGGER"
    assert "user-message, request-human, submit-feedback" in unknown.body["error"]
    assert missing.status == 400
    assert "USER_MESSAGE" in missing.body["error"]


# -- tool calls -------------------------------------------------------------------------------


def test_call_message_requests_the_tool_and_continues_with_the_result(
    emulator: Emulator, support: str
) -> None:
    with api(emulator) as client:
        session_id = new_session(client, support, **SUPPORT_INPUT)
        first = say(client, session_id, '/call check-order-status {"orderId": "ORD-10442"}')
        assert first.finish_reason == "tool-calls"
        assert first.done
        assert first.types()[-2:] == ["tool-request", "finish"]
        request = first.one("tool-request")
        (call,) = request["toolCalls"]
        assert call["toolName"] == "check-order-status"
        assert call["args"] == {"orderId": "ORD-10442"}
        assert call["source"] == "llm"
        assert first.one("finish")["executionId"] == first.execution_id
        assert first.one("tool-input-available")["input"] == {"orderId": "ORD-10442"}
        assert first.one("tool-input-start")["toolName"] == "check-order-status"

        second = continue_with(
            client, session_id, first.execution_id, results_for(first, {"status": "shipped"})
        )
        ui = client.get(f"/api/agent-sessions/{session_id}?format=ui").json()
    assert second.status == 200
    assert second.events[0]["executionId"] == first.execution_id
    assert second.one("tool-output-available") == {
        "type": "tool-output-available",
        "toolCallId": call["toolCallId"],
        "output": {"status": "shipped"},
    }
    assert second.text() == 'The tool check-order-status returned {"status": "shipped"}.'
    assert second.finish_reason == "stop"
    assistant = ui["messages"][-1]
    tool_part = assistant["parts"][0]
    assert tool_part["type"] == "tool-call"
    assert tool_part["status"] == "done"
    assert tool_part["result"] == {"status": "shipped"}
    assert assistant["parts"][1]["text"].startswith("The tool check-order-status returned")


def test_call_of_an_unknown_tool_is_answered_in_text(emulator: Emulator, support: str) -> None:
    with api(emulator) as client:
        session_id = new_session(client, support, **SUPPORT_INPUT)
        stream = say(client, session_id, "/call launch-rockets")
    assert stream.finish_reason == "stop"
    assert stream.text().startswith("I cannot call launch-rockets")
    assert "check-order-status" in stream.text()


def test_tool_error_results_are_reported(emulator: Emulator, support: str) -> None:
    with api(emulator) as client:
        session_id = new_session(client, support, **SUPPORT_INPUT)
        first = say(client, session_id, '/call get-user-account {"userId": "u1"}')
        (call,) = first.one("tool-request")["toolCalls"]
        result = [{"toolCallId": call["toolCallId"], "toolName": call["toolName"], "error": "boom"}]
        second = continue_with(client, session_id, first.execution_id, result)
    assert first.one("tool-input-start")["title"] == "Looking up your account"
    assert second.one("tool-output-error")["error"] == "boom"
    assert second.text() == "The tool get-user-account failed: boom."


def test_tool_call_blocks_pause_with_output_variable_and_block_index(
    emulator: Emulator, support: str
) -> None:
    with api(emulator) as client:
        session_id = new_session(client, support, **SUPPORT_INPUT)
        say(client, session_id, "My order never arrived")
        first = trigger(client, session_id, "request-human")
        (incidents,) = first.one("tool-request")["toolCalls"]
        assert incidents == {
            "toolCallId": incidents["toolCallId"],
            "toolName": "list-open-incidents",
            "args": {"product": "Widget Pro"},
            "source": "block",
            "outputVariable": "OPEN_INCIDENTS",
            "blockIndex": 1,
        }
        # the tool is hidden, so the client sees no tool-input events for it
        assert not first.of("tool-input-start")
        serialize = first.of("block-start")[0]
        assert serialize["display"] == "title"
        assert serialize["title"] == "Preparing your hand-off"

        second = continue_with(
            client, session_id, first.execution_id, results_for(first, ["EU outage"])
        )
        (ticket,) = second.one("tool-request")["toolCalls"]
        assert second.events[0]["executionId"] == first.execution_id
        assert ticket["toolName"] == "create-support-ticket"
        assert ticket["blockIndex"] == 5
        assert ticket["outputVariable"] == "TICKET"
        assert ticket["args"]["priority"] == "medium"
        assert ticket["args"]["userId"] == ""
        assert ticket["args"]["summary"].startswith("[summary] You said: Summarize this")
        summary_block = next(
            e for e in second.of("block-start") if e["blockName"] == "Generate summary"
        )
        assert summary_block["thread"] == "summary"
        assert summary_block["outputToChat"] is False
        assert summary_block["description"] == "Summarizing your conversation"

        third = continue_with(
            client,
            session_id,
            first.execution_id,
            results_for(second, {"ticketId": "TKT-123ABC", "priority": "medium"}),
        )
        state = client.get(f"/api/agent-sessions/{session_id}").json()
        ui = client.get(f"/api/agent-sessions/{session_id}", params={"format": "ui"}).json()
    assert third.finish_reason == "stop"
    assert "TKT-123ABC" in third.text()
    assert state["variables"]["OPEN_INCIDENTS"] == ["EU outage"]
    assert state["variables"]["TICKET"] == {"ticketId": "TKT-123ABC", "priority": "medium"}
    assert "**User:** My order never arrived" in state["variables"]["CONVERSATION_TEXT"]
    users = [m for m in state["messages"] if m["role"] == "user"]
    assert [m["content"] for m in users if m["visible"]][-1] == "My order never arrived"
    # The hidden directive is included in GET (as the SDK documents), marked not visible.
    assert "TKT-123ABC" in users[-1]["content"]
    assert users[-1]["visible"] is False
    assert all("TKT-123ABC" not in json.dumps(m) for m in ui["messages"] if m["role"] == "user")


def test_wrong_execution_id_and_missing_results_are_400(emulator: Emulator, support: str) -> None:
    with api(emulator) as client:
        session_id = new_session(client, support, **SUPPORT_INPUT)
        first = say(client, session_id, "/call set-chat-title")
        results = results_for(first, "ok")
        wrong = continue_with(client, session_id, "cmnotthisexecution0000", results)
        missing = continue_with(client, session_id, first.execution_id, [])
        unknown = continue_with(
            client,
            session_id,
            first.execution_id,
            [*results, {"toolCallId": "call_x", "toolName": "x", "result": 1}],
        )
        no_id = post_stream(
            client, f"/api/agent-sessions/{session_id}/trigger", {"toolResults": results}
        )
        right = continue_with(client, session_id, first.execution_id, results)
    assert wrong.status == 400
    assert wrong.body["code"] == "INVALID_EXECUTION"
    assert "cmnotthisexecution0000" in wrong.body["error"]
    assert missing.status == 400
    assert missing.body["code"] == "MISSING_TOOL_RESULTS"
    assert unknown.status == 400
    assert unknown.body["code"] == "UNKNOWN_TOOL_CALL"
    assert no_id.status == 400
    assert "executionId is required" in no_id.body["error"]
    assert right.status == 200, "a bad continuation leaves the execution waiting"
    assert right.finish_reason == "stop"


def test_continuation_may_carry_the_trigger_fields_like_the_sdk(
    emulator: Emulator, support: str
) -> None:
    with api(emulator) as client:
        session_id = new_session(client, support, **SUPPORT_INPUT)
        first = say(client, session_id, "/call set-chat-title")
        body = {
            "triggerName": "user-message",
            "input": {"USER_MESSAGE": "/call set-chat-title"},
            "executionId": first.execution_id,
            "toolResults": results_for(first, None),
        }
        second = post_stream(client, f"/api/agent-sessions/{session_id}/trigger", body)
    assert second.finish_reason == "stop"
    # set-chat-title is a hidden tool: no tool events reach the client
    assert not first.of("tool-input-start")
    assert not second.of("tool-output-available")


# -- one execution per session ----------------------------------------------------------------


def _in_background(fn: Any) -> tuple[threading.Thread, list[Any]]:
    box: list[Any] = []
    thread = threading.Thread(target=lambda: box.append(fn()), daemon=True)
    thread.start()
    return thread, box


def test_overlapping_trigger_gets_session_busy(emulator: Emulator, minimal: str) -> None:
    with api(emulator) as client, api(emulator) as other:
        session_id = new_session(client, minimal)
        thread, box = _in_background(lambda: say(client, session_id, "/wait 0.6 slow answer"))
        runtime = emulator.context.runtime
        wait_until(lambda: runtime.is_streaming(session_id), what="the slow answer to stream")
        busy = say(other, session_id, "me too")
        thread.join(10)
        after = say(other, session_id, "now")
    assert busy.status == 429
    assert busy.body == {
        "error": "The session is busy with another run. Please try again in a moment.",
        "code": "SESSION_BUSY",
    }
    assert int(busy.headers["retry-after"]) >= 1
    (slow,) = box
    assert slow.text() == "You said: slow answer"
    assert slow.heartbeats >= 2, "heartbeats flow while the model waits"
    assert after.status == 200


def test_execution_waiting_for_tools_keeps_the_session_busy(
    emulator: Emulator, support: str
) -> None:
    with api(emulator) as client:
        session_id = new_session(client, support, **SUPPORT_INPUT)
        first = say(client, session_id, "/call set-chat-title")
        busy = say(client, session_id, "hello?")
        done = continue_with(client, session_id, first.execution_id, results_for(first, "ok"))
        free = say(client, session_id, "hello!")
    assert busy.status == 429
    assert busy.body["code"] == "SESSION_BUSY"
    assert int(busy.headers["retry-after"]) >= 1
    assert done.finish_reason == "stop"
    assert free.status == 200


def test_a_finished_streams_late_release_does_not_free_the_next_run(
    emulator: Emulator, minimal: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A client that reacts to `finish` at once may start its next run before the
    # server has closed the finished stream's connection; closing it then must not
    # free the session that the next run has claimed.
    service = emulator.executions
    release = service._release
    releasing, go_on, released = threading.Event(), threading.Event(), threading.Event()

    def late_release(*args: Any) -> None:
        releasing.set()
        go_on.wait(10)
        release(*args)
        released.set()

    monkeypatch.setattr(service, "_release", late_release)
    runtime = emulator.context.runtime
    next_run = {"triggerName": "user-message", "input": {"USER_MESSAGE": "/wait 30 next"}}
    with api(emulator) as client, api(emulator) as other:
        session_id = new_session(client, minimal)
        thread, box = _in_background(lambda: say(other, session_id, "hello"))
        assert releasing.wait(10), "the first stream never got to closing its connection"
        with client.stream(
            "POST", f"/api/agent-sessions/{session_id}/trigger", json=next_run
        ) as response:
            assert response.status_code == 200
            wait_until(lambda: runtime.is_streaming(session_id), what="the next run to stream")
            go_on.set()
            assert released.wait(10)
            held = runtime.is_streaming(session_id)
            thread.join(10)
            busy = say(other, session_id, "me too")
    assert held, "the next run still holds the session"
    assert busy.status == 429
    (first,) = box
    assert first.finish_reason == "stop"


def test_abandoned_execution_frees_the_session_after_the_timeout(
    emulator_factory: Any,
) -> None:
    clock = ManualClock()
    emulator: Emulator = emulator_factory(pending_tool_timeout=60, clock=clock)
    agent = emulator.seed_agent(EXAMPLES / "support-chat")
    with api(emulator) as client:
        session_id = new_session(client, agent.id, **SUPPORT_INPUT)
        first = say(client, session_id, "/call set-chat-title")
        clock.advance(59)
        busy = say(client, session_id, "too early")
        clock.advance(1)
        late = continue_with(client, session_id, first.execution_id, results_for(first, "x"))
        again = say(client, session_id, "still there?")
        state = client.get(f"/api/agent-sessions/{session_id}").json()
    assert busy.status == 429, "still waiting for its results a second before the timeout"
    assert late.status == 400
    assert late.body["code"] == "INVALID_EXECUTION"
    assert again.status == 200
    tool_parts = [p for m in state["messages"] for p in m["parts"] if p["type"] == "tool-call"]
    assert tool_parts[0]["status"] == "error"


# -- clear, expire, restore -------------------------------------------------------------------


def test_clear_then_get_is_expired_and_restore_brings_it_back(
    emulator: Emulator, minimal: str
) -> None:
    with api(emulator) as client:
        session_id = new_session(client, minimal)
        say(client, session_id, "Remember me")
        ui = client.get(f"/api/agent-sessions/{session_id}?format=ui").json()
        cleared = client.delete(f"/api/agent-sessions/{session_id}")
        again = client.delete(f"/api/agent-sessions/{session_id}")
        expired = client.get(f"/api/agent-sessions/{session_id}").json()
        blocked = say(client, session_id, "hello?")
        restored = client.post(
            f"/api/agent-sessions/{session_id}/restore", json={"messages": ui["messages"]}
        )
        twice = client.post(
            f"/api/agent-sessions/{session_id}/restore", json={"messages": ui["messages"]}
        )
        after = client.get(f"/api/agent-sessions/{session_id}?format=ui").json()
        turn = say(client, session_id, "And now?")
    assert cleared.json() == {"sessionId": session_id, "cleared": True}
    assert again.status_code == 200, "clear is idempotent"
    assert expired == {
        "status": "expired",
        "sessionId": session_id,
        "agentId": minimal,
        "createdAt": expired["createdAt"],
    }
    assert blocked.status == 404
    assert blocked.body["code"] == "SESSION_EXPIRED"
    assert restored.json() == {"sessionId": session_id, "restored": True}
    assert twice.json() == {"sessionId": session_id, "restored": False}
    assert after["messages"] == ui["messages"]
    assert turn.text() == "You said: And now?"


def test_restore_of_an_unknown_session_is_404(emulator: Emulator) -> None:
    with api(emulator) as client:
        response = client.post("/api/agent-sessions/cmnosuchsession/restore", json={"messages": []})
    assert response.status_code == 404


def test_sessions_expire_after_inactivity(emulator_factory: Any) -> None:
    clock = ManualClock()
    emulator: Emulator = emulator_factory(session_ttl=3600, clock=clock)
    agent = emulator.seed_agent(EXAMPLES / "minimal-chat")
    with api(emulator) as client:
        session_id = new_session(client, agent.id)
        clock.advance(3600)
        kept = client.get(f"/api/agent-sessions/{session_id}").json()
        clock.advance(1)
        state = client.get(f"/api/agent-sessions/{session_id}").json()
    assert kept["status"] != "expired"
    assert state["status"] == "expired"


def test_rollback_after_message_id_truncates_history(emulator: Emulator, minimal: str) -> None:
    with api(emulator) as client:
        session_id = new_session(client, minimal)
        say(client, session_id, "first")
        say(client, session_id, "second")
        messages = client.get(f"/api/agent-sessions/{session_id}?format=ui").json()["messages"]
        body = {
            "triggerName": "user-message",
            "input": {"USER_MESSAGE": "second again"},
            "rollbackAfterMessageId": messages[1]["id"],
        }
        post_stream(client, f"/api/agent-sessions/{session_id}/trigger", body)
        after = client.get(f"/api/agent-sessions/{session_id}?format=ui").json()["messages"]
    texts = [m["parts"][0]["text"] for m in after]
    assert texts == ["first", "You said: first", "second again", "You said: second again"]


# -- other blocks and magic messages ----------------------------------------------------------


def test_set_resource_emits_resource_update(emulator: Emulator) -> None:
    agent = emulator.seed_agent(FIXTURES / "resources-legacy")
    with api(emulator) as client:
        session_id = new_session(client, agent.id, COMPANY_NAME="Acme")
        say(client, session_id, "My printer is on fire")
        stream = trigger(client, session_id, "end-chat")
        state = client.get(f"/api/agent-sessions/{session_id}").json()
        ui = client.get(f"/api/agent-sessions/{session_id}?format=ui").json()
    update = stream.one("resource-update")
    assert update["name"] == "CONVERSATION_SUMMARY"
    assert update["value"].startswith("[summary] You said: Summarize this conversation")
    assert state["resources"]["CONVERSATION_SUMMARY"] == update["value"]
    assert state["resources"]["SUPPORT_CONFIG"]["maxRetries"] == 3
    # "Generate summary" is hidden: nothing of it is streamed
    assert stream.of("text-delta") == []
    operations = [p for m in ui["messages"] for p in m["parts"] if p["type"] == "operation"]
    assert [(p["name"], p["operationType"]) for p in operations] == [
        ("Serialize conversation", "serialize-thread"),
        ("Save summary", "set-resource"),
    ]
    assert stream.finish_reason == "stop"


def test_system_prompt_renders_includes_and_conditionals(emulator: Emulator, support: str) -> None:
    with api(emulator) as client:
        session_id = new_session(client, support, **SUPPORT_INPUT, USER_ID="u-42")
        text = say(client, session_id, "/system").text()
    assert text.startswith("You are the customer support assistant for Acme")
    assert "Speak for Acme in the first person plural" in text  # {{@shared/tone.md}}
    assert "The customer is on the Free plan" in text  # nested include inside {{#if}}
    assert "signed in with user ID `u-42`" in text
    assert "not signed in" not in text
    assert "Human agents are available Monday to Friday, 09:00-17:00 CET" in text
    assert "{{" not in text


def test_think_streams_reasoning_before_the_answer(emulator: Emulator, minimal: str) -> None:
    with api(emulator) as client:
        session_id = new_session(client, minimal)
        stream = say(client, session_id, "/think Why is the sky blue?")
    kinds = stream.types()
    assert kinds.index("reasoning-start") < kinds.index("reasoning-end") < kinds.index("text-start")
    reasoning = "".join(e["delta"] for e in stream.of("reasoning-delta"))
    assert reasoning == "The user wrote: Why is the sky blue?. I will answer it."
    assert stream.text() == "You said: Why is the sky blue?"


def test_error_message_emits_an_error_event_and_frees_the_session(
    emulator: Emulator, minimal: str
) -> None:
    with api(emulator) as client:
        session_id = new_session(client, minimal)
        stream = say(client, session_id, "/error The provider is down")
        after = say(client, session_id, "hello")
    error = stream.one("error")
    assert error == {
        "type": "error",
        "errorType": "provider_error",
        "message": "The provider is down",
        "retryable": False,
        "source": "provider",
        "code": "EMULATED_MODEL_ERROR",
        "provider": {"name": "emulator", "model": "emulator-deterministic"},
    }
    assert not stream.of("finish")
    assert stream.done
    assert after.status == 200


def test_structured_output_and_ui_content(emulator: Emulator, support: str) -> None:
    with api(emulator) as client:
        session_id = new_session(client, support, **SUPPORT_INPUT)
        first = trigger(client, session_id, "submit-feedback", FEEDBACK={"rating": 5})
        (record,) = first.one("tool-request")["toolCalls"]
        continue_with(client, session_id, first.execution_id, results_for(first, {"ok": True}))
        state = client.get(f"/api/agent-sessions/{session_id}").json()
        ui = client.get(f"/api/agent-sessions/{session_id}?format=ui").json()
    analysis = {"sentiment": "positive", "followUpNeeded": False, "summary": "example"}
    assert record["args"] == {"feedback": {"rating": 5}, "analysis": analysis}
    assert state["variables"]["FEEDBACK_ANALYSIS"] == analysis
    user = ui["messages"][0]
    assert user["parts"][0]["type"] == "object"
    assert user["parts"][0]["object"] == {"rating": 5}
    assert user["parts"][0]["typeName"] == "FeedbackForm"
    hidden_object = [
        p
        for m in state["messages"]
        for p in m["parts"]
        if p["type"] == "object" and not p["visible"]
    ]
    assert hidden_object[0]["object"]["value"] == analysis


def test_worker_agent_runs_through_the_execute_endpoint(emulator: Emulator) -> None:
    agent = emulator.seed_agent(EXAMPLES / "research-worker")
    with api(emulator) as client:
        stream = post_stream(
            client,
            f"/api/agents/{agent.id}/execute",
            {"type": "start", "input": {"QUESTION": "Why do builds fail?"}},
        )
        missing = post_stream(client, f"/api/agents/{agent.id}/execute", {"type": "start"})
        session = client.get(f"/api/agent-sessions/{stream.execution_id}").json()
    assert stream.types()[:2] == ["start", "worker-start"]
    assert stream.one("worker-start")["workerSlug"] == "research-worker"
    result = stream.one("worker-result")
    assert result["workerId"] == stream.execution_id
    assert result["output"].startswith("[writer] You said: Write the brief")
    assert "Why do builds fail?" in result["output"]
    assert stream.finish_reason == "stop"
    assert [e["thread"] for e in stream.of("block-start") if e["blockType"] == "start-thread"] == [
        "research",
        "writer",
    ]
    assert missing.status == 400
    assert "QUESTION" in missing.body["error"]
    assert session["variables"]["BRIEF"] == result["output"]
    assert "**User:** Research this question" in session["variables"]["RESEARCH_LOG"]


def test_worker_agent_sessions_run_the_steps_on_any_trigger(emulator: Emulator) -> None:
    agent = emulator.seed_agent(EXAMPLES / "research-worker")
    with api(emulator) as client:
        session_id = new_session(client, agent.id, QUESTION="What is CI?", AUDIENCE="engineer")
        stream = trigger(client, session_id, "execute")
    assert stream.finish_reason == "stop"
    assert "What is CI?" in stream.text()
    assert not stream.of("worker-result")


def test_agent_keys_cannot_use_sessions(emulator: Emulator, minimal: str) -> None:
    from octavus_cli.emulator.testing import TEST_AGENT_KEY

    with api(emulator, key=TEST_AGENT_KEY) as client:
        response = client.post("/api/agent-sessions", json={"agentId": minimal})
    assert response.status_code == 403


WORKER_PROTOCOL = """
input:
  MSG: { type: string }
variables:
  ANSWER: { type: string }
  IMAGE: { type: string }
tools:
  lookup:
    description: Look something up
    parameters:
      id: { type: string }
steps:
  Start:
    block: start-thread
    thread: work
    model: anthropic/claude-sonnet-4-5
    system: system
    tools: [lookup]
  Ask:
    block: add-message
    thread: work
    role: user
    prompt: ask
    input: [MSG]
  Answer:
    block: next-message
    thread: work
    output: ANSWER
  Draw:
    block: generate-image
    prompt: ANSWER
    imageModel: google/gemini-2.5-flash-image
    output: IMAGE
    description: Drawing
output: ANSWER
"""


def test_worker_tool_calls_continue_through_the_execute_endpoint(emulator: Emulator) -> None:
    agent = emulator.seed_agent(
        {
            "settings": {"slug": "tool-worker", "name": "Tool Worker", "format": "worker"},
            "protocol": WORKER_PROTOCOL,
            "prompts": [
                {"name": "system", "content": "Work."},
                {"name": "ask", "content": "{{MSG}}"},
            ],
        }
    )
    path = f"/api/agents/{agent.id}/execute"
    with api(emulator) as client:
        first = post_stream(
            client, path, {"type": "start", "input": {"MSG": '/call lookup {"id": "A-1"}'}}
        )
        (call,) = first.one("tool-request")["toolCalls"]
        second = post_stream(
            client,
            path,
            {
                "type": "continue",
                "executionId": first.execution_id,
                "toolResults": results_for(first, {"found": True}),
            },
        )
        wrong = post_stream(
            client, path, {"type": "continue", "executionId": "cmnope", "toolResults": []}
        )
        interactive = emulator.seed_agent(EXAMPLES / "minimal-chat")
        not_worker = post_stream(client, f"/api/agents/{interactive.id}/execute", {"input": {}})
        session = client.get(f"/api/agent-sessions/{first.execution_id}").json()
    assert call["thread"] == "work"
    assert first.finish_reason == "tool-calls"
    assert not first.of("worker-result")
    result = second.one("worker-result")
    assert result["output"] == 'The tool lookup returned {"found": true}.'
    assert second.text() == (
        'The tool lookup returned {"found": true}.'
        "Skipped “Draw”: the emulator does not run generate-image blocks. "
        "IMAGE holds a placeholder."
    )
    assert session["variables"]["IMAGE"] == "emulated generate-image output"
    assert second.finish_reason == "stop"
    assert wrong.status == 400
    assert not_worker.status == 400
    assert not_worker.body["code"] == "NOT_A_WORKER"
