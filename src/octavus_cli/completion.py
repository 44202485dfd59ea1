"""Dynamic shell completion: agent folders for PATH arguments, slugs for agent names.

Called by the shell on every Tab, so both are quick and never fail: a problem
(no key, platform unreachable) simply offers nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

SETTINGS_FILE = "settings.json"
SLUG_TIMEOUT = 2.0  # seconds; a slow platform must not hang the shell


def agent_folders(incomplete: str) -> list[tuple[str, str]]:
    """Folders that start with what is typed; agent folders say so."""
    head, _, prefix = incomplete.rpartition("/")
    base = Path(head + "/" if head or incomplete.startswith("/") else ".")
    try:
        entries = sorted(base.iterdir())
    except OSError:
        return []
    found: list[tuple[str, str]] = []
    for entry in entries:
        if not entry.name.startswith(prefix) or (entry.name.startswith(".") and not prefix):
            continue
        try:
            if not entry.is_dir():
                continue
            agent = (entry / SETTINGS_FILE).is_file()
        except OSError:
            continue
        value = f"{head}/{entry.name}" if head or incomplete.startswith("/") else entry.name
        found.append((value, "agent folder" if agent else "folder"))
    return found


def agent_slugs(incomplete: str) -> list[tuple[str, str]]:
    """Slugs of the project's agents (needs the management key in the environment)."""
    if not (os.environ.get("OCTAVUS_CLI_API_KEY") or os.environ.get("OCTAVUS_API_KEY")):
        return []
    try:
        from octavus_cli.config import Family
        from octavus_cli.platform.agents import AgentsApi
        from octavus_cli.platform.connect import connect
        from octavus_cli.platform.http import RetryPolicy

        no_retries = RetryPolicy(max_retries=0)
        with connect(Family.MANAGEMENT, timeout=SLUG_TIMEOUT, retry=no_retries) as client:
            agents = AgentsApi(client).list()
    except Exception:
        return []
    found: list[tuple[str, str]] = []
    for agent in agents:
        slug = agent.get("slug")
        if isinstance(slug, str) and slug.startswith(incomplete):
            name = agent.get("name")
            found.append((slug, name if isinstance(name, str) else ""))
    return found
