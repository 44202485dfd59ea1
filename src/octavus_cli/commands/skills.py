"""`octavus skills validate` and `octavus skills sync`: custom skills, checked and uploaded."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from octavus_cli.commands.options import JsonFlag, QuietFlag, format_completion, parse_format
from octavus_cli.commands.validate import choose_mode
from octavus_cli.error_handler import run_command
from octavus_cli.global_options import settings_of
from octavus_cli.output import Reporter, mode_from_flags

if TYPE_CHECKING:
    from octavus_cli.errors import OctavusError
    from octavus_cli.management.skill_sync import SkillSyncResult
    from octavus_cli.settings import Settings
    from octavus_cli.skills.validate import SkillResult

DEFAULT_JOBS = 4
MAX_JOBS = 16

app = typer.Typer(
    name="skills",
    help="Check custom skills offline and upload them with their secrets.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

PathsArgument = Annotated[
    list[str],
    typer.Argument(
        metavar="PATH",
        help="Skill folders (with SKILL.md), or folders holding skill folders.",
        show_default=False,
    ),
]


@app.command(name="validate")
def validate_command(
    ctx: typer.Context,
    paths: PathsArgument,
    json_output: JsonFlag = False,
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            parser=parse_format,
            autocompletion=format_completion,
            metavar="<human|json|github|sarif>",
            help="human (default), json (same as --json) or github (workflow annotations; "
            "the default when GITHUB_ACTIONS=true).",
            show_default=False,
        ),
    ] = None,
    quiet: QuietFlag = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail (exit 1) on warnings too.")
    ] = False,
) -> None:
    """Check skill folders offline: SKILL.md front matter, secrets, scripts, bundle.

    Every finding has a rule id (see docs/skill-rules.md), a position in SKILL.md
    (or the file it is about) and a hint. No key or network is needed.

    Exit status: 0 when every skill is valid, 1 when any has an error (or a
    warning, with --strict), 2 for a usage problem.

    Examples:

      octavus skills validate skills/github

      octavus skills validate skills/ --json
    """
    mode, problem = choose_mode(json_output=json_output, output_format=output_format, quiet=quiet)

    def body(out: Reporter) -> int:
        from octavus_cli.errors import ConfigError

        if problem is not None:
            raise ConfigError(problem, hint="Run octavus skills validate --help for the options.")
        return run_skill_validation(out, paths, strict=strict)

    run_command(ctx, body, mode=mode)


def run_skill_validation(out: Reporter, paths: list[str], *, strict: bool) -> int:
    from octavus_cli.output.results import ValidationReport
    from octavus_cli.skills.folders import find_skill_dirs
    from octavus_cli.skills.validate import validate_skill

    folders = find_skill_dirs(paths)
    results = [validate_skill(folder) for folder in folders]
    single = len(paths) == 1 and len(results) == 1
    report = ValidationReport(skills=results, strict=strict, single=single)
    out.report(report)
    return 0 if report.valid else 1


@app.command(name="sync")
def sync_command(
    ctx: typer.Context,
    paths: PathsArgument,
    environment: Annotated[
        str | None,
        typer.Option(
            "--environment",
            "-E",
            metavar="NAME",
            help="Push secrets from .env.NAME in each skill folder (falling back to .env). "
            "Not --env: that global option, given before the command, names the file "
            "with your API key.",
        ),
    ] = None,
    env_misplaced: Annotated[str | None, typer.Option("--env", hidden=True, metavar="FILE")] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Validate and package, then print the files, sizes and secret names that "
            "would be sent; send nothing.",
        ),
    ] = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", min=1, max=MAX_JOBS, metavar="N", help="Upload up to N skills at once."
        ),
    ] = DEFAULT_JOBS,
    json_output: JsonFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Validate, package and upload skills, then push their secrets.

    Each skill is checked like `octavus skills validate` (a skill with errors is
    not sent), zipped without .env*, .git*, node_modules* and .DS_Store* paths,
    and uploaded to POST /api/skills (created the first time, updated after).
    Then the values of .env.NAME (--environment NAME) or .env are pushed as the
    skill's secrets. Values are never printed or logged; warnings name secrets
    that SKILL.md does not declare and required ones that are missing.

    --json prints {slug, skillId, created, secretsUpdated} for one skill (the
    official shape) and {ok, dryRun, summary, skills: [...]} for several.

    Examples:

      octavus skills sync skills/github

      octavus skills sync skills/ --environment staging --json

      octavus --env .env.ci skills sync skills/ --dry-run
    """

    def body(out: Reporter) -> int:
        from octavus_cli.errors import ConfigError

        if env_misplaced is not None:
            raise ConfigError(
                "--env after `skills sync` is not an option here",
                hint="Use --environment NAME for the skill's .env.NAME file; --env FILE, "
                "given before the command (octavus --env FILE skills sync ...), loads "
                "your API key.",
            )
        return run_skill_sync(
            out, paths, settings_of(ctx), environment=environment, dry_run=dry_run, jobs=jobs
        )

    run_command(ctx, body, mode=mode_from_flags(json_output=json_output, quiet=quiet))


def run_skill_sync(
    out: Reporter,
    paths: list[str],
    settings: "Settings",
    *,
    environment: str | None,
    dry_run: bool,
    jobs: int,
) -> int:
    from octavus_cli.skills.folders import find_skill_dirs

    folders = find_skill_dirs(paths)
    if len(paths) == 1 and len(folders) == 1:
        return _sync_one(out, folders[0], settings, environment=environment, dry_run=dry_run)
    return _sync_many(out, folders, settings, environment=environment, dry_run=dry_run, jobs=jobs)


def _show_findings(out: Reporter, checked: "SkillResult") -> None:
    if checked.diagnostics:
        from octavus_cli.output.results.management import Findings

        out.report(Findings(checked.diagnostics, checked.path, checked.sources))


def _invalid_error(checked: "SkillResult") -> "OctavusError":
    from octavus_cli.errors import ValidationFailed

    count = len(checked.errors)
    return ValidationFailed(
        f"{count} error{'s' if count != 1 else ''} in {checked.path}; the skill was not sent",
        hint=f"Fix the errors (`octavus skills validate {checked.path}` lists them), then "
        "sync again.",
        details={
            "slug": checked.slug,
            "path": str(checked.path),
            "errors": [d.to_json() for d in checked.errors],
            "warnings": [d.to_json() for d in checked.warnings],
        },
    )


def _debug_secret_names(out: Reporter, settings: "Settings", result: "SkillSyncResult") -> None:
    if settings.debug and result.secrets is not None:
        source = result.secrets.path.name if result.secrets.path is not None else "(none)"
        names = ", ".join(result.secrets.values.names) or "none"
        out.debug(f"[debug] {result.slug}: secrets file {source}; names: {names}")


def _sync_one(
    out: Reporter, folder: Path, settings: "Settings", *, environment: str | None, dry_run: bool
) -> int:
    from octavus_cli.config import Family
    from octavus_cli.management.skill_sync import SkillStatus, sync_skill
    from octavus_cli.output.results.management import SkillSecrets, SkillSyncReport
    from octavus_cli.platform.connect import connect
    from octavus_cli.platform.skills import SkillsApi
    from octavus_cli.skills.validate import validate_skill

    out.info(f"Reading skill from {folder}...")
    checked = validate_skill(folder)
    _show_findings(out, checked)
    if not checked.valid():
        raise _invalid_error(checked)
    out.info(f"Packaging {checked.slug}...")
    if dry_run:
        result = sync_skill(None, checked, environment=environment, dry_run=True)
    else:
        with connect(Family.MANAGEMENT, settings, say=out.info) as client:
            result = sync_skill(SkillsApi(client), checked, environment=environment, dry_run=False)
    _debug_secret_names(out, settings, result)
    out.report(SkillSecrets(result))
    if result.error is not None and result.skill_id is None:
        raise result.error
    statuses = [s.value for s in SkillStatus]
    out.report(
        SkillSyncReport([result], statuses, dry_run=dry_run, single=True, warnings=checked.warnings)
    )
    if out.json_emitted:  # the document carries the outcome, the error included
        return 0 if result.ok else 1
    if result.error is not None:
        raise result.error
    return 0


def _sync_many(
    out: Reporter,
    folders: list[Path],
    settings: "Settings",
    *,
    environment: str | None,
    dry_run: bool,
    jobs: int,
) -> int:
    from contextlib import nullcontext

    from octavus_cli.config import Family
    from octavus_cli.management.pool import run_bounded
    from octavus_cli.management.skill_sync import SkillStatus, SkillSyncResult, sync_skill
    from octavus_cli.output.results.management import SkillSecrets, SkillSyncReport
    from octavus_cli.platform.connect import connect
    from octavus_cli.platform.skills import SkillsApi
    from octavus_cli.skills.validate import validate_skill

    checked = [validate_skill(folder) for folder in folders]
    for item in checked:
        _show_findings(out, item)
    results: dict[int, SkillSyncResult] = {}
    first: dict[str, Path] = {}
    for index, item in enumerate(checked):
        error: OctavusError | None = None
        if not item.valid():
            error = _invalid_error(item)
        elif item.slug in first:
            from octavus_cli.errors import ValidationFailed

            error = ValidationFailed(
                f"the name {item.slug} is also used by {first[item.slug]}; not sent",
                hint="Give every skill its own name in SKILL.md.",
            )
        elif item.slug is not None:
            first[item.slug] = item.path
        if error is not None:
            results[index] = SkillSyncResult(
                item.path,
                item.slug,
                SkillStatus.INVALID,
                error=error,
                diagnostics=item.diagnostics,
            )
    pending = [(i, c) for i, c in enumerate(checked) if i not in results]
    verb = "Packaging" if dry_run else "Syncing"
    out.info(f"{verb} {len(pending)} of {len(checked)} skill folder(s), {jobs} at a time...")
    with out.progress(len(checked), verb) as progress:
        for result in results.values():
            progress.advance(result.slug or str(result.path), result.status.value)
        platform = (
            nullcontext(None) if dry_run else connect(Family.MANAGEMENT, settings, say=out.info)
        )
        with platform as client:
            api = None if client is None else SkillsApi(client)

            def work(item: "tuple[int, SkillResult]") -> "SkillSyncResult":
                return sync_skill(api, item[1], environment=environment, dry_run=dry_run)

            def done(item: "tuple[int, SkillResult]", result: "SkillSyncResult") -> None:
                results[item[0]] = result
                progress.advance(result.slug or str(result.path), result.status.value)

            run_bounded(pending, work, jobs=jobs, on_done=done)
    ordered = [results[i] for i in range(len(checked))]
    for result in ordered:
        _debug_secret_names(out, settings, result)
        out.report(SkillSecrets(result))
    report = SkillSyncReport(ordered, [s.value for s in SkillStatus], dry_run=dry_run)
    out.report(report)
    return 0 if report.ok else 1
