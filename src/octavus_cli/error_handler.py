"""The one error handler: runs a command body and turns its outcome into output.

A command module builds a body ``(reporter) -> exit code | None`` and hands it to
:func:`run_command`. Bodies return or raise; they never print errors themselves
and never call ``sys.exit``.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from typing import NoReturn

import typer

from octavus_cli.debug_log import configure as configure_debug
from octavus_cli.errors import ExitCode, Interrupted, OctavusError, UnexpectedError
from octavus_cli.global_options import GlobalOptions, global_options
from octavus_cli.output import Mode, Reporter
from octavus_cli.settings import Settings

CommandBody = Callable[[Reporter], "int | None"]

DEBUG_HINT = (
    "This is a bug or an unforeseen condition. Run again with --debug (or OCTAVUS_DEBUG=1) "
    "to see the traceback, and include it when you report the problem."
)


def execute(body: CommandBody, reporter: Reporter, options: GlobalOptions) -> int:
    """Run ``body`` and return the exit code; every failure is reported here."""
    try:
        options.settings = Settings.load(options.env_file, debug=options.debug)
        configure_debug(options.settings.debug, reporter.stderr)
        result = body(reporter)
        return int(result) if result is not None else int(ExitCode.OK)
    except OctavusError as err:
        reporter.error(err)
        return int(err.exit_code)
    except KeyboardInterrupt:
        reporter.error(Interrupted("Interrupted"))
        return int(ExitCode.INTERRUPTED)
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:
        settings = options.settings or Settings.from_environ()
        if options.debug or settings.debug:
            traceback.print_exc(file=reporter.stderr)
        reporter.error(
            UnexpectedError(f"Unexpected error: {type(exc).__name__}: {exc}", hint=DEBUG_HINT)
        )
        return int(ExitCode.FAILURE)
    finally:
        configure_debug(False, reporter.stderr)


def run_command(ctx: typer.Context | None, body: CommandBody, *, mode: Mode | str) -> NoReturn:
    """Execute ``body`` with a reporter for ``mode`` and exit with its code."""
    reporter = Reporter(mode)
    code = execute(body, reporter, global_options(ctx))
    sys.stdout.flush()
    raise typer.Exit(code)
