"""The checks of ``octavus skills validate``, one small function per concern.

Each check reads a :class:`SkillContext` and yields diagnostics; positions are
lines and columns of SKILL.md (or ``1:1`` of the file a finding is about).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

from octavus_cli.protocol.diagnostics import Diagnostic, Severity
from octavus_cli.protocol.folder import SLUG_PATTERN
from octavus_cli.protocol.names import did_you_mean
from octavus_cli.protocol.registry import Filler, Symlink
from octavus_cli.protocol.yaml_source import Span
from octavus_cli.records import field, record
from octavus_cli.skills.bundle import FileList, is_expected_exclusion
from octavus_cli.skills.manifest import (
    KNOWN_KEYS,
    SECRET_KEYS,
    SKILL_FILE,
    FrontMatter,
    FrontMatterProblem,
    split_lines,
)
from octavus_cli.skills.registry import SkillExample, SkillRule, define
from octavus_cli.skills.secrets import SECRET_NAME

# Keys of the Agent Skills standard that Octavus does not document but allows.
STANDARD_KEYS = ("compatibility", "metadata", "allowed-tools")
OPTIONAL_TEXT = ("version", "license", "author", "category")
MAX_BUNDLE_BYTES = 10 * 1024 * 1024
MIN_LEAK_LENGTH = 8  # shorter values (a region, an org name) give false alarms
SCRIPT_MENTION = re.compile(r"(?<![\w./-])scripts/[\w./-]*[\w-]")


@record(frozen=False)
class SkillContext:
    root: Path
    text: str | None  # SKILL.md, when readable
    front: FrontMatter | None
    problem: FrontMatterProblem | None
    files: FileList
    secret_values: list[str] = field(default_factory=list)


Check = Callable[[SkillContext], Iterator[Diagnostic]]
CHECKS: list[Check] = []


def check(function: Check) -> Check:
    CHECKS.append(function)
    return function


def finding(
    rule: SkillRule,
    message: str,
    *,
    span: Span | None = None,
    file: str = SKILL_FILE,
    hint: str | None = None,
    path: str | None = None,
) -> Diagnostic:
    span = span or Span(1, 1, 1, 2)
    extra: dict[str, object] = {"rule": rule.name}
    if span.end_line == span.line and span.end_column > span.column:
        extra["end_line"], extra["end_column"] = span.end_line, span.end_column
    return Diagnostic(
        code=rule.code,
        severity=rule.severity,
        message=message,
        file=file,
        line=span.line,
        column=span.column,
        path=path,
        hint=hint or rule.hint,
        extra=extra,
    )


BASE_SKILL = """\
---
name: my-skill
description: Summarise a CSV file and chart its columns.
---

# My skill

Run `scripts/run.py` with the path of the CSV file.
"""
BASE_FILES: dict[str, str] = {SKILL_FILE: BASE_SKILL, "scripts/run.py": "print('ok')\n"}


def _skill(front: str, body: str = "\n# My skill\n\nRun `scripts/run.py` with the file.\n") -> str:
    return f"---\n{front}---\n{body}"


_GOOD = BASE_SKILL
_SECRETS = "secrets:\n  - name: API_TOKEN\n    description: Token for the API\n"

UNREADABLE = define(
    "SKL001",
    "skill-md-unreadable",
    Severity.ERROR,
    "The skill folder has a readable UTF-8 SKILL.md",
    "A skill is a folder with SKILL.md at its top: YAML front matter, then documentation.",
    SkillExample({SKILL_FILE: None}, {SKILL_FILE: _GOOD}, SKILL_FILE, 1, 1),
)
FRONT_MATTER = define(
    "SKL002",
    "front-matter",
    Severity.ERROR,
    "SKILL.md starts with YAML front matter between --- lines (LF or CRLF)",
    "Start SKILL.md with a line ---, then name: and description:, then a closing line ---.",
    SkillExample(
        {SKILL_FILE: "---\nname: my-skill\ndescription: [Summarise a CSV\n---\n"},
        {SKILL_FILE: _GOOD},
        SKILL_FILE,
        4,
        1,
    ),
)
MISSING_NAME = define(
    "SKL003",
    "missing-name",
    Severity.ERROR,
    "The front matter has name, the skill's slug",
    "Add name: my-skill (lowercase letters, digits and hyphens); it identifies the skill.",
    SkillExample(
        {SKILL_FILE: _skill("description: Summarise a CSV file.\n")},
        {SKILL_FILE: _GOOD},
        SKILL_FILE,
        2,
        1,
    ),
)
INVALID_NAME = define(
    "SKL004",
    "invalid-name",
    Severity.ERROR,
    "name is a slug: lowercase letters, digits and hyphens",
    "Write the name as a slug, for example my-skill; protocols refer to the skill by it.",
    SkillExample(
        {SKILL_FILE: _skill("name: My Skill\ndescription: Summarise a CSV file.\n")},
        {SKILL_FILE: _GOOD},
        SKILL_FILE,
        2,
        7,
    ),
)
MISSING_DESCRIPTION = define(
    "SKL005",
    "missing-description",
    Severity.ERROR,
    "The front matter has a non-empty description (shown to the model)",
    "Add description: saying what the skill does and when to use it; the model reads it to decide.",
    SkillExample(
        {SKILL_FILE: _skill("name: my-skill\ndescription: ''\n")},
        {SKILL_FILE: _GOOD},
        SKILL_FILE,
        3,
        14,
    ),
)
FIELD_TYPE = define(
    "SKL006",
    "field-type",
    Severity.WARNING,
    "version, license, author and category are text",
    "Quote the value: YAML reads version: 1.0 as a number, not the text 1.0.",
    SkillExample(
        {SKILL_FILE: _skill("name: my-skill\ndescription: Summarise a CSV file.\nversion: 1.0\n")},
        {
            SKILL_FILE: _skill(
                "name: my-skill\ndescription: Summarise a CSV file.\nversion: '1.0'\n"
            )
        },
        SKILL_FILE,
        4,
        10,
    ),
)
UNKNOWN_KEY = define(
    "SKL007",
    "unknown-key",
    Severity.WARNING,
    "Front-matter keys are documented ones (or of the Agent Skills standard)",
    "Check the spelling; the documented keys are name, description, version, license, "
    "author, category and secrets.",
    SkillExample(
        {
            SKILL_FILE: _skill(
                "name: my-skill\ndescription: Summarise a CSV file.\ncategroy: Data\n"
            )
        },
        {
            SKILL_FILE: _skill(
                "name: my-skill\ndescription: Summarise a CSV file.\ncategory: Data\n"
            )
        },
        SKILL_FILE,
        4,
        1,
    ),
)
INVALID_SECRETS = define(
    "SKL008",
    "invalid-secrets",
    Severity.ERROR,
    "secrets is a list of {name, description?, required?}",
    "Write secrets as a list: - name: API_TOKEN, with optional description and required.",
    SkillExample(
        {
            SKILL_FILE: _skill(
                "name: my-skill\ndescription: Summarise a CSV file.\nsecrets: API_TOKEN\n"
            )
        },
        {SKILL_FILE: _skill("name: my-skill\ndescription: Summarise a CSV file.\n" + _SECRETS)},
        SKILL_FILE,
        4,
        10,
    ),
)
SECRET_NAME_RULE = define(
    "SKL009",
    "secret-name",
    Severity.ERROR,
    "Secret names are UPPER_SNAKE_CASE (^[A-Z_][A-Z0-9_]*$)",
    "Secrets become environment variables: use uppercase letters, digits and underscores.",
    SkillExample(
        {
            SKILL_FILE: _skill(
                "name: my-skill\ndescription: Summarise a CSV file.\n"
                "secrets:\n  - name: api-token\n"
            )
        },
        {
            SKILL_FILE: _skill(
                "name: my-skill\ndescription: Summarise a CSV file.\n"
                "secrets:\n  - name: API_TOKEN\n"
            )
        },
        SKILL_FILE,
        5,
        11,
    ),
)
DUPLICATE_SECRET = define(
    "SKL010",
    "duplicate-secret",
    Severity.ERROR,
    "Each secret is declared once",
    "Remove the repeated declaration (or rename one of them).",
    SkillExample(
        {
            SKILL_FILE: _skill(
                "name: my-skill\ndescription: Summarise a CSV file.\n"
                "secrets:\n  - name: API_TOKEN\n  - name: API_TOKEN\n"
            )
        },
        {
            SKILL_FILE: _skill(
                "name: my-skill\ndescription: Summarise a CSV file.\n"
                "secrets:\n  - name: API_TOKEN\n"
            )
        },
        SKILL_FILE,
        6,
        11,
    ),
)
REQUIRED_TYPE = define(
    "SKL011",
    "secret-required-type",
    Severity.ERROR,
    "A secret's required is a boolean (default true)",
    "Write required: true or required: false (not yes, no or a quoted word).",
    SkillExample(
        {
            SKILL_FILE: _skill(
                "name: my-skill\ndescription: Summarise a CSV file.\n"
                "secrets:\n  - name: API_TOKEN\n    required: 'no'\n"
            )
        },
        {
            SKILL_FILE: _skill(
                "name: my-skill\ndescription: Summarise a CSV file.\n"
                "secrets:\n  - name: API_TOKEN\n    required: false\n"
            )
        },
        SKILL_FILE,
        6,
        15,
    ),
)
MISSING_SCRIPT = define(
    "SKL012",
    "missing-script",
    Severity.WARNING,
    "Scripts that SKILL.md refers to (scripts/...) are in the bundle",
    "Add the script, fix the path, or remove the mention: the model will try to run it.",
    SkillExample({"scripts/run.py": None}, {"scripts/run.py": None}, SKILL_FILE, 8, 6),
)
BUNDLE_SIZE = define(
    "SKL013",
    "bundle-too-large",
    Severity.WARNING,
    f"The files to upload total at most {MAX_BUNDLE_BYTES // (1024 * 1024)} MiB",
    "Large bundles may be refused (HTTP 413) and slow every sandbox start: move data out "
    "of the skill or download it in a script.",
    SkillExample(
        {"assets/data.csv": Filler(MAX_BUNDLE_BYTES + 1)},
        {"assets/data.csv": "a,b\n1,2\n"},
        "assets/data.csv",
        1,
        1,
    ),
)
EXCLUDED_FILE = define(
    "SKL014",
    "excluded-file",
    Severity.WARNING,
    "No file is left out of the bundle unexpectedly (.env*, .git*, node_modules*, .DS_Store*)",
    "Every path with a part starting with .env, .git, node_modules or .DS_Store is left out "
    "of the bundle; rename the file if the skill needs it.",
    SkillExample(
        {"assets/.environment.json": "{}\n"},
        {"assets/.environment.json": None, "assets/environment.json": "{}\n"},
        "assets/.environment.json",
        1,
        1,
    ),
)
SYMLINK_OUTSIDE = define(
    "SKL015",
    "symlink-outside",
    Severity.ERROR,
    "No symbolic link leads out of the skill folder",
    "Copy the file into the skill folder: a link that leaves it is not uploaded.",
    SkillExample(
        {"assets/shared.md": Symlink("../../shared/notes.md")},
        {"assets/shared.md": "# Notes\n"},
        "assets/shared.md",
        1,
        1,
    ),
)
SECRET_IN_BUNDLE = define(
    "SKL016",
    "secret-in-bundle",
    Severity.ERROR,
    "No file of the bundle contains the value of a secret from a .env file",
    "Read the secret from its environment variable in the script instead of writing it "
    "in a file; the value is not shown here.",
    SkillExample(
        {".env": "API_TOKEN=tok-4f9a81c2e7\n", "scripts/run.py": "TOKEN = 'tok-4f9a81c2e7'\n"},
        {"scripts/run.py": "import os\n\nTOKEN = os.environ['API_TOKEN']\n"},
        "scripts/run.py",
        1,
        1,
    ),
)


def _known_name(data: dict[str, object]) -> bool:
    name = data.get("name")
    return isinstance(name, str) and bool(SLUG_PATTERN.match(name))


@check
def front_matter(ctx: SkillContext) -> Iterator[Diagnostic]:
    if ctx.text is not None and ctx.problem is not None:
        yield finding(
            FRONT_MATTER,
            ctx.problem.message,
            span=Span(ctx.problem.line, ctx.problem.column, ctx.problem.line, ctx.problem.column),
        )


@check
def name_and_description(ctx: SkillContext) -> Iterator[Diagnostic]:
    if ctx.front is None:
        return
    data = ctx.front.data
    if "name" not in data or data["name"] is None:
        yield finding(MISSING_NAME, "the front matter has no name", span=Span(2, 1, 2, 1))
    elif not _known_name(data):
        value = data["name"]
        shown = f'"{value}"' if isinstance(value, str) else f"a {type(value).__name__}"
        yield finding(
            INVALID_NAME,
            f"name {shown} is not a slug (lowercase letters, digits, hyphens)",
            span=ctx.front.value_span("name"),
            path="name",
        )
    description = data.get("description")
    if not isinstance(description, str) or not description.strip():
        what = "has no description" if description is None else "has an empty description"
        if description is not None and not isinstance(description, str):
            what = "has a description that is not text"
        span = ctx.front.value_span("description") if "description" in data else Span(2, 1, 2, 1)
        yield finding(
            MISSING_DESCRIPTION, f"the front matter {what}", span=span, path="description"
        )


@check
def optional_fields(ctx: SkillContext) -> Iterator[Diagnostic]:
    if ctx.front is None:
        return
    for key in OPTIONAL_TEXT:
        value = ctx.front.data.get(key)
        if value is not None and not isinstance(value, str):
            yield finding(
                FIELD_TYPE,
                f"{key} is a {type(value).__name__}, not text",
                span=ctx.front.value_span(key),
                path=key,
            )


@check
def unknown_keys(ctx: SkillContext) -> Iterator[Diagnostic]:
    if ctx.front is None:
        return
    known = (*KNOWN_KEYS, *STANDARD_KEYS)
    for key in ctx.front.data:
        if str(key) not in known:
            yield finding(
                UNKNOWN_KEY,
                f"unknown front-matter key {key!s}{did_you_mean(str(key), known)}",
                span=ctx.front.key_span(key),
                path=str(key),
            )
    secrets = ctx.front.data.get("secrets")
    for index, item in enumerate(secrets if isinstance(secrets, list) else []):
        for key in item if isinstance(item, dict) else {}:
            if str(key) not in SECRET_KEYS:
                yield finding(
                    UNKNOWN_KEY,
                    f"unknown key {key!s} in secrets[{index}]{did_you_mean(str(key), SECRET_KEYS)}",
                    span=ctx.front.key_span("secrets", index, key),
                    path=f"secrets[{index}].{key}",
                )


@check
def secrets(ctx: SkillContext) -> Iterator[Diagnostic]:
    if ctx.front is None or ctx.front.data.get("secrets") is None:
        return
    front = ctx.front
    items = front.data["secrets"]
    if not isinstance(items, list):
        yield finding(
            INVALID_SECRETS,
            "secrets must be a list of {name, description?, required?}",
            span=front.value_span("secrets"),
            path="secrets",
        )
        return
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        where = f"secrets[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            yield finding(
                INVALID_SECRETS,
                f"{where} must be a mapping with a name",
                span=front.value_span("secrets", index),
                path=where,
            )
            continue
        name = item["name"]
        span = front.value_span("secrets", index, "name")
        if not SECRET_NAME.match(name):
            yield finding(
                SECRET_NAME_RULE,
                f'secret name "{name}" is not UPPER_SNAKE_CASE ({SECRET_NAME.pattern})',
                span=span,
                path=f"{where}.name",
            )
        if name in seen:
            yield finding(
                DUPLICATE_SECRET,
                f'secret "{name}" is declared twice (first as secrets[{seen[name]}])',
                span=span,
                path=f"{where}.name",
            )
        else:
            seen[name] = index
        if "required" in item and not isinstance(item["required"], bool):
            yield finding(
                REQUIRED_TYPE,
                f"{where}.required must be true or false",
                span=front.value_span("secrets", index, "required"),
                path=f"{where}.required",
            )
        description = item.get("description")
        if description is not None and not isinstance(description, str):
            yield finding(
                FIELD_TYPE,
                f"{where}.description is not text",
                span=front.value_span("secrets", index, "description"),
                path=f"{where}.description",
            )


@check
def mentioned_scripts(ctx: SkillContext) -> Iterator[Diagnostic]:
    if ctx.text is None:
        return
    present = set(ctx.files.names)
    folders = {name.rsplit("/", 1)[0] for name in present if "/" in name}
    start = ctx.front.end_line if ctx.front is not None else 0
    reported: set[str] = set()
    for number, line in enumerate(split_lines(ctx.text), start=1):
        if number <= start:
            continue
        for match in SCRIPT_MENTION.finditer(line):
            mentioned = match.group(0).rstrip(".")
            if mentioned in present or mentioned in folders or mentioned in reported:
                continue
            reported.add(mentioned)
            yield finding(
                MISSING_SCRIPT,
                f"SKILL.md refers to {mentioned}, which is not in the skill folder",
                span=Span(number, match.start() + 1, number, match.start() + 1 + len(mentioned)),
            )


@check
def bundle_size(ctx: SkillContext) -> Iterator[Diagnostic]:
    total = ctx.files.total_size
    if total > MAX_BUNDLE_BYTES:
        largest = max(ctx.files.included, key=lambda f: f.size)
        yield finding(
            BUNDLE_SIZE,
            f"the files to upload total {total:,} bytes (over {MAX_BUNDLE_BYTES:,}); "
            f"the largest is {largest.name} ({largest.size:,} bytes)",
            file=largest.name,
        )


@check
def excluded_files(ctx: SkillContext) -> Iterator[Diagnostic]:
    for name in ctx.files.excluded:
        if not is_expected_exclusion(name):
            yield finding(EXCLUDED_FILE, f"{name} is left out of the bundle", file=name.rstrip("/"))
    for name in ctx.files.outside:
        yield finding(
            SYMLINK_OUTSIDE,
            f"{name} is a symbolic link that leaves the skill folder",
            file=name.rstrip("/"),
        )


@check
def leaked_secrets(ctx: SkillContext) -> Iterator[Diagnostic]:
    values = {v.encode("utf-8") for v in ctx.secret_values if len(v) >= MIN_LEAK_LENGTH}
    if not values:
        return
    for item in ctx.files.included:
        try:
            content = item.path.read_bytes()
        except OSError:
            continue
        if any(value in content for value in values):
            yield finding(
                SECRET_IN_BUNDLE,
                f"{item.name} contains the value of a secret from a .env file; it would be "
                "uploaded with the bundle",
                file=item.name,
            )
