"""Private rounds on the board: the facilitator's Rounds panel (only on the facilitator's
page), and party panels that keep an answer private: a party's page holds its own answer
and never the other party's, until the reveal."""

from __future__ import annotations

from typing import Any

import pytest

from pmkit.errors import AccessDenied
from pmkit.store import Workspace
from pmkit.widgets import MeetingBoard
from pmkit.widgets.board import panels_for
from pmkit.widgets.context import BoardContext
from pmkit.widgets.panels.rounds import RoundsPanel
from tests.support.widgets import states

SECRET = ("4.125", "7.875")  # management's answer on the cutover slip


class Boards(dict[str, MeetingBoard]):
    """Each role's board on the demo session, built the first time a test asks for it."""

    def __init__(self, folder: Any, session_id: str) -> None:
        super().__init__()
        self.folder, self.session_id = folder, session_id

    def __missing__(self, role: str) -> MeetingBoard:
        board = self[role] = MeetingBoard(Workspace(self.folder), self.session_id, role)
        return board


@pytest.fixture
def boards(workspace: Workspace, demo: str) -> Any:
    made = Boards(workspace.folder, demo)
    yield made
    for b in made.values():
        b.close()


def answer_goal(board: MeetingBoard, party: str, goal: str, importance: int, stance: str) -> Any:
    panel = board.panel("Goals")
    panel.select.value = goal  # type: ignore[attr-defined]
    panel.rows[party].importance.value = importance  # type: ignore[attr-defined]
    panel.rows[party].stance.value = stance  # type: ignore[attr-defined]
    return panel


def test_the_rounds_panel_is_built_for_the_facilitator_only(boards: dict[str, MeetingBoard], workspace: Workspace,
                                                             demo: str) -> None:
    assert "Rounds" in boards["facilitator"].tabs.titles
    assert "Rounds" not in boards["customer"].tabs.titles
    for party in ("customer", "management"):
        assert "Rounds" not in [t for t, _ in panels_for(party)]
        with pytest.raises(AccessDenied, match="running private rounds"):
            RoundsPanel(BoardContext(workspace, demo, party))


def test_a_round_from_open_to_reveal_on_the_board(boards: dict[str, MeetingBoard], workspace: Workspace,
                                                  demo: str) -> None:
    fac, cust, mgmt = boards["facilitator"], boards["customer"], boards["management"]
    rounds = fac.panel("Rounds")
    assert rounds.reveal_button.disabled and "No round is open" in rounds.state.value  # type: ignore[attr-defined]
    rounds.goals.value = ("cutover-date", "vendor-slip")  # type: ignore[attr-defined]
    rounds.issues.value = ("cutover-slip",)  # type: ignore[attr-defined]
    rounds.open_button.click()  # type: ignore[attr-defined]
    assert fac.status.message.startswith("Saved: round 1 opened")
    assert rounds.open_button.disabled and not rounds.reveal_button.disabled  # type: ignore[attr-defined]
    for b in (cust, mgmt):
        b.sync()

    goals = answer_goal(cust, "customer", "cutover-date", 1, "oppose")
    assert cust.status.message.startswith("Saved: your private answer on 'Keep the March cutover date'")
    assert "Your answer: <b>1 oppose</b>" in goals.round_note.value  # type: ignore[attr-defined]
    assert "[in the open round]" in dict((v, k) for k, v in goals.select.options)["cutover-date"]  # type: ignore[attr-defined]
    assert "<td>5</td><td>support</td></tr></tbody>" in goals.detail.value  # type: ignore[attr-defined]
    answer_goal(mgmt, "management", "cutover-date", 2, "neutral")
    issues = mgmt.panel("Numeric issues")
    issues.select.value = "cutover-slip"  # type: ignore[attr-defined]
    issues.rows["management"].ideal.value = SECRET[0]  # type: ignore[attr-defined]
    issues.rows["management"].walk_away.value = SECRET[1]  # type: ignore[attr-defined]
    assert "Your answer: <b>ideal 4.125, walk-away 7.875</b>" in issues.round_note.value  # type: ignore[attr-defined]

    # the facilitator sees who answered and what; each party page holds its own answer only
    fac.sync()
    assert "Programme management 2 of 3 answered" in rounds.state.value  # type: ignore[attr-defined]
    assert "Alder Logistics (customer) 1 of 2 answered" in rounds.state.value  # type: ignore[attr-defined]
    table = rounds.answers.value  # type: ignore[attr-defined]
    assert "1 oppose" in table and "2 neutral" in table and "ideal 4.125, walk-away 7.875" in table
    cust.sync()
    cust.panel("Numeric issues")
    page = states(cust)
    assert "2 neutral" not in page and "walk-away 7.875" not in page and "Your answer: <b>1 oppose</b>" in page
    for secret in SECRET:
        assert secret not in page
    mgmt.sync()
    assert "1 oppose" not in states(mgmt)

    rounds.reveal_button.click()  # type: ignore[attr-defined]
    assert fac.status.message.startswith("Saved: round 1 revealed: 3 answers published")
    assert cust.sync() and mgmt.sync()
    detail = cust.panel("Goals").detail.value  # type: ignore[attr-defined]
    assert "<td>1</td><td>oppose</td>" in detail and "<td>2</td><td>neutral</td>" in detail
    assert cust.panel("Goals").round_note.value == ""  # type: ignore[attr-defined]
    for secret in SECRET:  # a position stays its party's after the reveal
        assert secret not in states(cust)


def test_cancel_from_the_panel_publishes_nothing(boards: dict[str, MeetingBoard], workspace: Workspace,
                                                 demo: str) -> None:
    fac, cust = boards["facilitator"], boards["customer"]
    rounds = fac.panel("Rounds")
    rounds.goals.value = ("test-env",)  # type: ignore[attr-defined]
    rounds.open_button.click()  # type: ignore[attr-defined]
    cust.sync()
    answer_goal(cust, "customer", "test-env", 0, "oppose")
    fac.sync()
    rounds.cancel_button.click()  # type: ignore[attr-defined]
    assert "cancelled" in fac.status.message and "was cancelled" in rounds.state.value  # type: ignore[attr-defined]
    cust.sync()
    goals = cust.panel("Goals")
    assert goals.rows["customer"].importance.value == 5  # type: ignore[attr-defined]
    assert goals.round_note.value == ""  # type: ignore[attr-defined]


def test_the_panels_buttons_refuse_what_does_not_apply(boards: dict[str, MeetingBoard]) -> None:
    fac = boards["facilitator"]
    rounds = fac.panel("Rounds")
    rounds.open_button.click()  # type: ignore[attr-defined]
    assert fac.status.is_error and "choose at least one goal" in fac.status.message
    rounds.reveal_button.click()  # a disabled button clicked anyway  # type: ignore[attr-defined]
    assert fac.status.is_error and "no round is open" in fac.status.message


def test_a_weighing_applied_in_a_round_answers_privately_for_the_goals_in_it(workspace: Workspace,
                                                                             demo: str) -> None:
    from pmkit.widgets.panels.ahp import AhpPanel
    from tests.support.widgets import judge

    workspace.rounds.open(demo, ["cutover-date"])
    panel = AhpPanel(BoardContext(workspace, demo, "customer"))
    panel.goals.value = ("test-env", "cutover-date")  # type: ignore[assignment]
    judge(panel, "test-env", "cutover-date", "← 5")
    panel.apply_button.click()
    assert "1 in the open round stay private until the reveal" in panel.status.message
    goals = {g.id: g for g in workspace.sessions.load(demo, "facilitator").goals}
    assert goals["cutover-date"].ratings["customer"].importance == 5  # published rating unchanged
    assert goals["test-env"].ratings["customer"].importance == 5
    answer = workspace.rounds.current(demo, "customer").answer("customer", "goal", "cutover-date")  # type: ignore[union-attr]
    assert answer is not None and answer.rating is not None and answer.rating.importance == 1
    panel.close()
