"""Every rule: its failing example is reported where it should be, and its fix passes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from octavus_cli.protocol.diagnostics import Severity
from octavus_cli.protocol.examples import write_example
from octavus_cli.protocol.registry import FAMILIES, Rule, all_rules
from octavus_cli.protocol.rules.folder import FOLDER_RULES
from octavus_cli.protocol.validate import validate_path

RULES = all_rules()
WITH_EXAMPLES = [rule for rule in RULES if rule.example is not None]
NO_EXAMPLE = {"OCT000", "OCT900"}  # a bug report, and the platform's own findings

# Ids are stable forever: a rule may be added, never renumbered or renamed.
STABLE_IDS = {
    "OCT000": "internal-error",
    "OCT001": "folder-not-found",
    "OCT002": "missing-file",
    "OCT003": "invalid-json",
    "OCT004": "invalid-settings",
    "OCT005": "not-utf8",
    "OCT006": "file-too-large",
    "OCT007": "reference-front-matter",
    "OCT008": "symlink-outside",
    "OCT101": "yaml-syntax",
    "OCT102": "duplicate-key",
    "OCT103": "yaml-limits",
    "OCT110": "missing-field",
    "OCT111": "wrong-type",
    "OCT112": "invalid-value",
    "OCT113": "out-of-range",
    "OCT114": "unknown-key",
    "OCT115": "missing-recommended-field",
    "OCT116": "wrong-format-section",
    "OCT117": "missing-agent",
    "OCT118": "no-entry-point",
    "OCT201": "undefined-prompt",
    "OCT202": "unresolved-include",
    "OCT203": "include-cycle",
    "OCT204": "relative-include",
    "OCT205": "unused-prompt",
    "OCT210": "unbalanced-conditional",
    "OCT211": "malformed-condition",
    "OCT212": "undeclared-condition-variable",
    "OCT213": "enum-literal-mismatch",
    "OCT214": "unpassed-variable",
    "OCT215": "unsupported-template-tag",
    "OCT301": "undefined-tool",
    "OCT302": "undefined-skill",
    "OCT303": "undefined-mcp-server",
    "OCT304": "undefined-reference",
    "OCT305": "undefined-worker",
    "OCT306": "undefined-on-demand-source",
    "OCT307": "unused-declaration",
    "OCT308": "display-title-without-title",
    "OCT309": "remote-only-mcp-option",
    "OCT310": "worker-tool-mapping",
    "OCT311": "summarizer-worker",
    "OCT312": "tool-call-arguments",
    "OCT401": "handler-without-trigger",
    "OCT402": "trigger-without-handler",
    "OCT403": "undeclared-variable",
    "OCT404": "literal-or-variable",
    "OCT405": "used-before-set",
    "OCT406": "undeclared-output",
    "OCT407": "immutable-output",
    "OCT408": "set-resource-target",
    "OCT409": "worker-output",
    "OCT410": "worker-output-not-variable",
    "OCT411": "thread-not-started",
    "OCT412": "name-collision",
    "OCT501": "variable-name",
    "OCT502": "type-name",
    "OCT503": "kebab-case-name",
    "OCT601": "invalid-model",
    "OCT602": "unknown-provider",
    "OCT603": "provider-options-mismatch",
    "OCT604": "undeclared-config-variable",
    "OCT605": "fast-mode-unsupported",
    "OCT606": "config-variable-type",
    "OCT701": "undefined-type",
    "OCT702": "recursive-type",
    "OCT703": "invalid-union",
    "OCT704": "invalid-response-type",
    "OCT705": "enum-on-non-string",
    "OCT706": "default-mismatch",
    "OCT801": "deprecated-resources",
    "OCT802": "deprecated-set-resource",
    "OCT803": "deprecated-field",
    "OCT009": "not-portable-file",
    "OCT900": "platform-finding",
}

# Severity is part of the contract: an error fails `validate` (exit 1), a warning only
# with --strict. Moving a rule between the two changes what users' CI does.
WARNINGS = {
    "OCT009",
    "OCT114", "OCT115", "OCT116", "OCT118", "OCT204", "OCT205", "OCT214", "OCT215",
    "OCT306", "OCT307", "OCT308", "OCT310", "OCT311", "OCT312", "OCT404", "OCT406",
    "OCT410", "OCT412", "OCT503", "OCT602", "OCT605", "OCT606", "OCT705", "OCT706",
    "OCT801", "OCT802", "OCT803",
}  # fmt: skip


def rule_id(rule: Rule) -> str:
    return f"{rule.code}-{rule.name}"


@pytest.mark.parametrize("rule", WITH_EXAMPLES, ids=rule_id)
def test_failing_example_is_reported_at_its_position(rule: Rule, tmp_path: Path) -> None:
    example = rule.example
    assert example is not None
    result = validate_path(write_example(example, tmp_path / "my-agent"))
    found = [(d.code, d.file, d.line, d.column) for d in result.diagnostics]
    assert (rule.code, example.file, example.line, example.column) in found, found
    hits = [d for d in result.diagnostics if d.code == rule.code]
    assert all(d.severity is rule.severity for d in hits)
    assert all(d.message and d.hint for d in hits)
    assert not result.valid(strict=True)
    if rule.severity is Severity.ERROR:
        assert not result.valid()


@pytest.mark.parametrize("rule", WITH_EXAMPLES, ids=rule_id)
def test_fixed_example_passes(rule: Rule, tmp_path: Path) -> None:
    example = rule.example
    assert example is not None
    result = validate_path(write_example(example, tmp_path / "my-agent", fixed=True))
    left = [d for d in result.diagnostics if d.code not in example.fixed_keeps]
    assert left == [], [(d.code, d.file, d.line, d.column, d.message) for d in left]
    assert result.valid()


def test_every_rule_but_two_has_an_example() -> None:
    assert {rule.code for rule in RULES if rule.example is None} == NO_EXAMPLE


def test_rule_ids_are_stable() -> None:
    assert {rule.code: rule.name for rule in RULES} == STABLE_IDS


def test_which_rules_are_warnings_is_stable() -> None:
    assert {rule.code for rule in RULES if rule.severity is Severity.WARNING} == WARNINGS
    assert all(rule.severity in (Severity.ERROR, Severity.WARNING) for rule in RULES)


def test_rules_are_well_formed() -> None:
    for rule in RULES:
        assert re.fullmatch(r"OCT\d{3}", rule.code), rule
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule
        assert rule.family in FAMILIES
        assert rule.summary
        assert not rule.summary.endswith(".")
        assert rule.hint.strip()


def test_folder_checks_are_in_the_registry() -> None:
    by_code = {rule.code: rule for rule in RULES}
    for code, check in FOLDER_RULES.items():
        assert by_code[code].name == check.name
        assert by_code[code].family == "folder"
