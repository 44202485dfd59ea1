"""Build small agent folders for the validator tests."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from octavus_cli.protocol.diagnostics import Diagnostic
from octavus_cli.protocol.examples import BASE_FILES, settings_text
from octavus_cli.protocol.validate import AgentResult, validate_path

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "agents"
FIXTURES = REPO / "tests" / "fixtures"


def write_agent(
    root: Path,
    files: Mapping[str, str | bytes | None] | None = None,
    *,
    fmt: str = "interactive",
    base: bool = True,
) -> Path:
    """An agent folder at ``root``: the base agent of ``fmt`` plus ``files`` (None removes)."""
    content: dict[str, str | bytes] = {}
    if base:
        content["settings.json"] = settings_text(fmt)
        content.update(BASE_FILES[fmt])
    for name, text in (files or {}).items():
        if text is None:
            content.pop(name, None)
        else:
            content[name] = text
    root.mkdir(parents=True, exist_ok=True)
    for name, text in content.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", newline="")
    return root


def validate_files(
    root: Path, files: Mapping[str, str | bytes | None], *, fmt: str = "interactive"
) -> AgentResult:
    return validate_path(write_agent(root, files, fmt=fmt))


def codes(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.code for d in diagnostics]


def where(diagnostic: Diagnostic) -> tuple[str, str, int, int]:
    return diagnostic.code, diagnostic.file, diagnostic.line, diagnostic.column


def no_internal_errors(diagnostics: list[Diagnostic]) -> None:
    internal = [d for d in diagnostics if d.code == "OCT000"]
    assert not internal, internal
