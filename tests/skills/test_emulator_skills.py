"""The emulator's skills endpoints: upsert, refusals that name the problem, never a value."""

from __future__ import annotations

import io
import zipfile

import httpx

from octavus_cli.emulator import Emulator
from octavus_cli.emulator.testing import TEST_CLI_KEY

VALUE = "a-secret-value-that-must-not-leak"


def bundle(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


SKILL = {"SKILL.md": "---\nname: qr-code\ndescription: Make QR codes.\n---\n# QR\n"}


def client(emulator: Emulator) -> httpx.Client:
    return httpx.Client(base_url=emulator.url, headers={"Authorization": f"Bearer {TEST_CLI_KEY}"})


def upload(http: httpx.Client, data: bytes) -> httpx.Response:
    return http.post("/api/skills", files={"file": ("skill.zip", data, "application/zip")})


def test_upload_is_an_upsert_by_name(emulator: Emulator) -> None:
    with client(emulator) as http:
        first = upload(http, bundle(SKILL))
        second = upload(http, bundle({**SKILL, "scripts/make.py": "print(1)\n"}))
    assert first.status_code == 201
    assert second.status_code == 200
    assert first.json()["skillId"] == second.json()["skillId"]
    assert (first.json()["created"], second.json()["created"]) == (True, False)
    record = emulator.skills.get("qr-code")
    assert record is not None
    assert record.files == ["SKILL.md", "scripts/make.py"]


def test_bad_uploads_are_refused_with_what_is_wrong(emulator: Emulator) -> None:
    with client(emulator) as http:
        not_zip = upload(http, b"not a zip")
        no_skill_md = upload(http, bundle({"README.md": "# x\n"}))
        bad_name = upload(http, bundle({"SKILL.md": "---\nname: QR\ndescription: x\n---\n"}))
        json_body = http.post("/api/skills", json={"file": "x"})
    assert not_zip.status_code == 400
    assert "not a valid ZIP" in not_zip.json()["error"]
    assert no_skill_md.status_code == 400
    assert "no SKILL.md" in no_skill_md.json()["error"]
    assert bad_name.status_code == 400
    assert json_body.status_code == 400
    assert "multipart/form-data" in json_body.json()["error"]


def test_secrets_keep_names_only_and_refusals_never_echo_a_value(emulator: Emulator) -> None:
    with client(emulator) as http:
        skill_id = upload(http, bundle(SKILL)).json()["skillId"]
        ok = http.put(f"/api/skills/{skill_id}/secrets", json={"secrets": {"QR_KEY": VALUE}})
        bad_name = http.put(f"/api/skills/{skill_id}/secrets", json={"secrets": {"qr": VALUE}})
        empty = http.put(f"/api/skills/{skill_id}/secrets", json={"secrets": {}})
        unknown = http.put("/api/skills/nope/secrets", json={"secrets": {"QR_KEY": VALUE}})
    assert ok.json() == {"updated": ["QR_KEY"]}
    assert bad_name.status_code == 400
    assert "qr" in bad_name.json()["error"]
    assert empty.status_code == 400
    assert unknown.status_code == 404
    for response in (ok, bad_name, empty, unknown):
        assert VALUE not in response.text
    assert VALUE not in repr(emulator.requests)
    record = emulator.skills.get("qr-code")
    assert record is not None
    assert record.secret_names == {"QR_KEY"}
    assert VALUE not in repr(record)
