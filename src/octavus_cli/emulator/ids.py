"""Identifiers and timestamps in the shapes the platform uses.

Ids are opaque strings: cuid-like ``cm`` plus 20 lowercase letters and digits
for agents, sessions, executions and threads; ``<epoch ms>-<7 chars>`` for
messages (as in the API reference); ``call_`` plus 16 characters for tool calls.
Timestamps are ISO 8601 in UTC with milliseconds (``2024-01-15T10:30:00.000Z``).
"""

from __future__ import annotations

import secrets
import string
import time
from datetime import datetime, timezone

_ALPHABET = string.ascii_lowercase + string.digits

# The one fake project every agent belongs to.
PROJECT_ID = "cmemulatorproject0000001"


def _random(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def new_id() -> str:
    """A cuid-like id: ``cm`` plus 20 lowercase letters and digits."""
    return "cm" + _random(20)


def new_message_id() -> str:
    return f"{int(time.time() * 1000)}-{_random(7)}"


def new_call_id() -> str:
    return "call_" + _random(16)


def new_part_id(prefix: str) -> str:
    """Ids of text, reasoning and block spans inside one stream."""
    return f"{prefix}_{_random(12)}"


def iso_at(epoch: float) -> str:
    moment = datetime.fromtimestamp(epoch, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def iso_now() -> str:
    return iso_at(time.time())
