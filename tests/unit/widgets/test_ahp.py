"""The weighing panel: a party compares goals pairwise (AHP) and applies the importances as
its own; the facilitator chooses the party; nobody sees or sets what it may not."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import pytest

from pmkit.rules.visibility import hidden_texts
from pmkit.store import Workspace
from pmkit.widgets import MeetingBoard
from pmkit.widgets.common import iter_widgets
from pmkit.widgets.context import BoardContext
from pmkit.widgets.panels.ahp import MAX_SELECTED, AhpPanel
from tests.support.widgets import judge


def ratings(ws: Workspace, sid: str, party: str) -> dict[str, tuple[int, str] | None]:
    out: dict[str, tuple[int, str] | None] = {}
    for g in ws.sessions.load(sid, "facilitator").goals:
        r = g.ratings.get(party)
        out[g.id] = None if r is None else (r.importance, r.stance)
    return out


def all_text(widget: widgets.Widget) -> str:
    parts: list[str] = []
    for w in iter_widgets(widget):
        for name in ("value", "description", "options", "_options_labels", "placeholder", "tooltip"):
            parts.append(str(getattr(w, name, "")))
    return " ".join(parts)


@pytest.fixture
def customer_panel(workspace: Workspace, demo: str) -> Any:
    panel = AhpPanel(BoardContext(workspace, demo, "customer"))
    yield panel
    panel.close()


def test_a_party_weighs_three_goals_and_applies_them(
    customer_panel: AhpPanel, workspace: Workspace, demo: str
) -> None:
    panel = customer_panel
    assert panel.party is None  # a party weighs its own goals only
    before = ratings(workspace, demo, "customer")
    management = ratings(workspace, demo, "management")
    panel.goals.value = ("test-env", "cutover-date", "weekly-status")
    assert len(panel.pairs.children) == 3  # every pair once
    # consistent judgements 2 : 4 : 1 give back exactly those weights
    judge(panel, "test-env", "cutover-date", "2 →")
    judge(panel, "test-env", "weekly-status", "← 2")
    judge(panel, "cutover-date", "weekly-status", "← 4")
    w = panel.weighing
    assert w is not None and w.result.warning is None
    assert [round(g.priority, 6) for g in w.goals] == [round(2 / 7, 6), round(4 / 7, 6), round(1 / 7, 6)]
    assert w.result.consistency_ratio == pytest.approx(0.0, abs=1e-9)
    assert "CR 0.000" in panel.result.value and "0.571" in panel.result.value
    assert [g.importance for g in w.goals] == [3, 5, 1]  # round(5 * p / max p): 2.5 -> 3
    assert ratings(workspace, demo, "customer") == before  # nothing saved yet
    assert not panel.apply_button.disabled
    panel.apply_button.click()
    after = ratings(workspace, demo, "customer")
    assert after["test-env"] == (3, "support") and after["cutover-date"] == (5, "support")
    assert after["weekly-status"] == (1, "support")  # stances kept
    assert {k: v for k, v in after.items() if k not in w.result.items} == {
        k: v for k, v in before.items() if k not in w.result.items}
    assert ratings(workspace, demo, "management") == management
    assert workspace.journal.history(demo)[-1].role == "customer"
    assert panel.status.message.startswith("Saved: Alder Logistics (customer)'s importances")
    assert "now" in panel.result.value and not panel.status.is_error


def test_contradictory_judgements_show_the_warning(customer_panel: AhpPanel) -> None:
    panel = customer_panel
    panel.goals.value = ("test-env", "cutover-date", "weekly-status")
    judge(panel, "test-env", "cutover-date", "← 7")
    judge(panel, "cutover-date", "weekly-status", "← 7")
    judge(panel, "test-env", "weekly-status", "7 →")  # a cycle
    w = panel.weighing
    assert w is not None and w.result.consistency_ratio > 0.1
    assert 'role="alert"' in panel.result.value and "above 0.1" in panel.result.value


def test_judgements_survive_a_redraw_and_a_new_goal(customer_panel: AhpPanel, workspace: Workspace,
                                                     demo: str) -> None:
    panel = customer_panel
    panel.goals.value = ("test-env", "cutover-date")
    judge(panel, "test-env", "cutover-date", "← 5")
    Workspace(workspace.folder).items.add(demo, "agreement", {"text": "Elsewhere"}, role="facilitator")
    panel.refresh()
    assert panel._pairs["test-env", "cutover-date"].slider.value == 5.0
    panel.goals.value = ("test-env", "cutover-date", "training-plan")
    assert panel._pairs["test-env", "cutover-date"].slider.value == 5.0
    assert panel._pairs["test-env", "training-plan"].slider.value == 1.0  # new pairs start equal
    assert len(panel.pairs.children) == 3


def test_a_renamed_goal_is_shown_by_its_new_title(customer_panel: AhpPanel, workspace: Workspace,
                                                  demo: str) -> None:
    panel = customer_panel
    panel.goals.value = ("test-env", "cutover-date")
    judge(panel, "test-env", "cutover-date", "3 →")
    workspace.items.update(demo, "goal", "cutover-date", {"title": "Keep the <b>April</b> cutover"},
                          role="facilitator")
    panel.refresh()
    row = panel.pairs.children[0]
    assert "Keep the &lt;b&gt;April&lt;/b&gt; cutover" in row.children[2].value  # shown as text
    assert row.children[1].value == 1 / 3  # the judgement is kept
    assert "Keep the <b>April</b> cutover" in [t for t, _id in panel.goals.options]


def test_too_few_or_too_many_goals(customer_panel: AhpPanel, workspace: Workspace, demo: str) -> None:
    panel = customer_panel
    panel.goals.value = ("test-env",)
    assert panel.weighing is None and panel.apply_button.disabled
    version = workspace.sessions.version(demo)
    panel.apply_button.click()  # the browser can click a disabled button
    assert panel.status.is_error and "choose 2 to" in panel.status.message
    assert workspace.sessions.version(demo) == version
    many = tuple(gid for _label, gid in panel.goals.options)
    assert len(many) == 6  # the customer sees six goals
    extra = workspace.items.add(demo, "goal", {"title": "One more", "raised_by": "customer"}, role="facilitator")
    for n in range(3):
        workspace.items.add(demo, "goal", {"title": f"Extra {n}", "raised_by": "customer"}, role="facilitator")
    panel.refresh()
    ids = tuple(gid for _label, gid in panel.goals.options)
    assert extra in ids and len(ids) == 10
    panel.goals.value = ids[: MAX_SELECTED + 1]
    assert panel.status.is_error and f"at most {MAX_SELECTED}" in panel.status.message
    assert panel.weighing is None and panel.pairs.children == ()
    panel.apply_button.click()
    assert workspace.sessions.version(demo) == version + 4  # only the four goals added above


def test_a_party_is_offered_only_what_it_may_see(workspace: Workspace, demo: str) -> None:
    full = workspace.sessions.load(demo, "facilitator")
    panel = AhpPanel(BoardContext(workspace, demo, "customer"))
    try:
        ids = {gid for _label, gid in panel.goals.options}
        assert ids == {g.id for g in workspace.sessions.load(demo, "customer").goals}
        assert not ids & {"vendor-slip", "recover-quietly", "penalty-clause"}
        text = all_text(panel.widget)
        for hidden in hidden_texts(full, "customer"):
            if len(hidden) > 4:
                assert hidden not in text
    finally:
        panel.close()


def test_the_facilitator_chooses_the_party(workspace: Workspace, demo: str) -> None:
    panel = AhpPanel(BoardContext(workspace, demo, "facilitator"))
    try:
        assert panel.party is not None
        assert [v for _n, v in panel.party.options] == ["customer", "management"]
        panel.party.value = "management"
        ids = {gid for _label, gid in panel.goals.options}
        assert "vendor-slip" in ids and "penalty-clause" not in ids  # what management may see
        panel.goals.value = ("vendor-slip", "data-cleansing")
        judge(panel, "data-cleansing", "vendor-slip", "3 →")
        customer_before = ratings(workspace, demo, "customer")
        panel.apply()
        assert not panel.status.is_error, panel.status.message
        mgmt = ratings(workspace, demo, "management")
        assert mgmt["vendor-slip"] == (5, "support") and mgmt["data-cleansing"] == (2, "support")
        assert ratings(workspace, demo, "customer") == customer_before
        assert workspace.journal.history(demo)[-1].role == "facilitator"
        # switching party starts afresh: no judgement carries over to another party's goals
        panel.party.value = "customer"
        assert panel.goals.value == () and panel.weighing is None
    finally:
        panel.close()


def test_apply_checks_again_what_the_party_may_see(customer_panel: AhpPanel, workspace: Workspace,
                                                  demo: str) -> None:
    """A goal hidden from the party after the page drew it is refused when applying."""
    panel = customer_panel
    panel.goals.value = ("test-env", "cutover-date")
    judge(panel, "test-env", "cutover-date", "← 3")
    Workspace(workspace.folder).items.update(demo, "goal", "test-env", {"audience": "management"},
                                            role="facilitator")
    version = workspace.sessions.version(demo)
    before = ratings(workspace, demo, "customer")
    panel.apply_button.click()  # the page still shows the goal
    assert panel.status.is_error and workspace.sessions.version(demo) == version
    assert ratings(workspace, demo, "customer") == before
    panel.refresh()
    assert "test-env" not in {gid for _label, gid in panel.goals.options}
    assert "Integration test environment" not in all_text(panel.widget)


def test_the_meeting_board_has_the_weighing_panel(workspace: Workspace, demo: str) -> None:
    board = MeetingBoard(workspace, demo, "management")
    try:
        panel = board.panel("Weigh goals")
        assert isinstance(panel, AhpPanel) and panel.party is None
        panel.goals.value = ("vendor-slip", "recover-quietly")
        judge(panel, "vendor-slip", "recover-quietly", "← 9")
        panel.apply_button.click()
        assert board.status.message.startswith("Saved: Programme management's importances")
        mgmt = ratings(workspace, demo, "management")
        assert mgmt["vendor-slip"] == (5, "support") and mgmt["recover-quietly"] == (1, "support")
    finally:
        board.close()
