"""Prompt rendering as the platform does it (docs: protocol/overview, input-resources).

Three steps, in this order:

1. ``{{@path.md}}`` includes are replaced by the named prompt (its path under
   ``prompts/`` without ``.md``), recursively; a missing or circular include is
   left as written.
2. ``{{#if COND}} ... {{else if COND}} ... {{else}} ... {{/if}}`` keeps the first
   branch whose condition holds. ``COND`` is ``VAR``, ``!VAR``, ``VAR == "x"`` or
   ``VAR != "x"``. Falsy: absent, null, false, ``""``, ``"false"``, ``"0"``. A tag
   alone on its line takes the line with it. Unbalanced tags leave the text as is.
3. ``{{VAR}}`` is replaced by the mapped value (objects as JSON); a variable that
   is not mapped keeps its placeholder.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from octavus_cli.protocol.templates import parse_condition
from octavus_cli.records import field, record

_INCLUDE = re.compile(r"\{\{@\s*([^{}]+?)\s*\}\}")
_VARIABLE = re.compile(r"\{\{\s*([A-Z][A-Z0-9_]*)\s*\}\}")
_TAG = re.compile(r"\{\{\s*(#if\s+[^{}]*?|else\s+if\s+[^{}]*?|else|/if)\s*\}\}")

PromptLookup = Callable[[str], "str | None"]


def prompt_name(path: str) -> str:
    """``shared/tone.md`` -> ``shared/tone``."""
    name = path.strip().removeprefix("./").lstrip("/")
    return name[:-3] if name.endswith(".md") else name


def expand_includes(text: str, lookup: PromptLookup, _stack: tuple[str, ...] = ()) -> str:
    def replace(match: re.Match[str]) -> str:
        name = prompt_name(match.group(1))
        content = lookup(name)
        if content is None or name in _stack:
            return match.group(0)
        return expand_includes(content, lookup, (*_stack, name))

    return _INCLUDE.sub(replace, text)


def string_form(value: Any) -> str:
    """How a value reads inside a prompt and in ``==`` comparisons."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


def truthy(value: Any) -> bool:
    if value is None or value is False:
        return False
    return not (isinstance(value, str) and value in ("", "false", "0"))


def condition_holds(condition: str, values: Mapping[str, Any]) -> bool:
    """Evaluate a condition parsed by the validator's grammar (malformed: False)."""
    parsed = parse_condition(condition)
    if isinstance(parsed, str):
        return False
    value = values.get(parsed.variable)
    if parsed.operator is None:
        result = truthy(value)
        return not result if parsed.negated else result
    if value is None:
        return parsed.operator == "!="
    equal = string_form(value) == parsed.literal
    return equal if parsed.operator == "==" else not equal


@record(frozen=False)
class _Branch:
    condition: str | None  # None: the else branch
    nodes: list[Any] = field(default_factory=list)


@record(frozen=False)
class _If:
    branches: list[_Branch] = field(default_factory=list)


def _standalone(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a tag's span to its whole line when nothing else is on that line."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    if text[line_start:start].strip() or text[end:line_end].strip():
        return start, end
    return line_start, min(line_end + 1, len(text))


def _parse(text: str) -> list[Any] | None:
    """Text and :class:`_If` nodes; ``None`` when the tags are unbalanced."""
    root: list[Any] = []
    stack: list[_If] = []

    def current() -> list[Any]:
        return stack[-1].branches[-1].nodes if stack else root

    position = 0
    for match in _TAG.finditer(text):
        start, end = _standalone(text, match.start(), match.end())
        if start < position:
            start = position
        current().append(text[position:start])
        position = end
        tag = match.group(1)
        if tag.startswith("#if"):
            node = _If([_Branch(tag[3:].strip())])
            current().append(node)
            stack.append(node)
        elif tag.startswith("else"):
            if not stack or stack[-1].branches[-1].condition is None:
                return None
            rest = tag[4:].strip()
            condition = rest[2:].strip() if rest.startswith("if") else None
            stack[-1].branches.append(_Branch(condition))
        else:  # /if
            if not stack:
                return None
            stack.pop()
    if stack:
        return None
    root.append(text[position:])
    return root


def _render_nodes(nodes: list[Any], values: Mapping[str, Any]) -> str:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
            continue
        for branch in node.branches:
            if branch.condition is None or condition_holds(branch.condition, values):
                out.append(_render_nodes(branch.nodes, values))
                break
    return "".join(out)


def apply_conditionals(text: str, values: Mapping[str, Any]) -> str:
    nodes = _parse(text)
    return text if nodes is None else _render_nodes(nodes, values)


def interpolate(text: str, values: Mapping[str, Any]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        return string_form(values[name]) if name in values else match.group(0)

    return _VARIABLE.sub(replace, text)


def render(text: str, values: Mapping[str, Any], lookup: PromptLookup) -> str:
    """Includes, then conditionals, then variables."""
    return interpolate(apply_conditionals(expand_includes(text, lookup), values), values)
