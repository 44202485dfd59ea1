"""``--files FILE.json``: hosted file references to attach to a Workforce message.

The file holds a JSON array of FileReference objects, passed through unchanged:
``{"id": ..., "mediaType": ..., "url": ..., "filename"?: ..., "size"?: ...}``.
Files are uploaded beforehand (the platform's upload URLs); this only checks the
shape, so a mistake is reported with the file and item named before anything
is sent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from octavus_cli.errors import ConfigError

REQUIRED_STRINGS = ("id", "mediaType", "url")
MAX_PROBLEMS = 5
EXAMPLE = '[{"id": "file-abc123", "mediaType": "application/pdf", "url": "https://..."}]'


def load_file_references(path: Path) -> list[dict[str, Any]]:
    """The checked array from ``path``; :class:`ConfigError` naming the file otherwise."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise _error(path, "does not exist", "Check the path given to --files.") from None
    except IsADirectoryError:
        raise _error(path, "is a folder, not a file", "Give a .json file to --files.") from None
    except UnicodeDecodeError as exc:
        raise _error(path, f"is not valid UTF-8 (byte {exc.start})", "Save it as UTF-8.") from None
    except OSError as exc:
        raise _error(path, f"cannot be read: {exc.strerror}", None) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _error(
            path,
            f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
            f"It must hold an array of file references, e.g. {EXAMPLE}",
            line=exc.lineno,
            column=exc.colno,
        ) from None
    if not isinstance(data, list):
        raise _error(
            path,
            f"must hold a JSON array of file references, not {_kind(data)}",
            f"For example: {EXAMPLE}",
        )
    problems = [
        f"item {index}: {problem}"
        for index, item in enumerate(data, start=1)
        for problem in reference_problems(item)
    ]
    if problems:
        shown = "; ".join(problems[:MAX_PROBLEMS])
        more = f" (and {len(problems) - MAX_PROBLEMS} more)" if len(problems) > MAX_PROBLEMS else ""
        raise _error(
            path,
            f"has invalid file references: {shown}{more}",
            "Each item needs string id, mediaType and url; filename (string) and size "
            "(bytes) are optional.",
        )
    return data


def reference_problems(item: object) -> list[str]:
    """What is wrong with one FileReference (empty when it is fine)."""
    if not isinstance(item, dict):
        return [f"must be an object, not {_kind(item)}"]
    problems = []
    for name in REQUIRED_STRINGS:
        value = item.get(name)
        if value is None:
            problems.append(f'"{name}" is missing')
        elif not isinstance(value, str) or not value.strip():
            problems.append(f'"{name}" must be a non-empty string')
    filename = item.get("filename")
    if filename is not None and not isinstance(filename, str):
        problems.append('"filename" must be a string')
    size = item.get("size")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 0):
        problems.append('"size" must be a whole number of bytes')
    return problems


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return "null"


def _error(
    path: Path,
    what: str,
    hint: str | None,
    *,
    line: int | None = None,
    column: int | None = None,
) -> ConfigError:
    details: dict[str, Any] = {"file": str(path)}
    if line is not None:
        details["line"] = line
        details["column"] = column or 1
    return ConfigError(f"--files {path} {what}", hint=hint, details=details)
