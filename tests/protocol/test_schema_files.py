"""The JSON Schemas: valid draft 2020-12, shipped as package data, true to the docs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from octavus_cli.protocol.schema import (
    SCHEMA_NAMES,
    load_schema,
    protocol_errors,
    schema_text,
    validator,
)
from octavus_cli.protocol.yaml_source import load_yaml
from tests.protocol.test_valid_agents import VALID_AGENTS

PACKAGE_SCHEMAS = Path(__file__).resolve().parents[2] / "src/octavus_cli/protocol/schema"


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema_text(name) == (PACKAGE_SCHEMAS / f"{name}.schema.json").read_text()


def test_unknown_schema_name() -> None:
    with pytest.raises(KeyError):
        schema_text("handlers")


def test_validator_is_compiled_once() -> None:
    assert validator("protocol") is validator("protocol")


@pytest.mark.parametrize("folder", VALID_AGENTS, ids=lambda p: p.name)
def test_valid_agents_match_the_schemas(folder: Path) -> None:
    protocol = load_yaml((folder / "protocol.yaml").read_text(encoding="utf-8")).data
    assert list(validator("protocol").iter_errors(protocol)) == []
    settings = json.loads((folder / "settings.json").read_text(encoding="utf-8"))
    assert list(validator("settings").iter_errors(settings)) == []


def _defs() -> dict[str, dict[str, object]]:
    return load_schema("protocol")["$defs"]  # type: ignore[no-any-return]


def test_every_documented_block_kind_is_known() -> None:
    kinds = _defs()["block"]["properties"]["block"]["enum"]  # type: ignore[index]
    assert set(kinds) == {
        "next-message",
        "add-message",
        "tool-call",
        "set-resource",
        "start-thread",
        "serialize-thread",
        "generate-image",
        "generate-speech",
        "transcribe-audio",
        "generate-video",
        "run-worker",
    }


@pytest.mark.parametrize(
    ("definition", "required"),
    [
        ("toolDefinition", ["description"]),
        ("toolParameter", ["type"]),
        ("inputDefinition", ["type"]),
        ("variableDefinition", ["type"]),
        ("agentConfig", ["model", "system"]),
        ("generateImageBlock", ["prompt", "imageModel"]),
        ("generateSpeechBlock", ["text", "speechModel"]),
        ("transcribeAudioBlock", ["audio", "transcriptionModel"]),
        ("toolCallBlock", ["tool"]),
        ("runWorkerBlock", ["worker"]),
        ("mcpServerDefinition", ["source"]),
        ("anthropicSkill", ["type"]),
    ],
)
def test_documented_required_fields(definition: str, required: list[str]) -> None:
    assert _defs()[definition]["required"] == required


def test_display_modes_and_agent_fields_follow_the_docs() -> None:
    defs = _defs()
    assert defs["display"]["enum"] == ["hidden", "name", "description", "stream", "title"]
    agent = defs["agentConfig"]["properties"]
    for field in [
        "model",
        "backupModel",
        "system",
        "input",
        "tools",
        "mcpServers",
        "skills",
        "references",
        "sandboxTimeout",
        "imageModel",
        "videoModel",
        "speechModel",
        "speechVoice",
        "transcriptionModel",
        "webSearch",
        "agentic",
        "maxSteps",
        "temperature",
        "thinking",
        "speed",
        "cache",
        "maxToolOutputTokens",
        "maxImageDimension",
        "maxOutputTokens",
        "loopGuard",
        "contextManagement",
        "anthropic",
        "todoList",
        "workers",
        "onDemandMcpServers",
    ]:
        assert field in agent, field  # type: ignore[operator]


@pytest.mark.parametrize(
    ("snippet", "ok"),
    [
        ("agent: {model: a/b, system: s, temperature: 2}", True),
        ("agent: {model: a/b, system: s, temperature: 2.1}", False),
        ("agent: {model: a/b, system: s, temperature: 'off'}", True),
        ("agent: {model: a/b, system: s, temperature: TEMPERATURE}", True),
        ("agent: {model: a/b, system: s, thinking: max}", True),
        ("agent: {model: a/b, system: s, thinking: huge}", False),
        ("agent: {model: a/b, system: s, cache: off}", True),
        ("agent: {model: a/b, system: s, sandboxTimeout: 3600001}", False),
        ("agent: {model: a/b, system: s, input: [A, B: C]}", True),
        ("agent: {model: a/b, system: s, input: {B: C}}", True),
        ("agent: {model: a/b, system: s, input: [{B: C, D: E}]}", False),
        ("agent: {model: a/b, system: s, input: A}", False),
        ("types: {L: {type: array, items: {type: X}}}", True),
        ("types: {L: {type: array}}", False),
        ("types: {C: {type: {type: string, const: click}}}", True),
        ("types: {U: {anyOf: [A], discriminator: t}}", False),
        (
            "steps: {Draw: {block: generate-image, prompt: P, imageModel: g/m, aspectRatio: 16:9}}",
            True,
        ),
        ("steps: {Say: {block: generate-speech, text: T, speechModel: o/m, speed: 5}}", False),
        ("mcpServers: {f: {source: remote, connection: eager, execution: device}}", True),
        ("tools: {t: {description: d, display: title, title: T}}", True),
    ],
)
def test_schema_edges(snippet: str, ok: bool) -> None:
    data = load_yaml(snippet).data
    errors = list(validator("protocol").iter_errors(data))
    assert (errors == []) is ok, [e.message for e in errors]


def _full_errors(data: Any) -> set[tuple[tuple[object, ...], str, str]]:
    return {
        (tuple(e.absolute_path), str(e.validator), e.message)
        for e in validator("protocol").iter_errors(data)
    }


def _split_errors(data: object) -> set[tuple[tuple[object, ...], str, str]]:
    return {
        ((*prefix, *e.absolute_path), str(e.validator), e.message)
        for prefix, e in protocol_errors(data)
    }


SPLIT_CASES = [
    *(load_yaml((folder / "protocol.yaml").read_text()).data for folder in VALID_AGENTS),
    load_yaml(
        "handlers:\n  go:\n    A: {block: next-message, thread: 5, extra: 1}\n"
        "    B: {block: tool-call}\n    C: {block: nope}\n    D: 5\n"
        "steps: {S: {block: generate-image, prompt: [x], aspectRatio: wide}}\n"
    ).data,
    load_yaml("handlers: [x]\nsteps: 5\n").data,
    ["not", "a", "mapping"],
]


@pytest.mark.parametrize("data", SPLIT_CASES)
def test_split_validation_finds_what_the_full_schema_finds(data: object) -> None:
    assert _split_errors(data) == _full_errors(data)


@settings(max_examples=60, deadline=None)
@given(
    blocks=st.dictionaries(
        st.text(max_size=5),
        st.one_of(
            st.none(),
            st.dictionaries(
                st.sampled_from(["block", "thread", "tool", "prompt", "output", "x", "input"]),
                st.one_of(
                    st.sampled_from(["next-message", "tool-call", "add-message", "start-thread"]),
                    st.integers(),
                    st.none(),
                    st.lists(st.text(max_size=3), max_size=2),
                ),
                max_size=5,
            ),
        ),
        max_size=4,
    )
)
def test_split_validation_on_random_blocks(blocks: dict[str, object]) -> None:
    for data in ({"handlers": {"go": blocks}}, {"steps": blocks}):
        assert _split_errors(data) == _full_errors(data)
