"""`octavus run --trace` / OCTAVUS_TRACE=1: the trace header on every session request of
that run only, and the traced model request bodies in `sessions logs`."""

from __future__ import annotations

from tests.run.conftest import REQUIRED
from tests.sessions.conftest import Sessions


def _session_requests(octavus: Sessions) -> list[tuple[str, str | None, str | None]]:
    return [
        (r.path, r.trace, r.sdk_version)
        for r in octavus.emulator.requests
        if r.path.startswith("/api/agent-sessions")
    ]


def test_trace_is_sent_on_every_session_request_of_that_run_only(octavus: Sessions) -> None:
    traced = octavus.run("support-chat", "-m", "hi", *REQUIRED, "--trace")
    assert traced.code == 0, traced
    requests = _session_requests(octavus)
    assert len(requests) == 2  # create + trigger
    assert {(trace, version) for _, trace, version in requests} == {("true", "4")}
    session_id = requests[-1][0].split("/")[3]
    assert f"octavus sessions logs {session_id}" in traced.stderr

    octavus.emulator.clear_requests()
    plain = octavus.run("support-chat", "--session", session_id, "-m", "again")
    assert plain.code == 0, plain
    assert {trace for _, trace, _ in _session_requests(octavus)} == {None}
    assert "sessions logs" not in plain.stderr

    logs = octavus.cli("logs", session_id, "--json").json()["entries"]
    bodies = [e["modelRequest"].get("requestBody") for e in logs if e["type"] == "model-request"]
    assert len(bodies) == 2
    assert bodies[0] is not None  # the traced run logged the request body
    assert bodies[0]["messages"][-1] == {"role": "user", "content": "hi"}
    assert bodies[1] is None  # the untraced one only a marker


def test_octavus_trace_env_turns_tracing_on(octavus: Sessions) -> None:
    result = octavus.run("support-chat", "-m", "hi", *REQUIRED, env=octavus.env(OCTAVUS_TRACE="1"))
    assert result.code == 0, result
    assert {trace for _, trace, _ in _session_requests(octavus)} == {"true"}
