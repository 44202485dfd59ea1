from __future__ import annotations

from octavus_cli.platform.sse import SseDecoder, sse_lines


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


def test_lines_end_only_at_cr_lf_or_crlf_in_any_chunking() -> None:
    text = 'data: {"d":"a\u2028b\x85c\x1cd"}\r\n\r\ndata: x\rdata: y\n\n: hb\r'
    expected = ['data: {"d":"a\u2028b\x85c\x1cd"}', "", "data: x", "data: y", "", ": hb"]
    for size in (1, 2, 3, 7, len(text)):
        chunks = [text[i : i + size] for i in range(0, len(text), size)]
        assert list(sse_lines(chunks)) == expected, size
    assert list(sse_lines(["no end"])) == ["no end"]
    assert list(sse_lines([])) == []


def test_the_text_of_each_event_is_kept_when_it_came_on_one_line() -> None:
    decoder = SseDecoder()
    lines = [
        'data: {"type": "start",  "executionId": "e1"}',
        "",
        'data: {"type":"text-delta",',
        'data: "delta":"hi"}',
        "",
        'data: {"type":"finish"}   ',
        "",
        'data: {"type":"x"} trailing',
        "",
    ]
    seen = [(event["type"], decoder.last_text) for event in decoder.events(lines)]
    assert seen == [
        ("start", '{"type": "start",  "executionId": "e1"}'),
        ("text-delta", None),  # spread over two lines: written again as one
        ("finish", '{"type":"finish"}   '),
    ]
    assert decoder.skipped == ['{"type":"x"} trailing']


def test_deeply_nested_data_is_skipped_not_fatal() -> None:
    decoder = SseDecoder()
    deep = "[" * 100_000 + "]" * 100_000
    events = list(decoder.events([f'data: {{"type":"x","v":{deep}}}', ""]))
    assert events == []
    assert len(decoder.skipped) == 1
