"""The Disclosure plan tab, on boards built in this process (no server): who gets it, what it
holds for each role, deciding and disclosing through it, and what a hostile page can do."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipywidgets as widgets
import pytest

from pmkit.errors import AccessDenied
from pmkit.rules.visibility import hidden_texts
from pmkit.store import Workspace
from pmkit.widgets import MeetingBoard
from pmkit.widgets.common import iter_widgets
from pmkit.widgets.context import BoardContext
from pmkit.widgets.panels.disclosure_plan import DisclosurePlanPanel
from tests.support.widgets import send_everything, states

PNG = b"\x89PNG\r\n\x1a\n"
TAB = "Disclosure plan"


def plan_panel(board: MeetingBoard) -> Any:
    board.tabs.selected_index = list(board.tabs.titles).index(TAB)  # shown, so it draws
    return board.panel(TAB)


def test_the_customer_gets_no_plan_and_no_trace_of_one(workspace: Workspace, demo: str) -> None:
    board = MeetingBoard(workspace, demo, "customer")
    assert TAB not in board.tabs.titles
    for title in board.tabs.titles:
        board.panel(title)
    page = states(board)
    full = workspace.sessions.load(demo, "facilitator")
    for text in hidden_texts(full, "customer"):
        if not text.replace(".", "").isdigit():
            assert text not in page, text
    for word in ("Disclosure plan", "withheld", "disclose by", "undecided"):
        assert word not in page
    board.close()
    with pytest.raises(AccessDenied, match="disclosure plan"):  # nor can the panel be made for it
        DisclosurePlanPanel(BoardContext(workspace, demo, "customer"))


def test_a_customer_that_withholds_something_itself_gets_its_own_plan(workspace: Workspace, demo: str) -> None:
    workspace.items.add(demo, "goal", {"id": "own", "title": "Our internal budget cap", "raised_by": "customer",
                                      "audience": "customer"}, role="customer")
    board = MeetingBoard(workspace, demo, "customer")
    panel = plan_panel(board)
    assert [v for _, v in panel.pick.options] == ["goal:own"]
    assert panel.chart is None and panel.disclose is None
    assert "Integration vendor" not in states(board)
    board.close()


def test_management_sees_and_decides_on_its_own_items(workspace: Workspace, demo: str) -> None:
    board = MeetingBoard(workspace, demo, "management")
    panel = plan_panel(board)
    assert [v for _, v in panel.pick.options] == ["goal:vendor-slip", "goal:recover-quietly", "issue:overtime-budget",
                                                  "option_issue:recovery-route", "agreement:disclosure-plan",
                                                  "action:recovery-plan"]
    assert panel.chart is None and panel.disclose is None  # the timeline and disclosing: the facilitator's
    assert "Late-delivery penalty clause" not in states(board)  # its own goal for the facilitator alone
    assert "disclose by 2026-12-11 after the recovery plan is signed off" in panel.table.value
    panel.pick.value = "goal:recover-quietly"
    panel.decision.value = "by"
    panel.by.value = dt.date(2027, 2, 17)
    panel.condition.value = "the overtime plan is approved"
    panel.record.click()
    assert board.status.message.startswith("Saved: decision on 'Recover the vendor slip"), board.status.message
    entry = workspace.sessions.load(demo, "management").plan[1]
    assert (entry.decision, entry.by, entry.recorded_by) == ("by", dt.date(2027, 2, 17), "management")
    assert "disclose by 2027-02-17 after the overtime plan is approved" in panel.table.value
    # a "by" without its day is one line in the status bar, and nothing is saved
    version = workspace.sessions.version(demo)
    panel.pick.value = "goal:vendor-slip"
    panel.by.value = None
    panel.decision.value = "by"
    panel.record.click()
    assert board.status.is_error and board.status.message == "choose the day to disclose by"
    assert workspace.sessions.version(demo) == version
    board.close()


def test_a_decision_being_filled_in_survives_someone_elses_edit(workspace: Workspace, demo: str) -> None:
    board = MeetingBoard(workspace, demo, "management")
    panel = plan_panel(board)
    panel.pick.value = "goal:recover-quietly"
    panel.decision.value = "by"
    panel.by.value = dt.date(2027, 2, 17)
    panel.condition.value = "the overtime plan is approved"
    workspace.items.add(demo, "agreement", {"text": "Weekly status on Mondays"}, role="facilitator")
    assert board.sync()  # the page redraws for the facilitator's edit
    assert (panel.decision.value, panel.by.value, panel.condition.value) == (
        "by", dt.date(2027, 2, 17), "the overtime plan is approved")
    panel.record.click()
    assert workspace.sessions.load(demo, "management").plan[1].decision == "by"
    # once stored, an edit of the entry elsewhere does reach the form
    workspace.disclosure_plan.decide(demo, "goal", "recover-quietly", "now", role="facilitator")
    assert board.sync()
    assert panel.decision.value == "now"
    board.close()


def test_the_facilitator_sees_the_timeline_and_discloses_in_one_click(workspace: Workspace, demo: str) -> None:
    board = MeetingBoard(workspace, demo, "facilitator")
    customer = MeetingBoard(workspace, demo, "customer")
    panel = plan_panel(board)
    assert bytes(panel.chart.value).startswith(PNG)
    assert "Late-delivery penalty clause" in panel.table.value
    panel.pick.value = "goal:vendor-slip"
    assert panel.disclose.disabled
    panel.disclose.click()  # a forged click on the disabled button is refused by the workspace too
    assert board.status.is_error and "Programme management's to disclose" in board.status.message
    panel.decision.value = "now"
    panel.record.click()
    assert not panel.disclose.disabled
    assert workspace.sessions.load(demo, "management").plan[0].recorded_by == "facilitator"
    before = bytes(panel.chart.value)
    panel.disclose.click()
    assert board.status.message == ("Saved: disclosed 'Integration vendor is six weeks late on the EDI adapter' "
                                    "to everyone")
    assert "goal:vendor-slip" not in [v for _, v in panel.pick.options]
    assert bytes(panel.chart.value) != before
    assert customer.sync()
    goals = customer.panel("Goals")
    assert "Integration vendor is six weeks late on the EDI adapter" in states(customer)
    assert goals is not None
    customer.close()
    board.close()


def test_dates_of_the_clock_are_saved_from_the_panel(workspace: Workspace, demo: str) -> None:
    board = MeetingBoard(workspace, demo, "management")
    panel = plan_panel(board)
    panel.pick.value = "action:recovery-plan"
    assert [v for _, v in panel.link.options] == ["", "action:env-date", "action:recovery-plan", "issue:cutover-slip"]
    panel.affected.value = dt.date(2026, 12, 2)
    panel.link.value = "action:env-date"
    panel.save_clock.click()
    entry = workspace.sessions.load(demo, "management").plan[-1]
    assert (entry.item, entry.affected_from, entry.linked_to, entry.decision) == (
        "recovery-plan", dt.date(2026, 12, 2), "action:env-date", "undecided")
    board.close()


def test_a_hostile_management_page_changes_only_management_decisions(workspace: Workspace, demo: str) -> None:
    before = workspace.sessions.load(demo, "facilitator")
    board = MeetingBoard(workspace, demo, "management")
    panel = plan_panel(board)
    for value in [v for _, v in panel.pick.options]:
        panel.pick.value = value
        for w in iter_widgets(panel.widget):
            if isinstance(w, widgets.DatePicker):
                w.value = dt.date(2027, 1, 1)
        send_everything(board)
    after = workspace.sessions.load(demo, "facilitator")
    strip = {"plan": True, "goals": {g: {"ratings": {"management"}} for g in range(len(before.goals))}}
    assert after.model_dump(exclude=strip) == before.model_dump(exclude=strip)  # type: ignore[arg-type]
    assert [g.audience for g in after.goals] == [g.audience for g in before.goals]  # nothing disclosed
    changed = {e.key for e in after.plan if e not in before.plan}
    assert changed <= {"goal/vendor-slip", "goal/recover-quietly", "issue/overtime-budget",
                       "option_issue/recovery-route", "agreement/disclosure-plan", "action/recovery-plan"}
    assert {e.role for e in workspace.journal.history(demo)} <= {"facilitator", "management"}
    assert not [e for e in workspace.journal.history(demo) if e.op == "disclose"]
    board.close()


def test_a_party_panel_refuses_a_forged_disclosure(workspace: Workspace, demo: str) -> None:
    workspace.disclosure_plan.decide(demo, "goal", "vendor-slip", "now", role="management")
    board = MeetingBoard(workspace, demo, "management")
    panel = plan_panel(board)
    panel.pick.value = "goal:vendor-slip"
    panel._disclose()  # what a crafted message could reach at most
    assert board.status.is_error and board.status.message == "not allowed: disclosing withheld items; nothing was saved"
    assert "vendor-slip" not in [g.id for g in workspace.sessions.load(demo, "customer").goals]
    board.close()


def test_the_timeline_says_in_words_what_it_shows(workspace: Workspace, demo: str) -> None:
    board = MeetingBoard(workspace, demo, "facilitator")
    panel = plan_panel(board)
    alt = panel.chart.tooltip  # the page makes it the image's alt text
    lines = list(panel._lines.values())
    undecided = sum(x.decision == "undecided" for x in lines)
    assert alt.startswith(f"Disclosure plan timeline on {dt.date.today().isoformat()}: {len(lines)} withheld item(s), "
                          f"{undecided} undecided, ")
    assert undecided >= 1 and len(lines) >= 3
    assert "Integration vendor is six weeks late" in alt and "disclose by 2026-12-11" in alt
    board.close()
