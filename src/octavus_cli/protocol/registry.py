"""The rule registry: every finding the validator can report has a rule here.

A rule has a stable id (``OCT201``; never reused or renumbered), a name, a
severity, a one-line summary, a default hint and a failing example. The
example is a small agent folder (on top of a base agent) together with the
position the finding must point at and the change that fixes it; the test
suite runs every example and ``docs/rules.md`` is generated from them.

Families (the hundreds digit):

====  =====================================================
0xx   agent folder (settings.json, files) - protocol.rules.folder, checked by the reader
1xx   YAML and schema: syntax, duplicate keys, types, unknown keys
2xx   prompts: references, includes, template syntax
3xx   capabilities: tools, skills, MCP servers, references, workers
4xx   triggers, handlers and data flow between blocks
5xx   naming conventions
6xx   models and agent configuration
7xx   custom types
8xx   deprecated features
9xx   findings from the platform (validate --remote)
====  =====================================================
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from octavus_cli.protocol.diagnostics import Diagnostic, Severity
from octavus_cli.records import field, record

if TYPE_CHECKING:
    from octavus_cli.protocol.context import Context


@record
class Symlink:
    """An example file that is a symbolic link to ``target`` (relative to the folder)."""

    target: str


@record
class Filler:
    """An example file of ``size`` bytes of filler text, generated when written."""

    size: int


ExampleFile = str | bytes | Symlink | Filler


@record
class Example:
    """A failing agent folder, where the finding points, and how to fix it.

    ``files`` are written on top of the base agent of ``format`` (see
    :mod:`octavus_cli.protocol.examples`); a ``None`` value removes a base file.
    ``fixed`` updates ``files`` to get a folder without the finding; there a
    ``None`` value drops the override, restoring the base file.
    """

    files: Mapping[str, ExampleFile | None]
    fixed: Mapping[str, ExampleFile | None]
    file: str
    line: int
    column: int
    format: str = "interactive"
    base: bool = True  # start from the base agent
    no_folder: bool = False  # the folder itself does not exist
    # Findings of other rules the fixed folder may still have (deprecations it needs).
    fixed_keeps: tuple[str, ...] = ()


@record
class Rule:
    """A rule: its code, name, severity, texts, family and example."""

    code: str
    name: str
    severity: Severity
    summary: str
    hint: str
    family: str
    example: Example | None = field(default=None, compare=False)


FAMILIES: dict[str, str] = {
    "folder": "Agent folder",
    "yaml": "YAML and schema",
    "prompts": "Prompts and templates",
    "capabilities": "Tools, skills, MCP servers, references and workers",
    "flow": "Triggers, handlers and data flow",
    "naming": "Naming conventions",
    "config": "Models and agent configuration",
    "types": "Custom types",
    "deprecated": "Deprecated features",
    "platform": "Platform findings",
    "internal": "Internal",
}

_RULES: dict[str, Rule] = {}
_CODE_BY_NAME: dict[str, str] = {}


def register(rule: Rule) -> Rule:
    """Add ``rule`` to the registry; ids and names must be unique."""
    if rule.code in _RULES and _RULES[rule.code] != rule:
        raise ValueError(f"rule id {rule.code} is registered twice")
    if _CODE_BY_NAME.get(rule.name, rule.code) != rule.code:
        raise ValueError(f"rule name {rule.name} is registered twice")
    if rule.family not in FAMILIES:
        raise ValueError(f"unknown rule family {rule.family!r}")
    _RULES[rule.code] = rule
    _CODE_BY_NAME[rule.name] = rule.code
    return rule


def define(
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    hint: str,
    *,
    family: str,
    example: Example | None = None,
) -> Rule:
    return register(Rule(code, name, severity, summary, hint, family, example))


INTERNAL_ERROR = define(
    "OCT000",
    "internal-error",
    Severity.ERROR,
    "A check failed unexpectedly (a bug in octavus-cli)",
    "Please report this with the agent folder that triggers it; the other checks still ran.",
    family="internal",
)

PLATFORM_FINDING = define(
    "OCT900",
    "platform-finding",
    Severity.ERROR,
    "A finding reported by the platform's validator (validate --remote)",
    "The platform checked the definition; its message says what to change. Its severity "
    "is kept (error or warning).",
    family="platform",
)


Check = Callable[["Context"], Iterable[Diagnostic]]

# The semantic checks, in registration order; each reports one or more rules.
CHECKS: list[Check] = []


def check(function: Check) -> Check:
    """Register a check function (a decorator)."""
    CHECKS.append(function)
    return function


def all_checks() -> list[Check]:
    load_rules()
    return list(CHECKS)


def all_rules() -> list[Rule]:
    """Every rule, sorted by id (loads the rule modules on first use)."""
    load_rules()
    return sorted(_RULES.values(), key=lambda r: r.code)


def get_rule(code: str) -> Rule:
    load_rules()
    return _RULES[code]


_loaded = False


def load_rules() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    # Importing a rule module registers its rules (and its checks, in this order).
    from octavus_cli.protocol.rules import (  # noqa: F401
        capabilities,
        config,
        deprecated,
        flow,
        folder,
        interpolation,
        naming,
        portability,
        prompts,
        schema,
        structure,
        syntax,
        types,
    )
