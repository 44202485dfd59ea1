"""Prompt templates: ``{{VAR}}``, ``{{@path.md}}`` and ``{{#if ...}}`` blocks.

The grammar (docs, 04-protocol/01-overview and 02-input-resources)::

    {{VARIABLE}}                  interpolation (UPPER_SNAKE_CASE)
    {{@shared/file.md}}           include another prompt (before interpolation)
    {{#if COND}} ... {{else if COND}} ... {{else}} ... {{/if}}

    COND := VAR | !VAR | VAR == "literal" | VAR != "literal"

Parsing is pure: it returns tags with positions; the rules decide what to report.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from octavus_cli.protocol.yaml_source import Span
from octavus_cli.records import record

_TAG = re.compile(r"\{\{([^{}\n]*)\}\}")
_VARIABLE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+$")
_IF = re.compile(r"^#if(?:\s+(?P<cond>.*))?$", re.DOTALL)
_ELSE_IF = re.compile(r"^else\s+if(?:\s+(?P<cond>.*))?$", re.DOTALL)
_COMPARISON = re.compile(
    r'^(?P<var>[A-Za-z_][A-Za-z0-9_]*)\s*(?P<op>==|!=)\s*"(?P<literal>[^"\\]*)"$'
)
_END_IF = re.compile(r"^/\s*if$")
_ELSE_WORD = re.compile(r"^else\b")


@record(slots=True)
class Condition:
    """The condition of an if tag: a variable, maybe negated or compared."""

    variable: str
    negated: bool = False
    operator: str | None = None
    literal: str | None = None
    literal_start: int = 0  # offset of the literal (with its quotes) in the tag's inner text


@record(slots=True)
class Tag:
    """One ``{{...}}`` of a prompt.

    ``kind`` is one of ``variable``, ``include``, ``if``, ``else-if``, ``else``,
    ``end-if``, ``dotted`` (``{{A.b}}``), ``block`` (another ``{{#x}}`` or
    ``{{/x}}``) or ``text`` (anything else, kept as written).
    """

    kind: str
    inner: str  # the text between the braces, stripped
    span: Span
    inner_offset: int  # offset of ``inner`` in the file
    name: str | None = None  # variable name or include path
    condition: Condition | None = None
    condition_error: str | None = None


@record
class StructureProblem:
    """A tag that breaks the template's structure, and what to do."""

    tag: Tag
    message: str
    hint: str


class _Lines:
    def __init__(self, content: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", content)]

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


def parse_condition(text: str) -> Condition | str:
    """A condition, or a message saying why it is malformed."""
    cond = text.strip()
    if _IDENTIFIER.match(cond) and cond.lower() not in ("and", "or"):
        return Condition(cond)  # the common case, without the checks below
    if not cond:
        return "the condition is empty"
    lowered = f" {cond.lower()} "
    if any(op in lowered for op in (" and ", " or ", "&&", "||")):
        return "conditions cannot be combined (no and/or); write separate {{#if}} blocks"
    if any(op in cond for op in ("<", ">")):
        return "only == and != with a double-quoted string are supported, not < or >"
    match = _COMPARISON.match(cond)
    if match:
        return Condition(
            match.group("var"), operator=match.group("op"), literal=match.group("literal")
        )
    if "==" in cond or "!=" in cond:
        if "'" in cond:
            return "string literals need double quotes, not single quotes"
        return 'the value must be one double-quoted string: VAR == "value"'
    negated = cond.startswith("!")
    name = cond[1:].strip() if negated else cond
    if _IDENTIFIER.match(name):
        return Condition(name, negated=negated)
    return 'a condition is VAR, !VAR, VAR == "value" or VAR != "value"'


def _classify(inner: str) -> tuple[str, str | None, Condition | None, str | None]:
    # Dispatch on the first character: a prompt may hold 100k tags, most of them
    # variables, which need none of the block patterns tried.
    first = inner[:1]
    if first == "@":
        return "include", inner[1:].strip(), None, None
    if first == "#" or first == "e":
        match = (_IF if first == "#" else _ELSE_IF).match(inner)
        if match:
            parsed = parse_condition(match.group("cond") or "")
            kind = "if" if first == "#" else "else-if"
            if isinstance(parsed, str):
                return kind, None, None, parsed
            return kind, parsed.variable, parsed, None
        if inner == "else":
            return "else", None, None, None
        if first == "#" or _ELSE_WORD.match(inner):
            return "block", None, None, None
    elif first == "/":
        if _END_IF.match(inner):
            return "end-if", None, None, None
        return "block", None, None, None
    if _VARIABLE.match(inner):
        return "variable", inner, None, None
    if _DOTTED.match(inner):
        return "dotted", inner, None, None
    return "text", inner or None, None, None


@lru_cache(maxsize=4096)
def parse_template(content: str) -> tuple[Tag, ...]:
    """Every ``{{...}}`` tag of ``content``, in order."""
    starts = _Lines(content).starts
    last = len(starts) - 1
    index = 0  # the line of the tag: tags come in order, so one pass finds them all
    tags: list[Tag] = []
    for match in _TAG.finditer(content):
        raw_inner = match.group(1)
        inner = raw_inner.strip()
        inner_offset = match.start(1) + (len(raw_inner) - len(raw_inner.lstrip()))
        start = match.start()
        while index < last and starts[index + 1] <= start:
            index += 1
        # A tag holds no newline, so it ends on the line it starts on.
        line, column = index + 1, start - starts[index] + 1
        end_line, end_column = line, match.end() - starts[index] + 1
        kind, name, condition, error = _classify(inner)
        if condition is not None and condition.literal is not None:
            # Re-base the literal offset from the condition text to ``inner``.
            literal_at = inner.find('"', inner.find(condition.operator or "=="))
            condition = Condition(
                condition.variable,
                condition.negated,
                condition.operator,
                condition.literal,
                literal_at,
            )
        tags.append(
            Tag(
                kind=kind,
                inner=inner,
                span=Span(line, column, end_line, end_column),
                inner_offset=inner_offset,
                name=name,
                condition=condition,
                condition_error=error,
            )
        )
    return tuple(tags)


def inner_span(content: str, tag: Tag, start: int, length: int) -> Span:
    """The span of ``length`` characters at ``start`` within the tag's inner text."""
    lines = _Lines(content)
    line, column = lines.position(tag.inner_offset + start)
    return Span(line, column, line, column + length)


def structure_problems(tags: tuple[Tag, ...]) -> list[StructureProblem]:
    """Unbalanced or misplaced ``{{#if}}`` / ``{{else}}`` / ``{{/if}}`` tags."""
    problems: list[StructureProblem] = []
    stack: list[tuple[Tag, bool]] = []  # (the #if tag, an else was seen)
    for tag in tags:
        if tag.kind == "if":
            stack.append((tag, False))
        elif tag.kind in ("else-if", "else"):
            word = "{{else if}}" if tag.kind == "else-if" else "{{else}}"
            if not stack:
                problems.append(
                    StructureProblem(
                        tag,
                        f"{word} has no {{{{#if}}}} before it",
                        "Open the block with {{#if CONDITION}} or remove this tag.",
                    )
                )
            elif stack[-1][1]:
                problems.append(
                    StructureProblem(
                        tag,
                        f"{word} comes after the {{{{else}}}} of its {{{{#if}}}} block",
                        "{{else}} must be the last branch; move it after the {{else if}} branches.",
                    )
                )
            elif tag.kind == "else":
                stack[-1] = (stack[-1][0], True)
        elif tag.kind == "end-if":
            if not stack:
                problems.append(
                    StructureProblem(
                        tag,
                        "{{/if}} has no {{#if}} to close",
                        "Remove the extra {{/if}}, or add the {{#if CONDITION}} it belongs to.",
                    )
                )
            else:
                stack.pop()
    for tag, _ in stack:
        problems.append(
            StructureProblem(
                tag,
                f"{{{{{tag.inner}}}}} is never closed",
                "Close every {{#if}} block with {{/if}}.",
            )
        )
    return problems
