"""Private rounds as the journal records them: which rounds were opened and revealed, and
the room's *reveal* view (each party's importance and stance on each goal of the last
revealed round, before and after).

Pure: journal entries (as a role may see them) and a session view in, frozen dataclasses
out. Only the entries' ``seq``, ``at``, ``op``, ``undoes`` and ``changes`` (each with
``kind``, ``item_id``, ``audience_before``, ``audience_after``, ``before``, ``after``) are
read, so no import of the store is needed. The store journals a round's opening as
``round-open`` (a ``round`` change and one ``round-item`` change per item, each with the
item's audience), its reveal as ``reveal`` (the ``round`` change, one change per goal whose
ratings it wrote, one per position) and its cancelling as ``round-cancel``; an undone reveal
does not count.

The reveal view shows joint goals only, and never a position: whatever entries it is given,
it reads only changes of goals whose audience is ``joint`` before and after.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pmkit.model import JOINT, Session

__all__ = [
    "GoalReveal",
    "PartyRating",
    "RevealView",
    "opened_rounds",
    "rating_of",
    "revealed",
    "round_numbers",
    "round_reveal",
]

ROUND, ROUND_ITEM = "round", "round-item"  # the kinds of a round's journal changes
OPEN_OP, REVEAL_OP, CANCEL_OP = "round-open", "reveal", "round-cancel"


def rating_of(goal: dict[str, Any] | None, party: str) -> tuple[int, str] | None:
    """``party``'s (importance, stance) in a goal's journaled data; None when not rated."""
    r = ((goal or {}).get("ratings") or {}).get(party)
    return None if not r else (int(r["importance"]), str(r.get("stance", "neutral")))


def _round_id(entry: Any) -> str | None:
    return next((c.item_id for c in entry.changes if c.kind == ROUND), None)


def opened_rounds(entries: Sequence[Any]) -> list[str]:
    """The ids of the rounds opened in ``entries``, in order (a role sees a round's opening
    when it may see one of its items)."""
    out = []
    for e in entries:
        rid = _round_id(e) if e.op == OPEN_OP else None
        if rid is not None and rid not in out:
            out.append(rid)
    return out


def round_numbers(entries: Sequence[Any]) -> dict[str, int]:
    """The number of each round ``entries`` show, by id: 1, 2, ... in the order the rounds
    first appear (their opening; for a round whose items became visible to the role only
    after it was opened, the first entry of it the role sees). This is the one numbering of
    rounds as a role's history tells them: a round the role may not see takes no number, so
    no gap in the numbers betrays one, and a later round never renumbers an earlier one."""
    out: dict[str, int] = {}
    for e in entries:
        rid = _round_id(e)
        if rid is not None and rid not in out:
            out[rid] = len(out) + 1
    return out


def revealed(entries: Sequence[Any]) -> Iterator[tuple[Any, str]]:
    """Each reveal in ``entries`` that was not undone, oldest first, with its round's id."""
    undone = {e.undoes for e in entries if e.undoes is not None}
    for e in entries:
        rid = _round_id(e) if e.op == REVEAL_OP and e.seq not in undone else None
        if rid is not None:
            yield e, rid


@dataclass(frozen=True)
class PartyRating:
    """One party's rating of a goal before and after a reveal: (importance, stance), None
    when not rated."""

    party: str
    name: str
    before: tuple[int, str] | None
    after: tuple[int, str] | None

    @property
    def moved(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class GoalReveal:
    """One goal of a revealed round: each party's rating before and after, and whether
    any of them moved."""

    goal_id: str
    title: str
    parties: tuple[PartyRating, ...]
    moved: bool


@dataclass(frozen=True)
class RevealView:
    """The room's view of a revealed round: its joint goals, each party before and after."""

    round_id: str
    number: int  # the round's number among the rounds this history shows (:func:`round_numbers`)
    at: str  # when it was revealed
    goals: tuple[GoalReveal, ...]
    option_issues: tuple[str, ...] = ()  # the joint option issues of the round, in session order


def _joint(change: Any) -> bool:
    return bool(change.audience_before == JOINT and change.audience_after == JOINT)


def round_reveal(session: Session, entries: Sequence[Any], round_id: str | None = None) -> RevealView | None:
    """The reveal of round ``round_id`` (default: the last round revealed), as the room shows
    it: per joint goal of the round, each party's importance and stance before and after.

    ``session`` is the view the ratings are read from for goals of the round whose ratings
    the reveal did not change (no party answered on them), and gives the parties' names
    and the goals' order; ``entries`` is the journal as the room may see it. Returns None
    when no such round was revealed (or it was undone)."""
    found = [(e, rid) for e, rid in revealed(entries) if round_id in (None, rid)]
    if not found:
        return None
    entry, rid = found[-1]
    joint_goals = {g.id: g for g in session.goals if g.audience == JOINT}
    changed = {c.item_id: c for c in entry.changes if c.kind == "goal" and _joint(c) and c.item_id in joint_goals}
    in_round = [c.after["item"] for e in entries if e.op == OPEN_OP and _round_id(e) == rid for c in e.changes
                if c.kind == ROUND_ITEM and _joint(c) and c.after and c.after.get("kind") == "goal"]
    goals = []
    for gid in [g for g in joint_goals if g in changed or g in in_round]:
        ch = changed.get(gid)
        goal = joint_goals[gid]
        current = goal.model_dump(mode="json")
        before, after = (ch.before, ch.after) if ch is not None else (current, current)
        parties = tuple(PartyRating(p.id, p.name, rating_of(before, p.id), rating_of(after, p.id))
                        for p in session.parties)
        goals.append(GoalReveal(gid, goal.title, parties, any(p.moved for p in parties)))
    in_round_options = {c.after["item"] for e in entries if e.op == OPEN_OP and _round_id(e) == rid
                        for c in e.changes if c.kind == ROUND_ITEM and _joint(c) and c.after
                        and c.after.get("kind") == "option_issue"}
    options = tuple(i.id for i in session.option_issues if i.audience == JOINT and i.id in in_round_options)
    return RevealView(rid, round_numbers(entries)[rid], entry.at, tuple(goals), options)
