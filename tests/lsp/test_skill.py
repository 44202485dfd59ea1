"""SKILL.md in `octavus lsp`: front-matter findings, key hover and completion."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types

from octavus_cli.lsp.skill import skill_completions, skill_findings
from tests.lsp.client import DEADLINE, Editor
from tests.support.cli import run_cli


def test_an_init_skill_is_clean_a_broken_one_is_reported_and_hover_explains_keys(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "qr-code"
    assert run_cli("init", str(folder), "--skill").code == 0
    skill = folder / "SKILL.md"
    good = skill.read_text()

    async def scenario(editor: Editor) -> None:
        uri = editor.open(skill, "markdown")
        assert await editor.diagnostics_for(uri) == []
        editor.change(uri, good.replace("name: qr-code", "name: QR Code"))
        (finding,) = await editor.diagnostics_for(uri)
        assert finding.code == "skill-name"
        assert finding.range.start.line == 1
        assert finding.severity == types.DiagnosticSeverity.Error
        editor.change(uri, good)
        assert await editor.diagnostics_for(uri) == []
        hover = await editor.client.text_document_hover_async(
            types.HoverParams(**editor.where(uri, 2, 3))  # "description:"
        )
        assert hover is not None
        assert isinstance(hover.contents, types.MarkupContent)
        assert hover.contents.value.startswith("**description**: Required.")

    async def main() -> None:
        editor = Editor()
        await editor.start(folder)
        try:
            await scenario(editor)
        finally:
            await editor.stop()

    asyncio.run(asyncio.wait_for(main(), 4 * DEADLINE))


def test_front_matter_findings() -> None:
    assert [f.code for f in skill_findings("x", "# no front matter\n")] == ["skill-front-matter"]
    missing = skill_findings("x", "---\nname: x\n---\n")
    assert [f.message for f in missing] == ["front matter needs a text description"]
    other = skill_findings("x", "---\nname: y\ndescription: d\n---\n")
    assert [(f.code, f.error) for f in other] == [("skill-name", False)]
    secret = "---\nname: x\ndescription: d\nsecrets:\n  - name: token\n---\n"
    assert [f.code for f in skill_findings("x", secret)] == ["skill-secret"]


def test_front_matter_key_completion() -> None:
    text = "---\nname: x\n\n---\n"
    keys = skill_completions(text, 2, 0)
    assert "description" in keys
    assert "name" not in keys
