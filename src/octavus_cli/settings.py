"""The configuration of one command: read once, then passed down.

The error handler builds :class:`Settings` before the command body runs: the
process environment with the ``--env`` file (default ``./.env``) under it
(variables already set win), and ``--debug`` or ``OCTAVUS_DEBUG``. Nothing writes
``os.environ``; keys, the URL, timeouts, tracing, the environment of tool
processes and proxies are all read from :attr:`Settings.env`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from octavus_cli.config import (
    DEBUG_VARIABLE,
    Credentials,
    Family,
    read_env_file,
    request_timeout,
    resolve_base_url,
    resolve_credentials,
)
from octavus_cli.records import field, record

TRACE_VARIABLE = "OCTAVUS_TRACE"
_TRUE = ("1", "true", "yes")


def _flag(value: str | None, true: tuple[str, ...] = _TRUE) -> bool:
    return (value or "").strip().lower() in true


@record
class Settings:
    """What a command may read of its environment (keys stay out of ``repr``)."""

    env: Mapping[str, str] = field(repr=False)
    env_file: Path | None = None  # the file loaded, if any
    debug: bool = False

    @classmethod
    def load(
        cls,
        env_file: str | None = None,
        *,
        debug: bool = False,
        environ: Mapping[str, str] | None = None,
        cwd: Path | None = None,
    ) -> Settings:
        """The settings of a command: ``environ`` (default the process's) over the env file.

        An explicit ``env_file`` that is missing or unparsable is a ConfigError.
        """
        process = dict(os.environ if environ is None else environ)
        loaded, values = read_env_file(env_file, cwd=cwd)
        env = {**values, **process}
        return cls(env, loaded, debug or _flag(env.get(DEBUG_VARIABLE)))

    @classmethod
    def from_environ(cls) -> Settings:
        """The process environment only, no env file (shell completion, library use)."""
        env = dict(os.environ)
        return cls(env, None, _flag(env.get(DEBUG_VARIABLE)))

    @property
    def base_url(self) -> str:
        return resolve_base_url(self.env)

    def credentials(
        self, family: Family, *, token: str | None = None, token_source: str | None = None
    ) -> Credentials:
        """The key of ``family`` (or ``token``) and the base URL; ConfigError when missing."""
        return resolve_credentials(family, self.env, token=token, token_source=token_source)

    @property
    def timeout(self) -> float | None:
        """``OCTAVUS_TIMEOUT`` in seconds, or None for the defaults."""
        return request_timeout(self.env)

    @property
    def trace(self) -> bool:
        """``OCTAVUS_TRACE=1`` (or true/yes/on): trace the model requests of a run."""
        return _flag(self.env.get(TRACE_VARIABLE), (*_TRUE, "on"))
