"""GitHub Actions OIDC tokens for keyless runs (CONTRACT section 7).

In a job with ``permissions: id-token: write`` GitHub sets
``ACTIONS_ID_TOKEN_REQUEST_URL`` and ``ACTIONS_ID_TOKEN_REQUEST_TOKEN``.
``GET <URL>&audience=<aud>`` with ``Authorization: Bearer <REQUEST_TOKEN>``
answers ``{"value": "<jwt>"}``; the JWT is then the bearer for session calls of
the one agent the Octavus provider is bound to.

Both the request token and the JWT are secrets: neither is ever printed, logged
or put into an error message.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from urllib.parse import quote, urlsplit

import httpx

from octavus_cli.config import is_loopback_host
from octavus_cli.errors import ApiError, ConfigError
from octavus_cli.pacing import pace_sleep
from octavus_cli.platform.http import user_agent

URL_VARIABLE = "ACTIONS_ID_TOKEN_REQUEST_URL"
TOKEN_VARIABLE = "ACTIONS_ID_TOKEN_REQUEST_TOKEN"
TOKEN_SOURCE = "GitHub Actions OIDC token"
PERMISSION_HINT = (
    "Run this inside a GitHub Actions job that grants `permissions: id-token: write` "
    "(at the workflow or the job level); GitHub only sets "
    f"{URL_VARIABLE} and {TOKEN_VARIABLE} then."
)
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
ATTEMPTS = 3


def token_request_url(base: str, audience: str) -> str:
    """GitHub's URL already carries a query, so the audience is appended with ``&``."""
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}audience={quote(audience, safe='')}"


def _check_endpoint(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"{URL_VARIABLE} is not an http(s) URL",
            hint="It is set by GitHub Actions; do not set it yourself.",
        )
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise ConfigError(
            f"Refusing to send the Actions token request token over plain http to {parts.hostname}",
            hint=f"{URL_VARIABLE} must be an https URL (as GitHub sets it).",
        )


def fetch_github_oidc_token(
    audience: str,
    env: Mapping[str, str] | None = None,
    *,
    timeout: float = 15.0,
    sleep: Callable[[float], None] = pace_sleep,
) -> str:
    """Ask GitHub Actions for an OIDC token for ``audience`` and return the JWT."""
    env = os.environ if env is None else env
    if not audience.strip():
        raise ConfigError(
            "--oidc-audience is empty",
            hint="Give the audience Octavus generated for your provider registration.",
        )
    base = env.get(URL_VARIABLE, "").strip()
    request_token = env.get(TOKEN_VARIABLE, "").strip()
    if not base or not request_token:
        missing = [
            name
            for name, value in ((URL_VARIABLE, base), (TOKEN_VARIABLE, request_token))
            if not value
        ]
        raise ConfigError(
            f"Cannot get a GitHub Actions OIDC token: {' and '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not set",
            hint=PERMISSION_HINT,
        )
    _check_endpoint(base)
    url = token_request_url(base, audience)
    headers = {
        "Authorization": f"Bearer {request_token}",
        "Accept": "application/json",
        "User-Agent": user_agent(),
    }
    with httpx.Client(timeout=timeout, trust_env=True, follow_redirects=False) as client:
        for attempt in range(ATTEMPTS):
            last = attempt == ATTEMPTS - 1
            try:
                response = client.get(url, headers=headers)
            except httpx.TransportError as exc:
                if not last:
                    sleep(2.0**attempt)
                    continue
                raise ApiError(
                    f"Could not reach GitHub's OIDC token endpoint ({type(exc).__name__})",
                    hint="This is usually a transient GitHub problem; re-run the job.",
                ) from None
            if response.status_code in RETRY_STATUSES and not last:
                sleep(2.0**attempt)
                continue
            return _read_token(response)
    raise AssertionError("unreachable")  # pragma: no cover


def _read_token(response: httpx.Response) -> str:
    status = response.status_code
    if status in (401, 403):
        raise ApiError(
            f"GitHub refused to issue an OIDC token (HTTP {status})",
            status=status,
            hint=PERMISSION_HINT,
        )
    if status >= 400:
        raise ApiError(
            f"GitHub's OIDC token endpoint failed (HTTP {status})",
            status=status,
            hint="Re-run the job; if it keeps failing, check githubstatus.com.",
        )
    try:
        data = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        data = None
    value = data.get("value") if isinstance(data, dict) else None
    if not isinstance(value, str) or not value.strip():
        raise ApiError(
            "GitHub's OIDC token endpoint answered without a token ('value' is missing)",
            status=status,
        )
    return value.strip()
