"""The facts of an agent protocol that a run needs, read from the protocol model.

``octavus run`` reads inputs, triggers, tools (their display modes) and custom
types from :class:`octavus_cli.protocol.model.ProtocolModel`; a protocol that the
validator would reject still yields whatever it declares clearly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from octavus_cli.protocol.model import Declaration, ProtocolModel

MESSAGE_INPUT = "USER_MESSAGE"


def parse_protocol(text: str) -> ProtocolModel | None:
    """The model of protocol text; ``None`` when it is not a YAML document we can read."""
    from octavus_cli.protocol.model import build_model  # not at start-up

    model = build_model(text)
    return None if model.error is not None else model


def trigger_inputs(protocol: ProtocolModel, trigger: str) -> dict[str, Declaration] | None:
    """The trigger's inputs, or ``None`` when the trigger is not declared."""
    found = protocol.triggers.get(trigger)
    return found.inputs if found is not None else None


def message_input(protocol: ProtocolModel, trigger: str) -> str | None:
    """The input a chat message fills: ``USER_MESSAGE``, or the one string input."""
    inputs = trigger_inputs(protocol, trigger)
    if inputs is None:
        return None
    if MESSAGE_INPUT in inputs:
        return MESSAGE_INPUT
    strings = [spec.name for spec in inputs.values() if spec.value_type == "string"]
    return strings[0] if len(strings) == 1 else None
