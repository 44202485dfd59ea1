"""The Agents API client the management commands share."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from octavus_cli.config import Family
from octavus_cli.errors import ConfigError
from octavus_cli.output import Reporter
from octavus_cli.platform.agents import AgentsApi, connect

TIMEOUT_VARIABLE = "OCTAVUS_TIMEOUT"


def timeout_from_env() -> httpx.Timeout | None:
    """``OCTAVUS_TIMEOUT`` (seconds) for connecting and for each read; None when unset."""
    raw = os.environ.get(TIMEOUT_VARIABLE, "").strip()
    if not raw:
        return None
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 3600:
        raise ConfigError(
            f"{TIMEOUT_VARIABLE} must be a number of seconds between 0 and 3600, got {raw!r}",
            hint=f"For example {TIMEOUT_VARIABLE}=30, or unset it for the defaults.",
        )
    return httpx.Timeout(seconds)


@contextmanager
def agents_api(out: Reporter) -> Iterator[AgentsApi]:
    """An :class:`AgentsApi` with the management key (OCTAVUS_CLI_API_KEY first).

    Retries are announced on stderr in human mode, so a slow platform is not
    mistaken for a hang. ``OCTAVUS_TIMEOUT`` replaces the connect and read
    timeouts (default 10 s to connect, 60 s per read). The one httpx client is
    created up front: it is thread-safe, and the workers of a bulk sync share it.
    """
    client = connect(Family.MANAGEMENT)
    timeout = timeout_from_env()
    if timeout is not None:
        client.timeout = timeout
    if out.is_human:
        client.on_retry = lambda reason, delay: out.info(
            f"The platform answered {reason}; retrying in {delay:.1f} s"
        )
    client.http  # noqa: B018 -- create the shared client before any worker thread
    try:
        yield AgentsApi(client)
    finally:
        client.close()
