"""Session and trigger input typed by the declared types (from a folder or the platform)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.run.conftest import REQUIRED, Octavus

PROTOCOL = """\
types:
  Profile:
    name:
      type: string
      description: Name

input:
  TEMPERATURE:
    type: number
    description: Sampling temperature
  MAX_ITEMS:
    type: integer
    description: How many
  TAGS:
    type: string[]
    description: Tags
  VERBOSE:
    type: boolean
    description: Talk more
  PROFILE:
    type: Profile
    description: Who
  EXTRA:
    type: unknown
    description: Anything
    optional: true
  LABEL:
    type: string
    description: Kept as text
    optional: true

triggers:
  user-message:
    input:
      USER_MESSAGE:
        type: string
        description: The message
  rate:
    input:
      SCORE:
        type: integer
        description: 1 to 5
      COMMENT:
        type: string
        description: Why
        optional: true

agent:
  model: anthropic/claude-sonnet-4-5
  system: system

handlers:
  user-message:
    Add user message:
      block: add-message
      role: user
      prompt: user-message
      input: [USER_MESSAGE]
      display: hidden
    Respond:
      block: next-message
  rate:
    Respond:
      block: next-message
"""


@pytest.fixture
def typed_agent(octavus: Octavus, tmp_path: Path) -> Path:
    folder = tmp_path / "typed-agent"
    (folder / "prompts").mkdir(parents=True)
    (folder / "settings.json").write_text(
        json.dumps({"slug": "typed-agent", "name": "Typed", "format": "interactive"}), "utf-8"
    )
    (folder / "protocol.yaml").write_text(PROTOCOL, "utf-8")
    (folder / "prompts" / "system.md").write_text("You help.\n", "utf-8")
    (folder / "prompts" / "user-message.md").write_text("{{USER_MESSAGE}}\n", "utf-8")
    octavus.emulator.seed_agent(folder)
    return folder


TYPED = [
    "-i",
    "TEMPERATURE=0.5",
    "-i",
    "MAX_ITEMS=3",
    "-i",
    'TAGS=["a", "b"]',
    "-i",
    "VERBOSE=yes",
    "-i",
    'PROFILE={"name": "Ada"}',
    "-i",
    'EXTRA={"k": [1]}',
    "-i",
    "LABEL=007",
]
EXPECTED = {
    "TEMPERATURE": 0.5,
    "MAX_ITEMS": 3,
    "TAGS": ["a", "b"],
    "VERBOSE": True,
    "PROFILE": {"name": "Ada"},
    "EXTRA": {"k": [1]},
    "LABEL": "007",
}


@pytest.mark.parametrize("agent", ["folder", "slug"])
def test_inputs_are_typed_by_the_declared_types(
    octavus: Octavus, typed_agent: Path, agent: str
) -> None:
    given = str(typed_agent) if agent == "folder" else "typed-agent"
    result = octavus.run(given, "-m", "hi", *TYPED)
    assert result.code == 0, result
    [created] = octavus.posts("/api/agent-sessions")
    assert created.body["input"] == EXPECTED
    assert created.status == 200


def test_input_file_values_are_used_as_given_and_input_wins(
    octavus: Octavus, typed_agent: Path, tmp_path: Path
) -> None:
    values = tmp_path / "values.yaml"
    values.write_text(
        "TEMPERATURE: 1.5\nMAX_ITEMS: 9\nTAGS: [x]\nVERBOSE: false\nPROFILE: {name: Bo}\n",
        "utf-8",
    )
    result = octavus.run(
        str(typed_agent), "-m", "hi", "--input-file", str(values), "-i", "MAX_ITEMS=4"
    )
    assert result.code == 0, result
    [created] = octavus.posts("/api/agent-sessions")
    assert created.body["input"] == {
        "TEMPERATURE": 1.5,
        "MAX_ITEMS": 4,
        "TAGS": ["x"],
        "VERBOSE": False,
        "PROFILE": {"name": "Bo"},
    }


def test_trigger_input_is_typed(octavus: Octavus, typed_agent: Path) -> None:
    result = octavus.run(
        str(typed_agent),
        *TYPED,
        "-t",
        "rate",
        "--trigger-input",
        "SCORE=5",
        "--trigger-input",
        "COMMENT=5",
    )
    assert result.code == 0, result
    [trigger] = octavus.posts()
    assert trigger.body == {"triggerName": "rate", "input": {"SCORE": 5, "COMMENT": "5"}}


@pytest.mark.parametrize(
    ("assignment", "expected"),
    [
        ("MAX_ITEMS=3.5", "MAX_ITEMS is declared as integer"),
        ("TEMPERATURE=warm", "TEMPERATURE is declared as number"),
        ("TAGS=a,b", "TAGS is declared as string[] (JSON)"),
        ("PROFILE=Ada", "PROFILE is declared as Profile (JSON)"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused(
    octavus: Octavus, typed_agent: Path, assignment: str, expected: str
) -> None:
    result = octavus.run("typed-agent", "-m", "hi", *TYPED, "-i", assignment)
    assert result.code == 2, result
    assert expected in result.stderr
    assert octavus.posts("/api/agent-sessions") == []


def test_missing_required_input_of_a_remote_agent_is_found_before_the_session(
    octavus: Octavus,
) -> None:
    result = octavus.run("support-chat", "-m", "hi", *REQUIRED[:4])
    assert result.code == 2, result
    assert "Missing required session input: PLAN_TIER" in result.stderr
    assert "(The customer's plan tier)" in result.stderr
    assert [(r.method, r.path) for r in octavus.emulator.requests] == [
        ("GET", "/api/agents/support-chat")
    ]
