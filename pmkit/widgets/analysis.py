"""The analysis notebook's sections, each one call (``notebooks/analysis.ipynb`` stays thin).

Every section reads the workspace as one role (``role``): a party's notebook shows only its
own view of each session, its own series and its own members. Each function displays its
tables (pandas DataFrames) and charts in the running notebook and returns nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from IPython.display import display

from pmkit.analytics import followup
from pmkit.charts.followup import alignment_trend_chart, movement_chart, series_chart
from pmkit.i18n import _
from pmkit.model import Session
from pmkit.store import Workspace
from pmkit.text import alignment
from pmkit.views.participants import members_of, side_divisions
from pmkit.views.series import series_frame
from pmkit.widgets.compare import side_by_side

__all__ = ["goal_history", "overview", "people_and_rounds", "sessions_of", "what_moved"]

Sessions = Sequence[tuple[str, Session]]


def sessions_of(ws: Workspace, role: str, ids: Sequence[str] | None = None) -> list[tuple[str, Session]]:
    """The sessions to follow (every one, or those named) as ``role`` sees each."""
    pd.set_option("display.max_colwidth", None)  # show each change whole
    return [(sid, ws.sessions.load(sid, role)) for sid in (ids or [s.id for s in ws.sessions.all()])]


def overview(ws: Workspace, sessions: Sessions, role: str) -> None:
    """The sessions side by side, alignment over time, and the newest session's series."""
    if not sessions:
        return
    display(side_by_side(sessions))
    display(followup.alignment_table(sessions))
    display(alignment_trend_chart(followup.series(sessions)))
    frame = series_frame(ws, sessions[-1][0], role)
    display(frame)
    display(series_chart(frame))


def what_moved(sessions: Sessions) -> None:
    """What moved between the two sessions :func:`pmkit.analytics.followup.default_pair` picks."""
    pair = followup.default_pair(sessions)
    if not pair:
        return
    by_id = dict(sessions)
    before, after = (pair[0], by_id[pair[0]]), (pair[1], by_id[pair[1]])
    moved = followup.movement_table(before, after)
    print(_("from {before} to {after} - alignment change: {change}").format(
        before=pair[0], after=pair[1], change=alignment(moved.attrs["alignment_change"], signed=True)))
    display(moved)
    change = followup.what_moved(before, after)
    display(movement_chart(change, names={p.id: p.name for p in after[1].parties}))


def goal_history(ws: Workspace, sessions: Sessions, role: str) -> None:
    """The first session's first goal, edit by edit."""
    if sessions and sessions[0][1].goals:
        sid, session = sessions[0]
        display(followup.history_table(ws.journal.history(sid, role), session.goals[0].id))


def people_and_rounds(ws: Workspace, sessions: Sessions, role: str) -> None:
    """What moved round by round in the first session, and where each side's participants
    stand: each person's rating, the spread, whether the side is united."""
    if not sessions:
        return
    display(followup.rounds_table(ws.journal.history(sessions[0][0], role)))
    for sid, session in sessions:
        members = members_of(ws, sid, role)
        if members:
            display(followup.spread_table(session, members, side_divisions(ws, sid, role)))
