"""An agent as ``sync`` compares it: the same shape whether it is local or remote.

A snapshot is a mapping of *virtual file* -> text (``settings.json``,
``protocol.yaml``, ``prompts/<name>.md``, ``references/<name>.md``). Two snapshots
are equal exactly when a PATCH would change nothing, and the same mapping feeds the
unified diff of ``--dry-run``, so the comparison and what the user is shown can
never disagree.

What is compared:

* settings without ``slug``: ``name``, ``description`` (absent, ``null`` and
  ``""`` are the same), ``format``. A folder without a description does not
  manage it: the update body leaves it out, so the platform keeps its own, and
  comparing it would ask for the same update on every sync;
* the protocol text, exactly;
* prompts as a set, by name -> content (exactly);
* references by name -> description and content, both trimmed (the folder reader
  trims the body after the front matter; the platform may too).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from octavus_cli.protocol.folder import (
    PROMPTS_DIR,
    PROTOCOL_FILE,
    REFERENCES_DIR,
    SETTINGS_FILE,
    AgentDefinition,
)


@dataclass(frozen=True)
class Snapshot:
    """The comparable content of one agent, as virtual files."""

    files: Mapping[str, str]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Snapshot) and dict(self.files) == dict(other.files)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.files.items())))

    def changed_files(self, other: Snapshot) -> list[str]:
        """Names of the virtual files that differ (added, removed or changed), sorted."""
        names = set(self.files) | set(other.files)
        return sorted(n for n in names if self.files.get(n) != other.files.get(n))


def _settings_text(name: str, description: str | None, fmt: str) -> str:
    settings: dict[str, str] = {"name": name}
    if description:
        settings["description"] = description
    settings["format"] = fmt
    return json.dumps(settings, indent=2, ensure_ascii=False) + "\n"


def _reference_text(description: str, content: str) -> str:
    return f"---\ndescription: {json.dumps(description.strip(), ensure_ascii=False)}\n---\n\n" + (
        content.strip() + "\n"
    )


def _build(
    settings_text: str,
    protocol: str,
    prompts: Mapping[str, str],
    references: Mapping[str, tuple[str, str]],
) -> Snapshot:
    files: dict[str, str] = {SETTINGS_FILE: settings_text, PROTOCOL_FILE: protocol}
    for name, content in prompts.items():
        files[f"{PROMPTS_DIR}/{name}.md"] = content
    for name, (description, content) in references.items():
        files[f"{REFERENCES_DIR}/{name}.md"] = _reference_text(description, content)
    return Snapshot(files)


def local_snapshot(definition: AgentDefinition) -> Snapshot:
    """The snapshot of an agent read from a folder."""
    settings = definition.settings
    return _build(
        _settings_text(settings.name, settings.description, settings.format),
        definition.protocol,
        {p.name: p.content for p in definition.prompts},
        {r.name: (r.description, r.content) for r in definition.references},
    )


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _named_items(value: Any) -> list[Mapping[str, Any]]:
    if not isinstance(value, list):
        return []
    return [
        item for item in value if isinstance(item, Mapping) and isinstance(item.get("name"), str)
    ]


def remote_snapshot(body: Mapping[str, Any], *, with_description: bool = True) -> Snapshot:
    """The snapshot of an agent as the platform returns it (``GET /api/agents/{id}``).

    ``with_description=False`` leaves the description out (for a local folder
    that has none). Missing or malformed parts count as empty, so an odd answer
    shows up as a difference (and an update) rather than a crash.
    """
    settings = body.get("settings")
    settings = settings if isinstance(settings, Mapping) else {}
    description = settings.get("description") if with_description else None
    return _build(
        _settings_text(
            _text(settings.get("name")),
            description if isinstance(description, str) else None,
            _text(settings.get("format")),
        ),
        _text(body.get("protocol")),
        {item["name"]: _text(item.get("content")) for item in _named_items(body.get("prompts"))},
        {
            item["name"]: (_text(item.get("description")), _text(item.get("content")))
            for item in _named_items(body.get("references"))
        },
    )


EMPTY = Snapshot({})
