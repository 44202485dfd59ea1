"""Entry point of the ``octavus`` command and of ``python -m octavus_cli``.

``octavus --version`` is answered before typer is imported. With ``--json``,
usage errors (an unknown option, a missing argument) are printed as the JSON
error document too, so a script never has to parse help text.

:func:`main` is safe to call in-process (tests, other programs): it returns or
raises ``SystemExit``. :func:`console_main`, the executable, then ends the process
without the interpreter's shut-down (freeing every module and object costs ~40 ms
and changes nothing the user sees), once the output is flushed. It also holds the
cyclic garbage collector while typer and the command's module are imported (they make
many objects and no garbage: the collector's passes over them cost ~4 ms), then freezes
what was imported (never scanned again) and lets it run for the command itself.
"""

from __future__ import annotations

import gc
import os
import sys

# `typing` is imported for the type checker only: --version needs nothing of it.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn

USAGE_ERROR_CODE = "CONFIG_ERROR"

_collector_held = False


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args in (["--version"], ["-V"]):
        from octavus_cli import version_line

        sys.stdout.write(version_line() + "\n")
        return

    import typer

    from octavus_cli.app import whole_app
    from octavus_cli.command_pick import app_for

    # Shell completion reads the whole command tree (its words come from the environment).
    completing = "_OCTAVUS_COMPLETE" in os.environ
    app = whole_app() if completing else app_for(args)
    release_collector()
    if "--json" not in args:
        app(args=args, prog_name="octavus")
        return
    try:
        result = app(args=args, prog_name="octavus", standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.TyperException as exc:
        document = {"error": exc.format_message(), "code": USAGE_ERROR_CODE}
        import json

        sys.stdout.write(json.dumps(document, indent=2) + "\n")
        sys.exit(2)
    sys.exit(result if isinstance(result, int) else 0)


def hold_collector() -> None:
    """Pause the cyclic garbage collector for the start-up (the executable only)."""
    global _collector_held
    if gc.isenabled():
        gc.disable()
        _collector_held = True


def release_collector() -> None:
    """After the start-up: what was imported is frozen out of collections, which resume."""
    global _collector_held
    if _collector_held:
        _collector_held = False
        gc.freeze()
        gc.enable()


def exit_status(exc: SystemExit) -> int:
    """The status the interpreter gives ``exc`` (``None`` 0, a number, else 1 and a message)."""
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write(f"{code}\n")
    return 1


def console_main() -> NoReturn:
    """The ``octavus`` executable: :func:`main`, then a fast exit with its status."""
    hold_collector()
    try:
        main()
    except SystemExit as exc:
        status = exit_status(exc)
    else:
        status = 0
    fast_exit(status)


def fast_exit(status: int) -> NoReturn:
    """Flush, run the exit handlers, and end the process without tearing it down.

    Falls back to the normal exit when something still runs (a non-daemon thread the
    interpreter would wait for) or the output cannot be flushed (a closed pipe), so
    the exit status and messages stay the interpreter's own in those cases.
    """
    threading = sys.modules.get("threading")
    if threading is not None and any(
        thread.is_alive() and not thread.daemon and thread is not threading.main_thread()
        for thread in threading.enumerate()
    ):
        sys.exit(status)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(status)
    import atexit

    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_handlers is not None:
        run_exit_handlers()
    os._exit(status & 0xFF)


if __name__ == "__main__":
    console_main()
