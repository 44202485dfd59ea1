"""Rule examples as agent folders: the base agents and the folder writer.

Every rule's :class:`~octavus_cli.protocol.registry.Example` is a few files
written on top of a small, valid base agent. The test suite writes each
example (and its fix) and checks the finding; ``docs/rules.md`` shows them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from octavus_cli.protocol.registry import Example, ExampleFile, Filler, Symlink

BASE_INTERACTIVE = """\
triggers:
  user-message:
    input:
      USER_MESSAGE: { type: string }

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

    Respond:
      block: next-message
"""

BASE_WORKER = """\
input:
  TOPIC: { type: string }

variables:
  RESULT: { type: string }

steps:
  Start thread:
    block: start-thread
    thread: work
    model: anthropic/claude-sonnet-4-5
    system: system

  Add request:
    block: add-message
    thread: work
    role: user
    prompt: request
    input: [TOPIC]

  Generate:
    block: next-message
    thread: work
    output: RESULT

output: RESULT
"""

BASE_FILES: dict[str, dict[str, str]] = {
    "interactive": {
        "protocol.yaml": BASE_INTERACTIVE,
        "prompts/system.md": "You are a helpful assistant.\n",
        "prompts/user-message.md": "{{USER_MESSAGE}}\n",
    },
    "worker": {
        "protocol.yaml": BASE_WORKER,
        "prompts/system.md": "You write short, accurate notes.\n",
        "prompts/request.md": "Write a note about {{TOPIC}}.\n",
    },
}


def settings_text(fmt: str, slug: str = "my-agent") -> str:
    return (
        json.dumps({"slug": slug, "name": "My agent", "format": fmt}, indent=2, ensure_ascii=False)
        + "\n"
    )


def example_files(example: Example, *, fixed: bool = False) -> dict[str, ExampleFile]:
    """The files of the failing folder (or of the fixed one)."""
    files: dict[str, ExampleFile] = {}
    if example.base:
        files["settings.json"] = settings_text(example.format)
        files.update(BASE_FILES[example.format])
    overrides: dict[str, ExampleFile | None] = dict(example.files)
    if fixed:
        for name, content in example.fixed.items():
            if content is None:
                overrides.pop(name, None)
            else:
                overrides[name] = content
    for name, override in overrides.items():
        if override is None:
            files.pop(name, None)
        else:
            files[name] = override
    return files


def write_example(example: Example, root: Path, *, fixed: bool = False) -> Path:
    """Write the example folder at ``root`` (nothing when the folder must be missing)."""
    if example.no_folder and not fixed:
        return root
    root.mkdir(parents=True, exist_ok=True)
    for name, content in example_files(example, fixed=fixed).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Symlink):
            os.symlink(content.target, path)
        elif isinstance(content, Filler):
            path.write_bytes(b"x" * content.size)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    return root


def describe_file(content: ExampleFile) -> str:
    """How a file's content is shown in the docs."""
    if isinstance(content, Symlink):
        return f"(a symbolic link to {content.target})"
    if isinstance(content, Filler):
        return f"({content.size:,} bytes of text)"
    if isinstance(content, bytes):
        return content.decode("utf-8", "backslashreplace")
    return content
