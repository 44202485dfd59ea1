"""What ``octavus workforce`` reports: a dispatched run, a thread."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from octavus_cli.output.results import Result
from octavus_cli.records import record

if TYPE_CHECKING:
    from octavus_cli.output.emitter import Emitter
    from octavus_cli.output.summary import RunSummary
    from octavus_cli.platform.workforce import ThreadRef


@record
class ThreadStarted(Result):
    """A Workforce run dispatched (``workforce dispatch``): its thread, and how to wait."""

    ref: ThreadRef
    agent_id: str
    verb: str  # "Dispatched to", "Sent a follow-up to"
    wait_command: str

    def emit_to(self, emitter: Emitter) -> None:
        emitter.thread_started(self)


@record
class WorkforceThread(Result):
    """A Workforce thread as the platform returns it.

    ``finished``: the run is completed, failed or cancelled. ``summary``: the run's
    outcome for the job summary (``workforce run`` and ``wait``).
    """

    thread: Mapping[str, Any]
    finished: bool
    summary: RunSummary | None = None

    def emit_to(self, emitter: Emitter) -> None:
        emitter.workforce_thread(self)

    def summary_markdown(self) -> str | None:
        from octavus_cli.output.summary import run_markdown

        return run_markdown(self.summary) if self.summary is not None else None
