"""The session engine: runs a trigger's handler block by block, deterministically.

An :class:`Execution` walks the blocks of one handler (or of a worker's steps).
It pauses when a tool must run on the client -- a ``tool-call`` block, or a
``/call`` message answered by ``next-message`` -- and resumes with the results
of a continuation. Events go to an :class:`EventSink` (the SSE stream) as they
happen; the engine never writes ``finish`` or ``[DONE]`` itself: the caller does,
after it has saved the session and released it, so a client that reacts to
``finish`` at once never finds the session busy.

Block kinds:

* ``add-message`` renders its prompt with the mapped inputs into the thread; on the
  main thread a visible user message also becomes a chat message.
* ``next-message`` asks the deterministic model (:mod:`octavus_cli.emulator.model`)
  and streams its reply word by word (only with ``display: stream``); with
  ``responseType`` it produces an example object of that type.
* ``tool-call`` requests the tool from the client (``outputVariable``, ``blockIndex``).
* ``set-resource`` stores the value and emits ``resource-update``.
* ``start-thread`` / ``serialize-thread`` work on named threads.
* Any other kind emits a short explanatory text and sets its ``output`` to a placeholder.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from enum import Enum
from typing import Any, Protocol

from octavus_cli.emulator.ids import new_call_id, new_message_id, new_part_id
from octavus_cli.emulator.inputs import with_defaults
from octavus_cli.emulator.logs import EMULATED_MODEL, EMULATED_PROVIDER
from octavus_cli.emulator.messages import (
    Message,
    Part,
    find_tool_part,
    new_message,
    object_part,
    operation_part,
    reasoning_part,
    text_part,
    tool_call_part,
)
from octavus_cli.emulator.model import chunks, example_value, plan_turn, reply_after_tools
from octavus_cli.emulator.prompts import render
from octavus_cli.emulator.sse import StreamClosed
from octavus_cli.emulator.state import SessionState, ThreadState
from octavus_cli.emulator.store import AgentRecord
from octavus_cli.protocol.model import (
    DEFAULT_TOOL_DISPLAY,
    MAIN_THREAD,
    Block,
    ProtocolModel,
    string_list,
)
from octavus_cli.records import field, record

Event = dict[str, Any]


class EventSink(Protocol):
    """Where events go (the SSE stream); ``sleep`` waits while heartbeats flow."""

    def send(self, event: Event) -> None: ...

    def sleep(self, seconds: float) -> None: ...


class Outcome(Enum):
    FINISHED = "finished"  # ran every block: the caller sends finish "stop"
    PAUSED = "paused"  # waits for tool results: the caller sends finish "tool-calls"
    FAILED = "failed"  # an error event was sent; no finish


class ModelFailure(Exception):
    """The model was asked to fail (``/error``)."""


@record(frozen=False)
class PendingCall:
    """A tool call the client must run before the execution can go on."""

    tool_call_id: str
    tool_name: str
    args: dict[str, Any]
    source: str  # "llm" (next-message) or "block" (tool-call block)
    output_variable: str | None = None
    block_index: int | None = None
    thread: str | None = None

    def event_item(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            "toolCallId": self.tool_call_id,
            "toolName": self.tool_name,
            "args": copy.deepcopy(self.args),
            "source": self.source,
        }
        if self.output_variable is not None:
            item["outputVariable"] = self.output_variable
        if self.block_index is not None:
            item["blockIndex"] = self.block_index
        if self.thread is not None:
            item["thread"] = self.thread
        return item


@record(frozen=False)
class Execution:
    """One run of a handler; lives across the continuations of a tool loop."""

    id: str
    session_id: str
    agent: AgentRecord
    protocol: ProtocolModel
    trigger_name: str | None
    trigger_input: dict[str, Any]
    blocks: list[Block]
    message_id: str
    worker: bool = False  # emit worker-start / worker-result (the execute endpoint)
    traced: bool = False  # the request that runs it asked for model request tracing
    index: int = 0
    pending: list[PendingCall] = field(default_factory=list)
    paused_at: float | None = None
    assistant_ids: set[str] = field(default_factory=set)
    output: Any = None

    def block_id(self, block: Block) -> str:
        return f"block_{self.id}_{block.index}"


@record(frozen=False)
class _Pause:
    calls: list[PendingCall]


class Engine:
    def __init__(
        self,
        execution: Execution,
        session: SessionState,
        sink: EventSink,
        *,
        token_delay: float = 0.0,
    ) -> None:
        self.execution = execution
        self.session = session
        self.sink = sink
        self.token_delay = token_delay
        self.protocol = execution.protocol
        self.agent = execution.agent
        trigger_declared = (
            {}
            if execution.trigger_name is None
            else self.protocol.trigger_inputs(execution.trigger_name)
        )
        self._trigger_values = with_defaults(trigger_declared, execution.trigger_input)
        if self.protocol.is_worker:
            self._trigger_values.update(execution.trigger_input)
        self._input_values = with_defaults(self.protocol.inputs, session.input)
        self._declared = self.protocol.all_declared_names | set(execution.trigger_input)

    # -- entry points ----------------------------------------------------------------------
    def start(self) -> Outcome:
        self._send_start()
        if self.execution.worker:
            event: Event = {
                "type": "worker-start",
                "workerId": self.session.id,
                "workerSlug": self.agent.slug,
            }
            if self.agent.description:
                event["description"] = self.agent.description
            self.sink.send(event)
        if not self.protocol.is_worker:
            self._configure_main_thread()
        return self._run()

    def resume(self, results: Mapping[str, Mapping[str, Any]]) -> Outcome:
        """Go on after the client sent ``results`` (by toolCallId) for the pending calls."""
        execution = self.execution
        self._send_start()
        block = execution.blocks[execution.index]
        calls, execution.pending, execution.paused_at = execution.pending, [], None
        try:
            if block.kind == "tool-call":
                self._resume_tool_block(calls, results)
            else:
                self._resume_model(block, calls, results)
        except ModelFailure as failure:
            self._send_error(str(failure))
            return Outcome.FAILED
        self.sink.send({"type": "block-end", "blockId": execution.block_id(block)})
        execution.index += 1
        return self._run()

    # -- the block loop ------------------------------------------------------------------
    def _send_start(self) -> None:
        self.sink.send(
            {
                "type": "start",
                "messageId": self.execution.message_id,
                "executionId": self.execution.id,
                "sessionId": self.session.id,
            }
        )

    def _run(self) -> Outcome:
        execution = self.execution
        while execution.index < len(execution.blocks):
            block = execution.blocks[execution.index]
            self.sink.send(self._block_start(block))
            try:
                pause = self._run_block(block)
            except ModelFailure as failure:
                self._send_error(str(failure))
                return Outcome.FAILED
            if pause is not None:
                execution.pending = pause.calls
                self.sink.send(
                    {"type": "tool-request", "toolCalls": [c.event_item() for c in pause.calls]}
                )
                return Outcome.PAUSED
            self.sink.send({"type": "block-end", "blockId": execution.block_id(block)})
            execution.index += 1
        if execution.worker or self.protocol.is_worker:
            name = self.protocol.output
            execution.output = self.session.variables.get(name) if name else None
        if execution.worker:
            self.sink.send(
                {"type": "worker-result", "workerId": self.session.id, "output": execution.output}
            )
        return Outcome.FINISHED

    def _block_start(self, block: Block) -> Event:
        event: Event = {
            "type": "block-start",
            "blockId": self.execution.block_id(block),
            "blockName": block.name,
            "blockType": _kind(block),
            "display": block.display,
        }
        description = block.text("description")
        if description:
            event["description"] = description
        title = block.text("title")
        if title and block.display == "title":
            event["title"] = title
        if block.kind == "next-message":
            event["outputToChat"] = block.thread == MAIN_THREAD and not self._independent(block)
        if block.thread != MAIN_THREAD or (block.kind == "start-thread"):
            event["thread"] = self._thread_name(block)
        return event

    def _run_block(self, block: Block) -> _Pause | None:
        handlers = {
            "add-message": self._add_message,
            "next-message": self._next_message,
            "tool-call": self._tool_call,
            "set-resource": self._set_resource,
            "start-thread": self._start_thread,
            "serialize-thread": self._serialize_thread,
        }
        handler = handlers.get(_kind(block), self._not_emulated)
        return handler(block)

    def _send_error(self, message: str) -> None:
        self.sink.send(
            {
                "type": "error",
                "errorType": "provider_error",
                "message": message,
                "retryable": False,
                "source": "provider",
                "code": "EMULATED_MODEL_ERROR",
                "provider": {"name": EMULATED_PROVIDER, "model": EMULATED_MODEL},
            }
        )

    # -- scope -----------------------------------------------------------------------------
    def lookup(self, name: str) -> tuple[bool, Any]:
        """The value of variable ``name``: trigger input, variables, resources, session input."""
        for source in (
            self._trigger_values,
            self.session.variables,
            self.session.resources,
            self._input_values,
        ):
            if name in source:
                return True, source[name]
        return False, None

    def _value_or_literal(self, value: Any) -> Any:
        if isinstance(value, str) and value in self._declared:
            return copy.deepcopy(self.lookup(value)[1])
        return copy.deepcopy(value)

    def mapped(self, spec: Any) -> dict[str, Any]:
        """The values a block's ``input`` mapping passes to its prompt (alias -> value)."""
        pairs: list[tuple[str, str]] = []
        items = spec if isinstance(spec, list) else [spec] if spec is not None else []
        for item in items:
            if isinstance(item, str):
                pairs.append((item, item))
            elif isinstance(item, Mapping):
                pairs.extend((str(k), v if isinstance(v, str) else str(k)) for k, v in item.items())
        values: dict[str, Any] = {}
        for alias, source in pairs:
            found, value = self.lookup(source)
            if found:
                values[alias] = value
        return values

    def render_prompt(self, name: str | None, input_spec: Any) -> str:
        if not name:
            return ""
        content = self.agent.prompt(name)
        if content is None:
            return f"(the prompt {name} does not exist)"
        return render(content, self.mapped(input_spec), self.agent.prompt).strip()

    # -- threads and chat messages ---------------------------------------------------------
    def _configure_main_thread(self) -> None:
        agent = self.protocol.agent
        thread = self.session.threads.setdefault(MAIN_THREAD, ThreadState(MAIN_THREAD))
        thread.system = self.render_prompt(agent.system, agent.input)
        thread.tools = list(agent.tools)

    def _thread(self, name: str) -> ThreadState:
        thread = self.session.threads.get(name)
        if thread is None:
            thread = ThreadState(name)
            self.session.threads[name] = thread
        return thread

    def _thread_name(self, block: Block) -> str:
        if block.kind == "start-thread":
            return block.text("thread") or block.name
        return block.thread

    def _tool_display(self, name: str) -> str:
        tool = self.protocol.tools.get(name)
        return tool.display_mode if tool is not None else DEFAULT_TOOL_DISPLAY

    def _tool_title(self, name: str) -> str | None:
        tool = self.protocol.tools.get(name)
        return tool.text("title") if tool is not None else None

    @staticmethod
    def _independent(block: Block) -> bool:
        return block.data.get("independent") is True

    def _assistant(self) -> Message:
        """The assistant message this execution writes to (a new one after a user message)."""
        messages = self.session.messages
        if (
            messages
            and messages[-1].get("role") == "assistant"
            and messages[-1].get("id") in self.execution.assistant_ids
        ):
            return messages[-1]
        message_id = (
            self.execution.message_id
            if self.execution.message_id not in self.execution.assistant_ids
            else new_message_id()
        )
        message = new_message("assistant", message_id=message_id)
        self.execution.assistant_ids.add(message_id)
        messages.append(message)
        return message

    def _add_part(self, part: Part) -> None:
        self._assistant()["parts"].append(part)

    def _stream(self, kind: str, text: str, *, extra: Mapping[str, Any] | None = None) -> None:
        """``text-*`` or ``reasoning-*`` events, one delta per word."""
        span_id = new_part_id("txt" if kind == "text" else "rsn")
        start: Event = {"type": f"{kind}-start", "id": span_id}
        start.update(extra or {})
        self.sink.send(start)
        for piece in chunks(text):
            if self.token_delay > 0:
                self.sink.sleep(self.token_delay)
            self.sink.send({"type": f"{kind}-delta", "id": span_id, "delta": piece})
        self.sink.send({"type": f"{kind}-end", "id": span_id})

    def _stream_keeping_partial(
        self, kind: str, text: str, thread: ThreadState, tag: str | None
    ) -> None:
        """Stream ``text``; when the client goes away midway, keep what was sent (as the
        platform does), then let the stream end."""
        sent: list[str] = []
        inner = self.sink

        class _Recording:
            def send(self, event: Event) -> None:
                inner.send(event)
                if event.get("type") == f"{kind}-delta":
                    sent.append(str(event.get("delta", "")))

            def sleep(self, seconds: float) -> None:
                inner.sleep(seconds)

        self.sink = _Recording()
        try:
            self._stream(kind, text)
        except StreamClosed:
            partial = "".join(sent)
            if partial:
                self._add_part(text_part(partial, thread=tag))
                thread.history.append({"role": "assistant", "content": partial})
            raise
        finally:
            self.sink = inner

    # -- blocks ----------------------------------------------------------------------------
    def _add_message(self, block: Block) -> None:
        role = block.text("role") or "user"
        content = self.render_prompt(block.text("prompt"), block.data.get("input"))
        thread = self._thread(block.thread)
        thread.history.append({"role": role, "content": content})
        visible = block.data.get("visible") is not False
        if block.thread != MAIN_THREAD:
            return
        if not visible:
            # Kept for GET (hidden messages are included there), never in the UI view.
            hidden = new_message(role if role in ("user", "system") else "user", visible=False)
            hidden["parts"].append(text_part(content, visible=False))
            self.session.messages.append(hidden)
            return
        if role == "user":
            message = new_message("user")
            message["parts"].append(self._user_part(block, content))
            message["parts"].extend(self._file_parts(block))
            self.session.messages.append(message)
        elif role == "assistant":
            self._add_part(text_part(content))

    def _file_parts(self, block: Block) -> list[Part]:
        """``files: [FILES]``: the FileReferences of those variables, as file parts."""
        names = block.data.get("files")
        parts: list[Part] = []
        for name in names if isinstance(names, list) else []:
            found, value = self.lookup(str(name))
            refs = value if isinstance(value, list) else [value] if found else []
            for ref in refs:
                if isinstance(ref, Mapping) and isinstance(ref.get("url"), str):
                    part: Part = {"type": "file", "status": "done", "visible": True}
                    for key in ("id", "mediaType", "url", "filename", "size"):
                        if key in ref:
                            part[key] = copy.deepcopy(ref[key])
                    parts.append(part)
        return parts

    def _user_part(self, block: Block, content: str) -> Part:
        ui_content = block.text("uiContent")
        if ui_content is None:
            return text_part(content)
        found, value = self.lookup(ui_content)
        if not found or isinstance(value, str):
            return text_part(value if isinstance(value, str) else content)
        declared = self.protocol.trigger_inputs(self.execution.trigger_name or "").get(ui_content)
        type_name = declared.type_name if declared else None
        return object_part(new_part_id("obj"), type_name or "unknown", value)

    def _next_message(self, block: Block) -> _Pause | None:
        thread = self._thread(block.thread)
        turn = plan_turn(
            thread.last_user_text(),
            thread=thread.name,
            tools=thread.tools,
            system=thread.system,
            can_call=thread.ends_with_user(),
        )
        if turn.wait > 0:
            self.sink.sleep(turn.wait)
        streamed = block.display == "stream"
        tag = None if thread.name == MAIN_THREAD else thread.name
        if turn.reasoning:
            if streamed:
                self._stream("reasoning", turn.reasoning)
            self._add_part(reasoning_part(turn.reasoning, visible=streamed, thread=tag))
        if turn.error is not None:
            raise ModelFailure(turn.error)
        if turn.tool_name is not None:
            call = PendingCall(
                new_call_id(),
                turn.tool_name,
                dict(turn.tool_args or {}),
                source="llm",
                thread=tag,
            )
            hidden = block.display == "hidden" or self._tool_display(call.tool_name) == "hidden"
            self._announce_tool(call, hidden=hidden)
            thread.history.append(
                {
                    "role": "assistant",
                    "content": f"(calls {call.tool_name} {json.dumps(call.args)})",
                }
            )
            return _Pause([call])
        self._reply(block, thread, turn.text)
        return None

    def _reply(self, block: Block, thread: ThreadState, text: str) -> None:
        streamed = block.display == "stream"
        tag = None if thread.name == MAIN_THREAD else thread.name
        response_type = block.text("responseType")
        value: Any = text
        if response_type:
            value = example_value(response_type, self.protocol.type_data)
            text = json.dumps(value, ensure_ascii=False)
            if streamed:
                self._stream("text", text, extra={"responseType": response_type})
            self._add_part(
                object_part(new_part_id("obj"), response_type, value, visible=streamed, thread=tag)
            )
        else:
            if streamed:
                self._stream_keeping_partial("text", text, thread, tag)
            self._add_part(text_part(text, visible=streamed, thread=tag))
        if not (thread.name == MAIN_THREAD and self._independent(block)):
            thread.history.append({"role": "assistant", "content": text})
        output = block.text("output")
        if output:
            self.session.variables[output] = value

    def _announce_tool(self, call: PendingCall, *, hidden: bool) -> None:
        title = self._tool_title(call.tool_name)
        shows_title = self._tool_display(call.tool_name) == "title" and title
        if not hidden:
            start: Event = {
                "type": "tool-input-start",
                "toolCallId": call.tool_call_id,
                "toolName": call.tool_name,
            }
            if shows_title:
                start["title"] = title
            self.sink.send(start)
            self.sink.send(
                {
                    "type": "tool-input-delta",
                    "toolCallId": call.tool_call_id,
                    "inputTextDelta": json.dumps(call.args, ensure_ascii=False),
                }
            )
            self.sink.send({"type": "tool-input-end", "toolCallId": call.tool_call_id})
            self.sink.send(
                {
                    "type": "tool-input-available",
                    "toolCallId": call.tool_call_id,
                    "toolName": call.tool_name,
                    "input": copy.deepcopy(call.args),
                }
            )
        self._add_part(
            tool_call_part(
                call.tool_call_id,
                call.tool_name,
                call.args,
                display_name=title if shows_title else None,
                visible=not hidden,
                thread=call.thread,
            )
        )

    def _record_result(
        self, call: PendingCall, result: Mapping[str, Any], *, hidden: bool
    ) -> tuple[Any, str | None]:
        """Update the tool part, emit its output event; ``(result, error)``."""
        error = result.get("error")
        error_text = None if error is None else str(error)
        value = copy.deepcopy(result.get("result"))
        part = find_tool_part(self.session.messages, call.tool_call_id)
        if part is not None:
            if error_text is not None:
                part["status"] = "error"
                part["error"] = error_text
            else:
                part["status"] = "done"
                part["result"] = value
        if not hidden:
            if error_text is not None:
                self.sink.send(
                    {
                        "type": "tool-output-error",
                        "toolCallId": call.tool_call_id,
                        "error": error_text,
                    }
                )
            else:
                self.sink.send(
                    {
                        "type": "tool-output-available",
                        "toolCallId": call.tool_call_id,
                        "output": value,
                    }
                )
        return value, error_text

    def _resume_model(
        self, block: Block, calls: list[PendingCall], results: Mapping[str, Mapping[str, Any]]
    ) -> None:
        thread = self._thread(block.thread)
        outcomes: list[tuple[str, Any, str | None]] = []
        for call in calls:
            hidden = block.display == "hidden" or self._tool_display(call.tool_name) == "hidden"
            value, error = self._record_result(call, results[call.tool_call_id], hidden=hidden)
            shown = error if error is not None else json.dumps(value, ensure_ascii=False)
            thread.history.append({"role": "tool", "content": f"{call.tool_name}: {shown}"})
            outcomes.append((call.tool_name, value, error))
        self._reply(block, thread, reply_after_tools(outcomes))

    def _tool_call(self, block: Block) -> _Pause | None:
        tool = block.text("tool")
        if not tool:
            self._not_emulated(block, reason="it names no tool")
            return None
        raw_input = block.data.get("input")
        args = (
            {str(k): self._value_or_literal(v) for k, v in raw_input.items()}
            if isinstance(raw_input, Mapping)
            else {}
        )
        call = PendingCall(
            new_call_id(),
            tool,
            args,
            source="block",
            output_variable=block.text("output"),
            block_index=block.index,
            thread=None if block.thread == MAIN_THREAD else block.thread,
        )
        self._announce_tool(call, hidden=self._tool_block_hidden(block, tool))
        return _Pause([call])

    def _tool_block_hidden(self, block: Block, tool: str) -> bool:
        """A block's own ``display`` wins; without one, the tool's display decides."""
        if "display" in block.data:
            return block.display == "hidden"
        return self._tool_display(tool) == "hidden"

    def _resume_tool_block(
        self, calls: list[PendingCall], results: Mapping[str, Mapping[str, Any]]
    ) -> None:
        block = self.execution.blocks[self.execution.index]
        for call in calls:
            value, error = self._record_result(
                call,
                results[call.tool_call_id],
                hidden=self._tool_block_hidden(block, call.tool_name),
            )
            if call.output_variable:
                self.session.variables[call.output_variable] = (
                    {"error": error} if error is not None else value
                )

    def _set_resource(self, block: Block) -> None:
        name = block.text("resource")
        if not name:
            self._not_emulated(block, reason="it names no resource")
            return
        value = self._value_or_literal(block.data.get("value"))
        self.session.resources[name] = value
        self.sink.send({"type": "resource-update", "name": name, "value": copy.deepcopy(value)})
        if block.display != "hidden":
            self._add_part(operation_part(new_part_id("op"), block.name, "set-resource"))

    def _start_thread(self, block: Block) -> None:
        name = self._thread_name(block)
        system = block.text("system")
        self.session.threads[name] = ThreadState(
            name=name,
            system=self.render_prompt(system, block.data.get("input")),
            tools=list(string_list(block.data.get("tools"))),
        )

    def _serialize_thread(self, block: Block) -> None:
        thread = self._thread(block.thread)
        entries = [h for h in thread.history if h.get("role") != "system"]
        if block.text("format") == "json":
            text = json.dumps(entries, ensure_ascii=False, indent=2)
        else:
            text = "\n\n".join(
                f"**{str(h.get('role', '')).capitalize()}:** {h.get('content', '')}"
                for h in entries
            )
        output = block.text("output")
        if output:
            self.session.variables[output] = text
        if block.display != "hidden":
            tag = None if thread.name == MAIN_THREAD else thread.name
            self._add_part(
                operation_part(new_part_id("op"), block.name, "serialize-thread", thread=tag)
            )

    def _not_emulated(self, block: Block, reason: str | None = None) -> None:
        why = reason or f"the emulator does not run {_kind(block) or 'unnamed'} blocks"
        text = f"Skipped “{block.name}”: {why}."
        output = block.text("output")
        if output:
            self.session.variables[output] = f"emulated {_kind(block) or 'block'} output"
            text += f" {output} holds a placeholder."
        if block.display != "hidden":
            self._stream("text", text)
            self._add_part(text_part(text))


def abandon(execution: Execution, session: SessionState, reason: str) -> None:
    """Mark the tool calls of a paused execution that will never get results."""
    for call in execution.pending:
        part = find_tool_part(session.messages, call.tool_call_id)
        if part is not None and part.get("status") not in ("done", "error"):
            part["status"] = "error"
            part["error"] = reason
    execution.pending = []


def _kind(block: Block) -> str:
    """The block kind as the platform names it in events (text, empty when missing)."""
    return str(block.data.get("block", ""))
