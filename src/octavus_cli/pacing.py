"""How the CLI waits: retry backoff, busy-session waits and polls all sleep through here.

Real runs wait the delays the retry policy asks for. The test suite may set
``OCTAVUS_TEST_DELAY_SCALE`` (a test-only setting, not an option for users; read
at each wait, so in-process test runs see their own environment) to a factor
between 0 and 1: every wait then lasts that fraction of its delay, while
messages and ``--debug`` lines still name the delay the policy chose, so fault
tests prove the delays asked for (and Retry-After honoured and clamped) without
waiting them out. Deadlines (``--timeout``) stay in real time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping

from octavus_cli.records import record

SCALE_VARIABLE = "OCTAVUS_TEST_DELAY_SCALE"


@record
class Pacing:
    """Sleeps ``scale`` real seconds per second of delay."""

    scale: float = 1.0

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds * self.scale)


def pacing_from(env: Mapping[str, str]) -> Pacing:
    raw = env.get(SCALE_VARIABLE, "").strip()
    if not raw:
        return Pacing()
    try:
        scale = float(raw)
    except ValueError:
        return Pacing()
    return Pacing(scale) if 0 < scale <= 1 else Pacing()


def pacing() -> Pacing:
    """The current pacing (``OCTAVUS_TEST_DELAY_SCALE``; a dict lookup per wait)."""
    return pacing_from(os.environ)


def pace_sleep(seconds: float) -> None:
    """Wait a delay of the retry policy (the default sleep of every retry loop)."""
    pacing().sleep(seconds)
