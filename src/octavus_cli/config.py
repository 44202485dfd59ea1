"""Environment files, API keys and the base URL (CONTRACT section 1).

Keys are looked up per command family, first variable first:

==============  ===========================================
management      OCTAVUS_CLI_API_KEY, then OCTAVUS_API_KEY
run             OCTAVUS_API_KEY, then OCTAVUS_CLI_API_KEY
workforce       OCTAVUS_AGENT_KEY, then OCTAVUS_API_KEY
==============  ===========================================

A key is a secret: it is never printed, logged or put into a message; errors
name the variable it came from instead.
"""

from __future__ import annotations

import io
import ipaddress
from collections.abc import Mapping
from enum import Enum
from pathlib import Path
from urllib.parse import urlsplit

from octavus_cli.errors import ConfigError
from octavus_cli.records import field, record

DEFAULT_API_URL = "https://octavus.ai"
URL_VARIABLE = "OCTAVUS_API_URL"
INSECURE_OPT_OUT_VARIABLE = "OCTAVUS_ALLOW_INSECURE_HTTP"
DEBUG_VARIABLE = "OCTAVUS_DEBUG"
TIMEOUT_VARIABLE = "OCTAVUS_TIMEOUT"
MAX_TIMEOUT_SECONDS = 3600.0
DEFAULT_ENV_FILE = ".env"


class Family(Enum):
    """Command families; each looks up its key in its own order."""

    MANAGEMENT = "management"
    RUN = "run"
    WORKFORCE = "workforce"


KEY_VARIABLES: dict[Family, tuple[str, ...]] = {
    Family.MANAGEMENT: ("OCTAVUS_CLI_API_KEY", "OCTAVUS_API_KEY"),
    Family.RUN: ("OCTAVUS_API_KEY", "OCTAVUS_CLI_API_KEY"),
    Family.WORKFORCE: ("OCTAVUS_AGENT_KEY", "OCTAVUS_API_KEY"),
}

# Where a missing key comes from, when it is not a project key (the default hint).
KEY_ORIGIN: dict[Family, str] = {
    Family.WORKFORCE: "Create a key in the agent's Settings → API in the Octavus dashboard "
    "(it starts with oct_agt_), then ",
}


@record
class Credentials:
    """Where to send requests and with which bearer token."""

    base_url: str
    key: str = field(repr=False)
    source: str  # the variable (or option) the key came from, safe to print

    def __repr__(self) -> str:
        return f"Credentials(base_url={self.base_url!r}, key=<hidden>, source={self.source!r})"


def read_env_file(
    path: str | None, *, cwd: Path | None = None
) -> tuple[Path | None, dict[str, str]]:
    """The file loaded (if any) and its variables; ``os.environ`` is left alone.

    ``path`` is the value of ``--env``; when it is ``None`` the default ``.env``
    of the current folder is read if it exists. An explicit file that is missing
    or cannot be parsed is a :class:`ConfigError`.
    """
    explicit = path is not None
    env_path = Path(path) if path is not None else (cwd or Path.cwd()) / DEFAULT_ENV_FILE
    if not env_path.is_file():
        if explicit:
            what = "is a folder, not a file" if env_path.is_dir() else "does not exist"
            raise ConfigError(
                f"Environment file {env_path} {what}",
                hint="Check the path given to --env, or leave --env out to use ./.env.",
            )
        return None, {}
    try:
        text = env_path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"Environment file {env_path} is not valid UTF-8 (byte {exc.start})",
            hint="Save the file as UTF-8.",
        ) from None
    except OSError as exc:
        raise ConfigError(f"Cannot read environment file {env_path}: {exc.strerror}") from None
    # Imported only when there is a file to read: most runs have none (start-up time).
    from dotenv import dotenv_values
    from dotenv.parser import parse_stream

    bad = [binding for binding in parse_stream(io.StringIO(text)) if binding.error]
    if bad:
        line = bad[0].original.line
        raise ConfigError(
            f"Cannot parse environment file {env_path}: line {line} is not KEY=VALUE",
            hint="Each line must be KEY=VALUE, a comment starting with #, or empty.",
            details={"file": str(env_path), "line": line},
        )
    values = dotenv_values(stream=io.StringIO(text), interpolate=True)
    return env_path, {name: value for name, value in values.items() if value is not None}


def is_loopback_host(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(
        ".localhost"
    ):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def resolve_base_url(env: Mapping[str, str]) -> str:
    """The platform URL from ``OCTAVUS_API_URL`` (default https://octavus.ai)."""
    raw = (env.get(URL_VARIABLE) or "").strip() or DEFAULT_API_URL
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"{URL_VARIABLE} must be an http(s) URL such as https://octavus.ai, got {raw!r}",
            hint=f"Fix {URL_VARIABLE}, or unset it to use {DEFAULT_API_URL}.",
        )
    if parts.query or parts.fragment:
        raise ConfigError(
            f"{URL_VARIABLE} must not carry a query or fragment, got {raw!r}",
            hint="Give only scheme, host, port and an optional path prefix.",
        )
    return raw.rstrip("/")


def check_transport_security(base_url: str, env: Mapping[str, str]) -> None:
    """Refuse to send a key over plain http to a host that is not loopback."""
    parts = urlsplit(base_url)
    if parts.scheme == "https" or is_loopback_host(parts.hostname or ""):
        return
    if env.get(INSECURE_OPT_OUT_VARIABLE, "").strip().lower() in ("1", "true", "yes"):
        return
    raise ConfigError(
        f"Refusing to send an API key over plain http to {parts.hostname}: "
        "anyone on the network path could read it",
        hint=(
            f"Use https in {URL_VARIABLE}. Plain http is allowed for loopback hosts "
            f"(the local emulator); to allow it anyway set {INSECURE_OPT_OUT_VARIABLE}=1."
        ),
    )


def resolve_credentials(
    family: Family,
    env: Mapping[str, str],
    *,
    token: str | None = None,
    token_source: str | None = None,
) -> Credentials:
    """Find the key for ``family`` and the base URL, or raise :class:`ConfigError`.

    ``token`` (with a ``token_source`` label) replaces the key lookup, for example
    with a GitHub Actions OIDC token.
    """
    base_url = resolve_base_url(env)
    if token is not None:
        key, source = token, token_source or "token"
    else:
        names = KEY_VARIABLES[family]
        found = next(((name, env[name]) for name in names if env.get(name, "").strip()), None)
        if found is None:
            listed = " or ".join(names)
            origin = KEY_ORIGIN.get(family)
            hint = (
                f"Export {names[0]}=... in your shell, put it in a .env file, or pass "
                "--env FILE before the command."
                if origin is None
                else f"{origin}export {names[0]}=... or put it in .env."
            )
            raise ConfigError(f"No API key found. Set {listed}", hint=hint)
        source, key = found[0], found[1].strip()
    check_transport_security(base_url, env)
    return Credentials(base_url=base_url, key=key, source=source)


def request_timeout(env: Mapping[str, str]) -> float | None:
    """``OCTAVUS_TIMEOUT`` in seconds (connect and each read), or None when unset."""
    raw = env.get(TIMEOUT_VARIABLE, "").strip()
    if not raw:
        return None
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= MAX_TIMEOUT_SECONDS:
        raise ConfigError(
            f"{TIMEOUT_VARIABLE} must be a number of seconds between 0 and "
            f"{MAX_TIMEOUT_SECONDS:g}, got {raw!r}",
            hint=f"For example {TIMEOUT_VARIABLE}=30, or unset it for the defaults.",
        )
    return seconds
