"""Ephemeral tokens (CONTRACT section 11): mint and revoke.

A token is a bearer credential: it is returned to the caller and never put in a
log line, an error message or a URL (the HTTP layer logs only method and URL).
"""

from __future__ import annotations

from typing import Any

from octavus_cli.errors import ApiError
from octavus_cli.platform.headers import session_headers
from octavus_cli.platform.http import PlatformClient, expect_object
from octavus_cli.records import record

MINT_PERMISSION = "the Mint Tokens"


@record
class MintedToken:
    token: str
    jti: str | None
    expires_at: str | None

    def __repr__(self) -> str:  # never show the token in a traceback or a debugger
        return f"MintedToken(token=<hidden>, jti={self.jti!r}, expires_at={self.expires_at!r})"


@record
class Revocation:
    revoked: bool
    jti: str | None


@record(frozen=False)
class TokensApi:
    client: PlatformClient

    def mint(
        self, agent_id: str, *, session_id: str | None = None, ttl_seconds: int | None = None
    ) -> MintedToken:
        body: dict[str, Any] = {"agentId": agent_id}
        if session_id:
            body["sessionId"] = session_id
        if ttl_seconds is not None:
            body["ttlSeconds"] = ttl_seconds
        data = expect_object(
            self.client.request_json(
                "POST",
                "/api/tokens",
                body=body,
                idempotent=False,
                what=f"mint a token for agent {agent_id!r}",
                headers=session_headers(),
            ),
            "mint token",
        )
        token = data.get("token")
        if not isinstance(token, str) or not token:
            raise ApiError("The platform answered mint token without a token")
        jti = data.get("jti")
        expires = data.get("expiresAt")
        return MintedToken(
            token,
            jti if isinstance(jti, str) else None,
            expires if isinstance(expires, str) else None,
        )

    def revoke(self, token: str) -> Revocation:
        data = expect_object(
            self.client.request_json(
                "POST",
                "/api/tokens/revoke",
                body={"token": token},
                idempotent=True,  # revoking twice answers revoked: false, harmlessly
                what="revoke token",
                headers=session_headers(),
            ),
            "revoke token",
        )
        jti = data.get("jti")
        return Revocation(data.get("revoked") is True, jti if isinstance(jti, str) else None)
