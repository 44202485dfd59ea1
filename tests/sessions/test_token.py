"""`octavus token mint|revoke`: the token on stdout only, never in logs or --debug output."""

from __future__ import annotations

import pytest

from octavus_cli.commands.token import parse_ttl
from octavus_cli.errors import ConfigError
from tests.sessions.conftest import Sessions
from tests.support.cli import run_cli


def test_mint_prints_only_the_token_and_it_works_until_revoked(octavus: Sessions) -> None:
    session_id = octavus.new_session("-m", "hi")
    agent_id = octavus.support_chat.id
    minted = run_cli(
        "--debug", "token", "mint", agent_id, "--session", session_id, "--ttl", "15m",
        env=octavus.env(),
    )  # fmt: skip
    assert minted.code == 0, minted
    token = minted.stdout.strip()
    assert token.startswith("oct_et_")
    assert minted.stdout == token + "\n"
    assert token not in minted.stderr
    assert "[debug] -> POST" in minted.stderr  # --debug was on, and still no token
    assert f"Token for session {session_id}" in minted.stderr
    [mint] = [r for r in octavus.emulator.requests if r.path == "/api/tokens"]
    assert mint.body == {"agentId": agent_id, "sessionId": session_id, "ttlSeconds": 900}
    assert mint.sdk_version == "4"

    as_token = octavus.env(OCTAVUS_API_KEY=token)
    shown = run_cli("--debug", "sessions", "show", session_id, env=as_token)
    assert shown.code == 0, shown
    assert token not in shown.stderr + shown.stdout

    revoked = run_cli("--debug", "token", "revoke", "-", input=token + "\n", env=octavus.env())
    assert revoked.code == 0, revoked
    assert "Revoked (jti " in revoked.stdout
    assert token not in revoked.stdout + revoked.stderr
    again = run_cli("token", "revoke", token, "--json", env=octavus.env())
    assert again.code == 0, again
    assert again.json() == {"revoked": False}
    refused = run_cli("sessions", "show", session_id, "--json", env=as_token)
    assert refused.code == 1
    assert refused.json()["status"] == 401
    assert token not in refused.stdout + refused.stderr


def test_mint_json_and_a_slug(octavus: Sessions) -> None:
    result = run_cli("token", "mint", "support-chat", "--json", env=octavus.env())
    assert result.code == 0, result
    doc = result.json()
    assert set(doc) == {"token", "jti", "expiresAt"}
    assert doc["token"] not in result.stderr
    [mint] = [r for r in octavus.emulator.requests if r.path == "/api/tokens"]
    assert mint.body == {"agentId": octavus.support_chat.id}


def test_a_bad_ttl_is_refused_before_any_request(octavus: Sessions) -> None:
    result = run_cli("token", "mint", "cmagent", "--ttl", "2 weeks", "--json", env=octavus.env())
    assert result.code == 2
    assert result.json()["code"] == "CONFIG_ERROR"
    assert octavus.emulator.requests == []


@pytest.mark.parametrize(
    ("value", "seconds"), [("900", 900), ("90s", 90), ("15m", 900), ("2h", 7200), ("1d", 86400)]
)
def test_parse_ttl(value: str, seconds: int) -> None:
    assert parse_ttl(value) == seconds


@pytest.mark.parametrize("value", ["0", "25h", "-5m", "soon"])
def test_parse_ttl_refuses(value: str) -> None:
    with pytest.raises(ConfigError):
        parse_ttl(value)
