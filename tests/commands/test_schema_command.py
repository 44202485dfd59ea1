"""`octavus schema protocol|settings` prints the shipped JSON Schemas."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from octavus_cli.protocol.schema import schema_text
from octavus_cli.protocol.yaml_source import load_yaml
from tests.protocol.helpers import EXAMPLES
from tests.support.cli import run_cli


@pytest.mark.parametrize("name", ["protocol", "settings"])
def test_prints_the_schema(name: str) -> None:
    result = run_cli("schema", name)
    assert result.code == 0, result
    assert result.stdout == schema_text(name)
    Draft202012Validator.check_schema(json.loads(result.stdout))
    assert result.stderr == ""


def test_the_printed_schema_accepts_an_example() -> None:
    schema = json.loads(run_cli("schema", "protocol").stdout)
    protocol = load_yaml((EXAMPLES / "support-chat" / "protocol.yaml").read_text()).data
    assert list(Draft202012Validator(schema).iter_errors(protocol)) == []


def test_name_is_case_insensitive() -> None:
    assert run_cli("schema", "SETTINGS").stdout == schema_text("settings")


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
