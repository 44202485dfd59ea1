"""Triggers and handlers, and the names that flow between blocks.

A block may read what the protocol declares (input, resources, variables), the
inputs of its handler's trigger, and what earlier blocks wrote with output:.
"""

from __future__ import annotations

from collections.abc import Iterator

from octavus_cli.protocol.context import Context, input_mapping, names_in
from octavus_cli.protocol.diagnostics import Diagnostic, Severity
from octavus_cli.protocol.examples import BASE_INTERACTIVE, BASE_WORKER
from octavus_cli.protocol.model import Block, BlockSequence, as_mapping
from octavus_cli.protocol.names import VARIABLE_LIKE, closest, quoted_list
from octavus_cli.protocol.registry import Example, check, define
from octavus_cli.protocol.yaml_source import PathKey
from octavus_cli.records import field, record

_ESCALATE = """
  request-human:
    Serialize conversation:
      block: serialize-thread
      format: markdown
      output: CONVERSATION_TEXT
"""

HANDLER_WITHOUT_TRIGGER = define(
    "OCT401",
    "handler-without-trigger",
    Severity.ERROR,
    "A handler is keyed by a name that triggers: does not declare",
    "Handlers are keyed by trigger name; declare the trigger or rename the handler.",
    family="flow",
    example=Example(
        files={
            "protocol.yaml": BASE_INTERACTIVE.replace(
                "handlers:\n  user-message:", "handlers:\n  user-mesage:"
            )
        },
        fixed={"protocol.yaml": None},
        file="protocol.yaml",
        line=11,
        column=3,
    ),
)

TRIGGER_WITHOUT_HANDLER = define(
    "OCT402",
    "trigger-without-handler",
    Severity.ERROR,
    "A trigger has no handler",
    "Each trigger must have a corresponding handler under handlers:, keyed by its name.",
    family="flow",
    example=Example(
        files={
            "protocol.yaml": BASE_INTERACTIVE.replace(
                "agent:",
                "  request-human:\n    description: User clicks Talk to a human\n\n"
                "variables:\n  CONVERSATION_TEXT: { type: string }\n\nagent:",
            ).replace("\nvariables:", "variables:", 1)
        },
        fixed={
            "protocol.yaml": BASE_INTERACTIVE.replace(
                "agent:",
                "  request-human:\n    description: User clicks Talk to a human\n\n"
                "variables:\n  CONVERSATION_TEXT: { type: string }\n\nagent:",
            ).replace("\nvariables:", "variables:", 1)
            + _ESCALATE
        },
        file="protocol.yaml",
        line=6,
        column=3,
    ),
)

_TICKET = """\
input:
  USER_ID: { type: string }

tools:
  create-ticket:
    description: Create a support ticket
    parameters:
      userId: { type: string }

variables:
  TICKET: { type: unknown }
"""

UNDECLARED_VARIABLE = define(
    "OCT403",
    "undeclared-variable",
    Severity.ERROR,
    "A block reads a name that is not declared, not a trigger input and not set by an "
    "earlier block",
    "Declare it under input:, variables: (or the trigger's input), or fix the name.",
    family="flow",
    example=Example(
        files={
            "protocol.yaml": BASE_INTERACTIVE.replace("input: [USER_MESSAGE]", "input: [USER_MSG]")
        },
        fixed={"protocol.yaml": None},
        file="protocol.yaml",
        line=16,
        column=15,
    ),
)

LITERAL_OR_VARIABLE = define(
    "OCT404",
    "literal-or-variable",
    Severity.WARNING,
    "A tool-call or run-worker argument looks like a variable but none is declared, so it "
    "is passed as literal text",
    "UPPER_SNAKE_CASE values are read as variables when one of that name is declared; "
    "declare it, fix the name, or quote a real literal in lowercase.",
    family="flow",
    example=Example(
        files={
            "protocol.yaml": BASE_INTERACTIVE.replace("triggers:", _TICKET + "\ntriggers:").replace(
                "  system: system\n", "  system: system\n  input: [USER_ID]\n"
            )
            + "\n    Open ticket:\n      block: tool-call\n      tool: create-ticket\n"
            "      input:\n        userId: USER_IDD\n      output: TICKET\n"
        },
        fixed={
            "protocol.yaml": BASE_INTERACTIVE.replace("triggers:", _TICKET + "\ntriggers:").replace(
                "  system: system\n", "  system: system\n  input: [USER_ID]\n"
            )
            + "\n    Open ticket:\n      block: tool-call\n      tool: create-ticket\n"
            "      input:\n        userId: USER_ID\n      output: TICKET\n"
        },
        file="protocol.yaml",
        line=38,
        column=17,
    ),
)

USED_BEFORE_SET = define(
    "OCT405",
    "used-before-set",
    Severity.ERROR,
    "A block reads a name that only a later block sets",
    "Blocks run in order; move the block that sets it (output:) before this one, or "
    "declare the name under variables:.",
    family="flow",
    example=Example(
        format="worker",
        files={
            "protocol.yaml": BASE_WORKER.replace(
                "variables:\n  RESULT: { type: string }\n\n", ""
            ).replace("    input: [TOPIC]\n", "    input: [TOPIC, RESULT]\n")
        },
        fixed={"protocol.yaml": None},
        file="protocol.yaml",
        line=16,
        column=20,
    ),
)

UNDECLARED_OUTPUT = define(
    "OCT406",
    "undeclared-output",
    Severity.WARNING,
    "A block writes output: to a name that variables: does not declare",
    "Declare the variable (with its type) under variables:; the docs' examples declare "
    "every output.",
    family="flow",
    example=Example(
        files={
            "protocol.yaml": BASE_INTERACTIVE.replace(
                "    Respond:\n      block: next-message\n",
                "    Respond:\n      block: next-message\n      output: ANSWER\n",
            )
        },
        fixed={
            "protocol.yaml": BASE_INTERACTIVE.replace(
                "    Respond:\n      block: next-message\n",
                "    Respond:\n      block: next-message\n      output: ANSWER\n",
            ).replace("agent:", "variables:\n  ANSWER: { type: string }\n\nagent:")
        },
        file="protocol.yaml",
        line=20,
        column=15,
    ),
)

IMMUTABLE_OUTPUT = define(
    "OCT407",
    "immutable-output",
    Severity.ERROR,
    "A block writes output: to an input or a trigger input, which are immutable",
    "Inputs are set when the session starts (or the trigger fires) and never change; write "
    "to a variable declared under variables:.",
    family="flow",
    example=Example(
        files={
            "protocol.yaml": BASE_INTERACTIVE.replace(
                "    Respond:\n      block: next-message\n",
                "    Respond:\n      block: next-message\n      output: USER_MESSAGE\n",
            )
        },
        fixed={
            "protocol.yaml": BASE_INTERACTIVE.replace(
                "    Respond:\n      block: next-message\n",
                "    Respond:\n      block: next-message\n      output: ANSWER\n",
            ).replace("agent:", "variables:\n  ANSWER: { type: string }\n\nagent:")
        },
        file="protocol.yaml",
        line=20,
        column=15,
    ),
)

_RESOURCES = """\
resources:
  SUPPORT_CONFIG:
    type: unknown
    readonly: true
"""

SET_RESOURCE_TARGET = define(
    "OCT408",
    "set-resource-target",
    Severity.ERROR,
    "set-resource writes a resource that is not declared, or is readonly",
    "Only declared resources without readonly: true can be written.",
    family="flow",
    example=Example(
        files={
            "protocol.yaml": BASE_INTERACTIVE.replace("agent:", _RESOURCES + "\nagent:").replace(
                "  system: system\n", "  system: system\n  input: [SUPPORT_CONFIG]\n"
            )
            + "\n    Save:\n      block: set-resource\n      resource: SUPPORT_CONFIG\n"
            "      value: USER_MESSAGE\n"
        },
        fixed={
            "protocol.yaml": BASE_INTERACTIVE.replace(
                "agent:", _RESOURCES.replace("readonly: true", "readonly: false") + "\nagent:"
            ).replace("  system: system\n", "  system: system\n  input: [SUPPORT_CONFIG]\n")
            + "\n    Save:\n      block: set-resource\n      resource: SUPPORT_CONFIG\n"
            "      value: USER_MESSAGE\n"
        },
        file="protocol.yaml",
        line=29,
        column=17,
        fixed_keeps=("OCT801", "OCT802"),
    ),
)

WORKER_OUTPUT = define(
    "OCT409",
    "worker-output",
    Severity.ERROR,
    "A worker's output: names a variable that is not declared and that no step sets",
    "output: references a variable declared in variables: (set by a step's output:).",
    family="flow",
    example=Example(
        format="worker",
        files={"protocol.yaml": BASE_WORKER.replace("\noutput: RESULT\n", "\noutput: RESULTS\n")},
        fixed={"protocol.yaml": None},
        file="protocol.yaml",
        line=26,
        column=9,
    ),
)

WORKER_OUTPUT_KIND = define(
    "OCT410",
    "worker-output-not-variable",
    Severity.WARNING,
    "A worker's output: names an input (or resource) instead of a variable",
    "The docs say output: references a variable from variables:; returning an input "
    "unchanged is probably not what you meant.",
    family="flow",
    example=Example(
        format="worker",
        files={"protocol.yaml": BASE_WORKER.replace("\noutput: RESULT\n", "\noutput: TOPIC\n")},
        fixed={"protocol.yaml": None},
        file="protocol.yaml",
        line=26,
        column=9,
    ),
)

THREAD_NOT_STARTED = define(
    "OCT411",
    "thread-not-started",
    Severity.ERROR,
    "A block uses a thread that no start-thread block creates (before it)",
    "Create the thread with a start-thread block first; in workers every thread, including "
    "the one next-message uses, must be started explicitly.",
    family="flow",
    example=Example(
        format="worker",
        files={
            "protocol.yaml": BASE_WORKER.replace(
                "    thread: work\n    output", "    thread: wrok\n    output"
            )
        },
        fixed={"protocol.yaml": None},
        file="protocol.yaml",
        line=23,
        column=13,
    ),
)

NAME_COLLISION = define(
    "OCT412",
    "name-collision",
    Severity.WARNING,
    "The same name is declared twice (input and variables, or a trigger input shadowing "
    "a protocol input)",
    "Give each value its own name; with two declarations it is unclear which one a block reads.",
    family="flow",
    example=Example(
        files={
            "protocol.yaml": BASE_INTERACTIVE.replace(
                "agent:",
                "variables:\n  USER_MESSAGE: { type: string }\n\nagent:",
            )
        },
        fixed={"protocol.yaml": None},
        file="protocol.yaml",
        line=4,
        column=7,
    ),
)


# -- triggers and handlers --------------------------------------------------------------


@check
def triggers_and_handlers(ctx: Context) -> Iterator[Diagnostic]:
    if ctx.is_worker or ctx.doc is None:
        return
    triggers = ctx.section("triggers")
    handlers = ctx.section("handlers")
    for name in handlers:
        if name not in triggers:
            match = closest(name, list(triggers))
            yield ctx.report(
                HANDLER_WITHOUT_TRIGGER,
                ("handlers", name),
                f'handler "{name}" has no trigger of that name'
                + (f' (did you mean "{match}"?)' if match else ""),
                hint=f"Declared triggers: {quoted_list(triggers)}." if triggers else None,
                key=True,
            )
    if "triggers" in ctx.data and not isinstance(ctx.data.get("handlers"), (dict, type(None))):
        return
    for name in triggers:
        if name not in handlers:
            yield ctx.report(
                TRIGGER_WITHOUT_HANDLER,
                ("triggers", name),
                f'trigger "{name}" has no handler; add handlers.{name} with the blocks to run',
                key=True,
            )


# -- names flowing between blocks ------------------------------------------------------


@record(frozen=False)
class _Outputs:
    """Where each name is written by output: (per sequence, in order)."""

    by_sequence: dict[int, dict[str, int]] = field(default_factory=dict)  # seq -> name -> index
    anywhere: set[str] = field(default_factory=set)


def _outputs(ctx: Context) -> _Outputs:
    result = _Outputs()
    for number, sequence in enumerate(ctx.sequences):
        written: dict[str, int] = {}
        for block in sequence.blocks:
            name = block.data.get("output")
            if isinstance(name, str) and name not in written:
                written[name] = block.index
        result.by_sequence[number] = written
        result.anywhere.update(written)
    return result


def _reads(block: Block) -> Iterator[tuple[str, PathKey]]:
    """(name, path) of every variable a block reads (tool arguments aside)."""
    kind = block.kind
    if kind in ("add-message", "start-thread"):
        for entry in input_mapping(block.data.get("input"), block.field_path("input")):
            yield entry.source, entry.source_path
    if kind == "add-message":
        for index, name in names_in(block.data.get("files")):
            yield name, block.field_path("files", index)
    single = {
        "add-message": ("uiContent",),
        "set-resource": ("value",),
        "generate-image": ("prompt",),
        "generate-speech": ("text",),
        "transcribe-audio": ("audio",),
    }
    for key in single.get(kind or "", ()):
        value = block.data.get(key)
        if isinstance(value, str):
            yield value, block.field_path(key)
    if kind == "generate-image":
        for index, name in names_in(block.data.get("referenceImages")):
            yield name, block.field_path("referenceImages", index)


def _arguments(block: Block) -> Iterator[tuple[str, PathKey]]:
    """Values of tool-call and run-worker arguments (a variable or a literal)."""
    if block.kind in ("tool-call", "run-worker"):
        for key, value in as_mapping(block.data.get("input")).items():
            if isinstance(value, str):
                yield value, block.field_path("input", key)


@check
def names_read(ctx: Context) -> Iterator[Diagnostic]:
    outputs = _outputs(ctx)
    for number, sequence in enumerate(ctx.sequences):
        yield from _sequence_reads(ctx, sequence, outputs, outputs.by_sequence[number])
    if not ctx.is_worker:
        agent = ctx.section("agent")
        for entry in input_mapping(agent.get("input"), ("agent", "input")):
            name = entry.source
            if name in ctx.protocol_names or name in outputs.anywhere:
                continue
            yield _undeclared(ctx, name, entry.source_path, "agent.input", None, outputs)


def _sequence_reads(
    ctx: Context, sequence: BlockSequence, outputs: _Outputs, here: dict[str, int]
) -> Iterator[Diagnostic]:
    others = {
        name
        for number, written in outputs.by_sequence.items()
        if written is not here
        for name in written
    }
    for block in sequence.blocks:
        for name, path in _reads(block):
            if ctx.declaration(name, sequence.scope) is not None or name in others:
                continue
            set_at = here.get(name)
            if set_at is not None and set_at < block.index:
                continue
            if set_at is not None:
                setter = sequence.blocks[set_at]
                yield ctx.report(
                    USED_BEFORE_SET,
                    path,
                    f"{block.label} reads {name} before {setter.label} sets it",
                )
                continue
            yield _undeclared(ctx, name, path, block.label, sequence.scope, outputs)
        for value, path in _arguments(block):
            if ctx.declaration(value, sequence.scope) is not None or value in outputs.anywhere:
                continue
            if VARIABLE_LIKE.match(value):
                match = closest(value, ctx.all_declared_names | outputs.anywhere)
                yield ctx.report(
                    LITERAL_OR_VARIABLE,
                    path,
                    f"{value} looks like a variable, but none is declared, so the text "
                    f'"{value}" is passed as is' + (f' (did you mean "{match}"?)' if match else ""),
                )


def _undeclared(
    ctx: Context, name: str, path: PathKey, owner: str, scope: str | None, outputs: _Outputs
) -> Diagnostic:
    hint = None
    for trigger, inputs in ctx.trigger_inputs.items():
        if name in inputs and trigger != scope:
            where = f'the handler "{scope}"' if scope else owner
            hint = f'{name} is an input of trigger "{trigger}"; {where} cannot see it.'
            break
    if hint is None:
        pool = set(ctx.protocol_names) | outputs.anywhere
        if scope is not None:
            pool |= set(ctx.trigger_inputs.get(scope, {}))
        match = closest(name, pool)
        if match:
            hint = f'Did you mean "{match}"?'
    return ctx.report(
        UNDECLARED_VARIABLE,
        path,
        f"{owner} reads {name}, which is not declared"
        + ("" if owner == "agent.input" else " or set by an earlier block"),
        hint=hint,
    )


@check
def outputs_written(ctx: Context) -> Iterator[Diagnostic]:
    for block in ctx.blocks:
        name = block.data.get("output")
        if not isinstance(name, str):
            continue
        path = block.field_path("output")
        declaration = ctx.declaration(name, block.scope)
        if declaration is None:
            yield ctx.report(
                UNDECLARED_OUTPUT,
                path,
                f"{block.label} writes {name}, which variables: does not declare",
                hint=f"Declare it: variables: {{ {name}: {{ type: ... }} }}.",
            )
        elif declaration.kind in ("input", "trigger input"):
            yield ctx.report(
                IMMUTABLE_OUTPUT,
                path,
                f"{block.label} writes {name}, which is a {declaration.kind} and cannot change",
            )
        elif declaration.kind == "resource":
            yield ctx.report(
                UNDECLARED_OUTPUT,
                path,
                f"{block.label} writes resource {name} with output:; resources are written "
                "with set-resource",
                hint="Write the output to a variable and save it with a set-resource block.",
            )


@check
def set_resource_targets(ctx: Context) -> Iterator[Diagnostic]:
    for block in ctx.blocks_of("set-resource"):
        name = block.data.get("resource")
        if not isinstance(name, str):
            continue
        path = block.field_path("resource")
        resource = ctx.resources.get(name)
        if resource is None:
            match = closest(name, list(ctx.resources))
            yield ctx.report(
                SET_RESOURCE_TARGET,
                path,
                f"{block.label} writes resource {name}, which resources: does not declare"
                + (f' (did you mean "{match}"?)' if match else ""),
            )
        elif resource.data.get("readonly") is True:
            yield ctx.report(
                SET_RESOURCE_TARGET,
                path,
                f"{block.label} writes resource {name}, which is readonly",
                hint="Remove readonly: true from the resource if the agent may change it.",
            )


@check
def worker_output(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.is_worker:
        return
    name = ctx.data.get("output")
    if not isinstance(name, str):
        return
    outputs = _outputs(ctx)
    declaration = ctx.declaration(name)
    if declaration is None and name not in outputs.anywhere:
        match = closest(name, list(ctx.variables) + sorted(outputs.anywhere))
        yield ctx.report(
            WORKER_OUTPUT,
            ("output",),
            f"output: {name} is not a declared variable and no step sets it"
            + (f' (did you mean "{match}"?)' if match else ""),
        )
    elif declaration is not None and declaration.kind in ("input", "resource"):
        yield ctx.report(
            WORKER_OUTPUT_KIND,
            ("output",),
            f"output: {name} is an {declaration.kind}, not a variable; the worker returns "
            "it unchanged",
        )


_THREAD_USERS = (
    "next-message",
    "add-message",
    "serialize-thread",
    "generate-image",
    "generate-speech",
    "transcribe-audio",
    "generate-video",
)
_MAIN_BY_DEFAULT = ("next-message", "add-message", "serialize-thread")


def _started(block: Block) -> str:
    thread = block.data.get("thread")
    return thread if isinstance(thread, str) else block.name


@check
def threads_started(ctx: Context) -> Iterator[Diagnostic]:
    started_anywhere: dict[int, set[str]] = {}
    for number, sequence in enumerate(ctx.sequences):
        started_anywhere[number] = {
            _started(b) for b in sequence.blocks if b.kind == "start-thread"
        }
    for number, sequence in enumerate(ctx.sequences):
        elsewhere = set().union(*(names for n, names in started_anywhere.items() if n != number))
        started: set[str] = set()
        for block in sequence.blocks:
            if block.kind == "start-thread":
                started.add(_started(block))
                continue
            if block.kind not in _THREAD_USERS:
                continue
            thread = block.data.get("thread")
            if not isinstance(thread, str):
                if ctx.is_worker and block.kind in _MAIN_BY_DEFAULT:
                    yield ctx.report(
                        THREAD_NOT_STARTED,
                        block.path,
                        f"{block.label} has no thread:, and workers have no main thread",
                        hint="Start a thread with start-thread and name it in thread: here.",
                        key=True,
                    )
                continue
            if thread in started or (not ctx.is_worker and thread == "main"):
                continue
            if not ctx.is_worker and thread in elsewhere:
                continue
            later = thread in started_anywhere[number]
            all_started = set().union(*started_anywhere.values())
            match = closest(thread, all_started)
            yield ctx.report(
                THREAD_NOT_STARTED,
                block.field_path("thread"),
                f'{block.label} uses thread "{thread}", '
                + (
                    "which is started only by a later block"
                    if later
                    else "which no start-thread block creates"
                )
                + (f' (did you mean "{match}"?)' if match and not later else ""),
            )


@check
def name_collisions(ctx: Context) -> Iterator[Diagnostic]:
    seen: dict[str, str] = {}
    for group, kind in (
        (ctx.inputs, "input"),
        (ctx.resources, "resource"),
        (ctx.variables, "variable"),
    ):
        for name, declaration in group.items():
            if name in seen:
                yield ctx.report(
                    NAME_COLLISION,
                    declaration.path,
                    f"{name} is declared as a {kind} and already as an {seen[name]}"
                    if seen[name][0] in "aeiou"
                    else f"{name} is declared as a {kind} and already as a {seen[name]}",
                    key=True,
                )
            else:
                seen[name] = kind
    for trigger, inputs in ctx.trigger_inputs.items():
        for name, declaration in inputs.items():
            if name in seen:
                yield ctx.report(
                    NAME_COLLISION,
                    declaration.path,
                    f'trigger "{trigger}" input {name} has the name of a protocol {seen[name]}; '
                    "its handler sees the trigger input",
                    key=True,
                )
