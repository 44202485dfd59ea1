"""Go to definition and completion in protocol.yaml and prompt files.

Positions here are 0-based lines and characters (code points) of the text.
"""

from __future__ import annotations

import re
from pathlib import Path

from octavus_cli.lsp.analysis import TOKEN, Analysis
from octavus_cli.lsp.schema_help import enum_values, settings_values
from octavus_cli.protocol.folder import PROMPTS_DIR, PROTOCOL_FILE, REFERENCES_DIR, SETTINGS_FILE
from octavus_cli.protocol.model import ProtocolModel
from octavus_cli.protocol.yaml_source import Span, YamlDocument
from octavus_cli.records import record

# Where each kind of name is declared in protocol.yaml.
DECLARATIONS = (
    "triggers",
    "tools",
    "skills",
    "mcpServers",
    "workers",
    "input",
    "resources",
    "variables",
    "types",
)
LIST_KEYS = {
    "tools": "tools",
    "skills": "skills",
    "mcpServers": "mcpServers",
    "workers": "workers",
    "tool": "tools",
    "worker": "workers",
}
MODEL_IDS = (  # examples from the Octavus docs; any provider/model-id is accepted
    "anthropic/claude-sonnet-4-5",
    "anthropic/claude-opus-4-5",
    "anthropic/claude-haiku-4-5",
    "openai/gpt-4o",
    "openai/gpt-4o-mini",
    "google/gemini-2.5-pro",
    "google/gemini-2.5-flash",
)
INCLUDE = re.compile(r"\{\{@([^}\s]+)\}\}")
VARIABLE = re.compile(r"\{\{\s*([A-Z][A-Z0-9_]*)\s*\}\}")
JSON_KEY = re.compile(r'^\s*"([A-Za-z$]+)"\s*:\s*"?[^"]*$')
KEY_LINE = re.compile(r"^(\s*)(?:-\s+)?([A-Za-z][\w-]*):(.*)$")


@record
class Target:
    """A place in the agent folder: a relative file and a 0-based range."""

    file: str
    line: int
    start: int
    end: int


@record
class Completion:
    label: str
    kind: str  # prompt, tool, variable, block, display, model, trigger, ...
    insert: str | None = None


def word_at(line: str, character: int) -> tuple[str, int, int] | None:
    for match in TOKEN.finditer(line):
        if match.start() <= character <= match.end():
            return match.group(), match.start(), match.end()
    return None


def _span_target(span: Span) -> Target:
    return Target(PROTOCOL_FILE, span.line - 1, span.column - 1, span.end_column - 1)


def declaration(doc: YamlDocument, name: str) -> Target | None:
    """Where ``name`` is declared (a trigger, tool, skill, variable, ...)."""
    for section in DECLARATIONS:
        span = doc.key_spans.get((section, name))
        if span is not None:
            return _span_target(span)
    return None


def _prompt_names(analysis: Analysis) -> list[str]:
    prompts = analysis.root / PROMPTS_DIR
    if not prompts.is_dir():
        return []
    return sorted(p.relative_to(prompts).with_suffix("").as_posix() for p in prompts.rglob("*.md"))


def definition(analysis: Analysis, file: str, line: int, character: int) -> Target | None:
    text = analysis.texts.get(file)
    if text is None:
        return None
    lines = text.splitlines()
    if line >= len(lines):
        return None
    source = lines[line]
    doc = analysis.protocol.doc if analysis.protocol is not None else None
    if file.endswith(".md"):
        for match in INCLUDE.finditer(source):
            if match.start() <= character <= match.end():
                return _file_target(analysis.root, f"{PROMPTS_DIR}/{match.group(1)}")
        for match in VARIABLE.finditer(source):
            if match.start() <= character <= match.end() and doc is not None:
                return declaration(doc, match.group(1))
        return None
    if file != PROTOCOL_FILE or doc is None:
        return None
    found = word_at(source, character)
    if found is None:
        return None
    word = found[0]
    by_place = _by_place(analysis, doc, word, line, character)
    if by_place is not None:
        return by_place
    for candidate in (f"{PROMPTS_DIR}/{word}.md", f"{REFERENCES_DIR}/{word}.md"):
        target = _file_target(analysis.root, candidate)
        if target is not None:
            return target
    return declaration(doc, word)


VALUE_KINDS = {
    "system": "prompt",
    "prompt": "prompt",
    "references": "reference",
    "tools": "tools",
    "tool": "tools",
    "skills": "skills",
    "mcpServers": "mcpServers",
    "workers": "workers",
    "worker": "workers",
}


def _inside(span: Span, line: int, character: int) -> bool:
    if not span.line - 1 <= line <= span.end_line - 1:
        return False
    if line == span.line - 1 and character < span.column - 1:
        return False
    return not (line == span.end_line - 1 and character > span.end_column - 1)


def _by_place(
    analysis: Analysis, doc: YamlDocument, word: str, line: int, character: int
) -> Target | None:
    """The definition chosen by where the name is written (a handler key, a system value...)."""
    for path, span in doc.key_spans.items():
        if len(path) == 2 and path[0] == "handlers" and _inside(span, line, character):
            found = doc.key_spans.get(("triggers", path[1]))
            return _span_target(found) if found is not None else None
    best: tuple[int, tuple[str | int, ...]] | None = None
    for path, span in doc.value_spans.items():
        if span.line == span.end_line and _inside(span, line, character):
            width = span.end_column - span.column
            if best is None or width < best[0]:
                best = (width, path)
    if best is None:
        return None
    names = [p for p in best[1] if isinstance(p, str)]
    kind = VALUE_KINDS.get(names[-1]) if names else None
    if kind == "prompt":
        return _file_target(analysis.root, f"{PROMPTS_DIR}/{word}.md")
    if kind == "reference":
        return _file_target(analysis.root, f"{REFERENCES_DIR}/{word}.md")
    if kind is not None:
        found = doc.key_spans.get((kind, word))
        return _span_target(found) if found is not None else None
    return None


def _file_target(root: Path, relative: str) -> Target | None:
    return Target(relative, 0, 0, 0) if (root / relative).is_file() else None


def _parent_key(lines: list[str], line: int, indent: int) -> str | None:
    """The nearest key above ``line`` written with less indentation than ``indent``."""
    for index in range(line - 1, -1, -1):
        match = KEY_LINE.match(lines[index])
        if match and len(match.group(1)) < indent and not match.group(3).strip():
            return match.group(2)
        if lines[index].strip() and not lines[index].startswith(" "):
            match = KEY_LINE.match(lines[index])
            return match.group(2) if match else None
    return None


def _names(model: ProtocolModel | None, section: str) -> list[str]:
    return list(model.section(section)) if model is not None else []


def _enclosing_trigger(doc: YamlDocument | None, line: int) -> str | None:
    if doc is None:
        return None
    best: tuple[int, str] | None = None
    for path, span in doc.key_spans.items():
        inside = len(path) == 2 and path[0] == "handlers" and span.line - 1 <= line
        if inside and (best is None or span.line > best[0]):
            best = (span.line, str(path[1]))
    return best[1] if best else None


def _variables_in_scope(model: ProtocolModel | None, line: int) -> list[str]:
    if model is None:
        return []
    names = [*model.inputs, *model.resources, *model.variables]
    trigger = _enclosing_trigger(model.doc, line)
    if trigger:
        names += list(model.trigger_inputs(trigger))
    return sorted(set(names))


def completions(analysis: Analysis, file: str, line: int, character: int) -> list[Completion]:
    text = analysis.texts.get(file, "")
    lines = text.splitlines() or [""]
    source = lines[line] if line < len(lines) else ""
    before = source[:character]
    model = analysis.protocol
    if file.endswith(".md"):
        if re.search(r"\{\{@[^}\s]*$", before):
            return [Completion(f"{p}.md", "prompt") for p in _prompt_names(analysis)]
        if re.search(r"\{\{\s*[A-Z0-9_]*$", before):
            return [Completion(v, "variable") for v in _variables_in_scope(model, 10**9)]
        return []
    if file == SETTINGS_FILE:
        key_match = JSON_KEY.match(before)
        if key_match is None:
            return []
        return [Completion(v, "value", f'"{v}"') for v in settings_values(key_match.group(1))]
    if file != PROTOCOL_FILE:
        return []
    match = KEY_LINE.match(before)
    indent = len(before) - len(before.lstrip(" "))
    key = match.group(2) if match else None
    if key is None:
        key = _parent_key(lines, line, indent + 1) if before.lstrip().startswith("-") else None
        if key is None and not before.strip():
            parent = _parent_key(lines, line, indent)
            if parent == "handlers" and indent == 2:
                handled = set(_names(model, "handlers"))
                return [
                    Completion(t, "trigger", f"{t}:")
                    for t in _names(model, "triggers")
                    if t not in handled
                ]
        if key is None:
            return []
    if key == "block":
        return [Completion(k, "block") for k in enum_values("block")]
    if key == "display":
        return [Completion(k, "display") for k in enum_values("display")]
    if key in ("model", "backupModel") or key.endswith("Model"):
        from octavus_cli.protocol.rules.config import PROVIDERS

        prefixes = [f"{provider}/" for provider in PROVIDERS]
        return [Completion(m, "model") for m in (*MODEL_IDS, *prefixes)]
    if key in ("system", "prompt"):
        return [Completion(p, "prompt") for p in _prompt_names(analysis)]
    if key == "references":
        folder = analysis.root / REFERENCES_DIR
        names = sorted(p.stem for p in folder.glob("*.md")) if folder.is_dir() else []
        return [Completion(n, "reference") for n in names]
    if key in LIST_KEYS:
        section = LIST_KEYS[key]
        return [Completion(n, section.rstrip("s")) for n in _names(model, section)]
    if key in ("input", "files", "output", "uiContent") and (indent > 2 or match is None):
        return [Completion(v, "variable") for v in _variables_in_scope(model, line)]
    return []
