"""`--oidc-audience` failures: outside Actions, refused by GitHub, a folder as AGENT."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.run.conftest import Octavus
from tests.support.cli import run_cli
from tests.support.scripted_server import Reply, ScriptedServer

ROOT = Path(__file__).resolve().parents[2]
AGENT_ID = "cmagent0000000000000001"
REQUEST_TOKEN = "test-actions-request-token"


@pytest.fixture
def github() -> Iterator[ScriptedServer]:
    with ScriptedServer() as srv:
        yield srv


def test_outside_actions_says_which_permission_is_needed() -> None:
    result = run_cli("run", AGENT_ID, "--oidc-audience", "octavus-aud", "-m", "hi")
    assert result.code == 2, result
    assert "ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set" in (
        result.stderr
    )
    assert "permissions: id-token: write" in result.stderr


@pytest.mark.parametrize("status", [401, 403])
def test_refused_by_github(github: ScriptedServer, status: int) -> None:
    github.script(Reply(status, {"message": "no"}))
    result = run_cli(
        "run",
        AGENT_ID,
        "--oidc-audience",
        "octavus-aud",
        "-m",
        "hi",
        env={
            "ACTIONS_ID_TOKEN_REQUEST_URL": f"{github.url}/token?api-version=2.0",
            "ACTIONS_ID_TOKEN_REQUEST_TOKEN": REQUEST_TOKEN,
        },
    )
    assert result.code == 1, result
    assert f"GitHub refused to issue an OIDC token (HTTP {status})" in result.stderr
    assert "id-token: write" in result.stderr
    assert REQUEST_TOKEN not in result.stderr + result.stdout
    assert len(github.requests) == 1


def test_answer_without_a_token(github: ScriptedServer) -> None:
    github.script(Reply(200, {"count": 1}))
    result = run_cli(
        "run",
        AGENT_ID,
        "--oidc-audience",
        "aud",
        "-m",
        "hi",
        env={
            "ACTIONS_ID_TOKEN_REQUEST_URL": f"{github.url}/token?x=1",
            "ACTIONS_ID_TOKEN_REQUEST_TOKEN": REQUEST_TOKEN,
        },
    )
    assert result.code == 1
    assert "answered without a token ('value' is missing)" in result.stderr


def test_token_endpoint_must_be_https_unless_loopback() -> None:
    result = run_cli(
        "run",
        AGENT_ID,
        "--oidc-audience",
        "aud",
        "-m",
        "hi",
        env={
            "ACTIONS_ID_TOKEN_REQUEST_URL": "http://token.example.com/token?x=1",
            "ACTIONS_ID_TOKEN_REQUEST_TOKEN": REQUEST_TOKEN,
        },
    )
    assert result.code == 2
    assert "over plain http to token.example.com" in result.stderr


def test_a_folder_is_refused_before_asking_github(github: ScriptedServer) -> None:
    folder = ROOT / "examples" / "agents" / "minimal-chat"
    result = run_cli(
        "run",
        str(folder),
        "--oidc-audience",
        "aud",
        "-m",
        "hi",
        env={
            "ACTIONS_ID_TOKEN_REQUEST_URL": f"{github.url}/token?x=1",
            "ACTIONS_ID_TOKEN_REQUEST_TOKEN": REQUEST_TOKEN,
        },
    )
    assert result.code == 2
    assert "With --oidc-audience, AGENT must be the agent id" in result.stderr
    assert github.requests == []


JWT = "test-oidc-jwt-not-a-secret"


def oidc_env(octavus: Octavus, github: ScriptedServer) -> dict[str, str]:
    return {
        "OCTAVUS_API_URL": octavus.emulator.url,
        "ACTIONS_ID_TOKEN_REQUEST_URL": f"{github.url}/token?api-version=2.0",
        "ACTIONS_ID_TOKEN_REQUEST_TOKEN": REQUEST_TOKEN,
    }


def test_the_oidc_token_is_the_bearer_of_the_session(
    octavus: Octavus, github: ScriptedServer
) -> None:
    github.script(Reply(200, {"count": 1, "value": JWT}))
    octavus.emulator.add_project_key(JWT, label="oidc")
    result = run_cli(
        "run",
        octavus.legacy.id,
        "--oidc-audience",
        "api://octavus/p 1",
        "-m",
        "Nightly report",
        "-i",
        "COMPANY_NAME=Acme",
        env=oidc_env(octavus, github),
    )
    assert result.code == 0, result
    assert result.stdout == "You said: Nightly report\n"
    [token_request] = github.requests
    assert token_request.method == "GET"
    assert token_request.path == "/token?api-version=2.0&audience=api%3A%2F%2Foctavus%2Fp%201"
    assert token_request.headers["Authorization"] == f"Bearer {REQUEST_TOKEN}"
    requests = octavus.emulator.requests
    assert [(r.method, r.key) for r in requests] == [("POST", "oidc"), ("POST", "oidc")]
    assert requests[0].body == {"agentId": octavus.legacy.id, "input": {"COMPANY_NAME": "Acme"}}
    assert JWT not in result.stdout + result.stderr
    assert REQUEST_TOKEN not in result.stdout + result.stderr


def test_a_token_the_platform_rejects_names_its_source(
    octavus: Octavus, github: ScriptedServer
) -> None:
    github.script(Reply(200, {"value": JWT}))
    result = run_cli(
        "run",
        octavus.legacy.id,
        "--oidc-audience",
        "aud",
        "-m",
        "hi",
        env=oidc_env(octavus, github),
    )
    assert result.code == 1
    assert "rejected the API key from GitHub Actions OIDC token (HTTP 401" in result.stderr
    assert JWT not in result.stdout + result.stderr


def test_transient_token_endpoint_failures_are_retried(
    octavus: Octavus, github: ScriptedServer
) -> None:
    github.script(Reply(503, "busy"), Reply(200, {"value": JWT}))
    octavus.emulator.add_project_key(JWT, label="oidc")
    result = run_cli(
        "run",
        octavus.legacy.id,
        "--oidc-audience",
        "aud",
        "-m",
        "hi",
        "-i",
        "COMPANY_NAME=A",
        env=oidc_env(octavus, github),
    )
    assert result.code == 0, result
    assert len(github.requests) == 2
