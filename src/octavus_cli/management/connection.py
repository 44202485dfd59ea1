"""The Agents API client of the management commands (list, get, archive, sync)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from octavus_cli.config import Family
from octavus_cli.platform.agents import AgentsApi
from octavus_cli.platform.connect import connect
from octavus_cli.settings import Settings


@contextmanager
def agents_api(settings: Settings, say: Callable[[str], None]) -> Iterator[AgentsApi]:
    """An :class:`AgentsApi` with the management key, closed when the block ends.

    Retries are announced through ``say``; the one client is shared by the workers
    of a bulk sync.
    """
    with connect(Family.MANAGEMENT, settings, say=say) as client:
        yield AgentsApi(client)
