"""Retry delays shortened for tests, through the CLI's test-only setting.

With ``FAST`` in its environment the CLI waits ``SCALE`` of every retry, busy or
poll delay it chooses; its messages and ``--debug`` lines still name the real
delay, so a test checks the policy from the text and the scaled wait from the
emulator's clock.
"""

from __future__ import annotations

from octavus_cli.pacing import SCALE_VARIABLE

SCALE = 0.01
FAST: dict[str, str] = {SCALE_VARIABLE: str(SCALE)}
