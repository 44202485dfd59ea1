"""Human output: rich text for a person, colour only on a terminal (see :mod:`.console`).

Findings are shown ruff-style (:mod:`.diagnostics`); results go to stdout, information,
progress and errors to stderr.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from octavus_cli.output.diagnostics import render_findings, report_summary
from octavus_cli.output.emitter import Emitter
from octavus_cli.output.plain import Styled

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
    from octavus_cli.output.results.sessions import (
        Conversation,
        SessionChanged,
        SessionDetails,
        SessionLog,
    )
    from octavus_cli.output.results.tools import (
        Configuration,
        EmulatorStarted,
        RuleExplained,
        RuleList,
        Scaffolded,
        TokenMinted,
        TokenRevoked,
        WatchRound,
    )
    from octavus_cli.output.results.workforce import ThreadStarted, WorkforceThread

CLEAR_SCREEN = "\x1b[2J\x1b[H"
# The columns of ``octavus list``: title and the agent's key.
AGENT_COLUMNS = (("SLUG", "slug"), ("NAME", "name"), ("FORMAT", "format"), ("ID", "id"))


class HumanEmitter(Emitter):
    shows_messages = True
    shows_text = True
    needs_sources = True

    def validation(self, report: ValidationReport) -> None:
        render_findings(self.reporter, report)
        if not report.checked:
            return
        ok = report.valid
        line = Styled()
        line.append("✓ " if ok else "✗ ", style="bold green" if ok else "bold red")
        line.append(report_summary(report))
        self.reporter.out.print(line)

    def sync(self, report: SyncReport) -> None:
        from octavus_cli.output import tables

        out = self.reporter
        if report.single:  # the official CLI's lines
            result = report.results[0]
            tables.result_line(out, result)
            tables.diff(out, result.diff)
            if report.dry_run:
                out.info("Dry run: nothing was sent.")
            return
        for result in report.results:
            if result.diff:
                word = tables.RESULT_WORDS[result.status.value]
                out.success(f"{word}: {result.slug} ({result.path})")
                tables.diff(out, result.diff)
                out.blank()
        out.render(tables.summary_table(report.results))
        out.blank()
        tail = " (dry run: nothing was sent)" if report.dry_run else ""
        out.text(tables.totals(report.results) + tail)
        # One block per failed or invalid agent on stderr: which, what went wrong, what to do.
        for result in report.results:
            if not result.ok and result.error is not None:
                self.error(tables.labelled(result.error, str(result.slug or result.path)))
        self.warn_unsure(report)

    def skill_sync(self, report: SkillSyncReport) -> None:
        from octavus_cli.output import skill_tables

        if report.single:
            skill_tables.one_result(self.reporter, report.results[0], dry_run=report.dry_run)
        else:
            skill_tables.many_results(
                self.reporter, report.results, dry_run=report.dry_run, statuses=report.statuses
            )

    def thread_started(self, report: ThreadStarted) -> None:
        out = self.reporter
        ref = report.ref
        out.success(f"{report.verb} agent {report.agent_id}: thread {ref.thread_id} ({ref.status})")
        out.detail("Wait for it", report.wait_command)

    def workforce_thread(self, report: WorkforceThread) -> None:
        """The agent's latest turn: text as markdown, steps as a list."""
        from octavus_cli.output.thread import render_turn

        if not render_turn(self.reporter, report.thread.get("messages")) and not report.finished:
            self.reporter.info("The agent has not answered yet.")

    def session_details(self, report: SessionDetails) -> None:
        from octavus_cli.output.sessions import render_state

        render_state(self.reporter, report.state)

    def conversation(self, report: Conversation) -> None:
        from octavus_cli.output.sessions import conversation_text

        if report.messages:
            self.reporter.text(conversation_text(report.messages))
        else:
            self.reporter.info(f"Session {report.session_id} has no messages yet")

    def session_log(self, report: SessionLog) -> None:
        from octavus_cli.output.sessions import render_logs

        render_logs(self.reporter, report.logs)

    def session_changed(self, report: SessionChanged) -> None:
        out = self.reporter
        if report.change == "cleared":
            out.success(f"Cleared: {report.session_id}")
        elif report.done:
            out.success(f"Restored: {report.session_id} ({report.messages} messages)")
        else:
            out.warning(f"Session {report.session_id} is active; nothing was restored")

    def configuration(self, report: Configuration) -> None:
        from octavus_cli.config import DEFAULT_API_URL

        out = self.reporter
        info = report.info
        out.detail("Environment file", info["envFile"] or "none loaded")
        default = " (default)" if info["baseUrl"] == DEFAULT_API_URL else ""
        out.detail("Base URL", f"{info['baseUrl']}{default}")
        for name, family in info["families"].items():
            where = family["keySource"] or "not set"
            out.detail(f"Key for {name} ({family['usedBy']})", where)
            if family["problem"]:
                out.warning(f"{name}: {family['problem']}")

    def rule_list(self, report: RuleList) -> None:
        rules = report.rules
        width = max(len(rule.name) for rule in rules)
        lines = [
            f"{rule.code}  {rule.name:<{width}}  {rule.severity.value:<7}  {rule.summary}"
            for rule in rules
        ]
        lines.append("")
        lines.append(f"{len(rules)} rules. Run octavus rules ID for one rule's documentation.")
        self.reporter.stdout.write("\n".join(lines) + "\n")
        self.reporter.stdout.flush()

    def rule_explained(self, report: RuleExplained) -> None:
        self.reporter.stdout.write(report.doc)
        self.reporter.stdout.flush()

    def scaffolded(self, report: Scaffolded) -> None:
        out = self.reporter
        what = "skill" if report.kind == "skill" else f"{report.kind} agent"
        out.success(f"Created {what} {report.slug} in {report.root}")
        for file in report.files:
            out.text(f"  {file}")
        place = str(report.root)
        if report.kind == "skill":
            out.info(f"Next: add scripts, then reference it in a protocol as skills: {report.slug}")
            return
        run_args = '-i TOPIC="tides"' if report.kind == "worker" else '-m "Hello"'
        out.info(
            f"Next: octavus validate {place} && octavus sync {place} && "
            f"octavus run {place} {run_args}"
        )

    def token_minted(self, report: TokenMinted) -> None:
        out = self.reporter
        out.stdout.write(report.token + "\n")
        out.stdout.flush()
        out.info(f"Token for {report.scope}, expires {report.expires_at or 'at an unknown time'}")

    def token_revoked(self, report: TokenRevoked) -> None:
        if report.revoked:
            self.reporter.success(f"Revoked (jti {report.jti or '?'})")
        else:
            self.reporter.warning(
                "Nothing revoked: the token is unknown, expired or already revoked"
            )

    def emulator_started(self, report: EmulatorStarted) -> None:
        out = self.reporter
        data = report.data
        out.text("\n".join(report.lines))
        out.info(f"Data: {data}" if data else "Data: in memory (lost when the emulator stops)")
        if report.key_reused:
            out.info(f"Key: the one stored in {data}, so exports from before still work")
        elif report.key_kept:
            out.info(f"Key: new, stored in {data} for the next start with --data {data}")
        out.info("Press Ctrl-C to stop.")

    def watch_round(self, report: WatchRound) -> None:
        """On a terminal: clear the screen and show the full report; else one line."""
        out = self.reporter
        if not out.stdout_is_tty:
            super().watch_round(report)
            return
        out.stdout.write(CLEAR_SCREEN)
        out.stdout.flush()
        self.validation(report.report)

    def agent_details(self, report: AgentDetails) -> None:
        """The official CLI's layout, plus references."""
        out = self.reporter
        agent = report.agent
        settings = agent.get("settings") or {}
        out.blank()
        out.success(f"Agent: {settings.get('name', '?')}")
        out.blank()
        out.detail("Slug", str(settings.get("slug", "?")))
        out.detail("ID", str(agent.get("id", "?")))
        out.detail("Format", str(settings.get("format", "?")))
        if settings.get("description"):
            out.detail("Description", str(settings["description"]))
        out.blank()
        out.detail("Prompts", _names(agent.get("prompts")))
        out.detail("References", _names(agent.get("references")))

    def agent_written(self, report: AgentWritten) -> None:
        out = self.reporter
        out.success(f"Wrote {report.slug} to {report.folder}")
        out.detail("Agent ID", str(report.agent.get("id", "?")))
        out.detail("Files", str(len(report.files)))

    def agent_list(self, report: AgentList) -> None:
        from octavus_cli.output import tables

        out = self.reporter
        agents = report.agents
        if not agents:
            out.info("No agents found. Create one with `octavus sync PATH`.")
            return
        out.render(
            tables.table(
                [title for title, _ in AGENT_COLUMNS],
                [[str(agent.get(key) or "") for _, key in AGENT_COLUMNS] for agent in agents],
            )
        )
        out.blank()
        out.text(f"{len(agents)} agent{'' if len(agents) == 1 else 's'}")

    def archived(self, report: Archived) -> None:
        out = self.reporter
        out.success(f"Archived: {report.slug}")
        if report.agent_id is not None:
            out.detail("Agent ID", report.agent_id)
        if report.note:
            out.detail("Note", report.note)


def _names(items: Any) -> str:
    names = [str(i.get("name")) for i in items or [] if isinstance(i, dict)]
    return ", ".join(names) if names else "(none)"
