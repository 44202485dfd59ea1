"""The JSON Schemas of protocol.yaml and settings.json, shipped as package data.

Validators are compiled once per process; ``octavus schema NAME`` prints the
text so editors (yaml-language-server, VS Code) can use the same schema.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

SCHEMA_NAMES = ("protocol", "settings")


def schema_text(name: str) -> str:
    """The schema file's text (``name`` is ``protocol`` or ``settings``)."""
    if name not in SCHEMA_NAMES:
        raise KeyError(f"unknown schema {name!r}; expected one of {', '.join(SCHEMA_NAMES)}")
    return (
        resources.files("octavus_cli.protocol")
        .joinpath("schema").joinpath(f"{name}.schema.json")
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
