"""Deprecated features: they still work, but the docs say to move away from them."""

from __future__ import annotations

from collections.abc import Iterator

from octavus_cli.protocol.context import Context
from octavus_cli.protocol.diagnostics import Diagnostic, Severity
from octavus_cli.protocol.examples import BASE_INTERACTIVE
from octavus_cli.protocol.model import as_mapping
from octavus_cli.protocol.registry import Example, check, define

_RESOURCE = "resources:\n  SUMMARY:\n    type: string\n    default: ''\n\n"
_VARIABLE = "variables:\n  SUMMARY: { type: string }\n\n"
_WITH_SUMMARY = BASE_INTERACTIVE.replace(
    "  system: system\n", "  system: system\n  input: [SUMMARY]\n"
)

DEPRECATED_RESOURCES = define(
    "OCT801",
    "deprecated-resources",
    Severity.WARNING,
    "The resources: section is deprecated",
    "Persist state with a consumer-defined tool (or an MCP tool) that writes the value in "
    "your application; resources may be removed in a future major version.",
    family="deprecated",
    example=Example(
        files={"protocol.yaml": _RESOURCE + _WITH_SUMMARY},
        fixed={"protocol.yaml": _VARIABLE + _WITH_SUMMARY},
        file="protocol.yaml",
        line=1,
        column=1,
    ),
)

_SAVE = (
    "\n    Save:\n      block: set-resource\n      resource: SUMMARY\n      value: USER_MESSAGE\n"
)

DEPRECATED_SET_RESOURCE = define(
    "OCT802",
    "deprecated-set-resource",
    Severity.WARNING,
    "The set-resource block is deprecated",
    "Call a consumer-defined tool with a tool-call block to persist the value instead.",
    family="deprecated",
    example=Example(
        files={"protocol.yaml": _RESOURCE + _WITH_SUMMARY + _SAVE},
        fixed={"protocol.yaml": _VARIABLE + _WITH_SUMMARY},
        file="protocol.yaml",
        line=28,
        column=14,
    ),
)

_IMAGE = """
variables:
  IMAGE_PROMPT: { type: string }
  IMAGE_URL: { type: string }
"""

DEPRECATED_FIELD = define(
    "OCT803",
    "deprecated-field",
    Severity.WARNING,
    "A deprecated field: generate-image size, contextManagement.recentWindow",
    "size is an alias of aspectRatio (1024x1024 -> 1:1, 1792x1024 -> 16:9, 1024x1792 -> "
    "9:16); recentWindow is ignored, use recentPercent.",
    family="deprecated",
    example=Example(
        files={
            "protocol.yaml": _IMAGE.lstrip()
            + "\n"
            + BASE_INTERACTIVE
            + "\n    Draw:\n      block: generate-image\n      prompt: IMAGE_PROMPT\n"
            "      imageModel: google/gemini-2.5-flash-image\n      size: 1792x1024\n"
            "      output: IMAGE_URL\n"
        },
        fixed={
            "protocol.yaml": _IMAGE.lstrip()
            + "\n"
            + BASE_INTERACTIVE
            + "\n    Draw:\n      block: generate-image\n      prompt: IMAGE_PROMPT\n"
            "      imageModel: google/gemini-2.5-flash-image\n      aspectRatio: 16:9\n"
            "      output: IMAGE_URL\n"
        },
        file="protocol.yaml",
        line=29,
        column=7,
    ),
)

_SIZES = {"1024x1024": "1:1", "1792x1024": "16:9", "1024x1792": "9:16"}


@check
def deprecated(ctx: Context) -> Iterator[Diagnostic]:
    if "resources" in ctx.data:
        yield ctx.report(
            DEPRECATED_RESOURCES,
            ("resources",),
            "resources: is deprecated and may be removed in a future major version",
            key=True,
        )
    for block in ctx.blocks_of("set-resource"):
        yield ctx.report(
            DEPRECATED_SET_RESOURCE,
            block.field_path("block"),
            f"{block.label}: set-resource is deprecated",
        )
    for block in ctx.blocks_of("generate-image"):
        if "size" in block.data:
            size = block.data["size"]
            ratio = _SIZES.get(str(size))
            yield ctx.report(
                DEPRECATED_FIELD,
                block.field_path("size"),
                f"{block.label}: size is deprecated; write aspectRatio"
                + (f": {ratio}" if ratio else ""),
                key=True,
            )
    if not ctx.is_worker:
        management = as_mapping(ctx.section("agent").get("contextManagement"))
        if "recentWindow" in management:
            yield ctx.report(
                DEPRECATED_FIELD,
                ("agent", "contextManagement", "recentWindow"),
                "contextManagement.recentWindow is deprecated and ignored; use recentPercent",
                key=True,
            )
