"""`octavus sync`: create or update agents on the platform, skipping unchanged ones."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from octavus_cli.commands.options import JsonFlag, QuietFlag
from octavus_cli.completion import agent_folders
from octavus_cli.error_handler import run_command
from octavus_cli.global_options import settings_of
from octavus_cli.output import Reporter, mode_from_flags

if TYPE_CHECKING:
    from octavus_cli.errors import OctavusError
    from octavus_cli.management.local import LocalAgent
    from octavus_cli.management.plan import SyncResult
    from octavus_cli.output import ProgressTracker
    from octavus_cli.protocol.diagnostics import Diagnostic
    from octavus_cli.settings import Settings

DEFAULT_JOBS = 8
MAX_JOBS = 32


def sync_command(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH",
            autocompletion=agent_folders,
            help="Agent folders, or folders holding agent folders (searched recursively).",
            show_default=False,
        ),
    ],
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Read the platform but send no write: show create/update/unchanged "
            "and a unified diff per agent.",
        ),
    ] = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            max=MAX_JOBS,
            metavar="N",
            help="Sync up to N agents at the same time.",
        ),
    ] = DEFAULT_JOBS,
    exit_code: Annotated[
        bool,
        typer.Option(
            "--exit-code",
            help="With --dry-run: exit 4 when some agent would be created or updated, 0 "
            "when nothing would change (a drift check for CI); 1 still means a failure.",
        ),
    ] = False,
    json_output: JsonFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Create or update agents on the platform; unchanged agents are left alone.

    Every agent is first checked like `octavus validate`; an agent with errors is
    not sent (warnings do not block). Then the agent is read by slug: absent
    means create, present means compare settings (without slug), protocol,
    prompts and references, and update only when something differs.

    Several paths, or a folder of agent folders, are synced concurrently
    (--jobs), with progress on stderr and a summary table at the end. The exit
    code is 1 when any agent is invalid or failed; the others still complete.

    --json prints {slug, agentId, created, status} for one agent folder (the
    official CLI's shape) and {ok, dryRun, agents: [...]} for several.
    --quiet prints only agent ids (with --dry-run: the slugs that would change).
    With --dry-run, the JSON lists the slugs that would change in "wouldChange".

    --dry-run --exit-code checks for drift: exit 0 when the platform matches
    the folders, 4 when something would change, 1 when an agent is invalid or
    failed.

    Examples:

      octavus sync examples/agents/support-chat

      octavus sync agents/ --dry-run

      octavus sync agents/ --jobs 16 --json > sync-report.json

      octavus sync agents/ --dry-run --exit-code
    """

    def body(out: Reporter) -> int:
        from octavus_cli.errors import ConfigError
        from octavus_cli.output.results.management import SyncReport
        from octavus_cli.protocol.targets import resolve_targets

        if exit_code and not dry_run:
            raise ConfigError(
                "--exit-code only works with --dry-run",
                hint="Run octavus sync PATH --dry-run --exit-code to check for drift.",
            )
        targets = resolve_targets(paths, files_in_agents=False)
        settings = settings_of(ctx)
        if targets.single:
            result, warnings = _sync_one(out, targets.folders[0], settings, dry_run=dry_run)
            results = [result]
        else:
            results = _sync_many(out, targets.folders, settings, dry_run=dry_run, jobs=jobs)
            warnings = []
        out.report(SyncReport(results, dry_run=dry_run, single=targets.single, warnings=warnings))
        return _exit_code(results, changes_fail=exit_code)

    run_command(ctx, body, mode=mode_from_flags(json_output=json_output, quiet=quiet))


# -- shared steps ---------------------------------------------------------------------


def _show_diagnostics(out: Reporter, agent: "LocalAgent") -> None:
    """The agent's findings, rendered exactly as `octavus validate` renders them."""
    if agent.diagnostics:
        from octavus_cli.output.results.management import Findings

        out.report(Findings(agent.diagnostics, agent.path, agent.result.sources))


def _invalid_error(agent: "LocalAgent") -> "OctavusError":
    """The error for an agent that is not sent: FILE_ERROR or VALIDATION_ERROR."""
    from octavus_cli.errors import ValidationFailed

    lists: dict[str, Any] = {
        "errors": [d.to_json() for d in agent.errors],
        "warnings": [d.to_json() for d in agent.warnings],
    }
    if agent.file_error is not None:
        agent.file_error.details.update(lists)
        return agent.file_error
    count = len(agent.errors)
    return ValidationFailed(
        f"{count} error{'s' if count != 1 else ''} in {agent.path}; the agent was not sent",
        hint=f"Fix the errors (`octavus validate {agent.path}` lists them), then sync again.",
        details={"slug": agent.slug, "path": str(agent.path), **lists},
    )


# -- one agent folder: the official CLI's output --------------------------------------


def _exit_code(results: "list[SyncResult]", *, changes_fail: bool) -> int:
    """1 if any agent failed; else, under --exit-code, 4 if any would change; else 0."""
    from octavus_cli.errors import ExitCode

    if not all(r.ok for r in results):
        return int(ExitCode.FAILURE)
    if changes_fail and any(r.status.writes for r in results):
        return int(ExitCode.CHANGES_PENDING)
    return int(ExitCode.OK)


def _sync_one(
    out: Reporter, path: Path, settings: "Settings", *, dry_run: bool
) -> "tuple[SyncResult, list[Diagnostic]]":
    """The agent's result and its warnings (the official JSON lists them)."""
    from octavus_cli.management.connection import agents_api
    from octavus_cli.management.local import load_agent
    from octavus_cli.management.plan import sync_agent

    out.info(f"Reading agent from {path}...")
    agent = load_agent(path)
    _show_diagnostics(out, agent)
    if not agent.is_valid:
        raise _invalid_error(agent)
    assert agent.definition is not None
    with agents_api(settings, out.info) as api:
        verb = "Comparing" if dry_run else "Syncing"
        out.info(f"{verb} {agent.definition.slug}...")
        result = sync_agent(
            api, agent.definition, path, dry_run=dry_run, diagnostics=agent.diagnostics
        )
    if result.error is not None:
        raise result.error
    return result, agent.warnings


# -- several agents: concurrent, with progress and a summary --------------------------


def _sync_many(
    out: Reporter, folders: list[Path], settings: "Settings", *, dry_run: bool, jobs: int
) -> "list[SyncResult]":
    from octavus_cli.management.local import load_agent

    agents = [load_agent(folder) for folder in folders]
    for agent in agents:
        _show_diagnostics(out, agent)
    results = _results_of_invalid(agents, dry_run=dry_run)
    verb = "Comparing" if dry_run else "Syncing"
    sendable = len(agents) - len(results)
    noun = "agent folder" if len(agents) == 1 else "agent folders"
    out.info(
        f"{verb} {sendable} of {len(agents)} {noun}, {min(jobs, max(1, sendable))} at a time..."
    )
    with out.progress(len(agents), verb) as progress:
        for result in results.values():
            progress.advance(result.slug or str(result.path), result.status.value)
        _sync_valid(out, agents, results, progress, settings, dry_run=dry_run, jobs=jobs)
    return [results[i] for i in range(len(agents))]


def _results_of_invalid(agents: "list[LocalAgent]", *, dry_run: bool) -> "dict[int, SyncResult]":
    """``invalid`` results for the folders not sent: local errors, or a slug used twice."""
    from octavus_cli.errors import ValidationFailed
    from octavus_cli.management.plan import Status, SyncResult

    results: dict[int, SyncResult] = {}
    first_with_slug: dict[str, LocalAgent] = {}
    for index, agent in enumerate(agents):
        error: OctavusError | None = None
        if not agent.is_valid:
            error = _invalid_error(agent)
        elif agent.slug is not None and agent.slug in first_with_slug:
            other = first_with_slug[agent.slug].path
            error = ValidationFailed(
                f"the slug {agent.slug} is also used by {other}; this folder was not sent",
                hint="Give every agent folder its own slug in settings.json.",
            )
        elif agent.slug is not None:
            first_with_slug[agent.slug] = agent
        if error is not None:
            results[index] = SyncResult(
                agent.path,
                agent.slug,
                Status.INVALID,
                error=error,
                diagnostics=agent.diagnostics,
                dry_run=dry_run,
            )
    return results


def _sync_valid(
    out: Reporter,
    agents: "list[LocalAgent]",
    results: "dict[int, SyncResult]",
    progress: "ProgressTracker",
    settings: "Settings",
    *,
    dry_run: bool,
    jobs: int,
) -> None:
    """Sync the agents that have no result yet, ``jobs`` at a time, filling ``results``."""
    from octavus_cli.management.connection import agents_api
    from octavus_cli.management.plan import sync_agent
    from octavus_cli.management.pool import run_bounded

    pending = [(i, a) for i, a in enumerate(agents) if i not in results]
    if not pending:
        return
    with agents_api(settings, out.info) as api:

        def work(item: "tuple[int, LocalAgent]") -> "SyncResult":
            agent = item[1]
            assert agent.definition is not None
            return sync_agent(
                api, agent.definition, agent.path, dry_run=dry_run, diagnostics=agent.diagnostics
            )

        def done(item: "tuple[int, LocalAgent]", result: "SyncResult") -> None:
            results[item[0]] = result
            progress.advance(result.slug or str(result.path), result.status.value)

        run_bounded(pending, work, jobs=jobs, on_done=done)
