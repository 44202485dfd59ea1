"""SQLite storage for agents, sessions and workforce threads.

``Store(None)`` keeps everything in memory; ``Store("emulator.db")`` keeps it in a
file so it survives a restart. One connection is shared by all server threads
behind a lock. Sessions and workforce threads are stored as JSON documents;
agents have columns, and a partial unique index frees an archived agent's slug.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from octavus_cli.emulator.ids import PROJECT_ID, iso_now, new_id
from octavus_cli.records import field, record

SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS agents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    format TEXT NOT NULL,
    protocol TEXT NOT NULL,
    prompts TEXT NOT NULL,
    refs TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    archived_at TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS agents_active_slug ON agents(slug) WHERE archived_at IS NULL;
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, agent_id TEXT NOT NULL, doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS workforce_threads (
    id TEXT PRIMARY KEY, agent_id TEXT NOT NULL, doc TEXT NOT NULL
);
"""


class StoreError(Exception):
    """The data file cannot be used."""


class DuplicateSlug(Exception):
    def __init__(self, slug: str) -> None:
        super().__init__(f"An agent with slug '{slug}' already exists")
        self.slug = slug


@record(frozen=False)
class AgentRecord:
    id: str
    slug: str
    name: str
    description: str | None
    format: str
    protocol: str
    prompts: list[dict[str, str]]
    references: list[dict[str, str]]
    created_at: str
    updated_at: str
    project_id: str = PROJECT_ID

    def list_item(self) -> dict[str, Any]:
        """The item of ``GET /api/agents``."""
        return {
            "id": self.id,
            "slug": self.slug,
            "name": self.name,
            "description": self.description,
            "format": self.format,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
            "projectId": self.project_id,
        }

    def settings(self) -> dict[str, Any]:
        settings: dict[str, Any] = {"slug": self.slug, "name": self.name}
        if self.description is not None:  # optional, never null (the official CLI's schema)
            settings["description"] = self.description
        settings["format"] = self.format
        return settings

    def definition(self) -> dict[str, Any]:
        """The body of ``GET /api/agents/{id}``."""
        return {
            "id": self.id,
            "settings": self.settings(),
            "protocol": self.protocol,
            "prompts": [dict(p) for p in self.prompts],
            "references": [dict(r) for r in self.references],
        }

    def prompt(self, name: str) -> str | None:
        return next((p["content"] for p in self.prompts if p.get("name") == name), None)


@record(frozen=False)
class AgentChanges:
    """The fields of a PATCH; ``None`` leaves a field as it is."""

    name: str | None = None
    description: str | None = None
    clear_description: bool = False
    format: str | None = None
    protocol: str | None = None
    prompts: list[dict[str, str]] | None = None
    references: list[dict[str, str]] | None = None
    touched: set[str] = field(default_factory=set)


def _agent_from_row(row: sqlite3.Row) -> AgentRecord:
    return AgentRecord(
        id=row["id"],
        slug=row["slug"],
        name=row["name"],
        description=row["description"],
        format=row["format"],
        protocol=row["protocol"],
        prompts=json.loads(row["prompts"]),
        references=json.loads(row["refs"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class Store:
    def __init__(self, path: str | Path | None = None) -> None:
        self.path = None if path is None else Path(path)
        target = ":memory:" if self.path is None else str(self.path)
        self._lock = threading.RLock()
        try:
            self._db = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            if self.path is not None:
                self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)
            self._db.execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema', ?)", (SCHEMA_VERSION,)
            )
        except sqlite3.Error as exc:
            raise StoreError(f"Cannot use {target} as the emulator's data file: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- meta ----------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row["value"])

    def set_meta(self, key: str, value: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # -- agents ------------------------------------------------------------------------
    def create_agent(self, body: Mapping[str, Any]) -> AgentRecord:
        """Create an agent from an upload body ``{settings, protocol, prompts, references?}``.

        Raises :class:`DuplicateSlug` when an active agent has the slug, and
        ``ValueError`` when the body is not a valid definition.
        """
        from octavus_cli.emulator.bodies import parse_create_body

        fields = parse_create_body(body)
        now = iso_now()
        record = AgentRecord(
            id=new_id(),
            slug=fields.slug,
            name=fields.name,
            description=fields.description,
            format=fields.format,
            protocol=fields.protocol,
            prompts=fields.prompts,
            references=fields.references,
            created_at=now,
            updated_at=now,
        )
        with self._lock:
            try:
                self._db.execute(
                    "INSERT INTO agents(id, slug, name, description, format, protocol, prompts,"
                    " refs, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (
                        record.id,
                        record.slug,
                        record.name,
                        record.description,
                        record.format,
                        record.protocol,
                        json.dumps(record.prompts),
                        json.dumps(record.references),
                        record.created_at,
                        record.updated_at,
                    ),
                )
            except sqlite3.IntegrityError:
                raise DuplicateSlug(record.slug) from None
        return record

    def list_agents(self) -> list[AgentRecord]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM agents WHERE archived_at IS NULL ORDER BY seq"
            ).fetchall()
        return [_agent_from_row(row) for row in rows]

    def get_agent(self, agent_id: str) -> AgentRecord | None:
        """An active agent by id."""
        with self._lock:
            row = self._db.execute(
                "SELECT * FROM agents WHERE id = ? AND archived_at IS NULL", (agent_id,)
            ).fetchone()
        return None if row is None else _agent_from_row(row)

    def get_agent_by_slug(self, slug: str) -> AgentRecord | None:
        with self._lock:
            row = self._db.execute(
                "SELECT * FROM agents WHERE slug = ? AND archived_at IS NULL", (slug,)
            ).fetchone()
        return None if row is None else _agent_from_row(row)

    def update_agent(self, agent_id: str, changes: AgentChanges) -> AgentRecord | None:
        """Apply ``changes`` to an active agent; ``None`` when there is no such agent."""
        with self._lock:
            current = self.get_agent(agent_id)
            if current is None:
                return None
            if changes.name is not None:
                current.name = changes.name
            if changes.clear_description:
                current.description = None
            elif changes.description is not None:
                current.description = changes.description
            if changes.format is not None:
                current.format = changes.format
            if changes.protocol is not None:
                current.protocol = changes.protocol
            if changes.prompts is not None:
                current.prompts = changes.prompts
            if changes.references is not None:
                current.references = changes.references
            current.updated_at = iso_now()
            self._db.execute(
                "UPDATE agents SET name=?, description=?, format=?, protocol=?, prompts=?, refs=?,"
                " updated_at=? WHERE id=?",
                (
                    current.name,
                    current.description,
                    current.format,
                    current.protocol,
                    json.dumps(current.prompts),
                    json.dumps(current.references),
                    current.updated_at,
                    current.id,
                ),
            )
            return current

    def archive_agent(self, agent_id: str) -> bool:
        """Soft-delete an active agent (its slug is freed); ``False`` when not found."""
        with self._lock:
            cursor = self._db.execute(
                "UPDATE agents SET archived_at = ? WHERE id = ? AND archived_at IS NULL",
                (iso_now(), agent_id),
            )
            return cursor.rowcount > 0

    def get_agent_any(self, agent_id: str) -> AgentRecord | None:
        """An agent by id, archived or not (sessions keep running on archived agents)."""
        with self._lock:
            row = self._db.execute("SELECT * FROM agents WHERE id = ?", (agent_id,)).fetchone()
        return None if row is None else _agent_from_row(row)

    # -- JSON documents ------------------------------------------------------------------
    def save_session(self, session_id: str, agent_id: str, doc: Mapping[str, Any]) -> None:
        self._put("sessions", session_id, agent_id, doc)

    def load_session(self, session_id: str) -> dict[str, Any] | None:
        return self._get("sessions", session_id)

    def save_thread(self, thread_id: str, agent_id: str, doc: Mapping[str, Any]) -> None:
        self._put("workforce_threads", thread_id, agent_id, doc)

    def load_thread(self, thread_id: str) -> dict[str, Any] | None:
        return self._get("workforce_threads", thread_id)

    def _put(self, table: str, key: str, agent_id: str, doc: Mapping[str, Any]) -> None:
        text = json.dumps(doc, ensure_ascii=False)
        with self._lock:
            self._db.execute(
                f"INSERT INTO {table}(id, agent_id, doc) VALUES (?,?,?) "
                "ON CONFLICT(id) DO UPDATE SET doc = excluded.doc",
                (key, agent_id, text),
            )

    def _get(self, table: str, key: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute(f"SELECT doc FROM {table} WHERE id = ?", (key,)).fetchone()
        if row is None:
            return None
        doc = json.loads(row["doc"])
        return doc if isinstance(doc, dict) else None

    def count(self, table: str) -> int:
        if table not in ("agents", "sessions", "workforce_threads"):
            raise ValueError(table)
        with self._lock:
            return int(self._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
