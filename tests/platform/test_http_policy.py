"""Retry policy details over real loopback HTTP: busy sessions, jitter, DNS, wording."""

from __future__ import annotations

import random
import socket
from collections.abc import Iterator

import pytest

from octavus_cli.config import Credentials
from octavus_cli.errors import ApiError
from octavus_cli.platform.agents import AgentsApi
from octavus_cli.platform.http import PlatformClient, RetryPolicy
from octavus_cli.platform.sessions import SessionsApi
from tests.support.scripted_server import Reply, ScriptedServer

FAKE_KEY = "test-key-not-a-secret"
BUSY = {"error": {"code": "SESSION_BUSY", "message": "The session is busy"}}


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as srv:
        yield srv


def client_for(url: str, sleeps: list[float], *, seed: int = 0) -> PlatformClient:
    creds = Credentials(base_url=url, key=FAKE_KEY, source="OCTAVUS_API_KEY")
    return PlatformClient(creds, sleep=sleeps.append, rng=random.Random(seed))


def test_session_busy_409_honours_retry_after_like_429(server: ScriptedServer) -> None:
    """Issue 14 item 3: a 409 SESSION_BUSY gets the attempts and waits a 429 gets."""
    server.script(*[Reply(409, BUSY, headers={"Retry-After": "3"}) for _ in range(12)])
    sleeps: list[float] = []
    with client_for(server.url, sleeps) as client:
        sessions = SessionsApi(client, sleep=sleeps.append)
        with pytest.raises(ApiError) as info, sessions.trigger("s1", "user-message"):
            pass
    assert info.value.api_code == "SESSION_BUSY"
    assert "The session is busy" in info.value.message
    assert len(server.requests) == 12  # 3 attempts in each of 4 rounds, as for 429
    assert len(sleeps) == 11
    assert all(3.0 <= delay <= 3.75 for delay in sleeps), sleeps  # Retry-After honoured


def test_retry_after_gets_jitter_so_parallel_workers_spread_out(server: ScriptedServer) -> None:
    """Issue 14 item 5: workers told ``Retry-After: 1`` do not all wait exactly 1 s."""
    delays: list[float] = []
    for seed in range(4):
        server.script(Reply(429, {"error": "slow down"}, headers={"Retry-After": "1"}))
        server.script(Reply(200, {"agents": []}))
        sleeps: list[float] = []
        with client_for(server.url, sleeps, seed=seed) as client:
            AgentsApi(client).list()
        delays.extend(sleeps)
    assert len(delays) == 4
    assert all(1.0 <= delay <= 1.25 for delay in delays), delays  # never sooner than asked
    assert len({round(delay, 3) for delay in delays}) == 4, delays


def test_the_retry_after_jitter_is_bounded() -> None:
    policy = RetryPolicy()
    rng = random.Random(1)
    assert all(8.0 <= policy.after(120, rng) <= 10.0 for _ in range(200))
    assert all(0.5 <= policy.after(0.5, rng) <= 0.625 for _ in range(200))


def test_a_host_that_does_not_resolve_is_not_retried() -> None:
    """Issue 14 item 9: a DNS failure is reported at once, not retried like a refusal."""
    try:
        socket.getaddrinfo("no-such-host.invalid", 80)
    except socket.gaierror as exc:
        if exc.errno == socket.EAI_AGAIN:
            pytest.skip("this resolver cannot tell (temporary failure)")
    else:  # pragma: no cover - a resolver that answers for .invalid
        pytest.skip("this resolver answers for .invalid")
    sleeps: list[float] = []
    client = client_for("http://no-such-host.invalid", sleeps)
    with client, pytest.raises(ApiError) as info:
        AgentsApi(client).list()
    assert sleeps == []
    assert "could not find the host" in info.value.message
    assert "after" not in info.value.message.split(":")[0]
    assert "host name in OCTAVUS_API_URL" in (info.value.hint or "")


def test_a_refused_connection_is_worded_plainly() -> None:
    """Issue 14 item 9: the retry line says what happened, not an exception class."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    said: list[str] = []
    sleeps: list[float] = []
    with client_for(f"http://127.0.0.1:{port}", sleeps) as client:
        client.on_retry = lambda reason, _delay: said.append(reason)
        with pytest.raises(ApiError) as info:
            AgentsApi(client).list()
    assert said == ["The request could not connect (connection refused)"] * 2
    assert "could not connect (connection refused) after 3 attempts" in info.value.message
    assert all("ConnectError" not in line for line in said)


def test_a_patch_that_failed_after_a_lost_answer_may_have_been_applied(
    server: ScriptedServer,
) -> None:
    """A retried write whose first try may have landed is flagged, even when idempotent."""
    server.script(Reply(drop=True), Reply(drop=True), Reply(drop=True))
    sleeps: list[float] = []
    with client_for(server.url, sleeps) as client, pytest.raises(ApiError) as info:
        AgentsApi(client).update("a", {"settings": {}})
    assert len(server.requests) == 3
    assert info.value.details["ambiguous"] is True
