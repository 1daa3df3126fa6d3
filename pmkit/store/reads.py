"""Reading sessions: the list, a session's header and version, its roles, and a role's view.

A read takes the role and returns only what it may see: the rows it may not see are left
out by the query itself (``audience IN (joint, role)``), so a process serving a party never
loads them, and nothing it sends, shows, exports or logs can hold them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pmkit.errors import AccessDenied, NotFound, StorageError
from pmkit.model import FACILITATOR, JOINT, Session
from pmkit.store.db import Database
from pmkit.store.rows import session_from_rows
from pmkit.yamlio import dump_session

__all__ = ["Reads", "SessionInfo"]

_INFO = "SELECT id, title, version, created_at, updated_at FROM sessions"


@dataclass(frozen=True)
class SessionInfo:
    id: str
    title: str
    version: int
    created_at: str
    updated_at: str


class Reads:
    """The reading half of :class:`pmkit.store.Workspace` (and what every part shares)."""

    folder: Path
    where: str
    actor: str
    _db: Database

    def sessions(self) -> list[SessionInfo]:
        return [SessionInfo(**dict(r)) for r in self._db.read(f"{_INFO} ORDER BY created_at, id")]

    def info(self, session_id: str) -> SessionInfo:
        rows = self._db.read(f"{_INFO} WHERE id = ?", (session_id,))
        if not rows:
            raise self._no_session(session_id)
        return SessionInfo(**dict(rows[0]))

    def version(self, session_id: str) -> int:
        """The session's version; it grows by one with every edit (cheap, for polling)."""
        return self.info(session_id).version

    def roles(self, session_id: str) -> list[str]:
        meta = self._meta(session_id)
        return [FACILITATOR, *(p["id"] for p in meta["parties"])]

    def load(self, session_id: str, role: str) -> Session:
        """The session as ``role`` may see it. Rows it may not see are never read."""
        meta = self._check_role(session_id, role)
        if role == FACILITATOR:
            rows = self._db.read("SELECT kind, data FROM items WHERE session_id = ? ORDER BY pos", (session_id,))
        else:
            rows = self._db.read(
                "SELECT kind, data FROM items WHERE session_id = ? AND audience IN (?, ?) ORDER BY pos",
                (session_id, JOINT, role),
            )
        try:
            return session_from_rows(meta, ((r["kind"], r["data"]) for r in rows))
        except ValidationError as exc:
            raise StorageError(f"session '{session_id}' in {self.where} does not validate: {exc}") from None

    def export_yaml(self, session_id: str, role: str) -> str:
        return dump_session(self.load(session_id, role))

    # -- shared by the other parts ----------------------------------------------------------
    def _no_session(self, session_id: str) -> NotFound:
        return NotFound(f"no session '{session_id}' in {self.where}; `pmkit list` shows the sessions")

    def _meta(self, session_id: str) -> dict[str, Any]:
        rows = self._db.read("SELECT meta FROM sessions WHERE id = ?", (session_id,))
        if not rows:
            raise self._no_session(session_id)
        meta: dict[str, Any] = json.loads(rows[0]["meta"])
        return meta

    def _check_role(self, session_id: str, role: str) -> dict[str, Any]:
        """The session's meta, once ``role`` is known to be one of its roles."""
        meta = self._meta(session_id)
        roles = [FACILITATOR, *(p["id"] for p in meta["parties"])]
        if role not in roles:
            raise AccessDenied(f"unknown role '{role}'; this session's roles are {', '.join(roles)}")
        return meta
