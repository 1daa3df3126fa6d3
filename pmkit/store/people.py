"""Several people per side: a party's members (participants), their own inputs, and the
party's rating and position as their aggregate.

The tables (migration 8 of :mod:`pmkit.store.db`)::

    participants         session_id, participant_id (``u-`` + 8 hex: no words), party, name,
                         weight, created_at, removed_at, link_epoch (their own link generation)
    participant_inputs   session_id, participant_id, party, kind (rating | position |
                         judgement), item_id (goal, issue, or ``goal/goal`` for a judgement),
                         data (JSON), at
    participant_answers  session_id, round_id, participant_id, party, kind, item_id, data, at
    session_options      session_id, name, value (``show_colleagues``: ``on`` | ``off``)

* **A member's input is one edit with the party's aggregate.** Setting a member's rating
  (or position) writes it and recomputes the party's rating of that goal (or position on
  that issue) from every current member's input by the rules of :mod:`pmkit.rules.aggregation`,
  and writes that through the same path as a party's own rating, in the same edit (one
  transaction, one journal entry, undone whole). Removing a member recomputes every
  aggregate the member was in (their inputs stay, out of the aggregate; undo brings them
  back). When no current member has rated a goal, the party has not rated it.
* **A party with members rates through them.** Its page opened from the party's own link
  (no member) may not set the party's rating directly; the facilitator may (it stands until
  a member's next input on the item recomputes it). A session without members is as before.
* **Reads filter in the query.** The facilitator reads every member and input. A party's
  process reads only its own members (``party = role``), and of them only the member whose
  link it was opened from, unless the session option ``show_colleagues`` is on; another
  party's process reads none: no member's name, rating or count reaches it. Every member
  change is journaled with the facilitator as its audience, so no party's history holds it.
* **In a round**, a member's rating of a goal in the open round is the member's private
  answer; the party's answer is the aggregate of its members' ratings with each answer in
  place of its member's rating, recomputed at every member answer; the reveal writes the
  members' answers as their inputs (:mod:`pmkit.store.rounds`).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from pmkit.errors import AccessDenied, InputError, NotFound
from pmkit.model import FACILITATOR, MAX_TITLE, Position, Rating
from pmkit.rules.aggregation import aggregate_position, aggregate_rating, check_weight
from pmkit.rules.permissions import authorize_facilitator, authorize_member
from pmkit.rules.visibility import may_see
from pmkit.store.answers import covering_round, put_answer
from pmkit.store.db import Row, now
from pmkit.store.edits import Rated, fix_default_step
from pmkit.store.journal import Change, Edit, JournalEntry
from pmkit.store.members import (
    _P,
    INPUT,
    MAX_MEMBERS,
    MEMBER_ANSWER,
    PARTICIPANT,
    SHOW_COLLEAGUES,
    Members,
    Participant,
    _data,
    _participant,
)
from pmkit.store.rows import dumps, loads
from pmkit.text import shorten

__all__ = ["People"]


class People(Members):
    """Members, their inputs and the party's aggregate: part of :class:`pmkit.store.Workspace`."""

    # -- members ---------------------------------------------------------------------------
    def add_participant(self, session_id: str, party: str, name: str, weight: float = 1.0, *,
                        role: str = FACILITATOR) -> Participant:
        """Add a member to ``party`` (the facilitator's); the id is random, never the name."""
        authorize_facilitator(role, "add participants")
        name = " ".join(str(name).split())
        if not name or len(name) > MAX_TITLE:
            raise InputError(f"a participant's name must be 1-{MAX_TITLE} characters, got {shorten(name, 40)!r}")
        w = check_weight(weight, "a participant's weight")
        with self._edit(session_id, role, "add") as edit:
            self._require_party(self._check_role(session_id, role), party, session_id)
            count = edit.tx.one("SELECT count(*) AS n FROM participants WHERE session_id = ? AND party = ? "
                                "AND removed_at IS NULL", (session_id, party))
            if count and int(count["n"]) >= MAX_MEMBERS:
                raise InputError(f"'{party}' has {MAX_MEMBERS} participants already, the most a party may have")
            pos = edit.tx.one("SELECT coalesce(max(pos), 0) + 1 AS pos FROM participants WHERE session_id = ?",
                              (session_id,))
            p = Participant(f"u-{secrets.token_hex(4)}", party, name, w, now(), pos=int(pos["pos"]) if pos else 1)
            edit.tx.run("INSERT INTO participants (session_id, participant_id, party, name, weight, pos, created_at, "
                        "removed_at, link_epoch) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 0)",
                        (session_id, p.participant_id, party, name, w, p.pos, p.created_at))
            edit.changes.append(Change(PARTICIPANT, p.participant_id, FACILITATOR, FACILITATOR, None, _data(p)))
        return p

    def remove_participant(self, session_id: str, participant_id: str, *, role: str = FACILITATOR) -> Participant:
        """Remove a member: their link stops working and their inputs leave the party's
        aggregates (recomputed in the same edit); the journal keeps them, undo restores them."""
        authorize_facilitator(role, "remove participants")
        with self._edit(session_id, role, "delete") as edit:
            meta = self._check_role(session_id, role)
            p = self._active_member(edit, participant_id)
            gone = replace(p, removed_at=now())
            edit.tx.run("UPDATE participants SET removed_at = ? WHERE session_id = ? AND participant_id = ?",
                        (gone.removed_at, session_id, participant_id))
            edit.changes.append(Change(PARTICIPANT, participant_id, FACILITATOR, FACILITATOR, _data(p), _data(gone)))
            for r in edit.tx.all("SELECT kind, item_id FROM participant_inputs WHERE session_id = ? AND "
                                 "participant_id = ? AND kind IN ('rating', 'position')", (session_id, participant_id)):
                self._reaggregate(edit, meta, p.party, r["kind"], r["item_id"])
        return gone

    def revoke_participant_link(self, session_id: str, participant_id: str, *, role: str = FACILITATOR) -> int:
        """Revoke one member's link (a new generation of theirs); every other link stays valid."""
        authorize_facilitator(role, "revoke a participant's link")
        with self._edit(session_id, role, "revoke-links") as edit:
            self._check_role(session_id, role)
            p = self._active_member(edit, participant_id)
            after = replace(p, link_epoch=p.link_epoch + 1)
            edit.tx.run("UPDATE participants SET link_epoch = ? WHERE session_id = ? AND participant_id = ?",
                        (after.link_epoch, session_id, participant_id))
            edit.changes.append(Change(PARTICIPANT, participant_id, FACILITATOR, FACILITATOR, _data(p), _data(after)))
        return after.link_epoch

    def set_show_colleagues(self, session_id: str, on: bool, *, role: str = FACILITATOR) -> None:
        """Let members see their colleagues' own ratings, or not (the default)."""
        authorize_facilitator(role, "change who sees colleagues' ratings")
        with self._edit(session_id, role, "update") as edit:
            self._check_role(session_id, role)
            before = self.show_colleagues(session_id)
            if before == bool(on):
                return
            edit.tx.run("INSERT INTO session_options (session_id, name, value) VALUES (?, ?, ?) ON CONFLICT "
                        "(session_id, name) DO UPDATE SET value = excluded.value",
                        (session_id, SHOW_COLLEAGUES, "on" if on else "off"))
            edit.changes.append(Change("option", SHOW_COLLEAGUES, FACILITATOR, FACILITATOR,
                                       {SHOW_COLLEAGUES: before}, {SHOW_COLLEAGUES: bool(on)}))

    # -- ratings and positions, by a member or by the party ---------------------------------
    def rate(self, session_id: str, goal_id: str, party: str, importance: int | None,
             stance: str | None = "neutral", *, role: str, participant: str | None = None) -> Rated:
        """A party's rating (:meth:`Edits.rate`), or with ``participant`` that member's own
        rating and, in the same edit, the party's aggregate."""
        if participant is None:
            self._no_direct_write(session_id, party, role)
            return super().rate(session_id, goal_id, party, importance, stance, role=role)
        with self._edit(session_id, role, "update") as edit:
            meta = self._check_role(session_id, role)
            p, row = self._member_item(edit, participant, party, "goal", goal_id)
            data = None if importance is None else self._rating_data(edit, p, goal_id, importance, stance)
            round_id = covering_round(edit, "goal", goal_id)
            if round_id is not None:
                self._member_answer(edit, round_id, p, loads(row["data"]), data)
                edit.op = "answer"
                return Rated(int(row["rev"]), round_id)
            self._put_input(edit, p, "rating", goal_id, data)
            self._reaggregate(edit, meta, party, "rating", goal_id)
            after = edit.row("goal", goal_id)
            return Rated(int(after["rev"]) if after else int(row["rev"]))

    def set_rating(self, session_id: str, goal_id: str, party: str, importance: int | None,
                   stance: str = "neutral", *, role: str, participant: str | None = None) -> int:
        return self.rate(session_id, goal_id, party, importance, stance, role=role, participant=participant).rev

    def set_ratings(self, session_id: str, party: str, ratings: Mapping[str, tuple[int | None, str | None]], *,
                    role: str, participant: str | None = None) -> int:
        """:meth:`Edits.set_ratings`, or with ``participant`` that member's own ratings (each
        goal's aggregate recomputed) in one edit. Returns how many inputs changed."""
        if participant is None:
            self._no_direct_write(session_id, party, role)
            return super().set_ratings(session_id, party, ratings, role=role)
        with self._edit(session_id, role, "update") as edit:
            meta = self._check_role(session_id, role)
            return self._put_ratings(edit, meta, self._writer(edit, participant, party), party, ratings)

    def _put_ratings(self, edit: Edit, meta: Mapping[str, Any], p: Participant, party: str,
                     ratings: Mapping[str, tuple[int | None, str | None]]) -> int:
        """A member's own ratings, each goal's aggregate recomputed; how many inputs changed."""
        changed = 0
        for goal_id, (importance, stance) in ratings.items():
            row = self._visible_row(edit, "goal", goal_id)
            if not may_see(party, row["audience"]):
                raise NotFound(f"goal '{goal_id}' is gone or not visible to '{party}'; nothing was saved")
            data = None if importance is None else self._rating_data(edit, p, goal_id, importance, stance)
            n = len(edit.changes)
            self._put_input(edit, p, "rating", goal_id, data)
            changed += len(edit.changes) > n
            self._reaggregate(edit, meta, party, "rating", goal_id)
        return changed

    def set_position(self, session_id: str, issue_id: str, party: str, ideal: float | None,
                     walk_away: float | None = None, *, role: str, participant: str | None = None) -> str | None:
        """:meth:`Edits.set_position`, or with ``participant`` that member's own position and
        the party's aggregate position, in one edit."""
        if participant is None:
            self._no_direct_write(session_id, party, role)
            return super().set_position(session_id, issue_id, party, ideal, walk_away, role=role)
        data = None  # checked before anything is written
        if ideal is not None:
            try:
                data = Position(ideal=ideal, walk_away=walk_away).model_dump()
            except Exception as exc:  # noqa: BLE001 - pydantic's error, one line
                raise InputError(f"position on issue '{issue_id}': {exc}".splitlines()[0]) from None
        with self._edit(session_id, role, "update") as edit:
            meta = self._check_role(session_id, role)
            p, _row = self._member_item(edit, participant, party, "issue", issue_id)
            self._put_input(edit, p, "position", issue_id, data)
            self._reaggregate(edit, meta, party, "position", issue_id)
            return None

    def set_judgements(self, session_id: str, party: str, judgements: Mapping[tuple[str, str], float], *,
                       role: str, participant: str,
                       ratings: Mapping[str, tuple[int | None, str | None]] | None = None) -> int:
        """Replace a member's pairwise judgements (``{(goal, other): value}``, Saaty's 1/9-9)
        with these, in one edit; the group AHP is :func:`pmkit.analytics.participants.group_ahp`.
        ``ratings``: the importances the member's weighing gives, set as the member's own
        ratings in the same edit (each goal's aggregate recomputed)."""
        with self._edit(session_id, role, "update") as edit:
            meta = self._check_role(session_id, role)
            p = self._writer(edit, participant, party)
            wanted: dict[str, dict[str, Any]] = {}
            for (a, b), value in judgements.items():
                for gid in (a, b):
                    row = self._visible_row(edit, "goal", gid)
                    if not may_see(party, row["audience"]):
                        raise NotFound(f"goal '{gid}' is not visible to '{party}'; nothing was saved")
                v = float(value)
                if not 1 / 9 - 1e-9 <= v <= 9 + 1e-9:
                    raise InputError(f"judgement of '{a}' against '{b}' is {value!r}; use 1/9 to 9 (Saaty's scale)")
                first, second, v = (a, b, v) if a < b else (b, a, 1 / v)
                wanted[f"{first}/{second}"] = {"goal": first, "other": second, "value": v}
            old = [r["item_id"] for r in edit.tx.all("SELECT item_id FROM participant_inputs WHERE session_id = ? AND "
                                                     "participant_id = ? AND kind = 'judgement'",
                                                     (session_id, p.participant_id))]
            for key in old:
                if key not in wanted:
                    self._put_input(edit, p, "judgement", key, None)
            for key, data in wanted.items():
                self._put_input(edit, p, "judgement", key, data)
            if ratings:
                self._put_ratings(edit, meta, p, party, ratings)
            return len(edit.changes)

    def apply_inputs(self, session_id: str, *, party_ratings: Sequence[tuple[str, str, Any, str]] = (),
                     party_positions: Sequence[tuple[str, str, Any, Any]] = (),
                     member_ratings: Sequence[tuple[str, str, str, Any, str]] = (),
                     member_positions: Sequence[tuple[str, str, str, Any, Any]] = (),
                     role: str = FACILITATOR) -> int:
        """Ratings and positions received together (a spreadsheet), in one edit: parties'
        ``(item, party, ...)`` (skipped for a party with members: its rating is their
        aggregate) and members' ``(item, party, participant, ...)``. Everything is checked
        before the edit commits; a refused one writes nothing. Returns the changes made."""
        authorize_facilitator(role, "apply ratings and positions from a file")
        with self._edit(session_id, role, "update") as edit:
            meta = self._check_role(session_id, role)
            for goal_id, party, importance, stance in party_ratings:
                self._require_party(meta, party, session_id)
                if not self.has_members(session_id, party):
                    self._rate(edit, self._visible_row(edit, "goal", goal_id), party, importance, stance)
            for issue_id, party, ideal, walk_away in party_positions:
                if not self.has_members(session_id, party):
                    self._put_position(edit, meta, issue_id, party, ideal, walk_away)
            for kind, rows in (("rating", member_ratings), ("position", member_positions)):
                for item_id, party, participant, a, b in rows:
                    p, _row = self._member_item(edit, participant, party, "goal" if kind == "rating" else "issue",
                                                item_id)
                    data = (self._rating_data(edit, p, item_id, a, b) if kind == "rating"
                            else Position(ideal=a, walk_away=b).model_dump())
                    self._put_input(edit, p, kind, item_id, data)
                    self._reaggregate(edit, meta, party, kind, item_id)
            return len(edit.changes)

    # -- parts of edits --------------------------------------------------------------------
    def _no_direct_write(self, session_id: str, party: str, role: str) -> None:
        if role != FACILITATOR and self.has_members(session_id, party):
            raise AccessDenied(f"'{party}' rates through its participants: its rating is their aggregate; set "
                               "yours from your own link (on the command line: --participant ID)")

    @staticmethod
    def _active_member(edit: Edit, participant_id: str) -> Participant:
        r = edit.tx.one(f"{_P} WHERE p.session_id = ? AND p.participant_id = ? AND p.removed_at IS NULL",
                        (edit.session_id, participant_id))
        if r is None:
            raise NotFound(f"no participant '{participant_id}' in session '{edit.session_id}'; "
                           "`pmkit participants SESSION` lists them")
        return _participant(r)

    def _member_item(self, edit: Edit, participant: str, party: str, kind: str,
                     item_id: str) -> tuple[Participant, Row]:
        """The member setting an input on an item, and the item's row, once the edit's role may
        set it and the member's party may see the item."""
        p = self._writer(edit, participant, party)
        row = self._visible_row(edit, kind, item_id)
        if not may_see(party, row["audience"]):
            raise NotFound(f"{kind} '{item_id}' is not visible to '{party}'; nothing was saved")
        return p, row

    def _writer(self, edit: Edit, participant: str, party: str) -> Participant:
        """The member whose input this is, once ``edit.role`` may set it."""
        p = self._active_member(edit, participant)
        authorize_member(edit.role, party, p.party)
        return p

    @staticmethod
    def _rating_data(edit: Edit, p: Participant, goal_id: str, importance: int, stance: str | None) -> dict[str, Any]:
        if stance is None:
            old = edit.tx.one("SELECT data FROM participant_inputs WHERE session_id = ? AND participant_id = ? "
                              "AND kind = 'rating' AND item_id = ?", (edit.session_id, p.participant_id, goal_id))
            stance = str(loads(old["data"])["stance"]) if old else "neutral"
        try:
            return Rating(importance=importance, stance=stance).model_dump()
        except Exception:  # noqa: BLE001 - one line for the user
            raise InputError(f"rating of goal '{goal_id}' by {p.name}: importance must be 0-5 and stance support, "
                             f"neutral or oppose (got {importance!r}, {stance!r})") from None

    @staticmethod
    def _put_input(edit: Edit, p: Participant, kind: str, item_id: str, data: dict[str, Any] | None) -> None:
        """Write (or with ``None`` drop) a member's input, journaled for the facilitator only."""
        where = (edit.session_id, p.participant_id, kind, item_id)
        old = edit.tx.one("SELECT data FROM participant_inputs WHERE session_id = ? AND participant_id = ? "
                          "AND kind = ? AND item_id = ?", where)
        before = None if old is None else loads(old["data"])
        if before == data:
            return
        if old is not None:
            edit.tx.run("DELETE FROM participant_inputs WHERE session_id = ? AND participant_id = ? AND kind = ? "
                        "AND item_id = ?", where)
        if data is not None:
            edit.tx.run("INSERT INTO participant_inputs (session_id, participant_id, party, kind, item_id, data, at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (edit.session_id, p.participant_id, p.party, kind, item_id, dumps(data), now()))
        head = {"participant": p.participant_id, "party": p.party, "kind": kind, "item": item_id}
        edit.changes.append(Change(INPUT, f"{p.participant_id}/{kind}/{item_id}", FACILITATOR, FACILITATOR,
                                   None if before is None else {**head, **before},
                                   None if data is None else {**head, **data}))

    def _member_rows(self, edit: Edit, party: str, kind: str, item_id: str) -> list[tuple[str, dict[str, Any], float]]:
        rows = edit.tx.all("SELECT i.participant_id, i.data, p.weight FROM participant_inputs i JOIN participants p "
                           "ON p.session_id = i.session_id AND p.participant_id = i.participant_id WHERE "
                           "i.session_id = ? AND i.kind = ? AND i.item_id = ? AND p.party = ? AND p.removed_at IS NULL "
                           "ORDER BY p.pos", (edit.session_id, kind, item_id, party))
        return [(r["participant_id"], loads(r["data"]), float(r["weight"])) for r in rows]

    def _reaggregate(self, edit: Edit, meta: Mapping[str, Any], party: str, kind: str, item_id: str) -> None:
        """Write the party's rating of a goal (or position on an issue) as its members' aggregate."""
        given = self._member_rows(edit, party, kind, item_id)
        if kind == "rating":
            row = edit.row("goal", item_id)
            if row is None:
                return
            agg = aggregate_rating([(d["importance"], d["stance"], w) for _p, d, w in given])
            self._rate(edit, row, party, None if agg is None else agg[0], None if agg is None else agg[1])
            return
        if edit.row("issue", item_id) is None:
            return
        pos = aggregate_position([(d["ideal"], d.get("walk_away"), w) for _p, d, w in given])
        self._put_position(edit, meta, item_id, party, None if pos is None else pos[0], None if pos is None else pos[1])
        fix_default_step(edit, item_id)

    def _member_answer(self, edit: Edit, round_id: str, p: Participant, goal: dict[str, Any],
                       data: dict[str, Any] | None) -> None:
        """A member's private answer on a goal in the open round, and the party's answer: the
        aggregate of the members' ratings with each answer in place of its member's rating."""
        where = (edit.session_id, round_id, p.participant_id, "goal", goal["id"])
        old = edit.tx.one("SELECT data FROM participant_answers WHERE session_id = ? AND round_id = ? AND "
                          "participant_id = ? AND kind = ? AND item_id = ?", where)
        before = None if old is None else loads(old["data"])
        if before != data:
            edit.tx.run("DELETE FROM participant_answers WHERE session_id = ? AND round_id = ? AND participant_id = ? "
                        "AND kind = ? AND item_id = ?", where)
            if data is not None:
                edit.tx.run("INSERT INTO participant_answers (session_id, round_id, participant_id, party, kind, "
                            "item_id, data, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            (*where[:3], p.party, "goal", goal["id"], dumps(data), now()))
            head = {"round": round_id, "participant": p.participant_id, "party": p.party, "item": goal["id"]}
            edit.changes.append(Change(MEMBER_ANSWER, f"{round_id}/{p.participant_id}/goal/{goal['id']}",
                                       FACILITATOR, FACILITATOR, None if before is None else {**head, **before},
                                       None if data is None else {**head, **data}))
        ratings = {pid: d for pid, d, _w in self._member_rows(edit, p.party, "rating", goal["id"])}
        weights = {r["participant_id"]: float(r["weight"]) for r in edit.tx.all(
            "SELECT participant_id, weight FROM participants WHERE session_id = ? AND party = ? AND removed_at IS NULL",
            (edit.session_id, p.party))}
        for r in edit.tx.all("SELECT participant_id, data FROM participant_answers WHERE session_id = ? AND "
                             "round_id = ? AND party = ? AND kind = 'goal' AND item_id = ?",
                             (edit.session_id, round_id, p.party, goal["id"])):
            ratings[r["participant_id"]] = loads(r["data"])
        agg = aggregate_rating([(d["importance"], d["stance"], weights[pid]) for pid, d in ratings.items()
                                if pid in weights])
        put_answer(edit, round_id, p.party, "goal", goal,
                   None if agg is None else {"importance": agg[0], "stance": agg[1]})

    def _revert_beside_items(self, edit: Edit, entry: JournalEntry) -> None:
        """Undo brings members and their inputs back as they were before the edit."""
        super()._revert_beside_items(edit, entry)
        sid = edit.session_id
        for ch in reversed(entry.changes):
            if ch.kind == PARTICIPANT:
                edit.tx.run("DELETE FROM participants WHERE session_id = ? AND participant_id = ?", (sid, ch.item_id))
                if ch.before is not None:
                    b = ch.before
                    edit.tx.run("INSERT INTO participants (session_id, participant_id, party, name, weight, pos, "
                                "created_at, removed_at, link_epoch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                (sid, b["id"], b["party"], b["name"], b["weight"], b["pos"], b["created_at"],
                                 b["removed_at"],
                                 b["link_epoch"]))
                edit.changes.append(Change(PARTICIPANT, ch.item_id, FACILITATOR, FACILITATOR, ch.after, ch.before))
            elif ch.kind == INPUT:
                pid, kind, item = ch.item_id.split("/", 2)
                edit.tx.run("DELETE FROM participant_inputs WHERE session_id = ? AND participant_id = ? AND kind = ? "
                            "AND item_id = ?", (sid, pid, kind, item))
                if ch.before is not None:
                    data = {k: v for k, v in ch.before.items() if k not in ("participant", "party", "kind", "item")}
                    edit.tx.run("INSERT INTO participant_inputs (session_id, participant_id, party, kind, item_id, "
                                "data, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                (sid, pid, ch.before["party"], kind, item, dumps(data), now()))
                edit.changes.append(Change(INPUT, ch.item_id, FACILITATOR, FACILITATOR, ch.after, ch.before))
