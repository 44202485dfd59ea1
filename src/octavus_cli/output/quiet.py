"""Quiet output: only what a script needs on stdout (an id, a slug, a failing finding).

Errors still go to stderr, without their hints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from octavus_cli.output.diagnostics import render_findings
from octavus_cli.output.emitter import Emitter

if TYPE_CHECKING:
    from octavus_cli.output.results import ValidationReport
    from octavus_cli.output.results.management import (
        AgentDetails,
        AgentList,
        AgentWritten,
        Archived,
        SkillSyncReport,
        SyncReport,
    )
    from octavus_cli.output.results.tools import EmulatorStarted, Scaffolded
    from octavus_cli.output.results.workforce import ThreadStarted, WorkforceThread


class QuietEmitter(Emitter):
    shows_text = True
    shows_hints = False

    def validation(self, report: ValidationReport) -> None:
        """One line per finding that fails the run; no summary."""
        render_findings(self.reporter, report)

    def sync(self, report: SyncReport) -> None:
        """Agent ids of synced agents; with --dry-run, the slugs that would change."""
        out = self.reporter
        for result in report.results:
            if report.dry_run and result.status.writes and result.slug:
                out.text(result.slug)
            elif not report.dry_run and result.ok and result.agent_id:
                out.text(result.agent_id)
        if not report.single:
            self.warn_unsure(report)

    def skill_sync(self, report: SkillSyncReport) -> None:
        from octavus_cli.output.skill_tables import quiet_lines

        quiet_lines(self.reporter, report.results, dry_run=report.dry_run)

    def thread_started(self, report: ThreadStarted) -> None:
        self.reporter.text(report.ref.thread_id)

    def workforce_thread(self, report: WorkforceThread) -> None:
        """The final text of the latest turn, nothing when there is none."""
        from octavus_cli.output.thread import final_text

        text = final_text(report.thread.get("messages"))
        if text:
            self.reporter.text(text)

    def scaffolded(self, report: Scaffolded) -> None:
        self.reporter.text(str(report.root))

    def emulator_started(self, report: EmulatorStarted) -> None:
        self.reporter.text("\n".join(report.lines))

    def agent_details(self, report: AgentDetails) -> None:
        self.reporter.text(str(report.agent.get("id", "")))

    def agent_written(self, report: AgentWritten) -> None:
        self.reporter.text(str(report.folder))

    def agent_list(self, report: AgentList) -> None:
        for agent in report.agents:
            self.reporter.text(str(agent.get("slug", "")))

    def archived(self, report: Archived) -> None:
        if report.agent_id is not None:
            self.reporter.text(report.agent_id)
