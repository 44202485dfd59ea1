"""octavus-cli: validate, sync and run Octavus agents from the terminal."""

from __future__ import annotations

DISTRIBUTION = "octavus-cli"
# The one place the version is written: pyproject.toml reads it from here (setuptools
# dynamic metadata), so the installed metadata always agrees. A constant rather than an
# importlib.metadata lookup, which costs 5-40 ms of start-up (issue 15: every request
# sends it in the User-Agent, and `octavus --version` prints it).
__version__ = "0.1.0"


def package_version() -> str:
    """The version of this package (the installed distribution's, see ``__version__``)."""
    return __version__


def version_line() -> str:
    return f"{DISTRIBUTION} {package_version()}"
