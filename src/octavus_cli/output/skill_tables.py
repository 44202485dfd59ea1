"""Human and quiet lines of ``octavus skills sync`` (JSON is each result's ``to_json``).

Statuses are keyed by their value (``"created"``), so this module needs nothing
from :mod:`octavus_cli.management` at run time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from octavus_cli.output.reporter import Reporter
from octavus_cli.output.tables import labelled, status_counts

if TYPE_CHECKING:
    from octavus_cli.management.skill_sync import SkillSyncResult

WORDS = {
    "created": "Created",
    "updated": "Updated",
    "upload": "Would upload",
    "invalid": "Invalid",
    "failed": "Failed",
}


def secret_warnings(out: Reporter, result: SkillSyncResult) -> None:
    """Undeclared, missing and unusable secrets (names only), on stderr."""
    secrets = result.secrets
    if secrets is None:
        return
    source = secrets.path.name if secrets.path is not None else ".env"
    label = result.slug or str(result.path)
    if secrets.note:
        out.info(f"{label}: {secrets.note}")
    for name in secrets.undeclared:
        out.warning(f"{label}: secret {name} in {source} is not declared in SKILL.md")
    for name in secrets.missing_required:
        out.warning(f"{label}: required secret {name} is missing or empty in {source}")
    for name in secrets.invalid_names:
        out.warning(
            f"{label}: {name} in {source} is not a valid secret name (UPPER_SNAKE_CASE); not sent"
        )


def dry_run_listing(out: Reporter, result: SkillSyncResult) -> None:
    out.success(
        f"Would upload: {result.slug} ({len(result.files.included)} files, "
        f"{result.bundle_size:,} bytes zipped)"
    )
    for item in result.files.included:
        out.detail(item.name, f"{item.size:,} bytes")
    secrets = result.secrets
    if secrets is not None and len(secrets.values):
        source = secrets.path.name if secrets.path is not None else ".env"
        out.detail(f"secrets from {source}", ", ".join(secrets.values.names))


def one_result(out: Reporter, result: SkillSyncResult, *, dry_run: bool) -> None:
    """The official lines for one skill."""
    if dry_run:
        dry_run_listing(out, result)
        out.info("Dry run: nothing was sent.")
        return
    out.success(f"{WORDS[result.status.value]}: {result.slug}")
    out.detail("Skill ID", result.skill_id or "?")
    if result.note:
        out.info(f"Note: {result.note}")
    if result.secrets is not None and len(result.secrets.values):
        out.info(f"Pushing {len(result.secrets.values)} secret(s)...")
    if result.secrets_updated:
        out.success(f"{len(result.secrets_updated)} secret(s) updated")


def totals(results: Sequence[SkillSyncResult], *, dry_run: bool, statuses: Sequence[str]) -> str:
    counts = status_counts(results, statuses)
    parts = [f"{counts[s]} {s}" for s in statuses if counts[s]]
    tail = " (dry run: nothing was sent)" if dry_run else ""
    return f"{len(results)} skill(s): {', '.join(parts)}{tail}"


def many_results(
    out: Reporter, results: Sequence[SkillSyncResult], *, dry_run: bool, statuses: Sequence[str]
) -> None:
    for result in results:
        if dry_run and result.ok:
            dry_run_listing(out, result)
        elif result.ok:
            secrets = f", {len(result.secrets_updated)} secret(s)" if result.secrets_updated else ""
            word = WORDS[result.status.value]
            out.success(f"{word}: {result.slug} ({result.skill_id}{secrets})")
    out.blank()
    out.text(totals(results, dry_run=dry_run, statuses=statuses))
    for result in results:
        if result.error is not None:
            out.error(labelled(result.error, str(result.slug or result.path)))


def quiet_lines(out: Reporter, results: Sequence[SkillSyncResult], *, dry_run: bool) -> None:
    """--quiet: skill ids (with --dry-run: the slugs that would be uploaded)."""
    for result in results:
        if dry_run and result.ok and result.slug:
            out.text(result.slug)
        elif result.ok and result.skill_id:
            out.text(result.skill_id)
