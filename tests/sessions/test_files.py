"""`run --file NAME=PATH`: upload URLs, the exact bytes and media type, limits before requests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from octavus_cli.emulator.store import AgentRecord
from tests.sessions.conftest import Sessions

PROTOCOL = """\
triggers:
  user-message:
    input:
      USER_MESSAGE: { type: string }
      DOCUMENT: { type: file, optional: true }
      IMAGES: { type: "file[]", optional: true }

agent:
  model: anthropic/claude-sonnet-4-5
  system: system

handlers:
  user-message:
    Add user message:
      block: add-message
      role: user
      prompt: user-message
      input: [USER_MESSAGE]
      files: [DOCUMENT, IMAGES]
    Respond:
      block: next-message
"""
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def agent(octavus: Sessions, tmp_path: Path) -> AgentRecord:
    folder = tmp_path / "file-chat"
    (folder / "prompts").mkdir(parents=True)
    settings = {"slug": "file-chat", "name": "File Chat", "format": "interactive"}
    (folder / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    (folder / "protocol.yaml").write_text(PROTOCOL, encoding="utf-8")
    (folder / "prompts" / "system.md").write_text("Help.\n", encoding="utf-8")
    (folder / "prompts" / "user-message.md").write_text("{{USER_MESSAGE}}\n", encoding="utf-8")
    return octavus.emulator.seed_agent(folder)


def test_png_and_pdf_arrive_with_their_bytes_and_media_types(
    octavus: Sessions, agent: AgentRecord, tmp_path: Path
) -> None:
    png, pdf = tmp_path / "chart.png", tmp_path / "report.pdf"
    png.write_bytes(PNG)
    pdf.write_bytes(PDF)
    result = octavus.run(
        "file-chat", "-m", "Look", "--file", f"DOCUMENT={pdf}", "--file", f"IMAGES={png}"
    )
    assert result.code == 0, result
    stored = {f.filename: f for f in octavus.emulator.files.files.values()}
    assert stored["chart.png"].data == PNG
    assert stored["chart.png"].received_type == "image/png"
    assert stored["report.pdf"].data == PDF
    assert stored["report.pdf"].received_type == "application/pdf"
    [urls] = octavus.posts("/api/files/upload-urls")
    assert urls.body["files"] == [
        {"filename": "report.pdf", "mediaType": "application/pdf", "size": len(PDF)},
        {"filename": "chart.png", "mediaType": "image/png", "size": len(PNG)},
    ]
    assert urls.sdk_version == "4"
    puts = [r for r in octavus.emulator.requests if r.method == "PUT"]
    assert [r.key for r in puts] == [None, None]  # storage never saw a key
    trigger = octavus.posts()[-1].body["input"]
    assert trigger["DOCUMENT"]["mediaType"] == "application/pdf"
    assert trigger["DOCUMENT"]["id"] == stored["report.pdf"].id
    assert isinstance(trigger["IMAGES"], list)  # file[]: always an array
    assert trigger["IMAGES"][0]["size"] == len(PNG)

    # The emulator keeps the trigger's files on the user message (add-message files:).
    session_id = octavus.posts()[-1].path.split("/")[3]
    messages = octavus.cli("messages", session_id, "--json").json()["messages"]
    files = [p for p in messages[0]["parts"] if p["type"] == "file"]
    assert [f["filename"] for f in files] == ["report.pdf", "chart.png"]
    assert files[0]["url"] == trigger["DOCUMENT"]["url"]
    assert "[file report.pdf]" in octavus.cli("messages", session_id).stdout


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [
        ("big.png", 10 * 1024 * 1024 + 1, "the limit is 10 MiB per file"),
        ("movie.mp4", 10, "is not a supported file type"),
    ],
)
def test_too_big_or_unsupported_is_refused_before_any_request(
    octavus: Sessions, agent: AgentRecord, tmp_path: Path, name: str, size: int, message: str
) -> None:
    path = tmp_path / name
    with path.open("wb") as handle:
        handle.truncate(size)
    result = octavus.run("file-chat", "-m", "x", "--file", f"DOCUMENT={path}", "--json")
    assert result.code == 2, result
    assert message in result.stderr
    assert json.loads(result.stdout.splitlines()[-1])["code"] == "CONFIG_ERROR"
    assert octavus.emulator.requests == []


def test_a_file_for_a_non_file_input_is_refused(
    octavus: Sessions, agent: AgentRecord, tmp_path: Path
) -> None:
    path = tmp_path / "a.txt"
    path.write_text("hello", encoding="utf-8")
    result = octavus.run("file-chat", "-m", "x", "--file", f"USER_MESSAGE={path}")
    assert result.code == 2, result
    assert "the input is of type string, not file" in result.stderr
    assert octavus.posts("/api/agent-sessions") == []
