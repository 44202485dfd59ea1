"""Environment files, key resolution per command family, URL checks (CONTRACT section 1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from octavus_cli.config import (
    Family,
    check_transport_security,
    resolve_base_url,
    resolve_credentials,
)
from octavus_cli.errors import ConfigError
from tests.support.cli import run_cli

MGMT_KEY = "mgmt-key-from-test"
SESSIONS_KEY = "sessions-key-from-test"
AGENT_KEY = "agent-key-from-test"


def families(result_json: dict[str, object]) -> dict[str, str | None]:
    fams = result_json["families"]
    assert isinstance(fams, dict)
    return {name: info["keySource"] for name, info in fams.items()}


# -- dotenv files -------------------------------------------------------------------------


def test_dotenv_in_current_folder_is_loaded_by_default(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        f"OCTAVUS_CLI_API_KEY={MGMT_KEY}\nOCTAVUS_API_URL=http://127.0.0.1:7777\n"
    )
    result = run_cli("config", "--json", cwd=tmp_path)
    assert result.code == 0, result
    doc = result.json()
    assert doc["envFile"] == ".env" or doc["envFile"].endswith(".env")
    assert doc["baseUrl"] == "http://127.0.0.1:7777"
    assert families(doc)["management"] == "OCTAVUS_CLI_API_KEY"
    assert MGMT_KEY not in result.stdout + result.stderr


def test_explicit_env_file_replaces_the_default(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("OCTAVUS_API_URL=http://127.0.0.1:1111\n")
    (tmp_path / ".env.staging").write_text(
        "# staging project\nexport OCTAVUS_API_URL=https://staging.example\n"
        f"OCTAVUS_API_KEY='{SESSIONS_KEY}'\n"
    )
    result = run_cli("--env", ".env.staging", "config", "--json", cwd=tmp_path)
    assert result.code == 0, result
    doc = result.json()
    assert doc["baseUrl"] == "https://staging.example"
    assert families(doc)["run"] == "OCTAVUS_API_KEY"


def test_process_environment_wins_over_the_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("OCTAVUS_API_URL=https://from-file.example\n")
    result = run_cli(
        "config", "--json", cwd=tmp_path, env={"OCTAVUS_API_URL": "https://from-env.example"}
    )
    assert result.json()["baseUrl"] == "https://from-env.example"


def test_missing_env_file_is_a_configuration_error(tmp_path: Path) -> None:
    result = run_cli("--env", "nope.env", "config", "--json", cwd=tmp_path)
    assert result.code == 2
    doc = result.json()
    assert doc["code"] == "CONFIG_ERROR"
    assert "nope.env" in doc["error"]
    human = run_cli("--env", "nope.env", "config", cwd=tmp_path)
    assert human.code == 2
    assert "nope.env does not exist" in human.stderr
    assert human.stdout == ""


def test_unparsable_env_file_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "bad.env").write_text("GOOD=1\nthis is not a binding\n")
    result = run_cli("--env", "bad.env", "list", "--json", cwd=tmp_path)
    assert result.code == 2
    doc = result.json()
    assert doc["code"] == "CONFIG_ERROR"
    assert "line 2" in doc["error"]


def test_env_file_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "envdir").mkdir()
    result = run_cli("--env", "envdir", "config", cwd=tmp_path)
    assert result.code == 2
    assert "is a folder" in result.stderr


# -- key precedence per family ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("present", "expected"),
    [
        (
            {"OCTAVUS_CLI_API_KEY": MGMT_KEY, "OCTAVUS_API_KEY": SESSIONS_KEY},
            {
                "management": "OCTAVUS_CLI_API_KEY",
                "run": "OCTAVUS_API_KEY",
                "workforce": "OCTAVUS_API_KEY",
            },
        ),
        (
            {"OCTAVUS_CLI_API_KEY": MGMT_KEY},
            {"management": "OCTAVUS_CLI_API_KEY", "run": "OCTAVUS_CLI_API_KEY", "workforce": None},
        ),
        (
            {"OCTAVUS_API_KEY": SESSIONS_KEY, "OCTAVUS_AGENT_KEY": AGENT_KEY},
            {
                "management": "OCTAVUS_API_KEY",
                "run": "OCTAVUS_API_KEY",
                "workforce": "OCTAVUS_AGENT_KEY",
            },
        ),
        ({}, {"management": None, "run": None, "workforce": None}),
        # an empty variable counts as not set
        (
            {"OCTAVUS_CLI_API_KEY": "", "OCTAVUS_API_KEY": SESSIONS_KEY},
            {
                "management": "OCTAVUS_API_KEY",
                "run": "OCTAVUS_API_KEY",
                "workforce": "OCTAVUS_API_KEY",
            },
        ),
    ],
)
def test_key_precedence_per_family(
    tmp_path: Path, present: dict[str, str], expected: dict[str, str | None]
) -> None:
    result = run_cli("config", "--json", cwd=tmp_path, env=present)
    assert result.code == 0
    assert families(result.json()) == expected
    for secret in present.values():
        if secret:
            assert secret not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("family", "env", "source"),
    [
        (
            Family.MANAGEMENT,
            {"OCTAVUS_CLI_API_KEY": MGMT_KEY, "OCTAVUS_API_KEY": SESSIONS_KEY},
            "OCTAVUS_CLI_API_KEY",
        ),
        (
            Family.RUN,
            {"OCTAVUS_CLI_API_KEY": MGMT_KEY, "OCTAVUS_API_KEY": SESSIONS_KEY},
            "OCTAVUS_API_KEY",
        ),
        (Family.RUN, {"OCTAVUS_CLI_API_KEY": MGMT_KEY}, "OCTAVUS_CLI_API_KEY"),
        (
            Family.WORKFORCE,
            {"OCTAVUS_AGENT_KEY": AGENT_KEY, "OCTAVUS_API_KEY": SESSIONS_KEY},
            "OCTAVUS_AGENT_KEY",
        ),
        (Family.WORKFORCE, {"OCTAVUS_API_KEY": SESSIONS_KEY}, "OCTAVUS_API_KEY"),
    ],
)
def test_resolve_credentials(family: Family, env: dict[str, str], source: str) -> None:
    creds = resolve_credentials(family, env)
    assert creds.source == source
    assert creds.key == env[source]
    assert creds.base_url == "https://octavus.ai"
    assert env[source] not in repr(creds)


def test_missing_key_names_the_variables() -> None:
    with pytest.raises(ConfigError) as info:
        resolve_credentials(Family.WORKFORCE, {})
    assert "OCTAVUS_AGENT_KEY or OCTAVUS_API_KEY" in info.value.message


# -- URL -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["ftp://octavus.ai", "octavus.ai", "https://", "https://x/?a=1"])
def test_base_url_must_be_http_or_https(url: str) -> None:
    with pytest.raises(ConfigError):
        resolve_base_url({"OCTAVUS_API_URL": url})


def test_base_url_trailing_slash_is_dropped() -> None:
    assert (
        resolve_base_url({"OCTAVUS_API_URL": "https://eu.octavus.ai/"}) == "https://eu.octavus.ai"
    )


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:7777", "http://localhost:8080", "http://[::1]:9000", "http://127.1.2.3"],
)
def test_plain_http_is_allowed_to_loopback(url: str) -> None:
    check_transport_security(url, {})


def test_plain_http_to_another_host_is_refused_with_an_opt_out() -> None:
    with pytest.raises(ConfigError) as info:
        check_transport_security("http://octavus.example", {})
    assert "plain http" in info.value.message
    assert "OCTAVUS_ALLOW_INSECURE_HTTP" in (info.value.hint or "")
    check_transport_security("http://octavus.example", {"OCTAVUS_ALLOW_INSECURE_HTTP": "1"})


def test_plain_http_refusal_stops_a_command_before_any_request(tmp_path: Path) -> None:
    # 192.0.2.1 is TEST-NET-1: nothing answers there, so a request would hang or fail.
    result = run_cli(
        "list",
        "--json",
        cwd=tmp_path,
        env={"OCTAVUS_API_URL": "http://192.0.2.1", "OCTAVUS_CLI_API_KEY": MGMT_KEY},
        timeout=30,
    )
    assert result.code == 2, result
    doc = result.json()
    assert doc["code"] == "CONFIG_ERROR"
    assert "plain http" in doc["error"]
    assert MGMT_KEY not in result.stdout + result.stderr
