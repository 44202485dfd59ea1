"""Secret values from the skill's ``.env.<environment>`` or ``.env`` file.

Values live only in :class:`SecretValues`, whose ``repr`` shows names: a value
is never printed, logged, put in an error or written anywhere but the body of
the secrets request.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from octavus_cli.records import field, record

SECRET_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")
ENV_FILE = ".env"


class SecretValues:
    """Names and values; only the names are ever shown."""

    def __init__(self, values: dict[str, str]) -> None:
        self._values = dict(values)

    @property
    def names(self) -> list[str]:
        return list(self._values)

    def value(self, name: str) -> str:
        return self._values[name]

    def without(self, names: Iterable[str]) -> SecretValues:
        dropped = set(names)
        return SecretValues({k: v for k, v in self._values.items() if k not in dropped})

    def request_body(self) -> dict[str, dict[str, str]]:
        """``{secrets: {NAME: value}}``: the one place values leave this object."""
        return {"secrets": dict(self._values)}

    def all_values(self) -> list[str]:
        return list(self._values.values())

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"SecretValues(names={self.names!r})"

    __str__ = __repr__


@record(frozen=False)
class SecretsFile:
    """The chosen file (or none), its secrets and what looks wrong about them."""

    path: Path | None
    values: SecretValues
    undeclared: list[str] = field(default_factory=list)
    missing_required: list[str] = field(default_factory=list)
    invalid_names: list[str] = field(default_factory=list)
    note: str | None = None  # e.g. the environment's file was absent, .env used


def choose_env_file(root: Path, environment: str | None) -> tuple[Path | None, str | None]:
    """``.env.<environment>`` when given and present, else ``.env``; and a note."""
    if environment:
        specific = root / f"{ENV_FILE}.{environment}"
        if specific.is_file():
            return specific, None
        fallback = root / ENV_FILE
        if fallback.is_file():
            return fallback, f"{specific.name} not found; using {ENV_FILE}"
        return None, f"neither {specific.name} nor {ENV_FILE} found; no secrets to push"
    plain = root / ENV_FILE
    return (plain, None) if plain.is_file() else (None, None)


def read_values(path: Path) -> dict[str, str]:
    """Parse a dotenv file (no variable expansion: a value is sent as written)."""
    from dotenv import dotenv_values

    parsed = dotenv_values(path, interpolate=False, encoding="utf-8")
    return {name: value or "" for name, value in parsed.items()}


def load_secrets(
    root: Path, environment: str | None, declared: list[str], required: list[str]
) -> SecretsFile:
    """The secrets to push, checked against the declarations in SKILL.md."""
    path, note = choose_env_file(root, environment)
    values = read_values(path) if path is not None else {}
    invalid = [name for name in values if not SECRET_NAME.match(name)]
    secrets = SecretValues({k: v for k, v in values.items() if k not in invalid})
    undeclared = [n for n in secrets.names if n not in declared]
    missing = [n for n in required if not values.get(n)]
    return SecretsFile(path, secrets, undeclared, missing, invalid, note)


def secret_values_in_folder(root: Path) -> list[str]:
    """Every value of every ``.env*`` file at the folder's top (for the leak check)."""
    found: list[str] = []
    if not root.is_dir():
        return found
    for path in sorted(root.iterdir()):
        if path.name.startswith(ENV_FILE) and path.is_file() and not path.is_symlink():
            try:
                found.extend(read_values(path).values())
            except (OSError, UnicodeDecodeError):
                continue
    return found
