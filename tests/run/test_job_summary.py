"""`octavus run` appends its outcome to $GITHUB_STEP_SUMMARY, never to stdout."""

from __future__ import annotations

from pathlib import Path

from tests.run.conftest import REQUIRED, Octavus


def test_run_writes_a_summary_with_the_session_and_how_to_continue(
    octavus: Octavus, tmp_path: Path
) -> None:
    summary = tmp_path / "summary.md"
    env = octavus.env(GITHUB_STEP_SUMMARY=str(summary))
    result = octavus.run("support-chat", "-m", "Hello", *REQUIRED, env=env)
    assert result.code == 0, result
    assert result.stdout == "You said: Hello\n"
    [trigger] = octavus.posts()
    session_id = trigger.path.split("/")[3]
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("### octavus run\n\n✅ Finished\n")
    assert f"| Session | {session_id} |" in text
    assert "| Trigger | user-message |" in text
    assert f"`octavus run support-chat --session {session_id}`" in text
