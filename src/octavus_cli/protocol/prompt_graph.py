"""Which prompts are rendered by what, and what each prompt (with its includes) uses.

A prompt is rendered by ``agent.system``, a ``start-thread`` block's ``system``
or an ``add-message`` block's ``prompt``, each with the variables its ``input``
mapping passes. ``{{@path.md}}`` includes are inserted before interpolation, so
an included prompt sees the variables of the prompt that includes it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from functools import cached_property

from octavus_cli.protocol.context import Context, MappingEntry, input_mapping
from octavus_cli.protocol.folder import PROMPTS_DIR
from octavus_cli.protocol.model import Block
from octavus_cli.protocol.templates import Tag, parse_template
from octavus_cli.protocol.yaml_source import PathKey
from octavus_cli.records import record


@record
class Render:
    """One place that renders a prompt."""

    prompt: str
    prompt_path: PathKey  # where the prompt's name is written
    mapping: tuple[MappingEntry, ...]
    scope: str | None  # trigger of the handler; None for agent.system and worker steps
    owner: str  # "agent.system" or 'block "X"'
    block: Block | None
    has_input: bool

    @cached_property
    def labels(self) -> dict[str, str]:
        return {entry.label: entry.source for entry in self.mapping}


def prompt_file(name: str) -> str:
    return f"{PROMPTS_DIR}/{name}.md"


def renders(ctx: Context) -> list[Render]:
    found: list[Render] = []
    if not ctx.is_worker:
        agent = ctx.section("agent")
        system = agent.get("system")
        if isinstance(system, str):
            found.append(
                Render(
                    system,
                    ("agent", "system"),
                    tuple(input_mapping(agent.get("input"), ("agent", "input"))),
                    None,
                    "agent.system",
                    None,
                    "input" in agent,
                )
            )
    for block in ctx.blocks:
        field = {"start-thread": "system", "add-message": "prompt"}.get(block.kind or "")
        if field is None:
            continue
        name = block.data.get(field)
        if not isinstance(name, str):
            continue
        found.append(
            Render(
                name,
                block.field_path(field),
                tuple(input_mapping(block.data.get("input"), block.field_path("input"))),
                block.scope,
                block.label,
                block,
                "input" in block.data,
            )
        )
    return found


@record
class Include:
    """A ``{{@...}}`` tag of ``source`` and the prompt it resolves to (if any)."""

    source: str  # the including prompt
    tag: Tag
    target: str | None  # resolved prompt name
    relative_only: bool  # resolved only relative to the including prompt's folder


def _normal(path: str) -> str:
    path = path.strip().lstrip("/")
    if path.startswith(f"{PROMPTS_DIR}/"):
        path = path[len(PROMPTS_DIR) + 1 :]
    normal = posixpath.normpath(path) if path else ""
    return normal.removesuffix(".md")


def _prompt_names(ctx: Context) -> set[str]:
    names: set[str] | None = ctx.memo.get("prompt-names")
    if names is None:
        names = ctx.memo["prompt-names"] = set(ctx.prompts)
    return names


def resolve_include(ctx: Context, source: str, path: str) -> tuple[str | None, bool]:
    """The prompt an include names: from prompts/ first, else from the includer's folder."""
    known = _prompt_names(ctx)
    root = _normal(path)
    if root in known:
        return root, False
    folder = posixpath.dirname(source)
    if folder:
        relative = _normal(posixpath.join(folder, path.strip()))
        if relative in known:
            return relative, True
    return None, False


def includes(ctx: Context, source: str) -> list[Include]:
    """The includes of prompt ``source`` (computed once per definition)."""
    cache: dict[str, list[Include]] = ctx.memo.setdefault("includes", {})
    found = cache.get(source)
    if found is None:
        found = cache[source] = _includes(ctx, source)
    return found


def prompt_tags(ctx: Context, name: str) -> tuple[Tag, ...]:
    """The tags of prompt ``name``, parsed once per definition.

    ``parse_template`` keeps the last 4096 prompts it parsed; an agent with more
    prompts than that would parse each one again for every rule that reads it.
    """
    cache: dict[str, tuple[Tag, ...]] = ctx.memo.setdefault("tags", {})
    tags = cache.get(name)
    if tags is None:
        tags = cache[name] = parse_template(ctx.prompts[name].content)
    return tags


def _includes(ctx: Context, source: str) -> list[Include]:
    if source not in ctx.prompts:
        return []
    found = []
    for tag in prompt_tags(ctx, source):
        if tag.kind == "include" and tag.name is not None:
            target, relative_only = resolve_include(ctx, source, tag.name)
            found.append(Include(source, tag, target, relative_only))
    return found


@record(slots=True)
class Use:
    """A variable or condition tag in ``file``, reached through includes."""

    file: str
    prompt: str
    tag: Tag

    @property
    def variable(self) -> str | None:
        if self.tag.kind == "variable":
            return self.tag.name
        if self.tag.condition is not None:
            return self.tag.condition.variable
        return None


def own_uses(ctx: Context, name: str) -> list[Use]:
    """Variables and conditions written in prompt ``name`` itself (computed once)."""
    cache: dict[str, list[Use]] = ctx.memo.setdefault("own-uses", {})
    found = cache.get(name)
    if found is None:
        found = cache[name] = [
            Use(prompt_file(name), name, tag)
            for tag in prompt_tags(ctx, name)
            if tag.kind == "variable" or (tag.kind in ("if", "else-if") and tag.condition)
        ]
    return found


def reachable(ctx: Context, names: Iterable[str]) -> list[str]:
    """``names`` and every prompt they include, directly or not, each once (linear)."""
    order: list[str] = []
    seen: set[str] = set()
    pending = list(names)
    while pending:
        current = pending.pop()
        if current in seen or current not in ctx.prompts:
            continue
        seen.add(current)
        order.append(current)
        pending.extend(inc.target for inc in includes(ctx, current) if inc.target)
    return order


def uses(ctx: Context, name: str) -> list[Use]:
    """Variables and conditions of prompt ``name`` and everything it includes."""
    return [use for current in reachable(ctx, [name]) for use in own_uses(ctx, current)]


def included_names(ctx: Context) -> set[str]:
    """Every prompt that some prompt includes."""
    names: set[str] = set()
    for source in ctx.prompts:
        names.update(inc.target for inc in includes(ctx, source) if inc.target)
    return names
