"""What docs/rules.md and docs/skill-rules.md are generated with.

Both documents show each rule's failing example as fenced files, the finding the
validator reports for it (run in a temporary folder, so paths read the same on
every machine) and the fix; both are written or checked by the same small command.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from octavus_cli.protocol.diagnostics import Diagnostic, Severity

LANGUAGES = {".yaml": "yaml", ".json": "json", ".md": "markdown", ".py": "python"}


class HasFindings(Protocol):
    """A validation result (an agent's or a skill's)."""

    @property
    def diagnostics(self) -> list[Diagnostic]: ...


class DocumentedRule(Protocol):
    """What both registries' rules have (agent ``Rule`` and ``SkillRule``)."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def summary(self) -> str: ...
    @property
    def hint(self) -> str: ...


def anchor(rule: DocumentedRule) -> str:
    """The Markdown anchor of a rule's section (``### OCT201 unknown-prompt``)."""
    return f"{rule.code.lower()}-{rule.name}"


def rules_table(rules: Sequence[DocumentedRule]) -> list[str]:
    """The "All rules" table: id (linked), name, severity, what it checks."""
    lines = ["| Id | Name | Severity | Checks |", "| --- | --- | --- | --- |"]
    for rule in rules:
        summary = rule.summary.replace("|", "\\|")
        lines.append(
            f"| [{rule.code}](#{anchor(rule)}) | {rule.name} | {rule.severity.value} | {summary} |"
        )
    return lines


def rule_heading(rule: DocumentedRule) -> list[str]:
    """A rule's section heading, severity with summary, and hint."""
    return [
        f"### {rule.code} {rule.name}",
        "",
        f"**{rule.severity.value}** - {rule.summary}.",
        "",
        f"Hint: {' '.join(rule.hint.split())}",
        "",
    ]


def language(name: str) -> str:
    """The fence language of a file, by its ending ("" when there is none to give)."""
    return LANGUAGES.get(Path(name).suffix, "")


def fence(text: str, lang: str = "") -> str:
    """``text`` in a Markdown code fence (a longer fence when it holds one itself)."""
    marks = "````" if "```" in text else "```"
    body = text if text.endswith("\n") else text + "\n"
    return f"{marks}{lang}\n{body}{marks}\n"


def files_section(files: dict[str, str], heading: str) -> list[str]:
    """``heading`` and each file as its name and its fenced text."""
    lines = [heading, ""]
    for name, text in files.items():
        lines += [f"`{name}`:", "", fence(text, language(name))]
    return lines


def headline(diag: Diagnostic, folder: str) -> str:
    """A finding as the validator's first line prints it, for a folder named ``folder``."""
    where = folder if diag.file == "." else f"{folder}/{diag.file}:{diag.line}:{diag.column}"
    return f"{where}: {diag.severity.value}[{diag.code}] {diag.message}"


def reported(findings: Sequence[Diagnostic], folder: str) -> list[str]:
    """The "Reported:" part of an example."""
    text = "\n".join(headline(d, folder) for d in findings) or "(nothing)"
    return ["Reported:", "", fence(text)]


def example_findings(
    code: str,
    write: Callable[[Path], object],
    folder: str,
    validate: Callable[[str], HasFindings],
) -> list[Diagnostic]:
    """The findings of rule ``code`` for an example folder: ``write`` puts it in a
    temporary place as ``folder``, and ``validate`` checks it from there, which keeps
    the messages that name the path the same on every machine."""
    with tempfile.TemporaryDirectory() as tmp:
        write(Path(tmp) / folder)
        previous = os.getcwd()
        os.chdir(tmp)
        try:
            result = validate(folder)
        finally:
            os.chdir(previous)
    return [d for d in result.diagnostics if d.code == code]


def docs_main(
    argv: Sequence[str] | None,
    *,
    module: str,
    default_output: Path,
    generate: Callable[[], str],
    rule_count: Callable[[], int],
) -> int:
    """``python -m MODULE [OUTPUT] [--check]``: write the document, or check it is current."""
    parser = argparse.ArgumentParser(
        prog=f"python -m {module}", description=f"Generate {default_output}."
    )
    parser.add_argument("output", nargs="?", type=Path, default=default_output)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    args = parser.parse_args(argv)
    text = generate()
    output: Path = args.output
    if args.check:
        current = output.read_text(encoding="utf-8") if output.exists() else ""
        if current != text:
            print(f"{output} is out of date; run python -m {module}")
            return 1
        return 0
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(f"wrote {output} ({rule_count()} rules)")
    return 0
