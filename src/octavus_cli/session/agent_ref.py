"""AGENT as given on the command line -> the agent id a session needs, and its protocol.

AGENT is a local agent folder (its slug comes from settings.json and its
protocol is read locally), a slug, or an id. Slugs and ids look alike, so the
likelier form is asked first (a value with a dash is probably a slug) and the
other one second. Sessions need the agent *id*.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from octavus_cli.errors import ApiError, ConfigError, NotFoundError
from octavus_cli.platform.agents import AgentsApi
from octavus_cli.records import record
from octavus_cli.session.protocol_info import parse_protocol

if TYPE_CHECKING:
    from octavus_cli.protocol.model import ProtocolModel

WORKER_FORMAT = "worker"


@record
class LocalAgent:
    folder: Path
    slug: str
    protocol: ProtocolModel | None
    worker: bool = False  # format: worker (runs through the execute endpoint)


@record
class AgentTarget:
    agent_id: str
    label: str  # what to show the user: the slug when known, else the id
    protocol: ProtocolModel | None  # None when the definition could not be read
    worker: bool = False


def refuse_worker(label: str, why: str, hint: str) -> ConfigError:
    return ConfigError(f"{label} is a worker agent (format: worker): {why}", hint=hint)


def _looks_like_path(value: str) -> bool:
    return "/" in value or "\\" in value or value.startswith((".", "~"))


def read_local_agent(value: str) -> LocalAgent | None:
    """The agent folder AGENT names, or ``None`` when AGENT is an id or a slug."""
    path = Path(value).expanduser()
    if not path.is_dir():
        if _looks_like_path(value):
            raise ConfigError(
                f"No agent folder at {value}",
                hint="Give an agent folder (with settings.json), an agent slug or an agent id.",
            )
        return None
    from octavus_cli.protocol.folder import read_agent_dir  # only for a folder (start-up time)

    definition = read_agent_dir(path)
    return LocalAgent(
        path,
        definition.slug,
        parse_protocol(definition.protocol),
        worker=definition.settings.format == WORKER_FORMAT,
    )


def _target(data: dict[str, object], value: str) -> AgentTarget:
    agent_id = data.get("id")
    if not isinstance(agent_id, str) or not agent_id:
        raise ApiError(f"The platform answered the lookup of agent {value!r} without an id")
    settings = data.get("settings")
    slug = settings.get("slug") if isinstance(settings, dict) else None
    protocol_text = data.get("protocol")
    return AgentTarget(
        agent_id=agent_id,
        label=slug if isinstance(slug, str) and slug else value,
        protocol=parse_protocol(protocol_text) if isinstance(protocol_text, str) else None,
        worker=isinstance(settings, dict) and settings.get("format") == WORKER_FORMAT,
    )


def resolve_agent(value: str, local: LocalAgent | None, agents: AgentsApi) -> AgentTarget:
    """Look the agent up on the platform (by slug for a folder)."""
    if local is not None:
        found = agents.find_by_slug(local.slug)
        if found is None:
            raise NotFoundError(
                f"Agent {local.slug!r} (from {local.folder}) is not on the platform",
                hint=f"Upload it first: octavus sync {local.folder}",
            )
        target = _target(found, local.slug)
        # The folder is what the user edits: type inputs by it.
        return AgentTarget(
            target.agent_id,
            local.slug,
            local.protocol or target.protocol,
            worker=local.worker or target.worker,
        )
    order = (True, False) if "-" in value else (False, True)
    for by_slug in order:
        try:
            return _target(agents.get(value, by_slug=by_slug), value)
        except NotFoundError:
            continue
    raise NotFoundError(
        f"No agent with the id or slug {value!r}",
        hint="`octavus list` shows the agents your key can see.",
    )


def agent_for_token(value: str, local: LocalAgent | None) -> AgentTarget:
    """With an OIDC token (session use only) AGENT must be the agent id itself."""
    if local is not None:
        raise ConfigError(
            "With --oidc-audience, AGENT must be the agent id, not a folder",
            hint="An OIDC token can only run sessions of its bound agent; it cannot look "
            "agents up. Pass the id (e.g. ${{ vars.OCTAVUS_AGENT_ID }}).",
        )
    return AgentTarget(agent_id=value, label=value, protocol=None)
