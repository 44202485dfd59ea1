"""What a run says while it waits: one line per retry, and a busy session only once.

Two layers wait on a busy session (the HTTP layer's retries, then the Sessions
API's extra rounds); without this each wait would print a line. A busy session is
announced once per message, with the reason a person needs: an earlier answer
(for example one stopped with Ctrl-C) may still be running on the platform.
"""

from __future__ import annotations

from collections.abc import Callable

from octavus_cli.platform.connect import retry_line
from octavus_cli.records import record

BUSY_PREFIX = "The session is busy"
BUSY_LINE = (
    "The session is busy: an earlier answer (a stopped one goes on running on the "
    "platform until it ends) is not finished yet; waiting for it..."
)


@record(frozen=False)
class RetryNotices:
    status: Callable[[str], None]
    busy_announced: bool = False

    def on_retry(self, reason: str, delay: float) -> None:
        """The HTTP layer's ``on_retry``: ``reason`` is a sentence, ``delay`` seconds."""
        if reason.startswith(BUSY_PREFIX):
            self.busy()
            return
        self.status(retry_line(reason, delay))

    def on_busy(self, delay: float, round_number: int) -> None:
        """The Sessions API's ``on_busy`` (another round of waiting)."""
        self.busy()

    def busy(self) -> None:
        if not self.busy_announced:
            self.busy_announced = True
            self.status(BUSY_LINE)

    def new_message(self) -> None:
        """A new message: a busy session is worth saying again."""
        self.busy_announced = False
