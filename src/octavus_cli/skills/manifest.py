"""SKILL.md: its YAML front matter, read with positions (CONTRACT section 10).

The file's first line is ``---``; the front matter ends at the next line that
starts with ``---``. LF and CRLF line ends are both accepted (the official
parser only knows LF; the docs do not forbid CRLF). Positions are 1-based lines
and columns of SKILL.md itself.
"""

from __future__ import annotations

from typing import Any

from octavus_cli.protocol.yaml_source import Span, YamlDocument, YamlError, load_yaml
from octavus_cli.records import field, record
from octavus_cli.skills.folders import SKILL_FILE as SKILL_FILE

KNOWN_KEYS = ("name", "description", "version", "license", "author", "category", "secrets")
SECRET_KEYS = ("name", "description", "required")


@record
class FrontMatterProblem:
    """Why the front matter cannot be read: ``kind`` is missing, unclosed or yaml."""

    kind: str
    message: str
    line: int = 1
    column: int = 1


@record(frozen=False)
class FrontMatter:
    """The parsed front matter: data plus positions shifted to SKILL.md lines."""

    document: YamlDocument
    offset: int  # lines before the YAML text (the opening ---)
    end_line: int  # the line of the closing ---

    @property
    def data(self) -> dict[str, Any]:
        data = self.document.data
        return data if isinstance(data, dict) else {}

    def value_span(self, *path: str | int) -> Span:
        return self._shift(self.document.value_span(path))

    def key_span(self, *path: str | int) -> Span:
        return self._shift(self.document.key_span(path))

    def _shift(self, span: Span) -> Span:
        return Span(
            span.line + self.offset, span.column, span.end_line + self.offset, span.end_column
        )


@record
class SecretDeclaration:
    name: str
    required: bool = True
    description: str | None = None


@record(frozen=False)
class SkillManifest:
    """What the CLI needs from SKILL.md once it is valid."""

    name: str
    description: str
    secrets: list[SecretDeclaration] = field(default_factory=list)

    @property
    def required_secrets(self) -> list[str]:
        return [s.name for s in self.secrets if s.required]

    @property
    def secret_names(self) -> list[str]:
        return [s.name for s in self.secrets]


def split_lines(text: str) -> list[str]:
    """Lines without their LF or CRLF ends."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def parse_front_matter(text: str) -> FrontMatter | FrontMatterProblem:
    """The front matter of SKILL.md ``text``, or why there is none."""
    lines = split_lines(text.removeprefix("\ufeff"))
    if not lines or lines[0].rstrip() != "---":
        return FrontMatterProblem(
            "missing", "SKILL.md does not start with YAML front matter (a first line ---)"
        )
    close = next((i for i in range(1, len(lines)) if lines[i].startswith("---")), None)
    if close is None:
        return FrontMatterProblem(
            "unclosed",
            "the front matter of SKILL.md is not closed: no line --- after the opening one",
        )
    yaml_text = "\n".join(lines[1:close]) + "\n"
    try:
        document = load_yaml(yaml_text)
    except YamlError as error:
        return FrontMatterProblem(
            "yaml",
            f"the front matter is not valid YAML: {error.message}",
            error.line + 1,
            error.column,
        )
    if document.data is None:
        document.data = {}
    if not isinstance(document.data, dict):
        return FrontMatterProblem(
            "yaml", "the front matter must be a YAML mapping (key: value lines)", 2, 1
        )
    return FrontMatter(document, offset=1, end_line=close + 1)


def manifest_of(front: FrontMatter) -> SkillManifest:
    """The manifest of a front matter the rules found valid (lenient on the rest)."""
    data = front.data
    secrets: list[SecretDeclaration] = []
    raw = data.get("secrets")
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            required = item.get("required", True)
            description = item.get("description")
            secrets.append(
                SecretDeclaration(
                    item["name"],
                    required if isinstance(required, bool) else True,
                    description if isinstance(description, str) else None,
                )
            )
    return SkillManifest(str(data.get("name", "")), str(data.get("description", "")), secrets)
