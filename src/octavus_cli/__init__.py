"""octavus-cli: validate, sync and run Octavus agents from the terminal."""

from __future__ import annotations

DISTRIBUTION = "octavus-cli"


def package_version() -> str:
    """The installed distribution's version (``0+unknown`` when not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "0+unknown"


def version_line() -> str:
    return f"{DISTRIBUTION} {package_version()}"
