"""`octavus token`: mint and revoke short-lived tokens for a job or a browser."""

import re
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from octavus_cli.commands.options import JsonFlag
from octavus_cli.error_handler import run_command
from octavus_cli.global_options import settings_of
from octavus_cli.output import Reporter, mode_from_flags

if TYPE_CHECKING:
    from octavus_cli.platform.http import PlatformClient
    from octavus_cli.settings import Settings

HELP = """\
Mint and revoke ephemeral tokens (oct_et_...) with a key that has the Mint Tokens permission.

The token goes to stdout only, so TOKEN=$(octavus token mint AGENT_ID) works;
nothing else is printed there and it is never logged.
"""

app = typer.Typer(help=HELP, no_args_is_help=True, rich_markup_mode=None)

MAX_TTL_SECONDS = 86400
_DURATION = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$", re.IGNORECASE)
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_ttl(value: str) -> int:
    """``900``, ``90s``, ``15m``, ``2h``, ``1d`` -> seconds (1 s to 24 h)."""
    from octavus_cli.errors import ConfigError

    found = _DURATION.match(value)
    if found is None:
        raise ConfigError(
            f"--ttl {value!r} is not a duration", hint="Use seconds or 90s, 15m, 2h, 1d."
        )
    seconds = int(found.group(1)) * _UNITS[found.group(2).lower()]
    if not 0 < seconds <= MAX_TTL_SECONDS:
        raise ConfigError(
            f"--ttl {value} is outside 1 s to 24 h", hint="Tokens live at most 24 hours."
        )
    return seconds


def _connect(settings: "Settings") -> "PlatformClient":
    from octavus_cli.config import Family
    from octavus_cli.platform.connect import connect
    from octavus_cli.platform.tokens import MINT_PERMISSION

    return connect(Family.RUN, settings, permission=MINT_PERMISSION)


@app.command("mint")
def mint_command(
    ctx: typer.Context,
    agent: Annotated[
        str,
        typer.Argument(
            metavar="AGENT",
            help="The agent id (a value with a dash is looked up as a slug).",
            show_default=False,
        ),
    ],
    session: Annotated[
        str | None,
        typer.Option("--session", "-s", metavar="ID", help="Narrow the token to this session."),
    ] = None,
    ttl: Annotated[
        str | None,
        typer.Option("--ttl", metavar="DURATION", help="Lifetime: 900, 15m, 2h (default 1h)."),
    ] = None,
    json_output: JsonFlag = False,
) -> None:
    """Mint a token that acts only on AGENT (and only on --session ID when given).

    stdout gets the token alone (with --json: {token, jti, expiresAt}); the
    expiry goes to stderr. Exit 2 for a bad --ttl, 1 when the platform refuses.

    Examples:

      TOKEN=$(octavus token mint "$AGENT_ID" --ttl 15m)

      octavus token mint "$AGENT_ID" --session "$SESSION" --json
    """

    def body(out: Reporter) -> int:
        from octavus_cli.platform.agents import AgentsApi
        from octavus_cli.platform.tokens import TokensApi

        seconds = parse_ttl(ttl) if ttl is not None else None
        with _connect(settings_of(ctx)) as client:
            agent_id = agent
            if "-" in agent:
                found = AgentsApi(client).find_by_slug(agent)
                if found is not None and isinstance(found.get("id"), str):
                    agent_id = found["id"]
            minted = TokensApi(client).mint(agent_id, session_id=session, ttl_seconds=seconds)
        scope = f"session {session}" if session else f"agent {agent_id}"
        from octavus_cli.output.results.tools import TokenMinted

        out.report(TokenMinted(minted.token, minted.jti, minted.expires_at, scope))
        return 0

    run_command(ctx, body, mode=mode_from_flags(json_output=json_output))


@app.command("revoke")
def revoke_command(
    ctx: typer.Context,
    token: Annotated[
        str,
        typer.Argument(
            metavar="TOKEN",
            help="The token to revoke, or - to read it from stdin (keeps it out of ps).",
            show_default=False,
        ),
    ],
    json_output: JsonFlag = False,
) -> None:
    """Revoke a token at once. Idempotent: an unknown, expired or revoked token is no error.

    --json prints {revoked, jti?}.
    """

    def body(out: Reporter) -> int:
        from octavus_cli.errors import ConfigError
        from octavus_cli.platform.tokens import TokensApi

        value = sys.stdin.readline().strip() if token == "-" else token.strip()
        if not value:
            raise ConfigError("No token given", hint="Pass it, or - and the token on stdin.")
        with _connect(settings_of(ctx)) as client:
            result = TokensApi(client).revoke(value)
        from octavus_cli.output.results.tools import TokenRevoked

        out.report(TokenRevoked(result.revoked, result.jti))
        return 0

    run_command(ctx, body, mode=mode_from_flags(json_output=json_output))
