"""Files (CONTRACT section 9): upload URLs, and a presigned-style storage on the emulator.

``POST /api/files/upload-urls {sessionId, files: [{filename, mediaType, size}]}``
answers ``{files: [{id, uploadUrl, downloadUrl}]}`` in request order, for an active
session, with the API reference's media types and limits. The URLs point at
``/storage/{id}?sig=...`` on the emulator itself: ``PUT`` stores the bytes (it must
carry exactly the declared ``Content-Type`` and size, and no ``Authorization``:
storage never sees the API key), ``GET`` returns them. Tests read what arrived
from :attr:`FileStore.files`.
"""

from __future__ import annotations

import secrets
import threading
import time
from typing import Any

from octavus_cli.emulator.context import EmulatorContext, require_text
from octavus_cli.emulator.ids import new_id
from octavus_cli.emulator.problems import ApiProblem, bad_request, not_found
from octavus_cli.emulator.routing import ApiRequest, JsonResponse, Response, Router
from octavus_cli.records import record

STORAGE_PREFIX = "/storage/"
MEDIA_TYPES = frozenset(
    {
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "application/pdf",
        "text/plain",
        "text/markdown",
        "application/json",
    }
)
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_REQUEST_BYTES = 50 * 1024 * 1024
MAX_FILES = 20


@record(frozen=False)
class StoredFile:
    id: str
    session_id: str
    filename: str
    media_type: str
    size: int
    signature: str
    data: bytes | None = None  # None until uploaded
    received_type: str | None = None  # the Content-Type the upload carried
    created: float = 0.0


class FileStore:
    """Uploaded files, in memory."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.files: dict[str, StoredFile] = {}
        self.base_url = ""  # set when the emulator starts

    def add(self, item: StoredFile) -> None:
        with self._lock:
            self.files[item.id] = item

    def get(self, file_id: str, signature: str | None) -> StoredFile | None:
        with self._lock:
            item = self.files.get(file_id)
        if (
            item is None
            or signature is None
            or not secrets.compare_digest(signature, item.signature)
        ):
            return None
        return item


class FilesRoutes:
    def __init__(self, ctx: EmulatorContext, files: FileStore) -> None:
        self.ctx = ctx
        self.files = files

    def register(self, router: Router) -> None:
        router.add("POST", "/api/files/upload-urls", self.upload_urls)

    def upload_urls(self, request: ApiRequest, params: dict[str, str]) -> Response:
        body = request.json_object()
        session_id = require_text(body.get("sessionId"), "sessionId")
        doc = self.ctx.store.load_session(session_id)
        if doc is None:
            raise not_found(f"Session not found: {session_id}", code="SESSION_NOT_FOUND")
        expired = doc.get("status") == "expired" or (
            self.ctx.settings.clock() - float(doc.get("updated", 0)) > self.ctx.settings.session_ttl
        )
        if expired:
            raise bad_request(
                f"Session {session_id} has expired; restore it before uploading files",
                code="SESSION_EXPIRED",
            )
        raw = body.get("files")
        if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_FILES:
            raise bad_request(f"files must be an array of 1 to {MAX_FILES} file descriptions")
        specs = [_spec(index, item) for index, item in enumerate(raw)]
        total = sum(size for _, _, size in specs)
        if total > MAX_REQUEST_BYTES:
            raise ApiProblem(413, "PAYLOAD_TOO_LARGE", "The files add up to more than 50 MB")
        answer: list[dict[str, Any]] = []
        for filename, media_type, size in specs:
            item = StoredFile(
                new_id(),
                session_id,
                filename,
                media_type,
                size,
                secrets.token_urlsafe(16),
                created=time.time(),
            )
            self.files.add(item)
            url = f"{self.files.base_url}{STORAGE_PREFIX}{item.id}?sig={item.signature}"
            answer.append({"id": item.id, "uploadUrl": url, "downloadUrl": url})
        return JsonResponse(200, {"files": answer})


def _spec(index: int, item: Any) -> tuple[str, str, int]:
    if not isinstance(item, dict):
        raise bad_request(f"files[{index}] must be an object {{filename, mediaType, size}}")
    filename = item.get("filename")
    media_type = item.get("mediaType")
    size = item.get("size")
    if not isinstance(filename, str) or not 1 <= len(filename) <= 255:
        raise bad_request(f"files[{index}].filename must be 1 to 255 characters")
    if media_type not in MEDIA_TYPES:
        allowed = ", ".join(sorted(MEDIA_TYPES))
        raise bad_request(
            f"files[{index}].mediaType {media_type!r} is not supported; use one of {allowed}",
            code="UNSUPPORTED_MEDIA_TYPE",
        )
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
        raise bad_request(f"files[{index}].size must be a positive integer")
    if size > MAX_FILE_BYTES:
        raise ApiProblem(413, "PAYLOAD_TOO_LARGE", f"files[{index}] is larger than 10 MB")
    return filename, str(media_type), size
