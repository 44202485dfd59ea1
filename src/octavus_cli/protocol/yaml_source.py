"""YAML loading that keeps the position of every node.

The platform parses ``protocol.yaml`` with a YAML 1.2 parser, so scalars are
resolved with the YAML 1.2 *core* schema here too: ``off``, ``yes``, ``16:9``
and ``2024-01-01`` are strings, ``017`` is the integer 17. Plain PyYAML would
read them as ``False``, ``True``, ``969`` and a date, and so validate something
the platform never sees.

The document is built from PyYAML's event stream (iterative, also in libyaml),
not from its composer, which recurses and crashes on deep nesting. Along the way
we record duplicate keys (the platform rejects them; plain PyYAML silently keeps
the last), limit nesting depth and alias expansion (alias bombs), and refuse
oversized input.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from typing import Any

# Before `import yaml`: PyYAML's reader pattern is then not compiled the slow way.
from octavus_cli.protocol import yaml_reader_pattern  # noqa: F401

# isort: split
import yaml

from octavus_cli.protocol.diagnostics import position_of
from octavus_cli.records import field, record

MAX_YAML_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 100
# Nodes that aliases may add on top of the nodes written in the file.
MAX_ALIAS_EXPANSION = 100_000

PathKey = tuple[str | int, ...]

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT10 = re.compile(r"^[-+]?[0-9]+$")
_INT8 = re.compile(r"^0o[0-7]+$")
_INT16 = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")

_TAG_PREFIX = "tag:yaml.org,2002:"

try:  # libyaml is much faster; the pure-Python parser is the fallback.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader


@record(slots=True)
class Span:
    """A 1-based position range in the source text."""

    line: int
    column: int
    end_line: int
    end_column: int


_START = Span(1, 1, 1, 1)


class YamlError(Exception):
    """The text is not a YAML document we accept; ``kind`` names the problem."""

    def __init__(self, message: str, *, line: int = 1, column: int = 1, kind: str) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.kind = kind  # syntax | too-large | too-deep | alias | multi-document | key


@record
class DuplicateKey:
    """A mapping key written twice: where, and where first."""

    path: PathKey  # the mapping's path plus the repeated key
    span: Span  # where the repeated key is
    first: Span  # where the key was first written


@record(frozen=False)
class YamlDocument:
    """Plain data (dicts, lists, scalars) plus the positions of its nodes."""

    data: Any
    text: str
    value_spans: dict[PathKey, Span] = field(default_factory=dict)
    key_spans: dict[PathKey, Span] = field(default_factory=dict)
    duplicate_keys: list[DuplicateKey] = field(default_factory=list)

    def value_span(self, path: Sequence[str | int]) -> Span:
        """Position of the value at ``path``, else of its nearest known ancestor."""
        key = tuple(path)
        while key:
            span = self.value_spans.get(key)
            if span is not None:
                return span
            key = key[:-1]
        return self.value_spans.get((), _START)

    def key_span(self, path: Sequence[str | int]) -> Span:
        """Position of the mapping key that names ``path`` (the value's if none)."""
        span = self.key_spans.get(tuple(path))
        return span if span is not None else self.value_span(path)

    def line_text(self, line: int) -> str:
        lines = self.text.splitlines()
        return lines[line - 1] if 0 < line <= len(lines) else ""


def _pos(mark: Any) -> tuple[int, int]:
    """1-based line and column of a PyYAML mark (1:1 when there is none)."""
    if mark is None:
        return 1, 1
    return mark.line + 1, mark.column + 1


def _span(start: Any, end: Any) -> Span:
    return Span(*_pos(start), *_pos(end))


# The letters a null or a boolean starts with; no number starts with a letter.
_NULL_OR_BOOL_LETTERS = frozenset("nNtTfF")


def _resolve_plain(value: str) -> Any:
    """Resolve an untagged plain scalar with the YAML 1.2 core schema."""
    first = value[:1]
    if first.isalpha() and first not in _NULL_OR_BOOL_LETTERS:
        return value  # most scalars of an agent: text, names, block kinds
    if _NULL.match(value):
        return None
    if _BOOL.match(value):
        return value.lower() == "true"
    if first.isalpha():
        return value  # a word that is neither: no number starts with a letter
    if _INT10.match(value):
        return int(value, 10)
    if _INT8.match(value):
        return int(value[2:], 8)
    if _INT16.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value):
        return float(value)
    if _INF.match(value):
        return -math.inf if value.startswith("-") else math.inf
    if _NAN.match(value):
        return math.nan
    return value


def _scalar_value(event: yaml.ScalarEvent) -> Any:
    tag = event.tag
    value: str = event.value
    if tag is None or tag == "?":
        plain = bool(event.implicit and event.implicit[0])
        return _resolve_plain(value) if plain else value
    if tag.startswith(_TAG_PREFIX):
        kind = tag[len(_TAG_PREFIX) :]
        resolved = _resolve_plain(value)
        if kind == "null" and resolved is None:
            return None
        if kind == "bool" and isinstance(resolved, bool):
            return resolved
        if kind == "int" and isinstance(resolved, int) and not isinstance(resolved, bool):
            return resolved
        if (
            kind == "float"
            and isinstance(resolved, (int, float))
            and not isinstance(resolved, bool)
        ):
            return float(resolved)
    # "!", "!!str", unknown or custom tags: the platform keeps the text.
    return value


@record(frozen=False)
class _Frame:
    """An open mapping or sequence while the event stream is read."""

    container: dict[str, Any] | list[Any]
    path: PathKey | None  # None while inside a value that is being discarded
    anchor: str | None
    start: Any
    size: int = 1
    pending_key: tuple[str, Span] | None = None


class _Builder:
    def __init__(self, text: str) -> None:
        self.doc = YamlDocument(data=None, text=text)
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        # Nodes aliases added beyond those written (a node written adds one to both).
        self.expanded = 0
        self.root_set = False

    # -- attaching a finished node to its parent ---------------------------------
    def _child_path(self) -> PathKey | None:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if top.path is None:
            return None
        if isinstance(top.container, list):
            return top.path + (len(top.container),)
        if top.pending_key is None:
            return None  # a key is being read, not a value
        key = top.pending_key[0]
        if key in top.container:
            return None  # duplicate: its value is read but dropped
        return top.path + (key,)

    def _attach(self, value: Any, span: Span, size: int, *, is_scalar: bool, raw: str) -> None:
        if not self.stack:
            self.doc.data = value
            self.doc.value_spans[()] = span
            self.root_set = True
            return
        top = self.stack[-1]
        top.size += size
        if isinstance(top.container, list):
            if top.path is not None:
                self.doc.value_spans[top.path + (len(top.container),)] = span
            top.container.append(value)
            return
        if top.pending_key is None:
            if not is_scalar:
                raise YamlError(
                    "mapping keys must be plain text, not a list or a mapping",
                    line=span.line,
                    column=span.column,
                    kind="key",
                )
            top.pending_key = (raw, span)
            return
        key, key_span = top.pending_key
        top.pending_key = None
        if key in top.container:
            if top.path is not None:
                first = self.doc.key_spans.get(top.path + (key,), key_span)
                self.doc.duplicate_keys.append(DuplicateKey(top.path + (key,), key_span, first))
            return
        top.container[key] = value
        if top.path is not None:
            self.doc.value_spans[top.path + (key,)] = span
            self.doc.key_spans[top.path + (key,)] = key_span

    def _count(self, nodes: int, mark: Any) -> None:
        self.expanded += nodes
        if self.expanded > MAX_ALIAS_EXPANSION:
            raise YamlError(
                "aliases expand to too many nodes (an alias bomb?); write the values out",
                line=_pos(mark)[0],
                column=_pos(mark)[1],
                kind="alias",
            )

    # -- events ------------------------------------------------------------------
    def feed(self, event: yaml.Event) -> None:
        # Most events are scalars, then collection starts and ends: tested in that order.
        if isinstance(event, yaml.ScalarEvent):
            value = _scalar_value(event)
            if event.anchor:
                self.anchors[event.anchor] = (value, 1)
            self._attach(
                value,
                _span(event.start_mark, event.end_mark),
                1,
                is_scalar=True,
                raw=event.value,
            )
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._open(event)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self._close(event)
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event)
        elif isinstance(event, yaml.DocumentStartEvent) and self.root_set:
            raise YamlError(
                "the file holds more than one YAML document; keep one (remove the '---')",
                line=_pos(event.start_mark)[0],
                column=_pos(event.start_mark)[1],
                kind="multi-document",
            )

    def _alias(self, event: yaml.AliasEvent) -> None:
        name = event.anchor
        mark = event.start_mark
        if name in self.open_anchors:
            raise YamlError(
                f"alias *{name} refers to a node that contains it (a recursive alias)",
                line=_pos(mark)[0],
                column=_pos(mark)[1],
                kind="alias",
            )
        if name not in self.anchors:
            raise YamlError(
                f"alias *{name} has no anchor &{name} before it",
                line=_pos(mark)[0],
                column=_pos(mark)[1],
                kind="alias",
            )
        value, size = self.anchors[name]
        self._count(size, mark)
        self._attach(
            value,
            _span(event.start_mark, event.end_mark),
            size,
            is_scalar=not isinstance(value, (dict, list)),
            raw=str(value),
        )

    def _open(self, event: yaml.CollectionStartEvent) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise YamlError(
                f"nesting is deeper than {MAX_DEPTH} levels",
                line=_pos(event.start_mark)[0],
                column=_pos(event.start_mark)[1],
                kind="too-deep",
            )
        top = self.stack[-1] if self.stack else None
        if top is not None and isinstance(top.container, dict) and top.pending_key is None:
            raise YamlError(
                "mapping keys must be plain text, not a list or a mapping",
                line=_pos(event.start_mark)[0],
                column=_pos(event.start_mark)[1],
                kind="key",
            )
        container: dict[str, Any] | list[Any] = (
            {} if isinstance(event, yaml.MappingStartEvent) else []
        )
        if event.anchor:
            self.open_anchors.add(event.anchor)
        self.stack.append(_Frame(container, self._child_path(), event.anchor, event.start_mark))

    def _close(self, event: yaml.CollectionEndEvent) -> None:
        frame = self.stack.pop()
        if frame.anchor:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = (frame.container, frame.size)
        span = _span(frame.start, event.end_mark)
        self._attach(frame.container, span, frame.size, is_scalar=False, raw="")


def _events(text: str, loader: type) -> Iterator[yaml.Event]:
    return iter(yaml.parse(text, Loader=loader))


def _is_parser_depth_limit(exc: yaml.MarkedYAMLError) -> bool:
    """libyaml 0.2.5 (PyYAML 6.0.4 wheels) stops flow nesting past 1000 levels itself.

    Its scanner reads ahead through a run of ``[`` / ``{`` before the first event
    reaches us, so that limit can fire before ours (``MAX_DEPTH``) does.
    """
    return "maximum nesting depth" in f"{exc.problem or ''} {exc.context or ''}"


def load_yaml(text: str, *, max_bytes: int = MAX_YAML_BYTES) -> YamlDocument:
    """Parse one YAML document; raise :class:`YamlError` with a position on failure.

    Duplicate keys do not raise: they are listed in ``duplicate_keys`` (the first
    value is kept) so that every other problem can still be reported.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise YamlError(
            f"the file is {size:,} bytes; the limit is {max_bytes:,} bytes",
            kind="too-large",
        )
    try:
        return _build(text, _Loader)
    except _ParserDepthLimit:
        # Our limit decides, whatever the parser build: the pure-Python parser has no
        # limit of its own, so it reaches MAX_DEPTH and reports it at the same place.
        return _build(text, yaml.SafeLoader)


class _ParserDepthLimit(Exception):
    """The parser's own nesting limit fired before ours."""


def _build(text: str, loader: type) -> YamlDocument:
    builder = _Builder(text)
    try:
        for event in _events(text, loader):
            builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        if _is_parser_depth_limit(exc):
            if loader is not yaml.SafeLoader:
                raise _ParserDepthLimit from None
            mark = exc.problem_mark or exc.context_mark
            raise YamlError(
                f"nesting is deeper than {MAX_DEPTH} levels",
                line=(mark.line + 1) if mark else 1,
                column=(mark.column + 1) if mark else 1,
                kind="too-deep",
            ) from None
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and "end of stream" in (exc.problem or ""):
            # An unclosed quote or bracket: point where it was opened, not at the end.
            mark = exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.problem} ({exc.context})"
        raise YamlError(
            f"YAML syntax error: {problem}",
            line=(mark.line + 1) if mark else 1,
            column=(mark.column + 1) if mark else 1,
            kind="syntax",
        ) from None
    except yaml.reader.ReaderError as exc:
        line, column = position_of(text, exc.position)
        char = exc.character
        shown = f"#x{char:04x}" if isinstance(char, int) else f"#x{ord(char):04x}"
        raise YamlError(
            f"YAML syntax error: control character {shown} is not allowed in YAML",
            line=line,
            column=column,
            kind="syntax",
        ) from None
    except yaml.YAMLError as exc:  # pragma: no cover - other parser failures
        raise YamlError(f"YAML syntax error: {exc}", kind="syntax") from None
    return builder.doc
