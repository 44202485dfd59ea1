"""Agent folder checks (OCT001-008): what reading an agent folder can find wrong.

The folder reader (:func:`octavus_cli.protocol.folder.read_folder`) makes these
checks as it reads; they are rules like the others (stable ids, hints, failing
examples in ``docs/rules.md``). This module imports nothing heavy: the reader
imports it for the hints.
"""

from __future__ import annotations

from octavus_cli.protocol.diagnostics import Severity
from octavus_cli.protocol.examples import BASE_INTERACTIVE, settings_text
from octavus_cli.protocol.registry import Example, Filler, Rule, Symlink, define

# The largest file the reader reads (a limit of this tool, not of the platform).
MAX_FILE_BYTES = 2 * 1024 * 1024

_GOOD_SETTINGS = settings_text("interactive")
_REFERENCE = "---\ndescription: How refunds work\n---\n\n# Refunds\n"
_WITH_REFUNDS = BASE_INTERACTIVE.replace(
    "  system: system\n", "  system: system\n  references: [refunds]\n"
)


FOLDER_NOT_FOUND = define(
    "OCT001",
    "folder-not-found",
    Severity.ERROR,
    "The agent folder does not exist or is not a folder",
    "Give the path of a folder that holds settings.json and protocol.yaml.",
    family="folder",
    example=Example(files={}, fixed={}, file=".", line=1, column=1, no_folder=True),
)

MISSING_FILE = define(
    "OCT002",
    "missing-file",
    Severity.ERROR,
    "settings.json or protocol.yaml is missing",
    "Every agent folder needs settings.json and protocol.yaml at its top level.",
    family="folder",
    example=Example(
        files={"protocol.yaml": None},
        fixed={"protocol.yaml": None},
        file="protocol.yaml",
        line=1,
        column=1,
    ),
)

INVALID_JSON = define(
    "OCT003",
    "invalid-json",
    Severity.ERROR,
    "settings.json is not valid JSON",
    "Fix the JSON syntax at the position shown (a missing comma or quote is typical).",
    family="folder",
    example=Example(
        files={
            "settings.json": '{\n  "slug": "my-agent",\n  "name": "My agent"\n'
            '  "format": "interactive"\n}\n'
        },
        fixed={"settings.json": _GOOD_SETTINGS},
        file="settings.json",
        line=4,
        column=3,
    ),
)

INVALID_SETTINGS = define(
    "OCT004",
    "invalid-settings",
    Severity.ERROR,
    "settings.json misses a required field or has a wrong value",
    'settings.json needs {"slug", "name", "format"}; slug is lowercase letters, '
    'digits and dashes; format is "interactive" or "worker".',
    family="folder",
    example=Example(
        files={
            "settings.json": '{\n  "slug": "My Agent",\n  "name": "My agent",\n'
            '  "format": "interactive"\n}\n'
        },
        fixed={"settings.json": _GOOD_SETTINGS},
        file="settings.json",
        line=2,
        column=11,
    ),
)

NOT_UTF8 = define(
    "OCT005",
    "not-utf8",
    Severity.ERROR,
    "A file is not valid UTF-8",
    "Save the file as UTF-8.",
    family="folder",
    example=Example(
        files={"prompts/system.md": b"You are the caf\xe9's assistant.\n"},
        fixed={"prompts/system.md": "You are the café's assistant.\n"},
        file="prompts/system.md",
        line=1,
        column=16,
    ),
)

FILE_TOO_LARGE = define(
    "OCT006",
    "file-too-large",
    Severity.ERROR,
    f"A file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB (a limit of this "
    "tool, not of the platform)",
    "octavus-cli reads files up to 2 MiB so that validation stays fast and bounded; "
    "the Octavus docs set no size limit. Split the content into several prompts or "
    "references.",
    family="folder",
    example=Example(
        files={"prompts/system.md": Filler(2 * 1024 * 1024 + 1)},
        fixed={"prompts/system.md": "You are a helpful assistant.\n"},
        file="prompts/system.md",
        line=1,
        column=1,
    ),
)

REFERENCE_FRONT_MATTER = define(
    "OCT007",
    "reference-front-matter",
    Severity.ERROR,
    "A reference has no valid front matter with a non-empty description",
    "Start the file with a front matter block:\n---\ndescription: What this reference holds\n---",
    family="folder",
    example=Example(
        files={"references/refunds.md": "# Refunds\n", "protocol.yaml": _WITH_REFUNDS},
        fixed={"references/refunds.md": _REFERENCE},
        file="references/refunds.md",
        line=1,
        column=1,
    ),
)

SYMLINK_OUTSIDE = define(
    "OCT008",
    "symlink-outside",
    Severity.ERROR,
    "A symlink points outside the agent folder",
    "Copy the file into the agent folder instead of linking to it.",
    family="folder",
    example=Example(
        files={"prompts/system.md": Symlink("../../shared-system.md")},
        fixed={"prompts/system.md": "You are a helpful assistant.\n"},
        file="prompts/system.md",
        line=1,
        column=1,
    ),
)

# The folder checks by id.
FOLDER_RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        FOLDER_NOT_FOUND,
        MISSING_FILE,
        INVALID_JSON,
        INVALID_SETTINGS,
        NOT_UTF8,
        FILE_TOO_LARGE,
        REFERENCE_FRONT_MATTER,
        SYMLINK_OUTSIDE,
    )
}
