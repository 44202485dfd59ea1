"""The SARIF 2.1.0 emitter: findings for code scanning (GitHub, GitLab, IDEs).

It renders any list of findings sets (something with a ``path`` and ``diagnostics``,
like :class:`~octavus_cli.protocol.validate.AgentResult`) and takes the rule
documentation from a lookup, so ``validate`` and other commands that report
:class:`~octavus_cli.protocol.diagnostics.Diagnostic` share it.

Artifact URIs are relative to the current directory (``uriBaseId`` ``%SRCROOT%``),
which is what code scanning expects when the command runs at the repository root;
a file outside it gets an absolute ``file:`` URI.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote

from octavus_cli.output.emitter import Emitter
from octavus_cli.protocol.diagnostics import Diagnostic, Severity
from octavus_cli.records import record

if TYPE_CHECKING:
    from octavus_cli.output.reporter import Reporter
    from octavus_cli.output.results import ValidationReport
    from octavus_cli.protocol.docgen import DocumentedRule

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
# Where the rules are documented (docs/rules.md of this repository); one anchor per rule.
RULES_DOC_URI = "https://github.com/octavus-ai/octavus-cli/blob/main/docs/rules.md"
SRCROOT = "%SRCROOT%"


class FindingSet(Protocol):
    """Findings about one folder: its path (as given) and its diagnostics."""

    @property
    def path(self) -> Path | None: ...

    @property
    def diagnostics(self) -> Sequence[Diagnostic]: ...


@record
class RuleDoc:
    """What SARIF says about a rule: id, name, summary, help and where to read more."""

    id: str
    name: str
    summary: str
    help: str
    help_uri: str
    severity: Severity
    family: str = ""


RuleLookup = Callable[[str], "RuleDoc | None"]


SKILL_RULES_DOC_URI = RULES_DOC_URI.replace("/rules.md", "/skill-rules.md")


def any_rule(code: str) -> RuleDoc | None:
    """The documentation of an agent rule (``OCT201``) or a skill rule (``SKL003``)."""
    return skill_rule(code) if code.startswith("SKL") else protocol_rule(code)


def skill_rule(code: str) -> RuleDoc | None:
    """The documentation of a ``SKILL.md`` rule (``SKL003``), from the skills registry."""
    from octavus_cli.skills.registry import get_skill_rule

    try:
        rule = get_skill_rule(code)
    except KeyError:
        return None
    return _rule_doc(rule, SKILL_RULES_DOC_URI, "skills")


def protocol_rule(code: str) -> RuleDoc | None:
    """The documentation of an agent-protocol rule (``OCT201``), from the registry."""
    from octavus_cli.protocol.registry import get_rule

    try:
        rule = get_rule(code)
    except KeyError:
        return None
    return _rule_doc(rule, RULES_DOC_URI, rule.family)


def _rule_doc(rule: DocumentedRule, docs_uri: str, family: str) -> RuleDoc:
    """A rule of either registry, linked to its section of the rules page at ``docs_uri``."""
    from octavus_cli.protocol.docgen import anchor

    return RuleDoc(
        id=rule.code,
        name=rule.name,
        summary=rule.summary,
        help=rule.hint,
        help_uri=f"{docs_uri}#{anchor(rule)}",
        severity=rule.severity,
        family=family,
    )


def _level(severity: Severity) -> str:
    return "error" if severity is Severity.ERROR else "warning"


def _artifact(root: Path | None, file: str, cwd: Path) -> dict[str, str]:
    """The artifactLocation of ``file`` in the folder ``root``: relative to the cwd if inside."""
    path = Path(file) if root is None else (root if file == "." else root / file)
    absolute = Path(os.path.abspath(path))
    suffix = "/" if file == "." else ""
    try:
        relative = absolute.relative_to(cwd)
    except ValueError:
        return {"uri": absolute.as_uri() + suffix}
    return {"uri": quote(relative.as_posix()) + suffix, "uriBaseId": SRCROOT}


def _region(diag: Diagnostic) -> dict[str, int]:
    region = {"startLine": max(diag.line, 1), "startColumn": max(diag.column, 1)}
    end_line = diag.extra.get("end_line")
    end_column = diag.extra.get("end_column")
    if (
        isinstance(end_line, int)
        and isinstance(end_column, int)
        and (end_line, end_column) > (diag.line, diag.column)
    ):
        region["endLine"] = end_line
        region["endColumn"] = end_column
    return region


def _rule_descriptor(doc: RuleDoc) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "id": doc.id,
        "name": doc.name,
        "shortDescription": {"text": doc.summary},
        "fullDescription": {"text": doc.summary},
        "help": {"text": doc.help, "markdown": f"{doc.help}\n\n[{doc.id}]({doc.help_uri})"},
        "helpUri": doc.help_uri,
        "defaultConfiguration": {"level": _level(doc.severity)},
    }
    if doc.family:
        descriptor["properties"] = {"tags": [doc.family]}
    return descriptor


def _fallback_rule(diag: Diagnostic) -> RuleDoc:
    return RuleDoc(
        id=diag.code,
        name=diag.code.lower(),
        summary=diag.message,
        help=diag.hint or diag.message,
        help_uri=RULES_DOC_URI,
        severity=diag.severity,
    )


def sarif_log(
    findings: Sequence[FindingSet],
    *,
    rules: RuleLookup = protocol_rule,
    cwd: Path | None = None,
) -> dict[str, Any]:
    """One SARIF log with one run: the rules used and a result per diagnostic."""
    from octavus_cli import package_version

    base = Path(os.path.abspath(cwd or Path.cwd()))
    descriptors: dict[str, RuleDoc] = {}
    collected: list[tuple[Path | None, Diagnostic]] = []
    for item in findings:
        for diag in item.diagnostics:
            collected.append((item.path, diag))
            if diag.code not in descriptors:
                descriptors[diag.code] = rules(diag.code) or _fallback_rule(diag)
    order = sorted(descriptors)
    index = {code: i for i, code in enumerate(order)}
    results = [_result(root, diag, index[diag.code], base) for root, diag in collected]
    driver: dict[str, Any] = {
        "name": "octavus",
        "fullName": "octavus-cli",
        "version": package_version(),
        "informationUri": RULES_DOC_URI,
        "rules": [_rule_descriptor(descriptors[code]) for code in order],
    }
    return {
        "$schema": SARIF_SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {"driver": driver},
                "originalUriBaseIds": {SRCROOT: {"uri": base.as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def _result(root: Path | None, diag: Diagnostic, rule_index: int, cwd: Path) -> dict[str, Any]:
    text = diag.message
    if diag.source != "local":
        text += " (reported by the platform)"
    if diag.hint:
        text += f"\nHint: {diag.hint}"
    physical: dict[str, Any] = {"artifactLocation": _artifact(root, diag.file, cwd)}
    if diag.file != ".":
        physical["region"] = _region(diag)
    result: dict[str, Any] = {
        "ruleId": diag.code,
        "ruleIndex": rule_index,
        "level": _level(diag.severity),
        "message": {"text": text},
        "locations": [{"physicalLocation": physical}],
    }
    if diag.path is not None:
        result["locations"][0]["logicalLocations"] = [
            {"fullyQualifiedName": diag.path, "kind": "member"}
        ]
    return result


def emit_sarif(
    reporter: Reporter, findings: Sequence[FindingSet], *, rules: RuleLookup = any_rule
) -> None:
    """The SARIF log as the one document on stdout."""
    reporter.emit_json(sarif_log(findings, rules=rules))


class SarifEmitter(Emitter):
    """One SARIF log on stdout; errors go to stderr only (the log stays valid or absent)."""

    def validation(self, report: ValidationReport) -> None:
        emit_sarif(self.reporter, report.checked)
