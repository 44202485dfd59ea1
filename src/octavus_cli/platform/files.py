"""Files (CONTRACT section 9): upload URLs from the platform, then a PUT to storage.

The PUT goes to the presigned URL verbatim, with ``Content-Type`` exactly the
declared media type, exactly ``size`` bytes and no ``Authorization`` header (the
storage host must never see the API key), from a client of its own.
"""

from __future__ import annotations

from typing import Any

import httpx

from octavus_cli.errors import ApiError
from octavus_cli.platform.headers import session_headers
from octavus_cli.platform.http import PlatformClient, client_options, expect_object, user_agent
from octavus_cli.records import record


@record
class UploadSlot:
    id: str
    upload_url: str
    download_url: str


@record(frozen=False)
class FilesApi:
    client: PlatformClient
    trace: bool = False

    def upload_urls(self, session_id: str, files: list[dict[str, Any]]) -> list[UploadSlot]:
        """One slot per ``{filename, mediaType, size}``, in request order."""
        data = expect_object(
            self.client.request_json(
                "POST",
                "/api/files/upload-urls",
                body={"sessionId": session_id, "files": files},
                idempotent=True,  # unused URLs expire; asking again is harmless
                what="upload URLs",
                headers=session_headers(trace=self.trace),
            ),
            "upload URLs",
        )
        raw = data.get("files")
        if not isinstance(raw, list) or len(raw) != len(files):
            raise ApiError("The platform answered upload URLs without one URL per file")
        slots = []
        for item in raw:
            if not isinstance(item, dict) or not all(
                isinstance(item.get(key), str) for key in ("id", "uploadUrl", "downloadUrl")
            ):
                raise ApiError("The platform answered upload URLs with an incomplete entry")
            slots.append(UploadSlot(item["id"], item["uploadUrl"], item["downloadUrl"]))
        return slots

    def upload(self, slot: UploadSlot, data: bytes, media_type: str, filename: str) -> None:
        """PUT the bytes to the presigned URL (no key, exact type and length)."""
        request = httpx.Request(
            "PUT",
            slot.upload_url,
            content=data,
            headers={"Content-Type": media_type, "User-Agent": user_agent()},
        )
        try:
            options = client_options(slot.upload_url, self.client.env)
            with httpx.Client(timeout=self.client.timeout, **options) as storage:
                response = storage.send(request)
        except httpx.TransportError as exc:
            raise ApiError(
                f"Uploading {filename} failed ({type(exc).__name__})",
                hint="Check the network; upload URLs are valid for 15 minutes.",
            ) from None
        if response.status_code >= 300:
            raise ApiError(
                f"Uploading {filename} failed (HTTP {response.status_code})",
                status=response.status_code,
                hint="Upload URLs are valid for 15 minutes; run the command again.",
            )
