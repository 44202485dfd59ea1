"""`--oidc-audience`: the GitHub Actions OIDC token as the bearer, and its failures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.run.conftest import ROOT, Octavus
from tests.support.cli import CliResult, run_cli
from tests.support.scripted_server import Reply, ScriptedServer

AGENT_ID = "cmagent0000000000000001"
REQUEST_TOKEN = "test-actions-request-token"
JWT = "test-oidc-jwt-not-a-secret"


@pytest.fixture
def github() -> Iterator[ScriptedServer]:
    """A fake of GitHub's OIDC token endpoint."""
    with ScriptedServer() as srv:
        yield srv


def run_in_actions(
    token_url: str, agent: str, *args: str, audience: str = "aud", api_url: str | None = None
) -> CliResult:
    """`octavus run AGENT --oidc-audience AUD ARGS` as a job with `id-token: write` runs it."""
    env = {
        "ACTIONS_ID_TOKEN_REQUEST_URL": token_url,
        "ACTIONS_ID_TOKEN_REQUEST_TOKEN": REQUEST_TOKEN,
    }
    if api_url is not None:
        env["OCTAVUS_API_URL"] = api_url
    return run_cli("run", agent, "--oidc-audience", audience, *args, env=env)


def test_the_oidc_token_is_the_bearer_of_the_session(
    octavus: Octavus, github: ScriptedServer
) -> None:
    github.script(Reply(200, {"count": 1, "value": JWT}))
    octavus.emulator.add_project_key(JWT, label="oidc")
    result = run_in_actions(
        f"{github.url}/token?api-version=2.0", octavus.legacy.id,
        "-m", "Nightly report", "-i", "COMPANY_NAME=Acme",
        audience="api://octavus/p 1", api_url=octavus.emulator.url,
    )  # fmt: skip
    assert result.code == 0, result
    assert result.stdout == "You said: Nightly report\n"
    [token_request] = github.requests
    assert token_request.method == "GET"
    assert token_request.path == "/token?api-version=2.0&audience=api%3A%2F%2Foctavus%2Fp%201"
    assert token_request.headers["Authorization"] == f"Bearer {REQUEST_TOKEN}"
    requests = octavus.emulator.requests
    # no agent lookup: the token is for sessions only; both calls carry the token
    assert [(r.method, r.key) for r in requests] == [("POST", "oidc"), ("POST", "oidc")]
    assert requests[0].body == {"agentId": octavus.legacy.id, "input": {"COMPANY_NAME": "Acme"}}
    assert JWT not in result.stdout + result.stderr
    assert REQUEST_TOKEN not in result.stdout + result.stderr


def test_a_token_the_platform_rejects_names_its_source(
    octavus: Octavus, github: ScriptedServer
) -> None:
    github.script(Reply(200, {"value": JWT}))
    result = run_in_actions(
        f"{github.url}/t?x=1", octavus.legacy.id, "-m", "hi", api_url=octavus.emulator.url
    )
    assert result.code == 1
    assert "rejected the API key from GitHub Actions OIDC token (HTTP 401" in result.stderr
    assert JWT not in result.stdout + result.stderr


def test_transient_token_endpoint_failures_are_retried(
    octavus: Octavus, github: ScriptedServer
) -> None:
    github.script(Reply(503, "busy"), Reply(200, {"value": JWT}))
    octavus.emulator.add_project_key(JWT, label="oidc")
    result = run_in_actions(
        f"{github.url}/t?x=1", octavus.legacy.id, "-m", "hi", "-i", "COMPANY_NAME=A",
        api_url=octavus.emulator.url,
    )  # fmt: skip
    assert result.code == 0, result
    assert len(github.requests) == 2


def test_outside_actions_says_which_permission_is_needed() -> None:
    result = run_cli("run", AGENT_ID, "--oidc-audience", "octavus-aud", "-m", "hi")
    assert result.code == 2, result
    assert (
        "ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set"
        in result.stderr
    )
    assert "permissions: id-token: write" in result.stderr


@pytest.mark.parametrize("status", [401, 403])
def test_refused_by_github(github: ScriptedServer, status: int) -> None:
    github.script(Reply(status, {"message": "no"}))
    result = run_in_actions(f"{github.url}/token?api-version=2.0", AGENT_ID, "-m", "hi")
    assert result.code == 1, result
    assert f"GitHub refused to issue an OIDC token (HTTP {status})" in result.stderr
    assert "id-token: write" in result.stderr
    assert REQUEST_TOKEN not in result.stderr + result.stdout
    assert len(github.requests) == 1


def test_answer_without_a_token(github: ScriptedServer) -> None:
    github.script(Reply(200, {"count": 1}))
    result = run_in_actions(f"{github.url}/token?x=1", AGENT_ID, "-m", "hi")
    assert result.code == 1
    assert "answered without a token ('value' is missing)" in result.stderr


def test_token_endpoint_must_be_https_unless_loopback() -> None:
    result = run_in_actions("http://token.example.com/token?x=1", AGENT_ID, "-m", "hi")
    assert result.code == 2
    assert "over plain http to token.example.com" in result.stderr


def test_a_folder_is_refused_before_asking_github(github: ScriptedServer) -> None:
    folder = ROOT / "examples" / "agents" / "minimal-chat"
    result = run_in_actions(f"{github.url}/token?x=1", str(folder), "-m", "hi")
    assert result.code == 2
    assert "With --oidc-audience, AGENT must be the agent id" in result.stderr
    assert github.requests == []
