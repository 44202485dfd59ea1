"""What sync compares, and the diff it shows: local folders against platform bodies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from octavus_cli.management.diff import NO_NEWLINE, unified_diff
from octavus_cli.management.snapshot import EMPTY, local_snapshot, remote_snapshot
from octavus_cli.protocol.folder import read_agent_dir

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "agents"


def remote_of(path: Path) -> dict[str, Any]:
    """The body the platform returns for an agent created from ``path``."""
    body = read_agent_dir(path).upload_body()
    body["id"] = "cm0000000000000000000001"
    return body


def test_every_example_equals_its_own_upload() -> None:
    for folder in sorted(EXAMPLES.iterdir()):
        definition = read_agent_dir(folder)
        assert local_snapshot(definition) == remote_snapshot(remote_of(folder)), folder.name


def test_order_of_prompts_and_references_does_not_matter() -> None:
    folder = EXAMPLES / "support-chat"
    remote = remote_of(folder)
    remote["prompts"].reverse()
    remote["references"].reverse()
    assert local_snapshot(read_agent_dir(folder)) == remote_snapshot(remote)


def test_reference_content_is_compared_trimmed_and_slug_is_ignored() -> None:
    folder = EXAMPLES / "support-chat"
    remote = remote_of(folder)
    remote["references"][0]["content"] = "\n\n" + remote["references"][0]["content"] + "\n  \n"
    remote["settings"]["slug"] = "another-slug"
    assert local_snapshot(read_agent_dir(folder)) == remote_snapshot(remote)


def test_changed_prompt_setting_and_extra_reference_are_differences() -> None:
    folder = EXAMPLES / "support-chat"
    local = local_snapshot(read_agent_dir(folder))
    remote = remote_of(folder)
    remote["prompts"][0]["content"] += "one more line\n"
    remote["settings"]["name"] = "Old name"
    remote["references"].append({"name": "stale", "description": "gone", "content": "x"})
    changed = remote_snapshot(remote).changed_files(local)
    assert changed == sorted(
        ["settings.json", f"prompts/{remote['prompts'][0]['name']}.md", "references/stale.md"]
    )


def test_missing_null_and_empty_description_are_the_same() -> None:
    base: dict[str, Any] = {
        "settings": {"name": "A", "format": "worker"},
        "protocol": "x: 1\n",
        "prompts": [],
    }
    with_null = {**base, "settings": {**base["settings"], "description": None}}
    with_empty = {**base, "settings": {**base["settings"], "description": ""}}
    assert remote_snapshot(base) == remote_snapshot(with_null) == remote_snapshot(with_empty)
    described = {**base, "settings": {**base["settings"], "description": "says something"}}
    assert remote_snapshot(described) != remote_snapshot(base)
    assert remote_snapshot(described, with_description=False) == remote_snapshot(base)


def test_diff_names_files_and_marks_added_ones_against_dev_null() -> None:
    folder = EXAMPLES / "minimal-chat"
    local = local_snapshot(read_agent_dir(folder))
    remote = remote_of(folder)
    remote["protocol"] = remote["protocol"].replace("anthropic/claude-sonnet-4-5", "openai/gpt-4o")
    remote["prompts"] = [p for p in remote["prompts"] if p["name"] != "system"]
    lines = unified_diff(remote_snapshot(remote), local)
    assert "--- remote/protocol.yaml" in lines
    assert "+++ local/protocol.yaml" in lines
    assert "-  model: openai/gpt-4o" in lines
    assert "+  model: anthropic/claude-sonnet-4-5" in lines
    assert lines[lines.index("--- /dev/null") + 1] == "+++ local/prompts/system.md"
    assert unified_diff(local, local) == []


def test_diff_of_a_new_agent_adds_every_file() -> None:
    local = local_snapshot(read_agent_dir(EXAMPLES / "research-worker"))
    lines = unified_diff(EMPTY, local)
    added = [
        lines[i + 1].removeprefix("+++ local/") for i, x in enumerate(lines) if x == "--- /dev/null"
    ]
    assert added == sorted(local.files)
    assert not any(line.startswith("-") and not line.startswith("---") for line in lines)


def test_a_missing_final_newline_is_visible() -> None:
    before = remote_snapshot({"settings": {"name": "A", "format": "worker"}, "protocol": "a: 1"})
    after = remote_snapshot({"settings": {"name": "A", "format": "worker"}, "protocol": "a: 1\n"})
    lines = unified_diff(before, after)
    assert lines[2:] == ["@@ -1 +1 @@", "-a: 1", NO_NEWLINE, "+a: 1"]
