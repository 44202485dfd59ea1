"""The Workforce API (CONTRACT section 6): dispatch, read and follow up agent threads.

Every call is scoped to one agent and authenticated with that agent's own key.
Errors the platform answers with 401, 402, 403 and 404 are turned into messages
that say what to do for a Workforce agent (the generic ones come from
:func:`octavus_cli.platform.http.api_error`).
"""

from __future__ import annotations

from typing import Any

from octavus_cli.errors import ApiError, NotFoundError
from octavus_cli.platform.http import PlatformClient, expect_object, path_segment
from octavus_cli.records import record

AGENT_KEY_VARIABLE = "OCTAVUS_AGENT_KEY"
KEY_ORIGIN = "an agent's key is created in the dashboard under the agent's Settings → API"


@record
class ThreadRef:
    """What a dispatch or follow-up answers: the thread and its status right then."""

    thread_id: str
    status: str

    def to_json(self) -> dict[str, str]:
        return {"threadId": self.thread_id, "status": self.status}


def threads_path(agent_id: str, thread_id: str | None = None) -> str:
    path = f"/api/v1/workforce/agents/{path_segment(agent_id)}/threads"
    return path if thread_id is None else f"{path}/{path_segment(thread_id)}"


def message_body(message: str, files: list[dict[str, Any]] | None) -> dict[str, Any]:
    body: dict[str, Any] = {"message": message}
    if files is not None:
        body["files"] = files
    return body


@record(frozen=False)
class WorkforceApi:
    """The three Workforce calls for one client (one agent key)."""

    client: PlatformClient

    def dispatch(
        self, agent_id: str, message: str, files: list[dict[str, Any]] | None = None
    ) -> ThreadRef:
        """Start a thread; not retried when it may already have reached the platform."""
        data = self._call(
            "dispatch", agent_id, None, "POST", threads_path(agent_id), message_body(message, files)
        )
        return _thread_ref(data, "dispatch")

    def get_thread(self, agent_id: str, thread_id: str) -> dict[str, Any]:
        """The thread: ``{threadId, status, failureReason, messages}``."""
        data = self._call("get", agent_id, thread_id, "GET", threads_path(agent_id, thread_id))
        thread = expect_object(data, "get thread")
        if not isinstance(thread.get("status"), str):
            raise ApiError(
                f"The platform answered get thread {thread_id!r} without a status",
                hint="Check that OCTAVUS_API_URL points at the Octavus API.",
            )
        return thread

    def follow_up(
        self,
        agent_id: str,
        thread_id: str,
        message: str,
        files: list[dict[str, Any]] | None = None,
    ) -> ThreadRef:
        """Send another message into a thread; not retried blindly either."""
        path = threads_path(agent_id, thread_id) + "/messages"
        data = self._call(
            "follow-up", agent_id, thread_id, "POST", path, message_body(message, files)
        )
        return _thread_ref(data, "follow-up")

    def _call(
        self,
        call: str,
        agent_id: str,
        thread_id: str | None,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
    ) -> Any:
        """One request; POSTs are writes that must not be resent blindly."""
        try:
            return self.client.request_json(
                method,
                path,
                body=body,
                idempotent=method != "POST",
                what=f"{call} for agent {agent_id!r}",
            )
        except ApiError as exc:
            raise self._explain(exc, agent_id, thread_id, call) from None

    # -- errors -------------------------------------------------------------------------
    def _explain(self, exc: ApiError, agent_id: str, thread_id: str | None, call: str) -> ApiError:
        """A Workforce-specific message for 401/402/403/404 and for unsure writes."""
        words = self._words(exc.status, agent_id, thread_id, call)
        if words is not None:
            message, hint = words
            kind = NotFoundError if exc.status == 404 else ApiError
            return kind(
                f"{message} (HTTP {exc.status}{_detail(exc)})",
                status=exc.status,
                api_code=exc.api_code,
                hint=hint,
            )
        if exc.details.get("ambiguous"):
            exc.hint = (
                f"The {call} may have reached the platform before the connection failed. "
                f"Check the agent's threads in the dashboard before sending it again."
            )
        return exc

    def _words(
        self, status: int | None, agent_id: str, thread_id: str | None, call: str
    ) -> tuple[str, str] | None:
        """What went wrong and what to do, for the statuses a Workforce user can fix."""
        source = self.client.credentials.source
        if status == 401:
            return (
                f"The platform rejected the key from {source}",
                f"Put agent {agent_id}'s key (oct_agt_...) in {AGENT_KEY_VARIABLE}; "
                f"{KEY_ORIGIN}. A key is shown only once: create a new one if in doubt.",
            )
        if status == 402:
            unsent = {"dispatch": "; nothing was dispatched", "follow-up": "; nothing was sent"}
            return (
                f"Agent {agent_id} is blocked by a usage or spending limit",
                "Raise the limit or add credit in the Octavus dashboard (usage and billing), "
                f"then run the command again{unsent.get(call, '')}.",
            )
        if status == 403:
            return (
                f"The key from {source} is not a key for agent {agent_id}",
                _forbidden_hint(source, agent_id),
            )
        if status == 404 and thread_id is None:
            return (
                f"No Workforce agent {agent_id}",
                "Check the agent id: it is in the agent's page URL in the dashboard.",
            )
        if status == 404:
            return (
                f"Thread {thread_id} not found for agent {agent_id}",
                "Check the thread id (`octavus workforce dispatch` prints it) and that "
                f"the thread belongs to agent {agent_id}.",
            )
        return None


def _forbidden_hint(source: str, agent_id: str) -> str:
    if source != AGENT_KEY_VARIABLE:
        return (
            f"The Workforce API needs the agent's own key, not a project key from {source}: "
            f"set {AGENT_KEY_VARIABLE} to agent {agent_id}'s key; {KEY_ORIGIN}."
        )
    return (
        f"{AGENT_KEY_VARIABLE} is a key for a different agent. Each key drives one agent: "
        f"create a key in agent {agent_id}'s Settings → API, or check the agent id."
    )


def _detail(exc: ApiError) -> str:
    """The platform's own words from the generic message, e.g. ``: Invalid API key``."""
    _, sep, rest = exc.message.partition("(HTTP ")
    if not sep:
        return ""
    _, colon, detail = rest.removesuffix(")").partition(": ")
    return f": {detail}" if colon and detail else ""


def _thread_ref(value: Any, what: str) -> ThreadRef:
    data = expect_object(value, what)
    thread_id = data.get("threadId")
    status = data.get("status")
    if not isinstance(thread_id, str) or not thread_id:
        raise ApiError(f"The platform answered {what} without a threadId")
    return ThreadRef(thread_id, status if isinstance(status, str) else "unknown")
