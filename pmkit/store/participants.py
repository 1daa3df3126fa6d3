"""Several people per side, as a part of the workspace: a party's members (participants),
their own inputs, and the party's rating and position as their aggregate.

The rows and the parts of edits that write them are :mod:`pmkit.store.participant_rows`.

* **A member's input is one edit with the party's aggregate.** Setting a member's rating
  (or position) writes it and recomputes the party's rating of that goal (or position on
  that issue) from every current member's input by the rules of :mod:`pmkit.rules.aggregation`,
  and writes that through the same path as a party's own rating, in the same edit (one
  transaction, one journal entry, undone whole). The one way to write a rating or position
  is the items part (:meth:`pmkit.store.items.Items.rate`, ``set_position``), which hands a
  member's input to :meth:`Participants.member_rating` or :meth:`Participants.member_position`.
  Removing a member recomputes every aggregate the member was in (their inputs stay, out of
  the aggregate; undo brings them back). When no current member has rated a goal, the party
  has not rated it.
* **A party with members rates through them.** Its page opened from the party's own link
  (no member) may not set the party's rating directly; the facilitator may (it stands until
  a member's next input on the item recomputes it). A session without members is as before.
* **Reads filter in the query.** The facilitator reads every member and input. A party's
  process reads only its own members (``party = role``), and of them only the member whose
  link it was opened from, unless the session option ``show_colleagues`` is on; another
  party's process reads none: no member's name, rating or count reaches it. Every member
  change is journaled with the facilitator as its audience, so no party's history holds it.
* **In a round**, a member's rating of a goal (or position on an issue) in the open round is
  the member's private answer; the party's answer is the aggregate of its members' inputs
  with each answer in place of its member's own, recomputed at every member answer; nothing
  reaches the item before the reveal, which writes the members' answers as their inputs
  (:mod:`pmkit.store.rounds`).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from pydantic import ValidationError

from pmkit.errors import InputError, NotFound, invalid
from pmkit.i18n import _
from pmkit.model import FACILITATOR, JOINT, MAX_TITLE, Position
from pmkit.rules.aggregation import check_weight
from pmkit.rules.permissions import Actor, as_actor, authorize_facilitator, authorize_member, speaking_for
from pmkit.rules.visibility import may_see
from pmkit.store.answers import covering_round
from pmkit.store.core import Core, Part
from pmkit.store.db import Row, now
from pmkit.store.edit import Change, Edit
from pmkit.store.items import Rated, put_position, rate_goal, require_party, visible_row
from pmkit.store.options import OptionInput
from pmkit.store.participant_rows import (
    COLLEAGUES,
    INPUT,
    MAX_MEMBERS,
    MEMBER_ANSWER,
    OPTION,
    OPTION_SCORES,
    P_SELECT,
    PARTICIPANT,
    SHOW_COLLEAGUES,
    MemberInput,
    Participant,
    active_member,
    input_from_row,
    member_answer,
    participant_data,
    participant_from_row,
    put_input,
    rating_data,
    reaggregate,
    undo_change,
)
from pmkit.store.rows import loads
from pmkit.text import shorten

__all__ = ["MemberInput", "Participant", "Participants"]

UNDONE_HERE = (PARTICIPANT, INPUT, MEMBER_ANSWER, OPTION)  # the kinds of changes :meth:`undo_change` undoes


class Participants(Part):
    """Members, their inputs and the party's aggregate: part of :class:`pmkit.store.Workspace`."""

    def __init__(self, core: Core) -> None:
        super().__init__(core)

    undo_change = staticmethod(undo_change)  # the changes of :data:`UNDONE_HERE`, as the journal asks

    # -- reads -----------------------------------------------------------------------------
    def all(self, session_id: str, role: str = FACILITATOR, participant: str | None = None, *,
                     removed: bool = False) -> list[Participant]:
        """The members ``role`` may know of, in the order they were added: the facilitator
        every current member (and removed ones with ``removed``); a party its own current
        members, of them only ``participant`` unless ``show_colleagues`` is on; nobody else's."""
        self.core.check_role(session_id, role)
        args: tuple[str, ...]
        if role == FACILITATOR:
            cond, args = ("" if removed else " AND p.removed_at IS NULL"), (session_id,)
        else:  # filtered by the query: another party's members never reach this process
            cond = f" AND p.party = ? AND p.removed_at IS NULL AND (p.participant_id = ? OR {COLLEAGUES})"
            args = (session_id, role, participant or "")
        rows = self._db.read(f"{P_SELECT} WHERE p.session_id = ?{cond} ORDER BY p.pos", args)
        return [participant_from_row(r) for r in rows]

    def inputs(self, session_id: str, role: str = FACILITATOR, participant: str | None = None,
                      kind: str | None = None) -> list[MemberInput]:
        """The current members' own inputs ``role`` may read (the same filter as
        :meth:`all`, and only on items ``role`` may see), oldest first."""
        self.core.check_role(session_id, role)
        sql = ("SELECT i.participant_id, i.party, i.kind, i.item_id, i.data, i.at FROM participant_inputs i "
               "JOIN participants p ON p.session_id = i.session_id AND p.participant_id = i.participant_id "
               "WHERE i.session_id = ? AND p.removed_at IS NULL")
        args: tuple[Any, ...] = (session_id,)
        if kind is not None:
            sql += " AND i.kind = ?"
            args += (kind,)
        if role != FACILITATOR:
            sql += (f" AND i.party = ? AND (i.participant_id = ? OR {COLLEAGUES}) AND EXISTS (SELECT 1 FROM items t "
                    "WHERE t.session_id = i.session_id AND t.kind = (CASE WHEN i.kind = 'position' THEN 'issue' "
                    "WHEN i.kind = 'option_scores' THEN 'option_issue' "
                    "ELSE 'goal' END) AND ((i.kind <> 'judgement' AND t.item_id = i.item_id) OR (i.kind = 'judgement' "
                    "AND substr(i.item_id, 1, length(t.item_id) + 1) = t.item_id || '/')) AND t.audience IN (?, ?))")
            args += (role, participant or "", JOINT, role)
        return [input_from_row(r) for r in self._db.read(sql + " ORDER BY i.at, i.participant_id", args)]

    def show_colleagues(self, session_id: str) -> bool:
        """Whether members see their colleagues' own ratings (a per-session option, off by default)."""
        self.core.require_session(session_id)
        rows = self._db.read("SELECT value FROM session_options WHERE session_id = ? AND name = ?",
                             (session_id, SHOW_COLLEAGUES))
        return bool(rows) and rows[0]["value"] == "on"

    def get(self, session_id: str, participant_id: str) -> Participant | None:
        """One member, read with full access, for checking a member's link (never shown)."""
        rows = self._db.read(f"{P_SELECT} WHERE p.session_id = ? AND p.participant_id = ?", (session_id,
                                                                                             participant_id))
        return participant_from_row(rows[0]) if rows else None

    def has_members(self, session_id: str, party: str) -> bool:
        return bool(self._db.read("SELECT 1 FROM participants WHERE session_id = ? AND party = ? "
                                  "AND removed_at IS NULL", (session_id, party)))

    # -- members ---------------------------------------------------------------------------
    def add(self, session_id: str, party: str, name: str, weight: float = 1.0, *,
            role: str | Actor = FACILITATOR) -> Participant:
        """Add a member to ``party`` (the facilitator's); the id is random, never the name."""
        authorize_facilitator(as_actor(role).role, "add participants")
        name = " ".join(str(name).split())
        if not name or len(name) > MAX_TITLE:
            raise InputError(_("a participant's name must be 1-{max_title} characters, got {name}").format(
                               max_title=MAX_TITLE, name=repr(shorten(name, 40))))
        w = check_weight(weight, "a participant's weight")
        with self.core.edit(session_id, role, "add") as edit:
            require_party(self.core.check_role(session_id, role), party, session_id)
            count = edit.tx.one("SELECT count(*) AS n FROM participants WHERE session_id = ? AND party = ? "
                                "AND removed_at IS NULL", (session_id, party))
            if count and int(count["n"]) >= MAX_MEMBERS:
                raise InputError(_("'{party}' has {max_members} participants already, the most a party may have")
                                   .format(party=party, max_members=MAX_MEMBERS))
            pos = edit.tx.one("SELECT coalesce(max(pos), 0) + 1 AS pos FROM participants WHERE session_id = ?",
                              (session_id,))
            p = Participant(f"u-{secrets.token_hex(4)}", party, name, w, now(), pos=int(pos["pos"]) if pos else 1)
            edit.tx.run("INSERT INTO participants (session_id, participant_id, party, name, weight, pos, created_at, "
                        "removed_at, link_epoch) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 0)",
                        (session_id, p.participant_id, party, name, w, p.pos, p.created_at))
            edit.changes.append(Change(PARTICIPANT, p.participant_id, FACILITATOR, FACILITATOR, None,
                                       participant_data(p)))
        return p

    def remove(self, session_id: str, participant_id: str, *, role: str | Actor = FACILITATOR) -> Participant:
        """Remove a member: their link stops working and their inputs leave the party's
        aggregates (recomputed in the same edit); the journal keeps them, undo restores them."""
        authorize_facilitator(as_actor(role).role, "remove participants")
        with self.core.edit(session_id, role, "delete") as edit:
            meta = self.core.check_role(session_id, role)
            p = active_member(edit, participant_id)
            gone = replace(p, removed_at=now())
            edit.tx.run("UPDATE participants SET removed_at = ? WHERE session_id = ? AND participant_id = ?",
                        (gone.removed_at, session_id, participant_id))
            edit.changes.append(Change(PARTICIPANT, participant_id, FACILITATOR, FACILITATOR, participant_data(p),
                                       participant_data(gone)))
            for r in edit.tx.all("SELECT kind, item_id FROM participant_inputs WHERE session_id = ? AND "
                                 "participant_id = ? AND kind IN ('rating', 'position', 'option_scores')",
                                 (session_id, participant_id)):
                reaggregate(edit, meta, p.party, r["kind"], r["item_id"])
        return gone

    def revoke_link(self, session_id: str, participant_id: str, *, role: str | Actor = FACILITATOR) -> int:
        """Revoke one member's link (a new generation of theirs); every other link stays valid."""
        authorize_facilitator(as_actor(role).role, "revoke a participant's link")
        with self.core.edit(session_id, role, "revoke-links") as edit:
            self.core.check_role(session_id, role)
            p = active_member(edit, participant_id)
            after = replace(p, link_epoch=p.link_epoch + 1)
            edit.tx.run("UPDATE participants SET link_epoch = ? WHERE session_id = ? AND participant_id = ?",
                        (after.link_epoch, session_id, participant_id))
            edit.changes.append(Change(PARTICIPANT, participant_id, FACILITATOR, FACILITATOR, participant_data(p),
                                       participant_data(after)))
        return after.link_epoch

    def set_show_colleagues(self, session_id: str, on: bool, *, role: str | Actor = FACILITATOR) -> None:
        """Let members see their colleagues' own ratings, or not (the default)."""
        authorize_facilitator(as_actor(role).role, "change who sees colleagues' ratings")
        with self.core.edit(session_id, role, "update") as edit:
            self.core.check_role(session_id, role)
            before = self.show_colleagues(session_id)
            if before == bool(on):
                return
            edit.tx.run("INSERT INTO session_options (session_id, name, value) VALUES (?, ?, ?) ON CONFLICT "
                        "(session_id, name) DO UPDATE SET value = excluded.value",
                        (session_id, SHOW_COLLEAGUES, "on" if on else "off"))
            edit.changes.append(Change(OPTION, SHOW_COLLEAGUES, FACILITATOR, FACILITATOR,
                                       {SHOW_COLLEAGUES: before}, {SHOW_COLLEAGUES: bool(on)}))

    def set_judgements(self, session_id: str, party: str, judgements: Mapping[tuple[str, str], float], *,
                       role: str | Actor, participant: str | None = None,
                       ratings: Mapping[str, tuple[int | None, str | None]] | None = None) -> int:
        """Replace a member's pairwise judgements (``{(goal, other): value}``, Saaty's 1/9-9)
        with these, in one edit; the group AHP is :func:`pmkit.analytics.participants.group_ahp`.
        ``ratings``: the importances the member's weighing gives, set as the member's own
        ratings in the same edit (each goal's aggregate recomputed)."""
        who = as_actor(role)
        member = speaking_for(who, participant)
        if member is None:
            raise InputError(_("pairwise judgements are a participant's own: name the participant"))
        with self.core.edit(session_id, who, "update") as edit:
            meta = self.core.check_role(session_id, who)
            p = self._writer(edit, member, party)
            wanted: dict[str, dict[str, Any]] = {}
            for (a, b), value in judgements.items():
                for gid in (a, b):
                    row = visible_row(edit, "goal", gid)
                    if not may_see(party, row["audience"]):
                        raise NotFound(_("goal '{gid}' is not visible to '{party}'; nothing was saved").format(
                                         gid=gid, party=party))
                v = float(value)
                if not 1 / 9 - 1e-9 <= v <= 9 + 1e-9:
                    raise InputError(_("judgement of '{a}' against '{b}' is {value}; use 1/9 to 9 (Saaty's scale)")
                                       .format(a=a, b=b, value=repr(value)))
                first, second, v = (a, b, v) if a < b else (b, a, 1 / v)
                wanted[f"{first}/{second}"] = {"goal": first, "other": second, "value": v}
            old = [r["item_id"] for r in edit.tx.all("SELECT item_id FROM participant_inputs WHERE session_id = ? AND "
                                                     "participant_id = ? AND kind = 'judgement'",
                                                     (session_id, p.participant_id))]
            for key in old:
                if key not in wanted:
                    put_input(edit, p, "judgement", key, None)
            for key, data in wanted.items():
                put_input(edit, p, "judgement", key, data)
            if ratings:
                self._put_ratings(edit, meta, p, party, ratings)
            return len(edit.changes)

    def apply_inputs(self, session_id: str, *, party_ratings: Sequence[tuple[str, str, Any, str]] = (),
                     party_positions: Sequence[tuple[str, str, Any, Any]] = (),
                     member_ratings: Sequence[tuple[str, str, str, Any, str]] = (),
                     member_positions: Sequence[tuple[str, str, str, Any, Any]] = (),
                     role: str | Actor = FACILITATOR) -> int:
        """Ratings and positions received together (a spreadsheet), in one edit: parties'
        ``(item, party, ...)`` (skipped for a party with members: its rating is their
        aggregate) and members' ``(item, party, participant, ...)``. Everything is checked
        before the edit commits; a refused one writes nothing. Returns the changes made."""
        authorize_facilitator(as_actor(role).role, "apply ratings and positions from a file")
        with self.core.edit(session_id, role, "update") as edit:
            meta = self.core.check_role(session_id, role)
            for goal_id, party, importance, stance in party_ratings:
                require_party(meta, party, session_id)
                if not self.has_members(session_id, party):
                    rate_goal(edit, visible_row(edit, "goal", goal_id), party, importance, stance)
            for issue_id, party, ideal, walk_away in party_positions:
                if not self.has_members(session_id, party):
                    put_position(edit, meta, issue_id, party, ideal, walk_away)
            for kind, rows in (("rating", member_ratings), ("position", member_positions)):
                for item_id, party, participant, a, b in rows:
                    p, _row = self._member_item(edit, participant, party, "goal" if kind == "rating" else "issue",
                                                item_id)
                    data = (rating_data(edit, p, item_id, a, b) if kind == "rating"
                            else Position(ideal=a, walk_away=b).model_dump())
                    put_input(edit, p, kind, item_id, data)
                    reaggregate(edit, meta, party, kind, item_id)
            return len(edit.changes)

    # -- a member's input, inside an edit of the items part (:meth:`pmkit.store.items.Items.rate`) ---
    def member_rating(self, edit: Edit, meta: Mapping[str, Any], participant: str, party: str, goal_id: str,
                      importance: int | None, stance: str | None) -> Rated:
        """A member's own rating of a goal and, in the same edit, the party's aggregate; inside
        an open round on the goal, the member's private answer (and the party's answer)."""
        p, row = self._member_item(edit, participant, party, "goal", goal_id)
        data = None if importance is None else rating_data(edit, p, goal_id, importance, stance)
        round_id = covering_round(edit, "goal", goal_id)
        if round_id is not None:
            member_answer(edit, round_id, p, "goal", loads(row["data"]), data)
            edit.op = "answer"
            return Rated(int(row["rev"]), round_id)
        put_input(edit, p, "rating", goal_id, data)
        reaggregate(edit, meta, party, "rating", goal_id)
        after = edit.row("goal", goal_id)
        return Rated(int(after["rev"]) if after else int(row["rev"]))

    def member_ratings(self, edit: Edit, meta: Mapping[str, Any], participant: str, party: str,
                       ratings: Mapping[str, tuple[int | None, str | None]]) -> int:
        """A member's own ratings of several goals, each goal's aggregate recomputed."""
        return self._put_ratings(edit, meta, self._writer(edit, participant, party), party, ratings)

    def member_position(self, edit: Edit, meta: Mapping[str, Any], participant: str, party: str, issue_id: str,
                        ideal: float | None, walk_away: float | None) -> str | None:
        """A member's own position on an issue and the party's aggregate position; inside an
        open round on the issue, the member's private answer (the round's id is returned)."""
        data = None
        if ideal is not None:
            try:
                data = Position(ideal=ideal, walk_away=walk_away).model_dump()
            except ValidationError as exc:
                raise invalid(exc, _("position on issue '{issue_id}'").format(issue_id=issue_id)) from None
        p, row = self._member_item(edit, participant, party, "issue", issue_id)
        round_id = covering_round(edit, "issue", issue_id)
        if round_id is not None:
            member_answer(edit, round_id, p, "issue", loads(row["data"]), data)
            edit.op = "answer"
            return round_id
        put_input(edit, p, "position", issue_id, data)
        reaggregate(edit, meta, party, "position", issue_id)
        return None

    def member_option_scores(self, edit: Edit, meta: Mapping[str, Any], participant: str, party: str,
                             issue_id: str, given: OptionInput) -> str | None:
        """A member's own scores on an option issue and the party's aggregate; inside an open
        round on the issue, the member's private answer (the round's id is returned)."""
        p, row = self._member_item(edit, participant, party, "option_issue", issue_id)
        issue = loads(row["data"])
        old = edit.tx.one("SELECT data FROM participant_inputs WHERE session_id = ? AND participant_id = ? AND "
                          "kind = ? AND item_id = ?", (edit.session_id, p.participant_id, OPTION_SCORES, issue_id))
        round_id = covering_round(edit, "option_issue", issue_id)
        if round_id is not None:
            ans = edit.tx.one("SELECT data FROM participant_answers WHERE session_id = ? AND round_id = ? AND "
                              "participant_id = ? AND kind = 'option_issue' AND item_id = ?",
                              (edit.session_id, round_id, p.participant_id, issue_id))
            previous = loads(ans["data"]) if ans else loads(old["data"]) if old else None
            member_answer(edit, round_id, p, "option_issue", issue, given.applied(issue, p.name, previous))
            edit.op = "answer"
            return round_id
        put_input(edit, p, OPTION_SCORES, issue_id, given.applied(issue, p.name, loads(old["data"]) if old else None))
        reaggregate(edit, meta, party, OPTION_SCORES, issue_id)
        return None

    # -- parts of edits ---------------------------------------------------------------------
    def _put_ratings(self, edit: Edit, meta: Mapping[str, Any], p: Participant, party: str,
                     ratings: Mapping[str, tuple[int | None, str | None]]) -> int:
        """A member's own ratings, each goal's aggregate recomputed; how many inputs changed."""
        changed = 0
        for goal_id, (importance, stance) in ratings.items():
            row = visible_row(edit, "goal", goal_id)
            if not may_see(party, row["audience"]):
                raise NotFound(_("goal '{goal_id}' is gone or not visible to '{party}'; nothing was saved").format(
                                 goal_id=goal_id, party=party))
            data = None if importance is None else rating_data(edit, p, goal_id, importance, stance)
            n = len(edit.changes)
            put_input(edit, p, "rating", goal_id, data)
            changed += len(edit.changes) > n
            reaggregate(edit, meta, party, "rating", goal_id)
        return changed

    def _member_item(self, edit: Edit, participant: str, party: str, kind: str,
                     item_id: str) -> tuple[Participant, Row]:
        """The member setting an input on an item, and the item's row, once the edit's role may
        set it and the member's party may see the item."""
        p = self._writer(edit, participant, party)
        row = visible_row(edit, kind, item_id)
        if not may_see(party, row["audience"]):
            raise NotFound(_("{kind} '{item_id}' is not visible to '{party}'; nothing was saved").format(
                             kind=kind, item_id=item_id, party=party))
        return p, row

    def _writer(self, edit: Edit, participant: str, party: str) -> Participant:
        """The member whose input this is, once ``edit.role`` may set it."""
        p = active_member(edit, participant)
        authorize_member(edit.role, party, p.party)
        return p

