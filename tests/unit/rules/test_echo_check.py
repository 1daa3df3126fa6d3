"""The disclosure check (:mod:`pmkit.rules.echo_check`): tables of input -> expected for its rules,
every starter passing, planted echoes caught, and where the facilitator sees the findings
(`pmkit check`, `pmkit show`, the boards) and nobody else does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from pmkit.errors import AccessDenied
from pmkit.model import FACILITATOR, parse_session
from pmkit.resources import starter_path
from pmkit.rules.echo_check import Echo, content_words, echo_line, find_echoes, numbers_in, stem
from pmkit.store import Workspace
from pmkit.widgets import MeetingBoard, PrepareBoard
from pmkit.widgets.common import iter_widgets
from pmkit.widgets.context import BoardContext
from pmkit.widgets.panels.echo_check import EchoCheckPanel
from tests.support.cli import run_cli
from tests.support.starters import STARTERS, starter

# -- the rules, word by word -----------------------------------------------------------------


@pytest.mark.parametrize(("word", "expected"), [
    ("slipped", "slip"), ("slips", "slip"), ("slip", "slip"), ("slipping", "slip"),
    ("licences", "licenc"), ("licence", "licenc"),
    ("findings", "find"), ("finding", "find"),
    ("status", "status"), ("process", "process"), ("processes", "process"), ("analysis", "analysis"),
    ("dates", "dat"), ("dated", "dat"), ("date", "dat"),
    ("adapters", "adapter"), ("delayed", "delay"),
])
def test_stems(word: str, expected: str) -> None:
    assert stem(word) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Integration vendor is six weeks late on the EDI adapter",
     {"integration": "Integration", "vendor": "vendor", "EDI": "EDI", "adapter": "adapter"}),  # "weeks": common
    ("DO NOT mention the ERP audit", {"mention": "mention", "ERP": "ERP", "audit": "audit"}),  # capitals, not acronyms
    ("Go live in all 40 stores", {"liv": "live", "stor": "stores"}),  # "Go", "all": short; 40: a number
    ("Kick-off on 24 November 2026 with the customer's team", {"kick": "Kick"}),  # a date; common words
    ("1e15 kEUR", {"keur": "kEUR"}),  # a number is no word
    ("", {}),
])
def test_content_words(text: str, expected: dict[str, str]) -> None:
    assert content_words(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("above 99.5 percent", ["99.5"]),
    ("a budget of 1,200 kEUR, then 1200.", ["1,200", "1200"]),
    ("3 weeks, 0 days and -7", []),  # whole numbers 0-9 are on every page
    ("-12.5 and −3.25", ["-12.5", "−3.25"]),
    ("on 24 November 2026, 2026-11-24 or November 24, 2026", []),  # dates
    ("Q3, v2.0, 12.5k, B2B", []),  # numbers inside words
    ("1e15 at most", ["1e15"]),
])
def test_numbers_in(text: str, expected: list[str]) -> None:
    assert numbers_in(text) == expected


# -- the rules, session by session -----------------------------------------------------------
VENDOR = {"id": "slip", "title": "Integration vendor is six weeks late on the EDI adapter",
          "raised_by": "management", "audience": "management"}


def goal(gid: str, title: str, audience: str = "joint", **more: Any) -> dict[str, Any]:
    return {"id": gid, "title": title, "raised_by": "customer", "audience": audience, **more}


def issue(iid: str, title: str, customer: tuple[float, float], management: tuple[float, float],
          **more: Any) -> dict[str, Any]:
    return {"id": iid, "title": title, **more, "positions": {
        "customer": {"ideal": customer[0], "walk_away": customer[1]},
        "management": {"ideal": management[0], "walk_away": management[1]}}}


Found = set[tuple[str, str, tuple[str, ...], str]]  # audience, where, shared, withheld item id


def both(where: str, shared: tuple[str, ...], item: str) -> Found:
    """The echo for the customer and for the room (what a management-only item gives)."""
    return {("customer", where, shared, item), ("joint", where, shared, item)}


CASES: dict[str, tuple[dict[str, Any], Found]] = {
    "a joint agreement naming the withheld EDI adapter": (
        {"goals": [VENDOR], "agreements": [{"id": "a", "text": "EDI adapter review on Friday"}]},
        both("agreement a text", ("EDI", "adapter"), "slip")),
    "the title for everyone naming the vendor": (
        {"joint_title": "ERP integration with a vendor delay", "goals": [VENDOR]},
        both("title for everyone", ("integration", "vendor"), "slip")),
    "shared vocabulary: integration in two joint texts": (
        {"goals": [VENDOR, goal("env", "Integration test environment ready")],
         "actions": [{"id": "x", "title": "Confirm the integration test date"}]},
        set()),
    "a word used only by this text and a withheld item": (
        {"goals": [goal("terms", "Review the penalty terms"),
                   goal("pen", "Late-delivery penalty clause may trigger in April", "facilitator")]},
        {("customer", "goal terms title", ("penalty",), "pen"), ("management", "goal terms title", ("penalty",), "pen"),
         ("joint", "goal terms title", ("penalty",), "pen")}),
    "stems: slipped and slips": (
        {"goals": [goal("v", "Vendor slips again", "management")],
         "actions": [{"id": "x", "title": "Slipped dates to be confirmed"}]},
        both("action x title", ("Slipped",), "v")),
    "an acronym": (
        {"goals": [goal("e", "ERP go-live by March"), goal("audit", "ERP licence audit", "management")]},
        both("goal e title", ("ERP",), "audit")),
    "the parties' names are known to everyone": (
        {"parties": [{"id": "customer", "name": "Alder Logistics"}, {"id": "management", "name": "Programme office"}],
         "notes": [{"id": "n", "text": "Tell Alder Logistics after the programme review", "audience": "management"}]},
        set()),
    "units are measures": (
        {"issues": [issue("share", "Share of the overrun", (0, 35), (87.5, 42.5), unit="percent")],
         "goals": [goal("m", "Keep the margin above 12 percent", "management")]},
        set()),
    "a note about a joint goal is talking about it": (
        {"goals": [goal("loyal", "Loyalty module in the first release")],
         "notes": [{"id": "n", "text": "Raise the loyalty module only after the date", "audience": "facilitator"}]},
        set()),
    "a joint agreement using a withheld note's words": (
        {"notes": [{"id": "n", "text": "Management will not reopen the rate card", "audience": "management"}],
         "agreements": [{"id": "a", "text": "Rate card review in spring"}]},
        both("agreement a text", ("Rate", "card"), "n")),
    "a hidden walk-away, rounded": (
        {"goals": [goal("crash", "Crash-free sessions above 99.5 percent")],
         "issues": [issue("target", "Crash-free target", (99.0, 99.6), (99.85, 99.45))]},
        both("goal crash title", ("99.5",), "target/management")),
    "a party's own position is not withheld from it": (
        {"goals": [goal("b", "A budget of 1,200 kEUR")],
         "issues": [issue("budget", "Budget", (1200, 1290), (1412.5, 1317.5))]},
        {("management", "goal b title", ("1,200",), "budget/customer"),
         ("joint", "goal b title", ("1,200",), "budget/customer")}),
    "single digits and dates are left out": (
        {"date": "2026-11-24", "goals": [goal("w", "Keep 3 weeks of buffer from 24 November")],
         "issues": [issue("slack", "Slack", (3, 24), (8, 5))]},
        set()),
    "a number in a withheld text": (
        {"agreements": [{"id": "cut", "text": "The cost comes down by 18 percent"}],
         "notes": [{"id": "n", "text": "We are 18 percent over", "audience": "management"}]},
        both("agreement cut text", ("percent", "18"), "n")),
    "a number many visible texts use is no echo of a withheld text": (
        {"agreements": [{"id": "a", "text": "Wave 2027 starts in spring"}, {"id": "b", "text": "Budget 2027 agreed"}],
         "notes": [{"id": "n", "text": "Reorganisation in 2027", "audience": "management"}]},
        set()),
}


def found(echoes: tuple[Echo, ...]) -> Found:
    return {(e.audience, e.text_where, e.shared, e.item_id) for e in echoes}


@pytest.mark.parametrize("case", list(CASES))
def test_echo_table(case: str) -> None:
    data, expected = CASES[case]
    assert found(find_echoes(parse_session({"title": "Working title", **data}))) == expected


def test_the_working_title_and_note_are_not_checked() -> None:
    s = parse_session({"title": "Undisclosed risk: a vendor delay", "description": "The vendor slipped",
                       "goals": [VENDOR, goal("v", "Vendor relations")]})
    assert found(find_echoes(s)) == both("goal v title", ("Vendor",), "slip")  # the goal, not the titles
    assert s.title_for_everyone == "Joint meeting"


# -- the starters, and echoes planted in the demo --------------------------------------------
@pytest.mark.parametrize("name", STARTERS)
def test_every_starter_passes(name: str) -> None:
    assert find_echoes(starter(name)) == ()


def demo_with(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(starter_path("undisclosed-risk").read_text(encoding="utf-8"))
    for key, value in changes.items():
        data[key] = [*data.get(key, []), *value] if isinstance(value, list) else value
    return data


def test_echoes_planted_in_the_demo_are_caught() -> None:
    demo = starter("undisclosed-risk")
    planted = parse_session(demo_with(agreements=[{"id": "edi", "text": "EDI adapter review on Friday"}],
                                      joint_title=demo.title))  # the demo's working title, shown to everyone
    echoes = find_echoes(planted)
    assert ("customer", "agreement edi text", ("EDI", "adapter"), "vendor-slip") in found(echoes)
    assert ("joint", "title for everyone", ("vendor",), "vendor-slip") in found(echoes)
    assert {e.audience for e in echoes} == {"customer", "joint"}  # management sees all of it
    line = echo_line(next(e for e in echoes if e.text_where == "agreement edi text"), planted)
    assert line == ('echo\tcustomer\tagreement edi text\tEDI, adapter\tgoal vendor-slip '
                    '"Integration vendor is six weeks late on the EDI adapter" (Programme management only)')


# -- where the findings are shown ------------------------------------------------------------
def test_check_exits_0_valid_2_invalid_3_with_echoes(tmp_path: Path) -> None:
    planted = tmp_path / "planted.yaml"
    planted.write_text(yaml.safe_dump(demo_with(agreements=[{"id": "edi", "text": "EDI adapter review on Friday"}])))
    r = run_cli("check", str(planted))
    assert r.returncode == 3 and r.stderr == ""
    *echoes, last = r.stdout.splitlines()
    heads = {tuple(line.split("\t")[:3]) for line in echoes}
    assert len(echoes) == 6  # the slip (a goal) and how to recover it (an option issue), each twice
    assert heads == {("echo", "customer", "agreement edi text"), ("echo", "joint", "agreement edi text")}
    assert sum("option_issue recovery-route" in line for line in echoes) == 2
    assert last.startswith(f"valid {planted}: 2 parties, 9 goals, 3 issues, 1 option issues; 6 echo(es)")
    r = run_cli("check", str(planted), "--json")
    assert r.returncode == 3
    data = json.loads(r.stdout)
    assert data["valid"] and len(data["echoes"]) == 6 and data["echoes"][0]["shared"] == ["EDI", "adapter"]
    r = run_cli("check", str(starter_path("undisclosed-risk")), "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["echoes"] == []
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: t\nissues: [{title: x, probe_step: 0}]\n")
    assert run_cli("check", str(bad)).returncode == 2


def test_show_prints_the_echoes_to_the_facilitator_only(workspace: Workspace) -> None:
    sid = workspace.sessions.create(parse_session(demo_with(agreements=[{"id": "edi", "text": "EDI adapter review"}])))
    lines = run_cli("show", sid).stdout.splitlines()
    at = lines.index("echoes 6")  # the slip (a goal) and how to recover it (an option issue)
    assert lines[at + 1].startswith("  echo\tcustomer\tagreement edi text\tEDI, adapter\tgoal vendor-slip")
    data = json.loads(run_cli("show", sid, "--json").stdout)
    assert len(data["echoes"]) == 6
    for role in ("customer", "management"):
        shown = run_cli("show", sid, "--as", role).stdout
        assert "echo" not in shown.split("\n")[-1] and "echoes" not in shown
        assert "echoes" not in json.loads(run_cli("show", sid, "--as", role, "--json").stdout)


def test_the_disclosure_panel_is_the_facilitators_alone(workspace: Workspace, demo: str) -> None:
    board = MeetingBoard(workspace, demo, FACILITATOR)
    assert "Disclosure check" in board.tabs.titles
    panel = board.panel("Disclosure check")
    assert isinstance(panel, EchoCheckPanel) and "no text an audience sees" in panel.summary.value
    board.close()
    for role in ("customer", "management"):
        board = MeetingBoard(workspace, demo, role)
        assert "Disclosure check" not in board.tabs.titles
        with pytest.raises(KeyError):
            board.panel("Disclosure check")  # not in this board at all, so never built
        assert not any("pmkit-disclosure" in getattr(w, "_dom_classes", ()) for w in iter_widgets(board.widget))
        board.close()
        with pytest.raises(AccessDenied):
            EchoCheckPanel(BoardContext(workspace, demo, role))


def test_the_prepare_board_shows_the_echoes_and_follows_edits(workspace: Workspace, demo: str) -> None:
    prep = PrepareBoard(workspace, demo)
    assert prep.board is not None
    overview = prep.board.panel("Overview")
    assert "no text an audience sees" in overview.summary.value  # type: ignore[attr-defined]
    assert overview.chart.value  # type: ignore[attr-defined]  # the overview is still there, below
    aid = workspace.items.add(demo, "agreement", {"text": "EDI adapter review on Friday"}, role=FACILITATOR)
    prep.sync()
    check = overview.parts[0]  # type: ignore[attr-defined]
    assert "6 echoes" in check.summary.value and "EDI, adapter" in check.findings.value
    assert "Integration vendor is six weeks late" in check.findings.value
    workspace.items.update(demo, "agreement", aid, {"text": "Test environment review on Friday"}, role=FACILITATOR)
    prep.sync()
    assert "no text an audience sees" in check.summary.value and check.findings.value == ""
    prep.close()
