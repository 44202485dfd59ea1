"""Skill folders for the tests, and a look at what the emulator received."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from octavus_cli.emulator import Emulator

GITHUB_SKILL = """\
---
name: {name}
description: Run GitHub CLI commands to manage repos, issues and pull requests.
version: '1.0.0'
secrets:
  - name: GITHUB_TOKEN
    description: Token with repo access
  - name: GITHUB_ORG
    required: false
---

# GitHub

Run `scripts/list-issues.py` with {{"repo": "owner/name"}} on stdin.
"""


def make_skill(root: Path, name: str, *, files: dict[str, str] | None = None) -> Path:
    """A valid skill folder ``root`` named ``name`` (plus ``files``)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "SKILL.md").write_text(GITHUB_SKILL.format(name=name), encoding="utf-8")
    script = root / "scripts" / "list-issues.py"
    script.parent.mkdir(exist_ok=True)
    script.write_text("import json, sys\nprint(json.load(sys.stdin))\n", encoding="utf-8")
    for rel, text in (files or {}).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def received_files(emulator: Emulator, slug: str) -> dict[str, bytes]:
    """The entries of the last bundle the emulator received for ``slug``, unzipped."""
    record = emulator.skills.get(slug)
    assert record is not None, f"the emulator has no skill {slug!r}"
    with zipfile.ZipFile(io.BytesIO(record.bundle)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
