"""Skills API (CONTRACT section 10): bundle upload (an upsert by name) and secrets.

Kept in memory for the emulator's lifetime: each skill's latest bundle (the ZIP
bytes as received, for tests to unzip) and the *names* of its secrets. Secret
values are checked and dropped at once: they are never stored, answered or
written to the request log (which records ``{"secretNames": [...]}`` instead).
"""

from __future__ import annotations

import io
import threading
import zipfile
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from octavus_cli.emulator.context import EmulatorContext
from octavus_cli.emulator.ids import new_id
from octavus_cli.emulator.problems import ApiProblem, bad_request, not_found
from octavus_cli.emulator.routing import ApiRequest, JsonResponse, RawBody, Response, Router
from octavus_cli.records import field, record

DEFAULT_BUNDLE_LIMIT = 10 * 1024 * 1024


@record(frozen=False)
class SkillRecord:
    id: str
    slug: str
    bundle: bytes = field(repr=False)
    uploads: int = 1
    secret_names: set[str] = field(default_factory=set)

    @property
    def files(self) -> list[str]:
        """The entry names of the latest bundle."""
        with zipfile.ZipFile(io.BytesIO(self.bundle)) as archive:
            return sorted(archive.namelist())


def multipart_part(body: RawBody, name: str) -> tuple[bytes, str | None] | None:
    """The content and filename of form field ``name`` in a multipart body."""
    head = f"Content-Type: {body.content_type}\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=HTTP).parsebytes(head + body.data)
    if not message.is_multipart():
        return None
    for part in message.iter_parts():
        if part.get_param("name", header="content-disposition") == name:
            payload = part.get_payload(decode=True)
            return (payload if isinstance(payload, bytes) else b""), part.get_filename()
    return None


def _front_matter_of(bundle: bytes) -> dict[str, Any]:
    from octavus_cli.skills.manifest import SKILL_FILE, FrontMatter, parse_front_matter

    try:
        with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
            names = archive.namelist()
            if SKILL_FILE not in names:
                raise bad_request("The bundle has no SKILL.md at its root", code="VALIDATION_ERROR")
            text = archive.read(SKILL_FILE).decode("utf-8")
    except (zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise bad_request(
            f"The bundle is not a valid ZIP: {exc}", code="VALIDATION_ERROR"
        ) from None
    parsed = parse_front_matter(text)
    if not isinstance(parsed, FrontMatter):
        raise bad_request(f"SKILL.md: {parsed.message}", code="VALIDATION_ERROR")
    return parsed.data


class SkillsRoutes:
    def __init__(self, ctx: EmulatorContext, *, bundle_limit: int = DEFAULT_BUNDLE_LIMIT) -> None:
        self.ctx = ctx
        self.bundle_limit = bundle_limit
        self._skills: dict[str, SkillRecord] = {}
        self._lock = threading.Lock()

    def register(self, router: Router) -> None:
        router.add("POST", "/api/skills", self.upload, log_body=_log_upload)
        router.add("PUT", "/api/skills/{skill}/secrets", self.secrets, log_body=_log_secrets)

    # -- for tests -------------------------------------------------------------------------
    def get(self, slug: str) -> SkillRecord | None:
        with self._lock:
            return self._skills.get(slug)

    def all(self) -> list[SkillRecord]:
        with self._lock:
            return sorted(self._skills.values(), key=lambda s: s.slug)

    # -- handlers ---------------------------------------------------------------------------
    def upload(self, request: ApiRequest, params: dict[str, str]) -> Response:
        if not isinstance(request.body, RawBody) or not request.body.content_type.startswith(
            "multipart/form-data"
        ):
            raise bad_request("Send the bundle as multipart/form-data with a part named file")
        part = multipart_part(request.body, "file")
        if part is None:
            raise bad_request("The multipart body has no part named file")
        bundle = part[0]
        if len(bundle) > self.bundle_limit:
            raise ApiProblem(
                413,
                "PAYLOAD_TOO_LARGE",
                f"The skill bundle is {len(bundle):,} bytes; the limit is {self.bundle_limit:,}",
            )
        data = _front_matter_of(bundle)
        from octavus_cli.protocol.folder import SLUG_PATTERN

        slug = data.get("name")
        if not isinstance(slug, str) or not SLUG_PATTERN.match(slug):
            raise bad_request("SKILL.md: name must be a slug", code="VALIDATION_ERROR")
        description = data.get("description")
        if not isinstance(description, str) or not description.strip():
            raise bad_request("SKILL.md: description is required", code="VALIDATION_ERROR")
        with self._lock:
            record = self._skills.get(slug)
            created = record is None
            if record is None:
                record = SkillRecord(new_id(), slug, bundle)
                self._skills[slug] = record
            else:
                record.bundle = bundle
                record.uploads += 1
        body = {"skillId": record.id, "slug": slug, "created": created}
        return JsonResponse(201 if created else 200, body)

    def secrets(self, request: ApiRequest, params: dict[str, str]) -> Response:
        from octavus_cli.skills.secrets import SECRET_NAME

        with self._lock:
            record = next((s for s in self._skills.values() if s.id == params["skill"]), None)
        if record is None:
            raise not_found(f"Skill not found: {params['skill']}")
        body = request.json_object()
        secrets = body.get("secrets")
        if not isinstance(secrets, dict) or not secrets:
            raise bad_request("secrets must be an object with at least one NAME: value")
        for name, value in secrets.items():
            if not SECRET_NAME.match(name):
                raise bad_request(f"Secret name {name} must match {SECRET_NAME.pattern}")
            if not isinstance(value, str):
                raise bad_request(f"The value of secret {name} must be a string")
        with self._lock:
            record.secret_names.update(secrets)
        return JsonResponse(200, {"updated": list(secrets)})


def _log_upload(body: Any) -> Any:
    if isinstance(body, RawBody):
        return {"contentType": body.content_type, "size": len(body.data)}
    return body


def _log_secrets(body: Any) -> Any:
    if isinstance(body, dict) and isinstance(body.get("secrets"), dict):
        return {"secretNames": sorted(str(name) for name in body["secrets"])}
    return {"secretNames": []}
