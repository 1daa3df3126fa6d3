"""The follow-up as pandas DataFrames: alignment over time, movement, goal history, rounds,
and the spread per goal and participant."""

from __future__ import annotations

import pandas as pd

from pmkit.analytics import followup
from pmkit.model import FACILITATOR
from pmkit.resources import starter_path
from pmkit.store import Workspace
from pmkit.views.participants import members_of, side_divisions


def test_frames(workspace: Workspace) -> None:
    a = workspace.sessions.import_file(starter_path("undisclosed-risk"))
    b = workspace.sessions.import_file(starter_path("undisclosed-risk"))
    ada = workspace.participants.add(b, "management", "Ada").participant_id
    ben = workspace.participants.add(b, "management", "Ben", 2).participant_id
    workspace.items.rate(b, "cutover-date", "management", 5, "support", role="management", participant=ada)
    workspace.items.rate(b, "cutover-date", "management", 1, "oppose", role="management", participant=ben)
    sessions = [(sid, workspace.sessions.load(sid, FACILITATOR)) for sid in (a, b)]

    points = followup.alignment_table(sessions)
    assert isinstance(points, pd.DataFrame) and list(points["session_id"]) == [a, b]
    assert {"alignment", "conflicts", "common_ground"} <= set(points.columns)

    moved = followup.movement_table(sessions[0], sessions[1])
    rating = moved[(moved["what"] == "rating") & (moved["item"] == "cutover-date")]
    assert rating[["party", "before", "after"]].values.tolist() == [["management", "5 support", "1 oppose"]]

    history = followup.history_table(workspace.journal.history(b), "cutover-date")
    assert list(history["op"]) == ["created", "update"]  # Ada's 5 support was already the published rating

    spread = followup.spread_table(sessions[1][1], members_of(workspace, b), side_divisions(workspace, b))
    assert spread[["name", "weight", "importance", "spread", "not_united"]].values.tolist() == [
        ["Ada", 1.0, 5, 4, True], ["Ben", 2.0, 1, 4, True]]
    assert followup.rounds_table(workspace.journal.history(b)).empty
