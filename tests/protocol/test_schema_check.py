"""The yes/no schema check agrees with jsonschema (issue 15: jsonschema only on errors)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from octavus_cli.protocol.examples import example_files
from octavus_cli.protocol.registry import all_rules
from octavus_cli.protocol.schema import load_schema, protocol_errors, validator
from octavus_cli.protocol.schema_check import conforms, equal
from octavus_cli.protocol.yaml_source import YamlError, load_yaml

ROOT = Path(__file__).resolve().parents[2]


def documents() -> dict[str, Any]:
    """Every protocol.yaml the project ships or tests with, parsed by the validator's loader."""
    texts: dict[str, str] = {}
    for path in sorted(ROOT.glob("examples/agents/*/protocol.yaml")):
        texts[path.parent.name] = path.read_text(encoding="utf-8")
    for path in sorted(ROOT.glob("tests/fixtures/**/protocol.yaml")):
        texts[str(path.relative_to(ROOT))] = path.read_text(encoding="utf-8")
    for rule in all_rules():
        if rule.example is None:
            continue
        for fixed in (False, True):
            text = example_files(rule.example, fixed=fixed).get("protocol.yaml")
            if isinstance(text, str):
                texts[f"{rule.code}{'-fixed' if fixed else ''}"] = text
    parsed: dict[str, Any] = {}
    for name, text in texts.items():
        try:
            parsed[name] = load_yaml(text).data
        except YamlError:
            continue
    return parsed


DOCUMENTS = documents()
SCHEMA = load_schema("protocol")


def jsonschema_valid(data: Any) -> bool:
    return bool(validator("protocol").is_valid(data))


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_agrees_with_jsonschema_on_every_fixture(name: str) -> None:
    data = DOCUMENTS[name]
    assert conforms(data, SCHEMA) is jsonschema_valid(data)
    # and with the split validators that produce the error messages
    assert conforms(data, SCHEMA) is (not list(protocol_errors(data)))


def test_fixtures_cover_both_answers() -> None:
    answers = {conforms(data, SCHEMA) for data in DOCUMENTS.values()}
    assert answers == {True, False}


LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-3, max_value=300),
    st.floats(min_value=-2, max_value=3, allow_nan=False),
    st.sampled_from(
        ["", "x", "system", "user", "next-message", "add-message", "anthropic/claude", "A_B"]
    ),
)
VALUES = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["block", "role", "prompt", "x", "type"]), inner, max_size=3
        )
    ),
    max_leaves=6,
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*prefix, index))
    return found


VALID = sorted(name for name, data in DOCUMENTS.items() if jsonschema_valid(data))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(VALID), pick=st.integers(min_value=0), value=VALUES, drop=st.booleans())
def test_agrees_with_jsonschema_on_mutated_documents(
    name: str, pick: int, value: Any, drop: bool
) -> None:
    data = copy.deepcopy(DOCUMENTS[name])
    paths = _paths(data)[1:]
    path = paths[pick % len(paths)]
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    if drop and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    assert conforms(data, SCHEMA) is jsonschema_valid(data)


def test_unknown_keywords_defer_to_jsonschema() -> None:
    assert conforms("x", {"uniqueItems": True, "format": "email"}) is None
    assert conforms(1, {"$ref": "https://example.com/schema"}) is None


def test_json_equality() -> None:
    assert equal(1, 1.0)
    assert not equal(True, 1)
    assert not equal(0, False)
    assert equal([1, {"a": True}], [1.0, {"a": True}])
    assert not equal({"a": 1}, {"a": 1, "b": 2})
    assert not equal("1", 1)


KIND_TEST = {"required": ["block"], "properties": {"block": {"const": "tool-call"}}}


@pytest.mark.parametrize(
    "value",
    [
        {"block": "tool-call", "tool": "x"},
        {"block": "next-message"},
        {"tool": "x"},
        {"block": None},
        {"block": 1},
        "tool-call",
        ["block"],
        None,
    ],
)
def test_the_kind_test_shortcut_agrees_with_jsonschema(value: Any) -> None:
    # `if` {required: [K], properties: {K: {const: C}}} is answered without recursion.
    import jsonschema

    schema = {"if": KIND_TEST, "then": {"required": ["tool"]}, "else": {"maxProperties": 1}}
    expected = jsonschema.Draft202012Validator(schema).is_valid(value)
    assert conforms(value, schema) is expected
    numeric = {"if": {"required": ["n"], "properties": {"n": {"const": 1}}}, "then": False}
    assert conforms({"n": 1.0}, numeric) is False
    assert conforms({"n": True}, numeric) is True
