"""`octavus config`: show the configuration the commands would use (never the keys)."""

from typing import TYPE_CHECKING, Any

import typer

from octavus_cli.commands.options import JsonFlag
from octavus_cli.config import (
    KEY_VARIABLES,
    URL_VARIABLE,
    Family,
    check_transport_security,
)
from octavus_cli.error_handler import run_command
from octavus_cli.errors import ConfigError
from octavus_cli.global_options import settings_of
from octavus_cli.output import Reporter, mode_from_flags

if TYPE_CHECKING:
    from octavus_cli.settings import Settings

USED_BY = {
    Family.MANAGEMENT: "validate --remote, sync, list, get, archive",
    Family.RUN: "run",
    Family.WORKFORCE: "workforce",
}


def describe_configuration(settings: "Settings") -> dict[str, Any]:
    """What each command family would use: key variable (not the key), URL, problems."""
    env = settings.env
    base_url = settings.base_url
    families: dict[str, Any] = {}
    for family, names in KEY_VARIABLES.items():
        source = next((name for name in names if env.get(name, "").strip()), None)
        problem = None
        if source is None:
            problem = f"no key: set {' or '.join(names)}"
        else:
            try:
                check_transport_security(base_url, env)
            except ConfigError as exc:
                problem = exc.message
        families[family.value] = {
            "usedBy": USED_BY[family],
            "lookup": list(names),
            "keySource": source,
            "problem": problem,
        }
    return {
        "envFile": str(settings.env_file) if settings.env_file is not None else None,
        "baseUrl": base_url,
        "baseUrlSource": URL_VARIABLE if env.get(URL_VARIABLE, "").strip() else "default",
        "families": families,
    }


def config_command(ctx: typer.Context, json_output: JsonFlag = False) -> None:
    """Show where the API keys and URL come from (never the keys themselves).

    Keys are looked up per command family, first variable first; variables already
    set in the environment win over the --env file (default ./.env).

    Examples:

      octavus config

      octavus --env .env.staging config --json
    """

    def body(out: Reporter) -> int:
        from octavus_cli.output.results.tools import Configuration

        out.report(Configuration(describe_configuration(settings_of(ctx))))
        return 0

    run_command(ctx, body, mode=mode_from_flags(json_output=json_output))
