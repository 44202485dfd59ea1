"""The typed model of an agent protocol (``protocol.yaml``), built once from the YAML.

Every reader of a protocol uses this model: the validator's rules (through
:class:`octavus_cli.protocol.context.Context`), ``octavus run`` (inputs, triggers,
tool display) and the emulator's engine (handlers, blocks, threads).

Building never fails on bad input. A YAML error is kept in
:attr:`ProtocolModel.error`; a section of the wrong shape (a list where a
mapping belongs, a number as a name, a null block) is read as empty, and an
entry of the wrong shape becomes an element with empty ``data``. So a protocol
the validator rejects still yields whatever it declares clearly, and the rules
can report every finding on partial input.

Each element keeps its path in the document, the position of its value
(``span``) and of the key that names it (``key_span``), and its raw mapping
(``data``) for the checks that look at shapes the model does not type.

Only the YAML loader is imported here (no jsonschema, rich or httpx), so that
``validate`` and ``run`` start fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Any

from octavus_cli.protocol.yaml_source import PathKey, Span, YamlDocument, YamlError, load_yaml
from octavus_cli.records import field, record

MAIN_THREAD = "main"
DISPLAY_MODES = ("hidden", "name", "description", "stream", "title")
DEFAULT_TOOL_DISPLAY = "description"
# Default display mode of each block kind (docs: protocol/handlers "Display Modes").
DEFAULT_BLOCK_DISPLAY = {
    "add-message": "hidden",
    "next-message": "stream",
    "tool-call": "description",
    "set-resource": "name",
    "generate-image": "description",
    "generate-speech": "description",
    "transcribe-audio": "description",
    "start-thread": "hidden",
    "serialize-thread": "name",
    "run-worker": "stream",
}

NO_SPAN = Span(1, 1, 1, 1)


# -- lenient readers of raw values ------------------------------------------------------


def as_mapping(value: Any) -> dict[str, Any]:
    """``value`` if it is a mapping, else an empty one."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """``value`` if it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def text(value: Any) -> str | None:
    """``value`` if it is a non-empty string."""
    return value if isinstance(value, str) and value else None


def nonblank(value: Any) -> str | None:
    """``value`` if it is a string with more than white space."""
    return value if isinstance(value, str) and value.strip() else None


def string_list(value: Any) -> tuple[str, ...]:
    """The names of a name list: one string, or the string items of a list."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(item for item in value if isinstance(item, str))
    return ()


# -- the elements -----------------------------------------------------------------------


@record(slots=True)
class Declaration:
    """A declared variable-like name: a session input, resource, variable or trigger input."""

    name: str
    kind: str  # input | resource | variable | trigger input
    path: PathKey
    data: dict[str, Any]
    trigger: str | None = None
    span: Span = NO_SPAN
    key_span: Span = NO_SPAN

    @property
    def type_name(self) -> str | None:
        """The declared type as written (``None`` when it is missing or not text)."""
        return text(self.data.get("type"))

    @property
    def value_type(self) -> str:
        """The declared type, ``"unknown"`` when none is given."""
        return nonblank(self.data.get("type")) or "unknown"

    @property
    def enum(self) -> list[Any] | None:
        value = self.data.get("enum")
        return value if isinstance(value, list) else None

    @property
    def choices(self) -> tuple[str, ...]:
        """The allowed values as text (empty when any value is allowed)."""
        return tuple(str(v) for v in self.enum or ())

    @property
    def optional(self) -> bool:
        return self.data.get("optional") is True

    @property
    def has_default(self) -> bool:
        return "default" in self.data

    @property
    def required(self) -> bool:
        return not self.optional and not self.has_default

    @property
    def description(self) -> str | None:
        return nonblank(self.data.get("description"))


@record(slots=True)
class TypeDef:
    """A custom type of ``types:`` (``data`` is the definition as written)."""

    name: str
    path: PathKey
    data: Any
    span: Span = NO_SPAN
    key_span: Span = NO_SPAN


@record(slots=True)
class Trigger:
    """A trigger of ``triggers:`` and the inputs it carries."""

    name: str
    path: PathKey
    data: dict[str, Any]
    inputs: dict[str, Declaration] = field(default_factory=dict)
    span: Span = NO_SPAN
    key_span: Span = NO_SPAN

    @property
    def description(self) -> str | None:
        return nonblank(self.data.get("description"))


@record(slots=True)
class Capability:
    """A named entry of ``tools``, ``skills``, ``mcpServers`` or ``workers``.

    They share the display fields (``display``, ``title``, ``description``); what
    else each holds stays in ``data``.
    """

    name: str
    section: str  # tools | skills | mcpServers | workers
    path: PathKey
    data: dict[str, Any]
    span: Span = NO_SPAN
    key_span: Span = NO_SPAN

    def text(self, key: str) -> str | None:
        """The field ``key`` if it is a string (as written, even blank)."""
        value = self.data.get(key)
        return value if isinstance(value, str) else None

    @property
    def display(self) -> str:
        """The display mode as written, the default when none is given."""
        return nonblank(self.data.get("display")) or DEFAULT_TOOL_DISPLAY

    @property
    def display_mode(self) -> str:
        """The display mode if it is a documented one, else the default."""
        value = self.data.get("display")
        return value if isinstance(value, str) and value in DISPLAY_MODES else DEFAULT_TOOL_DISPLAY

    @property
    def title(self) -> str | None:
        return nonblank(self.data.get("title"))

    @property
    def description(self) -> str | None:
        return nonblank(self.data.get("description"))

    @property
    def parameters(self) -> dict[str, Any]:
        """A tool's parameters as written (name -> definition)."""
        return as_mapping(self.data.get("parameters"))


@record(slots=True)
class AgentConfig:
    """``agent:`` of an interactive agent: model, system prompt and what it may use."""

    path: PathKey
    data: dict[str, Any]
    span: Span = NO_SPAN

    @property
    def model(self) -> str | None:
        return text(self.data.get("model"))

    @property
    def system(self) -> str | None:
        value = self.data.get("system")
        return value if isinstance(value, str) else None

    @property
    def input(self) -> Any:
        """The system prompt's input mapping as written."""
        return self.data.get("input")

    @property
    def tools(self) -> tuple[str, ...]:
        return string_list(self.data.get("tools"))

    @property
    def skills(self) -> tuple[str, ...]:
        return string_list(self.data.get("skills"))

    @property
    def mcp_servers(self) -> tuple[str, ...]:
        return string_list(self.data.get("mcpServers"))

    @property
    def references(self) -> tuple[str, ...]:
        return string_list(self.data.get("references"))

    @property
    def workers(self) -> tuple[str, ...]:
        return string_list(self.data.get("workers"))


@record(slots=True)
class Block:
    """One block of a handler (``scope`` = the trigger) or of a worker's steps (``None``)."""

    scope: str | None
    name: str
    path: PathKey
    data: dict[str, Any]
    index: int
    span: Span = NO_SPAN
    key_span: Span = NO_SPAN

    @property
    def kind(self) -> str | None:
        kind = self.data.get("block")
        return kind if isinstance(kind, str) else None

    def text(self, key: str) -> str | None:
        """The field ``key`` if it is a string."""
        value = self.data.get(key)
        return value if isinstance(value, str) else None

    @property
    def thread(self) -> str:
        """The thread the block works on (``main`` unless it names another)."""
        return text(self.data.get("thread")) or MAIN_THREAD

    @property
    def display(self) -> str:
        """The display mode as written if it is valid, else the kind's default."""
        value = self.data.get("display")
        if isinstance(value, str) and value in DISPLAY_MODES:
            return value
        return DEFAULT_BLOCK_DISPLAY.get(self.kind or "", "name")

    def field_path(self, *keys: str | int) -> PathKey:
        return self.path + tuple(keys)

    @property
    def label(self) -> str:
        return f'{"step" if self.scope is None else "block"} "{self.name}"'


@record(slots=True)
class BlockSequence:
    """A handler's blocks (``scope`` = trigger name) or the worker's steps (``None``)."""

    scope: str | None
    path: PathKey
    blocks: tuple[Block, ...]


# -- the protocol -----------------------------------------------------------------------


@record
class ProtocolModel:
    """One agent protocol: its sections as typed elements, with their positions."""

    doc: YamlDocument | None = None
    error: YamlError | None = None  # why the text is not a YAML document we accept
    is_worker: bool = False
    inputs: dict[str, Declaration] = field(default_factory=dict)
    resources: dict[str, Declaration] = field(default_factory=dict)
    variables: dict[str, Declaration] = field(default_factory=dict)
    types: dict[str, TypeDef] = field(default_factory=dict)
    triggers: dict[str, Trigger] = field(default_factory=dict)
    tools: dict[str, Capability] = field(default_factory=dict)
    skills: dict[str, Capability] = field(default_factory=dict)
    mcp_servers: dict[str, Capability] = field(default_factory=dict)
    workers: dict[str, Capability] = field(default_factory=dict)
    agent: AgentConfig = field(default_factory=lambda: AgentConfig(("agent",), {}))
    # The handlers of an interactive agent, or the worker's steps (one sequence).
    sequences: tuple[BlockSequence, ...] = ()
    output: str | None = None  # a worker's output variable

    # -- the raw document ----------------------------------------------------------------
    @property
    def data(self) -> dict[str, Any]:
        """The document's top-level mapping (empty for anything else)."""
        return as_mapping(self.doc.data) if self.doc is not None else {}

    @property
    def is_mapping(self) -> bool:
        """The document is a mapping of sections (an empty document counts as one)."""
        return self.doc is None or self.doc.data is None or isinstance(self.doc.data, dict)

    def section(self, key: str) -> dict[str, Any]:
        """A top-level section as written (empty when missing or not a mapping)."""
        return as_mapping(self.data.get(key))

    def get(self, path: PathKey) -> Any:
        """The value at ``path``, or ``None`` if the path does not exist."""
        node: Any = self.data
        for part in path:
            if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
                continue
            if not (isinstance(node, dict) and isinstance(part, str) and part in node):
                return None
            node = node[part]
        return node

    def span(self, path: PathKey, *, key: bool = False) -> Span:
        """Where the value (or with ``key=True`` the key) at ``path`` is written."""
        if self.doc is None:
            return NO_SPAN
        return self.doc.key_span(path) if key else self.doc.value_span(path)

    # -- names ---------------------------------------------------------------------------
    @cached_property
    def type_data(self) -> dict[str, Any]:
        """The custom types as written (name -> definition)."""
        return {name: typedef.data for name, typedef in self.types.items()}

    @property
    def custom_types(self) -> frozenset[str]:
        return frozenset(self.types)

    def trigger_inputs(self, trigger: str) -> dict[str, Declaration]:
        """The inputs of ``trigger`` (empty when it is not declared)."""
        found = self.triggers.get(trigger)
        return found.inputs if found is not None else {}

    @cached_property
    def protocol_names(self) -> dict[str, Declaration]:
        """Input, resources and variables by name (the first declaration wins)."""
        names: dict[str, Declaration] = {}
        for group in (self.inputs, self.resources, self.variables):
            for name, decl in group.items():
                names.setdefault(name, decl)
        return names

    def declaration(self, name: str, scope: str | None = None) -> Declaration | None:
        """The declaration ``name`` resolves to in a handler of ``scope``."""
        if scope is not None:
            found = self.trigger_inputs(scope).get(name)
            if found is not None:
                return found
        return self.protocol_names.get(name)

    @cached_property
    def all_declared_names(self) -> set[str]:
        """Every name a block may reference: protocol names and every trigger input."""
        names = set(self.inputs) | set(self.resources) | set(self.variables)
        for trigger in self.triggers.values():
            names.update(trigger.inputs)
        return names

    # -- blocks --------------------------------------------------------------------------
    @cached_property
    def blocks(self) -> list[Block]:
        return [block for sequence in self.sequences for block in sequence.blocks]

    def blocks_of(self, *kinds: str) -> Iterator[Block]:
        return (b for b in self.blocks if b.kind in kinds)

    def has_handler(self, trigger: str) -> bool:
        return trigger in self.section("handlers")

    def blocks_for(self, trigger: str | None) -> list[Block]:
        """The blocks ``trigger`` runs (a worker's steps, whatever the trigger)."""
        for sequence in self.sequences:
            if self.is_worker or sequence.scope == (trigger or ""):
                return list(sequence.blocks)
        return []


# -- building ---------------------------------------------------------------------------


def build_model(source: str, *, worker: bool | None = None) -> ProtocolModel:
    """The model of the protocol text ``source``; never raises for bad input.

    ``worker`` says whether the agent is a worker (its ``steps`` run, not its
    ``handlers``); ``None`` infers it: steps and no handlers.
    """
    try:
        doc = load_yaml(source.removeprefix("\ufeff"))
    except YamlError as error:
        return model_of(None, error=error, worker=bool(worker))
    return model_of(doc, worker=worker)


def model_of(
    doc: YamlDocument | None, *, error: YamlError | None = None, worker: bool | None = None
) -> ProtocolModel:
    """The model of a parsed document (``None`` for a protocol that could not be read)."""
    return _Builder(doc).build(error, worker)


class _Builder:
    def __init__(self, doc: YamlDocument | None) -> None:
        self.doc = doc
        self.data = as_mapping(doc.data) if doc is not None else {}

    def _spans(self, path: PathKey) -> tuple[Span, Span]:
        if self.doc is None:
            return NO_SPAN, NO_SPAN
        return self.doc.value_span(path), self.doc.key_span(path)

    def _entries(self, value: Any) -> Iterator[tuple[str, Any]]:
        for name, item in as_mapping(value).items():
            if isinstance(name, str):
                yield name, item

    def _declarations(
        self, value: Any, path: PathKey, kind: str, trigger: str | None = None
    ) -> dict[str, Declaration]:
        found: dict[str, Declaration] = {}
        for name, spec in self._entries(value):
            where = (*path, name)
            span, key_span = self._spans(where)
            found[name] = Declaration(name, kind, where, as_mapping(spec), trigger, span, key_span)
        return found

    def _capabilities(self, section: str) -> dict[str, Capability]:
        found: dict[str, Capability] = {}
        for name, spec in self._entries(self.data.get(section)):
            span, key_span = self._spans((section, name))
            found[name] = Capability(
                name, section, (section, name), as_mapping(spec), span, key_span
            )
        return found

    def _sequence(self, scope: str | None, path: PathKey, value: Any) -> BlockSequence:
        blocks = []
        for index, (name, spec) in enumerate(self._entries(value)):
            span, key_span = self._spans((*path, name))
            blocks.append(
                Block(scope, name, (*path, name), as_mapping(spec), index, span, key_span)
            )
        return BlockSequence(scope, path, tuple(blocks))

    def build(self, error: YamlError | None, worker: bool | None) -> ProtocolModel:
        data = self.data
        if worker is None:
            worker = "steps" in data and "handlers" not in data
        triggers: dict[str, Trigger] = {}
        for name, spec in self._entries(data.get("triggers")):
            body = as_mapping(spec)
            path: PathKey = ("triggers", name)
            inputs = self._declarations(
                body.get("input"), (*path, "input"), "trigger input", trigger=name
            )
            triggers[name] = Trigger(name, path, body, inputs, *self._spans(path))
        types = {
            name: TypeDef(name, ("types", name), spec, *self._spans(("types", name)))
            for name, spec in self._entries(data.get("types"))
        }
        sequences: tuple[BlockSequence, ...]
        if worker:
            sequences = (self._sequence(None, ("steps",), data.get("steps")),)
        else:
            sequences = tuple(
                self._sequence(trigger, ("handlers", trigger), blocks)
                for trigger, blocks in self._entries(data.get("handlers"))
            )
        output = data.get("output")
        return ProtocolModel(
            doc=self.doc,
            error=error,
            is_worker=worker,
            inputs=self._declarations(data.get("input"), ("input",), "input"),
            resources=self._declarations(data.get("resources"), ("resources",), "resource"),
            variables=self._declarations(data.get("variables"), ("variables",), "variable"),
            types=types,
            triggers=triggers,
            tools=self._capabilities("tools"),
            skills=self._capabilities("skills"),
            mcp_servers=self._capabilities("mcpServers"),
            workers=self._capabilities("workers"),
            agent=AgentConfig(
                ("agent",), as_mapping(data.get("agent")), self._spans(("agent",))[0]
            ),
            sequences=sequences,
            output=output if isinstance(output, str) else None,
        )
