"""Fault injection: the ways a real network and platform misbehave, on demand.

One :class:`Faults` object belongs to a running emulator and can be changed at
any time (``emulator.faults.fail_first = 2``); the server reads it on every
request. Counting faults (``fail_first``, ``rate_limit_every``) only count
requests whose path starts with ``path_prefix``; stream faults apply to every
event stream opened while they are set.

=====================  ==============================================================
field                  effect
=====================  ==============================================================
``latency``            seconds to wait before answering each request
``fail_first``         the next N requests answer 503 with ``Retry-After`` (counts down)
``rate_limit_every``   every Nth request answers 429 ``RATE_LIMITED`` with ``Retry-After``
``retry_after``        the ``Retry-After`` value (seconds) of those 503 and 429 answers
``cut_stream_after``   close event streams after N events, without ``finish``/``[DONE]``
``malformed_sse``      write one unparseable ``data:`` line after the ``start`` event
``silent_stream``      open event streams, then send nothing at all (no heartbeats)
                       for ``silent_seconds`` and close; nothing runs
``lose_answers``       the next N writes (POST, PATCH, PUT, DELETE) are applied, then
                       the connection closes without an answer (an event stream runs
                       to its end unseen); logged with status ``LOST`` (-1)
``stop_mid_request``   the next request is read, not applied, and its connection
                       closes without an answer; the emulator then stops listening
                       (later connections are refused, or dropped unanswered until
                       the listener is closed); logged with status ``DROPPED`` (-2)
``stop_on_write``      like ``stop_mid_request``, for the next write only
``path_prefix``        limit the counting faults and latency to paths starting with it
=====================  ==============================================================
"""

from __future__ import annotations

import threading
from enum import Enum

from octavus_cli.emulator.problems import ApiProblem, retry_later
from octavus_cli.records import field, record

WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
LOST = -1  # the status logged for a write applied whose answer was never sent
DROPPED = -2  # the status logged for a request dropped by a server going down


class Drop(Enum):
    """What the server does instead of answering a request."""

    NONE = "none"
    LOSE_ANSWER = "lose-answer"  # apply it, then close without an answer
    STOP = "stop"  # do not apply it, close, and go down


@record(frozen=False)
class Faults:
    latency: float = 0.0
    fail_first: int = 0
    rate_limit_every: int = 0
    retry_after: int = 1
    cut_stream_after: int | None = None
    malformed_sse: bool = False
    silent_stream: bool = False
    silent_seconds: float = 120.0
    lose_answers: int = 0
    stop_mid_request: bool = False
    stop_on_write: bool = False
    path_prefix: str = ""
    down: bool = False  # set by a stop_mid_request: every later request is dropped
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    _rate_count: int = field(default=0, repr=False, compare=False)

    def applies_to(self, path: str) -> bool:
        return path.startswith(self.path_prefix)

    def request_latency(self, path: str) -> float:
        return self.latency if self.latency > 0 and self.applies_to(path) else 0.0

    def before_request(self, path: str) -> ApiProblem | None:
        """Count this request; the 503 or 429 it must get, if any."""
        if not self.applies_to(path):
            return None
        with self._lock:
            if self.fail_first > 0:
                self.fail_first -= 1
                return retry_later(
                    503,
                    "SERVICE_UNAVAILABLE",
                    "The service is temporarily unavailable (emulator fault: fail_first)",
                    self.retry_after,
                )
            if self.rate_limit_every > 0:
                self._rate_count += 1
                if self._rate_count % self.rate_limit_every == 0:
                    return retry_later(
                        429,
                        "RATE_LIMITED",
                        "Too many requests (emulator fault: rate_limit_every)",
                        self.retry_after,
                    )
        return None

    def drop(self, method: str, path: str) -> Drop:
        """Whether this request goes unanswered (and counts the fault down)."""
        with self._lock:
            if self.down:
                return Drop.STOP
            if not self.applies_to(path):
                return Drop.NONE
            if self.stop_mid_request or (self.stop_on_write and method in WRITE_METHODS):
                self.stop_mid_request = self.stop_on_write = False
                self.down = True
                return Drop.STOP
            if self.lose_answers > 0 and method in WRITE_METHODS:
                self.lose_answers -= 1
                return Drop.LOSE_ANSWER
        return Drop.NONE

    def reset(self) -> None:
        """Turn every fault off and zero the counters."""
        with self._lock:
            self.latency = 0.0
            self.fail_first = 0
            self.rate_limit_every = 0
            self.retry_after = 1
            self.cut_stream_after = None
            self.malformed_sse = False
            self.silent_stream = False
            self.silent_seconds = 120.0
            self.lose_answers = 0
            self.stop_mid_request = False
            self.stop_on_write = False
            self.path_prefix = ""
            self._rate_count = 0
