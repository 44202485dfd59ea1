"""Routes, requests and responses, independent of the HTTP server.

API modules register handlers ``(request, params) -> JsonResponse | StreamResponse``
on a :class:`Router`; each route says which kind of key it needs (``project`` or
``agent``). Handlers raise :class:`~octavus_cli.emulator.problems.ApiProblem`
for errors and never touch the socket: a :class:`StreamResponse` hands the server
a producer that writes events to an :class:`~octavus_cli.emulator.sse.SseStream`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal
from urllib.parse import unquote

from octavus_cli.emulator.auth import Principal
from octavus_cli.emulator.problems import ApiProblem
from octavus_cli.emulator.sse import SseStream
from octavus_cli.records import field, record

Scope = Literal["project", "agent"]


@record
class RawBody:
    """A body that is not JSON (a multipart upload): its type and bytes."""

    content_type: str
    data: bytes = field(repr=False)


@record(frozen=False)
class ApiRequest:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    principal: Principal
    trace: bool = False  # X-Octavus-Trace: true (model request tracing)

    def json_object(self) -> dict[str, Any]:
        """The body as an object (an absent body reads as ``{}``)."""
        if self.body is None:
            return {}
        if not isinstance(self.body, dict):
            raise ApiProblem(400, "BAD_REQUEST", "The request body must be a JSON object")
        return self.body


@record(frozen=False)
class JsonResponse:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


@record(frozen=False)
class StreamResponse:
    """An event stream. ``produce`` writes the events; ``release`` always runs after it."""

    produce: Callable[[SseStream], None]
    release: Callable[[], None] = lambda: None


Response = JsonResponse | StreamResponse
Handler = Callable[[ApiRequest, dict[str, str]], Response]
# What the request log keeps of a body (e.g. secret names without their values).
LogBody = Callable[[Any], Any]


@record
class Route:
    method: str
    template: str
    pattern: re.Pattern[str]
    handler: Handler
    scope: Scope
    log_body: LogBody | None = None


def _compile(template: str) -> re.Pattern[str]:
    regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
    return re.compile(f"^{regex}/?$")


class Router:
    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(
        self,
        method: str,
        template: str,
        handler: Handler,
        *,
        scope: Scope = "project",
        log_body: LogBody | None = None,
    ) -> None:
        self.routes.append(Route(method, template, _compile(template), handler, scope, log_body))

    def loggable(self, method: str, path: str, body: Any) -> Any:
        """What the request log may keep of ``body`` for ``method path``."""
        for route in self.routes:
            if route.method == method and route.pattern.match(path):
                if route.log_body is not None:
                    return route.log_body(body)
                break
        if isinstance(body, RawBody):
            return {"contentType": body.content_type, "size": len(body.data)}
        return body

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        """The route for ``method path`` and its URL-decoded parameters, or a 404/405."""
        allowed: list[str] = []
        for route in self.routes:
            found = route.pattern.match(path)
            if found is None:
                continue
            if route.method != method:
                allowed.append(route.method)
                continue
            return route, {k: unquote(v) for k, v in found.groupdict().items()}
        if allowed:
            raise ApiProblem(
                405,
                "METHOD_NOT_ALLOWED",
                f"{method} is not allowed on {path}; use {', '.join(sorted(set(allowed)))}",
                headers={"Allow": ", ".join(sorted(set(allowed)))},
            )
        raise ApiProblem(404, "NOT_FOUND", f"No endpoint {method} {path} on the Octavus emulator")
