"""The :class:`Emulator`: a local Octavus platform over real loopback HTTP.

    from octavus_cli.emulator import Emulator

    with Emulator(port=0, keys=["test-project-key"]) as emulator:
        agent = emulator.seed_agent("examples/agents/minimal-chat")
        ...  # talk to emulator.url with "Authorization: Bearer test-project-key"
        assert emulator.requests[-1].path == "/api/agents"

Everything a test may want to change while it runs is an attribute:
``faults`` (see :mod:`octavus_cli.emulator.faults`), ``error_shape``,
``heartbeat_interval``, ``workforce_durations``, ``token_delay``.
"""

from __future__ import annotations

import secrets
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from octavus_cli.emulator.agents_api import AgentsRoutes
from octavus_cli.emulator.auth import KeyRing
from octavus_cli.emulator.context import EmulatorContext, Settings
from octavus_cli.emulator.executions import ExecutionService
from octavus_cli.emulator.faults import Faults
from octavus_cli.emulator.files_api import FilesRoutes, FileStore
from octavus_cli.emulator.problems import ERROR_SHAPES, ErrorShape
from octavus_cli.emulator.recording import RecordedRequest, RequestLog
from octavus_cli.emulator.routing import Router
from octavus_cli.emulator.runtime import SessionRuntime
from octavus_cli.emulator.server import HOST, EmulatorHTTPServer
from octavus_cli.emulator.sessions_api import SessionsRoutes
from octavus_cli.emulator.skills_api import DEFAULT_BUNDLE_LIMIT, SkillsRoutes
from octavus_cli.emulator.store import AgentRecord, Store
from octavus_cli.emulator.tokens_api import TokensRoutes
from octavus_cli.emulator.workers_api import WorkersRoutes
from octavus_cli.emulator.workforce import WorkforceDurations
from octavus_cli.emulator.workforce_api import WorkforceRoutes

DEFAULT_PORT = 7777


KEY_META = "project_key"  # the generated key, kept in a data file


def generate_fake_key() -> str:
    """A project key that is obviously fake (and never looks like ``oct_sk_...``)."""
    return f"emulator-fake-key-{secrets.token_hex(4)}"


def _stderr_log(message: str) -> None:
    sys.stderr.write(message.rstrip("\n") + "\n")
    sys.stderr.flush()


class EmulatorError(Exception):
    """The emulator cannot start (port in use, unusable data file)."""


class Emulator:
    def __init__(
        self,
        *,
        port: int = 0,
        data: str | Path | None = None,
        keys: Sequence[str] | Mapping[str, str] | None = None,
        agent_keys: Mapping[str, str] | None = None,
        error_shape: ErrorShape = "flat",
        workforce_durations: WorkforceDurations | None = None,
        heartbeat_interval: float = 15.0,
        token_delay: float = 0.0,
        busy_wait: float = 0.25,
        pending_tool_timeout: float = 60.0,
        session_ttl: float = 24 * 3600.0,
        blocked_agents: Iterable[str] = (),
        faults: Faults | None = None,
        skill_bundle_limit: int = DEFAULT_BUNDLE_LIMIT,
        log: Callable[[str], None] | None = _stderr_log,
        on_request: Callable[[RecordedRequest], None] | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        """Configure (not start) an emulator.

        ``port`` 0 picks a free port. ``data`` is a SQLite file (in memory when
        ``None``). ``keys`` are the accepted project keys (a list, or ``{label: key}``
        to name them in the request log); ``None`` generates one fake key, or with
        ``data`` reuses the one generated (and stored there) before.
        ``agent_keys`` maps workforce agent ids to their per-agent keys. ``clock``
        (default: the real clock) is the time Workforce runs advance by, sessions expire
        by and paused executions wait by; tests pass a clock they move.
        """
        if error_shape not in ERROR_SHAPES:
            raise ValueError(f"error_shape must be one of {', '.join(ERROR_SHAPES)}")
        from octavus_cli.emulator.store import StoreError

        self.requested_port = port
        self.error_shape: ErrorShape = error_shape
        self.heartbeat_interval = heartbeat_interval
        self.faults = faults or Faults()
        try:
            self.store = Store(data)
        except StoreError as exc:
            raise EmulatorError(str(exc)) from None
        # Without --key, a data file keeps its generated key, so exports stay valid.
        self.key_reused = False
        self.key_kept = keys is None and data is not None  # the key lives in the data file
        if keys is None:
            stored = self.store.get_meta(KEY_META) if data is not None else None
            self.key_reused = stored is not None
            keys = [stored or generate_fake_key()]
            if data is not None and stored is None:
                self.store.set_meta(KEY_META, keys[0])
        self.keyring = KeyRing(keys, agent_keys or {})
        self.requests_log = RequestLog()
        self.stopping = threading.Event()
        self._log = log
        self._listeners: list[Callable[[RecordedRequest], None]] = []
        if on_request is not None:
            self._listeners.append(on_request)
        self.settings = Settings(
            token_delay=token_delay,
            session_ttl=session_ttl,
            workforce=workforce_durations or WorkforceDurations(),
            blocked_agents=set(blocked_agents),
        )
        if clock is not None:
            self.settings.clock = clock
        self.context = EmulatorContext(
            store=self.store,
            runtime=SessionRuntime(
                busy_wait=busy_wait,
                pending_tool_timeout=pending_tool_timeout,
                clock=clock or time.monotonic,
            ),
            settings=self.settings,
            stopping=self.stopping,
            log=self.log,
        )
        self.router = Router()
        # Kept so tests can hold a stream's release (the moment its connection closes).
        self.executions = ExecutionService(self.context)
        AgentsRoutes(self.context).register(self.router)
        WorkersRoutes(self.context, self.executions).register(self.router)
        SessionsRoutes(self.context, self.executions).register(self.router)
        WorkforceRoutes(self.context).register(self.router)
        # Uploaded skill bundles and secret names (never values); in memory only.
        self.skills = SkillsRoutes(self.context, bundle_limit=skill_bundle_limit)
        self.skills.register(self.router)
        TokensRoutes(self.context, self.keyring).register(self.router)
        self.files = FileStore()
        FilesRoutes(self.context, self.files).register(self.router)
        self._server: EmulatorHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> Emulator:
        """Bind 127.0.0.1 and serve in a background thread."""
        if self._server is not None:
            return self
        if self.stopping.is_set():
            raise EmulatorError("a stopped emulator cannot start again; create a new one")
        try:
            server = EmulatorHTTPServer(self, self.requested_port)
        except OSError as exc:
            raise EmulatorError(
                f"Cannot listen on {HOST}:{self.requested_port}: {exc.strerror or exc}"
            ) from None
        self._server = server
        self.files.base_url = self.url
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="octavus-emulator",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, end open streams and connections, close the data file."""
        self.stopping.set()
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.close_connections()
            server.server_close()
            server.join_handlers(timeout=5.0)
        if self._thread is not None:
            self._thread.join(timeout=5.0)
            self._thread = None
        self.store.close()

    def go_down(self) -> None:
        """Stop listening, as a server that died would (the store stays readable).

        Used by the ``stop_mid_request`` fault; :meth:`stop` still cleans up.
        """
        server = self._server
        if server is None:
            return

        def close() -> None:
            server.shutdown()
            server.server_close()

        threading.Thread(target=close, name="emulator-down", daemon=True).start()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def port(self) -> int:
        if self._server is None:
            raise EmulatorError("the emulator is not running")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://{HOST}:{self.port}"

    # -- keys ----------------------------------------------------------------------------------
    @property
    def key(self) -> str:
        """The first project key."""
        return self.keyring.project_keys[0]

    @property
    def keys(self) -> list[str]:
        return self.keyring.project_keys

    @property
    def agent_keys(self) -> dict[str, str]:
        return self.keyring.agent_keys

    def add_project_key(self, key: str, *, label: str | None = None) -> None:
        self.keyring.add_project_key(key, label=label)

    def add_agent_key(self, agent_id: str, key: str) -> None:
        """Register a workforce agent and its per-agent key."""
        self.keyring.add_agent_key(agent_id, key)

    def block_agent(self, agent_id: str, blocked: bool = True) -> None:
        """Mark a workforce agent as over its spending limit (402) or clear the mark."""
        if blocked:
            self.settings.blocked_agents.add(agent_id)
        else:
            self.settings.blocked_agents.discard(agent_id)

    def env(self) -> dict[str, str]:
        """The environment variables that point a CLI at this emulator."""
        env = {
            "OCTAVUS_API_URL": self.url,
            "OCTAVUS_CLI_API_KEY": self.key,
            "OCTAVUS_API_KEY": self.key,
        }
        agent_keys = list(self.agent_keys.values())
        if agent_keys:
            env["OCTAVUS_AGENT_KEY"] = agent_keys[0]
        return env

    # -- settings changeable at runtime --------------------------------------------------------
    @property
    def workforce_durations(self) -> WorkforceDurations:
        return self.settings.workforce

    @workforce_durations.setter
    def workforce_durations(self, value: WorkforceDurations) -> None:
        self.settings.workforce = value

    @property
    def token_delay(self) -> float:
        return self.settings.token_delay

    @token_delay.setter
    def token_delay(self, value: float) -> None:
        self.settings.token_delay = value

    # -- data and the request log --------------------------------------------------------------
    def seed_agent(self, source: str | Path | Mapping[str, Any]) -> AgentRecord:
        """Create an agent from an agent folder or an upload body, without HTTP."""
        if isinstance(source, Mapping):
            return self.store.create_agent(source)
        from octavus_cli.protocol.folder import read_agent_dir

        return self.store.create_agent(read_agent_dir(source).upload_body())

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, oldest first (a copy)."""
        return self.requests_log.snapshot()

    def clear_requests(self) -> None:
        self.requests_log.clear()

    def log(self, message: str) -> None:
        if self._log is not None:
            self._log(message)

    def listen(self, callback: Callable[[RecordedRequest], None]) -> None:
        """Call ``callback`` with each request once its status is known.

        For a JSON answer that is before the answer leaves, so what the callback changes
        is in place when the client reads the answer; for a stream, after it ends. The
        callback runs on the request's thread: keep it short.
        """
        self._listeners.append(callback)

    def notify(self, record: RecordedRequest) -> None:
        for callback in tuple(self._listeners):
            callback(record)
