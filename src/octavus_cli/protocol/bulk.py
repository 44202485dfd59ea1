"""Validate many agent folders on every core, results in the order given.

Checking an agent is pure computation, so threads do not help; with many folders
a process pool does. Small batches stay in this process (starting workers costs
more than they save), and so does a machine with one core. Each worker validates
a contiguous run of folders; the results come back in the order of ``folders``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from octavus_cli.protocol.validate import AgentResult

# Below this many folders a pool costs more than it saves (a worker starts in ~10 ms).
MIN_FOLDERS_FOR_POOL = 48
MAX_WORKERS = 8


def usable_cores() -> int:
    """The cores this process may run on (its affinity, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def worker_count(folders: int, cores: int | None = None) -> int:
    """How many processes to validate ``folders`` folders with (1: this one)."""
    cores = usable_cores() if cores is None else cores
    if folders < MIN_FOLDERS_FOR_POOL or cores < 2:
        return 1
    return min(cores, MAX_WORKERS)


def _validate_chunk(paths: Sequence[Path]) -> list[AgentResult]:
    from octavus_cli.protocol.validate import validate_path_safely

    # One folder's internal error is reported for it alone (never hides the others).
    return [validate_path_safely(path) for path in paths]


def _validate_chunk_light(
    paths: Sequence[Path], keep_sources: bool, keep_definition: bool
) -> list[AgentResult]:
    """The chunk's results without what the caller will not use (less to send back)."""
    from octavus_cli.records import replace

    return [
        replace(
            result,
            sources=result.sources if keep_sources else {},
            definition=result.definition if keep_definition else None,
        )
        for result in _validate_chunk(paths)
    ]


def validate_folders(
    folders: Sequence[Path],
    *,
    workers: int | None = None,
    keep_sources: bool = True,
    keep_definition: bool = True,
) -> list[AgentResult]:
    """``validate_path`` of every folder, in order, on ``workers`` processes (default: cores).

    From a pool, ``keep_sources=False`` leaves out the file texts (only human output
    shows source lines) and ``keep_definition=False`` the definitions (only --remote
    sends them): the results then cost little to send back to this process.
    """
    count = worker_count(len(folders)) if workers is None else workers
    if count <= 1:
        return _validate_chunk(folders)
    # A few chunks per worker keeps the cores busy when some agents take longer.
    import multiprocessing  # only for a pool: with logging and sockets, ~15 ms to import
    from concurrent.futures import ProcessPoolExecutor

    size = max(1, -(-len(folders) // (count * 4)))
    chunks = [folders[i : i + size] for i in range(0, len(folders), size)]
    import threading

    # fork: the workers inherit the loaded validator instead of importing it again; not
    # from a process with other threads (in-process use), where fork is unsafe.
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        method = "fork"
    else:
        method = "forkserver" if "forkserver" in methods else "spawn"
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        done = pool.map(
            _validate_chunk_light,
            chunks,
            [keep_sources] * len(chunks),
            [keep_definition] * len(chunks),
        )
        return [result for chunk in done for result in chunk]
