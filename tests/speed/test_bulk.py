"""Many agents are validated on every core, with the same results in the same order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from octavus_cli.protocol.bulk import MIN_FOLDERS_FOR_POOL, validate_folders, worker_count
from octavus_cli.protocol.targets import resolve_targets
from octavus_cli.protocol.validate import AgentResult
from tests.support.output_cases import scratch_tree


@pytest.fixture(scope="module")
def folders() -> Iterator[list[Path]]:
    with scratch_tree() as root:  # every rule example, failing and fixed, and the examples
        found = resolve_targets([str(root / "rules"), str(root / "agents")]).folders
        assert len(found) > 2 * MIN_FOLDERS_FOR_POOL
        yield found


def summary(result: AgentResult) -> tuple[object, ...]:
    error = result.file_error
    return (
        result.path,
        result.slug,
        result.diagnostics,
        result.sources,
        result.definition,
        None if error is None else (type(error), str(error), error.diagnostics),
    )


def test_pool_gives_the_serial_results_in_order(folders: list[Path]) -> None:
    some = folders[::3]  # failing and fixed examples alternate: a mix of both, fewer
    serial = validate_folders(some, workers=1)
    pooled = validate_folders(some, workers=2)
    assert [r.path for r in pooled] == some
    assert [summary(r) for r in pooled] == [summary(r) for r in serial]
    assert any(not r.valid() for r in serial)
    assert any(r.valid() for r in serial)


def test_workers_only_for_many_folders_on_many_cores() -> None:
    assert worker_count(1000, cores=1) == 1
    assert worker_count(MIN_FOLDERS_FOR_POOL - 1, cores=8) == 1
    assert worker_count(1000, cores=2) == 2
    assert worker_count(1000, cores=64) == 8


def test_pool_from_a_process_with_threads(folders: list[Path]) -> None:
    """In-process use (another thread alive): the workers start without fork."""
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        few = folders[:6]
        pooled = validate_folders(few, workers=2)
    finally:
        stop.set()
        thread.join()
    assert [summary(r) for r in pooled] == [summary(r) for r in validate_folders(few, workers=1)]


def test_light_results_leave_out_only_sources_and_definitions(folders: list[Path]) -> None:
    some = folders[::3]
    light = validate_folders(some, workers=2, keep_sources=False, keep_definition=False)
    full = validate_folders(some, workers=1)
    assert [(r.path, r.slug, r.diagnostics) for r in light] == [
        (r.path, r.slug, r.diagnostics) for r in full
    ]
    assert all(r.sources == {} and r.definition is None for r in light)
    assert any(r.sources for r in full)
