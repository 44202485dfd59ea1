"""Checks of agent request bodies (create and update), with messages naming the field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from octavus_cli.emulator.store import AgentChanges
from octavus_cli.records import record

FORMATS = ("interactive", "worker")


@record
class CreateFields:
    slug: str
    name: str
    description: str | None
    format: str
    protocol: str
    prompts: list[dict[str, str]]
    references: list[dict[str, str]]


def _slug_ok(slug: str) -> bool:
    from octavus_cli.protocol.folder import SLUG_PATTERN

    return bool(SLUG_PATTERN.match(slug))


def _text(value: Any, what: str, *, empty_ok: bool = False) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be a string")
    if not empty_ok and not value.strip():
        raise ValueError(f"{what} must not be empty")
    return value


def parse_prompts(value: Any) -> list[dict[str, str]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError("prompts must be an array of {name, content}")
    prompts: list[dict[str, str]] = []
    seen: set[str] = set()
    for index, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise ValueError(f"prompts[{index}] must be an object with name and content")
        name = _text(item.get("name"), f"prompts[{index}].name")
        content = _text(item.get("content"), f"prompts[{index}].content", empty_ok=True)
        if name in seen:
            raise ValueError(f"prompts[{index}]: duplicate prompt name '{name}'")
        seen.add(name)
        prompts.append({"name": name, "content": content})
    return prompts


def parse_references(value: Any) -> list[dict[str, str]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError("references must be an array of {name, description, content}")
    references: list[dict[str, str]] = []
    seen: set[str] = set()
    for index, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise ValueError(f"references[{index}] must be an object")
        name = _text(item.get("name"), f"references[{index}].name")
        description = _text(item.get("description"), f"references[{index}].description")
        content = _text(item.get("content"), f"references[{index}].content", empty_ok=True)
        if name in seen:
            raise ValueError(f"references[{index}]: duplicate reference name '{name}'")
        seen.add(name)
        references.append({"name": name, "description": description, "content": content})
    return references


def _format(value: Any) -> str:
    if value not in FORMATS:
        raise ValueError('settings.format must be "interactive" or "worker"')
    return str(value)


def _description(value: Any) -> str | None:
    if value is None:
        return None
    return _text(value, "settings.description", empty_ok=True)


def parse_create_body(body: Any) -> CreateFields:
    """The fields of a create body; ``ValueError`` says what is wrong."""
    if not isinstance(body, Mapping):
        raise ValueError("the body must be a JSON object {settings, protocol, prompts}")
    settings = body.get("settings")
    if not isinstance(settings, Mapping):
        raise ValueError("settings must be an object {slug, name, description?, format}")
    slug = _text(settings.get("slug"), "settings.slug")
    if not _slug_ok(slug):
        raise ValueError(
            f"settings.slug '{slug}' may only hold lowercase letters, digits and dashes"
        )
    return CreateFields(
        slug=slug,
        name=_text(settings.get("name"), "settings.name"),
        description=_description(settings.get("description")),
        format=_format(settings.get("format")),
        protocol=_text(body.get("protocol"), "protocol", empty_ok=True),
        prompts=parse_prompts(body.get("prompts")),
        references=parse_references(body.get("references")),
    )


def parse_update_body(body: Any, current_slug: str) -> AgentChanges:
    """The changes of a PATCH body: every field optional, only given fields change."""
    if not isinstance(body, Mapping):
        raise ValueError("the body must be a JSON object")
    changes = AgentChanges()
    settings = body.get("settings")
    if settings is not None:
        if not isinstance(settings, Mapping):
            raise ValueError("settings must be an object {name?, description?, format?}")
        slug = settings.get("slug")
        if slug is not None and slug != current_slug:
            raise ValueError(
                "settings.slug cannot be changed; archive the agent and create a new one"
            )
        if "name" in settings:
            changes.name = _text(settings["name"], "settings.name")
            changes.touched.add("name")
        if "description" in settings:
            changes.description = _description(settings["description"])
            changes.clear_description = settings["description"] is None
            changes.touched.add("description")
        if "format" in settings:
            changes.format = _format(settings["format"])
            changes.touched.add("format")
    if body.get("protocol") is not None:
        changes.protocol = _text(body["protocol"], "protocol", empty_ok=True)
        changes.touched.add("protocol")
    if body.get("prompts") is not None:
        changes.prompts = parse_prompts(body["prompts"])
        changes.touched.add("prompts")
    if body.get("references") is not None:
        changes.references = parse_references(body["references"])
        changes.touched.add("references")
    return changes
