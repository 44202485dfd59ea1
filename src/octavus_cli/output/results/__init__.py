"""Typed results that commands hand to the reporter, one class per kind of outcome.

A command builds one of these and calls ``reporter.report(result)``; the emitter of
the chosen format renders it. They hold the facts, never their presentation, and
reference the feature packages' own types only for type checking, so importing them
stays cheap and ``output/`` never imports the packages above it.

This module holds the base and what ``validate`` reports (it is on the fast path);
the other results live beside it by family: :mod:`.management` (sync and the
findings it shows, get, list, archive, skills sync), :mod:`.sessions`,
:mod:`.workforce` and :mod:`.tools` (config, rules, init, token, emulator).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from octavus_cli.records import record

if TYPE_CHECKING:
    from octavus_cli.output.emitter import Emitter
    from octavus_cli.protocol.validate import AgentResult
    from octavus_cli.skills.validate import SkillResult


class Result:
    """Something a command reports; it calls the emitter's method for its kind."""

    def emit_to(self, emitter: Emitter) -> None:
        raise NotImplementedError

    def summary_markdown(self) -> str | None:
        """The result in the job summary (Markdown), or None to add nothing."""
        return None


@record
class ValidationReport(Result):
    """Findings of ``validate`` / ``skills validate``: agent folders, skill folders or both.

    ``agents`` or ``skills`` is None when that kind was not looked for (a JSON document
    then has no such list). ``single`` means one folder was named: the JSON document is
    that folder's result alone, the official CLI's shape. ``job_summary``: also add
    it to GitHub's job summary (``validate`` does; ``skills validate`` and ``--watch``
    do not).
    """

    agents: Sequence[AgentResult] | None = None
    skills: Sequence[SkillResult] | None = None
    strict: bool = False
    single: bool = False
    job_summary: bool = False

    def emit_to(self, emitter: Emitter) -> None:
        emitter.validation(self)

    @property
    def checked(self) -> list[AgentResult | SkillResult]:
        """Every folder's result, agents first."""
        return [*(self.agents or ()), *(self.skills or ())]

    @property
    def noun(self) -> str:
        """What was checked, for the summary line: agent, skill or folder."""
        if self.skills is None:
            return "agent"
        return "skill" if not self.agents else "folder"

    @property
    def valid(self) -> bool:
        return all(r.valid(strict=self.strict) for r in self.checked)

    def summary_markdown(self) -> str | None:
        if not self.job_summary:
            return None
        from octavus_cli.output.summary import validation_markdown

        return validation_markdown(self.agents or (), strict=self.strict)
