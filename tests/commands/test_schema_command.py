"""`octavus schema protocol|settings` prints the shipped JSON Schemas."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from octavus_cli.protocol.schema import editor_schema_text, schema_text
from octavus_cli.protocol.yaml_source import load_yaml
from tests.protocol.helpers import EXAMPLES
from tests.support.cli import run_cli


@pytest.mark.parametrize("name", ["protocol", "settings"])
def test_prints_the_schema(name: str) -> None:
    result = run_cli("schema", name)
    assert result.code == 0, result
    assert result.stdout == editor_schema_text(name)
    Draft202012Validator.check_schema(json.loads(result.stdout))
    assert result.stderr == ""


def test_the_printed_schema_accepts_an_example() -> None:
    schema = json.loads(run_cli("schema", "protocol").stdout)
    protocol = load_yaml((EXAMPLES / "support-chat" / "protocol.yaml").read_text()).data
    assert list(Draft202012Validator(schema).iter_errors(protocol)) == []


def test_name_is_case_insensitive() -> None:
    assert run_cli("schema", "SETTINGS").stdout == editor_schema_text("settings")


def test_unknown_name_is_a_usage_error() -> None:
    result = run_cli("schema", "handlers")
    assert result.code == 2
    assert "protocol" in result.stderr
    assert "settings" in result.stderr


def test_help_says_how_editors_use_it() -> None:
    result = run_cli("schema", "--help")
    assert result.code == 0
    assert "yaml-language-server" in result.stdout
    assert "Examples:" in result.stdout


def test_unknown_keys_are_not_editor_errors_but_validate_warnings(tmp_path: Path) -> None:
    # validate only warns about an unknown key (OCT114); the editor schema agrees.
    protocol = (EXAMPLES / "support-chat" / "protocol.yaml").read_text()
    protocol = protocol.replace("agent:\n", "agent:\n  colour: blue\n", 1)
    assert "colour: blue" in protocol
    data = load_yaml(protocol).data
    strict = json.loads(schema_text("protocol"))
    assert list(Draft202012Validator(strict).iter_errors(data)) != []
    editor = json.loads(run_cli("schema", "protocol").stdout)
    assert list(Draft202012Validator(editor).iter_errors(data)) == []
    assert "OCT114" in editor["$comment"]
    agent = tmp_path / "support-chat"
    shutil.copytree(EXAMPLES / "support-chat", agent)
    (agent / "protocol.yaml").write_text(protocol)
    report = run_cli("validate", str(agent), "--json").json()
    assert [w["code"] for w in report["warnings"]] == ["OCT114"]
    assert report["errors"] == []


def test_editor_schema_still_checks_types() -> None:
    editor = json.loads(editor_schema_text("protocol"))
    data = {"agent": {"model": 3, "system": "system"}}
    assert list(Draft202012Validator(editor).iter_errors(data)) != []
