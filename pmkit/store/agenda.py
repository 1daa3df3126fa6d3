"""The agenda, as a part of the workspace: its items, and running them in the meeting.

An agenda item has a title, a timebox in minutes, an audience like every item and,
optionally, the goal, numeric issue or option issue it is about (``goal:ID``). **An item
about a withheld item is not joint**: its audience defaults to that item's, a joint one is
refused, and a read filters on both in the query: a role reads an agenda item only when it
may see the item and what it is about (the room: joint items about joint items), so the
room's process never loads one it may not show, even if what it is about is withheld later.

**Running the meeting.** :meth:`Agenda.start` starts the first item not yet taken;
:meth:`Agenda.next` ends the running one and starts the next; :meth:`Agenda.extend` gives
the running one more minutes. Each item keeps when it started and ended (the store's
clock, UTC), so its remaining time, its overtime and the time spent on it are counted from
the server's time stamps (:meth:`AgendaItem.remaining`), never from a browser's clock.

Every change (adding, starting, moving on, extending) is one edit, journaled as a change of
kind ``agenda`` with the item's audience (a party's history holds only those it may see),
and undone like any other (:meth:`Agenda.undo_change`, registered with the journal).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import secrets
from dataclasses import dataclass
from typing import Any

from pmkit.errors import ConflictError, InputError, NotFound
from pmkit.i18n import _
from pmkit.model import FACILITATOR, JOINT, ROOM
from pmkit.model.base import MAX_TITLE
from pmkit.rules.permissions import Actor, as_actor, authorize_facilitator
from pmkit.store.core import Core, Part
from pmkit.store.db import Row, Tx, now
from pmkit.store.edit import Change, Edit, JournalEntry
from pmkit.text import shorten

__all__ = ["ABOUT_KINDS", "AGENDA", "AgendaItem", "Agenda", "MAX_MINUTES"]

AGENDA = "agenda"  # the kind of change of an agenda item
ABOUT_KINDS = ("goal", "issue", "option_issue")  # what an agenda item may be about
MAX_MINUTES = 480  # a timebox, or an extension, of at most a working day
_COLUMNS = "a.item_id, a.pos, a.audience, a.data"


@dataclass(frozen=True)
class AgendaItem:
    """One agenda item as a role may read it. ``about`` is ``KIND:ID`` or ""; ``extended``
    the minutes added to the timebox in the meeting; ``started_at`` and ``ended_at`` the
    store's UTC time stamps (None: not yet)."""

    item_id: str
    title: str
    minutes: int
    audience: str
    about: str = ""
    extended: int = 0
    started_at: str | None = None
    ended_at: str | None = None
    pos: int = 0

    @property
    def state(self) -> str:
        """``waiting``, ``running`` or ``done``."""
        return "waiting" if self.started_at is None else "running" if self.ended_at is None else "done"

    @property
    def timebox(self) -> int:
        """The minutes it has: planned and extended."""
        return self.minutes + self.extended

    def spent(self, at: dt.datetime | None = None) -> float:
        """Seconds spent on it: until it ended, or until ``at`` (the server's now) while it runs."""
        if self.started_at is None:
            return 0.0
        end = dt.datetime.fromisoformat(self.ended_at) if self.ended_at else (at or clock())
        return max(0.0, (end - dt.datetime.fromisoformat(self.started_at)).total_seconds())

    def remaining(self, at: dt.datetime | None = None) -> float:
        """Seconds left of its timebox (negative: overtime), as of ``at`` (the server's now)."""
        return self.timebox * 60 - self.spent(at)

    def spent_minutes(self, at: dt.datetime | None = None) -> int:
        """Minutes spent on it, to the nearest minute."""
        return math.floor(self.spent(at) / 60 + 0.5)

    def overrun(self, at: dt.datetime | None = None) -> int:
        """Whole minutes spent beyond the planned minutes (0 if none): an extension is time
        over the plan too."""
        return max(0, self.spent_minutes(at) - self.minutes)

    def data(self) -> dict[str, Any]:
        return {"id": self.item_id, "title": self.title, "minutes": self.minutes, "about": self.about,
                "extended": self.extended, "started_at": self.started_at, "ended_at": self.ended_at,
                "pos": self.pos}


def clock() -> dt.datetime:
    """The server's time, as the store stamps it (UTC)."""
    return dt.datetime.fromisoformat(now())


class Agenda(Part):
    """Agenda items and running them: part of :class:`pmkit.store.Workspace`."""

    def __init__(self, core: Core) -> None:
        super().__init__(core)

    # -- reads -----------------------------------------------------------------------------
    def items(self, session_id: str, role: str = FACILITATOR) -> list[AgendaItem]:
        """The agenda as ``role`` may see it, in order (see the module: filtered in the query)."""
        self.core.check_role(session_id, role)
        sql = f"SELECT {_COLUMNS} FROM agenda_items a WHERE a.session_id = ?"
        args: tuple[str, ...] = (session_id,)
        if role != FACILITATOR:
            audiences = (JOINT,) if role == ROOM else (JOINT, role)
            marks = ", ".join("?" * len(audiences))
            sql += (f" AND a.audience IN ({marks}) AND (a.about_kind = '' OR EXISTS (SELECT 1 FROM items i "
                    "WHERE i.session_id = a.session_id AND i.kind = a.about_kind AND i.item_id = a.about_id "
                    f"AND i.audience IN ({marks})))")
            args += (*audiences, *audiences)
        return [_item(r) for r in self._db.read(sql + " ORDER BY a.pos", args)]

    def current(self, session_id: str, role: str = FACILITATOR) -> AgendaItem | None:
        """The running item ``role`` may see, or None (the room: the running joint item)."""
        return next((a for a in self.items(session_id, role) if a.state == "running"), None)

    # -- edits -----------------------------------------------------------------------------
    def add(self, session_id: str, title: str, minutes: int, *, audience: str | None = None, about: str = "",
            role: str | Actor = FACILITATOR) -> AgendaItem:
        """Add an item at the end of the agenda (the facilitator's). ``about``: ``KIND:ID``
        of a goal, numeric issue or option issue; ``audience`` defaults to that item's (else
        everyone's), and an item about a withheld item cannot be joint."""
        authorize_facilitator(as_actor(role).role, "prepare the agenda")
        name = " ".join(str(title).split())
        if not name or len(name) > MAX_TITLE:
            raise InputError(_("an agenda item's title must be 1-{max_title} characters, got {name}").format(
                               max_title=MAX_TITLE, name=repr(shorten(name, 40))))
        length = _minutes(minutes, "an agenda item's timebox")
        kind, _sep, ref = str(about or "").partition(":")
        if about and (kind not in ABOUT_KINDS or not ref):
            raise InputError(_("--about takes KIND:ID with KIND one of {about_kinds}, got {about}").format(
                               about_kinds=', '.join(ABOUT_KINDS), about=repr(shorten(about, 40))))
        with self.core.edit(session_id, role, "add") as edit:
            meta = self.core.check_role(session_id, role)
            allowed = [JOINT, FACILITATOR, *(p["id"] for p in meta["parties"])]
            target = _about(edit.tx, session_id, kind, ref) if about else None
            aud = audience or (str(target["audience"]) if target is not None else JOINT)
            if aud not in allowed:
                raise InputError(_("audience '{aud}' is not allowed; use one of {allowed}").format(
                                   aud=aud, allowed=', '.join(allowed)))
            if target is not None and aud != FACILITATOR and target["audience"] not in (JOINT, aud):
                what = json.loads(target["data"]).get("title", ref)
                raise InputError(_("'{what}' is for {audience} alone: an agenda item about it cannot be for {aud}; "
                                   "give it --audience {audience}").format(
                                   what=shorten(what, 40), audience=target['audience'], aud=aud))
            pos = edit.tx.one("SELECT coalesce(max(pos), 0) + 1 AS pos FROM agenda_items WHERE session_id = ?",
                              (session_id,))
            item = AgendaItem(f"t-{secrets.token_hex(4)}", name, length, aud, about if about else "",
                              pos=int(pos["pos"]) if pos else 1)
            edit.tx.run("INSERT INTO agenda_items (session_id, item_id, pos, audience, about_kind, about_id, data) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)", (session_id, item.item_id, item.pos, aud, kind if about else "",
                                                         ref if about else "", json.dumps(item.data())))
            edit.changes.append(Change(AGENDA, item.item_id, None, aud, None, item.data()))
        return item

    def start(self, session_id: str, *, role: str | Actor = FACILITATOR) -> AgendaItem:
        """Start the first item not yet taken (the facilitator's); refused while one runs."""
        authorize_facilitator(as_actor(role).role, "run the agenda")
        with self.core.edit(session_id, role, "agenda-start") as edit:
            rows = _all(edit.tx, session_id)
            running = next((a for a in rows if a.state == "running"), None)
            if running is not None:
                raise InputError(_("'{title}' is running; move on with --next").format(
                                   title=shorten(running.title, 40)))
            first = _waiting(rows, session_id)
            return _put(edit, first, AgendaItem(**{**_fields(first), "started_at": now()}))

    def next(self, session_id: str, *, role: str | Actor = FACILITATOR) -> AgendaItem | None:
        """End the running item and start the next one not yet taken (the facilitator's);
        returns it, or None when the agenda is done."""
        authorize_facilitator(as_actor(role).role, "run the agenda")
        with self.core.edit(session_id, role, "agenda-next") as edit:
            rows = _all(edit.tx, session_id)
            running = next((a for a in rows if a.state == "running"), None)
            at = now()
            if running is None:
                first = _waiting(rows, session_id)
                return _put(edit, first, AgendaItem(**{**_fields(first), "started_at": at}))
            _put(edit, running, AgendaItem(**{**_fields(running), "ended_at": at}))
            later = next((a for a in rows if a.state == "waiting"), None)
            if later is None:
                return None
            return _put(edit, later, AgendaItem(**{**_fields(later), "started_at": at}))

    def extend(self, session_id: str, minutes: int, *, role: str | Actor = FACILITATOR) -> AgendaItem:
        """Give the running item ``minutes`` more (the facilitator's)."""
        authorize_facilitator(as_actor(role).role, "run the agenda")
        more = _minutes(minutes, "an extension")
        with self.core.edit(session_id, role, "agenda-extend") as edit:
            running = next((a for a in _all(edit.tx, session_id) if a.state == "running"), None)
            if running is None:
                raise InputError(_("no agenda item is running; start one with --start"))
            return _put(edit, running, AgendaItem(**{**_fields(running), "extended": running.extended + more}))

    def undo_change(self, edit: Edit, entry: JournalEntry, ch: Change) -> None:
        """Put an agenda item back as it was before ``entry``, and journal that."""
        row = edit.tx.one("SELECT data FROM agenda_items WHERE session_id = ? AND item_id = ?",
                          (edit.session_id, ch.item_id))
        if (json.loads(row["data"]) if row else None) != ch.after:
            raise ConflictError(_("agenda item '{item_id}' changed after edit #{seq}; undo the later edit first")
                                  .format(item_id=ch.item_id, seq=entry.seq))
        if ch.before is None:
            edit.tx.run("DELETE FROM agenda_items WHERE session_id = ? AND item_id = ?", (edit.session_id, ch.item_id))
        elif row is None:
            kind, _sep, ref = str(ch.before.get("about") or "").partition(":")
            edit.tx.run("INSERT INTO agenda_items (session_id, item_id, pos, audience, about_kind, about_id, data) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)", (edit.session_id, ch.item_id, int(ch.before.get("pos", 0)),
                                                         ch.audience_before or FACILITATOR, kind, ref,
                                                         json.dumps(ch.before)))
        else:
            edit.tx.run("UPDATE agenda_items SET data = ? WHERE session_id = ? AND item_id = ?",
                        (json.dumps(ch.before), edit.session_id, ch.item_id))
        edit.changes.append(Change(AGENDA, ch.item_id, ch.audience_after, ch.audience_before, ch.after, ch.before))


def _minutes(value: Any, what: str) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        n = 0
    if (n != value and str(n) != str(value).strip()) or not 1 <= n <= MAX_MINUTES:
        raise InputError(_("{what} must be a whole number of minutes from 1 to {max_minutes}, got {value}").format(
                           what=what, max_minutes=MAX_MINUTES, value=repr(value)))
    return n


def _about(tx: Tx, session_id: str, kind: str, ref: str) -> Row:
    row = tx.one("SELECT audience, data FROM items WHERE session_id = ? AND kind = ? AND item_id = ?",
                 (session_id, kind, ref))
    if row is None:
        raise NotFound(_("no {kind} '{ref}' in session '{session_id}'").format(
                         kind=kind.replace('_', ' '), ref=ref, session_id=session_id))
    return row


def _item(r: Row) -> AgendaItem:
    d = json.loads(r["data"])
    return AgendaItem(str(r["item_id"]), str(d["title"]), int(d["minutes"]), str(r["audience"]),
                      str(d.get("about") or ""), int(d.get("extended", 0)), d.get("started_at"), d.get("ended_at"),
                      int(r["pos"]))


def _fields(item: AgendaItem) -> dict[str, Any]:
    return {f: getattr(item, f) for f in AgendaItem.__dataclass_fields__}


def _all(tx: Tx, session_id: str) -> list[AgendaItem]:
    return [_item(r) for r in tx.all(f"SELECT {_COLUMNS} FROM agenda_items a WHERE a.session_id = ? ORDER BY a.pos",
                                     (session_id,))]


def _waiting(rows: list[AgendaItem], session_id: str) -> AgendaItem:
    first = next((a for a in rows if a.state == "waiting"), None)
    if first is None:
        raise InputError(_("session '{session_id}' has no agenda item left to start; add one with --add").format(
                           session_id=session_id)
                         if rows else _("session '{session_id}' has no agenda; add items with --add").format(
                                        session_id=session_id))
    return first


def _put(edit: Edit, before: AgendaItem, after: AgendaItem) -> AgendaItem:
    edit.tx.run("UPDATE agenda_items SET data = ? WHERE session_id = ? AND item_id = ?",
                (json.dumps(after.data()), edit.session_id, after.item_id))
    edit.changes.append(Change(AGENDA, after.item_id, before.audience, after.audience, before.data(), after.data()))
    return after
