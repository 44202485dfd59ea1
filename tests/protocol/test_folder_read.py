"""read_folder: one read of an agent folder, returning what it could read plus diagnostics."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from octavus_cli.errors import AgentFileError
from octavus_cli.protocol.folder import read_agent_dir, read_folder
from octavus_cli.protocol.validate import validate_path
from tests.protocol.test_folder import make_agent


def test_a_missing_folder_is_a_diagnostic_not_an_exception(tmp_path: Path) -> None:
    read = read_folder(tmp_path / "nope")
    assert [d.code for d in read.diagnostics] == ["OCT001"]
    assert read.definition is None
    assert read.partial is None
    error = read.error()
    assert isinstance(error, AgentFileError)
    assert "agent folder not found" in error.message


def test_a_good_folder_gives_the_complete_definition(tmp_path: Path) -> None:
    root = make_agent(tmp_path / "a")
    read = read_folder(root)
    assert read.diagnostics == ()
    assert read.error() is None
    assert read.definition == read_agent_dir(root)
    assert read.settings_slug == "demo-agent"


def test_a_broken_folder_gives_what_could_be_read(tmp_path: Path) -> None:
    root = make_agent(
        tmp_path / "a",
        {
            "prompts/bad.md": b"caf\xe9",
            "references/faq.md": "no front matter\n",
        },
    )
    read = read_folder(root)
    assert [(d.code, d.file) for d in read.diagnostics] == [
        ("OCT005", "prompts/bad.md"),
        ("OCT007", "references/faq.md"),
    ]
    assert read.definition is None
    partial = read.partial
    assert partial is not None
    assert partial.settings.slug == "demo-agent"
    # A file with a problem is still there (no text), so no rule calls it missing.
    assert [(p.name, p.content) for p in partial.prompts] == [
        ("bad", ""),
        ("system", "You are helpful."),
    ]
    assert [r.name for r in partial.references] == ["faq"]
    assert "prompts/bad.md" in read.unreadable
    assert "prompts/bad.md" not in read.sources
    assert read.sources["prompts/system.md"] == "You are helpful."
    assert read.settings_slug == "demo-agent"
    with pytest.raises(AgentFileError) as raised:
        read_agent_dir(root)
    assert list(raised.value.diagnostics) == list(read.diagnostics)


def test_a_broken_folder_keeps_the_slug_of_a_settings_file_with_a_bom(tmp_path: Path) -> None:
    root = make_agent(tmp_path / "a", {"prompts/bad.md": b"caf\xe9"})
    text = (root / "settings.json").read_text(encoding="utf-8")
    (root / "settings.json").write_text("\ufeff" + text, encoding="utf-8")
    read = read_folder(root)
    assert [d.code for d in read.diagnostics] == ["OCT005"]
    assert read.partial is not None
    assert read.partial.settings.slug == "demo-agent"
    assert validate_path(root).slug == "demo-agent"


def test_a_broken_folder_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_agent(tmp_path / "a", {"prompts/bad.md": b"caf\xe9"})
    reads: Counter[str] = Counter()
    real = Path.read_bytes

    def counting(path: Path) -> bytes:
        reads[path.relative_to(root).as_posix()] += 1
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", counting)
    result = validate_path(root)
    assert [d.code for d in result.errors] == ["OCT005"]
    assert reads == {
        "settings.json": 1,
        "protocol.yaml": 1,
        "prompts/system.md": 1,
        "prompts/bad.md": 1,
    }


def test_a_linked_prompt_folder_names_prompts_as_a_full_read_does(tmp_path: Path) -> None:
    root = make_agent(tmp_path / "a", {"prompts/shared/intro.md": "Hello"})
    os.symlink("shared", root / "prompts" / "common")
    complete = read_agent_dir(root)
    (root / "prompts" / "bad.md").write_bytes(b"\xff")
    partial = read_folder(root).partial
    assert partial is not None
    assert {p.name for p in partial.prompts} == {p.name for p in complete.prompts} | {"bad"}
