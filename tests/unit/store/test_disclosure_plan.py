"""The disclosure plan in a real workspace: decisions and disclosing as journaled edits, the
refusals, the clock's start from the journal, and who reads what, down to the rows the
database returns (on both backends)."""

from __future__ import annotations

import datetime as dt

import pytest

from pmkit.errors import AccessDenied, InputError, NotFound
from pmkit.model import FACILITATOR
from pmkit.rules.visibility import hidden_texts
from pmkit.store import Workspace
from tests.support.starters import starter
from tests.support.store import raw, recording

pytestmark = pytest.mark.usefixtures("backend")

BY = dt.date(2027, 2, 17)


def today() -> str:
    return dt.datetime.now(dt.UTC).date().isoformat()


def test_the_owner_decides_and_the_journal_says_who_when_and_what(workspace: Workspace, demo: str) -> None:
    v0 = workspace.sessions.version(demo)
    entry = workspace.disclosure_plan.decide(demo, "goal", "recover-quietly", "by", role="management", by=BY,
                             condition="the overtime plan is approved")
    assert (entry.decision, entry.by, entry.condition, entry.recorded_by) == ("by", BY, "the overtime plan is approved",
                                                                                "management")
    assert entry.decided_on is not None and entry.decided_on.isoformat() == today()
    assert entry.linked_to == "issue:cutover-slip"  # what was there is kept
    assert workspace.sessions.version(demo) == v0 + 1  # one edit
    last = workspace.journal.history(demo)[-1]
    assert (last.op, last.role, last.kind, last.item_id) == ("decide", "management", "plan", "goal/recover-quietly")
    assert last.before is not None and last.before["decision"] == "undecided"
    assert last.after is not None and last.after["by"] == "2027-02-17"
    assert last.at.startswith(today())
    # the facilitator decides on management's behalf, and the entry says so
    entry = workspace.disclosure_plan.decide(demo, "goal", "recover-quietly", "now", role=FACILITATOR)
    assert entry.recorded_by == FACILITATOR and entry.by is None and entry.condition is None
    assert workspace.journal.history(demo)[-1].summary == ("plan 'goal/recover-quietly': disclose now, recorded by the "
                                                  "facilitator on behalf of management")
    assert workspace.sessions.load(demo, "management").plan[1] == entry


def test_a_decision_is_undone_whole(workspace: Workspace, demo: str) -> None:
    before = workspace.sessions.load(demo, FACILITATOR).plan
    workspace.disclosure_plan.decide(demo, "action", "recovery-plan", "never", role="management", reason="internal",
                     affected_from=dt.date(2026, 12, 1), linked_to="action:env-date")
    assert workspace.sessions.load(demo, FACILITATOR).plan[-1].reason == "internal"
    workspace.items.update(demo, "note", "fac-caution", {"audience": "management"}, role=FACILITATOR)
    workspace.disclosure_plan.decide(demo, "note", "fac-caution", "now", role="management")  # a first entry: added
    assert len(workspace.sessions.load(demo, FACILITATOR).plan) == len(before) + 1
    assert workspace.journal.undo(demo).op == "decide"
    assert workspace.journal.undo(demo).op == "update"
    undone = workspace.journal.undo(demo)
    assert undone.op == "decide"
    assert workspace.sessions.load(demo, FACILITATOR).plan == before


@pytest.mark.parametrize("item", [("goal", "vendor-slip"), ("goal", "penalty-clause"), ("goal", "no-such-goal")])
def test_a_party_deciding_on_an_item_not_its_own_is_refused_in_one_line(
        workspace: Workspace, demo: str, item: tuple[str, str]) -> None:
    version = workspace.sessions.version(demo)
    with pytest.raises(NotFound) as info:
        workspace.disclosure_plan.decide(demo, *item, "now", role="customer")
    message = str(info.value)
    # the same words whether the item exists (management's, the facilitator's) or not
    assert message == (f"customer has no withheld item 'goal:{item[1]}' in session '{demo}'; a party decides on "
                       f"its own withheld items only (`pmkit plan {demo} --as customer` lists them)")
    assert workspace.sessions.version(demo) == version


def test_the_owner_of_a_goal_it_cannot_see_decides_through_the_facilitator(workspace: Workspace, demo: str) -> None:
    with pytest.raises(NotFound, match="management has no withheld item 'goal:penalty-clause'"):
        workspace.disclosure_plan.decide(demo, "goal", "penalty-clause", "now", role="management")
    entry = workspace.disclosure_plan.decide(demo, "goal", "penalty-clause", "never", role=FACILITATOR,
                                             reason="legal advice")
    assert entry.recorded_by == FACILITATOR
    assert "penalty-clause" not in [e.item for e in workspace.sessions.load(demo, "management").plan]


@pytest.mark.parametrize(
    ("kind", "item_id", "changes", "problem"),
    [
        ("goal", "test-env", {"decision": "now"}, "seen by everyone already"),
        ("note", "fac-caution", {"decision": "now"}, "the facilitator's own note"),
        ("goal", "vendor-slip", {"decision": "never"}, "needs a reason"),
        ("goal", "vendor-slip", {"decision": "by"}, "needs the date to disclose by"),
        ("goal", "vendor-slip", {"decision": "now", "linked_to": "action:nope"}, "no such action"),
        ("goal", "vendor-slip", {"decision": None}, "nothing to record"),
    ],
)
def test_bad_decisions_change_nothing(workspace: Workspace, demo: str, kind: str, item_id: str,
                                      changes: dict[str, object], problem: str) -> None:
    version = workspace.sessions.version(demo)
    rest = dict(changes)  # the parameter is shared by both backends' runs: never change it
    with pytest.raises(InputError, match=problem):
        workspace.disclosure_plan.decide(demo, kind, item_id, rest.pop("decision"), role=FACILITATOR,  # type: ignore[arg-type]
                                         **rest)  # type: ignore[arg-type]
    assert workspace.sessions.version(demo) == version


def test_a_link_the_owner_cannot_see_is_refused(workspace: Workspace, demo: str) -> None:
    workspace.items.add(demo, "action", {"id": "secret", "title": "Brief legal", "due": "2026-12-01",
                                        "audience": "facilitator"}, role=FACILITATOR)
    with pytest.raises(InputError, match="management, who owns the item, may not see it"):
        workspace.disclosure_plan.set_clock(demo, "goal", "vendor-slip", role=FACILITATOR, linked_to="action:secret")
    with pytest.raises(InputError, match="no such action"):  # and a party is not told it exists
        workspace.disclosure_plan.set_clock(demo, "goal", "vendor-slip", role="management", linked_to="action:secret")


def test_disclosing_without_the_owners_decision_is_refused_naming_the_owner(workspace: Workspace, demo: str) -> None:
    version = workspace.sessions.version(demo)
    for item_id, state in (("vendor-slip", "decided to disclose by 2026-12-11"),
                           ("recover-quietly", "has not decided")):
        with pytest.raises(AccessDenied) as info:
            workspace.disclosure_plan.disclose(demo, "goal", item_id)
        assert "is Programme management's to disclose, and Programme management " + state in str(info.value)
    with pytest.raises(AccessDenied, match="only the facilitator may disclose"):
        workspace.disclosure_plan.disclose(demo, "goal", "vendor-slip", role="management")
    assert workspace.sessions.version(demo) == version


def test_disclosing_is_one_edit_that_names_the_decision_and_is_not_undone(workspace: Workspace, demo: str) -> None:
    workspace.disclosure_plan.decide(demo, "goal", "vendor-slip", "now", role="management")
    version = workspace.sessions.version(demo)
    carried = workspace.disclosure_plan.disclose(demo, "goal", "vendor-slip")
    assert carried.decision == "now" and carried.recorded_by == "management"
    assert workspace.sessions.version(demo) == version + 1
    entry = workspace.journal.history(demo)[-1]
    assert entry.op == "disclose" and entry.role == FACILITATOR
    item, decision = entry.changes
    assert (item.kind, item.audience_before, item.audience_after) == ("goal", "management", "joint")
    assert item.after is not None and item.after["disclosed_on"] == today()
    assert (decision.kind, decision.item_id, decision.after) == ("plan", "goal/vendor-slip", None)
    assert decision.before is not None and decision.before["decision"] == "now"
    assert entry.summary.endswith("plan 'goal/vendor-slip': was disclose now")  # the decision it carries out
    # the customer now loads it, with the day; the plan no longer lists it
    goal = next(g for g in workspace.sessions.load(demo, "customer").goals if g.id == "vendor-slip")
    assert goal.audience == "joint" and goal.disclosed_on is not None and goal.disclosed_on.isoformat() == today()
    assert "vendor-slip" not in [e.item for e in workspace.sessions.load(demo, FACILITATOR).plan]
    with pytest.raises(InputError, match="a disclosure is not undone"):
        workspace.journal.undo(demo)
    with pytest.raises(InputError, match="seen by everyone already"):
        workspace.disclosure_plan.disclose(demo, "goal", "vendor-slip")


def test_an_issue_disclosed_keeps_each_partys_position_its_own(workspace: Workspace, demo: str) -> None:
    workspace.disclosure_plan.decide(demo, "issue", "overtime-budget", "now", role="management")
    workspace.disclosure_plan.disclose(demo, "issue", "overtime-budget")
    issue = next(i for i in workspace.sessions.load(demo, "customer").issues if i.id == "overtime-budget")
    assert issue.positions == {}  # management's ideal and walk-away stay management's


def test_a_decision_no_longer_applies_once_the_audience_changes(workspace: Workspace, demo: str) -> None:
    workspace.items.update(demo, "goal", "vendor-slip", {"audience": "facilitator"}, role=FACILITATOR)
    assert "vendor-slip" not in [e.item for e in workspace.sessions.load(demo, FACILITATOR).plan]  # undecided again
    workspace.journal.undo(demo)
    assert workspace.sessions.load(demo, FACILITATOR).plan[0].decision == "by"  # and back with the audience


def test_deleting_an_item_takes_its_entry_and_undo_brings_both_back(workspace: Workspace, demo: str) -> None:
    before = workspace.sessions.load(demo, FACILITATOR).plan
    workspace.items.delete(demo, "goal", "vendor-slip", role=FACILITATOR)
    assert [c.kind for c in workspace.journal.history(demo)[-1].changes] == ["goal", "plan"]
    workspace.items.add(demo, "goal", {"id": "vendor-slip", "title": "Another matter", "raised_by": "management",
                                      "audience": "management"}, role=FACILITATOR)
    assert "vendor-slip" not in [e.item for e in workspace.sessions.load(demo, FACILITATOR).plan]  # starts undecided
    workspace.journal.undo(demo)
    workspace.journal.undo(demo)
    # (an item brought back by undo comes last among its kind, and its entry with it)
    assert sorted(workspace.sessions.load(demo, FACILITATOR).plan, key=str) == sorted(before, key=str)


def test_withheld_since_comes_from_the_journal(workspace: Workspace, demo: str) -> None:
    created = dt.datetime.fromisoformat(workspace.sessions.info(demo).created_at).date()
    workspace.items.add(demo, "goal", {"id": "late", "title": "Found later", "raised_by": "management"},
                       role=FACILITATOR)
    workspace.items.update(demo, "goal", "late", {"audience": "management"}, role=FACILITATOR)
    since = workspace.disclosure_plan.withheld_since(demo, FACILITATOR)
    assert since["goal/late"].isoformat() == today()
    assert since["goal/penalty-clause"] == created  # withheld since the session was imported
    assert "note/fac-caution" not in since  # the facilitator's own note is not withheld
    assert set(workspace.disclosure_plan.withheld_since(demo, "management")) == {
        "goal/vendor-slip", "goal/recover-quietly", "goal/late", "issue/overtime-budget",
        "option_issue/recovery-route", "agreement/disclosure-plan", "action/recovery-plan"}
    assert workspace.disclosure_plan.withheld_since(demo, "customer") == {}


@pytest.mark.parametrize("role", ["customer", "management"])
def test_a_party_never_reads_a_plan_row_it_may_not_read(workspace: Workspace, demo: str, role: str) -> None:
    workspace.disclosure_plan.decide(demo, "goal", "penalty-clause", "never", role=FACILITATOR,
                                     reason="advice from counsel")
    workspace.disclosure_plan.decide(demo, "goal", "vendor-slip", "by", role="management", by=BY,
                                     condition="the fix ships")
    with recording(workspace) as recorder:
        view = workspace.sessions.load(demo, role)
        since = workspace.disclosure_plan.withheld_since(demo, role)
        workspace.journal.history(demo, role)
    fetched = recorder.text()
    full = workspace.sessions.load(demo, FACILITATOR)
    hidden = [t for t in hidden_texts(full, role) if not t.replace(".", "").isdigit()]
    assert "advice from counsel" in hidden
    for text in hidden:
        assert text not in fetched, f"{role} fetched a row holding {text!r}"
    if role == "customer":
        assert view.plan == [] and since == {}
        assert "goal/" not in fetched and "plan" not in fetched.split()  # no key, no count of anything withheld
    else:
        assert {e.item for e in view.plan} == {"vendor-slip", "recover-quietly", "overtime-budget",
                                               "recovery-route", "disclosure-plan", "recovery-plan"}
        assert "goal/penalty-clause" not in since
    with raw(workspace) as conn:  # the rows are there: the query kept them out
        assert conn.execute("SELECT count(*) FROM disclosure_plan WHERE session_id = ? AND audience <> ?",
                            (demo, role)).fetchone()[0] > 0


def test_the_plan_survives_export_and_import_and_a_partys_file_holds_its_own(workspace: Workspace, demo: str) -> None:
    assert workspace.sessions.load(demo, FACILITATOR).plan == starter("undisclosed-risk").plan
    workspace.disclosure_plan.decide(demo, "goal", "penalty-clause", "never", role=FACILITATOR,
                                     reason="advice from counsel")
    text = workspace.sessions.export_yaml(demo, FACILITATOR)
    path = workspace.folder / "exported.yaml"
    path.write_text(text)
    copy = workspace.sessions.import_file(path)
    assert workspace.sessions.load(copy, FACILITATOR).plan == workspace.sessions.load(demo, FACILITATOR).plan
    assert workspace.sessions.export_yaml(copy, FACILITATOR) == text
    management = workspace.sessions.export_yaml(demo, "management")
    assert "advice from counsel" not in management and "the recovery plan is signed off" in management
    assert "plan:" not in workspace.sessions.export_yaml(demo, "customer")
