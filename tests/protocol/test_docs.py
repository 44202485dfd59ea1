"""docs/rules.md is generated from the registry and kept up to date."""

from __future__ import annotations

from octavus_cli.protocol.docs import generate, main
from octavus_cli.protocol.registry import all_rules
from tests.protocol.helpers import REPO

RULES_MD = REPO / "docs" / "rules.md"


def test_rules_md_is_up_to_date() -> None:
    assert RULES_MD.read_text(encoding="utf-8") == generate(), (
        "docs/rules.md is stale: run python -m octavus_cli.protocol.docs"
    )


def test_every_rule_is_documented_with_its_finding() -> None:
    text = RULES_MD.read_text(encoding="utf-8")
    for rule in all_rules():
        assert f"### {rule.code} {rule.name}" in text
        if rule.example is not None:
            assert f"[{rule.code}]" in text.split(f"### {rule.code} {rule.name}", 1)[1]


def test_the_ambiguities_are_decided() -> None:
    text = RULES_MD.read_text(encoding="utf-8")
    decisions = text.split("## Decisions on ambiguities in the docs", 1)[1]
    for number in range(1, 17):
        assert f"\n{number}. **" in decisions


def test_check_mode(tmp_path: object) -> None:
    assert main(["--check", str(RULES_MD)]) == 0
