"""Creates that race or lose their answer: 409 falls back to update; an unclear create is re-read.

These need answers the emulator cannot give on demand (a 409 right after a 404,
a connection dropped after the request was sent), so they use the scripted
loopback server: still real HTTP, with every request recorded.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from octavus_cli.protocol.folder import read_agent_dir
from tests.management.conftest import copy_example
from tests.support.cli import run_cli
from tests.support.scripted_server import Reply, ScriptedServer

NOT_FOUND = Reply(404, {"error": "Agent not found: minimal-chat", "code": "NOT_FOUND"})


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as srv:
        yield srv


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return copy_example("minimal-chat", tmp_path / "minimal-chat")


def env_for(server: ScriptedServer) -> dict[str, str]:
    return {"OCTAVUS_API_URL": server.url, "OCTAVUS_CLI_API_KEY": "test-cli-key"}


def requests_of(server: ScriptedServer) -> list[str]:
    return [f"{r.method} {r.path}" for r in server.requests]


def test_409_on_create_falls_back_to_update(server: ScriptedServer, folder: Path) -> None:
    server.script(
        NOT_FOUND,
        Reply(409, {"error": "An agent with slug minimal-chat exists", "code": "CONFLICT"}),
        Reply(200, {"agentId": "cmraced000000000000001", "message": "Agent updated"}),
    )
    result = run_cli("sync", str(folder), env=env_for(server))
    assert result.code == 0, result
    assert result.stdout.splitlines() == [
        "✓ Updated: minimal-chat",
        "  Agent ID: cmraced000000000000001",
    ]
    assert "updated instead of created" in result.stderr
    assert requests_of(server) == [
        "GET /api/agents/minimal-chat?by=slug",
        "POST /api/agents",
        "PATCH /api/agents/minimal-chat?by=slug",
    ]
    assert json.loads(server.requests[2].body) == read_agent_dir(folder).update_body()


def test_a_create_without_answer_is_re_read_and_accepted_when_it_happened(
    server: ScriptedServer, folder: Path
) -> None:
    applied = {**read_agent_dir(folder).upload_body(), "id": "cmlostanswer0000000001"}
    server.script(NOT_FOUND, Reply(drop=True), Reply(200, applied))
    result = run_cli("sync", str(folder), "--json", env=env_for(server))
    assert result.code == 0, result
    doc = result.json()
    assert (doc["status"], doc["agentId"], doc["created"]) == (
        "created",
        "cmlostanswer0000000001",
        True,
    )
    assert "re-reading" in doc["note"]
    # never a second POST: the create is not resent blindly
    assert requests_of(server) == [
        "GET /api/agents/minimal-chat?by=slug",
        "POST /api/agents",
        "GET /api/agents/minimal-chat?by=slug",
    ]


def test_a_create_without_answer_that_did_not_happen_is_sent_once_more(
    server: ScriptedServer, folder: Path
) -> None:
    server.script(
        NOT_FOUND,
        Reply(drop=True),
        NOT_FOUND,
        Reply(201, {"agentId": "cmsecondtry00000000001", "message": "Agent created"}),
    )
    result = run_cli("sync", str(folder), "--json", env=env_for(server))
    assert result.code == 0, result
    assert result.json()["status"] == "created"
    assert requests_of(server) == [
        "GET /api/agents/minimal-chat?by=slug",
        "POST /api/agents",
        "GET /api/agents/minimal-chat?by=slug",
        "POST /api/agents",
    ]


def test_a_second_unclear_create_is_reported_not_repeated(
    server: ScriptedServer, folder: Path
) -> None:
    server.script(NOT_FOUND, Reply(drop=True), NOT_FOUND, Reply(drop=True))
    result = run_cli("sync", str(folder), "--json", env=env_for(server))
    assert result.code == 1, result
    assert result.json()["code"] == "API_ERROR"
    assert [r.method for r in server.requests] == ["GET", "POST", "GET", "POST"]
