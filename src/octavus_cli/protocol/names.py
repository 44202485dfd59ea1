"""Naming conventions of the protocol and "did you mean" suggestions."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

UPPER_SNAKE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$")
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PASCAL = re.compile(r"^[A-Z][a-zA-Z0-9]*$")
# A prompt name is a '/'-separated path of kebab-case parts.
PROMPT_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*$")
# What a variable reference looks like where a value may also be a literal.
VARIABLE_LIKE = re.compile(r"^[A-Z][A-Z0-9_]*$")

BUILTIN_TYPES = ("string", "number", "integer", "boolean", "unknown", "file")


def is_upper_snake(name: str) -> bool:
    return bool(UPPER_SNAKE.match(name))


def is_kebab(name: str) -> bool:
    return bool(KEBAB.match(name))


def is_pascal(name: str) -> bool:
    return bool(PASCAL.match(name))


def to_upper_snake(name: str) -> str:
    """``userId`` / ``user-id`` / ``user id`` -> ``USER_ID``."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return re.sub(r"[^A-Za-z0-9]+", "_", spaced).strip("_").upper()


def to_kebab(name: str) -> str:
    """``getUser`` / ``get_user`` / ``Get User`` -> ``get-user``."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", name)
    return re.sub(r"[^A-Za-z0-9]+", "-", spaced).strip("-").lower()


def to_pascal(name: str) -> str:
    """``support_ticket`` / ``support-ticket`` -> ``SupportTicket``."""
    parts = re.split(r"[^A-Za-z0-9]+", name)
    return "".join(p[:1].upper() + p[1:] for p in parts if p)


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``word`` most likely was meant to be, if one is close enough."""
    pool = [c for c in dict.fromkeys(candidates) if c != word]
    if not pool or not word:
        return None
    lowered = {c.lower(): c for c in pool}
    if word.lower() in lowered:
        return lowered[word.lower()]
    normal = {re.sub(r"[-_ ]", "", c.lower()): c for c in pool}
    key = re.sub(r"[-_ ]", "", word.lower())
    if key in normal:
        return normal[key]
    matches = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if matches:
        return matches[0]
    matches = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[matches[0]] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``' (did you mean "x"?)'`` or an empty string."""
    match = closest(word, candidates)
    return f' (did you mean "{match}"?)' if match else ""


def quoted_list(names: Iterable[str], limit: int = 8) -> str:
    """``"a", "b", "c"`` (with ``and N more`` past ``limit``), or ``none``."""
    items = list(dict.fromkeys(names))
    if not items:
        return "none"
    shown = ", ".join(f'"{n}"' for n in items[:limit])
    if len(items) > limit:
        shown += f" and {len(items) - limit} more"
    return shown


def plural(count: int, word: str, suffix: str = "s") -> str:
    return f"{count} {word}{'' if count == 1 else suffix}"
