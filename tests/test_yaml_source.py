"""The position-keeping YAML loader: YAML 1.2 scalars like the platform, and its limits."""

from __future__ import annotations

import math

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from octavus_cli.protocol import yaml_source
from octavus_cli.protocol.yaml_source import MAX_DEPTH, YamlError, load_yaml


def _core_schema(value: str) -> object:
    """The YAML 1.2 core schema's resolution, every pattern in turn (the reference)."""
    y = yaml_source
    if y._NULL.match(value):
        return None
    if y._BOOL.match(value):
        return value.lower() == "true"
    if y._INT10.match(value):
        return int(value, 10)
    if y._INT8.match(value):
        return int(value[2:], 8)
    if y._INT16.match(value):
        return int(value[2:], 16)
    if y._FLOAT.match(value):
        return float(value)
    if y._INF.match(value):
        return -math.inf if value.startswith("-") else math.inf
    if y._NAN.match(value):
        return math.nan
    return value


@given(st.text(alphabet="~nulNUTrueFalsefx0o17.+-eEaIinfNaN_ 9\nÄ", max_size=7))
def test_the_letter_shortcut_resolves_like_every_pattern(value: str) -> None:
    got, expected = yaml_source._resolve_plain(value), _core_schema(value)
    if isinstance(got, float) and math.isnan(got):
        assert isinstance(expected, float)
        assert math.isnan(expected)
    else:
        assert (got, type(got)) == (expected, type(expected))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("v: off", "off"),
        ("v: yes", "yes"),
        ("v: On", "On"),
        ("v: 16:9", "16:9"),
        ("v: 2024-01-01", "2024-01-01"),
        ("v: 017", 17),
        ("v: 0o17", 15),
        ("v: 0x1F", 31),
        ("v: 1_000", "1_000"),
        ("v: 0.5", 0.5),
        ("v: -.inf", -math.inf),
        ("v: true", True),
        ("v: FALSE", False),
        ("v: ~", None),
        ("v:", None),
        ("v: 'true'", "true"),
        ("v: !!str 3", "3"),
        ("v: !!int '3'", 3),
        ("v: !custom thing", "thing"),
        ("<<: {a: 1}", {"a": 1}),  # merge keys are not special in YAML 1.2
    ],
)
def test_yaml_12_core_schema(text: str, value: object) -> None:
    data = load_yaml(text).data
    key = "<<" if text.startswith("<<") else "v"
    assert data[key] == value


def test_positions_of_keys_and_values() -> None:
    doc = load_yaml("agent:\n  model: x\n  tools:\n    - a\n    - b\n")
    assert (doc.key_span(("agent", "tools")).line, doc.key_span(("agent", "tools")).column) == (
        3,
        3,
    )
    assert (
        doc.value_span(("agent", "tools", 1)).line,
        doc.value_span(("agent", "tools", 1)).column,
    ) == (5, 7)
    # unknown paths fall back to the nearest ancestor
    assert doc.value_span(("agent", "tools", 9)).line == 4
    assert doc.line_text(2) == "  model: x"


def test_duplicate_keys_are_reported_and_the_first_is_kept() -> None:
    doc = load_yaml("handlers:\n  m:\n    Respond: {block: a}\n    Respond: {block: b}\n")
    assert doc.data["handlers"]["m"]["Respond"] == {"block": "a"}
    [dup] = doc.duplicate_keys
    assert dup.path == ("handlers", "m", "Respond")
    assert (dup.span.line, dup.first.line) == (4, 3)


@pytest.mark.parametrize(
    ("text", "kind", "line"),
    [
        ("a: [1, 2\nb: 3\n", "syntax", 2),
        ("a: b: c\n", "syntax", 1),
        ("a: *missing\n", "alias", 1),
        ("a: &x [1, *x]\n", "alias", 1),
        ("a: 1\n---\nb: 2\n", "multi-document", 2),
        ("? [a, b]\n: c\n", "key", 1),
        ("a: \x07\n", "syntax", 1),
    ],
)
def test_errors_have_a_kind_and_a_position(text: str, kind: str, line: int) -> None:
    with pytest.raises(YamlError) as info:
        load_yaml(text)
    assert info.value.kind == kind
    assert info.value.line == line


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    with pytest.raises(YamlError) as info:
        load_yaml("\n".join(lines))
    assert info.value.kind == "alias"


def test_small_aliases_are_fine() -> None:
    doc = load_yaml("base: &p {type: string}\nuse: *p\n")
    assert doc.data["use"] == {"type": "string"}


LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if yaml.__with_libyaml__ else [])


@pytest.fixture(params=LOADERS, ids=lambda loader: loader.__name__)
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> type:
    """Run a test with the pure-Python parser and, where PyYAML has it, with libyaml."""
    chosen: type = request.param
    monkeypatch.setattr(yaml_source, "_Loader", chosen)
    return chosen


@pytest.mark.parametrize(
    ("text", "column"),
    [
        # past libyaml 0.2.5's own flow limit (1000 levels): its scanner stops first
        ("[" * 200_000 + "]" * 200_000, MAX_DEPTH + 1),
        ("{a: " * 2_000 + "}" * 2_000, 4 * MAX_DEPTH + 1),
        # under libyaml's limit, over ours
        ("[" * 500 + "]" * 500, MAX_DEPTH + 1),
    ],
    ids=["flow-200000", "mapping-2000", "flow-500"],
)
def test_deep_nesting_is_refused_the_same_way_by_every_parser(
    loader: type, text: str, column: int
) -> None:
    with pytest.raises(YamlError) as info:
        load_yaml(text)
    assert info.value.kind == "too-deep"
    assert info.value.message == f"nesting is deeper than {MAX_DEPTH} levels"
    assert (info.value.line, info.value.column) == (1, column)


def test_deep_block_nesting_is_refused_at_our_limit(loader: type) -> None:
    depth = 1_100  # past libyaml's own limit of 1000, under our size limit
    text = "".join(f"{' ' * level}k:\n" for level in range(depth)) + " " * depth + "v\n"
    with pytest.raises(YamlError) as info:
        load_yaml(text)
    assert info.value.kind == "too-deep"
    assert info.value.line == MAX_DEPTH + 1


def test_oversized_text_is_refused() -> None:
    with pytest.raises(YamlError) as info:
        load_yaml("a: b\n" * 10, max_bytes=20)
    assert info.value.kind == "too-large"


def test_empty_document() -> None:
    assert load_yaml("").data is None
    assert load_yaml("# only a comment\n").data is None
