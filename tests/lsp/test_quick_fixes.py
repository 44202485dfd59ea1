"""Every did-you-mean finding of the rule examples: the quick fix removes the finding."""

from __future__ import annotations

from pathlib import Path

from octavus_cli.lsp.analysis import analyze
from octavus_cli.lsp.server import quick_fix
from octavus_cli.protocol.examples import write_example
from octavus_cli.protocol.registry import all_rules


def _apply(text: str, line: int, start: int, end: int, new: str) -> str:
    lines = text.splitlines(keepends=True)
    lines[line] = lines[line][:start] + new + lines[line][end:]
    return "".join(lines)


def test_each_did_you_mean_fix_removes_its_finding(tmp_path: Path) -> None:
    fixed_rules: list[str] = []
    failures: list[str] = []
    for rule in all_rules():
        if rule.example is None or rule.example.no_folder:
            continue
        root = write_example(rule.example, tmp_path / rule.code / "my-agent").resolve()
        analysis = analyze(root, {})
        for diag in analysis.result.diagnostics:
            replacement = quick_fix(analysis, diag)
            if diag.code != rule.code or replacement is None:
                continue
            where = analysis.range_of(diag)
            file = analysis.file_of(diag)
            text = _apply(analysis.texts[file], where.line, where.start, where.end, replacement)
            after = analyze(root, {str(root / file): text})
            # The finding is gone and nothing new appears: the fix is the right edit.
            before = {(d.code, d.line) for d in analysis.result.diagnostics}
            now = {(d.code, d.line) for d in after.result.diagnostics}
            if (diag.code, diag.line) in now or not now < before:
                failures.append(f"{rule.code}: {replacement!r} at {diag.line}:{diag.column}")
            fixed_rules.append(rule.code)
            break
    assert failures == []
    # The rules whose hint names the right value (names, keys, prompts, models...).
    assert {"OCT114", "OCT201"} <= set(fixed_rules)
    assert len(fixed_rules) >= 10, fixed_rules


def test_a_suggestion_about_something_else_is_not_a_quick_fix(tmp_path: Path) -> None:
    from octavus_cli.lsp.analysis import Analysis
    from octavus_cli.protocol.diagnostics import Diagnostic, Severity
    from octavus_cli.protocol.validate import AgentResult

    texts = {"protocol.yaml": "agent:\n  tool: get-user-account\n"}
    analysis = Analysis(tmp_path, AgentResult(tmp_path, "x", []), texts)

    def diag(hint: str) -> Diagnostic:
        return Diagnostic("OCT312", Severity.ERROR, "m", "protocol.yaml", 2, 9, hint=hint)

    assert quick_fix(analysis, diag('Did you mean "userId"?')) is None
    assert quick_fix(analysis, diag('Did you mean "get-user-accounts"?')) == "get-user-accounts"
