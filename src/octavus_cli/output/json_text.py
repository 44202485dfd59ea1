"""JSON text indented by 2, the same characters as ``json.dumps(doc, indent=2,
ensure_ascii=False)``, handed out in slices as it is made.

With ``indent`` the standard library encodes in pure Python through a generator per
nesting level, and ``dumps`` joins every piece into one string: for a report of 60k
findings that was half a second and 100 MB. This encoder appends to one list and
writes a slice every few thousand pieces.
"""

from __future__ import annotations

from collections.abc import Callable
from json.encoder import encode_basestring  # the C version, for ensure_ascii=False
from typing import Any

INDENT = "  "
SLICE = 8192  # pieces per slice written

_INFINITY = float("inf")


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def _key(key: object) -> str:
    """A dict key as ``json`` writes it (str, int, float, bool or None)."""
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _float(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


def write_json(document: Any, write: Callable[[str], object]) -> None:
    """Write the JSON text of ``document`` (no newline at the end) in slices."""
    pieces: list[str] = []
    append = pieces.append
    keys: dict[str, str] = {}  # a key's text (a report repeats the same few keys)

    def encode(value: Any, level: int) -> None:
        if isinstance(value, str):
            append(encode_basestring(value))
        elif value is None:
            append("null")
        elif value is True:
            append("true")
        elif value is False:
            append("false")
        elif isinstance(value, int):
            append(int.__repr__(value))
        elif isinstance(value, float):
            append(_float(value))
        elif isinstance(value, (list, tuple)):
            if not value:
                append("[]")
                return
            inner = "\n" + INDENT * (level + 1)
            opening, separator = "[" + inner, "," + inner
            for index, item in enumerate(value):
                append(separator if index else opening)
                encode(item, level + 1)
            append("\n" + INDENT * level + "]")
        elif isinstance(value, dict):
            if not value:
                append("{}")
                return
            inner = "\n" + INDENT * (level + 1)
            opening, separator = "{" + inner, "," + inner
            for index, (key, item) in enumerate(value.items()):
                if key.__class__ is str:
                    name = keys.get(key)
                    if name is None:
                        name = keys[key] = encode_basestring(key) + ": "
                else:  # never cached: 1, 1.0 and True are one dict key, three texts
                    name = encode_basestring(_key(key)) + ": "
                head = separator + name if index else opening + name
                # Strings and ints, most values of a report, without a call of their own.
                if item.__class__ is str:
                    append(head + encode_basestring(item))
                elif item.__class__ is int:
                    append(head + int.__repr__(item))
                else:
                    append(head)
                    encode(item, level + 1)
            append("\n" + INDENT * level + "}")
            if len(pieces) >= SLICE:
                write("".join(pieces))
                pieces.clear()
        else:
            raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")

    encode(document, 0)
    write("".join(pieces))
