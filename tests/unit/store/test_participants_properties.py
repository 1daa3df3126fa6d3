"""A party with one member gives exactly today's numbers: the same ratings and positions,
and so the same analysis, whatever the member's weight."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmkit.analytics.bargaining import bargaining_ranges
from pmkit.analytics.overlap import analyze
from pmkit.formats.yaml_file import read_session_file
from pmkit.model import FACILITATOR
from pmkit.resources import starter_path
from pmkit.store import Workspace

STARTER = read_session_file(starter_path("scope-vs-deadline"))
GOALS = [g.id for g in STARTER.goals if g.audience == "joint"]
ISSUES = [i.id for i in STARTER.issues if i.audience == "joint"]
PARTIES = STARTER.party_ids

ratings = st.lists(st.tuples(st.sampled_from(GOALS), st.sampled_from(PARTIES), st.integers(0, 5),
                             st.sampled_from(["support", "neutral", "oppose"])), max_size=12)
values = st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: round(x, 2))
positions = st.lists(st.tuples(st.sampled_from(ISSUES), st.sampled_from(PARTIES), values,
                               st.none() | values), max_size=6)
weights = st.floats(0.01, 1000, allow_nan=False)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rs=ratings, ps=positions, w=weights)
def test_one_member_per_party_gives_todays_numbers(tmp_path_factory: object, rs: list, ps: list, w: float) -> None:
    folder = Path(tmp_path_factory.mktemp("one"))  # type: ignore[attr-defined]
    with Workspace(folder) as ws:
        today = ws.sessions.create(STARTER)
        people = ws.sessions.create(STARTER)
        member = {p: ws.participants.add(people, p, f"{p} lead", weight=w).participant_id for p in PARTIES}
        for goal, party, importance, stance in rs:
            ws.items.set_rating(today, goal, party, importance, stance, role=party)
            ws.items.set_rating(people, goal, party, importance, stance, role=party, participant=member[party])
        for issue, party, ideal, walk in ps:
            ws.items.set_position(today, issue, party, ideal, walk, role=party)
            ws.items.set_position(people, issue, party, ideal, walk, role=party, participant=member[party])
        for role in (FACILITATOR, *PARTIES):
            a, b = ws.sessions.load(today, role), ws.sessions.load(people, role)
            assert a == b
            assert analyze(a) == analyze(b)
        full = ws.sessions.load(people, FACILITATOR)
        assert bargaining_ranges(ws.sessions.load(today, FACILITATOR).issues,
                                 PARTIES) == bargaining_ranges(full.issues, PARTIES)
