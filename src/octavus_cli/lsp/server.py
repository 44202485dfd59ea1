"""The language server: LSP requests in, the validator's findings and the protocol's names out."""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace.position_codec import PositionCodec

from octavus_cli import package_version
from octavus_cli.lsp.analysis import Analysis, Range, analyze
from octavus_cli.lsp.navigation import Target, completions, definition
from octavus_cli.lsp.schema_help import describe_path, settings_key
from octavus_cli.lsp.skill import (
    SKILL_FILE,
    skill_completions,
    skill_findings,
    skill_hover,
)
from octavus_cli.protocol.diagnostics import Diagnostic, Severity
from octavus_cli.protocol.folder import PROTOCOL_FILE, SETTINGS_FILE
from octavus_cli.protocol.registry import get_rule
from octavus_cli.protocol.targets import owning_folder

DEBOUNCE_SECONDS = 0.05  # a burst of keystrokes is validated once
DID_YOU_MEAN = re.compile(r'did you mean "([^"]+)"\?|did you mean ([^\s"?]+)\?', re.IGNORECASE)
KINDS = {
    "prompt": types.CompletionItemKind.File,
    "reference": types.CompletionItemKind.File,
    "variable": types.CompletionItemKind.Variable,
    "block": types.CompletionItemKind.Keyword,
    "display": types.CompletionItemKind.EnumMember,
    "model": types.CompletionItemKind.Value,
    "trigger": types.CompletionItemKind.Event,
}


class OctavusServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("octavus", package_version())
        self.analyses: dict[Path, Analysis] = {}
        self.published: dict[Path, set[str]] = {}  # root -> files with findings shown
        self.pending: dict[Path, asyncio.TimerHandle] = {}

    # -- documents -> agent folders -------------------------------------------------
    def root_of(self, uri: str) -> Path | None:
        path = to_fs_path(uri)
        if path is None:
            return None
        folder = owning_folder(Path(path))
        return Path(os.path.abspath(folder)) if folder is not None else None

    def open_texts(self, root: Path) -> dict[str, str]:
        texts: dict[str, str] = {}
        prefix = str(root) + os.sep
        for uri, document in self.workspace.text_documents.items():
            path = to_fs_path(uri)
            if path is not None and os.path.abspath(path).startswith(prefix):
                texts[os.path.abspath(path)] = document.source
        return texts

    def analysis(self, root: Path) -> Analysis:
        """The folder's analysis, brought up to date first if a change is pending."""
        pending = self.pending.pop(root, None)
        if pending is not None:
            pending.cancel()
            return self.refresh(root)
        found = self.analyses.get(root)
        if found is None:
            found = self.refresh(root)
        return found

    def refresh(self, root: Path) -> Analysis:
        """Validate the folder now and publish its findings, per file."""
        result = analyze(root, self.open_texts(root))
        self.analyses[root] = result
        by_file: dict[str, list[types.Diagnostic]] = {}
        for diag in result.result.diagnostics:
            file = result.file_of(diag)
            codec = self.workspace.position_codec
            by_file.setdefault(file, []).append(lsp_diagnostic(result, diag, codec))
        for file in self.published.get(root, set()) - set(by_file):
            by_file[file] = []
        for file, items in by_file.items():
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri_of(root, file), diagnostics=items)
            )
        self.published[root] = {f for f, items in by_file.items() if items}
        return result

    def check_skill(self, uri: str) -> bool:
        """Publish a SKILL.md's findings; False when ``uri`` is not a SKILL.md."""
        path = to_fs_path(uri)
        if path is None or Path(path).name != SKILL_FILE:
            return False
        document = self.workspace.get_text_document(uri)
        lines = document.source.splitlines()
        codec = self.workspace.position_codec
        items = []
        for finding in skill_findings(Path(path).parent.name, document.source):
            where = Range(finding.line, finding.start, finding.line, finding.end)
            items.append(
                types.Diagnostic(
                    range=lsp_range(where, lines, codec),
                    message=finding.message,
                    severity=(
                        types.DiagnosticSeverity.Error
                        if finding.error
                        else types.DiagnosticSeverity.Warning
                    ),
                    code=finding.code,
                    source="octavus",
                )
            )
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=items)
        )
        return True

    def skill_text(self, uri: str) -> str | None:
        path = to_fs_path(uri)
        if path is None or Path(path).name != SKILL_FILE:
            return None
        return self.workspace.get_text_document(uri).source

    def schedule(self, root: Path) -> None:
        previous = self.pending.pop(root, None)
        if previous is not None:
            previous.cancel()
        loop = asyncio.get_running_loop()
        self.pending[root] = loop.call_later(DEBOUNCE_SECONDS, self._fire, root)

    def _fire(self, root: Path) -> None:
        self.pending.pop(root, None)
        self.refresh(root)

    def located(self, uri: str, position: types.Position) -> tuple[Analysis, str, int, int] | None:
        """The agent, the file and the position (in code points) a request is about."""
        root = self.root_of(uri)
        path = to_fs_path(uri)
        if root is None or path is None:
            return None
        relative = Path(os.path.abspath(path)).relative_to(root).as_posix()
        analysis = self.analysis(root)
        lines = analysis.texts.get(relative, "").splitlines()
        where = self.workspace.position_codec.position_from_client_units(lines, position)
        return analysis, relative, where.line, where.character


def uri_of(root: Path, file: str) -> str:
    uri: str | None = from_fs_path(str(root / file))
    assert uri is not None
    return uri


def lsp_range(r: Range, lines: list[str], codec: PositionCodec | None = None) -> types.Range:
    """``r`` (code points) in the client's units (UTF-16 unless negotiated otherwise)."""
    start = types.Position(line=r.line, character=r.start)
    end = types.Position(line=r.end_line, character=r.end)
    if codec is None or max(r.line, r.end_line) >= len(lines):
        return types.Range(start=start, end=end)
    return types.Range(
        start=codec.position_to_client_units(lines, start),
        end=codec.position_to_client_units(lines, end),
    )


def rule_text(diag: Diagnostic) -> str:
    try:
        rule = get_rule(diag.code)
    except KeyError:
        return diag.hint or ""
    hint = " ".join((diag.hint or rule.hint).split())
    return f"{rule.code} {rule.name}: {rule.summary}. {hint} (octavus rules {rule.code})"


def lsp_diagnostic(
    analysis: Analysis, diag: Diagnostic, codec: PositionCodec | None = None
) -> types.Diagnostic:
    file = analysis.file_of(diag)
    lines = analysis.texts.get(file, "").splitlines()
    where = lsp_range(analysis.range_of(diag), lines, codec)
    uri = uri_of(analysis.root, file)
    data: dict[str, Any] = {}
    replacement = quick_fix(analysis, diag)
    if replacement is not None:
        data["replacement"] = replacement
    return types.Diagnostic(
        range=where,
        message=diag.message,
        severity=(
            types.DiagnosticSeverity.Error
            if diag.severity is Severity.ERROR
            else types.DiagnosticSeverity.Warning
        ),
        code=diag.code,
        source="octavus",
        data=data or None,
        related_information=[
            types.DiagnosticRelatedInformation(
                location=types.Location(uri=uri, range=where), message=rule_text(diag)
            )
        ],
    )


def replacement_of(diag: Diagnostic) -> str | None:
    """The value a did-you-mean finding suggests (in its hint or message), if any."""
    match = DID_YOU_MEAN.search(diag.hint or "") or DID_YOU_MEAN.search(diag.message)
    return (match.group(1) or match.group(2)) if match else None


def quick_fix(analysis: Analysis, diag: Diagnostic) -> str | None:
    """The text that replaces the finding's range, for a did-you-mean typo fix.

    Only when the suggestion looks like a correction of the text in the range
    (quotes kept): a suggestion about something else is left to the hint.
    """
    import difflib

    suggestion = replacement_of(diag)
    where = analysis.range_of(diag)
    if suggestion is None or where.line != where.end_line:
        return None
    lines = analysis.texts.get(analysis.file_of(diag), "").splitlines()
    if where.line >= len(lines):
        return None
    written = lines[where.line][where.start : where.end]
    quote = written[0] if len(written) > 1 and written[0] == written[-1] in "\"'" else ""
    inner = written[1:-1] if quote else written
    similar = difflib.SequenceMatcher(None, inner.lower(), suggestion.lower()).ratio() >= 0.6
    if not inner or inner == suggestion or not (similar or suggestion.endswith("/" + inner)):
        return None
    return f"{quote}{suggestion}{quote}"


def _contains(r: Range, line: int, character: int) -> bool:
    if line < r.line or line > r.end_line:
        return False
    if line == r.line and character < r.start:
        return False
    return not (line == r.end_line and character > r.end)


def hover_text(analysis: Analysis, file: str, line: int, character: int) -> str | None:
    parts: list[str] = []
    for diag in analysis.result.diagnostics:
        if analysis.file_of(diag) == file and _contains(analysis.range_of(diag), line, character):
            head = f"**{diag.severity.value}[{diag.code}]** {diag.message}"
            parts.append(f"{head}\n\n{rule_text(diag)}")
    if file == SETTINGS_FILE:
        lines = analysis.texts.get(file, "").splitlines()
        source = lines[line] if line < len(lines) else ""
        key = re.match(r'^(\s*)"([^"]+)"\s*:', source)
        if key and len(key.group(1)) <= character <= key.end():
            description = settings_key(key.group(2))
            if description:
                parts.insert(0, f"**{key.group(2)}**: {description}")
    if file == PROTOCOL_FILE:
        doc = analysis.protocol.doc if analysis.protocol is not None else None
        if doc is not None:
            for path, span in doc.key_spans.items():
                if span.line - 1 == line and span.column - 1 <= character < span.end_column - 1:
                    description = describe_path(path, doc.data)
                    if description:
                        parts.insert(0, f"**{'.'.join(str(p) for p in path)}**: {description}")
                    break
    return "\n\n---\n\n".join(parts) or None


def _location(ls: OctavusServer, analysis: Analysis, target: Target) -> types.Location:
    lines = analysis.texts.get(target.file, "").splitlines()
    where = Range(target.line, target.start, target.line, target.end)
    return types.Location(
        uri=uri_of(analysis.root, target.file),
        range=lsp_range(where, lines, ls.workspace.position_codec),
    )


def build_server() -> OctavusServer:
    server = OctavusServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: OctavusServer, params: types.DidOpenTextDocumentParams) -> None:
        if ls.check_skill(params.text_document.uri):
            return
        root = ls.root_of(params.text_document.uri)
        if root is not None:
            ls.refresh(root)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: OctavusServer, params: types.DidChangeTextDocumentParams) -> None:
        # A prompt's agent is its folder, so a change to a prompt re-checks the agent.
        if ls.check_skill(params.text_document.uri):
            return
        root = ls.root_of(params.text_document.uri)
        if root is not None:
            ls.schedule(root)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: OctavusServer, params: types.DidSaveTextDocumentParams) -> None:
        root = ls.root_of(params.text_document.uri)
        if root is not None:
            ls.schedule(root)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: OctavusServer, params: types.DidCloseTextDocumentParams) -> None:
        root = ls.root_of(params.text_document.uri)
        if root is not None:
            ls.schedule(root)  # the file on disk counts again

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def files_changed(ls: OctavusServer, params: types.DidChangeWatchedFilesParams) -> None:
        # A prompt created, renamed or deleted outside the editor changes the agent too.
        for root in {ls.root_of(change.uri) for change in params.changes}:
            if root is not None:
                ls.schedule(root)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: OctavusServer, params: types.HoverParams) -> types.Hover | None:
        skill = ls.skill_text(params.text_document.uri)
        found = ls.located(params.text_document.uri, params.position)
        if skill is not None:
            position = params.position
            text = skill_hover(skill, position.line, position.character)
        elif found is None:
            return None
        else:
            text = hover_text(*found)
        if text is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def goto_definition(ls: OctavusServer, params: types.DefinitionParams) -> types.Location | None:
        found = ls.located(params.text_document.uri, params.position)
        if found is None:
            return None
        target = definition(*found)
        return _location(ls, found[0], target) if target is not None else None

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=[":", " ", "[", "@", "{", ",", "-"]),
    )
    def complete(ls: OctavusServer, params: types.CompletionParams) -> types.CompletionList:
        items: list[types.CompletionItem] = []
        skill = ls.skill_text(params.text_document.uri)
        if skill is not None:
            position = params.position
            for key in skill_completions(skill, position.line, position.character):
                items.append(
                    types.CompletionItem(
                        label=key, kind=types.CompletionItemKind.Property, insert_text=f"{key}: "
                    )
                )
            return types.CompletionList(is_incomplete=False, items=items)
        found = ls.located(params.text_document.uri, params.position)
        if found is not None:
            for item in completions(*found):
                items.append(
                    types.CompletionItem(
                        label=item.label,
                        kind=KINDS.get(item.kind, types.CompletionItemKind.Reference),
                        detail=item.kind,
                        insert_text=item.insert,
                    )
                )
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_actions(ls: OctavusServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        actions: list[types.CodeAction] = []
        for diag in params.context.diagnostics:
            data = diag.data if isinstance(diag.data, dict) else {}
            replacement = data.get("replacement")
            if not isinstance(replacement, str):
                continue
            edit = types.TextEdit(range=diag.range, new_text=replacement)
            actions.append(
                types.CodeAction(
                    title=f'Change to "{replacement}"',
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diag],
                    is_preferred=True,
                    edit=types.WorkspaceEdit(changes={params.text_document.uri: [edit]}),
                )
            )
        return actions

    return server


def serve() -> None:
    """Run the server on stdin/stdout until the client exits."""
    build_server().start_io()


__all__ = ["build_server", "serve"]
