"""`/api/files/upload-urls` and the presigned storage: what the official SDK expects."""

from __future__ import annotations

import httpx

from octavus_cli.emulator import Emulator
from tests.emulator.helpers import EXAMPLES, api, new_session


def test_upload_urls_then_put_and_get_without_a_key(emulator: Emulator) -> None:
    agent = emulator.seed_agent(EXAMPLES / "minimal-chat")
    with api(emulator) as client:
        session_id = new_session(client, agent.id)
        answer = client.post(
            "/api/files/upload-urls",
            json={
                "sessionId": session_id,
                "files": [{"filename": "a.txt", "mediaType": "text/plain", "size": 5}],
            },
        )
        bad_type = client.post(
            "/api/files/upload-urls",
            json={
                "sessionId": session_id,
                "files": [{"filename": "a.mp4", "mediaType": "video/mp4", "size": 5}],
            },
        )
        missing = client.post(
            "/api/files/upload-urls",
            json={"sessionId": "cmnope", "files": [{"filename": "a", "mediaType": "text/plain"}]},
        )
        client.delete(f"/api/agent-sessions/{session_id}")
        expired = client.post(
            "/api/files/upload-urls",
            json={
                "sessionId": session_id,
                "files": [{"filename": "a.txt", "mediaType": "text/plain", "size": 5}],
            },
        )
    assert answer.status_code == 200, answer.text
    [slot] = answer.json()["files"]
    url = slot["uploadUrl"]
    with_key = httpx.put(
        url, content=b"hello", headers={"Content-Type": "text/plain", "Authorization": "Bearer x"}
    )
    wrong_type = httpx.put(url, content=b"hello", headers={"Content-Type": "text/markdown"})
    put = httpx.put(url, content=b"hello", headers={"Content-Type": "text/plain"})
    got = httpx.get(slot["downloadUrl"])
    forged = httpx.get(url.split("?")[0] + "?sig=forged")
    assert with_key.status_code == 400
    assert wrong_type.status_code == 403
    assert put.status_code == 200
    assert got.content == b"hello"
    assert got.headers["content-type"] == "text/plain"
    assert forged.status_code == 403
    assert bad_type.status_code == 400
    assert bad_type.json()["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert missing.status_code == 404
    assert missing.json()["code"] == "SESSION_NOT_FOUND"
    assert expired.status_code == 400
    assert expired.json()["code"] == "SESSION_EXPIRED"
