"""The wait loop on its own: schedule, timeout, transient errors, unknown statuses."""

from __future__ import annotations

from itertools import islice
from typing import Any

import pytest

from octavus_cli.errors import ApiError
from octavus_cli.workforce.wait import (
    PollSchedule,
    ThreadWaiter,
    format_duration,
    is_terminal,
    is_transient,
    parse_duration,
)


class FakeClock:
    """Time that moves only when the waiter sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float, _elapsed: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def scripted(*answers: dict[str, Any] | ApiError) -> Any:
    queue = list(answers)

    def fetch() -> dict[str, Any]:
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, ApiError):
            raise answer
        return answer

    return fetch


def waiter(fetch: Any, clock: FakeClock, **kwargs: Any) -> ThreadWaiter:
    return ThreadWaiter(fetch=fetch, clock=clock, sleep=clock.sleep, **kwargs)


def test_schedule_starts_sooner_and_grows_to_the_interval() -> None:
    assert list(islice(PollSchedule(3.0).delays(), 6)) == [0.5, 1.0, 2.0, 3.0, 3.0, 3.0]
    assert list(islice(PollSchedule(1.0).delays(), 3)) == [0.5, 1.0, 1.0]
    assert list(islice(PollSchedule(0.05).delays(), 3)) == [0.05, 0.05, 0.05]


@pytest.mark.parametrize(
    ("status", "terminal"),
    [
        ("completed", True),
        ("failed", True),
        ("cancelled", True),
        ("running", False),
        ("queued", False),
        ("pending", False),
        ("idle", False),
        ("paused-for-review", False),  # unknown: keep waiting
        (None, False),
    ],
)
def test_terminal_statuses(status: object, terminal: bool) -> None:
    assert is_terminal(status) is terminal


@pytest.mark.parametrize(
    ("status", "transient"),
    [(None, True), (408, True), (429, True), (500, True), (503, True), (401, False), (404, False)],
)
def test_transient_errors(status: int | None, transient: bool) -> None:
    assert is_transient(ApiError("x", status=status)) is transient


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("3", 3.0), ("0.05", 0.05), ("500ms", 0.5), ("30s", 30.0), ("15m", 900.0), ("1h", 3600.0)],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "soon", "-1", "3 days", "1e3"])
def test_parse_duration_rejects_nonsense(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)


def test_format_duration() -> None:
    assert format_duration(0.42) == "0.4s"
    assert format_duration(42) == "42s"
    assert format_duration(185) == "3m 05s"
    assert format_duration(3720) == "1h 02m"


def test_polls_until_terminal_with_the_schedule() -> None:
    clock = FakeClock()
    seen: list[str] = []
    fetch = scripted(
        {"status": "pending"},
        {"status": "running"},
        {"status": "running"},
        {"status": "running"},
        {"status": "completed", "messages": []},
    )
    result = waiter(
        fetch, clock, schedule=PollSchedule(3.0), on_poll=lambda t, _e: seen.append(t["status"])
    ).wait()
    assert not result.timed_out
    assert result.status == "completed"
    assert clock.sleeps == [0.5, 1.0, 2.0, 3.0]
    assert seen == ["pending", "running", "running", "running", "completed"]
    assert result.elapsed == pytest.approx(6.5)


def test_unknown_status_keeps_waiting() -> None:
    clock = FakeClock()
    fetch = scripted({"status": "reviewing"}, {"status": "completed"})
    result = waiter(fetch, clock, schedule=PollSchedule(1.0)).wait()
    assert result.status == "completed"
    assert clock.sleeps == [0.5]


def test_transient_errors_do_not_end_the_wait() -> None:
    clock = FakeClock()
    reported: list[tuple[int | None, float]] = []
    fetch = scripted(
        ApiError("down", status=503),
        ApiError("no route"),
        ApiError("slow down", status=429, retry_after=4.0),
        {"status": "completed"},
    )
    result = waiter(
        fetch,
        clock,
        schedule=PollSchedule(1.0),
        on_transient=lambda e, d: reported.append((e.status, d)),
    ).wait()
    assert result.status == "completed"
    assert [status for status, _ in reported] == [503, None, 429]
    assert clock.sleeps == [0.5, 1.0, 4.0]  # Retry-After wins over the schedule


def test_a_permanent_error_ends_the_wait() -> None:
    clock = FakeClock()
    fetch = scripted({"status": "running"}, ApiError("gone", status=404))
    with pytest.raises(ApiError, match="gone"):
        waiter(fetch, clock, schedule=PollSchedule(1.0)).wait()


def test_timeout_polls_once_more_at_the_deadline() -> None:
    clock = FakeClock()
    calls: list[float] = []

    def fetch() -> dict[str, Any]:
        calls.append(clock.now)
        return {"status": "running"}

    result = waiter(fetch, clock, schedule=PollSchedule(2.0), timeout=5.0).wait()
    assert result.timed_out
    assert result.status == "running"
    assert clock.sleeps == [0.5, 1.0, 2.0, 1.5]  # the last sleep is cut to the deadline
    assert calls[-1] == pytest.approx(105.0)


def test_timeout_after_only_errors_keeps_the_last_error() -> None:
    clock = FakeClock()
    fetch = scripted(ApiError("down", status=503))
    result = waiter(fetch, clock, schedule=PollSchedule(1.0), timeout=2.0).wait()
    assert result.timed_out
    assert result.thread is None
    assert result.last_error is not None
    assert result.last_error.status == 503
