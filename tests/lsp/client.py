"""Drive `octavus lsp` over stdio with pygls's LSP client, as an editor would."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.client import LanguageClient

from tests.support.cli import clean_env

DEADLINE = 15.0  # start-up included; answers come much faster


class Editor:
    """An LSP client with the server's published diagnostics, by uri."""

    def __init__(self) -> None:
        self.client = LanguageClient("octavus-tests", "1")
        self.published: asyncio.Queue[types.PublishDiagnosticsParams] = asyncio.Queue()
        self.latest: dict[str, list[types.Diagnostic]] = {}
        self.versions: dict[str, int] = {}

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)  # type: ignore[untyped-decorator]
        def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
            self.latest[params.uri] = list(params.diagnostics)
            self.published.put_nowait(params)

    async def start(self, root: Path) -> None:
        await self.client.start_io(
            sys.executable, "-m", "octavus_cli", "lsp", env=clean_env({"NO_COLOR": "1"})
        )
        await asyncio.wait_for(
            self.client.initialize_async(
                types.InitializeParams(
                    capabilities=types.ClientCapabilities(),
                    root_uri=root.as_uri(),
                    process_id=None,
                )
            ),
            DEADLINE,
        )
        self.client.initialized(types.InitializedParams())

    async def stop(self) -> None:
        await asyncio.wait_for(self.client.shutdown_async(None), DEADLINE)
        self.client.exit(None)
        await self.client.stop()  # type: ignore[no-untyped-call]

    def open(self, path: Path, language: str = "yaml") -> str:
        uri = path.as_uri()
        self.versions[uri] = 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id=language, version=1, text=path.read_text()
                )
            )
        )
        return uri

    def change(self, uri: str, text: str) -> None:
        self.versions[uri] += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=uri, version=self.versions[uri]
                ),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )

    async def diagnostics_for(self, uri: str, timeout: float = DEADLINE) -> list[types.Diagnostic]:
        """The next diagnostics published for ``uri``."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while True:
            params = await asyncio.wait_for(self.published.get(), max(end - loop.time(), 0.001))
            if params.uri == uri:
                return list(params.diagnostics)

    def where(self, uri: str, line: int, character: int) -> dict[str, Any]:
        return {
            "text_document": types.TextDocumentIdentifier(uri=uri),
            "position": types.Position(line=line, character=character),
        }
