"""Shared fixtures. The emulator's fixtures live in octavus_cli.emulator.testing."""

from __future__ import annotations

import os

import pytest

pytest_plugins = ["octavus_cli.emulator.testing"]


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto`` (pyproject's addopts): two workers per core, at most 16.

    Most tests wait on loopback HTTP or a child process rather than compute, so a core
    runs two of them well: on 2 cores the suite takes ~76 s with 4 workers, ~88 s with 2.
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(16, 2 * (cores or 1))
