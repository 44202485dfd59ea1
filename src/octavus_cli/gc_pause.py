"""Pausing Python's cyclic garbage collector while a burst of small objects is built.

Validating a large agent builds hundreds of thousands of small objects (tags, uses,
findings) that live until the end. The cyclic collector, which runs every 700 new
objects, scans the young ones each time and every object from time to time: on a
prompt with 60k findings that was a third of the run. Reference counting still frees
everything that is dropped; only reference cycles wait, until the block ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic collection inside the block (nested blocks are fine)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
