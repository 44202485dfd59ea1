"""Help with real placeholders, usage errors in plain words, shell completion."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

from octavus_cli.app import app
from octavus_cli.emulator import Emulator
from tests.protocol.helpers import EXAMPLES
from tests.support.cli import run_cli

# What typer's own rendering would show: Python types and braces around names.
NOT_PLAIN = re.compile(
    r"<(list\[|str>|int>|float>|Path>|bool>)|\{[A-Z_.]+\}|Value error|Input should"
)


def command_paths() -> Iterator[list[str]]:
    root = typer.main.get_command(app)
    assert isinstance(root, typer.core.TyperGroup)

    def walk(group: typer.core.TyperGroup, prefix: list[str]) -> Iterator[list[str]]:
        for name, command in group.commands.items():
            yield [*prefix, name]
            if isinstance(command, typer.core.TyperGroup):
                yield from walk(command, [*prefix, name])

    yield []
    yield from walk(root, [])


@pytest.mark.parametrize("path", list(command_paths()), ids=lambda p: " ".join(p) or "octavus")
def test_help_shows_placeholders_not_python_types(path: list[str]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], prog_name="octavus")
    assert result.exit_code == 0, result.output
    assert NOT_PLAIN.search(result.output) is None, result.output
    assert result.output.startswith(f"Usage: {' '.join(['octavus', *path])} ")


def test_usage_lines_name_the_arguments() -> None:
    runner = CliRunner()
    assert (
        "Usage: octavus validate [OPTIONS] PATH...\n"
        in runner.invoke(app, ["validate", "--help"], prog_name="octavus").output
    )
    assert (
        "Usage: octavus sync [OPTIONS] PATH...\n"
        in runner.invoke(app, ["sync", "--help"], prog_name="octavus").output
    )
    assert (
        "Usage: octavus run [OPTIONS] AGENT\n"
        in runner.invoke(app, ["run", "--help"], prog_name="octavus").output
    )
    # An optional argument whose placeholder already says so is not bracketed twice.
    assert (
        "Usage: octavus init [OPTIONS] [PATH]\n"
        in runner.invoke(app, ["init", "--help"], prog_name="octavus").output
    )
    assert (
        "Usage: octavus rules [OPTIONS] [ID]\n"
        in runner.invoke(app, ["rules", "--help"], prog_name="octavus").output
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sync", "x", "--jobs", "0"], "Invalid value for '--jobs' / '-j': must be at least 1"),
        (["sync", "x", "--jobs", "99"], "Invalid value for '--jobs' / '-j': must be at most 32"),
        (
            ["sync", "x", "--jobs", "many"],
            "Invalid value for '--jobs' / '-j': must be a whole number",
        ),
        (
            ["validate", "x", "--format", "xml"],
            "Invalid value for '--format': 'xml' is not one of 'human', 'json', 'github', 'sarif'.",
        ),
        (
            ["run", "x", "--tool-timeout", "soon"],
            "Invalid value for '--tool-timeout': must be a number",
        ),
        (["validate"], "Missing argument 'PATH'."),
        # The same reading of numbers under typer 0.28 and 0.29 (see cli_group.PlainNumber).
        (
            ["sync", "x", "--jobs", "1.5"],
            "Invalid value for '--jobs' / '-j': must be a whole number",
        ),
        (
            ["sync", "x", "--jobs", "1e1"],
            "Invalid value for '--jobs' / '-j': must be a whole number",
        ),
        (
            ["sync", "x", "--jobs", "\u0661"],
            "Invalid value for '--jobs' / '-j': must be a whole number",
        ),
        (["sync", "x", "--jobs", "-0"], "Invalid value for '--jobs' / '-j': must be at least 1"),
        (["emulator", "--port", "-5"], "Invalid value for '--port': must be at least 0"),
        (["emulator", "--port", "99999"], "Invalid value for '--port': must be at most 65535"),
        (
            ["emulator", "--heartbeat", "nan"],
            "Invalid value for '--heartbeat': must be at least 0.01",
        ),
        (["emulator", "--latency", "0x1"], "Invalid value for '--latency': must be a number"),
        (["emulator", "--latency", "-5"], "Invalid value for '--latency': must be at least 0"),
    ],
)
def test_usage_errors_in_plain_words(args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, args, prog_name="octavus")
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert NOT_PLAIN.search(result.output) is None, result.output


def complete(shell: str, words: str) -> list[str]:
    """Ask the completion function of ``shell`` for the candidates after ``words``."""
    env = {"_OCTAVUS_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        parts = words.split(" ")
        env |= {"COMP_WORDS": words, "COMP_CWORD": str(len(parts) - 1)}
    else:
        env |= {"_TYPER_COMPLETE_ARGS": words}
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    result = run_cli(env=env)
    assert result.code == 0, result
    return result.stdout.splitlines()


def test_bash_completes_commands() -> None:
    assert complete("bash", "octavus va") == ["validate"]
    assert "workforce" in complete("bash", "octavus ")


def test_zsh_completes_options() -> None:
    [line] = [c for c in complete("zsh", "octavus sync --dry") if "--dry-run" in c]
    assert "Read the platform but send no write" in line


def test_fish_completes_choices() -> None:
    assert complete("fish", "octavus validate x --format ") == ["human", "json", "github", "sarif"]


@pytest.mark.parametrize(
    ("shell", "first_line"),
    [("bash", "_octavus_completion() {"), ("zsh", "#compdef octavus"), ("fish", "complete ")],
)
def test_show_completion_prints_the_named_shells_script(shell: str, first_line: str) -> None:
    # Not the shell the tests run under: typer's flag printed the detected shell's script.
    result = run_cli("--show-completion", shell)
    assert result.code == 0, result
    assert result.stdout.startswith(first_line), result


def test_show_completion_names_the_shells_it_knows() -> None:
    result = run_cli("--show-completion", "tcsh")
    assert result.code == 2, result
    assert "'tcsh' is not one of 'bash', 'zsh', 'fish', 'powershell', 'pwsh'" in result.stderr


def test_completion_can_be_installed() -> None:
    result = run_cli("--show-completion", "bash")
    assert result.code == 0, result
    assert "_OCTAVUS_COMPLETE=complete_bash" in result.stdout


def test_paths_complete_to_agent_folders(tmp_path: Path) -> None:
    for name in ("support-chat", "minimal-chat"):
        shutil.copytree(EXAMPLES / name, tmp_path / "agents" / name)
    (tmp_path / "agents" / "notes").mkdir()
    env = {"_OCTAVUS_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "octavus validate agents/"}
    result = run_cli(env=env, cwd=tmp_path)
    assert result.code == 0, result
    assert '"agents/minimal-chat":"agent folder"' in result.stdout
    assert '"agents/notes":"folder"' in result.stdout
    env = {
        "_OCTAVUS_COMPLETE": "complete_bash",
        "COMP_WORDS": "octavus sync agents/su",
        "COMP_CWORD": "2",
    }
    assert run_cli(env=env, cwd=tmp_path).stdout.splitlines() == ["agents/support-chat"]


def test_slugs_complete_from_the_platform_when_a_key_is_set(
    emulator: Emulator, emulator_env: dict[str, str]
) -> None:
    emulator.seed_agent(EXAMPLES / "support-chat")
    emulator.seed_agent(EXAMPLES / "minimal-chat")
    words = {
        "_OCTAVUS_COMPLETE": "complete_bash",
        "COMP_WORDS": "octavus get su",
        "COMP_CWORD": "2",
    }
    assert run_cli(env={**emulator_env, **words}).stdout.splitlines() == ["support-chat"]
    # Without a key: nothing offered, and no error.
    without = run_cli(env={"OCTAVUS_API_URL": emulator_env["OCTAVUS_API_URL"], **words})
    assert without.code == 0, without
    assert without.stdout.strip() == ""


def test_commands_added_later_get_placeholders_too() -> None:
    """A command another module registers without metavars still reads plainly."""
    from octavus_cli.cli_group import OctavusGroup

    other = typer.Typer(cls=OctavusGroup, rich_markup_mode=None)

    @other.command()
    def check(
        paths: Annotated[list[str], typer.Argument()],
        timeout: Annotated[float, typer.Option("--timeout")] = 1.0,
        strict: bool = False,
    ) -> None:
        """Check."""

    @other.command()
    def noop() -> None:
        """Nothing."""

    output = CliRunner().invoke(other, ["check", "--help"], prog_name="x").output
    assert "Usage: x check [OPTIONS] PATHS...\n" in output
    assert "--timeout TIMEOUT" in output
    assert "--strict / --no-strict" in output
    assert NOT_PLAIN.search(output) is None, output


@pytest.mark.parametrize(
    ("text", "whole", "real"),
    [
        ("5", 5, 5.0),
        (" 5 ", 5, 5.0),
        ("+3", 3, 3.0),
        ("1_0", 10, 10.0),
        ("5.0", 5, 5.0),
        ("5.5", None, 5.5),
        ("1e1", None, 10.0),
        ("0x10", None, None),
        ("\u0661", None, None),
        ("true", None, None),
        ("inf", None, float("inf")),
    ],
)
def test_numbers_are_read_as_typer_029_reads_them(
    text: str, whole: int | None, real: float | None
) -> None:
    from octavus_cli.cli_group import number, whole_number

    assert whole_number(text) == whole
    assert number(text) == real


def test_the_summaries_are_the_commands_own_help() -> None:
    import inspect

    from octavus_cli.app import COMMANDS, SUMMARIES, command_object

    assert list(SUMMARIES) == list(COMMANDS)
    for name in COMMANDS:
        found = command_object(name)
        text = found.info.help if isinstance(found, typer.Typer) else inspect.getdoc(found)
        assert isinstance(text, str), name
        first_paragraph = " ".join(text.split("\n\n")[0].split())
        assert SUMMARIES[name] == first_paragraph, (
            f"app.SUMMARIES[{name!r}] must be the first paragraph of the command's help"
        )


@pytest.mark.parametrize("columns", ["60", "80", "120", "200"])
def test_the_top_level_help_is_the_whole_apps_help(columns: str) -> None:
    # `--debug --help` is not a top-level help the scan recognises: the whole app builds it.
    summary = run_cli("--help", env={"COLUMNS": columns})
    whole = run_cli("--debug", "--help", env={"COLUMNS": columns})
    assert summary.code == whole.code == 0
    assert summary.stdout == whole.stdout
    assert "\n  workforce  Dispatch, wait for" in summary.stdout
    bare = run_cli(env={"COLUMNS": columns})
    assert bare.code == 2
    assert bare.stdout + bare.stderr == summary.stdout
