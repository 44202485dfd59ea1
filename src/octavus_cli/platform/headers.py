"""Headers of session, worker, file and token calls (CONTRACT section 1).

``X-Octavus-Sdk-Version: 4`` (the wire-format major this client parses) goes on
every one of them; ``X-Octavus-Trace: true`` only on the requests of a traced
run, never with another value.
"""

from __future__ import annotations

SDK_VERSION_HEADER = "X-Octavus-Sdk-Version"
SDK_VERSION = "4"
TRACE_HEADER = "X-Octavus-Trace"


def session_headers(*, trace: bool = False) -> dict[str, str]:
    headers = {SDK_VERSION_HEADER: SDK_VERSION}
    if trace:
        headers[TRACE_HEADER] = "true"
    return headers
