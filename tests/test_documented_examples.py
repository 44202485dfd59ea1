"""Every `octavus ...` example of the README and of the help texts runs against the emulator.

The examples are taken from the README's fenced shell blocks (not the GitHub workflow
YAML) and from the ``Examples:`` section of every command's help, then run with bash in
a fresh folder that holds what they name: the bundled ``examples/``, a copy of its
agents as ``agents/``, ``input.yaml``, ``task.md``, tool scripts and an env file.
Placeholders (``AGENT_ID``, ``SESSION_ID``, ``cm5agent123``, ...) become real ids of the
emulator, and Workforce waits poll every 0.05 s. Each example must exit 0.

Not run, each with its reason in :data:`SKIPPED`. Also not collected: the install
line of the quick start (it needs the package index) and the ``run:`` lines of the
GitHub workflows (GitHub runs those).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import typer

from octavus_cli.app import app
from octavus_cli.emulator import Emulator
from octavus_cli.emulator.testing import (
    TEST_AGENT_KEY,
    TEST_PROJECT_KEY,
    TEST_WORKFORCE_AGENT_ID,
    emulator_env_for,
    fixture_defaults,
)
from tests.support.cli import clean_env, run_cli

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SHELL_BLOCKS = {"bash", "sh", "shell", "console"}
SHELL_SYNTAX = re.compile(r"[|<>$`;&()]")
STDIN = "Hello from the examples test\n"
COMMAND = re.compile(r"(^|[|;&(]\s*|\$\()octavus\s")

# Example (after joining continuation lines) -> why it is not run here.
SKIPPED: dict[str, str] = {
    "octavus emulator": "starts a server that runs until stopped "
    "(tests/emulator/test_command.py starts and stops it)",
    "octavus emulator --data emulator.db": "starts a server that runs until stopped",
    "octavus emulator --port 0 --data emulator.db --key my-fake-key": "starts a server that "
    "runs until stopped",
    "octavus emulator --agent-key cmworkforceagent01=my-fake-agent-key": "starts a server "
    "that runs until stopped",
    "octavus validate --watch agents/support-chat": "watches until stopped "
    "(tests/authoring starts it, writes a file, reads the new result and stops it)",
    'octavus run "$AGENT_ID" --oidc-audience "$AUDIENCE" -m "Nightly report"': "needs a "
    "GitHub Actions OIDC token (tests/run/test_oidc.py covers it with a fake issuer)",
}


@dataclass(frozen=True)
class Example:
    source: str
    command: str


def _logical_lines(block: list[str]) -> Iterator[str]:
    current = ""
    for raw in block:
        line = raw.rstrip()
        if line.endswith("\\"):
            current += line[:-1].strip() + " "
            continue
        yield (current + line.strip()).strip()
        current = ""


def _clean(line: str) -> str:
    line = line.removeprefix("$ ")
    return re.sub(r"\s+#\s.*$", "", line).strip()


def readme_examples() -> list[Example]:
    found: list[Example] = []
    language: str | None = None
    block: list[str] = []
    for number, line in enumerate(README.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("```"):
            if language is None:
                language, block, start = line[3:].strip(), [], number
            else:
                if language in SHELL_BLOCKS:
                    for command in map(_clean, _logical_lines(block)):
                        if COMMAND.search(command) and not command.startswith("#"):
                            found.append(Example(f"README.md:{start}", command))
                language = None
        elif language is not None:
            block.append(line)
    return found


README = REPO / "README.md"


def help_examples() -> list[Example]:
    root = typer.main.get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    found: list[Example] = []

    def visit(command: typer.core.TyperCommand | typer.core.TyperGroup, path: str) -> None:
        text = command.help or ""
        if "Examples:" in text:
            section = text.split("Examples:", 1)[1]
            for line in _logical_lines(section.splitlines()):
                if COMMAND.search(line):
                    found.append(Example(f"octavus {path} --help".replace("  ", " "), line))
        if isinstance(command, typer.core.TyperGroup):
            for name, sub in command.commands.items():
                assert isinstance(sub, typer.core.TyperCommand | typer.core.TyperGroup)
                visit(sub, f"{path} {name}".strip())

    visit(root, "")
    return found


ALL = readme_examples() + help_examples()


# -- the emulator and the folder the examples run in ---------------------------------


@dataclass
class World:
    emulator: Emulator
    session_id: str
    thread_id: str

    def new_session(self) -> str:
        """A fresh support-chat session (an example may clear or restore its session)."""
        response = httpx.post(
            f"{self.emulator.url}/api/agent-sessions",
            json={"agentId": self.agent_id("support-chat"), "input": SUPPORT_INPUT},
            headers={"Authorization": f"Bearer {TEST_PROJECT_KEY}"},
        )
        response.raise_for_status()
        return str(response.json()["sessionId"])

    def agent_id(self, slug: str) -> str:
        record = self.emulator.store.get_agent_by_slug(slug)
        assert record is not None
        return record.id


FIXTURES = REPO / "tests" / "fixtures"
SEEDED = {
    "support-chat": EXAMPLES / "agents" / "support-chat",
    "minimal-chat": EXAMPLES / "agents" / "minimal-chat",
    "research-worker": EXAMPLES / "agents" / "research-worker",
    "old-agent": EXAMPLES / "agents" / "minimal-chat",
    "old-support-chat": EXAMPLES / "agents" / "support-chat",
    "doc-chat": FIXTURES / "agents" / "doc-chat",  # file inputs, for `run --file`
}
SUPPORT_INPUT = {"COMPANY_NAME": "Acme", "PRODUCT_NAME": "Widget", "PLAN_TIER": "pro"}


def seed(emulator: Emulator, tmp: Path) -> None:
    """The example agents, and the ones the archive examples archive, when missing."""
    import json

    for slug, example in SEEDED.items():
        if emulator.store.get_agent_by_slug(slug) is not None:
            continue
        folder = tmp / f"seed-{slug}"
        if not folder.exists():
            shutil.copytree(example, folder)
            settings = json.loads((folder / "settings.json").read_text(encoding="utf-8"))
            settings["slug"] = slug
            (folder / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
        emulator.seed_agent(folder)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    emulator = Emulator(**fixture_defaults()).start()
    try:
        seed(emulator, tmp_path_factory.mktemp("seeds"))
        support = emulator.store.get_agent_by_slug("support-chat")
        assert support is not None
        headers = {"Authorization": f"Bearer {TEST_PROJECT_KEY}"}
        session = httpx.post(
            f"{emulator.url}/api/agent-sessions",
            json={
                "agentId": support.id,
                "input": SUPPORT_INPUT,
            },
            headers=headers,
        )
        session.raise_for_status()
        thread = httpx.post(
            f"{emulator.url}/api/v1/workforce/agents/{TEST_WORKFORCE_AGENT_ID}/threads",
            json={"message": "Research competitors"},
            headers={"Authorization": f"Bearer {TEST_AGENT_KEY}"},
        )
        thread.raise_for_status()
        yield World(emulator, session.json()["sessionId"], thread.json()["threadId"])
    finally:
        emulator.stop()


def workspace(root: Path, world: World) -> Path:
    shutil.copytree(EXAMPLES, root / "examples")
    shutil.copytree(EXAMPLES / "agents", root / "agents")
    shutil.copy(EXAMPLES / "input.yaml", root / "input.yaml")
    (root / "task.md").write_text("Summarize the sales report\n", encoding="utf-8")
    (root / "notes.md").write_text("Now make slides\n", encoding="utf-8")
    (root / "attachments.json").write_text(
        '[{"id": "file-1", "mediaType": "text/plain", "url": "https://files.example/1"}]',
        encoding="utf-8",
    )
    tools = root / "tools"
    tools.mkdir()
    for script in (tools / "order.sh", tools / "order-status.sh", root / "order.sh"):
        script.write_text('#!/bin/sh\necho \'{"status": "shipped"}\'\n', encoding="utf-8")
        script.chmod(0o755)
    (tools / "account.py").write_text('print(\'{"plan": "pro"}\')\n', encoding="utf-8")
    shutil.copytree(FIXTURES / "skills", root / "skills")
    kb = root / "kb.sh"
    kb.write_text('#!/bin/sh\necho \'{"results": ["2.0 adds workers"]}\'\n', encoding="utf-8")
    kb.chmod(0o755)
    (root / "report.pdf").write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    (root / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    env = emulator_env_for(world.emulator)
    exported = run_cli("sessions", "export", world.session_id, env=env)
    assert exported.code == 0, exported
    (root / "session.json").write_text(exported.stdout, encoding="utf-8")
    for name in (".env.staging", ".env.ci"):
        (root / name).write_text("".join(f"{k}={v}\n" for k, v in env.items()), encoding="utf-8")
    return root


def concrete(command: str, world: World) -> str:
    """The example with its placeholders replaced by the emulator's ids."""
    replacements = {
        r"(?<![$\w])AGENT_ID\b": TEST_WORKFORCE_AGENT_ID,
        r"\bcm5agent123\b": TEST_WORKFORCE_AGENT_ID,
        r"\bcm5thread456\b": world.thread_id,
        r"\bSESSION_ID\b": world.session_id,
        r"\bcm5xyz123\b": world.session_id,
        r"\bcm1a2b3c4d5e6f7g8h9i0j\b": world.agent_id("support-chat"),
        r"octavus workforce (run|wait|follow-up)\b": r"\g<0> --poll-interval 0.05",
        # tokens are minted for a session agent, not a Workforce one
        r'(octavus token mint )"\$AGENT_ID"': r"\g<1>" + world.agent_id("support-chat"),
    }
    for pattern, value in replacements.items():
        command = re.sub(pattern, value, command)
    return command


def test_examples_are_found() -> None:
    sources = {e.source.split(":")[0] for e in ALL}
    assert "README.md" in sources
    assert "octavus run --help" in sources
    assert "octavus workforce run --help" in sources
    assert len(ALL) > 40
    assert set(SKIPPED) <= {e.command for e in ALL}, "a skipped example no longer exists"


def _marked(example: Example) -> Any:
    """An example that starts a process per agent (``xargs``) is slow; the rest are not."""
    if "xargs" in example.command:
        return pytest.param(example, marks=pytest.mark.slow)
    return example


@pytest.mark.parametrize(
    "example", [_marked(e) for e in ALL], ids=lambda e: f"{e.source}: {e.command}"
)
def test_example_runs(example: Example, world: World, tmp_path: Path) -> None:
    if example.command in SKIPPED:
        pytest.skip(SKIPPED[example.command])
    if "jq " in example.command and shutil.which("jq") is None:
        pytest.skip("jq is not installed")
    seed(world.emulator, tmp_path)
    world.session_id = world.new_session()
    root = workspace(tmp_path / "work", world)
    env = clean_env(
        {
            **emulator_env_for(world.emulator),
            "AGENT_ID": TEST_WORKFORCE_AGENT_ID,
            "THREAD": world.thread_id,
            "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
        }
    )
    if "$TOKEN" in example.command and "TOKEN=" not in example.command:
        minted = run_cli(
            "token", "mint", world.agent_id("support-chat"), env=emulator_env_for(world.emulator)
        )
        assert minted.code == 0, minted
        env["TOKEN"] = minted.stdout.strip()  # what an earlier line of the example set
    command = concrete(example.command, world)
    words = shlex.split(command) if not SHELL_SYNTAX.search(command) else []
    if words[:1] == ["octavus"]:
        # A plain command: run in-process (as fast as the rest of the suite); bash is for
        # the examples that use pipes, redirections or variables.
        ran = run_cli(*words[1:], env=env, cwd=root, input=STDIN, clean=False)
        code, stdout, stderr = ran.code, ran.stdout, ran.stderr
    else:
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", command],
            cwd=root,
            env=env,
            input=STDIN,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        code, stdout, stderr = done.returncode, done.stdout, done.stderr
    assert code == 0, (
        f"{example.source}: {command}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}"
    )
