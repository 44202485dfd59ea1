"""Entry point of the ``octavus`` command and of ``python -m octavus_cli``.

``octavus --version`` is answered before typer is imported. With ``--json``,
usage errors (an unknown option, a missing argument) are printed as the JSON
error document too, so a script never has to parse help text.
"""

from __future__ import annotations

import json
import sys

USAGE_ERROR_CODE = "CONFIG_ERROR"


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args in (["--version"], ["-V"]):
        from octavus_cli import version_line

        sys.stdout.write(version_line() + "\n")
        return

    import typer

    from octavus_cli.app import app

    if "--json" not in args:
        app(args=args, prog_name="octavus")
        return
    try:
        result = app(args=args, prog_name="octavus", standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.TyperException as exc:
        document = {"error": exc.format_message(), "code": USAGE_ERROR_CODE}
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
        sys.exit(2)
    sys.exit(result if isinstance(result, int) else 0)


if __name__ == "__main__":
    main()
