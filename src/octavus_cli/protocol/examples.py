"""Rule examples as agent folders: the base agents and the folder writer.

Every rule's :class:`~octavus_cli.protocol.registry.Example` is a few files
written on top of a small, valid base agent. The test suite writes each
example (and its fix) and checks the finding; ``docs/rules.md`` shows them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
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


def overlay_files(
    base: Mapping[str, ExampleFile],
    files: Mapping[str, ExampleFile | None],
    fix: Mapping[str, ExampleFile | None] | None = None,
) -> dict[str, ExampleFile]:
    """``base`` with ``files`` written over it (``None`` removes a file).

    ``fix`` (for the fixed folder) updates ``files`` first; there ``None`` drops the
    override, restoring the base file.
    """
    merged: dict[str, ExampleFile] = dict(base)
    overrides: dict[str, ExampleFile | None] = dict(files)
    for name, content in (fix or {}).items():
        if content is None:
            overrides.pop(name, None)
        else:
            overrides[name] = content
    for name, override in overrides.items():
        if override is None:
            merged.pop(name, None)
        else:
            merged[name] = override
    return merged


def write_files(files: Mapping[str, ExampleFile], root: Path) -> Path:
    """Write ``files`` (relative names) into the folder ``root``, created as needed."""
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
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


def example_files(example: Example, *, fixed: bool = False) -> dict[str, ExampleFile]:
    """The files of the failing folder (or of the fixed one)."""
    base: dict[str, ExampleFile] = {}
    if example.base:
        base["settings.json"] = settings_text(example.format)
        base.update(BASE_FILES[example.format])
    return overlay_files(base, example.files, example.fixed if fixed else None)


def write_example(example: Example, root: Path, *, fixed: bool = False) -> Path:
    """Write the example folder at ``root`` (nothing when the folder must be missing)."""
    if example.no_folder and not fixed:
        return root
    return write_files(example_files(example, fixed=fixed), root)


def describe_file(content: ExampleFile) -> str:
    """How a file's content is shown in the docs."""
    if isinstance(content, Symlink):
        return f"(a symbolic link to {content.target})"
    if isinstance(content, Filler):
        return f"({content.size:,} bytes of text)"
    if isinstance(content, bytes):
        return content.decode("utf-8", "backslashreplace")
    return content
