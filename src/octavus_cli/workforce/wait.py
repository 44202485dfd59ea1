"""Waiting for a Workforce thread: the poll schedule, the timeout and transient errors.

The first polls come sooner than ``--poll-interval`` (0.5 s, 1 s, 2 s, then the
interval), since short runs are common. Errors that say "try again" (connection
failures, 429, 5xx), which reach this loop only after the HTTP layer's own
retries, are reported and polled through; they never end the wait. Only the
timeout, a terminal status or an error that retrying cannot fix (401, 403,
404, ...) does. Unknown statuses are treated as not terminal (CONTRACT section 6).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

from octavus_cli.errors import ApiError
from octavus_cli.pacing import pace_sleep
from octavus_cli.records import field, record

TERMINAL_STATUSES = frozenset({"completed", "failed", "cancelled"})
TRANSIENT_STATUSES = frozenset({408, 429})
WARMUP_DELAYS = (0.5, 1.0, 2.0)
DEFAULT_POLL_INTERVAL = 3.0
DEFAULT_TIMEOUT = 15 * 60.0

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h)?\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str) -> float:
    """Seconds from ``90``, ``1.5``, ``500ms``, ``30s``, ``15m`` or ``1h``."""
    match = _DURATION.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a duration; use seconds (90) or 500ms, 30s, 15m, 1h")
    unit = (match.group(2) or "s").lower()
    return float(match.group(1)) * _UNIT_SECONDS[unit]


def format_duration(seconds: float) -> str:
    """``0.4s``, ``12s``, ``3m 05s``, ``1h 02m``: for messages and the status line."""
    if seconds < 10:
        return f"{seconds:.1f}s"
    whole = int(seconds)
    if whole < 60:
        return f"{whole}s"
    if whole < 3600:
        return f"{whole // 60}m {whole % 60:02d}s"
    return f"{whole // 3600}h {whole % 3600 // 60:02d}m"


def is_terminal(status: object) -> bool:
    """``completed``, ``failed`` and ``cancelled`` end a run; anything else does not."""
    return isinstance(status, str) and status in TERMINAL_STATUSES


def is_transient(error: ApiError) -> bool:
    """Whether polling again may succeed: no answer at all, 408, 429 or 5xx."""
    status = error.status
    return status is None or status in TRANSIENT_STATUSES or status >= 500


@record
class PollSchedule:
    """Delays between polls: the warm-up delays below the interval, then the interval."""

    interval: float = DEFAULT_POLL_INTERVAL
    warmup: tuple[float, ...] = WARMUP_DELAYS

    def delays(self) -> Iterator[float]:
        for delay in self.warmup:
            if delay >= self.interval:
                break
            yield delay
        while True:
            yield self.interval


@record(frozen=False)
class WaitResult:
    """How a wait ended: a terminal thread, or the last thread seen when time ran out."""

    thread: dict[str, Any] | None
    elapsed: float
    timed_out: bool
    last_error: ApiError | None = None

    @property
    def status(self) -> str | None:
        status = (self.thread or {}).get("status")
        return status if isinstance(status, str) else None


@record(frozen=False)
class ThreadWaiter:
    """Polls ``fetch`` until the thread is terminal or ``timeout`` seconds have passed.

    ``on_poll(thread, elapsed)`` sees every answer; ``on_transient(error, delay)`` is
    told about every error polled through; ``sleep(seconds, elapsed)`` waits between
    polls (the command's version keeps a live status line ticking). ``started`` is the
    ``clock()`` time the timeout counts from (a command's dispatch comes before the wait
    under the same ``--timeout``); by default, when :meth:`wait` is called.
    """

    fetch: Callable[[], dict[str, Any]]
    schedule: PollSchedule = field(default_factory=PollSchedule)
    timeout: float = DEFAULT_TIMEOUT
    on_poll: Callable[[dict[str, Any], float], None] | None = None
    on_transient: Callable[[ApiError, float], None] | None = None
    sleep: Callable[[float, float], None] = lambda seconds, _elapsed: pace_sleep(seconds)
    clock: Callable[[], float] = time.monotonic
    started: float | None = None

    def wait(self) -> WaitResult:
        started = self.clock() if self.started is None else self.started
        deadline = started + self.timeout
        delays = self.schedule.delays()
        thread: dict[str, Any] | None = None
        last_error: ApiError | None = None
        while True:
            delay = next(delays)
            try:
                thread = self.fetch()
                last_error = None
            except ApiError as exc:
                if not is_transient(exc):
                    raise
                last_error = exc
                # Never poll sooner than the platform asked for (429 Retry-After).
                delay = max(delay, exc.retry_after or 0.0)
                if self.on_transient is not None:
                    self.on_transient(exc, min(delay, max(0.0, deadline - self.clock())))
            now = self.clock()
            if thread is not None and last_error is None:
                if self.on_poll is not None:
                    self.on_poll(thread, now - started)
                if is_terminal(thread.get("status")):
                    return WaitResult(thread, now - started, timed_out=False)
            remaining = deadline - now
            if remaining <= 0:
                return WaitResult(thread, now - started, timed_out=True, last_error=last_error)
            # The last poll lands on the deadline, so a run that ends just in time counts.
            self.sleep(min(delay, remaining), now - started)
