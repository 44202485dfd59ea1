"""The protocol model: each concept, its positions, and broken input read without raising."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from octavus_cli.protocol.model import (
    DEFAULT_TOOL_DISPLAY,
    MAIN_THREAD,
    NO_SPAN,
    build_model,
    model_of,
)
from octavus_cli.protocol.yaml_source import MAX_YAML_BYTES, Span

INTERACTIVE = """\
input:
  COMPANY:
    type: string
    description: The company name
  PLAN:
    type: string
    enum: [free, pro]
    optional: true
resources:
  SUMMARY:
    type: string
    default: ''
variables:
  RESULT:
    type: Order
types:
  Order:
    id:
      type: string
triggers:
  user-message:
    description: A chat message
    input:
      USER_MESSAGE:
        type: string
  review:
    input:
      ORDER:
        type: Order
tools:
  lookup:
    description: Looking things up
    display: title
    title: Lookup
    parameters:
      query:
        type: string
  odd:
    display: sideways
skills:
  qr-code:
    display: description
mcpServers:
  docs:
    source: remote
workers:
  summarizer:
    description: Summarises
agent:
  model: anthropic/claude-sonnet-4-5
  system: system
  input: [COMPANY]
  tools: [lookup, odd]
  skills: qr-code
  references: [faq]
  workers: [summarizer]
handlers:
  user-message:
    Add message:
      block: add-message
      role: user
      prompt: user-message
    Respond:
      block: next-message
      thread: side
  review:
    Call:
      block: tool-call
      tool: lookup
      display: hidden
"""


def test_declarations_of_each_kind() -> None:
    model = build_model(INTERACTIVE)
    assert model.error is None
    assert list(model.inputs) == ["COMPANY", "PLAN"]
    company = model.inputs["COMPANY"]
    assert (company.kind, company.path, company.value_type) == (
        "input",
        ("input", "COMPANY"),
        "string",
    )
    assert company.description == "The company name"
    assert company.required
    plan = model.inputs["PLAN"]
    assert plan.optional
    assert not plan.required
    assert plan.enum == ["free", "pro"]
    assert plan.choices == ("free", "pro")
    summary = model.resources["SUMMARY"]
    assert summary.kind == "resource"
    assert summary.has_default
    assert not summary.required
    assert model.variables["RESULT"].type_name == "Order"
    assert set(model.protocol_names) == {"COMPANY", "PLAN", "SUMMARY", "RESULT"}


def test_triggers_carry_their_inputs() -> None:
    model = build_model(INTERACTIVE)
    assert list(model.triggers) == ["user-message", "review"]
    trigger = model.triggers["user-message"]
    assert trigger.description == "A chat message"
    message = trigger.inputs["USER_MESSAGE"]
    assert (message.kind, message.trigger) == ("trigger input", "user-message")
    assert message.path == ("triggers", "user-message", "input", "USER_MESSAGE")
    assert model.trigger_inputs("nope") == {}
    # A trigger input is visible in its own handler only; protocol names everywhere.
    assert model.declaration("ORDER", "review") is model.triggers["review"].inputs["ORDER"]
    assert model.declaration("ORDER", "user-message") is None
    assert model.declaration("COMPANY", "review") is model.inputs["COMPANY"]
    assert "ORDER" in model.all_declared_names
    assert "USER_MESSAGE" in model.all_declared_names


def test_types_tools_skills_servers_workers() -> None:
    model = build_model(INTERACTIVE)
    assert model.custom_types == frozenset({"Order"})
    assert model.type_data == {"Order": {"id": {"type": "string"}}}
    lookup = model.tools["lookup"]
    assert (lookup.section, lookup.display, lookup.display_mode) == ("tools", "title", "title")
    assert lookup.title == "Lookup"
    assert lookup.description == "Looking things up"
    assert list(lookup.parameters) == ["query"]
    odd = model.tools["odd"]
    # As written for `run` (it shows what the platform sends); only documented modes
    # for the emulator, which falls back to the default.
    assert (odd.display, odd.display_mode) == ("sideways", DEFAULT_TOOL_DISPLAY)
    assert model.skills["qr-code"].section == "skills"
    assert model.mcp_servers["docs"].data == {"source": "remote"}
    assert model.workers["summarizer"].description == "Summarises"


def test_agent_config() -> None:
    agent = build_model(INTERACTIVE).agent
    assert agent.model == "anthropic/claude-sonnet-4-5"
    assert agent.system == "system"
    assert agent.input == ["COMPANY"]
    assert agent.tools == ("lookup", "odd")
    assert agent.skills == ("qr-code",)  # one name alone is a list of one
    assert agent.references == ("faq",)
    assert agent.workers == ("summarizer",)
    assert agent.mcp_servers == ()


def test_handlers_hold_typed_blocks() -> None:
    model = build_model(INTERACTIVE)
    assert not model.is_worker
    assert [(s.scope, s.path) for s in model.sequences] == [
        ("user-message", ("handlers", "user-message")),
        ("review", ("handlers", "review")),
    ]
    add, respond = model.blocks_for("user-message")
    assert (add.kind, add.index, add.display, add.thread) == (
        "add-message",
        0,
        "hidden",
        MAIN_THREAD,
    )
    assert add.text("prompt") == "user-message"
    assert add.text("missing") is None
    assert (respond.kind, respond.display, respond.thread) == ("next-message", "stream", "side")
    assert respond.label == 'block "Respond"'
    assert respond.field_path("thread") == ("handlers", "user-message", "Respond", "thread")
    (call,) = model.blocks_for("review")
    assert call.display == "hidden"
    assert [b.name for b in model.blocks_of("tool-call", "next-message")] == ["Respond", "Call"]
    assert model.has_handler("review")
    assert not model.has_handler("other")
    assert model.blocks_for("other") == []


def test_worker_steps_and_output() -> None:
    text = "input:\n  TOPIC: {type: string}\nsteps:\n  Answer:\n    block: next-message\n"
    text += "output: RESULT\n"
    inferred = build_model(text)
    assert inferred.is_worker  # steps and no handlers
    assert inferred.output == "RESULT"
    (sequence,) = inferred.sequences
    assert (sequence.scope, sequence.path) == (None, ("steps",))
    assert [b.label for b in inferred.blocks_for("anything")] == ['step "Answer"']
    # The validator says what the agent is (settings.json); an interactive agent's
    # steps are not run.
    assert build_model(text, worker=False).sequences == ()
    assert build_model("handlers: {}\n", worker=True).sequences[0].blocks == ()


def line_of(text: str, line: str, after: int = 0) -> int:
    """The 1-based number of the first line equal to ``line`` after line ``after``."""
    return text.splitlines().index(line, after) + 1


def test_positions_of_values_and_keys() -> None:
    model = build_model(INTERACTIVE)
    company = model.inputs["COMPANY"]
    assert company.key_span == Span(2, 3, 2, 10)
    assert company.span.line == 3  # the mapping under the key
    assert model.tools["lookup"].key_span.line == line_of(INTERACTIVE, "  lookup:")
    respond = model.blocks_for("user-message")[1]
    respond_line = line_of(INTERACTIVE, "    Respond:")
    assert (respond.key_span.line, respond.key_span.column) == (respond_line, 5)
    thread_line = line_of(INTERACTIVE, "      thread: side")
    assert model.span(respond.field_path("thread")) == Span(thread_line, 15, thread_line, 19)
    assert model.span(respond.field_path("thread"), key=True) == Span(
        thread_line, 7, thread_line, 13
    )
    order = model.triggers["review"].inputs["ORDER"]
    assert order.key_span.line == line_of(INTERACTIVE, "      ORDER:")
    # A missing path points at its nearest ancestor.
    assert model.span((*respond.path, "nope")) == respond.span


def test_a_byte_order_mark_is_not_part_of_the_document() -> None:
    model = build_model("\ufeffinput:\n  A: {type: string}\n")
    assert model.error is None
    assert list(model.inputs) == ["A"]


def test_yaml_errors_are_kept_not_raised() -> None:
    model = build_model("input:\n  A: [unclosed\n")
    assert model.error is not None
    assert model.error.kind == "syntax"
    assert model.doc is None
    assert model.data == {}
    assert model.inputs == {}
    assert model.span(("input", "A")) == NO_SPAN
    too_large = build_model("#" * (MAX_YAML_BYTES + 1))
    assert too_large.error is not None
    assert too_large.error.kind == "too-large"


def test_wrong_shapes_read_as_empty() -> None:
    text = """\
input: [A, B]
triggers:
  user-message: 3
  other:
    input: nope
tools:
  - lookup
agent: [model]
handlers:
  user-message:
    Broken: 5
    Unnamed:
      display: 7
  other: null
output: 3
"""
    model = build_model(text)
    assert model.error is None
    assert model.inputs == {}
    assert model.tools == {}
    assert model.triggers["user-message"].data == {}
    assert model.triggers["user-message"].inputs == {}
    assert model.triggers["other"].inputs == {}
    assert model.agent.data == {}
    assert model.agent.tools == ()
    broken, unnamed = model.blocks_for("user-message")
    assert broken.data == {}
    assert broken.kind is None
    assert broken.display == "name"
    assert unnamed.display == "name"
    assert unnamed.thread == MAIN_THREAD
    assert model.blocks_for("other") == []
    assert model.output is None


def test_a_document_that_is_not_a_mapping() -> None:
    listed = build_model("- a\n- b\n")
    assert listed.error is None
    assert not listed.is_mapping
    assert listed.data == {}
    assert build_model("").is_mapping  # an empty document has no sections
    assert model_of(None).is_mapping
    assert model_of(None).inputs == {}


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab: -[]{}\n'\"&*!|>#%@`,?0\t")), max_size=120))
def test_any_text_builds_a_model(text: str) -> None:
    model = build_model(text)
    assert (model.error is None) == (model.doc is not None)
    for block in model.blocks:
        assert isinstance(block.display, str)
        assert isinstance(block.thread, str)
