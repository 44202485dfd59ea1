"""`validate` and `sync` append a Markdown job summary to $GITHUB_STEP_SUMMARY, never stdout."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.protocol.helpers import EXAMPLES
from tests.support.cli import run_cli


def test_validate_appends_a_findings_table(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "minimal-chat", tmp_path / "minimal-chat")
    protocol = tmp_path / "minimal-chat" / "protocol.yaml"
    protocol.write_text(protocol.read_text().replace("system: system", "system: sy|tem", 1))
    summary = tmp_path / "summary.md"
    summary.write_text("# Earlier step\n", encoding="utf-8")
    env = {"GITHUB_STEP_SUMMARY": str(summary)}

    result = run_cli("validate", "minimal-chat", "--json", cwd=tmp_path, env=env)
    assert result.code == 1, result
    assert result.json()["valid"] is False  # stdout is still only the JSON document

    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# Earlier step\n### octavus validate\n")
    assert "❌ Found 1 error in minimal-chat" in text
    assert "| Severity | Rule | Location | Message |" in text
    line = protocol.read_text().splitlines().index("  system: sy|tem") + 1
    rows = [r for r in text.splitlines() if r.startswith("| error | OCT201 |")]
    assert len(rows) == 1
    assert f"`minimal-chat/protocol.yaml:{line}:11`" in rows[0]
    assert "sy\\|tem" in rows[0]  # a | in a message does not break the table


def test_a_flood_of_findings_gets_the_first_rows_and_a_count(tmp_path: Path) -> None:
    # Rows past the table's limit are only counted (a 60k-finding prompt once built them all).
    from octavus_cli.output.summary import MAX_ROWS

    folder = tmp_path / "flood"
    shutil.copytree(EXAMPLES / "minimal-chat", folder)
    count = MAX_ROWS + 30
    lines = [f"Line {i} {{{{#if NOPE_{i}}}}}x{{{{/if}}}}" for i in range(count)]
    (folder / "prompts" / "system.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = tmp_path / "summary.md"
    result = run_cli("validate", "flood", cwd=tmp_path, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.code == 1, result
    text = summary.read_text(encoding="utf-8")
    rows = [r for r in text.splitlines() if r.startswith("| error | ")]
    assert len(rows) == MAX_ROWS
    assert "`flood/prompts/system.md:1:8`" in rows[0]
    assert text.rstrip().endswith("… and 30 more (see the step's log).")


def test_no_summary_without_the_variable(tmp_path: Path) -> None:
    result = run_cli("validate", str(EXAMPLES / "support-chat"), cwd=tmp_path)
    assert result.code == 0, result
    assert "###" not in result.stdout + result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_summary_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    env = {"GITHUB_STEP_SUMMARY": str(tmp_path / "missing" / "summary.md")}
    result = run_cli("validate", str(EXAMPLES / "support-chat"), env=env)
    assert result.code == 0, result
    assert "Could not write the job summary" in result.stderr
