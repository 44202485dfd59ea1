"""`octavus validate --watch`: validate again whenever a file under the paths changes.

On a terminal each run clears the screen and shows the full report; otherwise
(a pipe, a log) each run is one line: the summary in human mode, one JSON
document per line with ``--json``. Ctrl-C stops with exit status 130, SIGTERM
with 143, both without a traceback.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from octavus_cli.output import Reporter
    from octavus_cli.protocol.validate import AgentResult

DEBOUNCE_MS = 50  # group the writes of one save (editors write, rename, chmod)
STEP_MS = 20
READY_TIMEOUT_MS = 100  # the first empty wake-up tells that the watcher is running
TERMINATED = 128 + signal.SIGTERM


def watch_validation(out: Reporter, paths: Sequence[str], *, strict: bool) -> int:
    """Validate ``paths`` now and after every change until interrupted."""
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, _setter(stop))
    try:
        _run_once(out, paths, strict=strict)
        ready = False
        for _changes in _changes_under(paths, stop):
            if ready:
                _run_once(out, paths, strict=strict)
            # On a terminal the screen was cleared: say again what is going on.
            if not ready or (out.is_human and out.stdout_is_tty):
                _announce(out, paths)
            ready = True
    finally:
        signal.signal(signal.SIGTERM, previous)
    out.note("Stopped watching (SIGTERM)")
    return TERMINATED


def _setter(stop: threading.Event) -> Callable[[int, FrameType | None], None]:
    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    return handler


def _changes_under(paths: Sequence[str], stop: threading.Event) -> Iterator[set[object]]:
    """A first empty set once the watcher runs, then one set per batch of changes."""
    from watchfiles import watch

    roots = watch_roots(paths)
    announced = False
    for changes in watch(
        *roots,
        debounce=DEBOUNCE_MS,
        step=STEP_MS,
        stop_event=stop,
        rust_timeout=READY_TIMEOUT_MS,
        yield_on_timeout=True,
        raise_interrupt=True,
    ):
        if not announced:
            announced = True
            yield set()
        if changes:
            yield set(changes)


def watch_roots(paths: Sequence[str]) -> list[Path]:
    """The folders to watch: each given folder, or the agent folder of a given file."""
    from octavus_cli.protocol.targets import resolve_targets

    roots: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            roots.append(path)
    roots += [folder for folder in resolve_targets(paths).folders if folder.is_dir()]
    unique: list[Path] = []
    for root in sorted({r.resolve() for r in roots}, key=lambda p: len(p.parts)):
        if not any(root.is_relative_to(u) for u in unique):
            unique.append(root)
    if not unique:
        from octavus_cli.errors import ConfigError

        raise ConfigError(
            "Nothing to watch: none of the paths is an existing folder",
            hint="Give agent folders, or a folder that contains them.",
        )
    return unique


def _announce(out: Reporter, paths: Sequence[str]) -> None:
    out.note(f"Watching {', '.join(paths)} for changes (Ctrl-C stops)")


def _run_once(out: Reporter, paths: Sequence[str], *, strict: bool) -> None:
    from octavus_cli.output import ValidationReport
    from octavus_cli.output.results.tools import WatchRound
    from octavus_cli.protocol.targets import resolve_targets
    from octavus_cli.protocol.validate import validate_path

    targets = resolve_targets(paths)
    results: list[AgentResult] = [validate_path(folder) for folder in targets.folders]
    report = ValidationReport(agents=results, strict=strict, single=targets.single)
    out.report(WatchRound(report, time.strftime("%H:%M:%S")))
