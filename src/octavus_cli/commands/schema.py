"""`octavus schema`: print the JSON Schema of protocol.yaml or settings.json."""

from enum import Enum
from typing import Annotated

import typer

from octavus_cli.commands.options import JsonFlag
from octavus_cli.error_handler import run_command
from octavus_cli.output import Reporter, mode_from_flags


class SchemaName(str, Enum):
    protocol = "protocol"
    settings = "settings"


def schema_command(
    ctx: typer.Context,
    name: Annotated[
        SchemaName,
        typer.Argument(
            metavar="NAME",
            help="protocol (protocol.yaml) or settings (settings.json).",
            case_sensitive=False,
            show_default=False,
        ),
    ],
    json_output: JsonFlag = False,
) -> None:
    """Print the JSON Schema (draft 2020-12) of protocol.yaml or settings.json.

    Editors use it to complete and check agent files as you type; octavus
    validate checks the same schema and much more. Unknown keys are left to
    validate and octavus lsp, which report them as warnings, not errors.

    Save it next to your agents and point yaml-language-server at it with a first
    line in protocol.yaml:

      # yaml-language-server: $schema=../protocol.schema.json

    Examples:

      octavus schema protocol > protocol.schema.json

      octavus schema settings > settings.schema.json
    """

    def body(out: Reporter) -> int:
        from octavus_cli.output.results.tools import SchemaDocument
        from octavus_cli.protocol.schema import editor_schema_text

        out.report(SchemaDocument(editor_schema_text(name.value)))
        return 0

    run_command(ctx, body, mode=mode_from_flags(json_output=json_output))
