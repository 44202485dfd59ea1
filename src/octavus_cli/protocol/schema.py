"""The JSON Schemas of protocol.yaml and settings.json, shipped as package data.

Validators are compiled once per process; ``octavus schema NAME`` prints the
text so editors (yaml-language-server, VS Code) can use the same schema.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

    from octavus_cli.protocol.yaml_source import PathKey

SCHEMA_NAMES = ("protocol", "settings")


def schema_text(name: str) -> str:
    """The schema file's text (``name`` is ``protocol`` or ``settings``)."""
    if name not in SCHEMA_NAMES:
        raise KeyError(f"unknown schema {name!r}; expected one of {', '.join(SCHEMA_NAMES)}")
    # A plain file next to this module when installed normally (importlib.resources costs
    # ~5 ms to import); the resources API for other installs (a zip, for example).
    beside = Path(__file__).parent / "schema" / f"{name}.schema.json"
    if beside.is_file():
        return beside.read_text(encoding="utf-8")
    from importlib import resources

    return (
        resources.files("octavus_cli.protocol")
        .joinpath("schema")
        .joinpath(f"{name}.schema.json")
        .read_text(encoding="utf-8")
    )


@cache
def load_schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(schema_text(name))
    return schema


@cache
def validator(name: str) -> Validator:
    """A compiled draft 2020-12 validator for the schema ``name`` (cached)."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load_schema(name))


@cache
def _split_protocol_validators() -> tuple[Validator, dict[str, Validator]]:
    """The protocol schema without its per-kind block branches, and one validator per kind.

    Checking a block against its kind's schema directly gives the same errors as
    the full schema's ``allOf`` of ``if``/``then`` branches, at a fraction of the
    cost (every branch's ``if`` is otherwise evaluated for every block).
    """
    from jsonschema import Draft202012Validator

    schema = copy.deepcopy(load_schema("protocol"))
    defs = schema["$defs"]
    branches = defs["block"].pop("allOf")
    by_kind: dict[str, Validator] = {
        branch["if"]["properties"]["block"]["const"]: Draft202012Validator(
            {"$ref": branch["then"]["$ref"], "$defs": defs}
        )
        for branch in branches
    }
    top: Validator = Draft202012Validator(schema)
    return top, by_kind


def protocol_errors(data: Any) -> Iterator[tuple[PathKey, ValidationError]]:
    """``(prefix, error)`` for every schema error of a protocol document.

    The error's own path is relative to ``prefix`` (a block, or the document);
    the errors are those of :func:`validator` ``("protocol")``. A document that
    :func:`~octavus_cli.protocol.schema_check.conforms` has none, and jsonschema is
    not loaded for it.
    """
    from octavus_cli.protocol.schema_check import conforms

    if conforms(data, load_schema("protocol")):
        return
    top, by_kind = _split_protocol_validators()
    for error in top.iter_errors(data):
        yield (), error
    if not isinstance(data, dict):
        return
    sequences: list[tuple[PathKey, Any]] = [(("steps",), data.get("steps"))]
    handlers = data.get("handlers")
    if isinstance(handlers, dict):
        sequences += [(("handlers", name), blocks) for name, blocks in handlers.items()]
    for path, blocks in sequences:
        if not isinstance(blocks, dict):
            continue
        for name, block in blocks.items():
            kind = block.get("block") if isinstance(block, dict) else None
            if isinstance(kind, str) and kind in by_kind:
                for error in by_kind[kind].iter_errors(block):
                    yield (*path, name), error
