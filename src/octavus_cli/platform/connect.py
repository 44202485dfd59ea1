"""The one client factory: every command family gets its platform client here.

Auth (the family's key, or credentials given), the base URL, headers, timeouts and
retries are decided in this one place, so ``sync``, ``run``, ``sessions``, ``token``,
``workforce`` and completion cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from octavus_cli.config import Credentials, Family
from octavus_cli.platform.http import (
    CONNECT_SECONDS,
    DEFAULT_SECONDS,
    PlatformClient,
    RetryPolicy,
)
from octavus_cli.settings import Settings

# The permission a key needs, named in 401/403 messages.
PERMISSIONS = {
    Family.MANAGEMENT: "the Agents",
    Family.RUN: "the Sessions",
    Family.WORKFORCE: "this agent's own (oct_agt_...)",
}

RetryCallback = Callable[[str, float], None]


def retry_line(reason: str, delay: float) -> str:
    """How every command says a retry (``reason`` is the HTTP layer's sentence)."""
    return f"{reason}; retrying in {delay:.1f} s"


def announce_retries(say: Callable[[str], None]) -> RetryCallback:
    """An ``on_retry`` that says each retry in one line."""

    def on_retry(reason: str, delay: float) -> None:
        say(retry_line(reason, delay))

    return on_retry


def connect(
    family: Family,
    settings: Settings | None = None,
    *,
    credentials: Credentials | None = None,
    say: Callable[[str], None] | None = None,
    on_retry: RetryCallback | None = None,
    permission: str | None = None,
    read_timeout: float | None = None,
    timeout: float | None = None,
    retry: RetryPolicy | None = None,
) -> PlatformClient:
    """A client for ``family``, closed by ``with`` (or :meth:`PlatformClient.close`).

    Everything comes from ``settings`` (the command's; the process environment when
    None): the family's key unless ``credentials`` are given, the base URL, proxies
    and CA bundles, ``OCTAVUS_TIMEOUT``. Retries are announced through ``say`` (one
    line each) or handed to ``on_retry``. Timeouts: ``timeout`` replaces all of them;
    ``read_timeout`` sets the read timeout of a stream (``run --idle-timeout``;
    ``OCTAVUS_TIMEOUT`` does not apply); otherwise ``OCTAVUS_TIMEOUT`` (seconds)
    replaces the defaults of 10 s to connect and 60 s per read.
    """
    settings = settings or Settings.from_environ()
    creds = credentials or settings.credentials(family)
    client = PlatformClient(creds, permission=permission or PERMISSIONS[family], env=settings.env)
    if on_retry is not None:
        client.on_retry = on_retry
    elif say is not None:
        client.on_retry = announce_retries(say)
    if timeout is not None:
        client.timeout = httpx.Timeout(timeout)
    elif read_timeout is not None:
        client.timeout = httpx.Timeout(DEFAULT_SECONDS, connect=CONNECT_SECONDS, read=read_timeout)
    else:
        seconds = settings.timeout
        if seconds is not None:
            client.timeout = httpx.Timeout(seconds)
    if retry is not None:
        client.retry = retry
    return client
