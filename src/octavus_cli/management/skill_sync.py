"""Sync one skill: bundle, upload (an upsert by name), then push its secrets.

The flow (CONTRACT section 10):

1. The folder was validated first; a skill with errors is not sent.
2. The secrets file is read before anything is sent (a bad file sends nothing).
3. ``POST /api/skills`` with the bundle. The API has no read call to look the
   skill up, but the upload is an upsert by name and the same bytes give the
   same skill: an upload whose answer was lost is re-sent *once, with the very
   same bundle*, and the result says so; any other failure is not re-sent.
4. ``PUT /api/skills/{skillId}/secrets`` with the file's values, when it has any.

A secret value never reaches a result, a note or an error: errors from the
secrets call are scrubbed of every value before they are kept.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any

from octavus_cli.debug_log import debug_traceback
from octavus_cli.errors import AgentFileError, ApiError, OctavusError, UnexpectedError
from octavus_cli.platform.skills import SkillsApi, UploadAnswer
from octavus_cli.protocol.diagnostics import Diagnostic
from octavus_cli.records import field, record
from octavus_cli.skills.bundle import FileList, build_bundle
from octavus_cli.skills.secrets import SecretsFile, load_secrets
from octavus_cli.skills.validate import SkillResult

REDACTED = "[REDACTED]"


class SkillStatus(str, Enum):
    CREATED = "created"
    UPDATED = "updated"
    UPLOAD = "upload"  # dry run: would be uploaded
    INVALID = "invalid"
    FAILED = "failed"

    @property
    def ok(self) -> bool:
        return self not in (SkillStatus.INVALID, SkillStatus.FAILED)


@record(frozen=False)
class SkillSyncResult:
    """What happened to one skill folder."""

    path: Path
    slug: str | None
    status: SkillStatus
    skill_id: str | None = None
    created: bool = False
    secrets_updated: list[str] = field(default_factory=list)
    secrets: SecretsFile | None = None
    files: FileList = field(default_factory=FileList)
    bundle_size: int = 0
    error: OctavusError | None = None
    note: str | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status.ok

    def secret_fields(self) -> dict[str, Any]:
        """The secrets warnings as JSON fields (names only)."""
        if self.secrets is None:
            return {}
        doc: dict[str, Any] = {}
        if self.secrets.path is not None:
            doc["secretsFile"] = self.secrets.path.name
        if self.secrets.undeclared:
            doc["undeclaredSecrets"] = self.secrets.undeclared
        if self.secrets.missing_required:
            doc["missingSecrets"] = self.secrets.missing_required
        if self.secrets.invalid_names:
            doc["invalidSecretNames"] = self.secrets.invalid_names
        return doc

    def to_json(self) -> dict[str, Any]:
        """``{slug, skillId, created, secretsUpdated}`` (official) plus our fields."""
        doc: dict[str, Any] = {
            "slug": self.slug,
            "skillId": self.skill_id,
            "created": self.created,
            "secretsUpdated": len(self.secrets_updated),
            "status": self.status.value,
            "path": str(self.path),
        }
        doc.update(self.secret_fields())
        if self.note:
            doc["note"] = self.note
        if self.status is SkillStatus.UPLOAD:
            doc["files"] = [{"name": f.name, "size": f.size} for f in self.files.included]
            doc["bundleSize"] = self.bundle_size
            doc["secretNames"] = self.secrets.values.names if self.secrets else []
        if self.error is not None:
            doc["error"] = self.error.message
            doc["code"] = self.error.code
            if "status" in self.error.details:
                doc["httpStatus"] = self.error.details["status"]
        if self.diagnostics:
            doc["diagnostics"] = [d.to_json() for d in self.diagnostics]
        return doc


def read_secrets(checked: SkillResult, environment: str | None) -> SecretsFile:
    """The secrets file of a valid skill; FILE_ERROR when it cannot be read."""
    manifest = checked.manifest
    declared = manifest.secret_names if manifest else []
    required = manifest.required_secrets if manifest else []
    try:
        return load_secrets(checked.path, environment, declared, required)
    except (OSError, UnicodeDecodeError) as exc:
        raise AgentFileError(
            f"Cannot read the secrets file of {checked.path}: {type(exc).__name__}",
            hint="Check that the .env file is readable UTF-8 text.",
        ) from None


def sync_skill(
    api: SkillsApi | None, checked: SkillResult, *, environment: str | None, dry_run: bool
) -> SkillSyncResult:
    """Sync one valid skill; failures become a ``failed`` result, never an exception."""
    result = SkillSyncResult(
        checked.path,
        checked.slug,
        SkillStatus.FAILED,
        files=checked.files,
        diagnostics=list(checked.diagnostics),
    )
    values: list[str] = []
    try:
        result.secrets = read_secrets(checked, environment)
        values = result.secrets.values.all_values()
        bundle = build_bundle(checked.files)
        result.bundle_size = len(bundle)
        if dry_run or api is None:
            result.status = SkillStatus.UPLOAD
            return result
        answer = _upload(api, bundle, result)
        result.skill_id, result.slug, result.created = answer.skill_id, answer.slug, answer.created
        result.status = SkillStatus.CREATED if answer.created else SkillStatus.UPDATED
        if len(result.secrets.values):
            try:
                result.secrets_updated = api.push_secrets(
                    answer.skill_id, result.secrets.values.request_body()
                )
            except OctavusError as err:
                scrub(err, values)
                err.message = f"The skill was uploaded, but its secrets were not: {err.message}"
                result.status, result.error = SkillStatus.FAILED, err
    except OctavusError as err:
        scrub(err, values)
        result.status, result.error = SkillStatus.FAILED, err
    except Exception as exc:  # a bug must not stop the other skills of a bulk sync
        debug_traceback(f"syncing the skill in {checked.path} failed")
        result.status = SkillStatus.FAILED
        result.error = UnexpectedError(f"Unexpected error: {type(exc).__name__}")
    return result


def _upload(api: SkillsApi, bundle: bytes, result: SkillSyncResult) -> UploadAnswer:
    slug = result.slug or result.path.name
    try:
        return api.upload(bundle, slug=slug)
    except ApiError as err:
        if not err.details.get("ambiguous"):
            raise
    # The answer was lost: the upsert may have happened. The same bytes upsert the
    # same skill, so sending them once more settles it (no new bundle is built).
    answer = api.upload(bundle, slug=slug)
    result.note = (
        "the upload's answer was lost; the same bundle was sent again (an upsert by name), "
        "so whether this run created the skill is not certain"
    )
    return answer


def scrub(error: OctavusError, values: list[str]) -> None:
    """Replace every secret value in ``error``'s text fields (values of 4+ characters)."""
    secrets = sorted((v for v in values if len(v) >= 4), key=len, reverse=True)
    if not secrets:
        return

    def clean(text: str) -> str:
        for value in secrets:
            text = text.replace(value, REDACTED)
        return text

    error.message = clean(error.message)
    error.args = (error.message,)
    if error.hint:
        error.hint = clean(error.hint)
    for key, value in list(error.details.items()):
        if isinstance(value, str):
            error.details[key] = clean(value)
