"""Session messages: one stored shape, two views.

Messages are stored in the ``UIMessage`` shape of the API reference
(``{id, role, parts, status, createdAt}``, parts ``text``, ``reasoning``,
``tool-call``, ``operation``, ``object``), plus a ``visible`` flag on messages
and parts for content the model sees but a user does not (hidden blocks,
``visible: false`` directives).

* :func:`ui_view` -- ``GET ...?format=ui``: visible user/assistant content only.
* :func:`full_view` -- ``GET`` without format: every message (hidden ones too),
  each part carrying both the UI fields and the internal ``ChatMessage`` fields
  (``visible``, ``content``, ``toolCall``), so readers of either shape work.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from octavus_cli.emulator.ids import iso_now, new_message_id

Message = dict[str, Any]
Part = dict[str, Any]


def new_message(role: str, *, message_id: str | None = None, visible: bool = True) -> Message:
    return {
        "id": message_id or new_message_id(),
        "role": role,
        "parts": [],
        "status": "done",
        "createdAt": iso_now(),
        "visible": visible,
    }


def text_part(text: str, *, visible: bool = True, thread: str | None = None) -> Part:
    part: Part = {"type": "text", "text": text, "status": "done", "visible": visible}
    if thread:
        part["thread"] = thread
    return part


def reasoning_part(text: str, *, visible: bool = True, thread: str | None = None) -> Part:
    part: Part = {"type": "reasoning", "text": text, "status": "done", "visible": visible}
    if thread:
        part["thread"] = thread
    return part


def tool_call_part(
    call_id: str,
    tool: str,
    args: Mapping[str, Any],
    *,
    display_name: str | None = None,
    visible: bool = True,
    thread: str | None = None,
) -> Part:
    part: Part = {
        "type": "tool-call",
        "toolCallId": call_id,
        "toolName": tool,
        "args": dict(args),
        "status": "running",
        "visible": visible,
    }
    if display_name:
        part["displayName"] = display_name
    if thread:
        part["thread"] = thread
    return part


def operation_part(
    operation_id: str, name: str, operation_type: str, *, thread: str | None = None
) -> Part:
    part: Part = {
        "type": "operation",
        "operationId": operation_id,
        "name": name,
        "operationType": operation_type,
        "status": "done",
        "visible": True,
    }
    if thread:
        part["thread"] = thread
    return part


def object_part(
    object_id: str, type_name: str, value: Any, *, visible: bool = True, thread: str | None = None
) -> Part:
    part: Part = {
        "type": "object",
        "id": object_id,
        "typeName": type_name,
        "object": value,
        "status": "done",
        "visible": visible,
    }
    if thread:
        part["thread"] = thread
    return part


def find_tool_part(messages: Sequence[Message], call_id: str) -> Part | None:
    for message in reversed(messages):
        parts: list[Part] = message.get("parts", [])
        for part in parts:
            if part.get("type") == "tool-call" and part.get("toolCallId") == call_id:
                return part
    return None


def message_text(message: Mapping[str, Any]) -> str:
    return "".join(
        str(part.get("text", "")) for part in message.get("parts", []) if part.get("type") == "text"
    )


# -- views ---------------------------------------------------------------------------------


def _public_part(part: Mapping[str, Any]) -> Part:
    return {k: copy.deepcopy(v) for k, v in part.items() if k != "visible"}


def ui_view(messages: Iterable[Mapping[str, Any]]) -> list[Message]:
    """What a user sees: visible user/assistant messages with their visible parts."""
    view: list[Message] = []
    for message in messages:
        if message.get("role") not in ("user", "assistant") or message.get("visible") is False:
            continue
        parts = [_public_part(p) for p in message.get("parts", []) if p.get("visible", True)]
        if not parts:
            continue
        item = {k: copy.deepcopy(v) for k, v in message.items() if k not in ("visible", "parts")}
        item["parts"] = parts
        view.append(item)
    return view


_TOOL_STATUS = {"running": "pending", "pending": "pending", "done": "available", "error": "error"}


def _full_part(part: Mapping[str, Any]) -> Part | None:
    kind = part.get("type")
    if kind == "operation":
        return None  # not a ChatMessage part type
    item = _public_part(part)
    item["visible"] = bool(part.get("visible", True))
    if kind in ("text", "reasoning"):
        item["content"] = str(part.get("text", ""))
    elif kind == "tool-call":
        info: dict[str, Any] = {
            "id": part.get("toolCallId"),
            "name": part.get("toolName"),
            "arguments": copy.deepcopy(part.get("args", {})),
            "status": _TOOL_STATUS.get(str(part.get("status")), "pending"),
        }
        if "result" in part:
            info["result"] = copy.deepcopy(part["result"])
        if "error" in part:
            info["error"] = part["error"]
        item["toolCall"] = info
    elif kind == "object":
        item["object"] = {
            "id": part.get("id"),
            "typeName": part.get("typeName"),
            "value": copy.deepcopy(part.get("object")),
        }
    return item


def full_view(messages: Iterable[Mapping[str, Any]]) -> list[Message]:
    """Every message, parts in both the UI and the internal shape."""
    view: list[Message] = []
    for message in messages:
        parts = [p for p in (_full_part(part) for part in message.get("parts", [])) if p]
        item = {k: copy.deepcopy(v) for k, v in message.items() if k != "parts"}
        item["parts"] = parts
        item["visible"] = bool(message.get("visible", True))
        item["content"] = message_text(message)
        view.append(item)
    return view


def from_restored(messages: Sequence[Any]) -> list[Message]:
    """Stored ``UIMessage[]`` from a restore body, in the stored shape."""
    restored: list[Message] = []
    for index, raw in enumerate(messages):
        if not isinstance(raw, Mapping) or raw.get("role") not in ("user", "assistant", "system"):
            raise ValueError(f"messages[{index}] must be a UIMessage with role user or assistant")
        parts_raw = raw.get("parts", [])
        if not isinstance(parts_raw, list):
            raise ValueError(f"messages[{index}].parts must be an array")
        parts: list[Part] = []
        for part in parts_raw:
            if not isinstance(part, Mapping) or not isinstance(part.get("type"), str):
                raise ValueError(f"messages[{index}].parts holds an item without a type")
            item = copy.deepcopy(dict(part))
            item.setdefault("visible", True)
            parts.append(item)
        message = new_message(str(raw["role"]))
        for key in ("id", "createdAt", "status"):
            if isinstance(raw.get(key), str):
                message[key] = raw[key]
        message["parts"] = parts
        restored.append(message)
    return restored
