"""The Skills API (CONTRACT section 10): upload a bundle, push secret values.

Secret values travel only in the body of the secrets request; nothing here logs
a body, and errors name secrets, never values.
"""

from __future__ import annotations

from typing import Any

from octavus_cli.errors import ApiError
from octavus_cli.platform.http import PlatformClient, expect_object, path_segment
from octavus_cli.records import record

BUNDLE_FILENAME = "skill.zip"
BUNDLE_TYPE = "application/octet-stream"  # what the official CLI sends


@record
class UploadAnswer:
    skill_id: str
    slug: str
    created: bool


def _upload_answer(value: Any) -> UploadAnswer:
    data = expect_object(value, "the skill upload")
    skill_id, slug, created = data.get("skillId"), data.get("slug"), data.get("created")
    if not isinstance(skill_id, str) or not isinstance(slug, str):
        raise ApiError("The platform answered the skill upload without skillId and slug")
    return UploadAnswer(skill_id, slug, created is True)


@record(frozen=False)
class SkillsApi:
    client: PlatformClient

    def upload(self, bundle: bytes, *, slug: str) -> UploadAnswer:
        """``POST /api/skills`` with the ZIP as part ``file``; not retried blindly."""
        data = self.client.request_json(
            "POST",
            "/api/skills",
            files={"file": (BUNDLE_FILENAME, bundle, BUNDLE_TYPE)},
            idempotent=False,
            what=f"upload of skill {slug!r}",
        )
        return _upload_answer(data)

    def push_secrets(self, skill_id: str, body: dict[str, dict[str, str]]) -> list[str]:
        """``PUT /api/skills/{id}/secrets``; returns the names the platform updated."""
        data = self.client.request_json(
            "PUT",
            f"/api/skills/{path_segment(skill_id)}/secrets",
            body=body,
            idempotent=True,
            what="secrets update",
        )
        updated = expect_object(data, "the secrets update").get("updated")
        if not isinstance(updated, list):
            raise ApiError("The platform answered the secrets update without an 'updated' list")
        return [name for name in updated if isinstance(name, str)]
