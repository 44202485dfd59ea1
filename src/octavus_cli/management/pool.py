"""A bounded thread pool: at most ``jobs`` items in flight, results in input order.

The work is I/O (HTTP round trips), so threads are enough; ``on_done`` runs in the
calling thread as each item finishes, which keeps progress output single-threaded.
On Ctrl-C the items not started yet are cancelled and the interrupt propagates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def run_bounded(
    items: Sequence[T],
    work: Callable[[T], R],
    *,
    jobs: int,
    on_done: Callable[[T, R], None] | None = None,
) -> list[R]:
    """Apply ``work`` to every item with at most ``jobs`` threads.

    ``work`` should not raise (turn failures into results); if it does, the first
    exception is raised here after the other items have finished.
    """
    if not items:
        return []
    workers = max(1, min(jobs, len(items)))
    results: dict[int, R] = {}
    executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="octavus-sync")
    try:
        futures: dict[Future[R], int] = {
            executor.submit(work, item): index for index, item in enumerate(items)
        }
        first_error: BaseException | None = None
        for future in as_completed(futures):
            index = futures[future]
            try:
                results[index] = future.result()
            except Exception as exc:
                first_error = first_error or exc
                continue
            if on_done is not None:
                on_done(items[index], results[index])
        if first_error is not None:
            raise first_error
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    executor.shutdown(wait=True)
    return [results[index] for index in range(len(items))]
