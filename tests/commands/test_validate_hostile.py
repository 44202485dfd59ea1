"""Hostile input to `validate` (issue 14 items 10-12): failures, deep includes, floods."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from octavus_cli.app import app
from octavus_cli.output import MAX_SHOWN_PER_AGENT, MAX_SHOWN_PER_FILE
from octavus_cli.protocol import prompt_graph, templates
from octavus_cli.protocol import validate as validate_module

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "examples" / "agents" / "minimal-chat"
HEADLINE = re.compile(r"^\S+:\d+:\d+: (error|warning)\[OCT\d{3}\]", re.MULTILINE)


def agent(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    shutil.copytree(MINIMAL, folder)
    return folder


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["validate", *args])
    return result.exit_code, result.stdout


@pytest.mark.parametrize(("depth", "deep"), [(99, False), (100, True)])
def test_settings_nesting_has_our_own_limit_on_every_python(
    tmp_path: Path, depth: int, deep: bool
) -> None:
    # With the settings object itself, `depth` nested values are depth + 1 levels: 100 is
    # the most. Brackets inside strings do not count.
    folder = agent(tmp_path, "nest")
    nested = '{"a":' * depth + '"[[[{{{"' + "}" * depth
    (folder / "settings.json").write_text(
        '{"slug": "nest", "name": "Nest", "format": "interactive",\n "x": ' + nested + "}"
    )
    code, stdout = invoke(str(folder), "--json")
    messages = [e["message"] for e in json.loads(stdout)["errors"]]
    too_deep = [m for m in messages if "nested too deeply" in m]
    assert bool(too_deep) is deep, messages
    if deep:
        assert code == 1
        assert too_deep == [
            "settings.json is nested too deeply to read (more than 100 levels of [ or {)"
        ]
        [error] = [e for e in json.loads(stdout)["errors"] if "nested" in e["message"]]
        assert (error["line"], error["column"]) == (2, 7 + 5 * 99)


def test_settings_nested_a_thousand_deep_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    """Item 10: the other agents on the command line still get their results."""
    deep = agent(tmp_path, "deep")
    nested = '{"a":' * 990 + "1" + "}" * 990
    (deep / "settings.json").write_text(
        '{"slug": "deep", "name": "Deep", "format": "interactive", "x": ' + nested + "}"
    )
    good = agent(tmp_path, "good")
    code, stdout = invoke(str(deep), str(good), "--json")
    assert code == 1
    doc = json.loads(stdout)
    by_path = {Path(a["path"]).name: a for a in doc["agents"]}
    assert by_path["good"]["valid"] is True
    codes = [d["code"] for d in by_path["deep"]["errors"]]
    assert codes == ["OCT003"]
    assert "nested too deeply" in by_path["deep"]["errors"][0]["message"]


def test_an_internal_error_in_one_agent_does_not_hide_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = agent(tmp_path, "broken")
    good = agent(tmp_path, "good")
    real = validate_module.read_folder  # type: ignore[attr-defined]

    def read(root: Any) -> Any:
        if Path(root).name == "broken":
            raise RecursionError("maximum recursion depth exceeded")
        return real(root)

    monkeypatch.setattr(validate_module, "read_folder", read)
    code, stdout = invoke(str(broken), str(good), "--json")
    assert code == 1
    by_path = {Path(a["path"]).name: a for a in json.loads(stdout)["agents"]}
    assert by_path["good"]["valid"] is True
    (finding,) = by_path["broken"]["errors"]
    assert "RecursionError" in finding["message"]


def test_an_include_chain_is_walked_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Item 11: each include is resolved once, not once per prompt that reaches it."""
    folder = agent(tmp_path, "chain")
    length = 200
    prompts = folder / "prompts"
    (prompts / "system.md").write_text("Start {{@p0.md}}\n")
    for index in range(length):
        tail = f"{{{{@p{index + 1}.md}}}}" if index + 1 < length else "end"
        (prompts / f"p{index}.md").write_text(f"Part {index} {tail}\n")
    calls = 0
    real = prompt_graph.resolve_include

    def counting(*args: Any) -> Any:
        nonlocal calls
        calls += 1
        return real(*args)

    monkeypatch.setattr(prompt_graph, "resolve_include", counting)
    code, _ = invoke(str(folder), "--json")
    assert code == 0
    assert calls <= length + 10, calls  # linear: before, ~length**2 / 2


def test_each_prompt_is_parsed_once_per_validation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parsed tags are kept per definition: the parser's own cache (the last 4096
    prompts) no longer decides, so 10k prompts are not parsed again by each rule."""
    folder = agent(tmp_path, "many")
    count = 40
    for index in range(count):
        (folder / "prompts" / f"part-{index}.md").write_text(f"Part {index} {{{{@system.md}}}}\n")
    parsed: list[str] = []
    real = templates.parse_template

    def counting(content: str) -> Any:
        parsed.append(content)
        return real(content)

    monkeypatch.setattr(prompt_graph, "parse_template", counting)
    code, stdout = invoke(str(folder), "--json")
    assert code == 0, stdout
    assert json.loads(stdout)["warnings"]  # the parts are unused prompts
    prompts = count + 2  # and system.md, user-message.md
    assert len(parsed) == prompts, len(parsed)  # before: twice each (two rules asked)


def test_a_flood_of_findings_is_capped_per_file_with_a_count(tmp_path: Path) -> None:
    """Item 12: human output shows the first findings of a file and counts the rest."""
    folder = agent(tmp_path, "flood")
    count = MAX_SHOWN_PER_FILE + 30
    lines = [f"Line {i} {{{{#if NOPE_{i}}}}}x{{{{/if}}}}" for i in range(count)]
    (folder / "prompts" / "system.md").write_text("\n".join(lines) + "\n")
    code, stdout = invoke(str(folder))
    assert code == 1
    assert len(HEADLINE.findall(stdout)) == MAX_SHOWN_PER_FILE
    assert "… and 30 more findings in" in stdout
    assert f"Found {count} errors" in stdout
    code, as_json = invoke(str(folder), "--json")
    assert len(json.loads(as_json)["errors"]) == count


def test_findings_across_many_files_are_capped_per_agent(tmp_path: Path) -> None:
    folder = agent(tmp_path, "many")
    for index in range(MAX_SHOWN_PER_AGENT + 5):
        (folder / "prompts" / f"unused-{index}.md").write_text(
            f"{{{{#if NOPE_{index}}}}}x{{{{/if}}}}\n"
        )
    code, stdout = invoke(str(folder))
    assert code == 1
    assert len(HEADLINE.findall(stdout)) == MAX_SHOWN_PER_AGENT
    assert "not shown in all" in stdout


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_non_finite_numbers_are_reported_once(tmp_path: Path, value: str) -> None:
    """Item 14: ``.nan`` is not accepted, ``.inf`` is not reported twice."""
    folder = agent(tmp_path, "odd")
    protocol = folder / "protocol.yaml"
    text = protocol.read_text()
    model = "  model: anthropic/claude-sonnet-4-5\n"
    protocol.write_text(text.replace(model, f"{model}  temperature: {value}\n", 1))
    code, stdout = invoke(str(folder), "--json")
    assert code == 1
    errors = json.loads(stdout)["errors"]
    assert [(e["code"], e["line"]) for e in errors] == [("OCT113", 10)]
    assert "must be a finite number" in errors[0]["message"]
