"""The files of a new agent or skill folder (``octavus init``).

Each template validates clean, syncs, and runs against the emulator as it is;
the tests check all three.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from octavus_cli.records import record

FORMATS = ("interactive", "worker")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MODEL = "anthropic/claude-sonnet-4-5"

_INTERACTIVE = f"""\
# An interactive agent: a chat that answers each user message.
# Protocol reference: https://octavus.ai/docs/protocol/overview
# Check it with `octavus validate .`, upload it with `octavus sync .`.

triggers:
  user-message:
    description: The user sends a chat message
    input:
      USER_MESSAGE: {{ type: string, description: What the user wrote }}

agent:
  model: {MODEL}
  system: system

handlers:
  user-message:
    Add user message:
      block: add-message
      role: user
      prompt: user-message
      input: [USER_MESSAGE]
      visible: false

    Respond to user:
      block: next-message
"""

_WORKER = f"""\
# A worker: runs its steps once for the given input and returns its output.
# Protocol reference: https://octavus.ai/docs/protocol/workers
# Check it with `octavus validate .`, upload it with `octavus sync .`.

input:
  TOPIC: {{ type: string, description: What to write about }}

variables:
  RESULT: {{ type: string, description: The note the worker returns }}

steps:
  Start thread:
    block: start-thread
    thread: work
    model: {MODEL}
    system: system

  Add request:
    block: add-message
    thread: work
    role: user
    prompt: request
    input: [TOPIC]

  Write note:
    block: next-message
    thread: work
    output: RESULT

output: RESULT
"""

_PROMPTS = {
    "interactive": {
        "prompts/system.md": "You are {name}, a helpful assistant. Answer clearly and briefly.\n",
        "prompts/user-message.md": "{{{{USER_MESSAGE}}}}\n",
    },
    "worker": {
        "prompts/system.md": "You are {name}. You write short, accurate notes.\n",
        "prompts/request.md": "Write a short note about {{{{TOPIC}}}}.\n",
    },
}


@record
class Scaffold:
    """A new folder's files (relative paths with ``/``) and what to run next."""

    kind: str  # interactive, worker or skill
    slug: str
    files: dict[str, str]


def default_slug(folder: Path) -> str:
    """A slug made from the folder name (``My Agent`` -> ``my-agent``)."""
    slug = re.sub(r"[^a-z0-9]+", "-", folder.resolve().name.lower()).strip("-")
    return slug or "my-agent"


def default_name(slug: str) -> str:
    return " ".join(part.capitalize() for part in slug.split("-")) or "My Agent"


def agent_scaffold(slug: str, name: str, fmt: str, description: str | None = None) -> Scaffold:
    settings: dict[str, str] = {"slug": slug, "name": name}
    settings["description"] = description or (
        "An interactive chat agent." if fmt == "interactive" else "A worker that writes a note."
    )
    settings["format"] = fmt
    files = {
        "settings.json": json.dumps(settings, indent=2, ensure_ascii=False) + "\n",
        "protocol.yaml": _INTERACTIVE if fmt == "interactive" else _WORKER,
    }
    for path, text in _PROMPTS[fmt].items():
        files[path] = text.format(name=name)
    return Scaffold(fmt, slug, files)


def skill_scaffold(slug: str, name: str, description: str | None = None) -> Scaffold:
    """A skill folder in the Agent Skills format: SKILL.md with name/description front matter."""
    summary = description or f"{name}: describe what this skill does and when to use it."
    skill_md = (
        "---\n"
        f"name: {slug}\n"
        f"description: {json.dumps(summary, ensure_ascii=False)}\n"
        "version: 0.1.0\n"
        "---\n\n"
        f"# {name}\n\n"
        "## Overview\n\n"
        "What this skill does, and when the agent should use it.\n\n"
        "## Usage\n\n"
        "Run the script with `octavus_skill_run`:\n\n"
        "```bash\n"
        "python scripts/run.py\n"
        "```\n"
    )
    script = (
        '"""The skill\'s entry script: files written to /output/ are given to the user."""\n'
        "\n"
        "print('Hello from the skill')\n"
    )
    return Scaffold("skill", slug, {"SKILL.md": skill_md, "scripts/run.py": script})


def write_scaffold(root: Path, scaffold: Scaffold) -> list[Path]:
    """Write the files under ``root`` (created if missing); the paths written."""
    written: list[Path] = []
    for relative, text in scaffold.files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
