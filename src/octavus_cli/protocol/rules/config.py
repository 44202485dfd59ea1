"""Models and agent configuration: model ids, providers, variables, fast mode."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from octavus_cli.protocol.context import Context
from octavus_cli.protocol.diagnostics import Diagnostic, Severity
from octavus_cli.protocol.examples import BASE_INTERACTIVE
from octavus_cli.protocol.names import VARIABLE_LIKE, closest
from octavus_cli.protocol.registry import Example, check, define
from octavus_cli.protocol.yaml_source import PathKey
from octavus_cli.records import record

# Providers the docs name: the four of "Supported Providers" and the two routes
# (OpenRouter, Vercel AI Gateway) of the thinking and fast-mode pages.
PROVIDERS = ("anthropic", "google", "openai", "x-ai", "openrouter", "vercel")
ROUTES = ("openrouter", "vercel")
MODEL_ID = re.compile(r"^(?P<provider>[A-Za-z0-9][A-Za-z0-9._-]*)/(?P<model>\S+)$")
# Fast mode: Anthropic Opus 5, 4.8, 4.7 and 4.6 (dashes direct, dots through gateways).
FAST_MODELS = re.compile(r"^claude-opus-(?:5|4[.-][678])(?:$|[-@.])")

MODEL_FIELDS = (
    "model",
    "backupModel",
    "imageModel",
    "videoModel",
    "speechModel",
    "transcriptionModel",
)
# Config fields that take a literal or a variable, and the input types that fit.
VARIABLE_FIELDS: dict[str, tuple[str, ...]] = {
    "model": ("string", "unknown"),
    "backupModel": ("string", "unknown"),
    "imageModel": ("string", "unknown"),
    "videoModel": ("string", "unknown"),
    "speechModel": ("string", "unknown"),
    "transcriptionModel": ("string", "unknown"),
    "temperature": ("number", "integer", "string", "unknown"),
    "thinking": ("string", "unknown"),
    "speed": ("string", "unknown"),
    "maxSteps": ("integer", "number", "string", "unknown"),
}


def _agent(fields: str) -> str:
    return BASE_INTERACTIVE.replace(
        "  model: anthropic/claude-sonnet-4-5\n  system: system\n", fields
    )


INVALID_MODEL = define(
    "OCT601",
    "invalid-model",
    Severity.ERROR,
    "A model is neither provider/model-id nor a variable reference",
    "Write models as provider/model-id (anthropic/claude-sonnet-4-5, openai/gpt-4o), or "
    "name a declared input variable (MODEL).",
    family="config",
    example=Example(
        files={"protocol.yaml": _agent("  model: claude-sonnet-4-5\n  system: system\n")},
        fixed={"protocol.yaml": None},
        file="protocol.yaml",
        line=7,
        column=10,
    ),
)

UNKNOWN_PROVIDER = define(
    "OCT602",
    "unknown-provider",
    Severity.WARNING,
    "A model's provider is not one the docs list",
    "Known providers: anthropic, google, openai, x-ai, and the openrouter and vercel "
    "routes. A new provider may work; a misspelt one does not.",
    family="config",
    example=Example(
        files={"protocol.yaml": _agent("  model: antropic/claude-sonnet-4-5\n  system: system\n")},
        fixed={"protocol.yaml": None},
        file="protocol.yaml",
        line=7,
        column=10,
    ),
)

_ANTHROPIC = "  anthropic:\n    tools:\n      web-search:\n        description: Searching the web\n"

PROVIDER_OPTIONS = define(
    "OCT603",
    "provider-options-mismatch",
    Severity.ERROR,
    "anthropic: options are set for a model of another provider",
    'Provider options must match the model provider: "anthropic" options require an '
    "anthropic/* model. Use the provider-agnostic webSearch: true or skills instead.",
    family="config",
    example=Example(
        files={"protocol.yaml": _agent("  model: openai/gpt-4o\n  system: system\n" + _ANTHROPIC)},
        fixed={
            "protocol.yaml": _agent(
                "  model: anthropic/claude-sonnet-4-5\n  system: system\n" + _ANTHROPIC
            )
        },
        file="protocol.yaml",
        line=9,
        column=3,
    ),
)

_MODEL_INPUT = "input:\n  MODEL: { type: string }\n\n"

UNDECLARED_CONFIG_VARIABLE = define(
    "OCT604",
    "undeclared-config-variable",
    Severity.ERROR,
    "A config field references a variable that input: / variables: do not declare",
    "Declare the variable (usually under input:, with the field's natural type) so the "
    "consumer can pass it at session creation.",
    family="config",
    example=Example(
        files={"protocol.yaml": _agent("  model: MODEL\n  system: system\n")},
        fixed={"protocol.yaml": _MODEL_INPUT + _agent("  model: MODEL\n  system: system\n")},
        file="protocol.yaml",
        line=7,
        column=10,
    ),
)

FAST_MODE = define(
    "OCT605",
    "fast-mode-unsupported",
    Severity.WARNING,
    "speed: fast is set for a model that has no fast mode",
    "Fast mode applies to Anthropic Opus 5, 4.8, 4.7 and 4.6 only; elsewhere it is a no-op. "
    "Through OpenRouter, select the -fast model slug instead.",
    family="config",
    example=Example(
        files={
            "protocol.yaml": _agent(
                "  model: anthropic/claude-sonnet-4-5\n  system: system\n  speed: fast\n"
            )
        },
        fixed={
            "protocol.yaml": _agent(
                "  model: anthropic/claude-opus-4-8\n  system: system\n  speed: fast\n"
            )
        },
        file="protocol.yaml",
        line=9,
        column=10,
    ),
)

CONFIG_VARIABLE_TYPE = define(
    "OCT606",
    "config-variable-type",
    Severity.WARNING,
    "A config field references a variable whose declared type does not fit the field",
    "Declare temperature variables as number, maxSteps as integer, thinking, speed and "
    "models as string (or unknown).",
    family="config",
    example=Example(
        files={
            "protocol.yaml": "input:\n  MAX_STEPS: { type: boolean, optional: true }\n\n"
            + _agent(
                "  model: anthropic/claude-sonnet-4-5\n  system: system\n  maxSteps: MAX_STEPS\n"
            )
        },
        fixed={
            "protocol.yaml": "input:\n  MAX_STEPS: { type: integer, optional: true }\n\n"
            + _agent(
                "  model: anthropic/claude-sonnet-4-5\n  system: system\n  maxSteps: MAX_STEPS\n"
            )
        },
        file="protocol.yaml",
        line=12,
        column=13,
    ),
)


@record
class ConfigScope:
    """A block of model configuration: its label, path and data."""

    label: str
    path: PathKey
    data: dict[str, Any]


def _config_scopes(ctx: Context) -> list[ConfigScope]:
    found = []
    if not ctx.is_worker and isinstance(ctx.data.get("agent"), dict):
        found.append(ConfigScope("agent", ("agent",), ctx.data["agent"]))
    for block in ctx.blocks_of(
        "start-thread", "generate-image", "generate-speech", "transcribe-audio"
    ):
        found.append(ConfigScope(block.label, block.path, block.data))
    return found


def _literal_provider(value: Any) -> tuple[str, str] | None:
    """``(provider, model-id)`` of a literal model id."""
    if not isinstance(value, str):
        return None
    match = MODEL_ID.match(value)
    if match is None:
        return None
    return match.group("provider"), match.group("model")


@check
def models(ctx: Context) -> Iterator[Diagnostic]:
    for scope in _config_scopes(ctx):
        for field in MODEL_FIELDS:
            value = scope.data.get(field)
            if not isinstance(value, str) or not value:
                continue
            path = (*scope.path, field)
            if VARIABLE_LIKE.match(value):
                continue  # checked as a config variable
            parsed = _literal_provider(value)
            if parsed is None:
                hint = None
                if "/" not in value and not value.isupper():
                    guess = _guess_provider(value)
                    if guess:
                        hint = f"Did you mean {guess}/{value}?"
                yield ctx.report(
                    INVALID_MODEL,
                    path,
                    f'{scope.label} {field} "{value}" is not provider/model-id or a variable',
                    hint=hint,
                )
                continue
            provider, _ = parsed
            if provider not in PROVIDERS:
                match = closest(provider, PROVIDERS)
                yield ctx.report(
                    UNKNOWN_PROVIDER,
                    path,
                    f'{scope.label} {field} uses provider "{provider}", which the docs do '
                    "not list" + (f' (did you mean "{match}"?)' if match else ""),
                )


def _guess_provider(model_id: str) -> str | None:
    lowered = model_id.lower()
    for prefix, provider in (
        ("claude", "anthropic"),
        ("gemini", "google"),
        ("imagen", "google"),
        ("veo", "google"),
        ("gpt", "openai"),
        ("o1", "openai"),
        ("o3", "openai"),
        ("o4", "openai"),
        ("dall-e", "openai"),
        ("tts", "openai"),
        ("whisper", "openai"),
        ("grok", "x-ai"),
    ):
        if lowered.startswith(prefix):
            return provider
    return None


@check
def config_variables(ctx: Context) -> Iterator[Diagnostic]:
    declared = ctx.protocol_names
    for scope in _config_scopes(ctx):
        for field, fitting in VARIABLE_FIELDS.items():
            value = scope.data.get(field)
            if not isinstance(value, str) or not VARIABLE_LIKE.match(value):
                continue
            path = (*scope.path, field)
            declaration = declared.get(value)
            if declaration is None:
                match = closest(value, list(declared))
                yield ctx.report(
                    UNDECLARED_CONFIG_VARIABLE,
                    path,
                    f"{scope.label} {field} refers to {value}, which input: / variables: do "
                    "not declare" + (f' (did you mean "{match}"?)' if match else ""),
                    hint=f"Declare it: input: {{ {value}: {{ type: {fitting[0]} }} }}.",
                )
                continue
            type_name = declaration.type_name
            if type_name is not None and type_name not in fitting:
                yield ctx.report(
                    CONFIG_VARIABLE_TYPE,
                    path,
                    f"{scope.label} {field} uses {value}, declared as {type_name}; it takes "
                    f"{' or '.join(fitting[:-1])}",
                )


@check
def provider_options(ctx: Context) -> Iterator[Diagnostic]:
    if ctx.is_worker:
        return
    agent = ctx.section("agent")
    if "anthropic" not in agent:
        return
    parsed = _literal_provider(agent.get("model"))
    if parsed is None:
        return  # a variable model: the docs say the options may simply not apply
    provider, model_id = parsed
    if provider == "anthropic":
        return
    if provider in ROUTES and model_id.startswith("anthropic/"):
        return  # gateways forward the underlying provider's options
    yield ctx.report(
        PROVIDER_OPTIONS,
        ("agent", "anthropic"),
        f'"anthropic" options require an anthropic model. Current model provider: "{provider}"',
        key=True,
    )


@check
def fast_mode(ctx: Context) -> Iterator[Diagnostic]:
    for scope in _config_scopes(ctx):
        if scope.data.get("speed") != "fast":
            continue
        parsed = _literal_provider(scope.data.get("model"))
        if parsed is None:
            continue  # dynamic or missing model: fast mode is a safe no-op
        provider, model_id = parsed
        path = (*scope.path, "speed")
        if provider == "openrouter":
            yield ctx.report(
                FAST_MODE,
                path,
                f"{scope.label}: speed is ignored on OpenRouter; select the -fast model slug "
                "instead",
            )
            continue
        bare = model_id.split("/", 1)[1] if provider in ROUTES and "/" in model_id else model_id
        family = model_id.split("/", 1)[0] if provider in ROUTES else provider
        if family != "anthropic" or not FAST_MODELS.match(bare):
            yield ctx.report(
                FAST_MODE,
                path,
                f'{scope.label}: speed: fast has no effect on "{provider}/{model_id}"; fast '
                "mode is for Anthropic Opus 5, 4.8, 4.7 and 4.6",
            )
