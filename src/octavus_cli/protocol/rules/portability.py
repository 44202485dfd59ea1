"""Files this CLI reads but the official CLI (and other tools) may not: OCT009."""

from __future__ import annotations

from collections.abc import Iterator

from octavus_cli.protocol.context import Context
from octavus_cli.protocol.diagnostics import Diagnostic, Severity
from octavus_cli.protocol.examples import settings_text
from octavus_cli.protocol.folder import SETTINGS_FILE
from octavus_cli.protocol.registry import Example, check, define
from octavus_cli.protocol.yaml_source import Span

NOT_PORTABLE = define(
    "OCT009",
    "not-portable-file",
    Severity.WARNING,
    "A file other tools cannot read: settings.json with a UTF-8 BOM, or reference front "
    "matter with CRLF line endings",
    "Save the file as UTF-8 without a byte order mark and with LF line endings; the "
    "official CLI rejects these files although this one reads them.",
    family="folder",
    example=Example(
        files={SETTINGS_FILE: "\ufeff" + settings_text("interactive")},
        fixed={SETTINGS_FILE: None},
        file=SETTINGS_FILE,
        line=1,
        column=1,
    ),
)


@check
def not_portable_files(ctx: Context) -> Iterator[Diagnostic]:
    text = ctx.definition.settings_text
    if text is not None and text.startswith("\ufeff"):
        yield ctx.report_at(
            NOT_PORTABLE,
            SETTINGS_FILE,
            Span(1, 1, 1, 2),
            "settings.json starts with a UTF-8 byte order mark (BOM); the official CLI "
            "and JSON tools reject it",
        )
    for reference in ctx.definition.references:
        if reference.crlf_front_matter:
            yield ctx.report_at(
                NOT_PORTABLE,
                reference.file,
                Span(1, 1, 1, 4),
                f"the front matter of reference {reference.name!r} ends its lines with CRLF; "
                "the official CLI does not read it",
            )
