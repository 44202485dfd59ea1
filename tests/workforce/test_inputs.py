"""Checks made before anything is sent: the message, --files, durations, the key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import run_cli

AGENT = "cmagent0000000000000001"


def write(tmp_path: Path, content: object, name: str = "files.json") -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    return path


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "is not valid JSON"),
        ({"id": "f1"}, "must hold a JSON array of file references, not an object"),
        (["f1"], "item 1: must be an object, not a string"),
        ([{"id": "f1", "mediaType": "text/plain"}], 'item 1: "url" is missing'),
        (
            [{"id": "f1", "mediaType": "text/plain", "url": "https://x", "size": "12"}],
            '"size" must be a whole number of bytes',
        ),
        (
            [
                {"id": "f1", "mediaType": "text/plain", "url": "https://x"},
                {"id": "", "mediaType": "text/plain", "url": "https://x", "filename": 3},
            ],
            'item 2: "id" must be a non-empty string; item 2: "filename" must be a string',
        ),
    ],
)
def test_bad_files_are_a_usage_error_naming_the_file(
    tmp_path: Path, content: object, expected: str
) -> None:
    path = write(tmp_path, content)
    result = run_cli("workforce", "dispatch", AGENT, "task", "--files", str(path), cwd=tmp_path)
    assert result.code == 2, result
    assert f"--files {path}" in result.stderr
    assert expected in result.stderr
    assert result.stdout == ""


def test_missing_files_file(tmp_path: Path) -> None:
    result = run_cli("workforce", "run", AGENT, "task", "--files", "nope.json", cwd=tmp_path)
    assert result.code == 2
    assert "--files nope.json does not exist" in result.stderr


def test_bad_files_with_json_is_one_error_document(tmp_path: Path) -> None:
    path = write(tmp_path, [{"id": "f1"}])
    result = run_cli(
        "workforce", "dispatch", AGENT, "task", "--files", str(path), "--json", cwd=tmp_path
    )
    assert result.code == 2
    document = result.json()
    assert document["code"] == "CONFIG_ERROR"
    assert document["file"] == str(path)


@pytest.mark.parametrize("message", ["", "   \n"])
def test_empty_message_is_a_usage_error(tmp_path: Path, message: str) -> None:
    result = run_cli("workforce", "dispatch", AGENT, message, cwd=tmp_path)
    assert result.code == 2
    assert "MESSAGE is empty" in result.stderr


def test_empty_stdin_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("workforce", "run", AGENT, "-", input="\n", cwd=tmp_path)
    assert result.code == 2
    assert "The message read from standard input is empty" in result.stderr


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--timeout", "soon", "not a duration"),
        ("--poll-interval", "0", "--poll-interval must be more than 0"),
    ],
)
def test_bad_durations(tmp_path: Path, option: str, value: str, expected: str) -> None:
    result = run_cli("workforce", "wait", AGENT, "cmthread", option, value, cwd=tmp_path)
    assert result.code == 2
    assert expected in result.stderr


def test_missing_key_names_both_variables(tmp_path: Path) -> None:
    result = run_cli("workforce", "get", AGENT, "cmthread", cwd=tmp_path)
    assert result.code == 2
    assert "OCTAVUS_AGENT_KEY or OCTAVUS_API_KEY" in result.stderr


def test_a_management_key_is_not_used(tmp_path: Path) -> None:
    result = run_cli(
        "workforce",
        "get",
        AGENT,
        "cmthread",
        env={"OCTAVUS_CLI_API_KEY": "test-cli-key"},
        cwd=tmp_path,
    )
    assert result.code == 2
    assert "OCTAVUS_AGENT_KEY" in result.stderr
