"""What moved: alignment over time, what moved between two sessions, a goal's history from
the journal, and what moved round by round (private rounds), as frozen dataclasses.

The tables of these, as pandas DataFrames, are :mod:`pmkit.analytics.followup`.

Pure: sessions (a role's view) and journal entries in, frozen dataclasses out; no I/O.
Goals of two sessions are matched by id (sessions started from one starter or copied from
each other share ids), then by title (case and spacing ignored); issues likewise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pmkit.analytics.overlap import analyze
from pmkit.analytics.rounds import (
    CANCEL_OP,
    OPEN_OP,
    ROUND,
    ROUND_ITEM,
    opened_rounds,
    rating_of,
    revealed,
    round_numbers,
)
from pmkit.i18n import _
from pmkit.model import Goal, NumericIssue, Session

__all__ = [
    "GoalEvent",
    "GoalShift",
    "Movement",
    "PositionChange",
    "RatingChange",
    "RoundMoves",
    "SessionPoint",
    "default_pair",
    "goal_history",
    "match_goals",
    "round_moves",
    "series",
    "what_moved",
]


@dataclass(frozen=True)
class SessionPoint:
    """One session's headline numbers (for the pair of its first two parties)."""

    session_id: str
    title: str
    date: dt.date | None
    goals: int
    alignment: float | None
    common_ground: int
    conflicts: int
    blind_spots: int
    agreements: int
    open_actions: int


def series(sessions: Iterable[tuple[str, Session]]) -> tuple[SessionPoint, ...]:
    """Alignment over time: one point per ``(session_id, session)``, ordered by the
    session's date; sessions without a date follow, in the order given."""
    points = []
    for sid, s in sessions:
        ov = analyze(s) if len(s.parties) >= 2 else None
        points.append(
            SessionPoint(
                session_id=sid,
                title=s.title,
                date=s.date,
                goals=len(s.goals),
                alignment=ov.alignment if ov else None,
                common_ground=len(ov.common_ground) if ov else 0,
                conflicts=len(ov.conflicts) if ov else 0,
                blind_spots=len(ov.blind_spots) if ov else 0,
                agreements=len(s.agreements),
                open_actions=sum(1 for a in s.actions if a.status == "open"),
            )
        )
    dated = sorted((p for p in points if p.date is not None), key=lambda p: p.date or dt.date.min)
    return tuple(dated + [p for p in points if p.date is None])


def _key(title: str) -> str:
    return " ".join(title.casefold().split())


def match_goals(before: Session, after: Session) -> list[tuple[Goal, Goal]]:
    """Pairs (goal before, same goal after): by id, then by title."""
    return _match(before.goals, after.goals)


def _match(before: Sequence[Any], after: Sequence[Any]) -> list[tuple[Any, Any]]:
    by_id = {x.id: x for x in after}
    pairs: list[tuple[Any, Any]] = []
    used: set[str] = set()
    rest = []
    for x in before:
        y = by_id.get(x.id)
        if y is not None:
            pairs.append((x, y))
            used.add(y.id)
        else:
            rest.append(x)
    by_title = {_key(y.title): y for y in after if y.id not in used}
    for x in rest:
        y = by_title.pop(_key(x.title), None)
        if y is not None:
            pairs.append((x, y))
    return pairs


def default_pair(sessions: Sequence[tuple[str, Session]]) -> tuple[str, str] | None:
    """Which two sessions to compare when nobody says: the newest (by :func:`series`) and
    the newest earlier one sharing a goal with it, else the one just before it."""
    order = [p.session_id for p in series(sessions)]
    if len(order) < 2:
        return None
    by_id = dict(sessions)
    newest = by_id[order[-1]]
    for sid in reversed(order[:-1]):
        if match_goals(by_id[sid], newest):
            return sid, order[-1]
    return order[-2], order[-1]


@dataclass(frozen=True)
class RatingChange:
    goal_id: str
    title: str
    party: str
    before: tuple[int, str] | None  # (importance, stance); None: not rated
    after: tuple[int, str] | None


@dataclass(frozen=True)
class GoalShift:
    """A goal placed differently on the overlap chart: (importance a, importance b)."""

    goal_id: str
    title: str
    before: tuple[int, int]
    after: tuple[int, int]
    quadrant_before: str
    quadrant_after: str


@dataclass(frozen=True)
class PositionChange:
    issue_id: str
    title: str
    party: str
    before: tuple[float, float | None] | None  # (ideal, walk-away); None: no position
    after: tuple[float, float | None] | None


@dataclass(frozen=True)
class Movement:
    """What moved from one session to the next (matched goals and issues)."""

    before_id: str
    after_id: str
    pair: tuple[str, str] | None  # the parties of the overlap chart the shifts are on
    alignment_before: float | None
    alignment_after: float | None
    added: tuple[str, ...]  # goal titles new in the later session
    removed: tuple[str, ...]  # goal titles gone from it
    ratings: tuple[RatingChange, ...]
    shifts: tuple[GoalShift, ...]
    resolved: tuple[str, ...]  # goals in conflict before, not after
    new_conflicts: tuple[str, ...]
    still_contested: tuple[str, ...]
    positions: tuple[PositionChange, ...]

    @property
    def alignment_change(self) -> float | None:
        if self.alignment_before is None or self.alignment_after is None:
            return None
        return self.alignment_after - self.alignment_before  # exact: rounded only when shown


def _rating(goal: Goal, party: str) -> tuple[int, str] | None:
    r = goal.ratings.get(party)
    return None if r is None else (r.importance, r.stance)


def _position(issue: NumericIssue, party: str) -> tuple[float, float | None] | None:
    p = issue.positions.get(party)
    return None if p is None else (p.ideal, p.walk_away)


def what_moved(before: tuple[str, Session], after: tuple[str, Session]) -> Movement:
    """Ratings, placements, conflicts and positions that changed between two sessions."""
    (bid, b), (aid, a) = before, after
    pairs = match_goals(b, a)
    matched_before = {x.id for x, _ in pairs}
    matched_after = {y.id for _, y in pairs}
    parties = [p for p in a.party_ids if p in b.party_ids]
    ratings = [
        RatingChange(y.id, y.title, party, _rating(x, party), _rating(y, party))
        for x, y in pairs
        for party in parties
        if _rating(x, party) != _rating(y, party)
    ]
    ov_b = analyze(b) if len(b.parties) >= 2 else None
    ov_a = analyze(a) if len(a.parties) >= 2 else None
    shifts: list[GoalShift] = []
    if ov_b and ov_a and ov_b.pair == ov_a.pair:
        pb = {p.goal_id: p for p in ov_b.points}
        pa = {p.goal_id: p for p in ov_a.points}
        for x, y in pairs:
            p0, p1 = pb[x.id], pa[y.id]
            at0 = (p0.importance_a or 0, p0.importance_b or 0)
            at1 = (p1.importance_a or 0, p1.importance_b or 0)
            if at0 != at1:
                shifts.append(GoalShift(y.id, y.title, at0, at1, p0.quadrant, p1.quadrant))
    partner = {x.id: y.id for x, y in pairs}
    titles = {y.id: y.title for y in a.goals}
    in_conflict_before = {partner[c.goal_id] for c in (ov_b.conflicts if ov_b else ()) if c.goal_id in partner}
    in_conflict_after = {c.goal_id for c in (ov_a.conflicts if ov_a else ())}
    order = [g.id for g in a.goals]
    issue_changes = [
        PositionChange(y.id, y.title, party, _position(x, party), _position(y, party))
        for x, y in _match(b.issues, a.issues)
        for party in parties
        if _position(x, party) != _position(y, party)
    ]
    return Movement(
        before_id=bid,
        after_id=aid,
        pair=ov_a.pair if ov_a and ov_b and ov_a.pair == ov_b.pair else None,
        alignment_before=ov_b.alignment if ov_b else None,
        alignment_after=ov_a.alignment if ov_a else None,
        added=tuple(g.title for g in a.goals if g.id not in matched_after),
        removed=tuple(g.title for g in b.goals if g.id not in matched_before),
        ratings=tuple(ratings),
        shifts=tuple(shifts),
        resolved=tuple(titles[g] for g in order if g in in_conflict_before - in_conflict_after),
        new_conflicts=tuple(titles[g] for g in order if g in in_conflict_after - in_conflict_before),
        still_contested=tuple(titles[g] for g in order if g in in_conflict_before & in_conflict_after),
        positions=tuple(issue_changes),
    )


@dataclass(frozen=True)
class GoalEvent:
    """One journal entry about a goal, in words."""

    seq: int
    at: str
    actor: str
    role: str
    op: str  # "created" (with the session), "add", "update", "delete" or "undo"
    title: str
    changes: tuple[str, ...]


def _rating_text(r: dict[str, Any] | None) -> str:
    return _("not rated") if not r else f"{r.get('importance')} {r.get('stance', 'neutral')}"


def _describe(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[str, ...]:
    if before is None or after is None:
        return ()
    lines = []
    for field in sorted(set(before) | set(after)):
        if field in ("ratings", "id") or before.get(field) == after.get(field):
            continue
        lines.append(f"{field}: {before.get(field)!r} -> {after.get(field)!r}")
    rb, ra = before.get("ratings") or {}, after.get("ratings") or {}
    for party in sorted(set(rb) | set(ra)):
        if rb.get(party) != ra.get(party):
            lines.append(_("{party}'s rating: {before} -> {after}").format(
                party=party, before=_rating_text(rb.get(party)), after=_rating_text(ra.get(party))))
    return tuple(lines)


def goal_history(entries: Sequence[Any], goal_id: str) -> tuple[GoalEvent, ...]:
    """What happened to goal ``goal_id``, oldest first, from a session's journal (as a role
    may see it). A goal that was in the session from the start begins with "created".

    ``entries`` are journal entries as the store gives them (``pmkit.store.JournalEntry``);
    only their ``seq``, ``at``, ``actor``, ``role``, ``op``, ``kind`` and ``changes`` (each
    with ``kind``, ``item_id``, ``before`` and ``after``) are read, so analytics need no
    import of the store."""
    mine = [(e, c) for e in entries for c in e.changes if c.kind == "goal" and c.item_id == goal_id]
    events: list[GoalEvent] = []
    start = next((e for e in entries if e.kind == "session"), None)
    if mine and mine[0][0].op != "add" and start is not None:
        first = mine[0][1].before or {}
        events.append(
            GoalEvent(start.seq, start.at, start.actor, start.role, "created", str(first.get("title", goal_id)), ())
        )
    for e, c in mine:
        data = c.after or c.before or {}
        events.append(
            GoalEvent(
                seq=e.seq,
                at=e.at,
                actor=e.actor,
                role=e.role,
                op=e.op,
                title=str(data.get("title", goal_id)),
                changes=_describe(c.before, c.after),
            )
        )
    return tuple(events)


@dataclass(frozen=True)
class RoundMoves:
    """One private round: its state and, once revealed, what moved in it."""

    round_id: str
    number: int  # 1 for the first round the history shows
    state: str  # "open", "revealed" or "cancelled"
    at: str  # when it was revealed or cancelled; when it was opened while it is open
    ratings: tuple[RatingChange, ...]  # only the ratings that changed
    positions: tuple[PositionChange, ...]  # only those the history's role may see


def _pos(data: dict[str, Any] | None) -> tuple[float, float | None] | None:
    return None if data is None else (float(data["ideal"]), data.get("walk_away"))


def round_moves(entries: Sequence[Any]) -> tuple[RoundMoves, ...]:
    """What moved, round by round, from a session's journal as a role may see it (the same
    entries as :func:`goal_history`): one :class:`RoundMoves` per round opened, in order.
    An undone reveal leaves its round open again; a cancelled round moved nothing."""
    rounds = opened_rounds(entries)
    state = dict.fromkeys(rounds, "open")
    at = {}
    titles: dict[str, str] = {}
    for e in entries:
        for c in e.changes:
            if c.kind == ROUND_ITEM and c.after:
                titles[str(c.after["item"])] = str(c.after.get("title", c.after["item"]))
            if c.kind == ROUND and c.item_id in state and e.op in (OPEN_OP, CANCEL_OP):
                state[c.item_id] = "open" if e.op == OPEN_OP else "cancelled"
                at[c.item_id] = e.at
    moves: dict[str, tuple[tuple[RatingChange, ...], tuple[PositionChange, ...]]] = {}
    for e, rid in revealed(entries):
        state[rid], at[rid] = "revealed", e.at
        ratings = tuple(
            RatingChange(c.item_id, str((c.after or {}).get("title", c.item_id)), party,
                         rating_of(c.before, party), rating_of(c.after, party))
            for c in e.changes if c.kind == "goal"
            for party in dict.fromkeys([*(c.before or {}).get("ratings", {}), *(c.after or {}).get("ratings", {})])
            if rating_of(c.before, party) != rating_of(c.after, party)
        )
        positions = tuple(
            PositionChange(issue, titles.get(issue, issue), party, _pos(c.before), _pos(c.after))
            for c in e.changes if c.kind == "position"
            for issue, party in [c.item_id.rsplit("/", 1)]
        )
        moves[rid] = (ratings, positions)
    numbers = round_numbers(entries)
    return tuple(RoundMoves(rid, numbers[rid], state[rid], at.get(rid, ""), *moves.get(rid, ((), ())))
                 for rid in rounds)
