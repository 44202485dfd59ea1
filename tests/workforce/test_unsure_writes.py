"""A dispatch or follow-up whose answer was lost is not sent again blindly."""

from __future__ import annotations

import pytest

from tests.support.cli import run_cli
from tests.support.scripted_server import Reply, ScriptedServer

AGENT = "cmagent0000000000000001"


@pytest.mark.parametrize(
    "args",
    [["dispatch", AGENT, "Hello"], ["follow-up", AGENT, "cmthread01", "Hello", "--wait"]],
    ids=["dispatch", "follow-up"],
)
def test_a_lost_answer_is_reported_not_resent(args: list[str]) -> None:
    with ScriptedServer() as server:
        server.script(Reply(drop=True))  # the request arrived; the answer never came
        result = run_cli(
            "workforce",
            *args,
            env={"OCTAVUS_API_URL": server.url, "OCTAVUS_AGENT_KEY": "test-agent-key"},
        )
    assert result.code == 1, result
    assert len(server.requests) == 1
    assert server.requests[0].method == "POST"
    assert "may have reached the platform" in result.stderr
    assert "before sending it again" in result.stderr
