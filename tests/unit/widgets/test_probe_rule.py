"""The probe rule through the workspace: the step is the issue's (set by the facilitator, or
the default fixed at a facilitator's edit), and nothing a party does places the other
side's walk-away more precisely than its cell.

The adversary plays the customer with every action a party has: it edits its own ideal and
walk-away before and after looking (the 1e-7 attack, then bisection on its own walk-away),
looks, asks what-if questions to the budget and beyond, reloads (a new ``Workspace``),
exports (``pmkit analyze --json`` and its text, its YAML), re-opens its page. Played against
workspaces whose management walk-away differs inside one cell, every answer is the same;
against a walk-away in another cell they differ (the answers do carry the cell).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from pmkit.analytics.bargaining import PROBE_BUDGET, coarse_cell
from pmkit.errors import AccessDenied, InputError, NotFound, PmkitError
from pmkit.model import FACILITATOR, parse_session
from pmkit.resources import starter_path
from pmkit.store import Workspace
from pmkit.views.bargaining_ranges import range_facts
from pmkit.widgets.context import BoardContext
from pmkit.widgets.panels.negotiation import NegotiationPanel
from tests.support.cli import run_cli
from tests.support.starters import starter

CUSTOMER = "customer"
ISSUE = "release-date"  # the starter's: customer (30, 45), management (57.5, 41.5), step 5
FRESH = "fresh"  # added by the facilitator with management's position only
# management's walk-aways: on the release date, and on the fresh issue (whose step the
# customer's early ideal pushes down to the floor, 0.2: cell [11.4, 11.6))
SAME_CELL = [(41.5, 11.5), (44.99, 11.4)]
OTHER_CELL = (47.0, 11.5)


def make(folder: Path, walk: float, fresh_walk: float) -> str:
    data = yaml.safe_load(starter_path("scope-vs-deadline").read_text(encoding="utf-8"))
    issue = next(i for i in data["issues"] if i["id"] == ISSUE)
    issue["positions"]["management"]["walk_away"] = walk
    with Workspace(folder) as ws:
        sid = ws.sessions.create(parse_session(data), source="import")
        ws.items.add(sid, "issue", {"id": FRESH, "title": "Training days", "unit": "days",
                                   "positions": {"management": {"ideal": 20, "walk_away": fresh_walk}}},
                    role=FACILITATOR)
    return sid


def play(folder: Path, sid: str) -> dict[str, Any]:
    """Everything the customer sees, as text with the session id taken out, and the
    brackets its bisections ended with."""
    seen: list[str] = []
    ws = Workspace(folder)

    def note(x: object) -> None:
        seen.append((x if isinstance(x, str) else repr(x)).replace(sid, "SID"))

    def look(issue: str = ISSUE) -> str:
        facts = range_facts(ws, sid, CUSTOMER)
        note(facts)
        return facts[issue].exists

    def ask(issue: str, value: float) -> str | None:
        try:
            fact = range_facts(ws, sid, CUSTOMER, probe=(issue, value))[issue]
        except PmkitError as exc:
            note(f"{type(exc).__name__}: {exc}")
            return None
        note(fact)
        assert fact.probe is not None
        return fact.probe.answer

    def own(issue: str, ideal: float, walk_away: float) -> None:
        ws.items.set_position(sid, issue, CUSTOMER, ideal, walk_away, role=CUSTOMER)

    # before the fresh issue has a step: the 1e-7 attack, a look and a question (refused)
    own(FRESH, 19.9999999, 20)
    look()
    ask(FRESH, 11.5)
    ws.items.update(sid, "issue", FRESH, {"unit": "training days"}, role=FACILITATOR)  # fixes the default
    # the 1e-7 attack on the release date, a look, and its real position back
    own(ISSUE, 45 - 1e-7, 45)
    look()
    own(ISSUE, 30, 45)
    look()
    # existence-only looks, bisecting its own walk-away on each edge of "close"
    brackets: dict[str, tuple[float, float]] = {}
    for issue, top in ((ISSUE, 100.0), (FRESH, 40.0)):
        for edge in ("exists", "none"):
            lo, hi = 0.0, top
            for _ in range(26):
                mid = (lo + hi) / 2
                own(issue, 0, mid)  # wants less: accepts up to mid
                answer = look(issue)
                if (answer == "exists") if edge == "exists" else (answer != "none"):
                    hi = mid
                else:
                    lo = mid
            brackets[f"{issue} {edge}"] = (lo, hi)
    own(ISSUE, 30, 45)
    # what-if questions, bisecting, to the budget and past it
    for issue in (ISSUE, FRESH):
        lo, hi = 0.0, 100.0
        for _ in range(PROBE_BUDGET + 2):
            mid = (lo + hi) / 2
            if ask(issue, mid) == "no":
                lo = mid
            else:
                hi = mid
    # reload: another process on the same workspace
    ws.close()
    ws = Workspace(folder)
    look()
    ask(ISSUE, 42.0)
    own(ISSUE, 41.5, 41.5000001)  # and its own numbers once more, after every look
    look()
    own(ISSUE, 30, 45)
    # exports: the command line, its YAML (its reports are built from its view alone,
    # which holds no other party's position: test_export_*)
    for args in (("--json",), ()):
        r = run_cli("--workspace", str(folder), "analyze", sid, "--as", CUSTOMER, *args)
        note(r.stdout)
        note(r.stderr)
    note(ws.sessions.export_yaml(sid, CUSTOMER))
    # re-open its page: the negotiation panel, and one more question through it
    ctx = BoardContext(ws, sid, CUSTOMER)
    panel = NegotiationPanel(ctx)
    note(panel.ranges.value)
    assert panel.probe_issue is not None and panel.probe_value is not None
    panel.probe_issue.value = ISSUE
    panel.probe_value.value = 43.0
    panel.ask()
    note(ctx.status.widget.value)
    panel.close()
    steps = {f.issue_id: f.step for f in range_facts(ws, sid, CUSTOMER).values()}
    ws.close()
    return {"seen": seen, "brackets": brackets, "steps": steps}


@pytest.fixture(scope="module")
def transcripts(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[float, float], dict[str, Any]]:
    out: dict[tuple[float, float], dict[str, Any]] = {}
    for walks in [*SAME_CELL, OTHER_CELL]:
        folder = tmp_path_factory.mktemp("ws")
        out[walks] = play(folder, make(folder, *walks))
    return out


def test_the_adversary_cannot_tell_walk_aways_in_one_cell_apart(
        transcripts: dict[tuple[float, float], dict[str, Any]]) -> None:
    first, *rest = (transcripts[w] for w in SAME_CELL)
    assert len(first["seen"]) > 100  # over a hundred looks, questions and exports
    for other in rest:
        assert other["seen"] == first["seen"]
        assert other["brackets"] == first["brackets"]
    assert transcripts[OTHER_CELL]["seen"] != first["seen"]  # the answers do carry the cell


def test_on_the_starter_the_walk_away_stays_within_its_cell(
        transcripts: dict[tuple[float, float], dict[str, Any]]) -> None:
    """Management's 41.5 on the scope-vs-deadline starter: the customer's best brackets are
    the edges of the cell [40, 45), not the value; the step stayed at the starter's 5
    through the 1e-7 attack, and the attack on an issue without a step got the floor."""
    t = transcripts[SAME_CELL[0]]
    assert t["steps"] == {ISSUE: 5, "scope": 50, FRESH: 0.2}
    assert coarse_cell(41.5, 5) == (40, 45)
    lo, hi = t["brackets"][f"{ISSUE} exists"]
    assert hi == pytest.approx(45, abs=1e-5) and lo < 45  # exists from 45 up: W < 45
    lo, hi = t["brackets"][f"{ISSUE} none"]
    assert lo == pytest.approx(40, abs=1e-5) and hi >= 40  # none below 40: W >= 40
    lo, hi = t["brackets"][f"{FRESH} exists"]
    assert hi == pytest.approx(11.6, abs=1e-5)  # the fresh issue: [11.4, 11.6), the floor's cell
    assert any("AccessDenied: no what-if questions left" in s for s in t["seen"])
    assert any("not known yet" in s and "not set the step" in s for s in t["seen"])


# -- the step: whose edits fix it ------------------------------------------------------------
def test_an_import_fixes_the_default_step_of_every_issue_with_two_ideals(workspace: Workspace) -> None:
    data = yaml.safe_load(starter_path("undisclosed-risk").read_text(encoding="utf-8"))
    for issue in data["issues"]:
        issue.pop("probe_step", None)
    sid = workspace.sessions.create(parse_session(data), source="import")
    assert {i.id: i.probe_step for i in workspace.sessions.load(sid, FACILITATOR).issues} == {
        "cutover-slip": 2, "licence-discount": 5, "overtime-budget": None}  # (0, 5.5); (30, 5.5); one ideal
    assert {i.id: i.probe_step for i in starter("undisclosed-risk").issues} == {
        "cutover-slip": 2, "licence-discount": 5, "overtime-budget": None}  # the starter writes them down


def test_a_partys_edits_never_set_or_change_the_step(workspace: Workspace) -> None:
    sid = workspace.sessions.create(parse_session({"title": "t", "issues": [
        {"id": "i", "title": "Fee", "positions": {"management": {"ideal": 50, "walk_away": 20}}}]}))

    def step() -> float | None:
        return workspace.sessions.load(sid, FACILITATOR).issues[0].probe_step

    workspace.items.set_position(sid, "i", CUSTOMER, 10, 30, role=CUSTOMER)  # two ideals, by a party
    assert step() is None
    assert range_facts(workspace, sid, CUSTOMER)["i"].exists == "no step"
    with pytest.raises(InputError, match="not set the step"):
        range_facts(workspace, sid, CUSTOMER, probe=("i", 25))
    assert workspace.meeting.probe_state(sid, CUSTOMER).used == {}  # a refused question is not counted
    workspace.items.update(sid, "issue", "i", {"unit": "kEUR"}, role=FACILITATOR)
    assert step() == 10  # 40 / 5 = 8 -> 10, fixed at the facilitator's edit
    for ideal, walk in ((29.9999999, 30), (0, 1e15), (10, 30)):
        workspace.items.set_position(sid, "i", CUSTOMER, ideal, walk, role=CUSTOMER)
        assert step() == 10
    with pytest.raises(AccessDenied):
        workspace.items.update(sid, "issue", "i", {"probe_step": 1e-7}, role=CUSTOMER)
    workspace.items.update(sid, "issue", "i", {"probe_step": 2.5}, role=FACILITATOR)  # the facilitator's own
    assert step() == 2.5
    workspace.items.set_position(sid, "i", "management", 60, 20, role=FACILITATOR)
    assert step() == 2.5  # a set step is kept
    workspace.items.update(sid, "issue", "i", {"probe_step": None}, role=FACILITATOR)
    assert step() == 10  # cleared: the default, fixed anew (50 / 5)
    entry = workspace.journal.undo(sid)
    assert entry.op == "update" and step() == 2.5  # undo is an undo
    fact = range_facts(workspace, sid, FACILITATOR)["i"]
    assert fact.step == 2.5 and fact.range is not None  # the facilitator sees the step


def test_a_facilitators_position_or_new_issue_fixes_the_default(workspace: Workspace) -> None:
    sid = workspace.sessions.create(parse_session({"title": "t"}))
    workspace.items.add(sid, "issue", {"id": "a", "title": "A", "positions": {
        CUSTOMER: {"ideal": 0, "walk_away": 2}, "management": {"ideal": 5.5, "walk_away": 3.5}}},
        role=FACILITATOR)
    workspace.items.add(sid, "issue", {"id": "b", "title": "B"}, role=FACILITATOR)
    workspace.items.set_position(sid, "b", CUSTOMER, 100, 150, role=FACILITATOR)
    workspace.items.set_position(sid, "b", "management", 200, 120, role=FACILITATOR)
    entry = workspace.journal.history(sid)[-1]
    assert [c.kind for c in entry.changes] == ["position", "issue"]  # one edit: the position and the step
    assert {i.id: i.probe_step for i in workspace.sessions.load(sid, FACILITATOR).issues} == {"a": 2, "b": 20}
    workspace.journal.undo(sid)  # takes the position and the step away together
    assert workspace.sessions.load(sid, FACILITATOR).issues[1].probe_step is None


# -- budget and refusals -------------------------------------------------------------------
def test_the_budget_is_per_role_and_issue_and_persists(workspace: Workspace) -> None:
    sid = workspace.sessions.import_file(starter_path("scope-vs-deadline"))
    for n in range(PROBE_BUDGET):
        fact = range_facts(workspace, sid, CUSTOMER, probe=(ISSUE, 40.0 + n))[ISSUE]
        assert fact.probes_left == PROBE_BUDGET - n - 1
    with pytest.raises(AccessDenied, match="no what-if questions left"):
        range_facts(workspace, sid, CUSTOMER, probe=(ISSUE, 43.0))
    with Workspace(workspace.folder) as again:  # another process, same workspace
        with pytest.raises(AccessDenied):
            range_facts(again, sid, CUSTOMER, probe=(ISSUE, 43.0))
        # management has its own budget; the facilitator has none and gets exact answers
        assert range_facts(again, sid, "management", probe=(ISSUE, 43.0))[ISSUE].probes_left == PROBE_BUDGET - 1
        for _ in range(PROBE_BUDGET + 2):
            f = range_facts(again, sid, FACILITATOR, probe=(ISSUE, 43.0))[ISSUE]
        assert f.probe is not None and f.probe.by_party == ((CUSTOMER, "yes"), ("management", "yes"))
        assert f.probes_left is None


def test_party_facts_hold_existence_only(workspace: Workspace) -> None:
    sid = workspace.sessions.import_file(starter_path("scope-vs-deadline"))
    customer = range_facts(workspace, sid, CUSTOMER)
    assert list(customer) == [ISSUE, "scope"]
    fact = customer[ISSUE]
    assert (fact.exists, fact.range, fact.step) == ("exists", None, 5)
    assert "41.5" not in repr(customer) and "57.5" not in repr(customer)
    full = range_facts(workspace, sid, FACILITATOR)
    assert full[ISSUE].range is not None and (full[ISSUE].range.low, full[ISSUE].range.high) == (41.5, 45)


def test_probe_errors(workspace: Workspace) -> None:
    sid = workspace.sessions.import_file(starter_path("undisclosed-risk"))
    with pytest.raises(NotFound):
        range_facts(workspace, sid, CUSTOMER, probe=("overtime-budget", 80))  # not visible to the customer
    for value in (float("inf"), float("nan"), 1e16, -1.0000000000000002e15):  # the model's bound on values
        with pytest.raises(InputError, match="must be between -1e15 and 1e15"):
            range_facts(workspace, sid, CUSTOMER, probe=("cutover-slip", value))
    with pytest.raises(InputError, match="issue id, number"):
        range_facts(workspace, sid, CUSTOMER, probe=("cutover-slip", "soon"))  # type: ignore[arg-type]
    assert range_facts(workspace, sid, CUSTOMER)["cutover-slip"].probes_left == PROBE_BUDGET  # nothing spent
    workspace.items.set_position(sid, "cutover-slip", CUSTOMER, None, role=CUSTOMER)
    assert range_facts(workspace, sid, CUSTOMER)["cutover-slip"].exists == "incomplete"
    assert range_facts(workspace, sid, CUSTOMER, probe=("cutover-slip", 3))["cutover-slip"].probe is not None
    with pytest.raises(AccessDenied):
        range_facts(workspace, sid, "sponsor")
