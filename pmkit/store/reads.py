"""Reading sessions: the list, a session's header and version, its roles, and a role's view.

A read takes the role and returns only what it may see: the rows it may not see are left
out by the query itself (``audience IN (joint, role)``; for the room ``audience = joint``),
so a process serving a party or the room never loads them, and nothing it sends, shows,
exports or logs can hold them. The same holds for the session's working title and note:
only the facilitator's read selects them; every other role's view is titled with the
title for everyone and has no description.

:meth:`Reads.sessions` and :meth:`Reads.info` (which show working titles) are for the
facilitator and the command line; a meeting kernel uses :meth:`Reads.version`,
:meth:`Reads.roles` and :meth:`Reads.load` only.

The disclosure plan is read the same way (:meth:`Reads.load`): a party's query returns the
entries of its own withheld items only (``audience = role``), each only while its item still
has the audience the entry was written for; the facilitator's, every current entry; the
room's, none.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pmkit.errors import AccessDenied, NotFound, StorageError
from pmkit.formats.yaml_file import dump_session
from pmkit.model import FACILITATOR, ITEM_KINDS, JOINT, ROOM, Session, everyone_title
from pmkit.store.db import Database
from pmkit.store.rows import session_from_rows

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
        rows = self._db.read("SELECT version FROM sessions WHERE id = ?", (session_id,))
        if not rows:
            raise self._no_session(session_id)
        return int(rows[0]["version"])

    def roles(self, session_id: str) -> list[str]:
        """The roles that may edit: the facilitator and each party."""
        meta = self._meta(session_id)
        return [FACILITATOR, *(p["id"] for p in meta["parties"])]

    def link_roles(self, session_id: str) -> list[str]:
        """Every role a meeting link is made for: the facilitator, each party and the room."""
        return [*self.roles(session_id), ROOM]

    def load(self, session_id: str, role: str) -> Session:
        """The session as ``role`` may see it. Rows it may not see are never read; neither
        are the working title and note, unless ``role`` is the facilitator."""
        meta = self._check_role(session_id, role)
        if role == FACILITATOR:
            head = self._db.read("SELECT title, description FROM sessions WHERE id = ?", (session_id,))
            if not head:
                raise self._no_session(session_id)
            meta = {**meta, "title": head[0]["title"], "description": head[0]["description"]}
            rows = self._db.read("SELECT kind, item_id, data FROM items WHERE session_id = ? ORDER BY pos",
                                 (session_id,))
        else:
            date = dt.date.fromisoformat(meta["date"]) if meta.get("date") else None
            title = everyone_title(str(meta.get("joint_title") or ""), date)
            meta = {**meta, "title": title, "joint_title": title, "description": ""}
            audiences = (JOINT,) if role == ROOM else (JOINT, role)
            marks = ", ".join("?" * len(audiences))
            rows = self._db.read(
                f"SELECT kind, item_id, data FROM items WHERE session_id = ? AND audience IN ({marks}) ORDER BY pos",
                (session_id, *audiences),
            )
        plan = self._plan(session_id, role, {(r["kind"], r["item_id"]) for r in rows if r["kind"] in ITEM_KINDS})
        try:
            return session_from_rows(meta, ((r["kind"], r["data"]) for r in rows), plan)
        except ValidationError as exc:
            raise StorageError(f"session '{session_id}' in {self.where} does not validate: {exc}") from None

    def export_yaml(self, session_id: str, role: str) -> str:
        return dump_session(self.load(session_id, role))

    def _plan(self, session_id: str, role: str, visible: set[tuple[str, str]]) -> list[str]:
        """The data of the current plan entries ``role`` may read, in the items' order; a
        link to an item outside ``visible`` (the role's view) is dropped."""
        sql = ("SELECT p.data FROM disclosure_plan p JOIN items i ON i.session_id = p.session_id "
               "AND p.item_id = i.kind || '/' || i.item_id AND i.audience = p.audience WHERE p.session_id = ?")
        args: tuple[str, ...] = (session_id,)
        if role != FACILITATOR:  # filtered by the query: a party's process never reads the others
            sql += " AND p.audience = ?"
            args += (role,)
        out = []
        for r in self._db.read(sql + " ORDER BY i.pos", args):
            data = json.loads(r["data"])
            kind, _, item_id = str(data.get("linked_to") or "").partition(":")
            if data.get("linked_to") and (kind, item_id) not in visible:
                data.pop("linked_to")
            out.append(json.dumps(data))
        return out

    # -- shared by the other parts ----------------------------------------------------------
    def _no_session(self, session_id: str) -> NotFound:
        return NotFound(f"no session '{session_id}' in {self.where}; `pmkit list` shows the sessions")

    def _meta(self, session_id: str) -> dict[str, Any]:
        rows = self._db.read("SELECT meta FROM sessions WHERE id = ?", (session_id,))
        if not rows:
            raise self._no_session(session_id)
        meta: dict[str, Any] = json.loads(rows[0]["meta"])
        return meta

    def _require_session(self, session_id: str) -> None:
        """Raise :class:`NotFound` unless the session exists (reads nothing else)."""
        if not self._db.read("SELECT 1 AS one FROM sessions WHERE id = ?", (session_id,)):
            raise self._no_session(session_id)

    def _check_role(self, session_id: str, role: str) -> dict[str, Any]:
        """The session's meta (the header every role reads), once ``role`` is known to be
        one of its roles (the room included; writes are refused to it elsewhere)."""
        meta = self._meta(session_id)
        roles = [FACILITATOR, *(p["id"] for p in meta["parties"]), ROOM]
        if role not in roles:
            raise AccessDenied(f"unknown role '{role}'; this session's roles are {', '.join(roles)}")
        return meta
