"""Benchmark `octavus lsp`: diagnostics latency after a change, and the server's memory.

Starts ``octavus lsp`` as a child process over stdio (pygls's client, as an
editor would), opens the support-chat example's protocol.yaml and sends N
changes that alternately break and fix a prompt name. For each change it
measures the time from sending ``didChange`` to receiving the
``publishDiagnostics`` for the file (the server's debounce included), then reads
the server's peak resident memory (``VmHWM``, Linux).

Targets: the median within 150 ms of a change, and the server under 80 MB.

Usage (from the repository root, in the project's virtualenv with the lsp extra):

    python benchmarks/lsp_bench.py                # 40 changes
    python benchmarks/lsp_bench.py --changes 200 --json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parent.parent
AGENT = ROOT / "examples" / "agents" / "support-chat"
TARGET_MS = 150
TARGET_MB = 80


def peak_rss_mb(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


async def measure(changes: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "support-chat"
        shutil.copytree(AGENT, folder)
        protocol = folder / "protocol.yaml"
        good = protocol.read_text()
        broken = good.replace("  system: system\n", "  system: sytem\n", 1)
        uri = protocol.as_uri()

        client = LanguageClient("octavus-bench", "1")
        published: asyncio.Queue[types.PublishDiagnosticsParams] = asyncio.Queue()

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)  # type: ignore[misc]
        def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
            published.put_nowait(params)

        async def next_for_uri() -> types.PublishDiagnosticsParams:
            while True:
                params = await asyncio.wait_for(published.get(), 30)
                if params.uri == uri:
                    return params

        started = time.perf_counter()
        await client.start_io(sys.executable, "-m", "octavus_cli", "lsp")
        await client.initialize_async(
            types.InitializeParams(capabilities=types.ClientCapabilities(), process_id=None)
        )
        client.initialized(types.InitializedParams())
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="yaml", version=1, text=good
                )
            )
        )
        client.text_document_did_change(  # the first finding: the open itself has none
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=broken)],
            )
        )
        await next_for_uri()
        ready = time.perf_counter() - started

        latencies: list[float] = []
        for index in range(changes):
            text = good if index % 2 == 0 else broken
            sent = time.perf_counter()
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=index + 3),
                    content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
                )
            )
            params = await next_for_uri()
            latencies.append((time.perf_counter() - sent) * 1000)
            assert (len(params.diagnostics) == 0) == (text == good)

        server = client._server  # the child process pygls started
        memory = peak_rss_mb(server.pid) if server is not None else None
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()

    ordered = sorted(latencies)
    return {
        "changes": changes,
        "start_to_first_diagnostics_s": round(ready, 3),
        "latency_ms": {
            "median": round(statistics.median(ordered), 1),
            "p95": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
            "max": round(ordered[-1], 1),
            "target": TARGET_MS,
        },
        "peak_rss_mb": round(memory, 1) if memory is not None else None,
        "target_mb": TARGET_MB,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=40)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = asyncio.run(measure(args.changes))
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    latency = result["latency_ms"]
    print(f"server start to first diagnostics: {result['start_to_first_diagnostics_s']} s")
    print(
        f"diagnostics after a change ({result['changes']} changes): median "
        f"{latency['median']} ms, p95 {latency['p95']} ms, max {latency['max']} ms "
        f"(target {TARGET_MS} ms)"
    )
    print(f"server peak memory: {result['peak_rss_mb']} MB (target < {TARGET_MB} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
