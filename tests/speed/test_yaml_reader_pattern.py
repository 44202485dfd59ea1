"""PyYAML's reader pattern, cached as its quick-to-compile complement, finds the same
characters (every code point), is what PyYAML gets when validate imports it, and the
pure-Python loader reports a non-printable character as before."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from octavus_cli.protocol import yaml_source
from octavus_cli.protocol.yaml_reader_pattern import NOT_PRINTABLE, PYYAML_PATTERN
from octavus_cli.protocol.yaml_source import YamlError, load_yaml
from tests.support.probe import python_output

EVERY_CHARACTER = "".join(map(chr, range(0x110000)))


def test_the_complement_matches_exactly_the_characters_pyyaml_rejects() -> None:
    # Compiled here without the cache: re's flags make a key the seed does not use.
    theirs = re.compile(PYYAML_PATTERN, re.UNICODE)
    ours = re.compile(NOT_PRINTABLE, re.UNICODE)
    assert theirs.findall(EVERY_CHARACTER) == ours.findall(EVERY_CHARACTER)
    assert len(ours.findall(EVERY_CHARACTER)) == 2111


def test_pyyaml_source_still_has_the_pattern_seeded() -> None:
    # If PyYAML changes its pattern, the seed is unused: this says so.
    source = Path(yaml.reader.__file__).read_text(encoding="utf-8")
    assert "NON_PRINTABLE = re.compile('[^\\x09\\x0A\\x0D\\x20-\\x7E\\x85\\xA0-" in source


def test_validate_gives_pyyaml_the_quick_pattern() -> None:
    probe = (
        "import octavus_cli.protocol.yaml_source, yaml.reader, sys;"
        "sys.stdout.write(ascii(yaml.reader.Reader.NON_PRINTABLE.pattern))"
    )
    stdout = python_output(probe)
    assert stdout == ascii(NOT_PRINTABLE)


def test_the_python_loader_reports_a_control_character_where_it_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(yaml_source, "_Loader", yaml.SafeLoader)
    with pytest.raises(YamlError) as caught:
        load_yaml("a: 1\nb: x\x07y\n")
    assert "#x0007" in caught.value.message
    assert (caught.value.line, caught.value.column) == (2, 5)
