"""The one HTTP layer for the platform: auth, user agent, timeouts, retries, errors.

Retry policy (CONTRACT section 4, the official SDK's floor): 408, 429, 502, 503,
504, ``SESSION_BUSY`` (whether answered 409 or 429) and connection failures are
retried up to twice; ``Retry-After`` (seconds or an HTTP date) is honoured but
clamped to 8 s, and waited up to 25 % longer (jitter, so that parallel workers
told the same value do not collide again); otherwise exponential backoff from
1 s to 8 s with +-25 % jitter. A host name that does not resolve is not retried.
A write that is not idempotent is retried only when it certainly did not reach
the server (the connection was never made, or the server answered 429/503 or
busy); otherwise the error is raised with ``ambiguous=True`` so the caller can
re-read before deciding. A write that was retried and still failed after it may
have been received is flagged ``ambiguous`` too.

Every wait goes through ``sleep`` (default: :func:`octavus_cli.pacing.pace_sleep`).

Proxies and CA bundles come from the environment (``HTTPS_PROXY``, ``NO_PROXY``,
``SSL_CERT_FILE``, ``SSL_CERT_DIR``, and ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE``).
"""

from __future__ import annotations

import email.utils
import json
import os
import platform
import random
import socket
import ssl
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from octavus_cli import package_version
from octavus_cli.config import Credentials
from octavus_cli.debug_log import debug_logger, debug_on
from octavus_cli.errors import ApiError, NotFoundError
from octavus_cli.pacing import pace_sleep
from octavus_cli.records import field, record

RETRY_STATUSES = frozenset({408, 429, 502, 503, 504})
# Statuses that say the server did not act on the request, so a write may be resent.
NOT_PROCESSED_STATUSES = frozenset({429, 503})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Statuses after which a write may have been applied (the server may have acted).
MAYBE_APPLIED_STATUSES = frozenset({408, 502, 504})
SESSION_BUSY = "SESSION_BUSY"
MAX_ERROR_TEXT = 300
# The default timeouts (seconds): to connect, per read, and for the rest.
CONNECT_SECONDS = 10.0
READ_SECONDS = 60.0
DEFAULT_SECONDS = 30.0


@record
class RetryPolicy:
    max_retries: int = 2
    base_delay: float = 1.0
    max_delay: float = 8.0
    jitter: float = 0.25

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Delay before retry number ``attempt`` (0-based) without a Retry-After."""
        delay = min(self.max_delay, self.base_delay * (2**attempt))
        return float(delay * rng.uniform(1 - self.jitter, 1 + self.jitter))

    def after(self, retry_after: float, rng: random.Random) -> float:
        """Delay for a ``Retry-After``: clamped, never sooner, up to ``jitter`` later."""
        return float(min(self.max_delay, retry_after) * rng.uniform(1, 1 + self.jitter))


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


def expect_object(value: Any, what: str) -> dict[str, Any]:
    """A JSON answer that must be an object; :class:`ApiError` naming ``what`` otherwise."""
    if not isinstance(value, dict):
        raise ApiError(f"The platform answered {what} with an unexpected body (not an object)")
    return value


def path_segment(value: str) -> str:
    """URL-encode one path segment (slugs, ids, thread ids)."""
    return quote(value, safe="")


def user_agent() -> str:
    return (
        f"octavus-cli/{package_version()} (Python {platform.python_version()}; "
        f"{sys.platform}) httpx/{httpx.__version__}"
    )


def _variable(env: Mapping[str, str], name: str) -> str:
    """A proxy variable, lower case first (as curl and urllib read them)."""
    return (env.get(name.lower()) or env.get(name.upper()) or "").strip()


def _bypassed(host: str, port: int | None, no_proxy: str) -> bool:
    """Whether ``NO_PROXY`` (hosts, domain suffixes, ``host:port``, ``*``) names ``host``."""
    for raw in no_proxy.split(","):
        entry = raw.strip().lower()
        if "://" in entry:
            entry = entry.split("://", 1)[1]
        if not entry:
            continue
        if entry == "*":
            return True
        name, _, entry_port = entry.rpartition(":") if entry.count(":") == 1 else (entry, "", "")
        if entry_port and port is not None and entry_port != str(port):
            continue
        name = name.lstrip("*").lstrip(".").strip("[]")
        if host == name or host.endswith("." + name):
            return True
    return False


def proxy_for(url: str, env: Mapping[str, str] | None = None) -> str | None:
    """The proxy for requests to ``url``: ``HTTPS_PROXY``/``HTTP_PROXY`` by scheme, else
    ``ALL_PROXY``, unless ``NO_PROXY`` names the host. Read from ``env`` (the settings'),
    not from ``os.environ``, so that an ``--env`` file may set them."""
    env = os.environ if env is None else env
    parts = urlsplit(url)
    proxy = _variable(env, f"{parts.scheme.lower()}_proxy") or _variable(env, "all_proxy")
    if not proxy:
        return None
    if _bypassed((parts.hostname or "").lower(), parts.port, _variable(env, "no_proxy")):
        return None
    return proxy if "://" in proxy else f"http://{proxy}"


def needs_tls(base_url: str, env: Mapping[str, str] | None = None) -> bool:
    """Whether a client of ``base_url`` (redirects not followed) can ever speak TLS.

    A plain-http origin without a proxy never does, so its client skips loading the
    certificate store (tens of ms at start-up; `octavus run` against the emulator).
    https, or a proxy (which may itself be https), keeps verification.
    """
    return _speaks_tls(base_url, proxy_for(base_url, env))


def _speaks_tls(url: str, proxy: str | None) -> bool:
    """Whether a client of ``url`` through ``proxy`` can speak TLS (see :func:`needs_tls`)."""
    return not url.lower().startswith("http://") or proxy is not None


def verify_from(env: Mapping[str, str]) -> ssl.SSLContext | bool:
    """The CA bundle of ``REQUESTS_CA_BUNDLE``, ``CURL_CA_BUNDLE``, ``SSL_CERT_FILE`` or
    ``SSL_CERT_DIR`` (first set wins), else True: the bundled certificates."""
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"):
        bundle = env.get(name, "").strip()
        if bundle:
            return ssl.create_default_context(cafile=bundle)
    capath = env.get("SSL_CERT_DIR", "").strip()
    if capath:
        return ssl.create_default_context(capath=capath)
    return True


def client_options(url: str, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Proxy and certificate options of an httpx client for ``url``, from ``env``.

    ``trust_env`` is off: httpx would read ``os.environ``, which does not hold the
    variables of an ``--env`` file.
    """
    env = os.environ if env is None else env
    proxy = proxy_for(url, env)
    # No TLS ever on a plain-http client without a proxy: no certificate store to load.
    verify = verify_from(env) if _speaks_tls(url, proxy) else False
    return {"proxy": proxy, "verify": verify, "trust_env": False}


# -- error bodies ----------------------------------------------------------------------


@record
class ErrorBody:
    message: str | None
    code: str | None


def read_error_body(response: httpx.Response) -> ErrorBody:
    """Both documented shapes, ``message`` instead of ``error``, and non-JSON bodies."""
    try:
        data = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        text = " ".join(response.text.split())[:MAX_ERROR_TEXT]
        return ErrorBody(text or None, None)
    if not isinstance(data, dict):
        return ErrorBody(None, None)
    error = data.get("error")
    if isinstance(error, dict):
        message = error.get("message")
        code = error.get("code")
    else:
        message = error if isinstance(error, str) else data.get("message")
        code = data.get("code")
    return ErrorBody(
        message if isinstance(message, str) and message else None,
        code if isinstance(code, str) and code else None,
    )


@record
class ErrorContext:
    """What an error message may say about where the key came from and what it needs."""

    key_source: str
    base_url: str
    permission: str = "the right"


def api_error(
    response: httpx.Response, context: ErrorContext, *, retries: int = 0, what: str | None = None
) -> ApiError:
    """Turn an error response into an :class:`ApiError` with a message that says what to do."""
    status = response.status_code
    body = read_error_body(response)
    detail = body.message or response.reason_phrase or "no details"
    tried = f" after {retries + 1} attempts" if retries else ""
    subject = what or f"{response.request.method} {response.request.url.path}"
    if status == 401:
        return ApiError(
            f"The platform rejected the API key from {context.key_source} (HTTP 401: {detail})",
            status=status,
            api_code=body.code,
            hint=f"Check that {context.key_source} holds a valid key for {context.base_url}.",
        )
    if status == 402:
        return ApiError(
            f"Blocked by a usage or spending limit (HTTP 402: {detail})",
            status=status,
            api_code=body.code,
            hint="Raise or reset the limit in the Octavus dashboard, then try again.",
        )
    if status == 403:
        return ApiError(
            f"The key from {context.key_source} is not allowed to do this (HTTP 403: {detail})",
            status=status,
            api_code=body.code,
            hint=f"Use a key with {context.permission} permission.",
        )
    if status == 404:
        return NotFoundError(
            f"Not found: {subject} (HTTP 404: {detail})", status=status, api_code=body.code
        )
    if status == 413:
        return ApiError(
            f"The platform refused {subject} as too large (HTTP 413: {detail})",
            status=status,
            api_code=body.code,
            hint="Make the upload smaller (leave large data files out), then try again.",
        )
    if status == 429 or is_session_busy(status, body):
        busy = body.code == SESSION_BUSY
        return ApiError(
            f"{'The session is busy' if busy else 'Rate limited'}{tried} (HTTP {status}: {detail})",
            status=status,
            api_code=body.code,
            hint="Wait a little and run the command again.",
            retry_after=parse_retry_after(response.headers.get("retry-after")),
        )
    if status >= 500:
        return ApiError(
            f"The platform had a problem{tried} (HTTP {status}: {detail})",
            status=status,
            api_code=body.code,
            hint="This is on the server side; try again later.",
        )
    return ApiError(
        f"{subject} failed (HTTP {status}: {detail})", status=status, api_code=body.code
    )


def is_session_busy(status: int, body: ErrorBody) -> bool:
    """``SESSION_BUSY``, whichever status carries it (the docs say 409, some answer 429)."""
    return status in (409, 429) and body.code == SESSION_BUSY


def is_name_resolution_failure(exc: BaseException) -> bool:
    """The host name does not resolve (DNS): retrying will not help."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, socket.gaierror):
            return seen.errno != socket.EAI_AGAIN
        seen = seen.__cause__ or seen.__context__
    text = str(exc).lower()
    return any(words in text for words in NAME_FAILURE_WORDS)


NAME_FAILURE_WORDS = (
    "name or service not known",
    "nodename nor servname",
    "no address associated with hostname",
    "getaddrinfo failed",
)


def describe_transport_failure(exc: httpx.TransportError) -> str:
    """What went wrong, in words (never a bare exception class name)."""
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.ConnectError):
        if is_name_resolution_failure(exc):
            return "could not find the host (the name does not resolve)"
        text = str(exc).lower()
        if "refused" in text:
            return "could not connect (connection refused)"
        return "could not connect"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "got no answer (the server closed the connection)"
    if isinstance(exc, httpx.ReadError):
        return "lost the connection while waiting for the answer"
    return f"failed ({type(exc).__name__})"


def transport_error(exc: httpx.TransportError, url: str, *, retries: int) -> ApiError:
    tried = f" after {retries + 1} attempts" if retries else ""
    kind = describe_transport_failure(exc)
    reason = str(exc).strip()
    message = f"Request to {url} {kind}{tried}" + (f": {reason}" if reason else "")
    hint = (
        "Check the host name in OCTAVUS_API_URL."
        if is_name_resolution_failure(exc)
        else "Check OCTAVUS_API_URL and your network (or run `octavus emulator` for a local one)."
    )
    return ApiError(message, hint=hint)


def _mark_ambiguous(error: ApiError) -> None:
    """A write that failed without telling whether it happened: say so, and flag it."""
    error.details["ambiguous"] = True
    note = (
        "The request may have reached the platform before it failed; check the result "
        "before sending it again."
    )
    error.hint = f"{note} {error.hint}" if error.hint else note


# -- the client -------------------------------------------------------------------------


@record(frozen=False)
class PlatformClient:
    """An authenticated client for one base URL and key."""

    credentials: Credentials
    permission: str = "the right"
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    timeout: httpx.Timeout = field(
        default_factory=lambda: httpx.Timeout(
            DEFAULT_SECONDS, connect=CONNECT_SECONDS, read=READ_SECONDS
        )
    )
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = pace_sleep
    rng: random.Random = field(default_factory=random.Random)
    on_retry: Callable[[str, float], None] | None = None
    # A monotonic time no request may run past (``--timeout`` of a wait): each attempt's
    # timeout is cut to what is left, and no retry waits beyond it.
    deadline: float | None = None
    # The settings' environment (proxies, CA bundles); None: the process environment.
    env: Mapping[str, str] | None = field(default=None, repr=False)
    _http: httpx.Client | None = field(default=None, init=False, repr=False)
    # The workers of a bulk sync share one client: it is created once, under this lock.
    _http_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @property
    def http(self) -> httpx.Client:
        with self._http_lock:
            if self._http is None:
                self._http = self._new_http()
            return self._http

    def _new_http(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.credentials.base_url,
            headers={
                "Authorization": f"Bearer {self.credentials.key}",
                "User-Agent": user_agent(),
                "Accept": "application/json",
            },
            timeout=self.timeout,
            transport=self.transport,
            follow_redirects=False,
            **client_options(self.credentials.base_url, self.env),
        )

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def __enter__(self) -> PlatformClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def error_context(self) -> ErrorContext:
        return ErrorContext(self.credentials.source, self.credentials.base_url, self.permission)

    # -- plumbing ---------------------------------------------------------------------
    def _debug(self, message: str) -> None:
        if debug_on():
            debug_logger().debug(message)

    @contextmanager
    def deadline_in(self, seconds: float) -> Iterator[None]:
        """Within the block no request runs (or retries) past ``seconds`` from now."""
        previous, self.deadline = self.deadline, time.monotonic() + seconds
        try:
            yield
        finally:
            self.deadline = previous

    def _remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()

    def _attempt_timeout(self) -> httpx.Timeout | None:
        """This attempt's timeout: the configured one, cut to what the deadline leaves."""
        remaining = self._remaining()
        if remaining is None:
            return None
        left = max(0.001, remaining)

        def cut(value: float | None) -> float:
            return left if value is None else min(value, left)

        t = self.timeout
        return httpx.Timeout(
            connect=cut(t.connect), read=cut(t.read), write=cut(t.write), pool=cut(t.pool)
        )

    def _wait(self, attempt: int, retry_after: float | None, reason: str, said: str) -> bool:
        """Wait before a retry (True), or False when the wait would pass the deadline.

        ``reason`` is short (debug), ``said`` a sentence (``on_retry``).
        """
        if retry_after is None:
            delay = min(self.retry.backoff(attempt, self.rng), self.retry.max_delay)
        else:
            delay = self.retry.after(retry_after, self.rng)
        remaining = self._remaining()
        if remaining is not None and delay >= remaining:
            self._debug(f"not retrying: {delay:.1f}s would pass the deadline ({reason})")
            return False
        self._debug(f"retrying in {delay:.1f}s ({reason})")
        if self.on_retry is not None:
            self.on_retry(said, delay)
        self.sleep(delay)
        return True

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None,
        body: Any,
        idempotent: bool | None,
        stream: bool,
        what: str | None,
        headers: Mapping[str, str] | None = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
    ) -> httpx.Response:
        may_resend = method.upper() in IDEMPOTENT_METHODS if idempotent is None else idempotent
        is_write = method.upper() not in SAFE_METHODS
        sent_before = False  # an earlier attempt may have been received and applied
        attempt = 0
        while True:
            remaining = self._remaining()
            if remaining is not None and remaining <= 0:
                raise ApiError(
                    f"No time left for {method} {path}: the time limit was reached",
                    hint="Give more time with --timeout.",
                )
            timeout = self._attempt_timeout()
            request = self.http.build_request(
                method,
                path,
                params=params,
                json=body,
                headers=headers,
                files=files,
                timeout=self.timeout if timeout is None else timeout,
            )
            started = time.monotonic()
            self._debug(f"-> {method} {request.url}")
            try:
                response = self.http.send(request, stream=stream)
            except httpx.TransportError as exc:
                never_sent = isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout))
                retryable = not is_name_resolution_failure(exc)
                if (
                    retryable
                    and attempt < self.retry.max_retries
                    and (may_resend or never_sent)
                    and self._wait(
                        attempt,
                        None,
                        type(exc).__name__,
                        f"The request {describe_transport_failure(exc)}",
                    )
                ):
                    attempt += 1
                    sent_before = sent_before or not never_sent
                    continue
                error = transport_error(exc, str(request.url), retries=attempt)
                left = self._remaining()
                # The deadline, not the platform's pace, ended this attempt: say so.
                if isinstance(exc, httpx.TimeoutException) and left is not None and left <= 0.05:
                    error.message = (
                        f"Request to {request.url} reached the time limit (--timeout) "
                        "before the platform answered"
                    )
                if is_write and (not never_sent or sent_before):
                    _mark_ambiguous(error)
                else:
                    error.details["ambiguous"] = False
                raise error from None
            elapsed = (time.monotonic() - started) * 1000
            self._debug(f"<- {response.status_code} {method} {request.url.path} ({elapsed:.0f} ms)")
            if response.status_code < 400:
                return response
            response.read()
            response.close()
            status = response.status_code
            busy = is_session_busy(status, read_error_body(response))
            retry_status = status in RETRY_STATUSES or busy
            resendable = may_resend or status in NOT_PROCESSED_STATUSES or busy
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            said = (
                f"The session is busy (HTTP {status})"
                if busy
                else f"The platform answered HTTP {status}"
            )
            if (
                retry_status
                and resendable
                and attempt < self.retry.max_retries
                and self._wait(attempt, retry_after, f"HTTP {status}", said)
            ):
                attempt += 1
                sent_before = sent_before or status in MAYBE_APPLIED_STATUSES
                continue
            error = api_error(response, self.error_context, retries=attempt, what=what)
            if is_write and (status in MAYBE_APPLIED_STATUSES or sent_before):
                _mark_ambiguous(error)
            raise error

    # -- public API -------------------------------------------------------------------
    def request_json(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Any = None,
        idempotent: bool | None = None,
        what: str | None = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """Send a request and return the decoded JSON body (retries and errors handled).

        ``files`` sends ``multipart/form-data`` parts ``{field: (filename, bytes, type)}``.
        """
        response = self._send(
            method,
            path,
            params=params,
            body=body,
            idempotent=idempotent,
            stream=False,
            what=what,
            files=files,
            headers=headers,
        )
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
            raise ApiError(
                f"The platform answered {method} {path} with a body that is not JSON "
                f"(HTTP {response.status_code})",
                status=response.status_code,
                hint="Check that OCTAVUS_API_URL points at the Octavus API.",
            ) from None

    @contextmanager
    def stream(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        idempotent: bool | None = None,
        what: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Iterator[httpx.Response]:
        """An open streaming response; retried only before any byte of the body arrived."""
        response = self._send(
            method,
            path,
            params=None,
            body=body,
            idempotent=idempotent,
            stream=True,
            what=what,
            headers=headers,
        )
        try:
            yield response
        finally:
            response.close()
