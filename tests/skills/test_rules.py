"""Acceptance 3: every skills rule has a failing and a fixed example, run here and
listed in docs/skill-rules.md (generated from the registry)."""

from __future__ import annotations

from pathlib import Path

import pytest

from octavus_cli.protocol.diagnostics import Severity
from octavus_cli.skills.docs import generate, main, write_skill_example
from octavus_cli.skills.registry import SkillRule, all_skill_rules
from octavus_cli.skills.validate import validate_skill

RULES = all_skill_rules()
REPO = Path(__file__).resolve().parents[2]
SKILL_RULES_MD = REPO / "docs" / "skill-rules.md"

STABLE_IDS = {
    "SKL001": "skill-md-unreadable",
    "SKL002": "front-matter",
    "SKL003": "missing-name",
    "SKL004": "invalid-name",
    "SKL005": "missing-description",
    "SKL006": "field-type",
    "SKL007": "unknown-key",
    "SKL008": "invalid-secrets",
    "SKL009": "secret-name",
    "SKL010": "duplicate-secret",
    "SKL011": "secret-required-type",
    "SKL012": "missing-script",
    "SKL013": "bundle-too-large",
    "SKL014": "excluded-file",
    "SKL015": "symlink-outside",
    "SKL016": "secret-in-bundle",
}


def rule_id(rule: SkillRule) -> str:
    return f"{rule.code}-{rule.name}"


def test_ids_are_stable_and_every_rule_has_an_example() -> None:
    assert {r.code: r.name for r in RULES} == STABLE_IDS
    assert all(rule.example is not None for rule in RULES)


@pytest.mark.parametrize("rule", RULES, ids=rule_id)
def test_failing_example_is_reported_at_its_position_and_the_fix_is_clean(
    rule: SkillRule, tmp_path: Path
) -> None:
    example = rule.example
    assert example is not None
    failing = validate_skill(write_skill_example(example, tmp_path / "bad" / "my-skill"))
    found = [(d.code, d.file, d.line, d.column) for d in failing.diagnostics]
    assert (rule.code, example.file, example.line, example.column) in found, found
    hits = [d for d in failing.diagnostics if d.code == rule.code]
    assert all(d.severity is rule.severity and d.message and d.hint for d in hits)
    assert not failing.valid(strict=True)
    if rule.severity is Severity.ERROR:
        assert not failing.valid()
    fixed = validate_skill(write_skill_example(example, tmp_path / "good" / "my-skill", fixed=True))
    assert fixed.diagnostics == [], [d.message for d in fixed.diagnostics]


def test_crlf_front_matter_is_accepted(tmp_path: Path) -> None:
    folder = tmp_path / "crlf"
    folder.mkdir()
    (folder / "SKILL.md").write_bytes(
        b"---\r\nname: crlf\r\nversion: 2\r\ndescription: Works with CRLF.\r\n---\r\n# Doc\r\n"
    )
    result = validate_skill(folder)
    assert [(d.code, d.line, d.column) for d in result.diagnostics] == [("SKL006", 3, 10)]


def test_skill_rules_md_is_up_to_date_and_lists_every_rule() -> None:
    text = SKILL_RULES_MD.read_text(encoding="utf-8")
    assert text == generate(), "docs/skill-rules.md is stale: run python -m octavus_cli.skills.docs"
    for rule in RULES:
        section = text.split(f"### {rule.code} {rule.name}", 1)[1].split("\n### ", 1)[0]
        assert "Failing example:" in section or "is missing." in section
        assert f"[{rule.code}]" in section
        assert "Fixed:" in section or "Fix:" in section
    assert main(["--check", str(SKILL_RULES_MD)]) == 0


def test_rules_md_points_to_the_skill_rules() -> None:
    assert "(skill-rules.md)" in (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
