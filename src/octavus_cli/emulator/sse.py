"""Server-sent event framing, heartbeats and the stream faults.

Events are written as ``data: <json>`` followed by a blank line; the stream ends
with ``data: [DONE]``. While a stream is open a background thread writes a
``: heartbeat`` comment whenever nothing was written for ``heartbeat_interval``
seconds (the platform does this every 15 s). Writes are serialized by a lock.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

DONE_LINE = b"data: [DONE]\n\n"
GONE_POLL = 0.1  # seconds between checks for a client that hung up while we wait
HEARTBEAT_LINE = b": heartbeat\n\n"
MALFORMED_LINE = b'data: {"type": "text-delta", "delta": "this line is cut off\n\n'


class StreamClosed(Exception):
    """The client went away, or the emulator is stopping."""


class StreamCut(StreamClosed):
    """A ``cut_stream_after`` fault ended the stream on purpose."""


class SseStream:
    def __init__(
        self,
        write: Callable[[bytes], None],
        *,
        heartbeat_interval: float,
        stopping: threading.Event,
        cut_after: int | None = None,
        malformed: bool = False,
        client_gone: Callable[[], bool] | None = None,
    ) -> None:
        self._write = write
        self._client_gone = client_gone
        self._interval = heartbeat_interval
        self._stopping = stopping
        self._cut_after = cut_after
        self._malformed = malformed
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._broken = False
        self._last_write = time.monotonic()
        self.events_sent = 0
        self.heartbeats_sent = 0
        self._heartbeat: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def open(self) -> None:
        if self._interval > 0:
            self._heartbeat = threading.Thread(
                target=self._beat, name="emulator-heartbeat", daemon=True
            )
            self._heartbeat.start()

    def close(self) -> None:
        self._closed.set()
        if self._heartbeat is not None and self._heartbeat is not threading.current_thread():
            self._heartbeat.join(timeout=2)

    @property
    def broken(self) -> bool:
        return self._broken

    # -- writing -----------------------------------------------------------------------------
    def _raw(self, data: bytes) -> None:
        with self._lock:
            if self._broken:
                raise StreamClosed("the stream is closed")
            try:
                self._write(data)
            except (OSError, ValueError) as exc:
                self._broken = True
                raise StreamClosed(str(exc)) from None
            self._last_write = time.monotonic()

    def send(self, event: dict[str, Any]) -> None:
        """One ``data:`` event (after the stream faults have had their say)."""
        if self._stopping.is_set():
            raise StreamClosed("the emulator is stopping")
        if self._cut_after is not None and self.events_sent >= self._cut_after:
            self._broken = True
            raise StreamCut(f"stream cut after {self._cut_after} events (emulator fault)")
        payload = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
        self._raw(f"data: {payload}\n\n".encode())
        self.events_sent += 1
        if self._malformed and self.events_sent == 1:
            self._raw(MALFORMED_LINE)

    def done(self) -> None:
        self._raw(DONE_LINE)

    def sleep(self, seconds: float) -> None:
        """Wait (heartbeats keep flowing); stops early when the emulator stops or the
        client hangs up, which is checked every ``GONE_POLL`` seconds, so an aborted
        run frees its session at once instead of at the next write."""
        deadline = time.monotonic() + max(0.0, seconds)
        while True:
            left = deadline - time.monotonic()
            if self._stopping.wait(max(0.0, min(left, GONE_POLL))):
                raise StreamClosed("the emulator is stopping")
            if self._client_gone is not None and self._client_gone():
                self._broken = True
                raise StreamClosed("the client went away")
            if left <= GONE_POLL:
                return

    def _beat(self) -> None:
        poll = max(0.01, min(self._interval / 4, 1.0))
        while not self._closed.wait(poll):
            if self._broken:
                return
            if time.monotonic() - self._last_write >= self._interval:
                try:
                    self._raw(HEARTBEAT_LINE)
                    self.heartbeats_sent += 1
                except StreamClosed:
                    return
