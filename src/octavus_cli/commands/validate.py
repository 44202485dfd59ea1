"""`octavus validate`: check agent folders offline, with precise diagnostics."""

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from octavus_cli.commands.options import JsonFlag, QuietFlag, format_completion, parse_format
from octavus_cli.completion import agent_folders
from octavus_cli.error_handler import run_command
from octavus_cli.errors import ConfigError
from octavus_cli.global_options import settings_of
from octavus_cli.output import Mode, Reporter

if TYPE_CHECKING:
    from octavus_cli.protocol.validate import AgentResult
    from octavus_cli.settings import Settings


def choose_mode(
    *, json_output: bool, output_format: str | None, quiet: bool
) -> tuple[Mode | str, str | None]:
    """The output format, and a usage problem to report if the flags disagree."""
    if json_output and output_format not in (None, Mode.JSON.value):
        return Mode.JSON, f"--json and --format {output_format} disagree; give one of them"
    if json_output:
        return Mode.JSON, None
    if output_format not in (None, Mode.HUMAN.value):
        return output_format, None
    if quiet:
        return Mode.QUIET, None
    if output_format is None and os.environ.get("GITHUB_ACTIONS") == "true":
        return Mode.GITHUB, None
    return Mode.HUMAN, None


def validate_command(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH",
            autocompletion=agent_folders,
            help="Agent folders, folders that contain agent folders, or files inside agent "
            "folders (each stands for its folder).",
            show_default=False,
        ),
    ],
    json_output: JsonFlag = False,
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            parser=parse_format,
            autocompletion=format_completion,
            metavar="<human|json|github|sarif>",
            help="human (default), json (same as --json), github (workflow annotations; "
            "the default when GITHUB_ACTIONS=true) or sarif (SARIF 2.1.0 for code scanning).",
            show_default=False,
        ),
    ] = None,
    quiet: QuietFlag = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Fail (exit 1) on warnings too, not only on errors; with --json, valid is "
            "false then.",
        ),
    ] = False,
    remote: Annotated[
        bool,
        typer.Option(
            "--remote",
            help="Also send each definition to the platform's validator (needs "
            "OCTAVUS_CLI_API_KEY) and add its findings, marked as from the platform.",
        ),
    ] = False,
    watch: Annotated[
        bool,
        typer.Option(
            "--watch",
            "-w",
            help="Validate again whenever a file under PATH changes, until Ctrl-C. On a "
            "terminal the screen is redrawn; otherwise one line per run (one JSON document "
            "per line with --json).",
        ),
    ] = False,
    skip_unrelated: Annotated[
        bool,
        typer.Option(
            "--skip-unrelated",
            help="Skip file paths that are not inside an agent folder instead of reporting "
            "them (for pre-commit, which passes every changed file).",
        ),
    ] = False,
) -> None:
    """Check agent folders offline: schema, names, prompts, models and more.

    Every problem is reported with its file, line and column, a rule id and
    name, and a hint; octavus rules lists the rules and octavus rules OCT201
    explains one. Nothing is sent anywhere unless --remote is given;
    no key or network is needed.

    Exit status: 0 when every agent is valid, 1 when any has an error (or a
    warning, with --strict), 2 for a usage or configuration problem.

    Examples:

      octavus validate examples/agents/support-chat

      octavus validate agents/ --strict

      octavus validate agents/ --json > report.json

      octavus validate agents/ --format github

      octavus validate agents/ --format sarif > octavus.sarif

      octavus validate --watch agents/support-chat
    """
    mode, problem = choose_mode(json_output=json_output, output_format=output_format, quiet=quiet)

    def body(out: Reporter) -> int:
        if problem is not None:
            raise ConfigError(problem, hint="Run octavus validate --help for the options.")
        if watch:
            if remote:
                raise ConfigError(
                    "--watch and --remote cannot be combined",
                    hint="Watch locally; run validate --remote once when you are done.",
                )
            from octavus_cli.authoring.watch import watch_validation

            return watch_validation(out, paths, strict=strict)
        from octavus_cli.gc_pause import paused_gc

        with paused_gc():  # findings by the 10k, then their JSON: no collector rescans
            return run_validation(
                out,
                paths,
                strict=strict,
                remote=remote,
                skip=skip_unrelated,
                settings=settings_of(ctx),
            )

    run_command(ctx, body, mode=mode)


def run_validation(
    out: Reporter,
    paths: list[str],
    *,
    strict: bool,
    remote: bool,
    skip: bool,
    settings: "Settings | None" = None,
) -> int:
    """Validate the agent (and skill) folders behind ``paths``; ``remote`` also asks the
    platform, reached with ``settings`` (the process environment when None)."""
    from octavus_cli.output.results import ValidationReport
    from octavus_cli.protocol.bulk import validate_folders
    from octavus_cli.protocol.targets import resolve_targets
    from octavus_cli.skills.folders import owning_skill, skills_among

    targets = resolve_targets(paths, skip_unrelated=skip)
    # Skill folders (and files in them) found among the paths are checked as skills.
    targets.folders, skill_folders = skills_among(paths, targets.folders)
    targets.skipped = [p for p in targets.skipped if owning_skill(p) is None]
    for path in targets.skipped:
        out.info(f"Skipped {path}: not inside an agent folder")
    if skill_folders:
        return _validate_with_skills(
            out, targets.folders, skill_folders, strict=strict, remote=remote, settings=settings
        )
    if not targets.folders:
        out.info("No agent folders to validate")
        out.report(ValidationReport(agents=[], strict=strict))
        return 0
    results = validate_folders(
        targets.folders, keep_sources=out.emitter.needs_sources, keep_definition=remote
    )
    if remote:
        results = _with_platform_findings(out, results, settings)
    report = ValidationReport(
        agents=results, strict=strict, single=targets.single, job_summary=True
    )
    out.report(report)
    return 0 if report.valid else 1


def _validate_with_skills(
    out: Reporter,
    agent_folders: list[Path],
    skill_folders: list[Path],
    *,
    strict: bool,
    remote: bool,
    settings: "Settings | None",
) -> int:
    """Agents and skills found under the paths, checked and reported together."""
    from octavus_cli.output.results import ValidationReport
    from octavus_cli.protocol.validate import validate_path
    from octavus_cli.skills.validate import validate_skill

    agents = [validate_path(folder) for folder in agent_folders]
    if remote and agents:
        agents = _with_platform_findings(out, agents, settings)
    skills = [validate_skill(folder) for folder in skill_folders]
    report = ValidationReport(agents=agents, skills=skills, strict=strict)
    out.report(report)
    return 0 if report.valid else 1


def _with_platform_findings(
    out: Reporter, results: "list[AgentResult]", settings: "Settings | None"
) -> "list[AgentResult]":
    """Each readable definition checked by ``POST /api/agents/validate`` too."""
    from octavus_cli.config import Family
    from octavus_cli.platform.agents import AgentsApi
    from octavus_cli.platform.connect import connect
    from octavus_cli.protocol.remote import platform_diagnostics

    merged: list[AgentResult] = []
    with connect(Family.MANAGEMENT, settings) as client:
        api = AgentsApi(client)
        for result in results:
            definition = result.definition
            if definition is None:
                out.info(f"{result.name}: not sent to the platform (the folder has errors)")
                merged.append(result)
                continue
            with out.status(f"Validating {result.name} on the platform…"):
                response = api.validate(definition.upload_body())
            merged.append(result.merged(platform_diagnostics(definition, response)))
    return merged
