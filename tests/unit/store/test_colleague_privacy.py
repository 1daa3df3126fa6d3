"""A member probing their own side's aggregate learns nothing of a colleague's hidden inputs.

The rule (docs/participants.md): with colleagues hidden and two or more current members on a
side, a member's page holds the side's ratings, positions and round answers as the member's
own inputs, never the aggregate. The adversary moves their own inputs and reads their own
page (the store's view, the board's widget states, an export) after each move."""

from __future__ import annotations

import re

import pytest

from pmkit.model import FACILITATOR
from pmkit.reports.exports import export
from pmkit.resources import starter_path
from pmkit.store import Workspace
from pmkit.text import renderings
from pmkit.widgets import MeetingBoard
from pmkit.widgets.common import iter_widgets
from tests.support.live import leaks

pytestmark = pytest.mark.usefixtures("backend")

GOAL, ISSUE, SIDE = "cutover-date", "cutover-slip", "management"
HIDDEN_IDEAL, HIDDEN_WALK = 4242.5, 3131.25  # the colleague's: in no writing on the prober's page


@pytest.fixture
def team(workspace: Workspace) -> tuple[str, str, str]:
    sid = workspace.sessions.import_file(starter_path("undisclosed-risk"))
    ada = workspace.participants.add(sid, SIDE, "Ada Sponsor").participant_id
    ben = workspace.participants.add(sid, SIDE, "Ben Delivery").participant_id
    return sid, ada, ben


def _page_text(ws: Workspace, sid: str, member: str) -> str:
    board = MeetingBoard(ws, sid, SIDE, participant=member)
    try:
        return "\n".join(repr({k: v for k, v in w.get_state().items() if not isinstance(v, (bytes, memoryview))})
                         for w in iter_widgets(board.widget))
    finally:
        board.close()


def test_probing_importance_and_stance_reads_only_ones_own(workspace: Workspace,
                                                            team: tuple[str, str, str]) -> None:
    sid, ada, ben = team
    for hidden in range(6):  # the colleague's importance, every value; the stance too
        workspace.items.rate(sid, GOAL, SIDE, hidden, ("support", "oppose", "neutral")[hidden % 3], role=SIDE,
                             participant=ben)
        seen = []
        for probe, stance in ((5, "support"), (0, "oppose"), (3, "neutral")):
            workspace.items.rate(sid, GOAL, SIDE, probe, stance, role=SIDE, participant=ada)
            rating = next(g for g in workspace.sessions.load(sid, SIDE, ada).goals if g.id == GOAL).ratings[SIDE]
            seen.append((rating.importance, rating.stance))
        assert seen == [(5, "support"), (0, "oppose"), (3, "neutral")]  # her own, whatever his
        # the aggregate itself (which the other side reads) does move with his value
        assert workspace.sessions.load(sid, "customer").goals  # the other side still reads the side's rating
    # an unrated member sees their side as not rated, not the colleague's rating
    workspace.items.rate(sid, GOAL, SIDE, None, role=SIDE, participant=ada)
    assert SIDE not in next(g for g in workspace.sessions.load(sid, SIDE, ada).goals if g.id == GOAL).ratings


def test_probing_positions_never_shows_the_colleagues_ideal_or_walk_away(workspace: Workspace,
                                                                         team: tuple[str, str, str]) -> None:
    sid, ada, ben = team
    workspace.items.set_position(sid, ISSUE, SIDE, HIDDEN_IDEAL, HIDDEN_WALK, role=SIDE, participant=ben)
    for ideal, walk in ((0, 0), (-1e6, 1e6), (1e6, -1e6)):
        workspace.items.set_position(sid, ISSUE, SIDE, ideal, walk, role=SIDE, participant=ada)
        pos = next(i for i in workspace.sessions.load(sid, SIDE, ada).issues if i.id == ISSUE).positions[SIDE]
        assert (pos.ideal, pos.walk_away) == (ideal, walk)
    page = re.sub(r"<svg.*?</svg>|data:[^'\"]*", "", _page_text(workspace, sid, ada), flags=re.S)  # drawings
    assert not leaks(page, [*renderings(HIDDEN_IDEAL), *renderings(HIDDEN_WALK)])
    exported = export(workspace, sid, SIDE, "yaml", workspace.folder / "ada.yaml", participant=ada)
    text = exported.files[0].read_text()
    assert not leaks(text, [*renderings(HIDDEN_IDEAL), *renderings(HIDDEN_WALK)])
    # the aggregate, which the facilitator reads, is exactly what the probe used to reveal to her
    full = next(i for i in workspace.sessions.load(sid, FACILITATOR).issues if i.id == ISSUE).positions[SIDE]
    assert full.ideal == HIDDEN_IDEAL


def test_round_answers_on_a_members_page_are_the_members_own(workspace: Workspace,
                                                             team: tuple[str, str, str]) -> None:
    sid, ada, ben = team
    workspace.rounds.open(sid, [GOAL], [ISSUE])
    workspace.items.rate(sid, GOAL, SIDE, 2, "oppose", role=SIDE, participant=ben)
    workspace.items.set_position(sid, ISSUE, SIDE, HIDDEN_IDEAL, HIDDEN_WALK, role=SIDE, participant=ben)
    mine = workspace.rounds.current(sid, SIDE, ada)
    assert mine is not None and mine.answers == ()  # she has not answered: nothing, not his answer
    workspace.items.rate(sid, GOAL, SIDE, 5, "support", role=SIDE, participant=ada)
    mine = workspace.rounds.current(sid, SIDE, ada)
    assert mine is not None and [(a.kind, a.rating.importance) for a in mine.answers] == [("goal", 5)]  # type: ignore[union-attr]


def test_with_colleagues_shown_or_alone_the_side_is_the_aggregate(workspace: Workspace,
                                                                  team: tuple[str, str, str]) -> None:
    sid, ada, ben = team
    workspace.items.rate(sid, GOAL, SIDE, 1, "oppose", role=SIDE, participant=ben)
    workspace.items.rate(sid, GOAL, SIDE, 5, "support", role=SIDE, participant=ada)
    aggregate = next(g for g in workspace.sessions.load(sid, SIDE).goals if g.id == GOAL).ratings[SIDE]
    workspace.participants.set_show_colleagues(sid, True)  # they see each other's own ratings anyway
    shown = next(g for g in workspace.sessions.load(sid, SIDE, ada).goals if g.id == GOAL).ratings[SIDE]
    assert shown == aggregate
    workspace.participants.set_show_colleagues(sid, False)
    workspace.participants.remove(sid, ben)  # the only member: the aggregate is her own input
    alone = next(g for g in workspace.sessions.load(sid, SIDE, ada).goals if g.id == GOAL).ratings[SIDE]
    assert (alone.importance, alone.stance) == (5, "support")
