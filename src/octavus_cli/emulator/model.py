"""The built-in deterministic model that answers ``next-message`` blocks.

It never calls out anywhere: the reply is built from the last user message of
the thread, so tests can predict every word. Magic messages (at the start of
the user message; ``/wait`` and ``/think`` can prefix the others):

==============================  ===========================================================
message                         what the model does
==============================  ===========================================================
``anything else``               replies ``You said: <message>`` (``[thread] You said: ...``
                                in a named thread), streamed word by word
``/call TOOL {"arg": 1}``       requests the tool call from the client (JSON args optional)
                                when the thread has TOOL; after the continuation it says
                                ``The tool TOOL returned <result>.``
``/think TEXT``                 streams reasoning first, then answers TEXT
``/error [MESSAGE]``            emits an ``error`` event (provider_error) and ends the stream
``/wait SECONDS [TEXT]``        waits (heartbeats keep flowing, max 300 s), then answers TEXT
``/system``                     replies with the thread's rendered system prompt
==============================  ===========================================================
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from octavus_cli.records import record

MAX_WAIT_SECONDS = 300.0
EXCERPT_WORDS = 60
GREETING = "Hello! I am the Octavus emulator's deterministic model."
_WORD = re.compile(r"\s*\S+")


@record(frozen=False)
class ModelTurn:
    text: str = ""
    reasoning: str | None = None
    tool_name: str | None = None
    tool_args: dict[str, Any] | None = None
    error: str | None = None
    wait: float = 0.0


def chunks(text: str) -> list[str]:
    """Word-sized deltas (each with its leading whitespace); they join back to the text."""
    return _WORD.findall(text)


def excerpt(text: str, words: int = EXCERPT_WORDS) -> str:
    parts = text.split()
    short = " ".join(parts[:words])
    return short + " …" if len(parts) > words else short


def _split_command(text: str) -> tuple[str, str]:
    head, _, rest = text.partition(" ")
    return head, rest.strip()


def plan_turn(
    user_text: str | None,
    *,
    thread: str,
    tools: Sequence[str],
    system: str | None,
    can_call: bool = True,
) -> ModelTurn:
    """What the model does for the last user message ``user_text`` of ``thread``."""
    turn = ModelTurn()
    text = (user_text or "").strip()
    while True:
        command, rest = _split_command(text)
        if command == "/wait":
            seconds_text, _, rest = rest.partition(" ")
            try:
                turn.wait += max(0.0, min(float(seconds_text), MAX_WAIT_SECONDS))
            except ValueError:
                rest = f"{seconds_text} {rest}".strip()
            text = rest.strip()
        elif command == "/think":
            turn.reasoning = f"The user wrote: {excerpt(rest) or '(nothing)'}. I will answer it."
            text = rest
        else:
            break
    command, rest = _split_command(text)
    if command == "/error":
        turn.error = rest or "The emulator's model failed on purpose (/error)"
    elif command == "/system":
        turn.text = (
            system.strip() if system and system.strip() else "(this thread has no system prompt)"
        )
    elif command == "/call" and can_call:
        _plan_call(turn, rest, tools)
    else:
        turn.text = reply_to(text, thread)
    return turn


def _plan_call(turn: ModelTurn, rest: str, tools: Sequence[str]) -> None:
    name, _, raw_args = rest.partition(" ")
    if not name:
        turn.text = 'Usage: /call TOOL {"argument": "value"}'
        return
    if name not in tools:
        available = ", ".join(tools) if tools else "none"
        turn.text = f"I cannot call {name}: it is not available here. Available tools: {available}."
        return
    args: Any = {}
    if raw_args.strip():
        try:
            args = json.loads(raw_args)
        except json.JSONDecodeError as exc:
            turn.text = f"The arguments of /call {name} are not valid JSON: {exc.msg}."
            return
    if not isinstance(args, dict):
        turn.text = f"The arguments of /call {name} must be a JSON object."
        return
    turn.tool_name = name
    turn.tool_args = args


def reply_to(text: str, thread: str) -> str:
    if not text:
        return GREETING
    prefix = "" if thread == "main" else f"[{thread}] "
    return f"{prefix}You said: {excerpt(text)}"


def reply_after_tools(results: Sequence[tuple[str, Any, str | None]]) -> str:
    """The answer after tool results ``(tool, result, error)`` came back."""
    sentences = []
    for tool, result, error in results:
        if error is not None:
            sentences.append(f"The tool {tool} failed: {excerpt(error, 30)}.")
        else:
            shown = json.dumps(result, ensure_ascii=False, sort_keys=True)
            sentences.append(f"The tool {tool} returned {excerpt(shown, 30)}.")
    return " ".join(sentences)


def example_value(type_spec: Any, types: Mapping[str, Any], depth: int = 0) -> Any:
    """A deterministic value of a protocol type, for structured output (``responseType``)."""
    if depth > 6:
        return None
    if isinstance(type_spec, Mapping):
        if "const" in type_spec:
            return type_spec["const"]
        enum = type_spec.get("enum")
        if isinstance(enum, list) and enum:
            return enum[0]
        if "type" not in type_spec:  # a bare property mapping
            return _example_object(type_spec, types, depth)
        type_spec = type_spec.get("type")
    if not isinstance(type_spec, str):
        return None
    if type_spec.endswith("[]") or type_spec == "array":
        return []
    primitives: dict[str, Any] = {
        "string": "example",
        "integer": 1,
        "number": 1,
        "boolean": False,
        "unknown": None,
        "object": {},
    }
    if type_spec in primitives:
        return primitives[type_spec]
    definition = types.get(type_spec)
    if isinstance(definition, Mapping):
        if "type" in definition and not isinstance(definition.get("type"), Mapping):
            return example_value(definition, types, depth + 1)
        return _example_object(definition, types, depth)
    return None


def _example_object(properties: Mapping[str, Any], types: Mapping[str, Any], depth: int) -> Any:
    """The required properties of a custom type, each with an example value."""
    return {
        str(name): example_value(spec, types, depth + 1)
        for name, spec in properties.items()
        if not (isinstance(spec, Mapping) and spec.get("optional") is True)
    }
