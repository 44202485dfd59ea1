from __future__ import annotations

from octavus_cli.platform.sse import SseDecoder


def test_events_comments_done_and_malformed_lines() -> None:
    lines = [
        ": heartbeat",
        'data: {"type":"start","executionId":"e1"}',
        "",
        "data: {not json",
        "",
        'data: {"no":"type"}',
        "",
        "event: ignored",
        'data: {"type":"text-delta",',
        'data: "delta":"hi"}',
        "",
        ": heartbeat",
        "data: [DONE]",
        "",
        'data: {"type":"after-done"}',
        "",
    ]
    decoder = SseDecoder()
    events = list(decoder.events(lines))
    assert [e["type"] for e in events] == ["start", "text-delta"]
    assert events[1]["delta"] == "hi"
    assert decoder.done is True
    assert decoder.heartbeats == 2
    assert len(decoder.skipped) == 2


def test_stream_without_done_is_visible() -> None:
    decoder = SseDecoder()
    events = list(decoder.events(['data: {"type":"start"}', "", 'data: {"type":"text-delta"}']))
    assert len(events) == 2  # last event flushed even without a blank line
    assert decoder.done is False
