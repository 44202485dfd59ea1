"""The bounded pool of bulk sync: concurrency up to the bound, never beyond, order kept."""

from __future__ import annotations

import threading
import time

import pytest

from octavus_cli.management.pool import run_bounded


def test_runs_up_to_jobs_items_at_once_and_keeps_input_order() -> None:
    jobs = 4
    barrier = threading.Barrier(jobs, timeout=10)  # breaks unless 4 run at the same time
    lock = threading.Lock()
    running = peak = 0

    def work(item: int) -> int:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        if item < jobs:
            barrier.wait()
        time.sleep(0.01)
        with lock:
            running -= 1
        return item * 10

    assert run_bounded(list(range(20)), work, jobs=jobs) == [i * 10 for i in range(20)]
    assert peak == jobs


def test_on_done_runs_in_the_calling_thread_for_every_item() -> None:
    seen: list[tuple[int, str, str]] = []

    def done(item: int, result: str) -> None:
        seen.append((item, result, threading.current_thread().name))

    run_bounded([1, 2, 3], str, jobs=2, on_done=done)
    assert sorted((i, r) for i, r, _ in seen) == [(1, "1"), (2, "2"), (3, "3")]
    assert {name for _, _, name in seen} == {threading.current_thread().name}


def test_an_exception_is_raised_after_the_other_items_finished() -> None:
    finished: list[int] = []

    def work(item: int) -> int:
        if item == 0:
            raise RuntimeError("boom")
        time.sleep(0.01)
        finished.append(item)
        return item

    with pytest.raises(RuntimeError, match="boom"):
        run_bounded([0, 1, 2, 3], work, jobs=2)
    assert sorted(finished) == [1, 2, 3]


def test_no_items_means_no_threads() -> None:
    assert run_bounded([], str, jobs=8) == []
