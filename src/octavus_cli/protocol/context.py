"""What the rules see: one agent definition and its protocol model, with safe accessors.

The protocol itself is read once into :class:`octavus_cli.protocol.model.ProtocolModel`;
this adds the folder (prompts, references, unreadable files) and the reporting.
Rules must never fail on a shape the schema already flagged (a list where a
mapping belongs, a number as a name, a null block). Every accessor here
returns a usable empty value for the wrong shape, so rules only ever iterate
mappings of ``str`` keys and lists of ``str`` names.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Any

from octavus_cli.protocol.diagnostics import Diagnostic, Severity
from octavus_cli.protocol.folder import PROTOCOL_FILE as PROTOCOL_FILE  # re-exported
from octavus_cli.protocol.folder import SETTINGS_FILE as SETTINGS_FILE  # re-exported
from octavus_cli.protocol.folder import AgentDefinition, Prompt
from octavus_cli.protocol.model import (
    Block,
    BlockSequence,
    Declaration,
    ProtocolModel,
    as_list,
)
from octavus_cli.protocol.registry import Rule
from octavus_cli.protocol.yaml_source import PathKey, Span, YamlDocument, YamlError
from octavus_cli.records import field, record


def names_in(value: Any) -> list[tuple[int, str]]:
    """The ``(index, name)`` string items of a list (others are the schema's problem)."""
    return [(i, item) for i, item in enumerate(as_list(value)) if isinstance(item, str)]


def dotted(path: PathKey) -> str:
    """``("agent", "tools", 2)`` -> ``agent.tools[2]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


_SECTION_NOUNS = {
    "input": "input",
    "resources": "resource",
    "variables": "variable",
    "types": "type",
    "triggers": "trigger",
    "tools": "tool",
    "mcpServers": "MCP server",
    "skills": "skill",
    "workers": "worker",
    "handlers": "handler",
    "steps": "step",
}


def describe(path: PathKey) -> str:
    """A short human name for the node at ``path`` (``block "Respond"``, ``tool "x"``)."""
    if not path:
        return "the protocol"
    head = path[0]
    rest = path[1:]
    if head == "handlers" and len(rest) >= 2 and isinstance(rest[1], str):
        inner = describe_inner(rest[2:])
        return f'{inner}block "{rest[1]}"'
    if head == "steps" and rest and isinstance(rest[0], str):
        return f'{describe_inner(rest[1:])}step "{rest[0]}"'
    if head == "triggers" and len(rest) >= 3 and rest[1] == "input":
        return f'{describe_inner(rest[3:])}input "{rest[2]}" of trigger "{rest[0]}"'
    if head == "tools" and len(rest) >= 3 and rest[1] == "parameters":
        return f'{describe_inner(rest[3:])}parameter "{rest[2]}" of tool "{rest[0]}"'
    if head == "types" and len(rest) >= 2 and isinstance(rest[1], str) and rest[1] != "items":
        return f'{describe_inner(rest[2:])}property "{rest[1]}" of type "{rest[0]}"'
    noun = _SECTION_NOUNS.get(str(head))
    if noun and rest and isinstance(rest[0], str):
        return f'{describe_inner(rest[1:])}{noun} "{rest[0]}"'
    return dotted(path)


def describe_inner(rest: PathKey) -> str:
    """``"model" of `` for a field below a described node (empty for none)."""
    if not rest:
        return ""
    return f'"{dotted(rest)}" of '


@record(frozen=False)
class Context:
    """One agent definition as the rules see it: the folder's files and the protocol model."""

    definition: AgentDefinition
    model: ProtocolModel
    # Files that exist but could not be read (their problems are reported already).
    unreadable: frozenset[str] = frozenset()
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Results computed once per definition by helpers such as the prompt graph.
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    # -- the raw document ------------------------------------------------------------
    @property
    def doc(self) -> YamlDocument | None:
        return self.model.doc

    @property
    def yaml_error(self) -> YamlError | None:
        return self.model.error

    @property
    def format(self) -> str:
        return self.definition.settings.format

    @property
    def is_worker(self) -> bool:
        return self.format == "worker"

    @property
    def data(self) -> dict[str, Any]:
        return self.model.data

    def section(self, key: str) -> dict[str, Any]:
        return self.model.section(key)

    def get(self, path: PathKey) -> Any:
        """The value at ``path``, or ``None`` if the path does not exist."""
        return self.model.get(path)

    # -- declarations ------------------------------------------------------------------
    @property
    def inputs(self) -> dict[str, Declaration]:
        return self.model.inputs

    @property
    def resources(self) -> dict[str, Declaration]:
        return self.model.resources

    @property
    def variables(self) -> dict[str, Declaration]:
        return self.model.variables

    @cached_property
    def trigger_inputs(self) -> dict[str, dict[str, Declaration]]:
        return {name: trigger.inputs for name, trigger in self.model.triggers.items()}

    @property
    def protocol_names(self) -> dict[str, Declaration]:
        """Input, resources and variables by name (the first declaration wins)."""
        return self.model.protocol_names

    def declaration(self, name: str, scope: str | None = None) -> Declaration | None:
        """The declaration ``name`` resolves to in a handler of ``scope``."""
        return self.model.declaration(name, scope)

    @property
    def all_declared_names(self) -> set[str]:
        return self.model.all_declared_names

    @property
    def types(self) -> dict[str, Any]:
        """The custom types as written (name -> definition)."""
        return self.model.type_data

    # -- blocks ------------------------------------------------------------------------
    @property
    def sequences(self) -> tuple[BlockSequence, ...]:
        return self.model.sequences

    @property
    def blocks(self) -> list[Block]:
        return self.model.blocks

    def blocks_of(self, *kinds: str) -> Iterator[Block]:
        return self.model.blocks_of(*kinds)

    # -- files ----------------------------------------------------------------------
    @cached_property
    def prompts(self) -> dict[str, Prompt]:
        return {p.name: p for p in self.definition.prompts}

    @cached_property
    def reference_names(self) -> set[str]:
        return {r.name for r in self.definition.references}

    def is_unreadable(self, file: str) -> bool:
        return file in self.unreadable

    # -- positions and reporting -----------------------------------------------------
    def span(self, path: PathKey, *, key: bool = False) -> Span:
        return self.model.span(path, key=key)

    def report(
        self,
        rule: Rule,
        path: PathKey,
        message: str,
        *,
        hint: str | None = None,
        key: bool = False,
        severity: Severity | None = None,
    ) -> Diagnostic:
        """A finding in protocol.yaml at ``path`` (at its key with ``key=True``)."""
        span = self.span(path, key=key)
        return self.report_at(
            rule,
            PROTOCOL_FILE,
            span,
            message,
            hint=hint,
            path=dotted(path) or None,
            severity=severity,
        )

    def report_at(
        self,
        rule: Rule,
        file: str,
        span: Span,
        message: str,
        *,
        hint: str | None = None,
        path: str | None = None,
        severity: Severity | None = None,
    ) -> Diagnostic:
        """A finding at an explicit position of ``file``."""
        extra: dict[str, Any] = {"rule": rule.name}
        if (span.end_line, span.end_column) > (span.line, span.column):
            extra["end_line"] = span.end_line
            extra["end_column"] = span.end_column
        return Diagnostic(
            code=rule.code,
            severity=severity or rule.severity,
            message=message,
            file=file,
            line=span.line,
            column=span.column,
            path=path,
            hint=hint or rule.hint,
            extra=extra,
        )


@record
class MappingEntry:
    """One ``LABEL: SOURCE`` of an input mapping (``NAME`` alone is ``NAME: NAME``)."""

    label: str
    source: str
    label_path: PathKey  # report naming problems at the label (key=True when renamed)
    source_path: PathKey  # report unknown sources here
    renamed: bool


def input_mapping(value: Any, path: PathKey) -> list[MappingEntry]:
    """The entries of the three mapping forms: ``[A, B]``, ``[L: S, ...]`` and ``{L: S}``."""
    entries: list[MappingEntry] = []
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                entries.append(MappingEntry(item, item, (*path, index), (*path, index), False))
            elif isinstance(item, dict):
                for label, source in item.items():
                    if isinstance(source, str):
                        entries.append(
                            MappingEntry(
                                label, source, (*path, index, label), (*path, index, label), True
                            )
                        )
    elif isinstance(value, dict):
        for label, source in value.items():
            if isinstance(source, str):
                entries.append(MappingEntry(label, source, (*path, label), (*path, label), True))
    return entries
