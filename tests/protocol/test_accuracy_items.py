"""Validator accuracy against the docs (issue 14 items 16 and 17)."""

from __future__ import annotations

from pathlib import Path

from octavus_cli.protocol.examples import BASE_INTERACTIVE
from tests.protocol.helpers import validate_files

TYPES_WITH_ANYOF_PROPERTY = """
types:
  Query:
    anyOf:
      type: string
      description: A property that happens to be called anyOf
    limit:
      type: Missing
"""

UNION_WITH_BUILTIN = """
types:
  PaymentSuccess:
    kind: { type: string, const: success }
  Payment:
    anyOf: [PaymentSuccess, string]
    discriminator: kind
"""

PROPERTY_ENUM = """
types:
  Ticket:
    level:
      type: string
      enum: [1, 2, 3]
    size:
      type: integer
      enum: [1, 2]
"""


def _messages(tmp_path: Path, extra: str, protocol: str = BASE_INTERACTIVE) -> list[str]:
    result = validate_files(tmp_path, {"protocol.yaml": protocol + extra})
    return [f"{d.code} {d.message}" for d in result.diagnostics]


def test_a_property_named_anyof_is_not_a_union(tmp_path: Path) -> None:
    """Item 16."""
    found = _messages(tmp_path, TYPES_WITH_ANYOF_PROPERTY)
    assert not any("union" in m for m in found), found
    # Its properties are checked like any object type's.
    assert any('"Missing"' in m for m in found), found
    assert not any("OCT000" in m for m in found), found


def test_a_union_variant_that_is_a_builtin_type_is_reported(tmp_path: Path) -> None:
    """Item 17: anyOf: [PaymentSuccess, string]."""
    found = _messages(tmp_path, UNION_WITH_BUILTIN)
    assert any('variant "string" of union "Payment" is a built-in type' in m for m in found), found


def test_enums_hold_strings_only_on_properties_and_string_inputs(tmp_path: Path) -> None:
    """Item 17: enum: [1, 2, 3] on a type property or a string input."""
    found = _messages(tmp_path, PROPERTY_ENUM)
    assert any('enum value 1 of property level of "Ticket" is not a string' in m for m in found)
    assert any(
        'property size of type "Ticket" has an enum but is of type "integer"' in m for m in found
    ), found
    protocol = BASE_INTERACTIVE.replace(
        "      USER_MESSAGE: { type: string }",
        "      USER_MESSAGE: { type: string }\n      LEVEL: { type: string, enum: [1, 2] }",
    )
    found = _messages(tmp_path / "input", "", protocol)
    assert any("enum value 1 of trigger input LEVEL is not a string" in m for m in found), found


def test_files_the_official_cli_cannot_read_get_a_warning(tmp_path: Path) -> None:
    """Item 19: a settings.json with a BOM, reference front matter with CRLF."""
    result = validate_files(
        tmp_path,
        {
            "settings.json": '\ufeff{"slug": "my-agent", "name": "My agent", '
            '"format": "interactive"}\n',
            "references/guide.md": "---\r\ndescription: A guide\r\n---\r\nBody\r\n",
        },
    )
    found = [(d.code, d.file, d.severity.value) for d in result.diagnostics]
    assert ("OCT009", "settings.json", "warning") in found, found
    assert ("OCT009", "references/guide.md", "warning") in found, found
    assert result.valid()  # a warning: this CLI reads them


def test_an_unclosed_quote_is_reported_where_it_opens(tmp_path: Path) -> None:
    """Item 18: not at the end of the file."""
    protocol = BASE_INTERACTIVE.replace(
        "      USER_MESSAGE: { type: string }",
        '      USER_MESSAGE: { type: string, description: "unclosed }',
    )
    result = validate_files(tmp_path, {"protocol.yaml": protocol + "\n\n\n"})
    (syntax,) = [d for d in result.diagnostics if d.code == "OCT101"]
    assert (syntax.line, syntax.column) == (4, 50), syntax  # the opening quote


def test_an_include_without_md_is_reported(tmp_path: Path) -> None:
    """Item 18: {{@shared/formatting-rules}} stays literal on the platform."""
    result = validate_files(
        tmp_path,
        {
            "prompts/system.md": "Be kind.\n{{@shared/formatting-rules}}\n",
            "prompts/shared/formatting-rules.md": "Use lists.\n",
        },
    )
    found = [d for d in result.diagnostics if "does not end in .md" in d.message]
    assert [(d.file, d.line) for d in found] == [("prompts/system.md", 2)], result.diagnostics


def test_the_size_limit_is_said_to_be_this_tools(tmp_path: Path) -> None:
    """Item 15: the docs set no limit on references; ours is documented as our own."""
    big = "---\ndescription: Large context\n---\n" + "x" * (2 * 1024 * 1024 + 10)
    result = validate_files(tmp_path, {"references/big.md": big})
    (finding,) = [d for d in result.diagnostics if d.code == "OCT006"]
    assert "a limit of this tool, not of the platform" in finding.message
