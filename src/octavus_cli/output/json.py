"""JSON output: exactly one JSON document on stdout, also on errors, and nothing else there.

The documents of ``validate`` and ``skills validate`` are built here from the results:
one folder named gives that folder's result alone (the official CLI's shape), several
give every result with a summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from octavus_cli.output.emitter import Emitter

if TYPE_CHECKING:
    from octavus_cli.errors import OctavusError
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
    from octavus_cli.protocol.registry import Rule
    from octavus_cli.protocol.validate import AgentResult
    from octavus_cli.skills.validate import SkillResult


class JsonEmitter(Emitter):
    def validation(self, report: ValidationReport) -> None:
        self.reporter.emit_json(validation_document(report))

    def sync(self, report: SyncReport) -> None:
        self.reporter.emit_json(sync_document(report))
        if not report.single:
            self.warn_unsure(report)

    def skill_sync(self, report: SkillSyncReport) -> None:
        if report.single:
            result = report.results[0]
            doc = result.to_json()
            if report.dry_run:
                doc["dryRun"] = True
            if report.warnings:
                doc["warnings"] = [d.to_json() for d in report.warnings]
            self.reporter.emit_json(doc)
            return
        from octavus_cli.output.tables import status_counts

        results = report.results
        self.reporter.emit_json(
            {
                "ok": report.ok,
                "dryRun": report.dry_run,
                "summary": status_counts(results, report.statuses),
                "skills": [r.to_json() for r in results],
            }
        )

    def thread_started(self, report: ThreadStarted) -> None:
        self.reporter.emit_json(report.ref.to_json())

    def workforce_thread(self, report: WorkforceThread) -> None:
        self.reporter.emit_json(report.thread)

    def session_details(self, report: SessionDetails) -> None:
        self.reporter.emit_json(report.state.to_json())

    def conversation(self, report: Conversation) -> None:
        self.reporter.emit_json({"sessionId": report.session_id, "messages": report.messages})

    def session_log(self, report: SessionLog) -> None:
        from octavus_cli.output.sessions import logs_json

        self.reporter.emit_json(logs_json(report.logs))

    def session_changed(self, report: SessionChanged) -> None:
        self.reporter.emit_json({"sessionId": report.session_id, report.change: report.done})

    def configuration(self, report: Configuration) -> None:
        self.reporter.emit_json(report.info)

    def rule_list(self, report: RuleList) -> None:
        self.reporter.emit_json([rule_json(rule) for rule in report.rules])

    def rule_explained(self, report: RuleExplained) -> None:
        self.reporter.emit_json({**rule_json(report.rule), "doc": report.doc})

    def scaffolded(self, report: Scaffolded) -> None:
        doc = {"path": str(report.root), "kind": report.kind, "slug": report.slug}
        self.reporter.emit_json({**doc, "files": list(report.files)})

    def token_minted(self, report: TokenMinted) -> None:
        doc = {"token": report.token, "jti": report.jti, "expiresAt": report.expires_at}
        self.reporter.emit_json(doc)

    def token_revoked(self, report: TokenRevoked) -> None:
        document: dict[str, object] = {"revoked": report.revoked}
        if report.jti:
            document["jti"] = report.jti
        self.reporter.emit_json(document)

    def emulator_started(self, report: EmulatorStarted) -> None:
        self.reporter.emit_json(
            {
                "url": report.url,
                "env": report.env,
                "agentKeys": report.agent_keys,
                "data": report.data,
                "keyReused": report.key_reused,
            }
        )

    def watch_round(self, report: WatchRound) -> None:
        """One document per run: a JSON Lines stream."""
        self.reporter.emit_json_line(validation_document(report.report))

    def agent_details(self, report: AgentDetails) -> None:
        self.reporter.emit_json(report.agent)

    def agent_written(self, report: AgentWritten) -> None:
        files = [str(f) for f in report.files]
        self.reporter.emit_json({**report.agent, "output": str(report.folder), "files": files})

    def agent_list(self, report: AgentList) -> None:
        self.reporter.emit_json({"agents": report.agents})

    def archived(self, report: Archived) -> None:
        doc: dict[str, object] = {"slug": report.slug, "agentId": report.agent_id, "archived": True}
        if report.note:
            doc["note"] = report.note
        self.reporter.emit_json(doc)

    def error(self, error: OctavusError) -> None:
        out = self.reporter
        if out.json_emitted:  # the document is out: the error goes to stderr only
            super().error(error)
            return
        out.emit_json(error.to_json())
        if error.details.get("ambiguous") and error.hint:
            # a write that may have been applied: say so where a person looks
            out.warning(f"{error.message.rstrip('.')}. {error.hint}")


def validation_document(report: ValidationReport) -> dict[str, Any]:
    """The ``--json`` document of a validation: agents, skills, or both together."""
    strict, single = report.strict, report.single
    if report.skills is None:
        return summary_document(report.agents or (), noun="agents", strict=strict, single=single)
    if report.agents is None:
        return summary_document(report.skills, noun="skills", strict=strict, single=single)
    doc = summary_document(report.agents, noun="agents", strict=strict)
    extra = summary_document(report.skills, noun="skills", strict=strict)
    doc["valid"] = report.valid
    doc["skills"] = extra["skills"]
    for key, value in extra["summary"].items():
        doc["summary"][key] = doc["summary"].get(key, 0) + value if key != "skills" else value
    return doc


def summary_document(
    results: Sequence[AgentResult] | Sequence[SkillResult],
    *,
    noun: str,
    strict: bool = False,
    single: bool = False,
) -> dict[str, Any]:
    """``--json``: the one result's document, or every result (under ``noun``) and a summary."""
    if single and len(results) == 1:
        return results[0].to_json(strict=strict)
    return {
        "valid": all(r.valid(strict=strict) for r in results),
        noun: [r.to_json(strict=strict) for r in results],
        "summary": {
            noun: len(results),
            "invalid": sum(1 for r in results if not r.valid(strict=strict)),
            "errors": sum(len(r.errors) for r in results),
            "warnings": sum(len(r.warnings) for r in results),
        },
    }


def sync_document(report: SyncReport) -> dict[str, Any]:
    """``sync --json``: the official one-agent shape, or ``{ok, dryRun, summary, agents}``."""
    if report.single:
        result = report.results[0]
        doc: dict[str, Any] = {
            "slug": result.slug,
            "agentId": result.agent_id,
            "created": result.status.value in ("created", "create"),
            "status": result.status.value,
        }
        if result.note:
            doc["note"] = result.note
        if report.warnings:
            doc["warnings"] = [d.to_json() for d in report.warnings]
        if report.dry_run:
            doc["dryRun"] = True
            doc["diff"] = "\n".join(result.diff)
            doc["wouldChange"] = report.would_change
        return doc
    from octavus_cli.output.tables import status_counts

    done = ("create", "update") if report.dry_run else ("created", "updated")
    kinds = (*done, "unchanged", "invalid", "failed")
    document: dict[str, Any] = {
        "ok": report.ok,
        "dryRun": report.dry_run,
        "summary": status_counts(report.results, kinds),
        "agents": [r.to_json() for r in report.results],
    }
    if report.dry_run:
        document["wouldChange"] = report.would_change
    return document


def rule_json(rule: Rule) -> dict[str, Any]:
    """A rule in ``rules --json``: id, name, severity, summary and hint."""
    return {
        "id": rule.code,
        "name": rule.name,
        "severity": rule.severity.value,
        "summary": rule.summary,
        "hint": " ".join(rule.hint.split()),
    }
