"""JSON text for --json: the same characters as json.dumps(indent=2), written in slices."""

from __future__ import annotations

import enum
import io
import json
from typing import Any

import pytest

from octavus_cli.output import json_text
from octavus_cli.output.json_text import write_json


class Color(str, enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


DOCUMENTS: list[Any] = [
    {},
    [],
    "text",
    0,
    None,
    True,
    1.5,
    float("nan"),
    [float("inf"), -float("inf"), -0.0, 1e-300, 10**30],
    {"a": [1, 2, {"b": []}], "c": {}, "d": 'é\n\t"\\\x00\u2028 😀', "e": (1, (2, 3))},
    {1: "int", 2.5: "float", None: "none", False: [None, False]},
    {True: "bool"},
    [{1: "a"}, {True: "b"}, {1.0: "c"}],  # equal dict keys, three texts
    {"enum": Color.RED, "int enum": Level.HIGH, Color.RED: "key"},
    [[[]], [{}], [[1]], {"x": {"y": {"z": [{"deep": True}]}}}],
]


@pytest.mark.parametrize("document", DOCUMENTS, ids=range(len(DOCUMENTS)))
def test_the_text_is_what_json_dumps_writes(document: Any) -> None:
    out = io.StringIO()
    write_json(document, out.write)
    assert out.getvalue() == json.dumps(document, indent=2, ensure_ascii=False)


def test_a_large_document_is_written_in_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_text, "SLICE", 100)
    document = {"errors": [{"code": f"OCT{i}", "line": i, "hint": None} for i in range(500)]}
    slices: list[str] = []
    write_json(document, slices.append)
    assert len(slices) > 10
    assert max(map(len, slices)) < 20_000
    assert "".join(slices) == json.dumps(document, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("document", [{"x": object()}, [{1, 2}], {(1, 2): "tuple key"}])
def test_what_json_cannot_write_is_the_same_type_error(document: Any) -> None:
    with pytest.raises(TypeError) as expected:
        json.dumps(document, indent=2)
    with pytest.raises(TypeError) as raised:
        write_json(document, io.StringIO().write)
    assert str(raised.value) == str(expected.value)
