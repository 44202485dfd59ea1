"""The base of every output format: one :class:`Emitter` subclass per format.

An emitter renders typed results (:mod:`octavus_cli.output.results`) and errors
through its reporter's streams. A result calls the method that renders its kind
(``report.emit_to(emitter)`` calls ``emitter.validation(report)``), so a format shows
what it overrides and says plainly what it cannot show. The base class prints an
error as a person reads it, on stderr; machine formats add their document first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from octavus_cli.errors import ConfigError, OctavusError

if TYPE_CHECKING:
    from octavus_cli.output.reporter import Reporter
    from octavus_cli.output.results import Result, ValidationReport
    from octavus_cli.output.results.management import (
        AgentDetails,
        AgentList,
        AgentWritten,
        Archived,
        Findings,
        SkillSecrets,
        SkillSyncReport,
        SyncReport,
    )
    from octavus_cli.output.results.sessions import (
        Conversation,
        SessionChanged,
        SessionDetails,
        SessionExport,
        SessionLog,
    )
    from octavus_cli.output.results.tools import (
        Configuration,
        EmulatorStarted,
        RuleExplained,
        RuleList,
        Scaffolded,
        SchemaDocument,
        TokenMinted,
        TokenRevoked,
        WatchRound,
    )
    from octavus_cli.output.results.workforce import ThreadStarted, WorkforceThread


class Emitter:
    """How one output format shows results, messages and errors."""

    # Information, success lines, tables, progress and live status (human output).
    shows_messages: ClassVar[bool] = False
    # Plain data lines on stdout (``Reporter.text``: an id, a slug per line).
    shows_text: ClassVar[bool] = False
    # The hint under an error on stderr.
    shows_hints: ClassVar[bool] = True
    # The text of the checked files, to show a finding's source line.
    needs_sources: ClassVar[bool] = False

    def __init__(self, reporter: Reporter) -> None:
        self.reporter = reporter

    def unsupported(self, result: Result) -> OctavusError:
        """The usage error for a result this format cannot show."""
        what = type(result).__name__
        return ConfigError(
            f"--format {self.reporter.format} cannot show this command's result ({what})",
            hint="Choose another output format; --help lists them.",
        )

    # -- results (one method per kind; a format overrides what it shows) ----------------
    def validation(self, report: ValidationReport) -> None:
        """``validate`` and ``skills validate``: findings of agent and skill folders."""
        raise self.unsupported(report)

    def findings(self, report: Findings) -> None:
        """Findings that explain why a folder is (not) sent: on stderr, so stdout keeps
        the results; as ``validate`` renders them in the text formats."""
        from octavus_cli.output.diagnostics import render_diagnostics

        out = self.reporter
        on_stderr = out.to(out.mode, stdout=out.stderr)
        render_diagnostics(on_stderr, report.diagnostics, root=report.root, sources=report.sources)

    def sync(self, report: SyncReport) -> None:
        """``sync``: what happened to each agent folder."""
        raise self.unsupported(report)

    def agent_details(self, report: AgentDetails) -> None:
        """``get``: one agent."""
        raise self.unsupported(report)

    def agent_written(self, report: AgentWritten) -> None:
        """``get --output``: the folder an agent was written to."""
        raise self.unsupported(report)

    def agent_list(self, report: AgentList) -> None:
        """``list``: the agents of the project."""
        raise self.unsupported(report)

    def archived(self, report: Archived) -> None:
        """``archive``: the agent archived."""
        raise self.unsupported(report)

    def skill_sync(self, report: SkillSyncReport) -> None:
        """``skills sync``: what happened to each skill folder."""
        raise self.unsupported(report)

    def skill_secrets(self, report: SkillSecrets) -> None:
        """Warnings about a skill's secrets, on stderr in every format (names only)."""
        from octavus_cli.output.skill_tables import secret_warnings

        secret_warnings(self.reporter, report.result)

    def thread_started(self, report: ThreadStarted) -> None:
        """``workforce dispatch`` / ``follow-up``: the thread of the run."""
        raise self.unsupported(report)

    def workforce_thread(self, report: WorkforceThread) -> None:
        """``workforce run / get / wait``: a thread and the agent's latest turn."""
        raise self.unsupported(report)

    def session_details(self, report: SessionDetails) -> None:
        """``sessions show``."""
        raise self.unsupported(report)

    def conversation(self, report: Conversation) -> None:
        """``sessions messages``."""
        raise self.unsupported(report)

    def session_log(self, report: SessionLog) -> None:
        """``sessions logs``."""
        raise self.unsupported(report)

    def session_export(self, report: SessionExport) -> None:
        """``sessions export``: the document goes to stdout whatever the format."""
        self.reporter.emit_json(
            {
                "sessionId": report.session_id,
                "agentId": report.agent_id,
                "input": report.input,
                "messages": report.messages,
            }
        )
        self.reporter.info(
            f"Exported {len(report.messages)} messages of session {report.session_id}"
        )

    def session_changed(self, report: SessionChanged) -> None:
        """``sessions clear`` / ``restore``."""
        raise self.unsupported(report)

    def configuration(self, report: Configuration) -> None:
        """``config``."""
        raise self.unsupported(report)

    def rule_list(self, report: RuleList) -> None:
        """``rules``."""
        raise self.unsupported(report)

    def rule_explained(self, report: RuleExplained) -> None:
        """``rules ID``."""
        raise self.unsupported(report)

    def schema_document(self, report: SchemaDocument) -> None:
        """``schema``: the document goes to stdout as it is, whatever the format."""
        text = report.text
        self.reporter.stdout.write(text if text.endswith("\n") else text + "\n")
        self.reporter.stdout.flush()

    def scaffolded(self, report: Scaffolded) -> None:
        """``init``."""
        raise self.unsupported(report)

    def token_minted(self, report: TokenMinted) -> None:
        """``token mint``."""
        raise self.unsupported(report)

    def token_revoked(self, report: TokenRevoked) -> None:
        """``token revoke``."""
        raise self.unsupported(report)

    def emulator_started(self, report: EmulatorStarted) -> None:
        """``emulator``: where it listens (then it serves until stopped)."""
        raise self.unsupported(report)

    def watch_round(self, report: WatchRound) -> None:
        """``validate --watch``: one line per run (a pipe, a log): time, outcome, summary."""
        from octavus_cli.output.diagnostics import report_summary

        checked = report.report
        summary = report_summary(checked) if checked.checked else "No agent folders"
        outcome = "ok" if checked.valid else "failed"
        self.reporter.stdout.write(f"{report.time} {outcome}: {summary}\n")
        self.reporter.stdout.flush()

    def warn_unsure(self, report: SyncReport) -> None:
        """Name the agents whose write may have been applied although they failed."""
        unsure = report.unsure
        if unsure:
            self.reporter.warning(
                f"{len(unsure)} failed agent(s) may have been written on the platform anyway "
                f"(the answer was lost): {', '.join(unsure)}. Check them with `octavus get`, "
                "or sync again (it reads before it writes)."
            )

    # -- errors -----------------------------------------------------------------------
    def error(self, error: OctavusError) -> None:
        """The failure for a person, on stderr: what went wrong, where, what to do."""
        out = self.reporter
        unsure = bool(error.details.get("ambiguous")) and bool(error.hint)
        out.err.print(out.line("✗", "bold red", error.message))
        for key, label in (("file", "File"), ("status", "Status"), ("apiCode", "Code")):
            value = error.details.get(key)
            if value is None:
                continue
            if key == "file" and "line" in error.details:
                value = f"{value}:{error.details['line']}:{error.details.get('column', 1)}"
            out.dim(f"  {label}: {value}")
        if error.hint and self.shows_hints:
            out.dim(f"  {error.hint}")
        elif unsure:
            out.warning(str(error.hint))
