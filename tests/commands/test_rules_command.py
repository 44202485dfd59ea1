"""`octavus rules` lists the registry; `octavus rules ID` prints one rule's doc."""

from __future__ import annotations

from pathlib import Path

from octavus_cli.protocol.registry import all_rules
from tests.protocol.helpers import EXAMPLES
from tests.support.cli import run_cli


def test_lists_every_rule_with_name_severity_and_summary() -> None:
    result = run_cli("rules")
    assert result.code == 0, result
    lines = result.stdout.splitlines()
    for rule in all_rules():
        line = next(x for x in lines if x.startswith(rule.code + " "))
        assert rule.name in line
        assert rule.severity.value in line
        assert line.endswith(rule.summary)
    assert result.stderr == ""


def test_json_list() -> None:
    doc = run_cli("rules", "--json").json()
    assert [r["id"] for r in doc] == [r.code for r in all_rules()]
    oct201 = next(r for r in doc if r["id"] == "OCT201")
    assert oct201["name"] == "undefined-prompt"
    assert oct201["severity"] == "error"


def test_one_rule_doc_has_what_why_example_and_fix() -> None:
    result = run_cli("rules", "OCT201")
    assert result.code == 0, result
    text = result.stdout
    assert text.startswith("# OCT201 undefined-prompt\n")
    assert "What: " in text
    assert "Why: An error" in text
    assert "Fix: " in text
    assert "Failing example:" in text
    # The reported finding is produced by running the validator on the example.
    assert "error[OCT201]" in text
    assert "Reported:" in text
    assert text.count("Fix") >= 2  # the hint and the fixed example


def test_rule_by_name_any_case() -> None:
    assert run_cli("rules", "unknown-key").stdout.startswith("# OCT114 unknown-key")
    assert run_cli("rules", "oct114").stdout.startswith("# OCT114 unknown-key")


def test_unknown_rule_is_a_usage_error_with_a_guess() -> None:
    result = run_cli("rules", "OCT2011")
    assert result.code == 2
    assert 'No rule "OCT2011"' in result.stderr
    assert "Did you mean" in result.stderr


def test_validate_help_points_at_the_rules_command() -> None:
    result = run_cli("validate", "--help")
    assert "octavus rules" in result.stdout
    assert "docs/rules.md" not in result.stdout


def test_human_findings_end_with_the_rule_name(tmp_path: Path) -> None:
    import shutil

    agent = tmp_path / "support-chat"
    shutil.copytree(EXAMPLES / "support-chat", agent)
    protocol = agent / "protocol.yaml"
    protocol.write_text(protocol.read_text().replace("system: system", "system: sytem", 1))
    result = run_cli("validate", str(agent))
    assert result.code == 1
    headline = next(x for x in result.stdout.splitlines() if "error[OCT201]" in x)
    assert headline.endswith("[undefined-prompt]")
    # --quiet keeps the plain file:line:col form that editors' error formats parse.
    quiet = run_cli("validate", str(agent), "-q")
    assert quiet.stdout.splitlines()[0].endswith("there is no prompts/sytem.md")
