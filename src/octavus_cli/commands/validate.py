"""`octavus validate`: check agent folders offline, with precise diagnostics."""

from __future__ import annotations

import os
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from octavus_cli.commands.options import JsonFlag, QuietFlag
from octavus_cli.errors import ConfigError
from octavus_cli.output import Mode, Reporter
from octavus_cli.runner import run_command

if TYPE_CHECKING:
    from octavus_cli.protocol.validate import AgentResult


class OutputFormat(str, Enum):
    human = "human"
    json = "json"
    github = "github"


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
            help="human (default), json (same as --json) or github (workflow annotations; "
            "the default when GITHUB_ACTIONS=true).",
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

    Every problem is reported with its file, line and column, a rule id (see
    docs/rules.md) and a hint. Nothing is sent anywhere unless --remote is given;
    no key or network is needed.

    Exit status: 0 when every agent is valid, 1 when any has an error (or a
    warning, with --strict), 2 for a usage or configuration problem.

    Examples:

      octavus validate examples/agents/support-chat

      octavus validate agents/ --strict

      octavus validate agents/ --json > report.json

      octavus validate agents/ --format github
    """
    mode, problem = choose_mode(json_output=json_output, output_format=output_format, quiet=quiet)

    def body(out: Reporter) -> int:
        if problem is not None:
            raise ConfigError(problem, hint="Run octavus validate --help for the options.")
        return run_validation(out, paths, strict=strict, remote=remote, skip=skip_unrelated)

    run_command(ctx, body, mode=mode)


def run_validation(
    out: Reporter, paths: list[str], *, strict: bool, remote: bool, skip: bool
) -> int:
    from octavus_cli.output import render_validation
    from octavus_cli.protocol.bulk import validate_folders
    from octavus_cli.protocol.targets import resolve_targets
    from octavus_cli.protocol.validate import results_document

    targets = resolve_targets(paths, skip_unrelated=skip)
    for path in targets.skipped:
        out.info(f"Skipped {path}: not inside an agent folder")
    if not targets.folders:
        if out.is_json:
            out.emit_json(results_document([], strict=strict))
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
    return 0 if all(r.valid(strict=strict) for r in results) else 1


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
