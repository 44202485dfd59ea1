"""The prompt template parser: tags, conditions and {{#if}} structure, with positions."""

from __future__ import annotations

import pytest

from octavus_cli.protocol.templates import (
    Condition,
    inner_span,
    parse_condition,
    parse_template,
    structure_problems,
)


def kinds(content: str) -> list[tuple[str, str | None]]:
    return [(tag.kind, tag.name) for tag in parse_template(content)]


def test_tags_and_positions() -> None:
    content = 'Hi {{NAME}}!\n  {{@shared/tone.md}}\n{{#if PLAN == "free"}}x{{/if}}'
    tags = parse_template(content)
    assert kinds(content) == [
        ("variable", "NAME"),
        ("include", "shared/tone.md"),
        ("if", "PLAN"),
        ("end-if", None),
    ]
    assert (tags[0].span.line, tags[0].span.column, tags[0].span.end_column) == (1, 4, 12)
    assert (tags[1].span.line, tags[1].span.column) == (2, 3)
    literal = tags[2].condition
    assert literal is not None
    assert literal.literal == "free"
    span = inner_span(content, tags[2], literal.literal_start, len("free") + 2)
    assert (span.line, span.column, span.end_column) == (3, 15, 21)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("VAR", Condition("VAR")),
        (" !VAR ", Condition("VAR", negated=True)),
        ('VAR == "a b"', Condition("VAR", operator="==", literal="a b")),
        ('VAR!="x"', Condition("VAR", operator="!=", literal="x")),
        ('VAR == ""', Condition("VAR", operator="==", literal="")),
    ],
)
def test_conditions(text: str, expected: Condition) -> None:
    assert parse_condition(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "empty"),
        ("A and B", "and/or"),
        ("A || B", "and/or"),
        ("COUNT > 3", "not < or >"),
        ("A == 'x'", "double quotes"),
        ("A == x", "double-quoted"),
        ('A == "x" == "y"', "double-quoted"),
        ("A B", "VAR, !VAR"),
    ],
)
def test_malformed_conditions(text: str, says: str) -> None:
    result = parse_condition(text)
    assert isinstance(result, str)
    assert says in result


def test_other_tags() -> None:
    assert kinds("{{A.b}} {{#each X}} {{lower}} {{ SPACED }} {{}} {{{X}}}") == [
        ("dotted", "A.b"),
        ("block", None),
        ("text", "lower"),
        ("variable", "SPACED"),
        ("text", None),
        ("variable", "X"),
    ]


def test_tags_do_not_span_lines() -> None:
    assert kinds("{{A\n}} {{B}}") == [("variable", "B")]


@pytest.mark.parametrize(
    ("content", "messages"),
    [
        ("{{#if A}}{{else if B}}{{else}}{{/if}}", []),
        ("{{#if A}}{{#if B}}{{/if}}{{/if}}", []),
        ("{{#if A}}", ["{{#if A}} is never closed"]),
        ("{{/if}}", ["{{/if}} has no {{#if}} to close"]),
        ("{{else}}", ["{{else}} has no {{#if}} before it"]),
        (
            "{{#if A}}{{else}}{{else if B}}{{/if}}",
            ["{{else if}} comes after the {{else}} of its {{#if}} block"],
        ),
        (
            "{{#if A}}{{else}}{{else}}{{/if}}",
            ["{{else}} comes after the {{else}} of its {{#if}} block"],
        ),
    ],
)
def test_structure(content: str, messages: list[str]) -> None:
    assert [p.message for p in structure_problems(parse_template(content))] == messages
