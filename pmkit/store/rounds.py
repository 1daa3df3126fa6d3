"""Private rounds: the facilitator opens a round on goals, numeric issues and option
issues, each party answers privately, and one reveal publishes every answer at once.

Whoever rates second anchors on what the first said; a round keeps the answers apart until
they are all in. The tables (migration 3 of :mod:`pmkit.store.db`)::

    rounds         session_id, round_id, opened_at, closed_at, state (open | revealed |
                   cancelled), goals, issues (the ids, as JSON: the round's record; an
                   option issue is listed with the issues as ``option_issue:ID``)
    round_items    session_id, round_id, kind (goal | issue | option_issue), item_id (one row
                   per item)
    round_answers  session_id, round_id, party, kind, item_id, data (a rating or a
                   position, as JSON), at

At most one round of a session is open (a partial unique index holds it). While it is open,
a party's rating of a goal in it, or its position on an issue in it, is stored as that
party's answer, not in the item (:mod:`pmkit.store.answers`, from the edits themselves).

* **Reads filter in the query.** The facilitator reads every round, item and answer; any
  other role (a party, the room) reads only the rounds covering an item it may see, only
  those items, and only its own answers: another party's answer is never loaded by its
  process. Rounds are numbered 1, 2, ... among those the role sees.
* **Open, answer, reveal and cancel are each one edit** (one transaction, one version, one
  journal entry: ``op`` ``round-open``, ``answer``, ``reveal``, ``round-cancel``). The
  round's own change is seen by the roles that may see one of its items (everyone when one
  is joint); each item's change has the item's audience; an answer's change has its
  party's, so no other party's history holds it.
* **Reveal** writes every answer into the goals' ratings, the issues' positions and the
  option issues' scores (one
  change per goal, whatever the number of parties answering; the members' answers become
  their own inputs, and the party's aggregate is recomputed from them), fixes the default
  probe step of an issue it leaves with two ideals, and marks the round ``revealed``.
  **Cancel** drops the answers (each drop journaled with its party's audience).
* **Undo** reverts each of these whole (the changes of kinds ``round``, ``round-item`` and
  ``answer`` are undone here, :meth:`Rounds.undo_change`): undoing an opening removes the
  round, an answer puts back the one before, a reveal or a cancel opens the round again with
  its answers.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

from pmkit.errors import ConflictError, InputError, NotFound
from pmkit.i18n import _
from pmkit.model import FACILITATOR, JOINT, Position, Rating
from pmkit.rules.permissions import Actor, as_actor, authorize_round
from pmkit.rules.visibility import may_see
from pmkit.store.answers import (
    ANSWER,
    CANCELLED,
    OPEN,
    REVEALED,
    ROUND,
    ROUND_ITEM,
    ROUND_KINDS,
    Answer,
    Round,
    answer_change,
    answer_from_row,
)
from pmkit.store.core import Core, Part
from pmkit.store.db import Row, Tx, now
from pmkit.store.edit import Change, Edit, JournalEntry
from pmkit.store.items import fix_default_step, put_position, visible_row
from pmkit.store.options import put_option_scores
from pmkit.store.participant_rows import (
    INPUT_KIND,
    member_answer_change,
    own_view,
    participant_from_row,
    put_input,
    reaggregate,
)
from pmkit.store.rows import dumps, loads

__all__ = ["Rounds"]

_HEAD = "SELECT round_id, state, opened_at, closed_at FROM rounds WHERE session_id = ?"
_ANSWER = "SELECT a.round_id, a.party, a.kind, a.item_id, a.data, a.at FROM round_answers a"
_ITEMS = "SELECT ri.round_id, ri.kind, ri.item_id FROM round_items ri"
_SAME_ITEM = "items i ON i.session_id = {x}.session_id AND i.kind = {x}.kind AND i.item_id = {x}.item_id"
_LAST = 2**31 - 1  # where an item deleted since the round was opened is listed


def _round_audience(audiences: Iterable[str]) -> str:
    """Who sees that a round is open: everyone when it covers a joint item, else the one
    party all its items are for, else the facilitator alone (its items' own changes tell
    each party which of them it may see)."""
    found = set(audiences)
    if JOINT in found:
        return JOINT
    return found.pop() if len(found) == 1 else FACILITATOR


UNDONE_HERE = (ROUND, ROUND_ITEM, ANSWER)  # the kinds of changes :meth:`Rounds.undo_change` undoes


class Rounds(Part):
    """Private rounds and their reveal: part of :class:`pmkit.store.Workspace`."""

    def __init__(self, core: Core) -> None:
        super().__init__(core)

    # -- reads -----------------------------------------------------------------------------
    def all(self, session_id: str, role: str, participant: str | None = None) -> list[Round]:
        """Every round of the session that ``role`` may know of, oldest first, with the items
        it may see and the answers it may read (a party: its own; the facilitator: all). With
        ``participant`` (a member's own page, colleagues hidden) a party's answers are the
        member's own, never the side's aggregate of them."""
        self.core.check_role(session_id, role)
        heads = self._db.read(f"{_HEAD} ORDER BY opened_at, round_id", (session_id,))
        if role == FACILITATOR:  # every item (one deleted since, too: last) and every answer
            items = self._db.read(f"{_ITEMS} LEFT JOIN {_SAME_ITEM.format(x='ri')} WHERE ri.session_id = ? "
                                  f"ORDER BY coalesce(i.pos, {_LAST}), ri.item_id", (session_id,))
            answers = self._db.read(f"{_ANSWER} WHERE a.session_id = ? ORDER BY a.at, a.party", (session_id,))
        else:  # filtered by the query: only items this role may see, only its own answers
            items = self._db.read(f"{_ITEMS} JOIN {_SAME_ITEM.format(x='ri')} WHERE ri.session_id = ? "
                                  "AND i.audience IN (?, ?) ORDER BY i.pos", (session_id, JOINT, role))
            answers = self._db.read(f"{_ANSWER} JOIN {_SAME_ITEM.format(x='a')} WHERE a.session_id = ? "
                                    "AND a.party = ? AND i.audience IN (?, ?) ORDER BY a.at",
                                    (session_id, role, JOINT, role))
        out = _assemble(heads, [(r["round_id"], r["kind"], r["item_id"]) for r in items], answers,
                        every=role == FACILITATOR)
        own = own_view(self._db, session_id, role, participant) if participant and role != FACILITATOR else None
        if own is None:
            return out
        return [replace(r, answers=tuple(
            Answer(role, kind, item, "", rating=Rating(**data) if kind == "goal" else None,
                   position=Position(**data) if kind == "issue" else None)
            for (rid, kind, item), data in own.answers.items() if rid == r.round_id)) for r in out]

    def current(self, session_id: str, role: str, participant: str | None = None) -> Round | None:
        """The open round as ``role`` may see it, or ``None`` (none open, or none of its
        items visible to ``role``)."""
        if not self._db.read("SELECT 1 AS one FROM rounds WHERE session_id = ? AND state = 'open'", (session_id,)):
            self.core.check_role(session_id, role)  # none open: nothing more to read (each page asks often)
            return None
        found = self.all(session_id, role, participant)
        return found[-1] if found and found[-1].is_open else None

    def get(self, session_id: str, round_id: str, role: str) -> Round:
        """One round as ``role`` may see it (:class:`~pmkit.errors.NotFound` when it may not)."""
        for r in self.all(session_id, role):
            if r.round_id == round_id:
                return r
        raise NotFound(_("no round '{round_id}' in session '{session_id}'; `pmkit round status` shows the rounds")
                         .format(round_id=round_id, session_id=session_id))

    # -- edits -----------------------------------------------------------------------------
    def open(
        self,
        session_id: str,
        goals: Sequence[str] = (),
        issues: Sequence[str] = (),
        *,
        option_issues: Sequence[str] = (),
        role: str | Actor = FACILITATOR,
    ) -> Round:
        """Open a round on ``goals``, numeric ``issues`` and ``option_issues`` (ids; at least
        one item). Refused while another round of the session is open."""
        authorize_round(as_actor(role).role, "open a round")
        wanted = {"goal": list(dict.fromkeys(goals)), "issue": list(dict.fromkeys(issues)),
                  "option_issue": list(dict.fromkeys(option_issues))}
        if not any(wanted.values()):
            raise InputError(_("a round needs at least one goal, numeric issue or option issue (--goals ID,..., "
                               "--issues ID,... or --options ID,...)"))
        round_id = f"r-{secrets.token_hex(4)}"
        with self.core.edit(session_id, role, "round-open") as edit:
            self.core.check_role(session_id, role)
            self._no_open_round(edit.tx, session_id)
            rows = [(kind, visible_row(edit, kind, item_id)) for kind in ROUND_KINDS for item_id in wanted[kind]]
            edit.tx.run(
                "INSERT INTO rounds (session_id, round_id, opened_at, closed_at, state, goals, issues) "
                "VALUES (?, ?, ?, NULL, ?, ?, ?)",
                (session_id, round_id, now(), OPEN, dumps(wanted["goal"]),
                 dumps(wanted["issue"] + [f"option_issue:{i}" for i in wanted["option_issue"]])),
            )
            edit.tx.many("INSERT INTO round_items (session_id, round_id, kind, item_id) VALUES (?, ?, ?, ?)",
                         [(session_id, round_id, kind, r["item_id"]) for kind, r in rows])
            aud = _round_audience(r["audience"] for _k, r in rows)
            edit.changes.append(Change(ROUND, round_id, aud, aud, None, {"round": round_id, "state": OPEN}))
            for kind, r in rows:
                data = loads(r["data"])
                edit.changes.append(Change(ROUND_ITEM, f"{round_id}/{kind}/{r['item_id']}", r["audience"],
                                           r["audience"], None, {"round": round_id, "kind": kind,
                                                                 "item": r["item_id"], "title": data["title"]}))
        return self.get(session_id, round_id, FACILITATOR)

    def reveal(self, session_id: str, *, role: str | Actor = FACILITATOR) -> Round:
        """Publish every answer of the open round at once, in one edit (``op='reveal'``): the
        ratings go into the goals, the positions into the issues; the round is revealed.
        An answer on an item deleted since, or that its party may no longer see, is left out."""
        authorize_round(as_actor(role).role, "reveal a round")
        with self.core.edit(session_id, role, "reveal") as edit:
            meta = self.core.check_role(session_id, role)
            round_id = self._open_round_id(edit.tx, session_id)
            parties = [p["id"] for p in meta["parties"]]
            answers = edit.tx.all(f"{_ANSWER} WHERE a.session_id = ? AND a.round_id = ? ORDER BY a.kind, a.item_id, "
                                  "a.party", (session_id, round_id))
            self._round_state(edit, round_id, OPEN, REVEALED)
            members = self._reveal_members(edit, round_id)
            by_goal: dict[str, list[Row]] = defaultdict(list)
            for a in answers:
                if a["kind"] == "goal":
                    by_goal[a["item_id"]].append(a)
            for goal_id, given in by_goal.items():
                row = edit.row("goal", goal_id)
                if row is None:
                    continue
                before = loads(row["data"])
                ratings = dict(before.get("ratings", {}))
                for a in given:
                    if a["party"] in parties and may_see(a["party"], row["audience"]):
                        ratings[a["party"]] = Rating(**loads(a["data"])).model_dump()
                if ratings != before.get("ratings", {}):
                    edit.update(row, {**before, "ratings": ratings}, row["audience"])
            for a in answers:
                issue = edit.row("issue", a["item_id"]) if a["kind"] == "issue" else None
                if issue is not None and a["party"] in parties and may_see(a["party"], issue["audience"]):
                    data = loads(a["data"])
                    put_position(edit, meta, a["item_id"], a["party"], data["ideal"], data.get("walk_away"))
                    fix_default_step(edit, a["item_id"])
                option = edit.row("option_issue", a["item_id"]) if a["kind"] == "option_issue" else None
                if option is not None and a["party"] in parties and may_see(a["party"], option["audience"]):
                    put_option_scores(edit, option, a["party"], loads(a["data"]))
            for party, kind, item_id in members:  # the members' answers are now their inputs: the aggregate of those
                reaggregate(edit, meta, party, kind, item_id)
        return self.get(session_id, round_id, FACILITATOR)

    def cancel(self, session_id: str, *, role: str | Actor = FACILITATOR) -> Round:
        """Close the open round without publishing anything: its answers are dropped."""
        authorize_round(as_actor(role).role, "cancel a round")
        with self.core.edit(session_id, role, "round-cancel") as edit:
            self.core.check_role(session_id, role)
            round_id = self._open_round_id(edit.tx, session_id)
            self._round_state(edit, round_id, OPEN, CANCELLED)
            for a in edit.tx.all(f"{_ANSWER} WHERE a.session_id = ? AND a.round_id = ? ORDER BY a.kind, a.item_id, "
                                 "a.party", (session_id, round_id)):
                row = edit.row(a["kind"], a["item_id"])
                item = loads(row["data"]) if row else {"id": a["item_id"]}
                edit.changes.append(answer_change(round_id, a["party"], a["kind"], item, loads(a["data"]), None))
            edit.tx.run("DELETE FROM round_answers WHERE session_id = ? AND round_id = ?", (session_id, round_id))
            for a in edit.tx.all("SELECT participant_id, party, kind, item_id, data FROM participant_answers WHERE "
                                 "session_id = ? AND round_id = ?", (session_id, round_id)):
                edit.changes.append(member_answer_change(round_id, a["participant_id"], a["party"], a["kind"],
                                                         a["item_id"], loads(a["data"]), None))
            edit.tx.run("DELETE FROM participant_answers WHERE session_id = ? AND round_id = ?", (session_id, round_id))
        return self.get(session_id, round_id, FACILITATOR)

    # -- parts of edits ----------------------------------------------------------------------
    def _reveal_members(self, edit: Edit, round_id: str) -> list[tuple[str, str, str]]:
        """Write each member's answer in the round as that member's input (a rating, or a
        position); returns the ``(party, input kind, item)`` answered (members removed since,
        and items deleted since, are left out)."""
        done: list[tuple[str, str, str]] = []
        for a in edit.tx.all("SELECT a.kind, a.item_id, a.data, p.participant_id, p.party, p.name, p.weight, "
                             "p.created_at, p.removed_at, p.link_epoch, p.pos FROM participant_answers a JOIN "
                             "participants p ON p.session_id = a.session_id AND p.participant_id = a.participant_id "
                             "WHERE a.session_id = ? AND a.round_id = ? AND p.removed_at IS NULL ORDER BY a.kind, "
                             "a.item_id, p.pos", (edit.session_id, round_id)):
            if edit.row(a["kind"], a["item_id"]) is None:
                continue
            kind = INPUT_KIND[a["kind"]]
            put_input(edit, participant_from_row(a), kind, a["item_id"], loads(a["data"]))
            done.append((a["party"], kind, a["item_id"]))
        return list(dict.fromkeys(done))

    def undo_change(self, edit: Edit, entry: JournalEntry, ch: Change) -> None:
        """Undo a change of a round, one of its items, or an answer, as it was before ``entry``."""
        sid = edit.session_id
        if ch.kind == ROUND:
            if ch.before is None:  # opened: the round goes
                edit.tx.run("DELETE FROM round_items WHERE session_id = ? AND round_id = ?", (sid, ch.item_id))
                edit.tx.run("DELETE FROM rounds WHERE session_id = ? AND round_id = ? AND state = ?",
                            (sid, ch.item_id, OPEN))
                edit.changes.append(Change(ROUND, ch.item_id, ch.audience_after, ch.audience_before, ch.after, None))
                return
            before, after = str(ch.before["state"]), str((ch.after or {}).get("state"))
            if before == OPEN:
                self._no_open_round(edit.tx, sid, _("before undoing edit #{seq} of round {round_id}").format(
                    seq=entry.seq, round_id=ch.item_id))
            self._round_state(edit, ch.item_id, after, before)
        elif ch.kind == ROUND_ITEM:
            if ch.before is None:
                _round, kind, item_id = ch.item_id.split("/", 2)
                edit.tx.run("DELETE FROM round_items WHERE session_id = ? AND round_id = ? AND kind = ? "
                            "AND item_id = ?",
                            (sid, _round, kind, item_id))
                edit.changes.append(Change(ROUND_ITEM, ch.item_id, ch.audience_after, ch.audience_before, ch.after,
                                           None))
        elif ch.kind == ANSWER:
            round_id, party, kind, item_id = ch.item_id.split("/", 3)
            edit.tx.run("DELETE FROM round_answers WHERE session_id = ? AND round_id = ? AND party = ? AND kind = ? "
                        "AND item_id = ?", (sid, round_id, party, kind, item_id))
            if ch.before is not None:
                data = {k: v for k, v in ch.before.items() if k not in ("round", "party", "kind", "item", "title")}
                edit.tx.run("INSERT INTO round_answers (session_id, round_id, party, kind, item_id, data, at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?)", (sid, round_id, party, kind, item_id, dumps(data), now()))
            edit.changes.append(Change(ANSWER, ch.item_id, ch.audience_after, ch.audience_before, ch.after, ch.before))

    @staticmethod
    def _no_open_round(tx: Tx, session_id: str, then: str | None = None) -> None:
        row = tx.one("SELECT round_id FROM rounds WHERE session_id = ? AND state = ?", (session_id, OPEN))
        if row is not None:
            raise ConflictError(_("round {round_id} is open in session '{session_id}'; reveal or cancel it (`pmkit "
                                  "round reveal|cancel {session_id}`) {then}").format(
                                  round_id=row['round_id'], session_id=session_id,
                                  then=then or _("before opening another")))

    @staticmethod
    def _open_round_id(tx: Tx, session_id: str) -> str:
        row = tx.one("SELECT round_id FROM rounds WHERE session_id = ? AND state = ?", (session_id, OPEN))
        if row is None:
            raise NotFound(_("no round is open in session '{session_id}'; open one with `pmkit round open`").format(
                             session_id=session_id))
        return str(row["round_id"])

    @staticmethod
    def _round_state(edit: Edit, round_id: str, before: str, after: str) -> None:
        """Move the round from state ``before`` to ``after``, and journal it (the round's
        change has the audience of its items, as when it was opened)."""
        closed = None if after == OPEN else now()
        edit.tx.run("UPDATE rounds SET state = ?, closed_at = ? WHERE session_id = ? AND round_id = ? AND state = ?",
                    (after, closed, edit.session_id, round_id, before))
        auds = [r["audience"] for r in edit.tx.all(
            f"SELECT i.audience FROM round_items ri JOIN {_SAME_ITEM.format(x='ri')} WHERE ri.session_id = ? "
            "AND ri.round_id = ?", (edit.session_id, round_id))]
        aud = _round_audience(auds) if auds else FACILITATOR
        edit.changes.append(Change(ROUND, round_id, aud, aud, {"round": round_id, "state": before},
                                   {"round": round_id, "state": after}))


def _assemble(heads: Sequence[Row], items: Iterable[tuple[str, str, str]], answers: Sequence[Row], *,
              every: bool) -> list[Round]:
    """Rounds from their rows; without ``every``, only those with an item in ``items``."""
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"goal": [], "issue": [], "option_issue": []})
    for round_id, kind, item_id in items:
        found[round_id][kind].append(item_id)
    given = defaultdict(list)
    for a in answers:
        given[a["round_id"]].append(answer_from_row(a))
    out: list[Round] = []
    for h in heads:
        rid = h["round_id"]
        if not every and rid not in found:
            continue
        out.append(Round(rid, len(out) + 1, h["state"], h["opened_at"], h["closed_at"], tuple(found[rid]["goal"]),
                         tuple(found[rid]["issue"]), tuple(given[rid]), tuple(found[rid]["option_issue"])))
    return out

