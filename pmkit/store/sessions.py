"""Sessions as a part of the workspace: the list, a session's header, version, roles and a
role's view; making a session (new or imported) and changing its titles.

A read takes the role and returns only what it may see: the rows it may not see are left
out by the query itself (``audience IN (joint, role)``; for the room ``audience = joint``),
so a process serving a party or the room never loads them, and nothing it sends, shows,
exports or logs can hold them. The same holds for the session's working title and note:
only the facilitator's read selects them; every other role's view is titled with the
title for everyone and has no description.

:meth:`Sessions.all` and :meth:`Sessions.info` (which show working titles) are for the
facilitator and the command line; a meeting kernel uses :meth:`Sessions.version`,
:meth:`Sessions.roles` and :meth:`Sessions.load` only.

The disclosure plan is read the same way (:meth:`Sessions.load`): a party's query returns the
entries of its own withheld items only (``audience = role``), each only while its item still
has the audience the entry was written for; the facilitator's, every current entry; the
room's, none.

**The probe step.** A facilitator's edit that leaves a numeric issue with the ideals of two
parties and no ``probe_step`` fixes the default step in the same edit
(:func:`pmkit.rules.probe_steps.default_step`): :meth:`Sessions.create` does for every issue.

**Titles.** :meth:`Sessions.set_titles` is one edit (``retitle``), journaled in two changes of
kind ``session``: the working title and note as the facilitator's, the title for everyone as
everyone's; undo puts back both.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from pmkit.errors import StorageError, invalid
from pmkit.formats.yaml_file import dump_session, read_session_file
from pmkit.i18n import _
from pmkit.model import FACILITATOR, ITEM_KINDS, JOINT, ROOM, Session, everyone_title
from pmkit.rules.permissions import Actor, as_actor, authorize_facilitator
from pmkit.store.core import Core, Part
from pmkit.store.db import now
from pmkit.store.edit import Change, Edit, JournalEntry
from pmkit.store.items import with_default_step
from pmkit.store.participant_rows import OwnView, own_view
from pmkit.store.rows import (
    ITEM_COLUMNS,
    OPTION_SCORES,
    POSITION,
    dumps,
    loads,
    new_session_id,
    plan_rows,
    session_from_rows,
    session_meta,
    session_rows,
    validate,
)

__all__ = ["SESSION", "SessionInfo", "Sessions"]

SESSION = "session"  # the kind of a change of the session itself
_INFO = "SELECT id, title, version, created_at, updated_at FROM sessions"


@dataclass(frozen=True)
class SessionInfo:
    id: str
    title: str
    version: int
    created_at: str
    updated_at: str


class Sessions(Part):
    """Sessions: part of :class:`pmkit.store.Workspace`."""

    def __init__(self, core: Core) -> None:
        super().__init__(core)

    def all(self) -> list[SessionInfo]:
        return [SessionInfo(**dict(r)) for r in self._db.read(f"{_INFO} ORDER BY created_at, id")]

    def info(self, session_id: str) -> SessionInfo:
        rows = self._db.read(f"{_INFO} WHERE id = ?", (session_id,))
        if not rows:
            raise self.core.no_session(session_id)
        return SessionInfo(**dict(rows[0]))

    def language(self, session_id: str) -> str:
        """The meeting's language (any role may know it: the room speaks it)."""
        return str(self.core.meta(session_id).get("language") or "en")

    def version(self, session_id: str) -> int:
        """The session's version; it grows by one with every edit (cheap, for polling)."""
        rows = self._db.read("SELECT version FROM sessions WHERE id = ?", (session_id,))
        if not rows:
            raise self.core.no_session(session_id)
        return int(rows[0]["version"])

    def roles(self, session_id: str) -> list[str]:
        """The roles that may edit: the facilitator and each party."""
        meta = self.core.meta(session_id)
        return [FACILITATOR, *(p["id"] for p in meta["parties"])]

    def link_roles(self, session_id: str) -> list[str]:
        """Every role a meeting link is made for: the facilitator, each party and the room."""
        return [*self.roles(session_id), ROOM]

    def load(self, session_id: str, role: str, participant: str | None = None) -> Session:
        """The session as ``role`` may see it. Rows it may not see are never read; neither
        are the working title and note, unless ``role`` is the facilitator. With
        ``participant`` (a member's own page), the side's ratings and positions are the
        member's own inputs whenever colleagues are hidden from each other
        (:func:`~pmkit.store.participant_rows.own_view`): the side's aggregate is not returned."""
        meta = self.core.check_role(session_id, role)
        if role == FACILITATOR:
            head = self._db.read("SELECT title, description FROM sessions WHERE id = ?", (session_id,))
            if not head:
                raise self.core.no_session(session_id)
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
        pairs = [(str(r["kind"]), str(r["data"])) for r in rows]
        own = own_view(self._db, session_id, role, participant) if participant and role not in (FACILITATOR, ROOM) \
            else None
        if own is not None:
            pairs = _as_own(pairs, role, own)
        try:
            return session_from_rows(meta, pairs, plan)
        except ValidationError as exc:
            damaged = invalid(exc, _("session '{session_id}' in {where} does not validate").format(
                                     session_id=session_id, where=self.core.where))
            raise StorageError(_("{damaged}; restore a backup (`pmkit restore`)").format(damaged=damaged)) from None

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
            kind, _sep, item_id = str(data.get("linked_to") or "").partition(":")
            if data.get("linked_to") and (kind, item_id) not in visible:
                data.pop("linked_to")
            out.append(json.dumps(data))
        return out

    def create(self, session: Session, *, source: str = "new") -> str:
        """Store a new session (version 1, one journal entry); returns its id. Issues with
        two ideals and no probe step get the default step."""
        sid = new_session_id()
        session = session.model_copy(update={"issues": [with_default_step(i) for i in session.issues]})
        t = now()
        with self._db.write(sid) as tx:
            tx.run(
                "INSERT INTO sessions (id, title, description, meta, version, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, 1, ?, ?)",
                (sid, session.title, session.description, dumps(session_meta(session)), t, t),
            )
            tx.many(f"INSERT INTO items ({ITEM_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)", session_rows(sid, session))
            tx.many("INSERT INTO disclosure_plan (session_id, kind, item_id, audience, rev, data) "
                    "VALUES (?, ?, ?, ?, ?, ?)", plan_rows(sid, session))
            edit = Edit(tx, sid, FACILITATOR, source)
            edit.mark(SESSION, sid)
            edit.finish(self.core.actor, version=1)
        return sid

    def import_file(self, path: str | Path) -> str:
        return self.create(read_session_file(path), source="import")

    def set_titles(
        self,
        session_id: str,
        *,
        title: str | None = None,
        joint_title: str | None = None,
        description: str | None = None,
        language: str | None = None,
        role: str | Actor,
    ) -> None:
        """Change the working title, the title for everyone (``""``: the neutral default), the
        working note or the meeting's language (the room's, and every link's that names none);
        the facilitator only. One edit, op ``retitle`` (undo puts both back).
        Its changes are journaled apart: the working title and note as the facilitator's, the
        title for everyone as everyone's."""
        authorize_facilitator(as_actor(role).role, "change the session's titles")
        with self.core.edit(session_id, role, "retitle") as edit:
            row = edit.tx.one("SELECT title, description, meta FROM sessions WHERE id = ?", (session_id,))
            if row is None:
                raise self.core.no_session(session_id)
            meta = loads(row["meta"])
            working = {"title": row["title"], "description": row["description"]}
            joint = {"joint_title": meta.get("joint_title", ""), "language": meta.get("language", "en")}
            new = validate(Session, {
                "title": working["title"] if title is None else title,
                "description": working["description"] if description is None else description,
                "joint_title": joint["joint_title"] if joint_title is None else joint_title,
                "language": joint["language"] if language is None else language,
            }, "session")
            new_working = {"title": new.title, "description": new.description}
            if new_working != working:
                edit.tx.run("UPDATE sessions SET title = ?, description = ? WHERE id = ?",
                            (new.title, new.description, session_id))
                edit.changes.append(Change(SESSION, session_id, FACILITATOR, FACILITATOR, working, new_working))
            after = {"joint_title": new.joint_title, "language": new.language}
            if after != joint:
                edit.tx.run("UPDATE sessions SET meta = ? WHERE id = ?", (dumps({**meta, **after}), session_id))
                edit.changes.append(Change(SESSION, session_id, JOINT, JOINT, joint, after))

    def undo_change(self, edit: Edit, entry: JournalEntry, ch: Change) -> None:
        """Undo a change of the session itself: its titles (a ``retitle``) as they were."""
        if ch.before is None or ch.after is None:
            return  # the session made, or its links revoked: nothing to put back here
        row = edit.tx.one("SELECT title, description, meta FROM sessions WHERE id = ?", (edit.session_id,))
        if row is None:
            raise self.core.no_session(edit.session_id)
        if "joint_title" in ch.before:
            meta = loads(row["meta"])
            edit.tx.run("UPDATE sessions SET meta = ? WHERE id = ?", (dumps({**meta, **ch.before}), edit.session_id))
        else:
            edit.tx.run("UPDATE sessions SET title = ?, description = ? WHERE id = ?",
                        (ch.before["title"], ch.before["description"], edit.session_id))
        edit.changes.append(Change(SESSION, ch.item_id, ch.audience_after, ch.audience_before, ch.after, ch.before))


def _as_own(pairs: list[tuple[str, str]], party: str, own: OwnView) -> list[tuple[str, str]]:
    """``(kind, data)`` rows of a party's view with the party's ratings and positions replaced
    by one member's own (dropped where the member gave none); likewise its scores on option issues."""
    out: list[tuple[str, str]] = []
    for kind, data in pairs:
        if kind in (POSITION, OPTION_SCORES) and loads(data).get("party") == party:
            continue
        if kind == "goal":
            goal = loads(data)
            ratings = {k: v for k, v in goal.get("ratings", {}).items() if k != party}
            if goal["id"] in own.ratings:
                ratings[party] = own.ratings[goal["id"]]
            data = dumps({**goal, "ratings": ratings})
        out.append((kind, data))
        if kind == "issue":
            issue_id = loads(data)["id"]
            if issue_id in own.positions:
                p = own.positions[issue_id]
                out.append((POSITION, dumps({"issue": issue_id, "party": party, "ideal": p["ideal"],
                                             "walk_away": p.get("walk_away")})))
        if kind == "option_issue":
            issue_id = loads(data)["id"]
            if issue_id in own.option_scores:
                out.append((OPTION_SCORES, dumps({**own.option_scores[issue_id], "issue": issue_id, "party": party})))
    return out
