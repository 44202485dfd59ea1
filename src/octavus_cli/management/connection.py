"""The Agents API client the management commands share."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from octavus_cli.config import Family
from octavus_cli.output import Reporter
from octavus_cli.platform.agents import AgentsApi, connect
from octavus_cli.platform.skills import SkillsApi


@contextmanager
def agents_api(out: Reporter) -> Iterator[AgentsApi]:
    """An :class:`AgentsApi` with the management key (OCTAVUS_CLI_API_KEY first).

    Retries are announced on stderr (in human output: ``Reporter.info``), so a slow
    platform is not mistaken for a hang. ``OCTAVUS_TIMEOUT`` replaces the connect and read
    timeouts (default 10 s to connect, 60 s per read). The one httpx client is
    created up front: it is thread-safe, and the workers of a bulk sync share it.
    """
    client = connect(Family.MANAGEMENT, on_debug=out.debug)
    client.on_retry = lambda reason, delay: out.info(f"{reason}; retrying in {delay:.1f} s")
    client.http  # noqa: B018 -- create the shared client before any worker thread
    try:
        yield AgentsApi(client)
    finally:
        client.close()


@contextmanager
def skills_api(out: Reporter) -> Iterator[SkillsApi]:
    """A :class:`SkillsApi` with the management key, shared like :func:`agents_api`."""
    client = connect(Family.MANAGEMENT, on_debug=out.debug)
    client.on_retry = lambda reason, delay: out.info(
        f"The platform answered {reason}; retrying in {delay:.1f} s"
    )
    client.http  # noqa: B018 -- create the shared client before any worker thread
    try:
        yield SkillsApi(client)
    finally:
        client.close()
