"""Small HTTP helpers for the emulator tests (httpx over real loopback HTTP)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from octavus_cli.emulator import Emulator
from octavus_cli.emulator.testing import TEST_PROJECT_KEY

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "agents"
FIXTURES = ROOT / "tests" / "fixtures" / "agents"
SUPPORT_INPUT = {"COMPANY_NAME": "Acme", "PRODUCT_NAME": "Widget Pro", "PLAN_TIER": "free"}


@contextmanager
def api(emulator: Emulator, key: str | None = TEST_PROJECT_KEY) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {key}"} if key is not None else {}
    with httpx.Client(base_url=emulator.url, headers=headers, timeout=10) as client:
        yield client


@dataclass
class Stream:
    status: int
    headers: httpx.Headers
    events: list[dict[str, Any]] = field(default_factory=list)
    done: bool = False
    heartbeats: int = 0
    bad_lines: list[str] = field(default_factory=list)
    body: Any = None  # the JSON body of a non-stream answer

    def types(self) -> list[str]:
        return [event["type"] for event in self.events]

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [event for event in self.events if event["type"] == kind]

    def one(self, kind: str) -> dict[str, Any]:
        found = self.of(kind)
        assert len(found) == 1, f"expected one {kind} event, got {self.types()}"
        return found[0]

    def text(self) -> str:
        return "".join(event["delta"] for event in self.of("text-delta"))

    @property
    def execution_id(self) -> str:
        return str(self.events[0]["executionId"])

    @property
    def finish_reason(self) -> str | None:
        finishes = self.of("finish")
        return finishes[-1]["finishReason"] if finishes else None


def read_stream(response: httpx.Response) -> Stream:
    result = Stream(response.status_code, response.headers)
    if not response.headers.get("content-type", "").startswith("text/event-stream"):
        response.read()
        result.body = response.json()
        return result
    for line in response.iter_lines():
        if not line:
            continue
        if line.startswith(":"):
            result.heartbeats += 1
        elif line == "data: [DONE]":
            result.done = True
        elif line.startswith("data: "):
            try:
                result.events.append(json.loads(line[6:]))
            except json.JSONDecodeError:
                result.bad_lines.append(line)
        else:
            result.bad_lines.append(line)
    return result


def post_stream(client: httpx.Client, path: str, body: dict[str, Any]) -> Stream:
    with client.stream("POST", path, json=body) as response:
        return read_stream(response)


def trigger(client: httpx.Client, session_id: str, name: str, **inputs: Any) -> Stream:
    body: dict[str, Any] = {"triggerName": name}
    if inputs:
        body["input"] = inputs
    return post_stream(client, f"/api/agent-sessions/{session_id}/trigger", body)


def say(client: httpx.Client, session_id: str, message: str) -> Stream:
    return trigger(client, session_id, "user-message", USER_MESSAGE=message)


def results_for(stream: Stream, result: Any = None, **by_tool: Any) -> list[dict[str, Any]]:
    """One result per requested call, echoing outputVariable and blockIndex."""
    items = []
    for call in stream.one("tool-request")["toolCalls"]:
        item = {
            "toolCallId": call["toolCallId"],
            "toolName": call["toolName"],
            "result": by_tool.get(call["toolName"], result),
        }
        for key in ("outputVariable", "blockIndex", "thread"):
            if key in call:
                item[key] = call[key]
        items.append(item)
    return items


def continue_with(
    client: httpx.Client, session_id: str, execution_id: str, results: list[dict[str, Any]]
) -> Stream:
    return post_stream(
        client,
        f"/api/agent-sessions/{session_id}/trigger",
        {"executionId": execution_id, "toolResults": results},
    )


def new_session(client: httpx.Client, agent_id: str, **inputs: Any) -> str:
    response = client.post("/api/agent-sessions", json={"agentId": agent_id, "input": inputs})
    assert response.status_code == 200, response.text
    return str(response.json()["sessionId"])
