"""`octavus validate`: check agent folders offline, with precise diagnostics."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from octavus_cli.commands.options import JsonFlag, QuietFlag
from octavus_cli.completion import agent_folders
from octavus_cli.error_handler import run_command
from octavus_cli.errors import ConfigError
from octavus_cli.output import Mode, Reporter

if TYPE_CHECKING:
    from octavus_cli.protocol.validate import AgentResult
    from octavus_cli.skills.validate import SkillResult


class OutputFormat(str, Enum):
    human = "human"
    json = "json"
    github = "github"
    sarif = "sarif"


def choose_mode(
    *, json_output: bool, output_format: OutputFormat | None, quiet: bool
) -> tuple[Mode, str | None]:
    """The output mode, and a usage problem to report if the flags disagree."""
    if json_output and output_format not in (None, OutputFormat.json):
        return Mode.JSON, f"--json and --format {output_format.value} disagree; give one of them"
    if json_output or output_format is OutputFormat.json:
        return Mode.JSON, None
    if output_format is OutputFormat.github:
        return Mode.GITHUB, None
    if output_format is OutputFormat.sarif:
        return Mode.SARIF, None
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
        OutputFormat | None,
        typer.Option(
            "--format",
            help="human (default), json (same as --json), github (workflow annotations; "
            "the default when GITHUB_ACTIONS=true) or sarif (SARIF 2.1.0 for code scanning).",
            case_sensitive=False,
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
        return run_validation(out, paths, strict=strict, remote=remote, skip=skip_unrelated)

    run_command(ctx, body, mode=mode)


def run_validation(
    out: Reporter, paths: list[str], *, strict: bool, remote: bool, skip: bool
) -> int:
    from octavus_cli.output import render_validation
    from octavus_cli.output_summary import append_summary, validation_markdown
    from octavus_cli.protocol.bulk import validate_folders
    from octavus_cli.protocol.targets import resolve_targets
    from octavus_cli.protocol.validate import results_document
    from octavus_cli.skills.folders import owning_skill, skills_among

    targets = resolve_targets(paths, skip_unrelated=skip)
    # Skill folders (and files in them) found among the paths are checked as skills.
    targets.folders, skill_folders = skills_among(paths, targets.folders)
    targets.skipped = [p for p in targets.skipped if owning_skill(p) is None]
    for path in targets.skipped:
        out.info(f"Skipped {path}: not inside an agent folder")
    if skill_folders:
        return _validate_with_skills(
            out, targets.folders, skill_folders, strict=strict, remote=remote
        )
    if not targets.folders:
        if out.is_json:
            out.emit_json(results_document([], strict=strict))
        elif out.mode is Mode.SARIF:
            render_validation(out, [], strict=strict)
        else:
            out.info("No agent folders to validate")
        return 0
    results = validate_folders(targets.folders, keep_sources=out.is_human, keep_definition=remote)
    if remote:
        results = _with_platform_findings(out, results)
    if out.is_json:
        out.emit_json(results_document(results, strict=strict, single=targets.single))
    else:
        render_validation(out, results, strict=strict)
    append_summary(out, validation_markdown(results, strict=strict))
    return 0 if all(r.valid(strict=strict) for r in results) else 1


def _validate_with_skills(
    out: Reporter,
    agent_folders: list[Path],
    skill_folders: list[Path],
    *,
    strict: bool,
    remote: bool,
) -> int:
    """Agents and skills found under the paths, checked and reported together."""
    from octavus_cli.output import render_validation
    from octavus_cli.protocol.validate import results_document, validate_path
    from octavus_cli.skills.validate import skills_document, validate_skill

    agents = [validate_path(folder) for folder in agent_folders]
    if remote and agents:
        agents = _with_platform_findings(out, agents)
    skills = [validate_skill(folder) for folder in skill_folders]
    ok = all(r.valid(strict=strict) for r in agents) and all(r.valid(strict=strict) for r in skills)
    if out.is_json:
        doc = results_document(agents, strict=strict)
        extra = skills_document(skills, strict=strict)
        doc["valid"] = ok
        doc["skills"] = extra["skills"]
        for key, value in extra["summary"].items():
            doc["summary"][key] = doc["summary"].get(key, 0) + value if key != "skills" else value
        out.emit_json(doc)
    else:
        noun = "skill" if not agents else "folder"
        checked: list[AgentResult | SkillResult] = [*agents, *skills]
        render_validation(out, checked, strict=strict, noun=noun)
    return 0 if ok else 1


def _with_platform_findings(out: Reporter, results: list[AgentResult]) -> list[AgentResult]:
    """Each readable definition checked by ``POST /api/agents/validate`` too."""
    from octavus_cli.config import Family, resolve_credentials
    from octavus_cli.platform.agents import AgentsApi, connect
    from octavus_cli.protocol.remote import platform_diagnostics

    credentials = resolve_credentials(Family.MANAGEMENT)
    merged: list[AgentResult] = []
    with connect(Family.MANAGEMENT, credentials) as client:
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
