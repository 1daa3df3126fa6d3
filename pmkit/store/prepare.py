"""Preparation windows, as a part of the workspace: each person answers before the meeting,
on their own time, by a deadline; the answers become their inputs when the window closes.

The rows are :mod:`pmkit.store.prepare_rows`.

* **Opening** (the facilitator's, one edit, op ``prepare-open``): a deadline and what to ask
  (goals to rate, numeric issues needing a position, option issues needing scores, whether
  to weigh the goals pairwise). Everyone is listed then: each current participant, and each
  party without participants (its own link answers). A person is asked only the items their
  party may see. At most one window of a session is open.
* **Answers are private until the close, like a round.** A save is no edit: it writes the
  person's answer in ``prepare_answers`` (no version, no journal entry: nothing any page
  loads). Only the person reads their own answers (:meth:`Prepare.mine`: a party's read
  joins the items it may see); the facilitator reads progress, never answers
  (:meth:`Prepare.progress`); no other person and no other side reads anything of the window.
  Every save is checked in its transaction: the link's generations and a current participant
  (:func:`pmkit.store.core.check_actor`), the window open and before its deadline, the item
  one this person was asked, the value in range.
* **Closing** (one edit, op ``prepare-close``) writes every answer as its person's input (a
  participant's own input and the party's aggregate recomputed; a party's own rating,
  position or scores), through the same pieces of edits as the items and participants parts.
  **Cancelling** (op ``prepare-cancel``) drops them: they never become inputs and nobody
  reads them again. Each change of the window itself (kind ``prepare``) is journaled with
  the facilitator as its audience.
* **Undo** (:meth:`Prepare.undo_change`): undoing an opening removes the window (refused once
  anyone answered: cancel it instead); a close or a cancel opens the window again, its answers
  as they were (the inputs a close wrote are undone by their own parts, in the same undo).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import replace
from itertools import combinations
from typing import Any

from pmkit.errors import AccessDenied, ConflictError, InputError, NotFound
from pmkit.i18n import _
from pmkit.model import FACILITATOR, JOINT, everyone_title
from pmkit.rules.permissions import Actor, as_actor, authorize_facilitator, refuse_room
from pmkit.rules.visibility import may_see
from pmkit.store.core import Core, Part, check_actor
from pmkit.store.db import Row, Tx, now
from pmkit.store.edit import Change, Edit, JournalEntry
from pmkit.store.items import put_position, rate_goal, visible_row
from pmkit.store.options import put_option_scores
from pmkit.store.participant_rows import active_member, put_input, reaggregate
from pmkit.store.prepare_rows import (
    ASKED_KINDS,
    CANCELLED,
    CLOSED,
    KINDS,
    OPEN,
    PAIR,
    Asked,
    Mine,
    Person,
    Progress,
    Window,
    check_value,
    pair_key,
    parse_until,
)
from pmkit.store.rows import dumps, loads

__all__ = ["PREPARE", "Prepare"]

PREPARE = "prepare"  # the kind of change of a window's own state
_WINDOW = "SELECT window_id, state, opened_at, until, closed_at, asked FROM prepare_windows WHERE session_id = ?"
_INPUT = {"goal": "rating", "issue": "position", "option_issue": "option_scores", PAIR: "judgement"}
MAX_ASKED = 200  # items a window may ask


class Prepare(Part):
    """Preparation windows: part of :class:`pmkit.store.Workspace`."""

    def __init__(self, core: Core) -> None:
        super().__init__(core)

    # -- the facilitator's -----------------------------------------------------------------
    def open(self, session_id: str, until: str, *, goals: Iterable[str] = (), issues: Iterable[str] = (),
             options: Iterable[str] = (), pairwise: bool = False, role: str | Actor = FACILITATOR) -> Window:
        """Open a window until ``until`` asking these items (see the module)."""
        authorize_facilitator(as_actor(role).role, "open a preparation window")
        deadline = parse_until(until)
        lists = {"goals": list(dict.fromkeys(goals)), "issues": list(dict.fromkeys(issues)),
                 "options": list(dict.fromkeys(options))}
        asked: dict[str, Any] = {**lists, "pairwise": bool(pairwise)}
        count = sum(len(v) for v in lists.values())
        if not count:
            raise InputError(_("a preparation window asks something: give --goals, --issues or --options"))
        if count > MAX_ASKED:
            raise InputError(_("a preparation window asks at most {max_asked} items, got {count}").format(
                               max_asked=MAX_ASKED, count=count))
        if pairwise and len(lists["goals"]) < 2:
            raise InputError(_("weighing pairwise needs at least two goals"))
        with self.core.edit(session_id, role, "prepare-open") as edit:
            meta = self.core.check_role(session_id, role)
            _no_open_window(edit.tx, session_id)
            for key, kind in (("goals", "goal"), ("issues", "issue"), ("options", "option_issue")):
                for item_id in lists[key]:
                    visible_row(edit, kind, item_id)
            wid = f"p-{secrets.token_hex(4)}"
            at = now()
            edit.tx.run("INSERT INTO prepare_windows (session_id, window_id, opened_at, until, closed_at, state, "
                        "asked) VALUES (?, ?, ?, ?, NULL, ?, ?)", (session_id, wid, at, deadline, OPEN, dumps(asked)))
            with_members = {str(r["party"]): str(r["participant_id"]) for r in edit.tx.all(
                "SELECT party, participant_id FROM participants WHERE session_id = ? AND removed_at IS NULL "
                "ORDER BY pos", (session_id,))}
            people = [(str(r["participant_id"]), str(r["party"])) for r in edit.tx.all(
                "SELECT participant_id, party FROM participants WHERE session_id = ? AND removed_at IS NULL "
                "ORDER BY pos", (session_id,))]
            people += [(p["id"], p["id"]) for p in meta["parties"] if p["id"] not in with_members]
            edit.tx.many("INSERT INTO prepare_people (session_id, window_id, who, party, opened_at, submitted_at, "
                         "reminded_at) VALUES (?, ?, ?, ?, NULL, NULL, NULL)",
                         [(session_id, wid, who, party) for who, party in people])
            data = {"window": wid, "state": OPEN, "until": deadline, "opened_at": at, **asked}
            edit.changes.append(Change(PREPARE, wid, FACILITATOR, FACILITATOR, None, data))
        return self.current(session_id) or _missing(session_id)

    def current(self, session_id: str, role: str | Actor = FACILITATOR) -> Window | None:
        """The newest window, whatever its state (the facilitator's read), or ``None``."""
        authorize_facilitator(as_actor(role).role, "read the preparation window")
        self.core.require_session(session_id)
        rows = self._db.read(f"{_WINDOW} ORDER BY opened_at DESC, window_id LIMIT 1", (session_id,))
        return _window(rows[0]) if rows else None

    def progress(self, session_id: str, role: str | Actor = FACILITATOR) -> Progress | None:
        """Everyone's progress in the newest window (never their answers): the facilitator's."""
        if as_actor(role).role != FACILITATOR:
            raise AccessDenied(_("only the facilitator may read the preparation's progress"))
        window = self.current(session_id)
        if window is None:
            return None
        meta = self.core.meta(session_id)
        names = {p["id"]: p.get("name") or p["id"] for p in meta["parties"]}
        names.update({str(r["participant_id"]): str(r["name"]) for r in self._db.read(
            "SELECT participant_id, name FROM participants WHERE session_id = ?", (session_id,))})
        audiences = {(str(r["kind"]), str(r["item_id"])): str(r["audience"]) for r in self._db.read(
            "SELECT kind, item_id, audience FROM items WHERE session_id = ? AND kind IN (?, ?, ?)",
            (session_id, *ASKED_KINDS))}
        counted = {str(r["who"]): (int(r["n"]), r["last"]) for r in self._db.read(
            "SELECT who, count(*) AS n, max(at) AS last FROM prepare_answers WHERE session_id = ? AND window_id = ? "
            "GROUP BY who", (session_id, window.window_id))}
        people = []
        for r in self._db.read("SELECT p.who, p.party, p.opened_at, p.submitted_at, p.reminded_at FROM prepare_people "
                               "p LEFT JOIN participants m ON m.session_id = p.session_id AND m.participant_id = p.who "
                               "WHERE p.session_id = ? AND p.window_id = ? AND m.removed_at IS NULL "
                               "ORDER BY coalesce(m.pos, 0), p.party", (session_id, window.window_id)):
            party = str(r["party"])
            asked = _asked_items(window, {k: a for k, a in audiences.items() if may_see(party, a)})
            n, last = counted.get(str(r["who"]), (0, None))
            people.append(Person(str(r["who"]), party, names.get(str(r["who"]), str(r["who"])),
                                 len(asked) + len(_pairs(window, asked)), n, r["opened_at"], r["submitted_at"],
                                 r["reminded_at"], last))
        return Progress(window, tuple(people))

    def close(self, session_id: str, *, role: str | Actor = FACILITATOR) -> int:
        """Close the open window: every answer becomes its person's input, in one edit.
        Returns how many answers were written."""
        authorize_facilitator(as_actor(role).role, "close the preparation window")
        with self.core.edit(session_id, role, "prepare-close") as edit:
            meta = self.core.check_role(session_id, role)
            wid = _open_window_id(edit.tx, session_id)
            rows = edit.tx.all("SELECT a.who, a.party, a.kind, a.item_id, a.data FROM prepare_answers a "
                               "LEFT JOIN participants m ON m.session_id = a.session_id AND m.participant_id = a.who "
                               "WHERE a.session_id = ? AND a.window_id = ? AND m.removed_at IS NULL "
                               "ORDER BY a.at, a.who", (session_id, wid))
            written = 0
            for r in rows:
                written += _apply(edit, meta, str(r["who"]), str(r["party"]), str(r["kind"]), str(r["item_id"]),
                                  loads(r["data"]))
            _set_state(edit, wid, OPEN, CLOSED)
            return written

    def cancel(self, session_id: str, *, role: str | Actor = FACILITATOR) -> None:
        """Cancel the open window: its answers are dropped (never inputs, never read)."""
        authorize_facilitator(as_actor(role).role, "cancel the preparation window")
        with self.core.edit(session_id, role, "prepare-cancel") as edit:
            self.core.check_role(session_id, role)
            _set_state(edit, _open_window_id(edit.tx, session_id), OPEN, CANCELLED)

    def reminded(self, session_id: str, who: Iterable[str], *, role: str | Actor = FACILITATOR) -> None:
        """Note when these people were last reminded (the mail itself is journaled by
        :meth:`pmkit.store.mail.Mail.record`)."""
        authorize_facilitator(as_actor(role).role, "remind people")
        window = self.current(session_id)
        if window is None:
            return
        with self._db.write(session_id) as tx:
            tx.many("UPDATE prepare_people SET reminded_at = ? WHERE session_id = ? AND window_id = ? AND who = ?",
                    [(now(), session_id, window.window_id, w) for w in who])

    def open_windows(self) -> list[tuple[str, Window]]:
        """Every open window of the workspace, with its session (the server's reminders)."""
        rows = self._db.read("SELECT session_id, window_id, state, opened_at, until, closed_at, asked FROM "
                             "prepare_windows WHERE state = ? ORDER BY until", (OPEN,))
        return [(str(r["session_id"]), _window(r)) for r in rows]

    def ask_reminder(self, session_id: str, *, role: str | Actor = FACILITATOR) -> None:
        """Ask the server (`pmkit serve`) to remind, now, those who have not submitted."""
        authorize_facilitator(as_actor(role).role, "remind people")
        with self._db.write(session_id) as tx:
            tx.run("UPDATE prepare_windows SET remind_asked_at = ? WHERE session_id = ? AND state = ?",
                   (now(), session_id, OPEN))

    def claim_reminder(self, session_id: str, window_id: str, *, auto: bool) -> bool:
        """Whether this process is the one to send the window's reminder: the automatic one
        (``auto``: once per window) or the one asked for; whichever server asks first."""
        column = "auto_reminded_at" if auto else "remind_asked_at"
        with self._db.write(session_id) as tx:
            row = tx.one(f"SELECT {column} AS at FROM prepare_windows WHERE session_id = ? AND window_id = ? AND "
                         "state = ?", (session_id, window_id, OPEN))
            if row is None or (row["at"] is not None) == auto:
                return False
            tx.run(f"UPDATE prepare_windows SET {column} = ? WHERE session_id = ? AND window_id = ?",
                   (now() if auto else None, session_id, window_id))
            return True

    def title(self, session_id: str) -> str:
        """The session's title for everyone (never the facilitator's working title)."""
        meta = self.core.meta(session_id)
        date = meta.get("date")
        return everyone_title(str(meta.get("joint_title") or ""), dt.date.fromisoformat(date) if date else None)

    # -- a person's own ----------------------------------------------------------------------
    def mine(self, session_id: str, role: str | Actor, *, seen: bool = False) -> Mine | None:
        """The newest window as its person (a participant, or a party without participants)
        sees it: what they are asked and what they answered; ``None`` when there is none or
        they are not in it. ``seen``: note that they opened their page."""
        who = as_actor(role)
        refuse_room(who.role)
        if who.role == FACILITATOR:
            raise AccessDenied(_("the facilitator reads progress, not a person's answers"))
        self.core.check_role(session_id, who)
        rows = self._db.read(f"{_WINDOW} ORDER BY opened_at DESC, window_id LIMIT 1", (session_id,))
        if not rows or rows[0]["state"] == CANCELLED:
            return None
        window = _window(rows[0])
        person = who.participant or who.role
        me = self._db.read("SELECT party, opened_at, submitted_at FROM prepare_people WHERE session_id = ? AND "
                           "window_id = ? AND who = ? AND party = ?", (session_id, window.window_id, person, who.role))
        if not me:
            return None
        opened, submitted = me[0]["opened_at"], me[0]["submitted_at"]
        if seen and opened is None and window.accepting:
            with self._db.write(session_id) as tx:
                check_actor(tx, session_id, who)
                tx.run("UPDATE prepare_people SET opened_at = ? WHERE session_id = ? AND window_id = ? AND who = ? "
                       "AND opened_at IS NULL", (now(), session_id, window.window_id, person))
        items = {(str(r["kind"]), str(r["item_id"])): loads(r["data"]) for r in self._db.read(  # filtered here
            "SELECT kind, item_id, data FROM items WHERE session_id = ? AND kind IN (?, ?, ?) AND audience IN (?, ?)",
            (session_id, *ASKED_KINDS, JOINT, who.role))}
        asked = _asked_items(window, items)
        window = replace(window, goals=tuple(i for k, i in asked if k == "goal"),  # no id of an unseen item
                         issues=tuple(i for k, i in asked if k == "issue"),
                         options=tuple(i for k, i in asked if k == "option_issue"))
        answers = {(str(r["kind"]), str(r["item_id"])): loads(r["data"]) for r in self._db.read(
            "SELECT kind, item_id, data FROM prepare_answers WHERE session_id = ? AND window_id = ? AND who = ?",
            (session_id, window.window_id, person))}
        if opened is None:  # read again: noted just now, or by another server
            again = self._db.read("SELECT opened_at, submitted_at FROM prepare_people WHERE session_id = ? AND "
                                  "window_id = ? AND who = ?", (session_id, window.window_id, person))
            opened, submitted = again[0]["opened_at"], again[0]["submitted_at"]
        return Mine(window, person, who.role, tuple(Asked(k, i, items[(k, i)]) for k, i in asked),
                    _pairs(window, asked), answers, opened, submitted)

    def answer(self, session_id: str, kind: str, item_id: str, data: Mapping[str, Any] | None, *,
               role: str | Actor) -> dict[str, Any] | None:
        """Save (``None``: clear) one of the person's answers; returns it as stored."""
        who = as_actor(role)
        if kind not in KINDS:
            raise InputError(_("{kind} is not something a preparation asks; use one of {kinds}").format(
                               kind=repr(kind), kinds=', '.join(KINDS)))
        with self._person_write(session_id, who) as (tx, wid, person, window, opened):
            if kind == PAIR:
                a, _sep, b = item_id.partition("/")
                if pair_key(a, b) != item_id or a not in window.goals or b not in window.goals or a == b:
                    raise NotFound(_("'{item_id}' is not a pair of goals you were asked to weigh").format(
                                     item_id=item_id))
                item: dict[str, Any] = {"id": item_id}
                for g in (a, b):
                    _asked_row(tx, session_id, window, "goal", g, who.role)
            else:
                item = loads(_asked_row(tx, session_id, window, kind, item_id, who.role)["data"])
            value = None if data is None else check_value(kind, item, person, data)
            if value is None:
                tx.run("DELETE FROM prepare_answers WHERE session_id = ? AND window_id = ? AND who = ? AND kind = ? "
                       "AND item_id = ?", (session_id, wid, person, kind, item_id))
            else:
                tx.run("INSERT INTO prepare_answers (session_id, window_id, who, party, kind, item_id, data, at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (session_id, window_id, who, kind, item_id) "
                       "DO UPDATE SET party = excluded.party, data = excluded.data, at = excluded.at",
                       (session_id, wid, person, who.role, kind, item_id, dumps(value), now()))
            if not opened:
                tx.run("UPDATE prepare_people SET opened_at = coalesce(opened_at, ?) WHERE session_id = ? AND "
                       "window_id = ? AND who = ?", (now(), session_id, wid, person))
            return value

    def submit(self, session_id: str, *, role: str | Actor) -> str:
        """The person says they are done; returns when (they may still change an answer
        until the deadline, and submit again)."""
        at = now()
        with self._person_write(session_id, as_actor(role)) as (tx, wid, person, _window, _opened):
            tx.run("UPDATE prepare_people SET submitted_at = ?, opened_at = coalesce(opened_at, ?) WHERE "
                   "session_id = ? AND window_id = ? AND who = ?", (at, at, session_id, wid, person))
        return at

    def _person_write(self, session_id: str, who: Actor) -> Any:
        from contextlib import contextmanager

        refuse_room(who.role)
        if who.role == FACILITATOR:
            raise AccessDenied(_("answers are a participant's or a party's own; the facilitator answers none"))
        self.core.check_role(session_id, who)

        @contextmanager
        def write() -> Any:
            with self._db.write(session_id) as tx:
                check_actor(tx, session_id, who)
                row = tx.one(f"{_WINDOW} AND state = ?", (session_id, OPEN))
                if row is None:
                    raise ConflictError(_("the preparation window is closed; nothing was saved"))
                window = _window(row)
                if window.past_deadline:
                    raise ConflictError(_("the preparation window closed at {until}; nothing was saved").format(
                                          until=window.until))
                person = who.participant or who.role
                me = tx.one("SELECT opened_at FROM prepare_people WHERE session_id = ? AND window_id = ? AND who = ? "
                            "AND party = ?", (session_id, window.window_id, person, who.role))
                if me is None:
                    raise AccessDenied(_("this link is not asked in the preparation window; use your own link"))
                yield tx, window.window_id, person, window, me["opened_at"] is not None
        return write()

    # -- undo ---------------------------------------------------------------------------------
    @staticmethod
    def undo_change(edit: Edit, entry: JournalEntry, ch: Change) -> None:
        """Undo a window's opening (removed), close or cancel (open again)."""
        wid = ch.item_id
        if ch.before is None:
            if edit.tx.one("SELECT 1 AS one FROM prepare_answers WHERE session_id = ? AND window_id = ?",
                           (edit.session_id, wid)) is not None:
                raise ConflictError(_("answers were saved in preparation window {wid} since edit #{seq}; cancel the "
                                      "window instead (`pmkit prepare cancel`)").format(wid=wid, seq=entry.seq))
            for table in ("prepare_people", "prepare_windows"):
                edit.tx.run(f"DELETE FROM {table} WHERE session_id = ? AND window_id = ?", (edit.session_id, wid))
        else:
            _no_open_window(edit.tx, edit.session_id, _("before undoing this"))
            edit.tx.run("UPDATE prepare_windows SET state = ?, closed_at = NULL WHERE session_id = ? AND "
                        "window_id = ?", (ch.before["state"], edit.session_id, wid))
        edit.changes.append(Change(ch.kind, wid, ch.audience_after, ch.audience_before, ch.after, ch.before))


def _window(r: Row) -> Window:
    asked = json.loads(r["asked"])
    return Window(str(r["window_id"]), str(r["state"]), str(r["opened_at"]), str(r["until"]), r["closed_at"],
                  tuple(asked["goals"]), tuple(asked["issues"]), tuple(asked["options"]), bool(asked["pairwise"]))


def _missing(session_id: str) -> Window:
    raise NotFound(_("no preparation window in session '{session_id}'").format(session_id=session_id))


def _asked_items(window: Window, visible: Mapping[tuple[str, str], Any]) -> list[tuple[str, str]]:
    """The window's items among ``visible`` (those a person's party may see), in order."""
    wanted = [("goal", g) for g in window.goals] + [("issue", i) for i in window.issues]
    wanted += [("option_issue", o) for o in window.options]
    return [k for k in wanted if k in visible]


def _pairs(window: Window, asked: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    goals = [i for k, i in asked if k == "goal"]
    return tuple(combinations(goals, 2)) if window.pairwise else ()


def _asked_row(tx: Tx, session_id: str, window: Window, kind: str, item_id: str, party: str) -> Row:
    listed = {"goal": window.goals, "issue": window.issues, "option_issue": window.options}[kind]
    row = tx.one("SELECT data, audience FROM items WHERE session_id = ? AND kind = ? AND item_id = ?",
                 (session_id, kind, item_id))
    if item_id not in listed or row is None or not may_see(party, str(row["audience"])):
        raise NotFound(_("{kind} '{item_id}' is not one you were asked; nothing was saved").format(
                         kind=kind, item_id=item_id))
    return row


def _no_open_window(tx: Tx, session_id: str, then: str | None = None) -> None:
    row = tx.one("SELECT window_id FROM prepare_windows WHERE session_id = ? AND state = ?", (session_id, OPEN))
    if row is not None:
        raise ConflictError(_("preparation window {window_id} is open in session '{session_id}'; close or cancel it "
                              "(`pmkit prepare close|cancel {session_id}`) {then}").format(
                              window_id=row['window_id'], session_id=session_id,
                              then=then or _("before opening another")))


def _open_window_id(tx: Tx, session_id: str) -> str:
    row = tx.one("SELECT window_id FROM prepare_windows WHERE session_id = ? AND state = ?", (session_id, OPEN))
    if row is None:
        raise NotFound(_("no preparation window is open in session '{session_id}'; open one with `pmkit prepare open`")
                         .format(session_id=session_id))
    return str(row["window_id"])


def _set_state(edit: Edit, wid: str, before: str, after: str) -> None:
    at = now()
    edit.tx.run("UPDATE prepare_windows SET state = ?, closed_at = ? WHERE session_id = ? AND window_id = ? AND "
                "state = ?", (after, at, edit.session_id, wid, before))
    edit.changes.append(Change(PREPARE, wid, FACILITATOR, FACILITATOR, {"window": wid, "state": before},
                               {"window": wid, "state": after, "closed_at": at}))


def _apply(edit: Edit, meta: Mapping[str, Any], who: str, party: str, kind: str, item_id: str,
           data: dict[str, Any]) -> int:
    """Write one answer as its person's input (0 when its item is gone since)."""
    if kind == PAIR:
        if who == party:
            return 0  # a party without participants weighs no pairs: judgements are a member's own
        a, _sep, b = item_id.partition("/")
        put_input(edit, active_member(edit, who), "judgement", item_id, {"goal": a, "other": b,
                                                                          "value": data["value"]})
        return 1
    row = edit.row(kind, item_id)
    if row is None or not may_see(party, str(row["audience"])):
        return 0
    if who != party:  # a participant's own input, and the party's aggregate
        put_input(edit, active_member(edit, who), _INPUT[kind], item_id, data)
        reaggregate(edit, meta, party, _INPUT[kind], item_id)
    elif kind == "goal":
        rate_goal(edit, row, party, int(data["importance"]), str(data["stance"]))
    elif kind == "issue":
        put_position(edit, meta, item_id, party, data["ideal"], data.get("walk_away"))
    else:
        put_option_scores(edit, row, party, data)
    return 1
