"""What the tool commands report: config, rules, schema, init, token, emulator, --watch."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from octavus_cli.output.results import Result
from octavus_cli.records import record

if TYPE_CHECKING:
    from octavus_cli.output.emitter import Emitter
    from octavus_cli.output.results import ValidationReport
    from octavus_cli.protocol.registry import Rule


@record
class Configuration(Result):
    """Where the keys and URL come from (``config``): the document, never a key."""

    info: Mapping[str, Any]

    def emit_to(self, emitter: Emitter) -> None:
        emitter.configuration(self)


@record
class RuleList(Result):
    """Every validation rule (``rules``)."""

    rules: Sequence[Rule]

    def emit_to(self, emitter: Emitter) -> None:
        emitter.rule_list(self)


@record
class RuleExplained(Result):
    """One rule and its documentation, Markdown (``rules OCT201``)."""

    rule: Rule
    doc: str

    def emit_to(self, emitter: Emitter) -> None:
        emitter.rule_explained(self)


@record
class Scaffolded(Result):
    """A new agent or skill folder (``init``): its files, relative, with ``/``."""

    root: Path
    kind: str  # interactive, worker or skill
    slug: str
    files: Sequence[str]

    def emit_to(self, emitter: Emitter) -> None:
        emitter.scaffolded(self)


@record
class TokenMinted(Result):
    """A session token (``token mint``); ``scope`` says what it is for, for a person."""

    token: str
    jti: str | None
    expires_at: str | None
    scope: str

    def __repr__(self) -> str:  # never show the token in a traceback or a debugger
        return f"TokenMinted(jti={self.jti!r}, expires_at={self.expires_at!r})"

    def emit_to(self, emitter: Emitter) -> None:
        emitter.token_minted(self)


@record
class TokenRevoked(Result):
    """A token revocation (``token revoke``); ``revoked`` is False for an unknown token."""

    revoked: bool
    jti: str | None

    def emit_to(self, emitter: Emitter) -> None:
        emitter.token_revoked(self)


@record
class EmulatorStarted(Result):
    """A running emulator (``emulator``): where to connect and which keys to use.

    ``lines``: the URL line and the ``export`` lines a user pastes into a shell.
    """

    url: str
    env: Mapping[str, str]
    agent_keys: Mapping[str, str]
    data: str | None
    key_reused: bool
    key_kept: bool
    lines: Sequence[str]

    def emit_to(self, emitter: Emitter) -> None:
        emitter.emulator_started(self)


@record
class WatchRound(Result):
    """One run of ``validate --watch``: the report, and the time it ran (``HH:MM:SS``)."""

    report: ValidationReport
    time: str

    def emit_to(self, emitter: Emitter) -> None:
        emitter.watch_round(self)


@record
class SchemaDocument(Result):
    """A JSON Schema (``schema``), as text: the same document whatever the format."""

    text: str

    def emit_to(self, emitter: Emitter) -> None:
        emitter.schema_document(self)
