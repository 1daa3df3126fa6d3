"""What every part of the workspace shares: the database handle, the edit unit, and the
session header checks.

:class:`Core` is not a part: it holds the one database connection of a
:class:`~pmkit.store.Workspace` and makes edits (:meth:`Core.edit`): one transaction, and when
the block ends one version and one journal entry (:class:`~pmkit.store.journal.Edit`). Before
an edit writes anything it checks its :class:`~pmkit.rules.permissions.Actor` inside the same
transaction: the room writes nothing; a write from a page opened from a meeting link is refused
once that link is revoked (the session's links, or the member's own), even when the page was
opened before the revocation; a member's page writes only as that member.

Every part (:class:`Part`) takes the core and the parts it calls, and calls those through
their public methods only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pmkit.errors import AccessDenied, NotFound
from pmkit.i18n import _
from pmkit.model import FACILITATOR, ROOM
from pmkit.rules.permissions import REVOKED, Actor, as_actor, refuse_room
from pmkit.store.db import Database, Tx
from pmkit.store.edit import Edit

__all__ = ["Core", "Part"]


class Core:
    """The database of one workspace, and the edits made on it."""

    def __init__(self, db: Database, actor: str, folder: Path) -> None:
        self.db = db
        self.actor = actor  # who runs this process: the journal's ``actor``
        self.folder = folder
        self.where = db.where

    @contextmanager
    def edit(self, session_id: str, who: str | Actor, op: str) -> Iterator[Edit]:
        """One edit by ``who``: one transaction; when the block ends, one version and one
        journal entry. The room's edits, and those from a revoked link, are refused before
        anything is written."""
        actor = as_actor(who)
        refuse_room(actor.role)
        with self.db.write(session_id) as tx:
            check_actor(tx, session_id, actor)
            edit = Edit(tx, session_id, actor.role, op, actor)
            yield edit
            edit.finish(self.actor)

    def no_session(self, session_id: str) -> NotFound:
        return NotFound(_("no session '{session_id}' in {where}; `pmkit list` shows the sessions").format(
                          session_id=session_id, where=self.where))

    def meta(self, session_id: str) -> dict[str, Any]:
        """The session's header (title for everyone, date, parties): what every role reads."""
        rows = self.db.read("SELECT meta FROM sessions WHERE id = ?", (session_id,))
        if not rows:
            raise self.no_session(session_id)
        meta: dict[str, Any] = json.loads(rows[0]["meta"])
        return meta

    def require_session(self, session_id: str) -> None:
        """Raise :class:`NotFound` unless the session exists (reads nothing else)."""
        if not self.db.read("SELECT 1 AS one FROM sessions WHERE id = ?", (session_id,)):
            raise self.no_session(session_id)

    def check_role(self, session_id: str, role: str | Actor) -> dict[str, Any]:
        """The session's meta, once ``role`` is known to be one of its roles (the room
        included; writes are refused to it in :meth:`edit`)."""
        name = as_actor(role).role
        meta = self.meta(session_id)
        roles = [FACILITATOR, *(p["id"] for p in meta["parties"]), ROOM]
        if name not in roles:
            raise AccessDenied(_("unknown role '{name}'; this session's roles are {roles}").format(
                                 name=name, roles=', '.join(roles)))
        return meta


def check_actor(tx: Tx, session_id: str, actor: Actor) -> None:
    """Refuse a write from a revoked link, or by a member who is gone or of another party."""
    if actor.link_epoch is not None:
        row = tx.one("SELECT epoch FROM link_epochs WHERE session_id = ?", (session_id,))
        if (int(row["epoch"]) if row else 0) != actor.link_epoch:
            raise AccessDenied(_(REVOKED))
    if actor.participant is not None:
        row = tx.one("SELECT party, removed_at, link_epoch FROM participants WHERE session_id = ? "
                     "AND participant_id = ?", (session_id, actor.participant))
        if row is None or row["removed_at"] is not None or row["party"] != actor.role or (
                actor.member_epoch is not None and int(row["link_epoch"]) != actor.member_epoch):
            raise AccessDenied(_(REVOKED))


class Part:
    """A part of the workspace: its own methods over the shared :class:`Core`."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self._db = core.db
