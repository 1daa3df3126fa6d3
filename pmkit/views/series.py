"""A series of meetings as the workspace gives it to one role: each meeting's view, the
series as a table for the analysis notebook, and "since last meeting" for the board.

Every meeting is loaded with ``Workspace.sessions.load(session_id, role)`` (a member's page:
with ``participant``) and the disclosure plan's clock with that role's own read, so a
party's table or summary is made of what that party may see and nothing else: its withheld
items are its own, and another side's are never loaded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from pmkit.analytics.followup import Movement, SeriesMeeting, late_actions, series_table, what_moved
from pmkit.model import FACILITATOR, Action
from pmkit.store import Workspace

__all__ = ["SinceLast", "series_frame", "series_meetings", "since_last"]


def series_meetings(ws: Workspace, session_id: str, role: str = FACILITATOR, *, participant: str | None = None,
                    today: dt.date | None = None) -> list[SeriesMeeting]:
    """Every meeting of ``session_id``'s series as ``role`` sees it, in order; an undated
    meeting is counted as of ``today`` (default: the local date)."""
    day = today or dt.date.today()
    out = []
    for m in ws.series.meetings(session_id):
        view = ws.sessions.load(m.session_id, role, participant)
        since = ws.disclosure_plan.withheld_since(m.session_id, role)
        out.append(SeriesMeeting(m.number, m.session_id, view, view.date or day, since))
    return out


def series_frame(ws: Workspace, session_id: str, role: str = FACILITATOR, *, participant: str | None = None,
                 today: dt.date | None = None) -> pd.DataFrame:
    """The series as ``role`` sees it, one row per meeting (:func:`pmkit.analytics.followup.series_table`):
    what the analysis notebook plots."""
    return series_table(series_meetings(ws, session_id, role, participant=participant, today=today))


@dataclass(frozen=True)
class SinceLast:
    """What happened since the meeting before this one, as one role sees both: what moved,
    what that meeting agreed, and this meeting's actions that are late."""

    previous_id: str
    number: int  # this meeting's number in the series
    moved: Movement
    agreed: tuple[str, ...]
    late: tuple[Action, ...]


def since_last(ws: Workspace, session_id: str, role: str = FACILITATOR, *, participant: str | None = None,
               today: dt.date | None = None) -> SinceLast | None:
    """"Since last meeting" for ``role``'s board, or None when this is no follow-up."""
    before = ws.series.previous(session_id)
    place = ws.series.place(session_id)
    if before is None or place is None:
        return None
    prev = ws.sessions.load(before, role, participant)
    now = ws.sessions.load(session_id, role, participant)
    day = today or dt.date.today()
    return SinceLast(before, place.number, what_moved((before, prev), (session_id, now)),
                     tuple(a.text for a in prev.agreements), tuple(late_actions(now, day)))
