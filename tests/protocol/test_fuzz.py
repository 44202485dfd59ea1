"""Property-based tests: random and mutated YAML/JSON never crash the validator.

Whatever the input, validation ends in diagnostics (exit 1) or a clean pass
(exit 0), never a traceback and never an internal-error finding.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from octavus_cli.app import app
from octavus_cli.protocol.folder import AgentDefinition, AgentSettings, Prompt
from octavus_cli.protocol.validate import validate_definition, validate_path
from tests.protocol.helpers import EXAMPLES, FIXTURES, no_internal_errors, write_agent

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Words the protocol uses, so random documents reach the rules, not only the schema.
WORDS = [
    "agent",
    "triggers",
    "handlers",
    "steps",
    "output",
    "input",
    "variables",
    "resources",
    "types",
    "tools",
    "skills",
    "mcpServers",
    "workers",
    "block",
    "type",
    "model",
    "system",
    "prompt",
    "thread",
    "tool",
    "anyOf",
    "items",
    "display",
    "title",
    "description",
    "enum",
    "default",
    "optional",
    "next-message",
    "add-message",
    "tool-call",
    "start-thread",
    "set-resource",
    "run-worker",
    "user-message",
    "USER_MESSAGE",
    "RESULT",
    "string",
    "array",
    "unknown",
    "file[]",
    "main",
    "anthropic",
    "references",
    "responseType",
    "discriminator",
]
KEYS = st.one_of(st.sampled_from(WORDS), st.text(max_size=8))
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(WORDS),
    st.text(max_size=12),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=5)),
    max_leaves=30,
)
PROMPT_TEXT = st.one_of(
    st.text(max_size=60),
    st.lists(
        st.sampled_from(
            [
                "{{USER_MESSAGE}}",
                "{{#if A}}",
                "{{else}}",
                "{{/if}}",
                "{{@system.md}}",
                '{{#if X == "y"}}',
                "{{else if !B}}",
                "{{A.b}}",
                "{{@nope.md}}",
                "text ",
                "\n",
            ]
        ),
        max_size=8,
    ).map("".join),
)

SOURCES = [
    *(
        EXAMPLES / name / "protocol.yaml"
        for name in ("minimal-chat", "research-worker", "support-chat")
    ),
    FIXTURES / "agents" / "resources-legacy" / "protocol.yaml",
    FIXTURES / "docs" / "13-mcp-servers--full-example" / "protocol.yaml",
]
DOCUMENTS = [
    (
        yaml.safe_load(path.read_text(encoding="utf-8")),
        "worker" if "worker" in str(path) else "interactive",
    )
    for path in SOURCES
]


def definition(
    protocol: str, fmt: str = "interactive", prompts: tuple[Prompt, ...] = ()
) -> AgentDefinition:
    return AgentDefinition(AgentSettings("fuzz", "Fuzz", fmt), protocol, prompts)


def check(diagnostics: list[Any]) -> None:
    no_internal_errors(diagnostics)
    for diag in diagnostics:
        assert diag.line >= 1
        assert diag.column >= 1
        assert diag.message


@FUZZ
@given(text=st.text(max_size=300), fmt=st.sampled_from(["interactive", "worker"]))
def test_random_text(text: str, fmt: str) -> None:
    check(validate_definition(definition(text, fmt)))


@FUZZ
@given(value=VALUES, fmt=st.sampled_from(["interactive", "worker"]), prompt=PROMPT_TEXT)
def test_random_documents(value: Any, fmt: str, prompt: str) -> None:
    text = yaml.safe_dump(value, sort_keys=False, allow_unicode=True)
    prompts = (Prompt("system", prompt), Prompt("user-message", prompt))
    check(validate_definition(definition(text, fmt, prompts)))


def mutate(node: Any, rng: random.Random, replacement: Any, rate: float) -> Any:
    if rng.random() < rate:
        return replacement
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            roll = rng.random()
            if roll < rate / 2:
                continue  # drop the key
            if roll < rate:
                key = rng.choice(WORDS)
            out[key] = mutate(value, rng, replacement, rate)
        return out
    if isinstance(node, list):
        return [mutate(item, rng, replacement, rate) for item in node]
    return node


@FUZZ
@given(
    index=st.integers(0, len(DOCUMENTS) - 1),
    seed=st.integers(0, 2**32 - 1),
    replacement=VALUES,
    rate=st.sampled_from([0.02, 0.05, 0.15]),
)
def test_mutated_examples(index: int, seed: int, replacement: Any, rate: float) -> None:
    document, fmt = DOCUMENTS[index]
    mutated = mutate(document, random.Random(seed), replacement, rate)
    text = yaml.safe_dump(mutated, sort_keys=False, allow_unicode=True)
    prompts = tuple(
        Prompt(name, '{{USER_MESSAGE}} {{#if PLAN_TIER == "free"}}x{{/if}}')
        for name in ("system", "user-message", "research/system", "writing/system")
    )
    check(validate_definition(definition(text, fmt, prompts)))


runner = CliRunner()


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    settings_value=st.one_of(
        VALUES,
        st.fixed_dictionaries(
            {
                "slug": st.text(max_size=10),
                "name": SCALARS,
                "format": st.sampled_from(["interactive", "worker", "x"]),
            }
        ),
    ),
    protocol=st.one_of(st.text(max_size=200), VALUES.map(lambda v: yaml.safe_dump(v))),
    prompt=PROMPT_TEXT,
    raw_settings=st.booleans(),
)
def test_cli_on_random_folders_exits_0_or_1(
    tmp_path_factory: Any, settings_value: Any, protocol: str, prompt: str, raw_settings: bool
) -> None:
    root: Path = tmp_path_factory.mktemp("fuzz") / "agent"
    settings_text = (
        str(settings_value) if raw_settings else json.dumps(settings_value, ensure_ascii=False)
    )
    write_agent(
        root,
        {"settings.json": settings_text, "protocol.yaml": protocol, "prompts/system.md": prompt},
    )
    result = runner.invoke(app, ["validate", str(root), "--json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1), result.output
    document = json.loads(result.stdout)
    assert document["valid"] is (result.exit_code == 0)
    assert all(item["code"] != "OCT000" for item in document["errors"])
    assert (document["errors"] == []) is (result.exit_code == 0)
    check(validate_path(root).diagnostics)
