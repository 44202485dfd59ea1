"""The emulator's pure parts: prompt rendering, the model, inputs, workforce timing."""

from __future__ import annotations

from typing import Any

import pytest

from octavus_cli.emulator.inputs import InputError, check_inputs, with_defaults
from octavus_cli.emulator.model import chunks, example_value, plan_turn, reply_after_tools
from octavus_cli.emulator.prompts import condition_holds, render
from octavus_cli.emulator.workforce import Run, WorkforceDurations, WorkforceThread
from octavus_cli.protocol.model import build_model

# -- prompts ------------------------------------------------------------------------------------


def lookup(prompts: dict[str, str]) -> Any:
    return prompts.get


def test_variables_are_replaced_when_mapped_and_kept_otherwise() -> None:
    text = "Hi {{NAME}}, your plan: {{PLAN}}. {{ OBJ }} {{lower}}"
    out = render(text, {"NAME": "Ada", "OBJ": {"a": [1, True]}}, lookup({}))
    assert out == 'Hi Ada, your plan: {{PLAN}}. {"a": [1, true]} {{lower}}'


def test_includes_are_expanded_recursively_before_variables() -> None:
    prompts = {
        "shared/tone": "Tone for {{COMPANY}}.\n{{@shared/deeper.md}}",
        "shared/deeper": "Deep.",
        "loop": "{{@loop.md}}",
    }
    out = render("A\n{{@shared/tone.md}}\n{{@missing.md}}", {"COMPANY": "Acme"}, lookup(prompts))
    assert out == "A\nTone for Acme.\nDeep.\n{{@missing.md}}"
    assert render("{{@loop.md}}", {}, lookup(prompts)) == "{{@loop.md}}"


@pytest.mark.parametrize(
    ("condition", "values", "expected"),
    [
        ("FLAG", {"FLAG": True}, True),
        ("FLAG", {"FLAG": "false"}, False),
        ("FLAG", {"FLAG": "0"}, False),
        ("FLAG", {"FLAG": ""}, False),
        ("FLAG", {}, False),
        ("!FLAG", {}, True),
        ("!FLAG", {"FLAG": "yes"}, False),
        ('TIER == "free"', {"TIER": "free"}, True),
        ('TIER == "free"', {"TIER": "Free"}, False),
        ('TIER != "free"', {"TIER": "pro"}, True),
        ('TIER != "free"', {}, True),
        ('COUNT == "0"', {"COUNT": 0}, True),
        ('ON == "true"', {"ON": True}, True),
        # One grammar with the validator: a lowercase name parses (OCT501 reports the
        # naming problem), so it is evaluated like any other variable.
        ("lower", {"lower": True}, True),
        # Malformed conditions never hold.
        ('!FLAG == "x"', {"FLAG": "x"}, False),
        ("A and B", {"A": True, "B": True}, False),
        ("TIER == 'free'", {"TIER": "free"}, False),
    ],
)
def test_conditions(condition: str, values: dict[str, Any], expected: bool) -> None:
    assert condition_holds(condition, values) is expected


def test_conditionals_pick_the_first_branch_and_take_standalone_lines() -> None:
    text = (
        "Start\n"
        '{{#if TIER == "free"}}\n'
        "Free\n"
        '{{else if TIER == "pro"}}\n'
        "Pro {{#if SEATS}}with seats{{/if}}\n"
        "{{else}}\n"
        "Team\n"
        "{{/if}}\n"
        "End"
    )
    assert render(text, {"TIER": "free"}, lookup({})) == "Start\nFree\nEnd"
    assert render(text, {"TIER": "pro", "SEATS": 3}, lookup({})) == "Start\nPro with seats\nEnd"
    assert render(text, {"TIER": "pro"}, lookup({})) == "Start\nPro \nEnd"
    assert render(text, {}, lookup({})) == "Start\nTeam\nEnd"


def test_unbalanced_conditionals_are_left_as_written() -> None:
    for text in ("{{#if A}}open", "close{{/if}}", "{{else}}", "{{#if A}}{{else}}{{else}}{{/if}}"):
        assert render(text, {"A": True}, lookup({})) == text


# -- the model ------------------------------------------------------------------------------------


def test_chunks_join_back_to_the_text() -> None:
    text = "You said:  two\nlines  here"
    assert chunks(text) == ["You", " said:", "  two", "\nlines", "  here"]
    assert "".join(chunks(text)) == text


def test_plain_reply_and_named_threads() -> None:
    assert plan_turn("hi", thread="main", tools=[], system=None).text == "You said: hi"
    assert plan_turn("hi", thread="summary", tools=[], system=None).text == (
        "[summary] You said: hi"
    )
    assert plan_turn(None, thread="main", tools=[], system=None).text.startswith("Hello!")
    long = plan_turn(" ".join(["word"] * 100), thread="main", tools=[], system=None).text
    assert long.endswith(" …")


def test_call_parsing() -> None:
    turn = plan_turn('/call lookup {"id": 7}', thread="main", tools=["lookup"], system=None)
    assert (turn.tool_name, turn.tool_args) == ("lookup", {"id": 7})
    bare = plan_turn("/call lookup", thread="main", tools=["lookup"], system=None)
    assert (bare.tool_name, bare.tool_args) == ("lookup", {})
    bad = plan_turn("/call lookup {nope", thread="main", tools=["lookup"], system=None)
    assert bad.tool_name is None
    assert "not valid JSON" in bad.text
    not_object = plan_turn("/call lookup [1]", thread="main", tools=["lookup"], system=None)
    assert "must be a JSON object" in not_object.text
    usage = plan_turn("/call", thread="main", tools=["lookup"], system=None)
    assert usage.text.startswith("Usage:")
    repeated = plan_turn(
        "/call lookup", thread="main", tools=["lookup"], system=None, can_call=False
    )
    assert repeated.tool_name is None


def test_prefixes_combine() -> None:
    turn = plan_turn("/wait 0.5 /think /call x {}", thread="main", tools=["x"], system=None)
    assert turn.wait == 0.5
    assert turn.reasoning is not None
    assert turn.tool_name == "x"
    capped = plan_turn("/wait 9999 hi", thread="main", tools=[], system=None)
    assert capped.wait == 300
    not_a_number = plan_turn("/wait soon hi", thread="main", tools=[], system=None)
    assert (not_a_number.wait, not_a_number.text) == (0, "You said: soon hi")


def test_error_and_system() -> None:
    assert plan_turn("/error", thread="main", tools=[], system=None).error
    assert plan_turn("/error Down", thread="main", tools=[], system=None).error == "Down"
    assert plan_turn("/system", thread="main", tools=[], system=" Be kind. ").text == "Be kind."
    assert "no system prompt" in plan_turn("/system", thread="main", tools=[], system="").text


def test_reply_after_tools() -> None:
    text = reply_after_tools([("a", {"y": 1, "x": 2}, None), ("b", None, "nope")])
    assert text == 'The tool a returned {"x": 2, "y": 1}. The tool b failed: nope.'


def test_example_values_of_types() -> None:
    types = {
        "Item": {"sku": {"type": "string"}, "qty": {"type": "integer"}},
        "Order": {
            "id": {"type": "string"},
            "kind": {"type": "string", "const": "order"},
            "status": {"type": "string", "enum": ["open", "closed"]},
            "items": {"type": "Item[]"},
            "main": {"type": "Item"},
            "note": {"type": "string", "optional": True},
            "paid": {"type": "boolean"},
        },
        "Orders": {"type": "array", "items": {"type": "Order"}},
    }
    assert example_value("Order", types) == {
        "id": "example",
        "kind": "order",
        "status": "open",
        "items": [],
        "main": {"sku": "example", "qty": 1},
        "paid": False,
    }
    assert example_value("Orders", types) == []
    assert example_value("Unknown", types) is None


# -- inputs ---------------------------------------------------------------------------------------

DECLARED = build_model(
    """
input:
  NAME: {type: string}
  TIER: {type: string, enum: [free, pro]}
  COUNT: {type: integer, optional: true}
  RATE: {type: number, optional: true}
  ON: {type: boolean, default: true}
  TAGS: {type: "string[]", optional: true}
  ANY: {type: Custom, optional: true}
"""
).inputs


def test_inputs_accept_valid_values() -> None:
    check_inputs(
        DECLARED,
        {"NAME": "x", "TIER": "pro", "COUNT": 2.0, "RATE": 1, "TAGS": [], "ANY": {}},
        what="session",
    )


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"TIER": "free"}, "Missing required session input: NAME"),
        ({}, "Missing required session inputs: NAME, TIER"),
        ({"NAME": 1, "TIER": "free"}, "Session input NAME must be string, got 1"),
        ({"NAME": "x", "TIER": "gold"}, 'TIER must be one of free, pro, got "gold"'),
        ({"NAME": "x", "TIER": "free", "COUNT": True}, "COUNT must be integer"),
        ({"NAME": "x", "TIER": "free", "ON": "yes"}, "ON must be boolean"),
        ({"NAME": "x", "TIER": "free", "TAGS": "a"}, "TAGS must be string[]"),
    ],
)
def test_inputs_reject_with_the_input_named(given: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=message.replace("[", r"\[").replace("]", r"\]")):
        check_inputs(DECLARED, given, what="session")


def test_defaults_fill_missing_optional_inputs() -> None:
    values = with_defaults(DECLARED, {"NAME": "x"})
    assert values["ON"] is True
    assert values["COUNT"] == "NONE"
    assert values["NAME"] == "x"


# -- workforce timing -----------------------------------------------------------------------------


def make_thread(*messages: str, durations: WorkforceDurations) -> WorkforceThread:
    thread = WorkforceThread(id="t", agent_id="a", created=0.0)
    for message in messages:
        thread.runs.append(Run.for_message(message, durations, 0.0, []))
    return thread


def test_runs_follow_one_another() -> None:
    durations = WorkforceDurations(pending=1, running=2)
    thread = make_thread("one", "two", durations=durations)
    timeline = [thread.status(t)[0] for t in (0.5, 1.5, 3.5, 4.5, 6.5)]
    assert timeline == ["pending", "running", "pending", "running", "completed"]
    assert len(thread.messages(2.9)) == 2  # one and two dispatched, no reply yet
    assert len(thread.messages(3.0)) == 3
    assert len(thread.messages(6.0)) == 4


def test_markers_and_cancel() -> None:
    durations = WorkforceDurations(pending=1, running=1, slow=100)
    assert make_thread("x [fail]", durations=durations).status(5)[0] == "failed"
    assert make_thread("x [cancel]", durations=durations).status(5) == ("cancelled", None)
    slow = make_thread("x [slow]", durations=durations)
    assert slow.status(50)[0] == "running"
    slow.cancel(50)
    assert slow.status(50.1)[0] == "cancelled"
    assert WorkforceThread(id="t", agent_id="a").status()[0] == "idle"


def test_threads_round_trip_through_json() -> None:
    thread = make_thread("a", "b [slow]", durations=WorkforceDurations())
    thread.cancel(0.5)
    again = WorkforceThread.from_json(thread.to_json())
    assert again.to_json() == thread.to_json()
    assert again.view(10) == thread.view(10)
