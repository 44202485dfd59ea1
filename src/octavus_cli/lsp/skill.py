"""SKILL.md in the editor: front-matter checks, key help and completion.

A skill folder is the folder that holds SKILL.md. The checks here are the
basics of the Agent Skills format as the Octavus docs describe it (front
matter with ``name`` and ``description``; ``name`` is the folder's slug); a
full ``skills validate`` can replace :func:`skill_findings` when it exists.
"""

from __future__ import annotations

import re

from octavus_cli.records import record

SKILL_FILE = "SKILL.md"
NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SECRET = re.compile(r"^[A-Z_][A-Z0-9_]*$")

FRONT_MATTER_KEYS: dict[str, str] = {
    "name": "Required. The skill's slug (lowercase letters, digits and dashes), the name a "
    "protocol's `skills:` uses.",
    "description": "Required. What the skill does and when to use it; the model reads it to "
    "decide when to load the skill.",
    "version": "The skill's version, e.g. 1.0.0.",
    "license": "The license of the skill's files, e.g. MIT.",
    "author": "Who wrote the skill.",
    "category": "A category shown in the Skills tab, e.g. Productivity.",
    "secrets": "Secrets the skill needs: a list of {name (UPPER_SNAKE_CASE), description, "
    "required (default true)}. A skill with secrets runs in secure mode.",
}


@record
class SkillFinding:
    code: str
    message: str
    line: int  # 0-based
    start: int
    end: int
    error: bool = True


def front_matter(text: str) -> tuple[list[str], int] | None:
    """The front-matter lines and the 0-based line of its closing ``---``."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return lines[1:index], index
    return None


def _key_line(lines: list[str], key: str) -> int:
    for index, line in enumerate(lines):
        if line.startswith(f"{key}:"):
            return index + 1  # the front matter starts on line 1
    return 0


def skill_findings(folder_name: str, text: str) -> list[SkillFinding]:
    """What is wrong with a SKILL.md's front matter (empty when nothing is)."""
    from octavus_cli.skills.manifest import FrontMatterProblem, parse_front_matter

    found = front_matter(text)
    if found is None:
        return [
            SkillFinding(
                "skill-front-matter",
                "SKILL.md needs front matter between --- lines, with name and description",
                0,
                0,
                3,
            )
        ]
    lines, _ = found
    parsed = parse_front_matter(text)  # the one SKILL.md reader (skills validate's)
    if isinstance(parsed, FrontMatterProblem):
        message = parsed.message.removeprefix("the ")
        return [SkillFinding("skill-front-matter", message, max(parsed.line - 1, 1), 0, 1)]
    data = parsed.data
    findings: list[SkillFinding] = []
    for key in ("name", "description"):
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            findings.append(
                SkillFinding("skill-front-matter", f"front matter needs a text {key}", 0, 0, 3)
            )
    name = data.get("name")
    if isinstance(name, str) and name:
        line = _key_line(lines, "name")
        source = text.splitlines()[line]
        start = source.find(name)
        span = (start, start + len(name)) if start >= 0 else (0, len(source))
        if not NAME.match(name):
            findings.append(
                SkillFinding(
                    "skill-name",
                    f'name "{name}" may only hold lowercase letters, digits and dashes',
                    line,
                    *span,
                )
            )
        elif name != folder_name:
            findings.append(
                SkillFinding(
                    "skill-name",
                    f'name "{name}" differs from the folder name "{folder_name}"; the '
                    "skill is synced under its name",
                    line,
                    *span,
                    error=False,
                )
            )
    secrets = data.get("secrets")
    if isinstance(secrets, list):
        line = _key_line(lines, "secrets")
        for secret in secrets:
            secret_name = secret.get("name") if isinstance(secret, dict) else None
            if not isinstance(secret_name, str) or not SECRET.match(secret_name):
                findings.append(
                    SkillFinding(
                        "skill-secret",
                        f"secret name {secret_name!r} must match ^[A-Z_][A-Z0-9_]*$",
                        line,
                        0,
                        len("secrets"),
                    )
                )
    return findings


def skill_hover(text: str, line: int, character: int) -> str | None:
    found = front_matter(text)
    if found is None or not 1 <= line <= found[1]:
        return None
    source = text.splitlines()[line]
    for key, meaning in FRONT_MATTER_KEYS.items():
        if source.startswith(f"{key}:") and character <= len(key):
            return f"**{key}**: {meaning}"
    return None


def skill_completions(text: str, line: int, character: int) -> list[str]:
    found = front_matter(text)
    if found is None or not 1 <= line < found[1]:
        return []
    source = text.splitlines()[line] if line < len(text.splitlines()) else ""
    if ":" in source[:character] or source[:1].isspace():
        return []
    present = {entry.split(":", 1)[0] for entry in found[0]}
    return [key for key in FRONT_MATTER_KEYS if key not in present]
