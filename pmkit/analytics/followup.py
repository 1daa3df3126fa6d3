"""Follow-up across sessions, as pandas DataFrames for the analysis notebook and your own
analysis: alignment over time, what moved between two sessions, one goal's history, what
moved round by round, and (new with several people per side) the spread per goal and
participant.

Pure: sessions (a role's view), journal entries and members' ratings in, DataFrames out;
no I/O. The typed results these tables are made from are in :mod:`pmkit.analytics.moves`
and stay available here under their names (``series``, ``what_moved``, ``goal_history``,
``round_moves``...). Each frame has one row per record and plain columns, so it can be
filtered, plotted or written with ``to_csv`` / ``to_excel`` as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from pmkit.analytics import moves
from pmkit.analytics.disclosure_plan import plan_lines
from pmkit.analytics.moves import *  # noqa: F403 - the typed results, under their names
from pmkit.analytics.overlap import analyze
from pmkit.analytics.participants import Division, Member
from pmkit.i18n import _
from pmkit.model import Action, Session
from pmkit.text import number

__all__ = [*moves.__all__, "SERIES_COLUMNS", "SeriesMeeting", "alignment_table", "history_table", "late_actions",
           "movement_table", "rounds_table", "series_table", "spread_table"]


def _frame(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(columns))


def alignment_table(sessions: Iterable[tuple[str, Session]]) -> pd.DataFrame:
    """Alignment over time: one row per session (by date, undated last), its headline numbers."""
    columns = list(moves.SessionPoint.__dataclass_fields__)
    return _frame((asdict(p) for p in moves.series(sessions)), columns)


def movement_table(before: tuple[str, Session], after: tuple[str, Session]) -> pd.DataFrame:
    """What moved between two sessions: one row per change (a rating, a position, a goal's
    place on the overlap chart, a conflict resolved or new, a goal added or removed)."""
    m = moves.what_moved(before, after)
    rows: list[dict[str, Any]] = []
    for r in m.ratings:
        rows.append({"what": "rating", "item": r.goal_id, "title": r.title, "party": r.party,
                     "before": _rating(r.before), "after": _rating(r.after)})
    for p in m.positions:
        rows.append({"what": "position", "item": p.issue_id, "title": p.title, "party": p.party,
                     "before": _position(p.before), "after": _position(p.after)})
    for s in m.shifts:
        rows.append({"what": "placement", "item": s.goal_id, "title": s.title, "party": None,
                     "before": f"{s.before} {s.quadrant_before}", "after": f"{s.after} {s.quadrant_after}"})
    for what, titles in (("resolved", m.resolved), ("new conflict", m.new_conflicts),
                         ("still contested", m.still_contested), ("added", m.added), ("removed", m.removed)):
        rows += [{"what": what, "item": None, "title": t, "party": None, "before": None, "after": None}
                 for t in titles]
    frame = _frame(rows, ["what", "item", "title", "party", "before", "after"])
    frame.attrs.update(before=m.before_id, after=m.after_id, alignment_change=m.alignment_change)
    return frame


def history_table(entries: Sequence[Any], goal_id: str) -> pd.DataFrame:
    """One goal's history from the journal: one row per change, oldest first."""
    return _frame(({"seq": e.seq, "at": e.at, "actor": e.actor, "role": e.role, "op": e.op, "title": e.title,
                    "changes": "; ".join(e.changes)} for e in moves.goal_history(entries, goal_id)),
                  ["seq", "at", "actor", "role", "op", "title", "changes"])


def rounds_table(entries: Sequence[Any]) -> pd.DataFrame:
    """What moved in each private round: one row per rating or position that moved."""
    rows: list[dict[str, Any]] = []
    for m in moves.round_moves(entries):
        rows += [{"round": m.number, "state": m.state, "at": m.at, "kind": "goal", "item": r.goal_id,
                  "title": r.title, "party": r.party, "before": _rating(r.before), "after": _rating(r.after)}
                 for r in m.ratings]
        rows += [{"round": m.number, "state": m.state, "at": m.at, "kind": "issue", "item": p.issue_id,
                  "title": p.title, "party": p.party, "before": _position(p.before), "after": _position(p.after)}
                 for p in m.positions]
    return _frame(rows, ["round", "state", "at", "kind", "item", "title", "party", "before", "after"])


def spread_table(session: Session, members: Sequence[Member], divisions: Sequence[Division]) -> pd.DataFrame:
    """The spread per goal and participant: one row per member's rating of a goal, with the
    side's spread on that goal and whether the side is united on it."""
    titles = {g.id: g.title for g in session.goals}
    weights = {m.participant_id: m.weight for m in members}
    rows = [{"goal": d.goal_id, "title": titles.get(d.goal_id, d.goal_id), "party": d.party,
             "participant": r.participant_id, "name": r.name, "weight": weights.get(r.participant_id),
             "importance": r.importance, "stance": r.stance, "spread": d.spread, "not_united": d.not_united}
            for d in divisions for r in d.ratings]
    return _frame(rows, ["goal", "title", "party", "participant", "name", "weight", "importance", "stance",
                         "spread", "not_united"])


@dataclass(frozen=True)
class SeriesMeeting:
    """One meeting of a series as one role sees it: its number, its session id, the role's
    view, the day each withheld item in that view was withheld (by plan key) and the day it
    is counted as of (the meeting's date; for an undated one, the day given)."""

    number: int
    session_id: str
    session: Session
    as_of: dt.date
    withheld_since: Mapping[str, dt.date] = field(default_factory=dict)


SERIES_COLUMNS = ("meeting", "session_id", "date", "alignment", "open_conflicts", "open_actions", "late_actions",
                  "withheld_items", "days_withheld")


def late_actions(session: Session, as_of: dt.date) -> list[Action]:
    """The open actions of ``session`` due before ``as_of``."""
    return [a for a in session.actions if a.status == "open" and a.due is not None and a.due < as_of]


def series_table(meetings: Iterable[SeriesMeeting]) -> pd.DataFrame:
    """A series meeting by meeting: one row per meeting, in order, with its alignment (0..100,
    None without two parties), its open conflicts, its open and late actions, and the items
    withheld in the view with the days they have been withheld in all (as of the meeting).

    Built from one role's views only, so a party's table counts nothing it may not see: its
    withheld items are its own."""
    rows = []
    for m in sorted(meetings, key=lambda m: m.number):
        s = m.session
        ov = analyze(s) if len(s.parties) >= 2 else None
        lines = plan_lines(s, m.as_of, m.withheld_since)
        rows.append({
            "meeting": m.number, "session_id": m.session_id, "date": s.date,
            "alignment": ov.alignment if ov else None, "open_conflicts": len(ov.conflicts) if ov else 0,
            "open_actions": sum(1 for a in s.actions if a.status == "open"),
            "late_actions": len(late_actions(s, m.as_of)), "withheld_items": len(lines),
            "days_withheld": sum(max(0, (m.as_of - ln.withheld_since).days) for ln in lines if ln.withheld_since),
        })
    return _frame(rows, SERIES_COLUMNS)


def _rating(r: tuple[int, str] | None) -> str | None:
    return None if r is None else f"{r[0]} {r[1]}"


def _position(p: tuple[float, float | None] | None) -> str | None:
    if p is None:
        return None
    if p[1] is None:
        return _("ideal {ideal}").format(ideal=number(p[0]))
    return _("ideal {ideal}, walk-away {walk_away}").format(ideal=number(p[0]), walk_away=number(p[1]))
