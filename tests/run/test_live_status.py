"""`octavus run` shows a live line while it waits for the agent: on a terminal's stderr only."""

from __future__ import annotations

from tests.run.conftest import REQUIRED, Octavus
from tests.support.pty_run import run_in_pty

WAITING = "Waiting for the agent…"


def test_a_terminal_sees_the_live_line_then_the_answer(octavus: Octavus) -> None:
    code, raw = run_in_pty("run", "support-chat", "-m", "Hello", *REQUIRED, env=octavus.env())
    assert code == 0, raw
    text = raw.decode("utf-8", "replace")
    assert WAITING in text
    assert "You said: Hello" in text
    assert text.index(WAITING) < text.index("You said: Hello")


def test_no_live_line_in_a_pipe(octavus: Octavus) -> None:
    result = octavus.run("support-chat", "-m", "Hello", *REQUIRED)
    assert result.code == 0, result
    assert WAITING not in result.stderr
    assert result.stdout == "You said: Hello\n"
