"""API errors and the two documented error body shapes (CONTRACT section 4).

Handlers raise :class:`ApiProblem`; the server turns it into a status, headers
and a body in the configured shape:

* ``flat`` (default, what the official CLI reads): ``{"error": "message", "code": "X"}``
* ``nested``: ``{"error": {"code": "X", "message": "message"}}``
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

ErrorShape = Literal["flat", "nested"]
ERROR_SHAPES: tuple[ErrorShape, ...] = ("flat", "nested")


class ApiProblem(Exception):
    """An error answer: HTTP status, machine code, message, extra headers and fields."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers: dict[str, str] = dict(headers or {})
        self.extra: dict[str, Any] = dict(extra or {})


def error_body(problem: ApiProblem, shape: ErrorShape) -> dict[str, Any]:
    """The JSON body of ``problem`` in ``shape``; extra fields ride along."""
    if shape == "nested":
        inner: dict[str, Any] = {"code": problem.code, "message": problem.message}
        inner.update(problem.extra)
        return {"error": inner}
    body: dict[str, Any] = {"error": problem.message, "code": problem.code}
    body.update(problem.extra)
    return body


def bad_request(message: str, code: str = "BAD_REQUEST", **extra: Any) -> ApiProblem:
    return ApiProblem(400, code, message, extra=extra)


def not_found(message: str, code: str = "NOT_FOUND") -> ApiProblem:
    return ApiProblem(404, code, message)


def forbidden(message: str) -> ApiProblem:
    return ApiProblem(403, "FORBIDDEN", message)


def conflict(message: str) -> ApiProblem:
    return ApiProblem(409, "CONFLICT", message)


def retry_later(status: int, code: str, message: str, retry_after: float) -> ApiProblem:
    """A 429/503 with a ``Retry-After`` header in whole seconds."""
    seconds = max(0, int(retry_after + 0.999))
    return ApiProblem(status, code, message, headers={"Retry-After": str(seconds)})
