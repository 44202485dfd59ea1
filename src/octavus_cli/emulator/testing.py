"""pytest fixtures: an in-process emulator on a free port, stopped after the test.

Register them in a ``conftest.py`` with ``pytest_plugins = ["octavus_cli.emulator.testing"]``.

Fixtures:

* ``emulator`` -- a started :class:`~octavus_cli.emulator.Emulator` with the test keys
  below, fast workforce runs, 0.2 s heartbeats; nothing seeded.
* ``emulator_env`` -- ``{OCTAVUS_API_URL, OCTAVUS_CLI_API_KEY, OCTAVUS_API_KEY,
  OCTAVUS_AGENT_KEY}`` for that emulator, to add to a subprocess environment.
* ``emulator_environ`` -- the same variables set in ``os.environ`` (other
  ``OCTAVUS_*`` variables removed) for in-process CLI tests.
* ``emulator_factory`` -- ``make(**options)`` starts more emulators (own data file,
  nested errors, ...) with the same test defaults; all are stopped afterwards.

Helpers: :func:`wait_until` waits for a condition with a deadline (never a fixed sleep);
:class:`ManualClock` is a clock a test moves, for Workforce runs (``clock=`` option).

In the request log the keys read ``"cli"`` (``TEST_CLI_KEY``), ``"project"``
(``TEST_PROJECT_KEY``) and ``"agent:<agentId>"``.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from octavus_cli.emulator.core import Emulator
from octavus_cli.emulator.workforce import WorkforceDurations

TEST_PROJECT_KEY = "test-project-key"
TEST_CLI_KEY = "test-cli-key"
TEST_AGENT_KEY = "test-agent-key"
TEST_OTHER_AGENT_KEY = "test-other-agent-key"
TEST_WORKFORCE_AGENT_ID = "cmtestworkforceagent01"
TEST_OTHER_WORKFORCE_AGENT_ID = "cmtestworkforceagent02"
FAST_WORKFORCE = WorkforceDurations(pending=0.05, running=0.1, slow=3600.0)


def wait_until(condition: Callable[[], object], *, timeout: float = 10.0, what: str = "") -> None:
    """Return once ``condition()`` is true; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not condition():
        if time.monotonic() >= deadline:
            pytest.fail(f"timed out after {timeout:g} s waiting for {what or 'a condition'}")
        pause.wait(0.005)


class ManualClock:
    """A wall clock that moves only when a test calls :meth:`advance`."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds


def fixture_defaults() -> dict[str, Any]:
    """The options the fixtures start an emulator with."""
    return {
        "port": 0,
        "keys": {"project": TEST_PROJECT_KEY, "cli": TEST_CLI_KEY},
        "agent_keys": {
            TEST_WORKFORCE_AGENT_ID: TEST_AGENT_KEY,
            TEST_OTHER_WORKFORCE_AGENT_ID: TEST_OTHER_AGENT_KEY,
        },
        "workforce_durations": FAST_WORKFORCE,
        "heartbeat_interval": 0.2,
        "busy_wait": 0.1,
    }


def emulator_env_for(emulator: Emulator) -> dict[str, str]:
    return {
        "OCTAVUS_API_URL": emulator.url,
        "OCTAVUS_CLI_API_KEY": TEST_CLI_KEY,
        "OCTAVUS_API_KEY": TEST_PROJECT_KEY,
        "OCTAVUS_AGENT_KEY": TEST_AGENT_KEY,
    }


@pytest.fixture
def emulator_factory() -> Iterator[Callable[..., Emulator]]:
    started: list[Emulator] = []

    def make(**options: Any) -> Emulator:
        settings = fixture_defaults()
        settings.update(options)
        emulator = Emulator(**settings).start()
        started.append(emulator)
        return emulator

    yield make
    for emulator in started:
        emulator.stop()


@pytest.fixture
def emulator(emulator_factory: Callable[..., Emulator]) -> Emulator:
    return emulator_factory()


@pytest.fixture
def emulator_env(emulator: Emulator) -> dict[str, str]:
    return emulator_env_for(emulator)


@pytest.fixture
def emulator_environ(
    emulator_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    for name in list(os.environ):
        if name.startswith("OCTAVUS_"):
            monkeypatch.delenv(name)
    for name, value in emulator_env.items():
        monkeypatch.setenv(name, value)
    return emulator_env
