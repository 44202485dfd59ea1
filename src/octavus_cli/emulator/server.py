"""The HTTP side: the standard library's threading server, bound to 127.0.0.1.

``http.server`` parses requests (no hand-written HTTP parsing); this module reads
the JSON body, authenticates, records the request, applies the request faults,
routes, and writes a JSON answer or an event stream. JSON answers keep the
connection alive (HTTP/1.1 with ``Content-Length``); event streams end with the
connection (``Connection: close``), so a cut stream is simply a close.
"""

from __future__ import annotations

import contextlib
import json
import select
import socket
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from octavus_cli.emulator.auth import INVALID_LABEL, Principal, bearer_token
from octavus_cli.emulator.problems import ApiProblem, error_body
from octavus_cli.emulator.recording import RecordedRequest
from octavus_cli.emulator.routing import ApiRequest, JsonResponse, Response, StreamResponse
from octavus_cli.emulator.sse import SseStream, StreamClosed

if TYPE_CHECKING:
    from octavus_cli.emulator.core import Emulator

HOST = "127.0.0.1"
MAX_BODY_BYTES = 10 * 1024 * 1024


class EmulatorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, emulator: Emulator, port: int) -> None:
        self.emulator = emulator
        self._connections: set[socket.socket] = set()
        self._handlers: set[threading.Thread] = set()
        self._connections_lock = threading.Lock()
        super().__init__((HOST, port), EmulatorRequestHandler)

    def process_request(self, request: Any, client_address: Any) -> None:
        """One daemon thread per connection, tracked so :meth:`join_handlers` can wait."""
        thread = threading.Thread(
            target=self._handle_connection,
            args=(request, client_address),
            name="emulator-request",
            daemon=True,
        )
        with self._connections_lock:
            self._connections.add(request)
            self._handlers.add(thread)
        thread.start()

    def _handle_connection(self, request: Any, client_address: Any) -> None:
        try:
            self.process_request_thread(request, client_address)
        finally:
            with self._connections_lock:
                self._handlers.discard(threading.current_thread())

    def join_handlers(self, timeout: float) -> None:
        """Wait (up to ``timeout`` seconds in all) for the connection threads to end."""
        deadline = time.monotonic() + timeout
        with self._connections_lock:
            handlers = list(self._handlers)
        for thread in handlers:
            thread.join(max(0.0, deadline - time.monotonic()))

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Close every open client connection (idle keep-alives, open streams)."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-answer is normal; anything else goes to the log."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        self.emulator.log(f"emulator: connection error:\n{traceback.format_exc()}")


class EmulatorRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "OctavusEmulator/1"
    server: EmulatorHTTPServer

    def setup(self) -> None:
        super().setup()
        # Headers and body are separate writes: without this, Nagle's algorithm and
        # delayed ACKs add ~40 ms to every answer on a kept-alive connection.
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default access log (the emulator has its own)."""

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    # -- one request ---------------------------------------------------------------------
    def _dispatch(self) -> None:
        emulator = self.server.emulator
        url = urlsplit(self.path)
        record = RecordedRequest(
            method=self.command,
            path=url.path,
            query=dict(parse_qsl(url.query, keep_blank_values=True)),
            user_agent=self.headers.get("User-Agent"),
            content_type=self.headers.get("Content-Type"),
        )
        emulator.requests_log.add(record)
        response: Response
        try:
            record.body = self._read_body()
            principal = self._authenticate(record)
            delay = emulator.faults.request_latency(url.path)
            if delay > 0 and emulator.stopping.wait(delay):
                raise ApiProblem(503, "SERVICE_UNAVAILABLE", "The emulator is stopping")
            fault = emulator.faults.before_request(url.path)
            if fault is not None:
                raise fault
            if principal is None:
                raise self._unauthorized(record)
            route, params = emulator.router.match(self.command, url.path)
            self._check_scope(route.scope, principal)
            request = ApiRequest(self.command, url.path, record.query, record.body, principal)
            response = route.handler(request, params)
        except ApiProblem as problem:
            response = JsonResponse(
                problem.status, error_body(problem, emulator.error_shape), problem.headers
            )
        except Exception as exc:
            emulator.log(f"emulator: {self.command} {url.path} failed:\n{traceback.format_exc()}")
            internal = ApiProblem(500, "INTERNAL_ERROR", f"Internal emulator error: {exc}")
            response = JsonResponse(500, error_body(internal, emulator.error_shape))
        if isinstance(response, StreamResponse):
            record.status = 200
            self._stream(response)
            emulator.notify(record)
        else:
            # Noted before the answer leaves, so a client that has its answer can rely on
            # the request being in the log (tests read it right after the CLI returns).
            record.status = response.status
            emulator.notify(record)
            self._send_json(response)

    def _read_body(self) -> Any:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self.close_connection = True
            raise ApiProblem(411, "LENGTH_REQUIRED", "Send the body with a Content-Length header")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True
            raise ApiProblem(400, "BAD_REQUEST", "Content-Length is not a number") from None
        if length > MAX_BODY_BYTES:
            self.close_connection = True
            raise ApiProblem(413, "PAYLOAD_TOO_LARGE", "The request body is too large")
        raw = self.rfile.read(length) if length > 0 else b""
        if not raw.strip():
            return None
        try:
            return json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ApiProblem(
                400, "BAD_REQUEST", f"The request body is not valid JSON: {exc}"
            ) from None

    def _authenticate(self, record: RecordedRequest) -> Principal | None:
        token = bearer_token(self.headers.get("Authorization"))
        if token is None:
            return None
        principal = self.server.emulator.keyring.identify(token)
        record.key = principal.label if principal else INVALID_LABEL
        return principal

    def _unauthorized(self, record: RecordedRequest) -> ApiProblem:
        if record.key == INVALID_LABEL:
            return ApiProblem(401, "UNAUTHORIZED", "Invalid API key")
        return ApiProblem(
            401, "UNAUTHORIZED", "Missing API key: send the header Authorization: Bearer <key>"
        )

    @staticmethod
    def _check_scope(scope: str, principal: Principal) -> None:
        if scope == "agent" and principal.kind != "agent":
            raise ApiProblem(
                403,
                "FORBIDDEN",
                "The Workforce API needs the agent's own API key (OCTAVUS_AGENT_KEY); "
                "a project key cannot drive a Workforce agent",
            )
        if scope == "project" and principal.kind != "project":
            raise ApiProblem(
                403,
                "FORBIDDEN",
                "An agent key only works with the Workforce API of its own agent",
            )

    # -- writing -------------------------------------------------------------------------
    def _send_json(self, response: JsonResponse) -> None:
        payload = json.dumps(response.body, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(payload)
            self.wfile.flush()
        except OSError:
            self.close_connection = True

    def _write(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()

    def _stream(self, response: StreamResponse) -> None:
        emulator = self.server.emulator
        faults = emulator.faults
        self.close_connection = True
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("X-Accel-Buffering", "no")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.flush()
            if faults.silent_stream:
                response.release()  # nothing runs, so the session is not kept busy
                self._stay_silent(faults.silent_seconds)
                return
            stream = SseStream(
                self._write,
                heartbeat_interval=emulator.heartbeat_interval,
                stopping=emulator.stopping,
                cut_after=faults.cut_stream_after,
                malformed=faults.malformed_sse,
            )
            stream.open()
            try:
                response.produce(stream)
            except StreamClosed:
                pass
            finally:
                stream.close()
        except OSError:
            pass
        finally:
            response.release()

    def _stay_silent(self, seconds: float) -> None:
        """Hold the stream open without a byte until time is up or the client leaves."""
        deadline = time.monotonic() + seconds
        stopping = self.server.emulator.stopping
        while not stopping.is_set() and time.monotonic() < deadline:
            readable, _, _ = select.select([self.connection], [], [], 0.1)
            if readable:
                try:
                    if not self.connection.recv(1, socket.MSG_PEEK):
                        return  # the client closed the connection
                except OSError:
                    return
                stopping.wait(0.1)  # the client sent something; keep ignoring it
