"""Read an agent folder into an :class:`AgentDefinition`, and write one back.

Layout (CONTRACT section 2)::

    my-agent/
      settings.json      {slug, name, description?, format: interactive|worker}
      protocol.yaml      uploaded as the raw text, unchanged
      prompts/**.md      nested; name = path under prompts/ without .md
      references/*.md    YAML front matter with a non-empty description

Every problem is reported with the file (and a position when there is one):
:func:`read_folder` returns them as diagnostics (the ``OCT0xx`` folder rules of
:mod:`octavus_cli.protocol.rules.folder`) with what could be read, and
:func:`read_agent_dir` raises them as one :class:`AgentFileError`.
Hidden files and folders are skipped; nothing outside the folder is read through
a symlink.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path, PurePosixPath
from typing import Any

from octavus_cli.errors import AgentFileError, ConfigError
from octavus_cli.protocol.diagnostics import Diagnostic, Severity, position_of
from octavus_cli.protocol.rules.folder import FOLDER_RULES
from octavus_cli.protocol.rules.folder import MAX_FILE_BYTES as MAX_FILE_BYTES  # re-exported
from octavus_cli.records import field, record

SETTINGS_FILE = "settings.json"
PROTOCOL_FILE = "protocol.yaml"
PROMPTS_DIR = "prompts"
REFERENCES_DIR = "references"
FORMATS = ("interactive", "worker")
SLUG_PATTERN = re.compile(r"^[a-z0-9-]+$")
# Folders never searched for agents.
SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "venv"})


@record
class AgentSettings:
    """The fields of settings.json that are uploaded."""

    slug: str
    name: str
    format: str
    description: str | None = None

    def to_json(self) -> dict[str, str]:
        """The settings as uploaded (only the documented fields, like the official CLI)."""
        doc = {"slug": self.slug, "name": self.name}
        if self.description is not None:
            doc["description"] = self.description
        doc["format"] = self.format
        return doc


@record
class Prompt:
    """One prompt file, by its name under prompts/ (no .md)."""

    name: str  # "shared/company-info"
    content: str

    @property
    def file(self) -> str:
        return f"{PROMPTS_DIR}/{self.name}.md"


@record
class Reference:
    """One reference file: its name, description, text and front matter."""

    name: str
    description: str
    content: str
    front_matter: Mapping[str, Any] = field(default_factory=dict, compare=False)
    # The front matter ends its lines with CRLF (tools that expect LF may not read it).
    crlf_front_matter: bool = field(default=False, compare=False)

    @property
    def file(self) -> str:
        return f"{REFERENCES_DIR}/{self.name}.md"


@record
class AgentDefinition:
    """Everything ``sync`` uploads, plus what validation needs to point at lines."""

    settings: AgentSettings
    protocol: str
    prompts: tuple[Prompt, ...] = ()
    references: tuple[Reference, ...] = ()
    root: Path | None = None  # the folder it was read from, if any
    settings_text: str | None = None  # raw settings.json, for positions
    settings_data: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @property
    def slug(self) -> str:
        return self.settings.slug

    def prompt(self, name: str) -> Prompt | None:
        return next((p for p in self.prompts if p.name == name), None)

    def sources(self) -> dict[str, str]:
        """The texts of protocol.yaml, settings.json and the prompts by file, to show lines."""
        sources = {PROTOCOL_FILE: self.protocol}
        if self.settings_text is not None:
            sources[SETTINGS_FILE] = self.settings_text
        for prompt in self.prompts:
            sources[prompt.file] = prompt.content
        return sources

    def upload_body(self) -> dict[str, Any]:
        """``{settings, protocol, prompts, references}`` for create and validate."""
        return {
            "settings": self.settings.to_json(),
            "protocol": self.protocol,
            "prompts": [{"name": p.name, "content": p.content} for p in self.prompts],
            "references": [
                {"name": r.name, "description": r.description, "content": r.content}
                for r in self.references
            ],
        }

    def update_body(self) -> dict[str, Any]:
        """The PATCH body: the upload body with ``slug`` left out of the settings."""
        body = self.upload_body()
        body["settings"] = {k: v for k, v in body["settings"].items() if k != "slug"}
        return body


# -- reading ------------------------------------------------------------------------


class _Problems:
    """Collects the problems of one folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.items: list[Diagnostic] = []

    def add(
        self,
        code: str,
        message: str,
        file: str,
        line: int = 1,
        column: int = 1,
        path: str | None = None,
    ) -> None:
        self.items.append(
            Diagnostic(
                code=code,
                severity=Severity.ERROR,
                message=message,
                file=file,
                line=line,
                column=column,
                path=path,
                hint=FOLDER_RULES[code].hint,
            )
        )

    def error(self) -> AgentFileError | None:
        """The problems as one error: the first in words, with a count of the rest."""
        if not self.items:
            return None
        first = self.items[0]
        more = len(self.items) - 1
        message = first.message
        if first.file != "." and first.file not in message:
            message = f"{first.file}: {message}"
        if more:
            message += f" (and {more} more problem{'s' if more > 1 else ''})"
        return AgentFileError(
            message,
            file=self.root / first.file if first.file != "." else self.root,
            line=first.line if first.file != "." else None,
            column=first.column if first.file != "." else None,
            hint=first.hint,
            diagnostics=self.items,
        )


def _relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _inside(root_resolved: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(root_resolved)
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def file_problem(path: Path, root_resolved: Path) -> tuple[str, str] | None:
    """Why ``path`` cannot be read as a regular file of the folder: (rule id, words).

    None when it can. Says what is true: a missing file, a symlink loop, a broken
    symlink, a symlink leaving the folder, or something that exists but is not a
    regular file (a folder, a named pipe, a device, a socket), which is never opened.
    """
    try:
        link = path.lstat()
    except OSError:
        return "OCT002", "not found"
    if stat.S_ISLNK(link.st_mode):
        try:
            path.stat()
            broken = False
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return "OCT002", "is a symlink loop (following it never reaches a file)"
            broken = True
        if not _inside(root_resolved, path):
            return "OCT008", "is a symlink to a path outside the agent folder"
        if broken:
            return "OCT002", "is a broken symlink (what it points to does not exist)"
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return "OCT002", f"cannot be read: {exc.strerror}"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "OCT002", "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "OCT002", "is a named pipe (FIFO), not a regular file; it is not read"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "OCT002", "is a device, not a regular file; it is not read"
    if stat.S_ISSOCK(mode):
        return "OCT002", "is a socket, not a regular file; it is not read"
    return "OCT002", "is not a regular file; it is not read"


_OVERLAY: ContextVar[Mapping[str, str] | None] = ContextVar("octavus_overlay", default=None)


@contextmanager
def overlay(texts: Mapping[str, str]) -> Iterator[None]:
    """Read these texts (by absolute path) instead of the files, e.g. an editor's unsaved ones."""
    token = _OVERLAY.set(texts)
    try:
        yield
    finally:
        _OVERLAY.reset(token)


def overlay_text(path: Path) -> str | None:
    """The overlaid text of ``path`` inside :func:`overlay`, else ``None``."""
    texts = _OVERLAY.get()
    return texts.get(os.path.abspath(path)) if texts else None


def _read_text(path: Path, rel: str, problems: _Problems) -> str | None:
    """Read a UTF-8 file within the size limit, or record why not."""
    override = overlay_text(path)
    if override is not None:
        return override
    try:
        size = path.stat().st_size
    except OSError as exc:
        problems.add("OCT002", f"cannot read the file: {exc.strerror}", rel)
        return None
    if size > MAX_FILE_BYTES:
        problems.add(
            "OCT006",
            f"the file is {size:,} bytes; octavus-cli reads files up to {MAX_FILE_BYTES:,} "
            "bytes (a limit of this tool, not of the platform)",
            rel,
        )
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.add("OCT002", f"cannot read the file: {exc.strerror}", rel)
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.add(
            "OCT005",
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            rel,
            line,
            column,
        )
        return None


def _visible_entries(
    folder: Path, problems: _Problems | None = None, rel: str | None = None
) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    except OSError as exc:
        if problems is not None and rel is not None:
            problems.add(
                "OCT002",
                f"{rel}/ cannot be read: {exc.strerror or exc}; its files are not checked",
                rel,
            )
        return []


def _walk_markdown(
    root: Path, folder: Path, problems: _Problems, *, recursive: bool
) -> Iterator[Path]:
    """The visible ``.md`` files under ``folder``, refusing links that leave ``root``."""
    root_resolved = root.resolve()
    seen: set[Path] = set()
    pending = [folder]
    while pending:
        current = pending.pop(0)
        resolved = current.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        for entry in _visible_entries(current, problems, _relative(root, current)):
            rel = _relative(root, entry)
            if entry.is_symlink():
                problem = file_problem(entry, root_resolved)
                if problem is not None and (problem[0] == "OCT008" or entry.suffix == ".md"):
                    code, words = problem
                    suffix = "" if "not read" in words else "; it is not read"
                    problems.add(code, f"{rel} {words}{suffix}", rel)
                    continue
            if entry.is_dir():
                if recursive:
                    pending.append(entry)
            elif entry.suffix == ".md":
                problem = file_problem(entry, root_resolved)
                if problem is None:
                    yield entry
                else:
                    problems.add(problem[0], f"{rel} {problem[1]}", rel)


class _JsonPositions:
    """Line and column of values in a JSON text, parsed once and only when asked."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._document: Any = None
        self._parsed = False

    def of(self, path: tuple[str, ...]) -> tuple[int, int]:
        from octavus_cli.protocol.yaml_source import YamlError, load_yaml

        if not self._parsed:
            self._parsed = True
            try:
                self._document = load_yaml(self.text)
            except YamlError:
                self._document = None
        if self._document is None:
            return 1, 1
        span = self._document.value_span(path)
        return span.line, span.column


# settings.json nested deeper than this is refused by us, whatever the Python: json's
# own limit (a RecursionError) is near 1000 levels on 3.11 and gone on 3.13.
MAX_JSON_DEPTH = 100


def _too_deep_at(text: str, limit: int = MAX_JSON_DEPTH) -> int | None:
    """The offset of the first ``[`` or ``{`` nested deeper than ``limit``, outside strings."""
    if text.count("[") + text.count("{") <= limit:
        return None  # cannot be that deep: no scan
    depth = 0
    in_string = escaped = False
    for offset, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return offset
        elif char in "]}":
            depth -= 1
    return None


def parse_settings(text: str, problems: _Problems) -> tuple[AgentSettings | None, dict[str, Any]]:
    """Check settings.json; record every problem with its position."""
    deep = _too_deep_at(text)
    if deep is not None:
        line, column = position_of(text, deep)
        problems.add(
            "OCT003",
            f"settings.json is nested too deeply to read (more than {MAX_JSON_DEPTH} levels "
            "of [ or {)",
            SETTINGS_FILE,
            line,
            column,
        )
        return None, {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.add("OCT003", f"invalid JSON: {exc.msg}", SETTINGS_FILE, exc.lineno, exc.colno)
        return None, {}
    except RecursionError:
        problems.add(
            "OCT003",
            "settings.json is nested too deeply to read (hundreds of levels of [ or {)",
            SETTINGS_FILE,
        )
        return None, {}
    if not isinstance(data, dict):
        problems.add("OCT004", "settings.json must hold a JSON object", SETTINGS_FILE)
        return None, {}

    positions = _JsonPositions(text)

    def bad(key: str, message: str) -> None:
        line, column = positions.of((key,) if key in data else ())
        problems.add("OCT004", message, SETTINGS_FILE, line, column, path=key)

    def required_text(key: str) -> str | None:
        value = data.get(key)
        if key not in data:
            bad(key, f'"{key}" is required')
        elif not isinstance(value, str):
            bad(key, f'"{key}" must be a string, got {_json_type(value)}')
        elif not value.strip():
            bad(key, f'"{key}" must not be empty')
        else:
            return value
        return None

    slug = required_text("slug")
    if slug is not None and not SLUG_PATTERN.match(slug):
        bad("slug", f'slug "{slug}" may only hold lowercase letters, digits and dashes')
        slug = None
    name = required_text("name")
    description = data.get("description")
    if description is not None and not isinstance(description, str):
        bad("description", f'"description" must be a string, got {_json_type(description)}')
        description = None
    fmt = data.get("format")
    if "format" not in data:
        bad("format", '"format" is required: "interactive" or "worker"')
    elif fmt not in FORMATS:
        bad("format", f'"format" must be "interactive" or "worker", got {json.dumps(fmt)}')
    if slug is None or name is None or fmt not in FORMATS:
        return None, data
    return AgentSettings(slug=slug, name=name, format=str(fmt), description=description), data


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE)


def parse_reference(name: str, text: str, problems: _Problems) -> Reference | None:
    """Split a reference into front matter and body; require a description."""
    from octavus_cli.protocol.yaml_source import YamlError, load_yaml

    rel = f"{REFERENCES_DIR}/{name}.md"
    body = text.removeprefix("\ufeff")
    match = _FRONT_MATTER.match(body)
    if match is None:
        what = (
            "its front matter is not closed by a '---' line"
            if body.startswith("---")
            else "it has no front matter (the file must start with a '---' line)"
        )
        problems.add("OCT007", f"reference {name!r}: {what}", rel)
        return None
    try:
        front = load_yaml(match.group(1)).data
    except YamlError as exc:
        problems.add(
            "OCT007",
            f"reference {name!r}: front matter: {exc.message}",
            rel,
            exc.line + 1,
            exc.column,
        )
        return None
    if front is None:
        front = {}
    if not isinstance(front, dict):
        problems.add("OCT007", f"reference {name!r}: front matter must be a mapping", rel, 2)
        return None
    description = front.get("description")
    if not isinstance(description, str) or not description.strip():
        problems.add(
            "OCT007",
            f"reference {name!r}: front matter needs a non-empty 'description'",
            rel,
            2,
        )
        return None
    content = body[match.end() :].strip()
    return Reference(
        name=name,
        description=description.strip(),
        content=content,
        front_matter=front,
        crlf_front_matter="\r\n" in body[: match.end()],
    )


def _folder_link_problem(folder: Path, rel: str, root_resolved: Path, problems: _Problems) -> None:
    """A ``prompts/`` or ``references/`` symlink that cannot be followed: say why."""
    problem = file_problem(folder, root_resolved)
    if problem is None or problem[0] == "OCT008":
        problems.add("OCT008", f"{rel}/ is a symlink to a path outside the agent folder", rel)
    elif "symlink" in problem[1]:
        problems.add(problem[0], f"{rel}/ {problem[1]}", rel)
    else:
        problems.add("OCT002", f"{rel} is not a folder ({problem[1]})", rel)


@record
class FolderRead:
    """What could be read of an agent folder, and every problem found reading it.

    ``definition`` is the complete definition when the folder has no problem;
    otherwise ``partial`` holds what can still be validated (``None`` when the
    path is not a folder), with ``unreadable`` naming the files that exist but
    could not be read and ``sources`` the texts that could (to show lines).
    """

    root: Path
    diagnostics: tuple[Diagnostic, ...] = ()
    definition: AgentDefinition | None = None
    partial: AgentDefinition | None = None
    unreadable: frozenset[str] = frozenset()
    sources: Mapping[str, str] = field(default_factory=dict)
    # A valid slug written in settings.json, even when its other fields are wrong.
    settings_slug: str | None = None

    def error(self) -> AgentFileError | None:
        """The folder's problems as one error (``None`` when it has none)."""
        problems = _Problems(self.root)
        problems.items = list(self.diagnostics)
        return problems.error()


def read_agent_dir(path: str | Path) -> AgentDefinition:
    """Read the agent folder at ``path``; raise :class:`AgentFileError` listing every problem."""
    read = read_folder(path)
    error = read.error()
    if error is not None:
        raise error
    assert read.definition is not None
    return read.definition


def read_folder(path: str | Path) -> FolderRead:
    """Read the agent folder at ``path`` once: what could be read, plus every problem.

    Never raises for a bad folder: the problems are diagnostics (``OCT0xx``).
    """
    root = Path(path)
    problems = _Problems(root)
    if not root.exists():
        problems.add("OCT001", f"agent folder not found: {root}", ".")
        return FolderRead(root, tuple(problems.items))
    if not root.is_dir():
        problems.add("OCT001", f"not a folder: {root}", ".")
        return FolderRead(root, tuple(problems.items))

    root_resolved = root.resolve()
    texts: dict[str, str | None] = {}
    for required in (SETTINGS_FILE, PROTOCOL_FILE):
        file = root / required
        problem = file_problem(file, root_resolved)
        if problem is None:
            texts[required] = _read_text(file, required, problems)
            continue
        code, words = problem
        message = (
            f"{required} not found in {root}" if words == "not found" else f"{required} {words}"
        )
        problems.add(code, message, required)
        texts[required] = None

    settings: AgentSettings | None = None
    settings_data: dict[str, Any] = {}
    settings_text = texts[SETTINGS_FILE]
    if settings_text is not None:
        settings, settings_data = parse_settings(settings_text.removeprefix("\ufeff"), problems)

    prompts: list[Prompt] = []
    prompts_dir = root / PROMPTS_DIR
    if prompts_dir.is_dir() and _inside(root_resolved, prompts_dir):
        for file in _walk_markdown(root, prompts_dir, problems, recursive=True):
            text = _read_text(file, _relative(root, file), problems)
            if text is not None:
                name = file.relative_to(prompts_dir).with_suffix("").as_posix()
                prompts.append(Prompt(name=name, content=text))
    elif prompts_dir.is_symlink():
        _folder_link_problem(prompts_dir, PROMPTS_DIR, root_resolved, problems)

    references: list[Reference] = []
    reference_names: list[str] = []  # every reference file found, valid or not
    references_dir = root / REFERENCES_DIR
    if references_dir.is_dir() and _inside(root_resolved, references_dir):
        for file in _walk_markdown(root, references_dir, problems, recursive=False):
            reference_names.append(file.stem)
            text = _read_text(file, _relative(root, file), problems)
            if text is not None:
                reference = parse_reference(file.stem, text, problems)
                if reference is not None:
                    references.append(reference)
    elif references_dir.is_symlink():
        _folder_link_problem(references_dir, REFERENCES_DIR, root_resolved, problems)

    if not problems.items:
        assert settings is not None
        definition = AgentDefinition(
            settings=settings,
            protocol=texts[PROTOCOL_FILE] or "",
            prompts=tuple(sorted(prompts, key=lambda p: p.name)),
            references=tuple(sorted(references, key=lambda r: r.name)),
            root=root,
            settings_text=settings_text,
            settings_data=settings_data,
        )
        return FolderRead(root, definition=definition, settings_slug=settings.slug)
    return _partial(root, problems.items, texts, settings_data, prompts, reference_names)


def _partial(
    root: Path,
    diagnostics: list[Diagnostic],
    texts: Mapping[str, str | None],
    settings_data: dict[str, Any],
    prompts_read: list[Prompt],
    reference_names: list[str],
) -> FolderRead:
    """What can still be validated of a folder with problems.

    A file with a problem still counts as there (a prompt with no text, a
    reference with no description), so that the rules do not call it missing.
    ``settings_data`` is settings.json as :func:`parse_settings` read it (empty when
    it is not a JSON object).
    """
    unreadable = {d.file for d in diagnostics}
    settings_ok = SETTINGS_FILE not in unreadable
    protocol = texts[PROTOCOL_FILE]
    if protocol is None:
        unreadable.add(PROTOCOL_FILE)
    data = settings_data if settings_ok else {}
    slug = data.get("slug") if isinstance(data.get("slug"), str) else root.name
    name = data.get("name") if isinstance(data.get("name"), str) else slug
    fmt = data.get("format")
    if fmt not in FORMATS:
        fmt = "worker" if protocol is not None and "\nsteps:" in f"\n{protocol}" else "interactive"
    settings = AgentSettings(slug=str(slug), name=str(name), format=str(fmt))

    prompts = {p.file: p for p in prompts_read}
    # A prompt file found but not read has a problem of its own, as has one the folder
    # check refused (a symlink leaving the folder): both still name a prompt.
    for rel in unreadable:
        if rel.startswith(f"{PROMPTS_DIR}/") and rel.endswith(".md") and rel not in prompts:
            prompts[rel] = Prompt(rel[len(PROMPTS_DIR) + 1 : -3], "")

    partial = AgentDefinition(
        settings=settings,
        protocol=protocol or "",
        prompts=tuple(sorted(prompts.values(), key=lambda p: p.name)),
        references=tuple(
            Reference(name, "", "") for name in sorted(reference_names, key=lambda n: f"{n}.md")
        ),
        root=root,
        settings_text=texts[SETTINGS_FILE] if settings_ok else None,
        settings_data=data,
    )
    return FolderRead(
        root,
        tuple(diagnostics),
        partial=partial,
        unreadable=frozenset(unreadable),
        sources={f: t for f, t in partial.sources().items() if f not in unreadable},
        settings_slug=_valid_slug(settings_data),
    )


def _valid_slug(settings: Mapping[str, Any]) -> str | None:
    slug = settings.get("slug")
    return slug if isinstance(slug, str) and SLUG_PATTERN.match(slug) else None


def slug_in_settings(root: Path) -> str | None:
    """The valid slug ``root/settings.json`` names, read on its own (``None`` if none).

    For reports about a folder whose reading failed unexpectedly.
    """
    file = root / SETTINGS_FILE
    text = overlay_text(file)
    if text is None:
        try:
            text = file.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
    return _valid_slug(_json_object(text))


def _json_object(text: str | None) -> dict[str, Any]:
    """``text`` parsed as a JSON object, else an empty one."""
    try:
        data = json.loads(text) if text is not None else {}
    except (ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def is_agent_dir(path: Path) -> bool:
    return (path / SETTINGS_FILE).is_file()


def search_agent_dirs(root: Path) -> list[Path]:
    """The agent folders below ``root``, sorted: its visible subfolders, searched to
    eight levels (not descending into an agent folder once found, nor into symlinks,
    ``node_modules``, ``__pycache__`` or ``venv``)."""
    from octavus_cli.folder_search import search_below

    return search_below(root, is_agent_dir, skipped=SKIPPED_DIRS, max_depth=8)


# -- building from an API body and writing back ---------------------------------------


def definition_from_body(body: Mapping[str, Any]) -> AgentDefinition:
    """An :class:`AgentDefinition` from an API body; ``ValueError`` says what is wrong."""
    if not isinstance(body, Mapping):
        raise ValueError("the body must be a JSON object")
    settings = body.get("settings")
    if not isinstance(settings, Mapping):
        raise ValueError("settings must be an object")
    settings_text = json.dumps(settings, indent=2)
    problems = _Problems(Path("."))
    parsed, data = parse_settings(settings_text, problems)
    if parsed is None:
        raise ValueError("; ".join(d.message for d in problems.items) or "invalid settings")
    protocol = body.get("protocol")
    if not isinstance(protocol, str):
        raise ValueError("protocol must be a string")
    prompts = []
    for item in body.get("prompts") or []:
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            raise ValueError("each prompt must be an object with a string name")
        if not isinstance(item.get("content"), str):
            raise ValueError(f"prompt {item.get('name')!r} must have string content")
        prompts.append(Prompt(name=item["name"], content=item["content"]))
    references = []
    for item in body.get("references") or []:
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            raise ValueError("each reference must be an object with a string name")
        description = item.get("description")
        content = item.get("content")
        if not isinstance(description, str) or not isinstance(content, str):
            raise ValueError(f"reference {item['name']!r} needs string description and content")
        references.append(Reference(name=item["name"], description=description, content=content))
    return AgentDefinition(
        settings=parsed,
        protocol=protocol,
        prompts=tuple(prompts),
        references=tuple(references),
        settings_text=settings_text,
        settings_data=data,
    )


def _safe_relative(name: str, what: str) -> PurePosixPath:
    """A name from the platform as a relative path that stays inside the folder."""
    candidate = PurePosixPath(name)
    parts = candidate.parts
    if (
        not name
        or "\\" in name
        or candidate.is_absolute()
        or any(part in ("", ".", "..") or part.startswith(".") for part in parts)
    ):
        raise AgentFileError(
            f"refusing to write {what} {name!r}: the name is not a safe relative path"
        )
    return candidate


def write_agent_dir(definition: AgentDefinition, dest: Path, *, force: bool = False) -> list[Path]:
    """Write ``definition`` as an agent folder that reads back to the same definition.

    A folder that exists and is not empty is refused unless ``force`` is set.
    Returns the files written.
    """
    if dest.exists() and not dest.is_dir():
        raise ConfigError(f"{dest} exists and is not a folder", hint="Choose another --output.")
    if dest.is_dir() and any(dest.iterdir()) and not force:
        raise ConfigError(
            f"{dest} is not empty",
            hint="Choose an empty or new folder, or pass --force to overwrite files in it.",
        )
    plan: list[tuple[Path, str]] = [
        (dest / SETTINGS_FILE, json.dumps(definition.settings.to_json(), indent=2) + "\n"),
        (dest / PROTOCOL_FILE, definition.protocol),
    ]
    for prompt in definition.prompts:
        rel = _safe_relative(prompt.name, "prompt")
        plan.append((dest / PROMPTS_DIR / f"{rel}.md", prompt.content))
    for reference in definition.references:
        rel = _safe_relative(reference.name, "reference")
        if len(rel.parts) != 1:
            raise AgentFileError(f"refusing to write reference {reference.name!r}: nested name")
        front = f"---\ndescription: {json.dumps(reference.description, ensure_ascii=False)}\n---\n"
        plan.append((dest / REFERENCES_DIR / f"{rel}.md", f"{front}\n{reference.content}\n"))
    written = []
    for file, text in plan:
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8", newline="")
        written.append(file)
    return written
