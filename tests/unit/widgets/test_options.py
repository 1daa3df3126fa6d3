"""The Options tab: what each role's page holds in its widget states, and what it can change,
whatever the browser sends."""

from __future__ import annotations

import pytest

from pmkit.errors import AccessDenied
from pmkit.model import FACILITATOR
from pmkit.resources import starter_path
from pmkit.rules.visibility import hidden_marks, hidden_option_values, hidden_texts
from pmkit.store import Workspace
from pmkit.text import renderings
from pmkit.widgets import MeetingBoard
from pmkit.widgets.panels.options import OptionsPanel
from tests.support.live import leaks
from tests.support.widgets import send_everything, states

ISSUE = "payment-terms"
CUSTOMER = {"on-delivery": 13.25, "net-30": 71.5, "net-60": 97.75}
MANAGEMENT = {"on-delivery": 96.25, "net-30": 58.5, "net-60": 11.75}


@pytest.fixture
def payment(workspace: Workspace) -> str:
    """budget-overrun (payment terms for everyone) with scores no page shows for another reason."""
    sid = workspace.sessions.import_file(starter_path("budget-overrun"))
    workspace.items.set_option_scores(sid, ISSUE, "customer", scores=CUSTOMER, weight=2.625,
                                      unacceptable=["on-delivery"], role=FACILITATOR)
    workspace.items.set_option_scores(sid, ISSUE, "management", scores=MANAGEMENT, weight=3.375,
                                      unacceptable=["net-60"], role=FACILITATOR)
    return sid


def _options(board: MeetingBoard) -> OptionsPanel:
    panel = board.panel("Options")
    assert isinstance(panel, OptionsPanel)
    return panel


def test_the_facilitator_sees_both_sides_side_by_side_and_the_standing_in_words(workspace: Workspace,
                                                                               payment: str) -> None:
    board = MeetingBoard(workspace, payment, FACILITATOR)
    table = _options(board).table.value
    for value in ("13.25", "71.5", "97.75", "96.25", "58.5", "11.75", "2.625", "3.375"):
        assert value in table
    assert "common ground: every side can accept it" in table  # 30 days
    assert "Meridian Insurance (customer) cannot accept On delivery" in table
    assert "Account and delivery management cannot accept 60 days after delivery" in table
    assert "<b>Common ground</b> (every side can accept): 30 days after delivery" in table
    assert "<b>Conflict</b> (only some sides can accept): On delivery, 60 days after delivery" in table
    assert not hasattr(_options(board), "save")  # no form: the facilitator reads here
    board.close()


@pytest.mark.parametrize(("party", "other"), [("customer", "management"), ("management", "customer")])
def test_a_party_page_holds_its_own_scores_and_none_of_the_other_sides(workspace: Workspace, payment: str,
                                                                       party: str, other: str) -> None:
    board = MeetingBoard(workspace, payment, party)
    panel = _options(board)
    page = states(board)
    own, theirs = (CUSTOMER, MANAGEMENT) if party == "customer" else (MANAGEMENT, CUSTOMER)
    assert all(str(v) in page for v in own.values())
    full = workspace.sessions.load(payment, FACILITATOR)
    assert {str(v) for v in theirs.values()} <= set(hidden_texts(full, party, option_values=True))
    # every rendering of the other side's scores and weight, and its "cannot accept" marks
    hidden = [r for v in hidden_option_values(full, party) for r in renderings(v)] + hidden_marks(full, party)
    assert len(hidden_marks(full, party)) == 2
    assert leaks(page, hidden) == []
    table = panel.table.value
    assert "common ground" not in table and "conflict" not in table  # the standing needs both sides
    assert set(workspace.sessions.load(payment, party).option_issues[0].scores) == {party}
    assert panel.weight.value == ("2.625" if party == "customer" else "3.375")
    board.close()


def test_a_party_scores_its_own_options_and_a_round_makes_it_a_private_answer(workspace: Workspace,
                                                                              payment: str) -> None:
    board = MeetingBoard(workspace, payment, "customer")
    panel = _options(board)
    panel._rows["net-30"].score.value = "64.5"
    panel._rows["net-60"].refuse.value = True
    panel.weight.value = "4.5"
    panel.save.click()
    mine = workspace.sessions.load(payment, FACILITATOR).option_issues[0].scores["customer"]
    assert (mine.scores["net-30"], mine.weight, mine.unacceptable) == (64.5, 4.5, ["on-delivery", "net-60"])
    assert mine.scores["net-60"] == 97.75  # what was not retyped is kept
    workspace.rounds.open(payment, option_issues=[ISSUE], role=FACILITATOR)
    board.sync()
    assert "Round 1 is open on this issue" in panel.round_note.value
    assert "private answer" in panel.round_note.value
    panel._rows["net-30"].score.value = "52.25"
    panel.save.click()
    assert "your private answer" in board.status.widget.value
    published = workspace.sessions.load(payment, FACILITATOR).option_issues[0].scores["customer"]
    assert published.scores["net-30"] == 64.5  # published only at the reveal
    board.sync()
    assert panel._rows["net-30"].score.value == "52.25"  # the page shows its answer
    other = MeetingBoard(workspace, payment, "management")
    assert "52.25" not in states(other) and "64.5" not in states(other)
    other.close()
    workspace.rounds.reveal(payment, role=FACILITATOR)
    assert workspace.sessions.load(payment, FACILITATOR).option_issues[0].scores["customer"].scores["net-30"] == 52.25
    board.close()


def test_what_a_party_types_survives_a_redraw_until_it_saves(workspace: Workspace, payment: str) -> None:
    board = MeetingBoard(workspace, payment, "customer")
    panel = _options(board)
    panel._rows["net-30"].score.value = "44.5"
    panel._rows["on-delivery"].refuse.value = False
    panel.weight.value = "1.5"
    # another page's change redraws this one while the form is being filled
    workspace.rounds.open(payment, option_issues=[ISSUE], role=FACILITATOR)
    board.sync()
    assert "Round 1 is open on this issue" in panel.round_note.value
    assert (panel._rows["net-30"].score.value, panel._rows["on-delivery"].refuse.value, panel.weight.value) == \
        ("44.5", False, "1.5")
    assert panel._rows["net-60"].score.value == "97.75"  # untouched: the stored value
    panel.save.click()
    answer = workspace.rounds.current(payment, FACILITATOR)
    assert answer is not None
    saved = answer.answer("customer", "option_issue", ISSUE)
    assert saved is not None and saved.option_scores is not None
    assert (saved.option_scores.scores["net-30"], saved.option_scores.weight, saved.option_scores.unacceptable) == \
        (44.5, 1.5, [])
    board.close()


def test_a_bad_score_is_one_line_and_saves_nothing(workspace: Workspace, payment: str) -> None:
    board = MeetingBoard(workspace, payment, "customer")
    panel = _options(board)
    before = workspace.sessions.load(payment, FACILITATOR)
    for typed in ("101", "lots", "-3"):
        panel._rows["net-30"].score.value = typed
        panel.save.click()
        assert board.status.is_error and "\n" not in board.status.widget.value
    assert workspace.sessions.load(payment, FACILITATOR) == before
    board.close()


@pytest.mark.parametrize("party", ["customer", "management"])
def test_any_message_from_a_party_page_changes_only_its_own_scores(workspace: Workspace, payment: str,
                                                                   party: str) -> None:
    before = workspace.sessions.load(payment, FACILITATOR)
    board = MeetingBoard(workspace, payment, party)
    _options(board)
    send_everything(board)
    board.sync()
    send_everything(board)
    after = workspace.sessions.load(payment, FACILITATOR)
    other = "management" if party == "customer" else "customer"
    assert after.option_issues[0].scores[other] == before.option_issues[0].scores[other]
    assert after.option_issues[0].options == before.option_issues[0].options
    assert "Traceback" not in states(board)
    board.close()


def test_forged_calls_cannot_write_the_other_sides_scores(workspace: Workspace, payment: str) -> None:
    board = MeetingBoard(workspace, payment, "customer")
    panel = _options(board)
    panel.party = "management"  # a forged target: the store checks the page's own role
    panel._rows["net-30"].score.value = "1.5"
    panel.save.click()
    assert board.status.is_error
    assert workspace.sessions.load(payment, FACILITATOR).option_issues[0].scores["management"].scores["net-30"] == 58.5
    with pytest.raises(AccessDenied):
        workspace.items.set_option_scores(payment, ISSUE, "management", scores={"net-30": 1.5}, role=board.ctx.actor)
    board.close()


def test_a_withheld_option_issue_is_no_tab_and_nothing_on_the_other_sides_page(workspace: Workspace,
                                                                                demo: str) -> None:
    customer = MeetingBoard(workspace, demo, "customer")
    assert "Options" not in customer.tabs.titles
    page = states(customer)
    for text in ("How to recover the six weeks", "Weekend overtime on the adapter team",
                 "Bring in a second vendor for the adapter", "cannot accept"):
        assert text not in page
    customer.close()
    management = MeetingBoard(workspace, demo, "management")
    assert "Options" in management.tabs.titles
    assert "Weekend overtime on the adapter team" in _options(management).table.value
    management.close()


def test_a_members_page_holds_the_members_own_scores_not_the_sides_aggregate(workspace: Workspace,
                                                                           payment: str) -> None:
    ann = workspace.participants.add(payment, "customer", "Ann")
    bob = workspace.participants.add(payment, "customer", "Bob")
    board_ann = MeetingBoard(workspace, payment, "customer", participant=ann.participant_id)
    panel = _options(board_ann)
    for o, v in {"on-delivery": "21.5", "net-30": "33.5", "net-60": "44.5"}.items():
        panel._rows[o].score.value = v
    panel.save.click()
    board_bob = MeetingBoard(workspace, payment, "customer", participant=bob.participant_id)
    bob_panel = _options(board_bob)
    for o, v in {"on-delivery": "55.5", "net-30": "66.5", "net-60": "77.5"}.items():
        bob_panel._rows[o].score.value = v
    bob_panel.save.click()
    board_ann.sync()
    assert "33.5" in states(board_ann) and "66.5" not in states(board_ann)
    assert "66.5" in states(board_bob) and "33.5" not in states(board_bob)
    board_ann.close()
    board_bob.close()
