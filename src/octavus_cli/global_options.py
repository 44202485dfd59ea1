"""The options given before the command, and the settings read from them.

Apart from the error handler so that ``app.py`` (and with it ``octavus --help``) does
not import the output layer: only a command that runs needs that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from octavus_cli.records import record

if TYPE_CHECKING:
    import typer

    from octavus_cli.settings import Settings


@record(frozen=False)
class GlobalOptions:
    """Options given before the command (``octavus --env FILE --debug sync ...``)."""

    env_file: str | None = None
    debug: bool = False
    settings: Settings | None = None  # read once by execute(), before the command body


def global_options(ctx: typer.Context | None) -> GlobalOptions:
    obj = ctx.find_root().obj if ctx is not None else None
    return obj if isinstance(obj, GlobalOptions) else GlobalOptions()


def settings_of(ctx: typer.Context | None) -> Settings:
    """The command's settings (read by the error handler; the bare environment outside it)."""
    settings = global_options(ctx).settings
    if settings is not None:
        return settings
    from octavus_cli.settings import Settings

    return Settings.from_environ()
