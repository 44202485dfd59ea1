"""The error taxonomy of the CLI and its exit codes, in one place.

Every failure a user can meet is one of these classes. Commands raise them; the one
handler in :mod:`octavus_cli.error_handler` turns them into output (human text or a JSON
document with the official ``{error, code}`` shape) and an exit code.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from octavus_cli.protocol.diagnostics import Diagnostic


class ExitCode(IntEnum):
    """Process exit codes, shared by every command (see the README's table)."""

    OK = 0
    FAILURE = 1  # validation errors, API errors, failed runs
    USAGE = 2  # configuration or usage error: nothing was attempted
    TIMED_OUT = 3  # workforce wait gave up while the run goes on
    CHANGES_PENDING = 4  # sync --dry-run --exit-code: some agent would be created or updated
    INTERRUPTED = 130  # Ctrl-C


class OctavusError(Exception):
    """Base class: a failure with a message a user can act on.

    ``hint`` says what to do next; ``details`` are extra fields added to the JSON
    error document (never secrets).
    """

    code: ClassVar[str] = "UNKNOWN"
    exit_code: ClassVar[int] = ExitCode.FAILURE

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details: dict[str, Any] = dict(details or {})

    def to_json(self) -> dict[str, Any]:
        """The official ``{error, code}`` document, plus our extra fields."""
        doc: dict[str, Any] = {"error": self.message, "code": self.code}
        if self.hint:
            doc["hint"] = self.hint
        doc.update(self.details)
        return doc


class ConfigError(OctavusError):
    """Missing key, bad URL, unreadable env file, bad usage: nothing was attempted."""

    code = "CONFIG_ERROR"
    exit_code = ExitCode.USAGE


class AgentFileError(OctavusError):
    """An agent folder cannot be read: the file is named, with a position if known."""

    code = "FILE_ERROR"

    def __init__(
        self,
        message: str,
        *,
        file: Path | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
        diagnostics: list[Diagnostic] | None = None,
    ) -> None:
        details: dict[str, Any] = {}
        if file is not None:
            details["file"] = str(file)
        if line is not None:
            details["line"] = line
        if column is not None:
            details["column"] = column
        super().__init__(message, hint=hint, details=details)
        self.file = file
        self.line = line
        self.column = column
        # Every problem found, as diagnostics (validate reports them all).
        self.diagnostics: list[Diagnostic] = list(diagnostics or [])


class ValidationFailed(OctavusError):
    """An agent definition has errors (or warnings under ``--strict``)."""

    code = "VALIDATION_ERROR"


class ApiError(OctavusError):
    """The platform answered with an error, or could not be reached."""

    code = "API_ERROR"

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        api_code: str | None = None,
        hint: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        details: dict[str, Any] = {}
        if status is not None:
            details["status"] = status
        if api_code is not None:
            details["apiCode"] = api_code
        super().__init__(message, hint=hint, details=details)
        self.status = status
        self.api_code = api_code
        self.retry_after = retry_after


class NotFoundError(ApiError):
    """The agent, session or thread asked for does not exist."""

    code = "NOT_FOUND"


class SessionExpired(ApiError):
    """The session has expired (or was cleared); it can be restored from its messages."""

    code = "SESSION_EXPIRED"


class WaitTimedOut(OctavusError):
    """We stopped waiting; the work goes on server-side."""

    code = "TIMEOUT"
    exit_code = ExitCode.TIMED_OUT


class Interrupted(OctavusError):
    """The user pressed Ctrl-C."""

    code = "INTERRUPTED"
    exit_code = ExitCode.INTERRUPTED


class RunFailed(OctavusError):
    """A Workforce run ended as failed or cancelled."""

    code = "RUN_FAILED"


class Declined(OctavusError):
    """The user answered no to a confirmation: nothing was done."""

    code = "CANCELLED"


class UnexpectedError(OctavusError):
    """A bug or an unforeseen condition; the traceback is shown with --debug."""

    code = "UNKNOWN"
