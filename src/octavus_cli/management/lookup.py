"""Find one agent by slug or by id, with a message that says what to do when absent."""

from __future__ import annotations

from typing import Any

from octavus_cli.errors import NotFoundError
from octavus_cli.platform.agents import AgentsApi
from octavus_cli.protocol.folder import SLUG_PATTERN

LIST_HINT = "Run `octavus list` to see the slugs and ids of the project's agents."


def agent_not_found(slug_or_id: str) -> NotFoundError:
    """The error for an agent that does not exist (code NOT_FOUND, exit 1)."""
    return NotFoundError(f"Agent not found: {slug_or_id}", status=404, hint=LIST_HINT)


def fetch_agent(api: AgentsApi, slug_or_id: str) -> dict[str, Any]:
    """The agent definition, looked up by slug first and then by id.

    Slugs and platform ids can look alike (both lowercase letters and digits), so
    the shape alone cannot decide: a value that could be a slug is tried as one
    (``?by=slug``), and on 404 as an id. A value that cannot be a slug (upper case,
    underscores) goes straight to the id lookup.
    """
    if SLUG_PATTERN.match(slug_or_id):
        found = api.find_by_slug(slug_or_id)
        if found is not None:
            return found
    try:
        return api.get(slug_or_id, by_slug=False)
    except NotFoundError:
        raise agent_not_found(slug_or_id) from None
