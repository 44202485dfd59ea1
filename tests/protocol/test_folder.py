"""Reading agent folders into AgentDefinition, and writing them back (CONTRACT section 2)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from octavus_cli.errors import AgentFileError, ConfigError
from octavus_cli.protocol.folder import (
    MAX_FILE_BYTES,
    AgentDefinition,
    Prompt,
    definition_from_body,
    read_agent_dir,
    write_agent_dir,
)
from octavus_cli.protocol.targets import resolve_targets

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "examples" / "agents").iterdir())

SETTINGS = {"slug": "demo-agent", "name": "Demo", "format": "interactive"}
PROTOCOL = "agent:\n  model: anthropic/claude-sonnet-4-5\n  system: system\n"


def make_agent(root: Path, files: dict[str, str | bytes] | None = None) -> Path:
    """An agent folder with valid defaults, overridden by ``files`` (path -> content)."""
    layout: dict[str, str | bytes] = {
        "settings.json": json.dumps(SETTINGS),
        "protocol.yaml": PROTOCOL,
        "prompts/system.md": "You are helpful.",
    }
    layout.update(files or {})
    for rel, content in layout.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def problems(path: Path) -> list[tuple[str, str, int, int]]:
    with pytest.raises(AgentFileError) as info:
        read_agent_dir(path)
    return [(d.code, d.file, d.line, d.column) for d in info.value.diagnostics]


# -- what is read ---------------------------------------------------------------------------


def test_nested_prompts_references_and_raw_protocol(tmp_path: Path) -> None:
    protocol = "# comment kept\nagent:\n  model: anthropic/claude-sonnet-4-5\n  system: system\n"
    root = make_agent(
        tmp_path / "agent",
        {
            "protocol.yaml": protocol,
            "prompts/shared/tone.md": "Be kind.\n",
            "prompts/shared/deep/more.md": "deeper",
            "prompts/notes.txt": "not a prompt",
            "prompts/.hidden.md": "skipped",
            "prompts/.drafts/old.md": "skipped",
            "references/api-guidelines.md": (
                "---\ndescription: >\n  API design\n  guidelines\nowner: docs\n---\n"
                "\n# API\n\nBody.\n\n"
            ),
            "references/nested/ignored.md": "---\ndescription: x\n---\n",
            ".env": "OCTAVUS_API_KEY=never-read",
        },
    )
    agent = read_agent_dir(root)
    assert agent.protocol == protocol
    assert [p.name for p in agent.prompts] == ["shared/deep/more", "shared/tone", "system"]
    assert agent.prompt("shared/tone") is not None
    assert agent.prompt("shared/tone").content == "Be kind.\n"  # type: ignore[union-attr]
    [ref] = agent.references
    assert ref.name == "api-guidelines"
    assert ref.description == "API design guidelines"
    assert ref.content == "# API\n\nBody."
    assert ref.front_matter["owner"] == "docs"
    body = agent.upload_body()
    assert body["settings"] == SETTINGS
    assert body["prompts"][1] == {"name": "shared/tone", "content": "Be kind.\n"}
    assert body["references"] == [
        {
            "name": "api-guidelines",
            "description": "API design guidelines",
            "content": "# API\n\nBody.",
        }
    ]
    assert "slug" not in agent.update_body()["settings"]


def test_unknown_settings_keys_are_not_uploaded(tmp_path: Path) -> None:
    root = make_agent(tmp_path / "a", {"settings.json": json.dumps({**SETTINGS, "extra": 1})})
    agent = read_agent_dir(root)
    assert agent.upload_body()["settings"] == SETTINGS
    assert agent.settings_data["extra"] == 1


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_examples_read_and_round_trip(example: Path, tmp_path: Path) -> None:
    agent = read_agent_dir(example)
    written = tmp_path / "copy"
    write_agent_dir(agent, written)
    again = read_agent_dir(written)
    assert again.upload_body() == agent.upload_body()
    assert definition_from_body(agent.upload_body()).upload_body() == agent.upload_body()


# -- every folder error names the file -------------------------------------------------------


def test_missing_folder(tmp_path: Path) -> None:
    assert problems(tmp_path / "nope") == [("OCT001", ".", 1, 1)]


def test_path_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    assert problems(tmp_path / "file")[0][0] == "OCT001"


def test_missing_settings_and_protocol(tmp_path: Path) -> None:
    root = tmp_path / "empty"
    root.mkdir()
    with pytest.raises(AgentFileError) as info:
        read_agent_dir(root)
    found = [(d.code, d.file) for d in info.value.diagnostics]
    assert found == [("OCT002", "settings.json"), ("OCT002", "protocol.yaml")]
    assert "settings.json not found" in info.value.message
    assert info.value.file == root / "settings.json"


def test_invalid_json_has_line_and_column(tmp_path: Path) -> None:
    root = make_agent(tmp_path / "a", {"settings.json": '{\n  "slug": "x",\n  "name" "y"\n}'})
    assert problems(root) == [("OCT003", "settings.json", 3, 10)]


@pytest.mark.parametrize(
    ("settings", "fragment"),
    [
        ({"name": "N", "format": "worker"}, '"slug" is required'),
        ({"slug": "Has Spaces", "name": "N", "format": "worker"}, "lowercase letters"),
        ({"slug": "ok", "name": "", "format": "worker"}, "must not be empty"),
        ({"slug": "ok", "name": 3, "format": "worker"}, "must be a string"),
        ({"slug": "ok", "name": "N", "format": "chat"}, '"interactive" or "worker"'),
        ({"slug": "ok", "name": "N"}, '"format" is required'),
        ({"slug": "ok", "name": "N", "format": "worker", "description": 5}, "description"),
        ([1, 2], "JSON object"),
    ],
)
def test_invalid_settings(tmp_path: Path, settings: object, fragment: str) -> None:
    root = make_agent(tmp_path / "a", {"settings.json": json.dumps(settings, indent=2)})
    with pytest.raises(AgentFileError) as info:
        read_agent_dir(root)
    [diag] = info.value.diagnostics
    assert diag.code == "OCT004"
    assert diag.file == "settings.json"
    assert fragment in diag.message


def test_invalid_settings_value_position(tmp_path: Path) -> None:
    text = '{\n  "slug": "ok",\n  "name": "N",\n  "format": "chat"\n}\n'
    root = make_agent(tmp_path / "a", {"settings.json": text})
    assert problems(root) == [("OCT004", "settings.json", 4, 13)]


def test_non_utf8_file_has_position(tmp_path: Path) -> None:
    root = make_agent(tmp_path / "a", {"prompts/system.md": b"line one\nbad \xff byte"})
    assert problems(root) == [("OCT005", "prompts/system.md", 2, 5)]


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    root = make_agent(tmp_path / "a", {"prompts/huge.md": "x" * (MAX_FILE_BYTES + 1)})
    assert problems(root) == [("OCT006", "prompts/huge.md", 1, 1)]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("# No front matter\n", "no front matter"),
        ("---\ndescription: never closed\n", "not closed"),
        ("---\ndescription: [unclosed\n---\nbody", "front matter"),
        ("---\n- a list\n---\nbody", "must be a mapping"),
        ("---\ntitle: no description\n---\nbody", "non-empty 'description'"),
        ("---\ndescription: '   '\n---\nbody", "non-empty 'description'"),
    ],
)
def test_reference_front_matter_problems(tmp_path: Path, content: str, fragment: str) -> None:
    root = make_agent(tmp_path / "a", {"references/guide.md": content})
    with pytest.raises(AgentFileError) as info:
        read_agent_dir(root)
    [diag] = info.value.diagnostics
    assert (diag.code, diag.file) == ("OCT007", "references/guide.md")
    assert fragment in diag.message


def test_front_matter_syntax_error_points_into_the_file(tmp_path: Path) -> None:
    root = make_agent(tmp_path / "a", {"references/guide.md": "---\na: 1\nb: [x\n---\nbody"})
    [(code, file, line, _)] = problems(root)
    assert (code, file) == ("OCT007", "references/guide.md")
    assert line >= 3


def test_all_problems_are_collected(tmp_path: Path) -> None:
    root = make_agent(
        tmp_path / "a",
        {
            "settings.json": '{"slug": "BAD", "name": "x", "format": "interactive"}',
            "prompts/system.md": b"\xfe",
            "references/r.md": "no front matter",
        },
    )
    assert [c for c, *_ in problems(root)] == ["OCT004", "OCT005", "OCT007"]


# -- symlinks ---------------------------------------------------------------------------------


@pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")
def test_symlinks_inside_are_followed_outside_are_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("secret")
    root = make_agent(tmp_path / "a", {"prompts/shared/base.md": "base"})
    (root / "prompts" / "alias.md").symlink_to(root / "prompts" / "shared" / "base.md")
    (root / "prompts" / "leak.md").symlink_to(outside)
    (root / "prompts" / "linked-dir").symlink_to(tmp_path, target_is_directory=True)
    with pytest.raises(AgentFileError) as info:
        read_agent_dir(root)
    found = sorted((d.code, d.file) for d in info.value.diagnostics)
    assert found == [("OCT008", "prompts/leak.md"), ("OCT008", "prompts/linked-dir")]
    (root / "prompts" / "leak.md").unlink()
    (root / "prompts" / "linked-dir").unlink()
    agent = read_agent_dir(root)
    assert agent.prompt("alias") is not None
    assert agent.prompt("alias").content == "base"  # type: ignore[union-attr]


@pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")
def test_settings_symlinked_outside_is_refused(tmp_path: Path) -> None:
    (tmp_path / "shared-settings.json").write_text(json.dumps(SETTINGS))
    root = make_agent(tmp_path / "a")
    (root / "settings.json").unlink()
    (root / "settings.json").symlink_to(tmp_path / "shared-settings.json")
    assert problems(root)[0][:2] == ("OCT008", "settings.json")


# -- finding agent folders ---------------------------------------------------------------------


def test_resolve_targets_expands_folders_of_agents(tmp_path: Path) -> None:
    a = make_agent(tmp_path / "agents" / "a")
    b = make_agent(tmp_path / "agents" / "team" / "b")
    make_agent(tmp_path / "agents" / ".hidden" / "c")
    make_agent(tmp_path / "agents" / "node_modules" / "d")
    lone = tmp_path / "lone"
    lone.mkdir()
    given = [tmp_path / "agents", a, lone, tmp_path / "missing"]
    found = resolve_targets(given, files_in_agents=False).folders
    assert found == [a, b, lone, tmp_path / "missing"]


# -- building from a body and writing back --------------------------------------------------


def test_definition_from_body_rejects_bad_shapes() -> None:
    with pytest.raises(ValueError, match="settings"):
        definition_from_body({"protocol": "x"})
    with pytest.raises(ValueError, match="slug"):
        definition_from_body({"settings": {"name": "x", "format": "worker"}, "protocol": ""})
    with pytest.raises(ValueError, match="prompt"):
        definition_from_body({"settings": SETTINGS, "protocol": "", "prompts": [{"name": 1}]})


def test_write_refuses_non_empty_folder_without_force(tmp_path: Path) -> None:
    agent = read_agent_dir(make_agent(tmp_path / "src"))
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "keep.txt").write_text("mine")
    with pytest.raises(ConfigError, match="not empty"):
        write_agent_dir(agent, dest)
    write_agent_dir(agent, dest, force=True)
    assert (dest / "keep.txt").read_text() == "mine"
    assert read_agent_dir(dest).upload_body() == agent.upload_body()


@pytest.mark.parametrize("name", ["../escape", "/abs/path", "a/../../b", ".hidden", "a\\b", ""])
def test_write_refuses_unsafe_names_from_the_platform(tmp_path: Path, name: str) -> None:
    agent = definition_from_body({"settings": SETTINGS, "protocol": PROTOCOL, "prompts": []})
    bad = AgentDefinition(
        settings=agent.settings, protocol=agent.protocol, prompts=(Prompt(name, "x"),)
    )
    with pytest.raises(AgentFileError, match="safe relative path"):
        write_agent_dir(bad, tmp_path / "out")
    assert not (tmp_path / "escape").exists()
