"""Rule behaviour beyond the one example each: scoping, edge cases, decisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from octavus_cli.protocol.examples import BASE_INTERACTIVE, BASE_WORKER
from tests.protocol.helpers import validate_files, where

RESPOND = "    Respond:\n      block: next-message\n"


def agent(extra_agent: str = "", sections: str = "", blocks: str = "") -> str:
    text = BASE_INTERACTIVE.replace("  system: system\n", "  system: system\n" + extra_agent)
    return sections + text + blocks


def found(
    tmp_path: Path, files: dict[str, str | bytes | None], fmt: str = "interactive"
) -> list[tuple[str, str, int, int]]:
    return [where(d) for d in validate_files(tmp_path / "a", files, fmt=fmt).diagnostics]


def codes(
    tmp_path: Path, files: dict[str, str | bytes | None], fmt: str = "interactive"
) -> list[str]:
    return [d.code for d in validate_files(tmp_path / "a", files, fmt=fmt).diagnostics]


# -- data flow ---------------------------------------------------------------------------


def test_trigger_inputs_are_visible_only_in_their_handler(tmp_path: Path) -> None:
    protocol = BASE_INTERACTIVE.replace(
        "agent:",
        "  other:\n    input:\n      NOTE: { type: string }\n\nagent:",
    ) + (
        "\n  other:\n    Add note:\n      block: add-message\n      role: user\n"
        "      prompt: user-message\n      input: [USER_MESSAGE]\n"
    )
    result = validate_files(tmp_path / "a", {"protocol.yaml": protocol})
    (error,) = result.errors
    assert error.code == "OCT403"
    assert (
        error.hint
        == 'USER_MESSAGE is an input of trigger "user-message"; the handler "other" cannot see it.'
    )


def test_outputs_of_other_handlers_may_be_read(tmp_path: Path) -> None:
    protocol = BASE_INTERACTIVE.replace(
        "agent:",
        "  summarize:\n    description: Summarize\n\n"
        "variables:\n  SUMMARY: { type: string }\n\nagent:",
    ).replace(RESPOND, RESPOND + "      output: LAST_ANSWER\n") + (
        "\n  summarize:\n    Add:\n      block: add-message\n      role: user\n"
        "      prompt: user-message\n      input:\n        USER_MESSAGE: LAST_ANSWER\n"
    )
    assert codes(tmp_path, {"protocol.yaml": protocol}) == ["OCT406"]


def test_tool_call_literals_and_variables(tmp_path: Path) -> None:
    sections = (
        "input:\n  USER_ID: { type: string }\n\n"
        "tools:\n  create-ticket:\n    description: Create a ticket\n    parameters:\n"
        "      userId: { type: string }\n      priority: { type: string }\n"
        "      note: { type: string, optional: true }\n\n"
        "variables:\n  TICKET: { type: unknown }\n\n"
    )
    blocks = (
        "\n    Ticket:\n      block: tool-call\n      tool: create-ticket\n      input:\n"
        "        userId: USER_ID\n        priority: medium\n        note: URGENT\n"
        "      output: TICKET\n"
    )
    protocol = agent("  input: [USER_ID]\n", sections, blocks)
    assert codes(tmp_path, {"protocol.yaml": protocol}) == ["OCT404"]


# -- prompts and templates -----------------------------------------------------------


def test_enum_literal_through_a_renamed_mapping(tmp_path: Path) -> None:
    sections = "input:\n  PLAN_TIER: { type: string, enum: [free, pro] }\n\n"
    protocol = agent("  input:\n    - TIER: PLAN_TIER\n", sections)
    prompt = '{{#if TIER == "free"}}a{{else if TIER == "team"}}b{{/if}}\n'
    assert found(tmp_path, {"protocol.yaml": protocol, "prompts/system.md": prompt}) == [
        ("OCT213", "prompts/system.md", 1, 42)
    ]


def test_variables_of_included_prompts_are_checked_where_they_are(tmp_path: Path) -> None:
    files: dict[str, str | bytes | None] = {
        "prompts/system.md": "Hello.\n{{@shared/tone.md}}\n",
        "prompts/shared/tone.md": "Speak for {{COMPANY}}.\n{{#if !VIP}}x{{/if}}\n",
    }
    assert found(tmp_path, files) == [
        ("OCT214", "prompts/shared/tone.md", 1, 11),
        ("OCT212", "prompts/shared/tone.md", 2, 1),
    ]


def test_a_prompt_rendered_twice_is_reported_once(tmp_path: Path) -> None:
    blocks = (
        "\n    Again:\n      block: add-message\n      role: user\n      prompt: user-message\n"
    )
    result = validate_files(tmp_path / "a", {"protocol.yaml": agent(blocks=blocks)})
    (warning,) = result.warnings
    assert warning.code == "OCT214"
    assert (
        warning.message == '{{USER_MESSAGE}} is not passed by block "Again"; it is left as written'
    )


def test_include_cycle_of_three(tmp_path: Path) -> None:
    files: dict[str, str | bytes | None] = {
        "prompts/system.md": "{{@a.md}}",
        "prompts/a.md": "{{@b.md}}",
        "prompts/b.md": "{{@system.md}}",
    }
    result = validate_files(tmp_path / "a", files)
    (cycle,) = result.errors
    assert (cycle.code, cycle.file) == ("OCT203", "prompts/b.md")
    assert cycle.message.endswith("system.md -> a.md -> b.md -> system.md")


def test_a_misspelt_prompt_is_not_also_unused(tmp_path: Path) -> None:
    protocol = BASE_INTERACTIVE.replace("system: system", "system: sytem")
    assert codes(tmp_path, {"protocol.yaml": protocol}) == ["OCT201"]


def test_prompt_names_with_md_get_a_hint(tmp_path: Path) -> None:
    protocol = BASE_INTERACTIVE.replace("system: system", "system: prompts/system.md")
    (error,) = validate_files(tmp_path / "a", {"protocol.yaml": protocol}).errors
    assert error.hint == 'Name prompts without "prompts/" and ".md": write system.'


# -- threads -------------------------------------------------------------------------


def test_workers_have_no_main_thread(tmp_path: Path) -> None:
    protocol = BASE_WORKER.replace("    thread: work\n    output: RESULT", "    output: RESULT")
    assert found(tmp_path, {"protocol.yaml": protocol}, fmt="worker") == [
        ("OCT411", "protocol.yaml", 21, 3)
    ]


def test_interactive_threads(tmp_path: Path) -> None:
    blocks = (
        "\n    Summarize:\n      block: next-message\n      thread: summary\n"
        "\n    Start:\n      block: start-thread\n      thread: summary\n"
        "      model: anthropic/claude-haiku-4-5\n      system: system\n"
        "\n    Main:\n      block: next-message\n      thread: main\n"
    )
    result = validate_files(tmp_path / "a", {"protocol.yaml": agent(blocks=blocks)})
    (error,) = result.errors
    assert error.code == "OCT411"
    assert (
        error.message
        == 'block "Summarize" uses thread "summary", which is started only by a later block'
    )


# -- models and config ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("openai/gpt-4o", ["OCT603"]),
        ("vercel/anthropic/claude-sonnet-4-5", []),
        ("openrouter/openai/gpt-4o", ["OCT603"]),
        ("MODEL", []),
    ],
)
def test_provider_options(tmp_path: Path, model: str, expected: list[str]) -> None:
    sections = "input:\n  MODEL: { type: string }\n\n"
    protocol = sections + BASE_INTERACTIVE.replace(
        "  model: anthropic/claude-sonnet-4-5\n  system: system\n",
        f"  model: {model}\n  system: system\n  input: [MODEL]\n"
        "  anthropic:\n    skills:\n      pdf: { type: anthropic }\n",
    )
    assert codes(tmp_path, {"protocol.yaml": protocol}) == expected


@pytest.mark.parametrize(
    ("model", "warns"),
    [
        ("anthropic/claude-opus-4-6", False),
        ("anthropic/claude-opus-5", False),
        ("vercel/anthropic/claude-opus-4.7", False),
        ("anthropic/claude-opus-4-5", True),
        ("openai/gpt-5", True),
        ("openrouter/anthropic/claude-opus-4.8-fast", True),
    ],
)
def test_fast_mode(tmp_path: Path, model: str, warns: bool) -> None:
    protocol = BASE_INTERACTIVE.replace(
        "  model: anthropic/claude-sonnet-4-5\n", f"  model: {model}\n  speed: fast\n"
    )
    assert ("OCT605" in codes(tmp_path, {"protocol.yaml": protocol})) is warns


def test_config_variables(tmp_path: Path) -> None:
    sections = (
        "input:\n  TEMPERATURE: { type: number, optional: true }\n"
        "  THINKING: { type: boolean, optional: true }\n\n"
        "variables:\n  STEPS: { type: integer }\n\n"
    )
    protocol = agent(
        "  temperature: TEMPERATURE\n  thinking: THINKING\n  maxSteps: STEPS\n  speed: SPEED\n",
        sections,
    )
    result = validate_files(tmp_path / "a", {"protocol.yaml": protocol})
    assert [(d.code, d.path) for d in result.diagnostics] == [
        ("OCT606", "agent.thinking"),
        ("OCT604", "agent.speed"),
    ]


def test_model_without_provider_gets_a_guess(tmp_path: Path) -> None:
    protocol = BASE_INTERACTIVE.replace("anthropic/claude-sonnet-4-5", "gpt-4o")
    (error,) = validate_files(tmp_path / "a", {"protocol.yaml": protocol}).errors
    assert (error.code, error.hint) == ("OCT601", "Did you mean openai/gpt-4o?")


# -- yaml, settings and partial folders -----------------------------------------------


def test_syntax_error_still_checks_the_prompts(tmp_path: Path) -> None:
    files: dict[str, str | bytes | None] = {
        "protocol.yaml": "agent:\n  model: [a\n",
        "prompts/system.md": "{{#if A}}\n",
    }
    assert [c for c, *_ in found(tmp_path, files)] == ["OCT210", "OCT101"]


def test_bad_settings_still_checks_the_protocol(tmp_path: Path) -> None:
    files: dict[str, str | bytes | None] = {
        "settings.json": '{"slug": "Bad Slug", "name": "x", "format": "worker"}',
        "protocol.yaml": BASE_WORKER.replace("system: system", "system: sytem"),
        "prompts/system.md": "Hello\n",
        "prompts/request.md": "{{TOPIC}}\n",
    }
    result = validate_files(tmp_path / "a", files)
    assert [(d.code, d.file) for d in result.errors] == [
        ("OCT201", "protocol.yaml"),
        ("OCT004", "settings.json"),
    ]
    assert result.slug is None


def test_unreadable_prompt_is_not_also_missing(tmp_path: Path) -> None:
    result = validate_files(tmp_path / "a", {"prompts/system.md": b"caf\xe9\n"})
    assert [d.code for d in result.diagnostics] == ["OCT005"]


def test_settings_unknown_key(tmp_path: Path) -> None:
    settings = (
        '{\n  "slug": "my-agent",\n  "name": "x",\n  "format": "interactive",\n  "fromat": 1\n}\n'
    )
    result = validate_files(tmp_path / "a", {"settings.json": settings})
    (warning,) = result.warnings
    assert where(warning) == ("OCT114", "settings.json", 5, 3)
    assert warning.message == 'unknown key "fromat" in settings.json (did you mean "format"?)'


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    assert codes(tmp_path, {"protocol.yaml": "\ufeff" + BASE_INTERACTIVE}) == []


def test_duplicate_blocks_are_errors_and_the_first_is_kept(tmp_path: Path) -> None:
    protocol = (
        BASE_INTERACTIVE + "\n    Respond:\n      block: next-message\n      thread: nowhere\n"
    )
    result = validate_files(tmp_path / "a", {"protocol.yaml": protocol})
    assert [where(d) for d in result.diagnostics] == [("OCT102", "protocol.yaml", 21, 5)]


def test_unused_reference_and_the_worker_hint(tmp_path: Path) -> None:
    reference = "---\ndescription: Sources\n---\nUse good ones.\n"
    result = validate_files(tmp_path / "a", {"references/sources.md": reference}, fmt="worker")
    (warning,) = result.warnings
    assert where(warning) == ("OCT307", "references/sources.md", 1, 1)
    assert warning.hint == "Add it to a start-thread's references, or delete the file."
