"""Members of a party and their own inputs, as rows: the records, and the parts of an edit
that write them (an input, the party's aggregate, a member's private answer in a round) and
undo them. The part that reads and edits members is :mod:`pmkit.store.participants`.

The tables (migration 8 of :mod:`pmkit.store.db`)::

    participants         session_id, participant_id (``u-`` + 8 hex: no words), party, name,
                         weight, created_at, removed_at, link_epoch (their own link generation)
    participant_inputs   session_id, participant_id, party, kind (rating | position |
                         judgement | option_scores), item_id (goal, issue, option issue, or
                         ``goal/goal`` for a judgement), data (JSON), at
    participant_answers  session_id, round_id, participant_id, party, kind (goal | issue |
                         option_issue),
                         item_id, data, at
    session_options      session_id, name, value (``show_colleagues``: ``on`` | ``off``)

Every change here is journaled with the facilitator as its audience, so no party's history
holds it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from pmkit.errors import NotFound, invalid
from pmkit.i18n import _
from pmkit.model import FACILITATOR, OptionScores, Position, Rating
from pmkit.rules.aggregation import aggregate_option_scores, aggregate_position, aggregate_rating
from pmkit.store.answers import put_answer
from pmkit.store.db import Database, Row, now
from pmkit.store.edit import Change, Edit, JournalEntry
from pmkit.store.items import RATING_RULE, fix_default_step, put_position, rate_goal
from pmkit.store.options import put_option_scores
from pmkit.store.rows import dumps, loads

__all__ = ["COLLEAGUES", "INPUT", "INPUT_KIND", "MAX_MEMBERS", "MEMBER_ANSWER", "OPTION", "OPTION_SCORES",
           "PARTICIPANT", "P_SELECT", "SHOW_COLLEAGUES", "MemberInput", "OwnView", "Participant", "active_member",
           "input_from_row", "member_answer", "member_answer_change", "member_rows", "own_view", "participant_data",
           "participant_from_row", "put_input", "rating_data", "reaggregate", "undo_change"]

PARTICIPANT, INPUT, MEMBER_ANSWER, OPTION = "participant", "input", "member-answer", "option"  # kinds of changes
OPTION_SCORES = "option_scores"  # the kind of a member's input on an option issue
INPUT_KIND = {"goal": "rating", "issue": "position", "option_issue": OPTION_SCORES}  # an item's -> its input's
SHOW_COLLEAGUES = "show_colleagues"
MAX_MEMBERS = 50  # per party
P_SELECT = ("SELECT p.participant_id, p.party, p.name, p.weight, p.created_at, p.removed_at, p.link_epoch, p.pos "
      "FROM participants p")
COLLEAGUES = ("EXISTS (SELECT 1 FROM session_options o WHERE o.session_id = p.session_id "
               f"AND o.name = '{SHOW_COLLEAGUES}' AND o.value = 'on')")


@dataclass(frozen=True)
class Participant:
    """One member of a party."""

    participant_id: str
    party: str
    name: str
    weight: float
    created_at: str
    removed_at: str | None = None
    link_epoch: int = 0
    pos: int = 0  # the order the members were added in

    @property
    def active(self) -> bool:
        return self.removed_at is None


@dataclass(frozen=True)
class MemberInput:
    """One member's own input: a rating of a goal, a position on an issue, scores on an
    option issue, or a pairwise judgement (``goal`` is ``value`` times as important as ``other``)."""

    participant_id: str
    party: str
    kind: str  # rating, position or judgement
    item_id: str
    at: str
    rating: Rating | None = None
    position: Position | None = None
    judgement: tuple[str, str, float] | None = None
    option_scores: OptionScores | None = None


def participant_from_row(r: Row) -> Participant:
    return Participant(r["participant_id"], r["party"], r["name"], float(r["weight"]), r["created_at"],
                       r["removed_at"], int(r["link_epoch"]), int(r["pos"]))


def input_from_row(r: Row) -> MemberInput:
    data = loads(r["data"])
    kind = r["kind"]
    return MemberInput(
        r["participant_id"], r["party"], kind, r["item_id"], r["at"],
        rating=Rating(**data) if kind == "rating" else None,
        position=Position(**data) if kind == "position" else None,
        judgement=(data["goal"], data["other"], float(data["value"])) if kind == "judgement" else None,
        option_scores=OptionScores.model_validate(data) if kind == OPTION_SCORES else None,
    )


def participant_data(p: Participant) -> dict[str, Any]:
    return {"id": p.participant_id, "party": p.party, "name": p.name, "weight": p.weight,
            "created_at": p.created_at, "removed_at": p.removed_at, "link_epoch": p.link_epoch, "pos": p.pos}





def active_member(edit: Edit, participant_id: str) -> Participant:
    r = edit.tx.one(f"{P_SELECT} WHERE p.session_id = ? AND p.participant_id = ? AND p.removed_at IS NULL",
                    (edit.session_id, participant_id))
    if r is None:
        raise NotFound(_("no participant '{participant_id}' in session '{session_id}'; `pmkit participants SESSION` "
                         "lists them").format(participant_id=participant_id, session_id=edit.session_id))
    return participant_from_row(r)


def rating_data(edit: Edit, p: Participant, goal_id: str, importance: int, stance: str | None) -> dict[str, Any]:
    if stance is None:
        old = edit.tx.one("SELECT data FROM participant_inputs WHERE session_id = ? AND participant_id = ? "
                          "AND kind = 'rating' AND item_id = ?", (edit.session_id, p.participant_id, goal_id))
        stance = str(loads(old["data"])["stance"]) if old else "neutral"
    try:
        return Rating(importance=importance, stance=stance).model_dump()
    except ValidationError as exc:
        raise invalid(exc, _("rating of goal '{goal_id}' by {name} ({rating_rule})").format(
                             goal_id=goal_id, name=p.name, rating_rule=_(RATING_RULE)),
                      got=f"{importance!r}, {stance!r}") from None


def put_input(edit: Edit, p: Participant, kind: str, item_id: str, data: dict[str, Any] | None) -> None:
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


def member_rows(edit: Edit, party: str, kind: str, item_id: str) -> list[tuple[str, dict[str, Any], float]]:
    rows = edit.tx.all("SELECT i.participant_id, i.data, p.weight FROM participant_inputs i JOIN participants p "
                       "ON p.session_id = i.session_id AND p.participant_id = i.participant_id WHERE "
                       "i.session_id = ? AND i.kind = ? AND i.item_id = ? AND p.party = ? AND p.removed_at IS NULL "
                       "ORDER BY p.pos", (edit.session_id, kind, item_id, party))
    return [(r["participant_id"], loads(r["data"]), float(r["weight"])) for r in rows]


def reaggregate(edit: Edit, meta: Mapping[str, Any], party: str, kind: str, item_id: str) -> None:
    """Write the party's rating of a goal (or position on an issue) as its members' aggregate."""
    given = member_rows(edit, party, kind, item_id)
    if kind == "rating":
        row = edit.row("goal", item_id)
        if row is None:
            return
        agg = aggregate_rating([(d["importance"], d["stance"], w) for _p, d, w in given])
        rate_goal(edit, row, party, None if agg is None else agg[0], None if agg is None else agg[1])
        return
    if kind == OPTION_SCORES:
        issue = edit.row("option_issue", item_id)
        if issue is not None:
            put_option_scores(edit, issue, party, aggregate_option_scores([(d, w) for _p, d, w in given]))
        return
    if edit.row("issue", item_id) is None:
        return
    pos = aggregate_position([(d["ideal"], d.get("walk_away"), w) for _p, d, w in given])
    put_position(edit, meta, item_id, party, None if pos is None else pos[0], None if pos is None else pos[1])
    fix_default_step(edit, item_id)

def member_answer(edit: Edit, round_id: str, p: Participant, kind: str, item: dict[str, Any],
                  data: dict[str, Any] | None) -> None:
    """A member's private answer on a goal (or issue) in the open round, and the party's answer:
    the aggregate of the members' ratings (or positions) with each answer in place of its
    member's own input. Nothing of it reaches the item, or any other role, before the reveal."""
    where = (edit.session_id, round_id, p.participant_id, kind, item["id"])
    old = edit.tx.one("SELECT data FROM participant_answers WHERE session_id = ? AND round_id = ? AND "
                      "participant_id = ? AND kind = ? AND item_id = ?", where)
    before = None if old is None else loads(old["data"])
    if before != data:
        edit.tx.run("DELETE FROM participant_answers WHERE session_id = ? AND round_id = ? AND participant_id = ? "
                    "AND kind = ? AND item_id = ?", where)
        if data is not None:
            edit.tx.run("INSERT INTO participant_answers (session_id, round_id, participant_id, party, kind, "
                        "item_id, data, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (*where[:3], p.party, kind, item["id"], dumps(data), now()))
        edit.changes.append(member_answer_change(round_id, p.participant_id, p.party, kind, str(item["id"]),
                                                 before, data))
    input_kind = INPUT_KIND[kind]
    given = {pid: d for pid, d, _w in member_rows(edit, p.party, input_kind, item["id"])}
    weights = {r["participant_id"]: float(r["weight"]) for r in edit.tx.all(
        "SELECT participant_id, weight FROM participants WHERE session_id = ? AND party = ? AND removed_at IS NULL",
        (edit.session_id, p.party))}
    for r in edit.tx.all("SELECT participant_id, data FROM participant_answers WHERE session_id = ? AND "
                         "round_id = ? AND party = ? AND kind = ? AND item_id = ?",
                         (edit.session_id, round_id, p.party, kind, item["id"])):
        given[r["participant_id"]] = loads(r["data"])
    answer: dict[str, Any] | None
    if kind == "goal":
        agg = aggregate_rating([(d["importance"], d["stance"], weights[pid]) for pid, d in given.items()
                                if pid in weights])
        answer = None if agg is None else {"importance": agg[0], "stance": agg[1]}
    elif kind == "option_issue":
        answer = aggregate_option_scores([(d, weights[pid]) for pid, d in given.items() if pid in weights])
    else:
        pos = aggregate_position([(d["ideal"], d.get("walk_away"), weights[pid]) for pid, d in given.items()
                                  if pid in weights])
        answer = None if pos is None else {"ideal": pos[0], "walk_away": pos[1]}
    put_answer(edit, round_id, p.party, kind, item, answer)


def member_answer_change(round_id: str, participant: str, party: str, kind: str, item_id: str,
                         before: dict[str, Any] | None, after: dict[str, Any] | None) -> Change:
    """The journal change of a member's answer: the facilitator's alone."""
    head = {"round": round_id, "participant": participant, "party": party, "kind": kind, "item": item_id}
    return Change(MEMBER_ANSWER, f"{round_id}/{participant}/{kind}/{item_id}", FACILITATOR, FACILITATOR,
                  None if before is None else {**head, **before}, None if after is None else {**head, **after})


@dataclass(frozen=True)
class OwnView:
    """A member's own inputs, which stand in for their side's aggregate on their own page."""

    ratings: dict[str, dict[str, Any]]  # goal id -> {importance, stance}
    positions: dict[str, dict[str, Any]]  # issue id -> {ideal, walk_away}
    answers: dict[tuple[str, str, str], dict[str, Any]]  # (round, kind, item) -> the member's answer
    option_scores: dict[str, dict[str, Any]] = field(default_factory=dict)  # option issue id -> scores


def own_view(db: Database, session_id: str, party: str, participant: str) -> OwnView | None:
    """What a member's page holds of their own side: ``None`` when it may hold the side's
    aggregate (colleagues shown, or the member is the side's only current member: the aggregate
    is then their own input or tells nothing a colleague hid), else the member's own inputs and
    answers, which replace the side's ratings, positions and round answers on that page, so that
    no move of their own inputs lets them read a colleague's."""
    if db.read("SELECT 1 AS one FROM session_options WHERE session_id = ? AND name = ? AND value = 'on'",
               (session_id, SHOW_COLLEAGUES)):
        return None
    members = [r["participant_id"] for r in db.read(
        "SELECT participant_id FROM participants WHERE session_id = ? AND party = ? AND removed_at IS NULL",
        (session_id, party))]
    if participant not in members or len(members) < 2:
        return None
    inputs = db.read("SELECT kind, item_id, data FROM participant_inputs WHERE session_id = ? AND participant_id = ? "
                     "AND kind IN ('rating', 'position', 'option_scores')", (session_id, participant))
    answers = db.read("SELECT round_id, kind, item_id, data FROM participant_answers WHERE session_id = ? AND "
                      "participant_id = ?", (session_id, participant))
    return OwnView({r["item_id"]: loads(r["data"]) for r in inputs if r["kind"] == "rating"},
                   {r["item_id"]: loads(r["data"]) for r in inputs if r["kind"] == "position"},
                   {(r["round_id"], r["kind"], r["item_id"]): loads(r["data"]) for r in answers},
                   {r["item_id"]: loads(r["data"]) for r in inputs if r["kind"] == OPTION_SCORES})


_HEAD_KEYS = ("round", "participant", "party", "kind", "item", "title")


def undo_change(edit: Edit, entry: JournalEntry, ch: Change) -> None:
    """Undo a change of a member, a member's input or answer, or the colleagues option: put
    it back as it was before ``entry``, and journal that."""
    sid = edit.session_id
    if ch.kind == PARTICIPANT:
        edit.tx.run("DELETE FROM participants WHERE session_id = ? AND participant_id = ?", (sid, ch.item_id))
        if ch.before is not None:
            b = ch.before
            edit.tx.run("INSERT INTO participants (session_id, participant_id, party, name, weight, pos, "
                        "created_at, removed_at, link_epoch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (sid, b["id"], b["party"], b["name"], b["weight"], b["pos"], b["created_at"],
                         b["removed_at"], b["link_epoch"]))
    elif ch.kind == INPUT:
        pid, kind, item = ch.item_id.split("/", 2)
        edit.tx.run("DELETE FROM participant_inputs WHERE session_id = ? AND participant_id = ? AND kind = ? "
                    "AND item_id = ?", (sid, pid, kind, item))
        if ch.before is not None:
            data = {k: v for k, v in ch.before.items() if k not in _HEAD_KEYS}
            edit.tx.run("INSERT INTO participant_inputs (session_id, participant_id, party, kind, item_id, "
                        "data, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (sid, pid, ch.before["party"], kind, item, dumps(data), now()))
    elif ch.kind == MEMBER_ANSWER:
        round_id, pid, kind, item = ch.item_id.split("/", 3)
        edit.tx.run("DELETE FROM participant_answers WHERE session_id = ? AND round_id = ? AND participant_id = ? "
                    "AND kind = ? AND item_id = ?", (sid, round_id, pid, kind, item))
        if ch.before is not None:
            data = {k: v for k, v in ch.before.items() if k not in _HEAD_KEYS}
            edit.tx.run("INSERT INTO participant_answers (session_id, round_id, participant_id, party, kind, "
                        "item_id, data, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (sid, round_id, pid, ch.before["party"], kind, item, dumps(data), now()))
    elif ch.kind == OPTION:
        on = bool((ch.before or {}).get(SHOW_COLLEAGUES, False))
        edit.tx.run("INSERT INTO session_options (session_id, name, value) VALUES (?, ?, ?) ON CONFLICT "
                    "(session_id, name) DO UPDATE SET value = excluded.value", (sid, SHOW_COLLEAGUES,
                                                                                "on" if on else "off"))
    edit.changes.append(Change(ch.kind, ch.item_id, ch.audience_after, ch.audience_before, ch.after, ch.before))
