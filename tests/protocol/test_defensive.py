"""Wrong shapes everywhere: findings with positions, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from octavus_cli.protocol.folder import AgentDefinition, AgentSettings, Prompt
from octavus_cli.protocol.validate import validate_definition
from tests.protocol.helpers import no_internal_errors

NASTY = {
    "empty": "",
    "only a comment": "# nothing here\n",
    "a list": "- triggers\n- agent\n",
    "a number": "42\n",
    "a string": "hello\n",
    "null sections": "triggers:\nagent:\nhandlers:\ntools:\ntypes:\ninput:\n",
    "lists for mappings": "triggers: [a, b]\nagent: [model]\nhandlers: [x]\ntools: [t]\n",
    "numbers as names": "triggers:\n  1: {}\nhandlers:\n  1:\n    2: {block: next-message}\n"
    "agent: {model: 3, system: 4, tools: [5, 6], input: [7, {8: 9}]}\n",
    "null blocks": "triggers: {go: {}}\nagent: {model: a/b, system: system}\n"
    "handlers:\n  go:\n    First:\n    Second: ~\n    Third: []\n    Fourth: text\n",
    "blocks without kind": "triggers: {go: {}}\nagent: {model: a/b, system: system}\n"
    "handlers: {go: {A: {prompt: x}, B: {block: 12}, C: {block: [x]}}}\n",
    "wrong field types": "triggers: {go: {input: [X]}}\nagent:\n  model: [a]\n  system: {x: 1}\n"
    "  input: 5\n  temperature: hot\n  maxSteps: -1\n  tools: {a: b}\n  anthropic: [x]\n"
    "handlers:\n  go:\n"
    "    A: {block: add-message, role: 5, input: {X: [Y]}, files: F, uiContent: []}\n"
    "    B: {block: tool-call, tool: [t], input: [a]}\n"
    "    C: {block: start-thread, thread: [], system: 5, tools: 3, references: x}\n",
    "broken types": "types:\n  A: 5\n  B: []\n  C: {anyOf: A, discriminator: [x]}\n"
    "  D: {type: array, items: 7}\n  E: {x: {type: array, items: {type: E}}}\n"
    "  F: {anyOf: [A, B, Z], discriminator: k}\n"
    "variables: {V: {type: 5}, W: {type: 'E[][]'}, X: {type: '[]'}}\n",
    "deep nesting": "a: " + "[" * 60 + "]" * 60 + "\n",
    "anchors": "x: &x {block: next-message}\nhandlers: {go: {A: *x, B: *x}}\ntriggers: {go: {}}\n"
    "agent: {model: a/b, system: system}\n",
    "tabs": "agent:\n\tmodel: a/b\n",
    "duplicate everything": "agent: {model: a/b, system: system}\nagent: {}\n"
    "triggers: {go: {}, go: {}}\nhandlers: {go: {A: {block: next-message}, A: {}}}\n",
    "worker sections in interactive": "steps: {A: {block: next-message}}\noutput: [X]\n",
    "control characters": "agent:\n  model: a/b\x07\n",
    "binary-ish": "\x00\x01\x02",
    "weird keys": "? [a, b]\n: c\n",
    "multi document": "agent: {}\n---\nagent: {}\n",
    "prompts named oddly": "triggers: {go: {}}\nagent: {model: a/b, system: '../x'}\n"
    "handlers: {go: {A: {block: add-message, prompt: '', input: []}}}\n",
    "enum and defaults of every kind": "input:\n"
    "  A: {type: string, enum: [1, {x: 1}, [2]], default: {y: 2}}\n"
    "  B: {type: integer, default: 1.5}\n  C: {type: X[], default: 3}\n"
    "triggers: {go: {input: {D: {type: boolean, enum: [true], default: 'no'}}}}\n",
}

PROMPTS = (
    Prompt("system", '{{#if A == "1"}}{{@x.md}}{{else if}}{{/if}}{{/if}} {{A.b}}'),
    Prompt("x", "{{@system.md}}{{#if}}"),
)


@pytest.mark.parametrize("name", list(NASTY))
@pytest.mark.parametrize("fmt", ["interactive", "worker"])
def test_nasty_protocols_give_findings_not_crashes(name: str, fmt: str) -> None:
    text = NASTY[name]
    definition = AgentDefinition(AgentSettings("my-agent", "My agent", fmt), text, PROMPTS)
    diagnostics = validate_definition(definition)
    no_internal_errors(diagnostics)
    assert diagnostics, "a broken protocol must be reported"
    assert any(d.is_error for d in diagnostics) or name in ("worker sections in interactive",)
    lines = max(text.count("\n") + 1, 1)
    for diag in diagnostics:
        assert diag.line >= 1
        assert diag.column >= 1
        if diag.file == "protocol.yaml":
            assert diag.line <= lines + 1, diag
    assert diagnostics == sorted(diagnostics, key=lambda d: d.sort_key())


def test_worker_output_of_the_wrong_type(tmp_path: Path) -> None:
    definition = AgentDefinition(
        AgentSettings("w", "W", "worker"), "steps: {}\noutput: {a: 1}\n", ()
    )
    codes = [d.code for d in validate_definition(definition)]
    assert "OCT111" in codes


def test_a_failing_check_becomes_an_internal_error_finding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from octavus_cli.protocol import registry

    def broken_check(ctx: object) -> list[object]:
        raise RuntimeError("boom")

    monkeypatch.setattr(registry, "CHECKS", [*registry.all_checks(), broken_check])
    definition = AgentDefinition(
        AgentSettings("my-agent", "My agent", "interactive"), "agent: 5\n", PROMPTS
    )
    diagnostics = validate_definition(definition)
    internal = [d for d in diagnostics if d.code == "OCT000"]
    assert len(internal) == 1
    assert internal[0].message == "check broken_check failed: RuntimeError: boom"
    assert any(d.code == "OCT111" for d in diagnostics)
