"""Session and trigger input: ``KEY=VALUE`` typed by the agent's declared types.

``string`` stays text; ``number``, ``integer`` and ``boolean`` are parsed;
``unknown`` is JSON when it parses, else text; arrays (``X[]``), ``file`` and
custom types must be JSON. Without a protocol every value stays text (use
``--input-file`` for typed values then). Every problem is a :class:`ConfigError`
raised before any session request.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from octavus_cli.errors import ConfigError

if TYPE_CHECKING:
    from octavus_cli.protocol.model import Declaration

SCALAR_TYPES = frozenset({"string", "number", "integer", "boolean", "unknown"})
TRUE_WORDS = frozenset({"true", "yes", "1", "on"})
FALSE_WORDS = frozenset({"false", "no", "0", "off"})
_INTEGER = re.compile(r"^[-+]?[0-9]+$")


def parse_assignment(text: str, option: str) -> tuple[str, str]:
    """Split ``KEY=VALUE`` (the value may hold ``=``)."""
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ConfigError(
            f"{option} {text!r} is not KEY=VALUE",
            hint=f"Write it as {option} NAME=value, e.g. {option} COMPANY_NAME='Acme Corp'.",
        )
    return key, value


def parse_assignments(items: Iterable[str], option: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for item in items:
        key, value = parse_assignment(item, option)
        values[key] = value
    return values


def read_input_file(path: Path) -> dict[str, Any]:
    """A JSON or YAML file holding one object of input values (used as given)."""
    from octavus_cli.protocol.yaml_source import YamlError, load_yaml

    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(
            f"Input file {path} does not exist", hint="Check the path given to --input-file."
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(f"Input file {path} is not UTF-8", hint="Save it as UTF-8.") from None
    except OSError as exc:
        raise ConfigError(f"Cannot read input file {path}: {exc.strerror}") from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else load_yaml(text).data
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"Input file {path} is not valid JSON: {exc.msg} (line {exc.lineno}, column "
            f"{exc.colno})",
            details={"file": str(path), "line": exc.lineno, "column": exc.colno},
        ) from None
    except YamlError as exc:
        raise ConfigError(
            f"Input file {path} is not valid YAML: {exc.message}",
            details={"file": str(path), "line": exc.line, "column": exc.column},
        ) from None
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise ConfigError(
            f"Input file {path} must hold one object of NAME: value pairs",
            hint='For example {"COMPANY_NAME": "Acme Corp", "HUMAN_HANDOFF": false}.',
        )
    return data


def _bad(option: str, name: str, raw: str, what: str, example: str) -> ConfigError:
    return ConfigError(
        f"{option} {name}={raw!r}: {name} is declared as {what}",
        hint=f"Give {example}.",
    )


_NOT_JSON = object()


def _json(option: str, spec: Declaration, raw: str, expected: type | tuple[type, ...]) -> Any:
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = _NOT_JSON
    if value is _NOT_JSON or (expected is not None and not isinstance(value, expected)):
        if expected is list:
            shape = 'a JSON array, e.g. \'["a", "b"]\''
        elif expected is dict:
            shape = 'a JSON object, e.g. \'{"name": "value"}\''
        else:
            shape = "JSON"
        raise _bad(
            option,
            spec.name,
            raw,
            f"{spec.value_type} (JSON)",
            f"{shape} (quote it for the shell), or put it in --input-file",
        )
    return value


def convert(option: str, spec: Declaration, raw: str, custom_types: frozenset[str]) -> Any:
    """``raw`` as the value of the declared type of ``spec``."""
    kind = spec.value_type
    if kind == "string":
        if spec.choices and raw not in spec.choices:
            raise ConfigError(
                f"{option} {spec.name}={raw!r}: not one of the allowed values",
                hint=f"Use one of: {', '.join(spec.choices)}.",
            )
        return raw
    text = raw.strip()
    if kind == "integer":
        if not _INTEGER.match(text):
            raise _bad(option, spec.name, raw, "integer", "a whole number such as 3")
        return int(text)
    if kind == "number":
        if _INTEGER.match(text):
            return int(text)
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise _bad(option, spec.name, raw, "number", "a number such as 0.7")
        return number
    if kind == "boolean":
        if text.lower() in TRUE_WORDS:
            return True
        if text.lower() in FALSE_WORDS:
            return False
        raise _bad(option, spec.name, raw, "boolean", "true or false")
    if kind == "unknown":
        try:
            return json.loads(raw)
        except json.JSONDecodeError:
            return raw
    if kind.endswith("[]") or kind == "array":
        return _json(option, spec, raw, list)
    if kind == "file" or kind in custom_types:
        # A custom type is an object (or, declared as `type: array`, a list).
        return _json(option, spec, raw, dict if kind == "file" else (dict, list))
    # A type we do not know (newer protocol features): JSON when it parses.
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


def _did_you_mean(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" Did you mean {close[0]}?" if close else ""


def typed_values(
    raw_values: Mapping[str, str],
    specs: Mapping[str, Declaration] | None,
    *,
    option: str,
    what: str,
    custom_types: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Convert ``--input``-style text values; undeclared names are refused.

    ``specs`` is ``None`` when the declarations are unknown: values stay text.
    """
    if specs is None:
        return dict(raw_values)
    values: dict[str, Any] = {}
    for name, raw in raw_values.items():
        spec = specs.get(name)
        if spec is None:
            declared = ", ".join(specs) or "none"
            raise ConfigError(
                f"{option} {name}: the agent declares no such {what}." + _did_you_mean(name, specs),
                hint=f"Declared {what}s: {declared}.",
            )
        values[name] = convert(option, spec, raw, custom_types)
    return values


def check_names(
    values: Mapping[str, Any], specs: Mapping[str, Declaration], *, what: str, source: str
) -> None:
    """Refuse names (from an input file) the agent does not declare."""
    for name in values:
        if name not in specs:
            declared = ", ".join(specs) or "none"
            raise ConfigError(
                f"{source}: {name} is not a {what} the agent declares."
                + _did_you_mean(name, specs),
                hint=f"Declared {what}s: {declared}.",
            )


def check_required(
    values: Mapping[str, Any],
    specs: Mapping[str, Declaration],
    *,
    what: str,
    how: str,
    exempt: Iterable[str] = (),
) -> None:
    """Report every required input that has no value, before any session request."""
    skip = set(exempt)
    missing = [
        spec
        for spec in specs.values()
        if spec.required and spec.name not in values and spec.name not in skip
    ]
    if not missing:
        return
    names = ", ".join(spec.name for spec in missing)
    first = missing[0]
    described = f" ({first.description})" if first.description else ""
    raise ConfigError(
        f"Missing required {what}{'s' if len(missing) > 1 else ''}: {names}",
        hint=f"Give {how} {first.name}=...{described}"
        + (
            f", and the same for {', '.join(s.name for s in missing[1:])}"
            if len(missing) > 1
            else ""
        )
        + ".",
        details={"missing": [spec.name for spec in missing]},
    )
