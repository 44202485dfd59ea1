"""The HTTP layer over real loopback HTTP: auth, retries, Retry-After, error mapping."""

from __future__ import annotations

import email.utils
import json
import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from octavus_cli.config import Credentials
from octavus_cli.errors import ApiError, NotFoundError
from octavus_cli.platform.agents import AgentsApi
from octavus_cli.platform.http import PlatformClient, parse_retry_after, read_error_body
from tests.support.scripted_server import Reply, ScriptedServer

FAKE_KEY = "test-key-not-a-secret"


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as srv:
        yield srv


def client_for(url: str, sleeps: list[float], **kwargs: object) -> PlatformClient:
    creds = Credentials(base_url=url, key=FAKE_KEY, source="OCTAVUS_CLI_API_KEY")
    return PlatformClient(creds, permission="the Agents", sleep=sleeps.append, **kwargs)  # type: ignore[arg-type]


def test_sends_bearer_user_agent_and_json(server: ScriptedServer) -> None:
    server.script(Reply(201, {"agentId": "a1", "message": "ok"}))
    sleeps: list[float] = []
    with client_for(server.url, sleeps) as client:
        agent_id = AgentsApi(client).create({"settings": {"slug": "x"}})
    assert agent_id == "a1"
    request = server.requests[0]
    assert request.method == "POST"
    assert request.path == "/api/agents"
    assert request.headers["Authorization"] == f"Bearer {FAKE_KEY}"
    assert request.headers["User-Agent"].startswith("octavus-cli/")
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.body) == {"settings": {"slug": "x"}}


def test_two_503_then_success_is_retried_with_backoff(server: ScriptedServer) -> None:
    server.script(
        Reply(503, {"error": "busy"}), Reply(503, {"error": "busy"}), Reply(200, {"agents": []})
    )
    sleeps: list[float] = []
    with client_for(server.url, sleeps) as client:
        assert AgentsApi(client).list() == []
    assert len(server.requests) == 3
    # exponential backoff from 1 s with +-25 % jitter
    assert 0.75 <= sleeps[0] <= 1.25
    assert 1.5 <= sleeps[1] <= 2.5


def test_gives_up_after_two_retries(server: ScriptedServer) -> None:
    server.script(*[Reply(502, "<html><b>Bad gateway</b></html>") for _ in range(3)])
    sleeps: list[float] = []
    with client_for(server.url, sleeps) as client, pytest.raises(ApiError) as info:
        AgentsApi(client).list()
    assert len(server.requests) == 3
    error = info.value
    assert error.status == 502
    assert "after 3 attempts" in error.message
    assert "Bad gateway" in error.message  # non-JSON body shown as text


def test_retry_after_is_honoured_and_clamped(server: ScriptedServer) -> None:
    server.script(
        Reply(429, {"error": "slow down"}, headers={"Retry-After": "2"}),
        Reply(429, {"error": "slow down"}, headers={"Retry-After": "120"}),
        Reply(200, {"agents": []}),
    )
    sleeps: list[float] = []
    with client_for(server.url, sleeps) as client:
        AgentsApi(client).list()
    # Honoured (never sooner), clamped to 8 s, at most 25 % jitter later.
    assert 2.0 <= sleeps[0] <= 2.5
    assert 8.0 <= sleeps[1] <= 10.0


def test_retry_after_as_http_date() -> None:
    now = time.time()
    header = email.utils.formatdate(now + 5, usegmt=True)
    assert parse_retry_after(header, now=now) == pytest.approx(5, abs=1)
    assert parse_retry_after("garbage") is None
    assert parse_retry_after("-3") == 0.0


def test_create_is_not_resent_after_an_ambiguous_failure(server: ScriptedServer) -> None:
    server.script(Reply(502, {"error": "upstream"}), Reply(201, {"agentId": "dup", "message": "x"}))
    sleeps: list[float] = []
    with client_for(server.url, sleeps) as client, pytest.raises(ApiError) as info:
        AgentsApi(client).create({"settings": {}})
    assert len(server.requests) == 1
    assert info.value.details["ambiguous"] is True
    assert "may have reached the platform" in (info.value.hint or "")


def test_create_is_resent_when_the_server_says_it_did_not_process(server: ScriptedServer) -> None:
    server.script(Reply(503, {"error": "down"}), Reply(201, {"agentId": "a2", "message": "x"}))
    sleeps: list[float] = []
    with client_for(server.url, sleeps) as client:
        assert AgentsApi(client).create({"settings": {}}) == "a2"
    assert len(server.requests) == 2


def test_connection_refused_is_one_clear_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    sleeps: list[float] = []
    with client_for(f"http://127.0.0.1:{port}", sleeps) as client, pytest.raises(ApiError) as info:
        AgentsApi(client).list()
    assert "could not connect" in info.value.message
    assert len(sleeps) == 2  # connection failures are retried
    assert "OCTAVUS_API_URL" in (info.value.hint or "")


def test_timeout_is_reported(server: ScriptedServer) -> None:
    server.script(*[Reply(200, {"agents": []}, delay=1.0) for _ in range(3)])
    sleeps: list[float] = []
    client = client_for(server.url, sleeps, timeout=httpx.Timeout(0.2))
    with client, pytest.raises(ApiError) as info:
        AgentsApi(client).list()
    assert "timed out" in info.value.message


def test_dropped_connection_on_create_is_ambiguous(server: ScriptedServer) -> None:
    server.script(Reply(drop=True))
    sleeps: list[float] = []
    with client_for(server.url, sleeps) as client, pytest.raises(ApiError) as info:
        AgentsApi(client).create({"settings": {}})
    assert info.value.details["ambiguous"] is True
    assert len(server.requests) == 1


def test_401_names_the_variable_never_the_key(server: ScriptedServer) -> None:
    server.script(Reply(401, {"error": {"code": "UNAUTHORIZED", "message": "Invalid API key"}}))
    sleeps: list[float] = []
    with client_for(server.url, sleeps) as client, pytest.raises(ApiError) as info:
        AgentsApi(client).list()
    error = info.value
    text = f"{error.message} {error.hint} {error.to_json()}"
    assert "OCTAVUS_CLI_API_KEY" in text
    assert "Invalid API key" in text
    assert FAKE_KEY not in text
    assert error.api_code == "UNAUTHORIZED"


def test_404_is_not_found_and_lookup_by_slug_returns_none(server: ScriptedServer) -> None:
    server.script(Reply(404, {"error": "Agent not found", "code": "NOT_FOUND"}))
    sleeps: list[float] = []
    with client_for(server.url, sleeps) as client:
        assert AgentsApi(client).find_by_slug("my agent/x") is None
        server.script(Reply(404, {"message": "gone"}))
        with pytest.raises(NotFoundError):
            AgentsApi(client).get("abc", by_slug=False)
    assert server.requests[0].path == "/api/agents/my%20agent%2Fx?by=slug"


def test_success_with_non_json_body_is_an_api_error(server: ScriptedServer) -> None:
    server.script(Reply(200, "<html>proxy login</html>"))
    sleeps: list[float] = []
    with client_for(server.url, sleeps) as client, pytest.raises(ApiError) as info:
        AgentsApi(client).list()
    assert "not JSON" in info.value.message


@pytest.mark.parametrize(
    ("body", "message", "code"),
    [
        ({"error": "flat message", "code": "X"}, "flat message", "X"),
        ({"error": {"code": "Y", "message": "nested message"}}, "nested message", "Y"),
        ({"message": "message key", "code": "Z"}, "message key", "Z"),
        ([1, 2], None, None),
    ],
)
def test_error_body_shapes(body: object, message: str | None, code: str | None) -> None:
    response = httpx.Response(400, json=body, request=httpx.Request("GET", "http://x/"))
    parsed = read_error_body(response)
    assert parsed.message == message
    assert parsed.code == code
