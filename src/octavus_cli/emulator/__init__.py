"""A local emulator of the Octavus platform API, over real loopback HTTP.

``octavus emulator`` runs it from the command line; tests import :class:`Emulator`
(or use the pytest fixtures of :mod:`octavus_cli.emulator.testing`). See the
modules for the details: :mod:`~octavus_cli.emulator.model` (magic messages),
:mod:`~octavus_cli.emulator.workforce` (markers), :mod:`~octavus_cli.emulator.faults`.
"""

from __future__ import annotations

from octavus_cli.emulator.core import DEFAULT_PORT, Emulator, EmulatorError, generate_fake_key
from octavus_cli.emulator.faults import Faults
from octavus_cli.emulator.recording import RecordedRequest
from octavus_cli.emulator.store import AgentRecord
from octavus_cli.emulator.workforce import WorkforceDurations

__all__ = [
    "DEFAULT_PORT",
    "AgentRecord",
    "Emulator",
    "EmulatorError",
    "Faults",
    "RecordedRequest",
    "WorkforceDurations",
    "generate_fake_key",
]
