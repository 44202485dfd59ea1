"""The request log: what the emulator received, for tests to assert on.

Keys are never recorded: ``key`` is the *label* of the key that authenticated
the request (``"project:0"`` or the label given for a project key,
``"agent:<agentId>"`` for a per-agent key, ``"invalid"`` for an unknown key,
``None`` when the request carried none).
"""

from __future__ import annotations

import threading
import time
from typing import Any

from octavus_cli.records import field, record


@record(frozen=False)
class RecordedRequest:
    method: str
    path: str  # the path as sent (percent-encoding kept), without the query
    query: dict[str, str]  # first value of each query parameter
    body: Any = None  # the decoded JSON body, or None
    key: str | None = None  # label of the key used, never the key
    status: int = 0  # the status answered (0 while still being handled)
    user_agent: str | None = None
    content_type: str | None = None
    trace: str | None = None  # the X-Octavus-Trace header as sent
    sdk_version: str | None = None  # the X-Octavus-Sdk-Version header as sent
    # time.monotonic() when the request arrived (one clock for every process on the host)
    received: float = field(default_factory=time.monotonic)


@record(frozen=False)
class RequestLog:
    _items: list[RecordedRequest] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, item: RecordedRequest) -> None:
        with self._lock:
            self._items.append(item)

    def snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
