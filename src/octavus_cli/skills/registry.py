"""The skills rule registry: every finding of ``octavus skills validate`` has a rule.

Ids (``SKL001``...) are stable, never reused or renumbered. Each rule carries a
failing example (a few files on top of a small valid skill), where its finding
points, and the change that fixes it; the tests run every example and
``docs/skill-rules.md`` is generated from them (:mod:`octavus_cli.skills.docs`).
"""

from __future__ import annotations

from collections.abc import Mapping

from octavus_cli.protocol.diagnostics import Severity
from octavus_cli.protocol.registry import ExampleFile
from octavus_cli.records import field, record

SkillExampleFile = ExampleFile  # the same kinds of file as an agent example


@record
class SkillExample:
    """A failing skill folder (files over the base skill), the position, the fix."""

    files: Mapping[str, SkillExampleFile | None]
    fixed: Mapping[str, SkillExampleFile | None]
    file: str
    line: int
    column: int


@record
class SkillRule:
    code: str
    name: str
    severity: Severity
    summary: str
    hint: str
    example: SkillExample | None = field(default=None, compare=False)


_RULES: dict[str, SkillRule] = {}


def define(
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    hint: str,
    example: SkillExample | None = None,
) -> SkillRule:
    if code in _RULES or any(r.name == name for r in _RULES.values()):
        raise ValueError(f"skill rule {code} {name} is registered twice")
    rule = SkillRule(code, name, severity, summary, hint, example)
    _RULES[code] = rule
    return rule


def all_skill_rules() -> list[SkillRule]:
    import octavus_cli.skills.rules  # noqa: F401  (registers the rules)

    return sorted(_RULES.values(), key=lambda r: r.code)


def get_skill_rule(code: str) -> SkillRule:
    all_skill_rules()
    return _RULES[code]
