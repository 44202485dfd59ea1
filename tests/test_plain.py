"""Off a terminal, a Styled line prints the same bytes without rich as with it."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from octavus_cli.output import Reporter, make_console, make_output
from octavus_cli.output.plain import PlainConsole, Styled, is_simple

SPECIAL = st.sampled_from(["\n", "\t", "\r", " ", "─", "│", "✓", "✗", "界", "\x1b", "é"])
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]) | SPECIAL, max_size=40
)
STYLES = st.sampled_from(["", "dim", "bold red", "blue", "bold green"])


def through_rich(line: Styled | None) -> str:
    stream = io.StringIO()
    console = make_console(stream)
    if line is None:
        console.print()
    else:
        console.print(line)
    return stream.getvalue()


def through_plain(line: Styled | None) -> str:
    stream = io.StringIO()
    console = make_output(stream)
    assert isinstance(console, PlainConsole)
    if line is None:
        console.print()
    else:
        console.print(line)
    return stream.getvalue()


@settings(max_examples=300, deadline=None)
@given(base=TEXT, style=STYLES, parts=st.lists(st.tuples(TEXT, STYLES), max_size=4))
def test_plain_equals_rich(base: str, style: str, parts: list[tuple[str, str]]) -> None:
    line = Styled(base, style=style)
    for text, part_style in parts:
        line.append(text, style=part_style)
    assert through_plain(line) == through_rich(line)


def test_blank_line() -> None:
    assert through_plain(None) == through_rich(None) == "\n"


def test_special_characters_go_through_rich() -> None:
    assert not is_simple("a\tb")
    assert not is_simple("a\rb")
    assert is_simple("line one\nline two ✓")


def test_reporter_lines_off_a_terminal() -> None:
    out, err = io.StringIO(), io.StringIO()
    reporter = Reporter(stdout=out, stderr=err)
    reporter.success("support-chat is valid")
    reporter.info("Skipped notes.txt: not inside an agent folder")
    reporter.detail("slug", "support-chat")
    assert out.getvalue() == "✓ support-chat is valid\n  slug: support-chat\n"
    assert err.getvalue() == "ℹ Skipped notes.txt: not inside an agent folder\n"
