"""`pmkit weigh`: a party sets its goal importances by pairwise comparison (AHP)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pmkit.model import parse_session
from pmkit.store import Workspace
from tests.support.cli import run_cli

DRINKS = ("coffee", "wine", "tea", "beer", "soda", "milk", "water")
# Saaty (2008), "Which drink is consumed more in the US?": (row, column) -> how many times more
DRINK_JUDGEMENTS = [
    ("coffee", "wine", "9"), ("coffee", "tea", "5"), ("coffee", "beer", "2"), ("coffee", "soda", "1"),
    ("coffee", "milk", "1"), ("water", "coffee", "2"), ("water", "wine", "9"), ("water", "tea", "9"),
    ("water", "beer", "3"), ("water", "soda", "2"), ("water", "milk", "3"), ("tea", "wine", "3"),
    ("beer", "wine", "9"), ("beer", "tea", "3"), ("beer", "milk", "1"), ("soda", "wine", "9"),
    ("soda", "tea", "4"), ("soda", "beer", "2"), ("soda", "milk", "2"), ("milk", "wine", "9"),
    ("milk", "tea", "3"),
]
PUBLISHED = {"coffee": 0.177, "wine": 0.019, "tea": 0.042, "beer": 0.116, "soda": 0.190,
             "milk": 0.129, "water": 0.327}


def drinks_session(ws: Workspace) -> str:
    goals = [{"id": d, "title": f"More {d}", "raised_by": "customer",
              "ratings": {"management": {"importance": 2, "stance": "oppose"}}} for d in DRINKS]
    goals[0]["ratings"]["customer"] = {"importance": 1, "stance": "oppose"}  # coffee
    goals[3]["ratings"]["customer"] = {"importance": 2, "stance": "support"}  # beer
    goals.append({"id": "secret", "title": "Management's own drink", "raised_by": "management",
                  "audience": "management"})
    return ws.sessions.create(parse_session({"title": "Drinks", "goals": goals}))


def write(path: Path, rows: list[tuple[str, str, str]] | str) -> Path:
    text = rows if isinstance(rows, str) else "".join(f"- [{a}, {b}, {v}]\n" for a, b, v in rows)
    path.write_text(text)
    return path


def test_saatys_published_example_gives_the_published_priorities_and_cr(
    workspace: Workspace, tmp_path: Path
) -> None:
    sid = drinks_session(workspace)
    before = workspace.sessions.version(sid)
    path = write(tmp_path / "drinks.yaml", DRINK_JUDGEMENTS)
    done = run_cli("weigh", sid, "--as", "customer", str(path), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert {g["id"]: round(g["priority"], 3) for g in data["goals"]} == PUBLISHED
    assert round(data["consistency_ratio"], 3) == 0.022 and data["warning"] is None
    assert data["lambda_max"] == pytest.approx(7 + 6 * data["consistency_index"])
    assert [g["id"] for g in data["goals"]] == list(DRINKS)  # the session's order
    assert data["applied"] is False and workspace.sessions.version(sid) == before
    # the text form: one goal per line with its priority, then lambda max, CI and CR
    text = run_cli("weigh", sid, "--as", "customer", str(path))
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    rows = {line.split("\t")[0]: line.split("\t") for line in lines if line.count("\t") == 4}
    assert {g: round(float(rows[g][1]), 3) for g in DRINKS} == PUBLISHED
    assert rows["water"][2] == "5" and rows["wine"][2] == "0" and rows["coffee"][3] == "1"
    assert any(line.startswith("lambda_max 7.") and "CR 0.022" in line for line in lines)
    assert not any(line.startswith("warning") for line in lines)
    assert lines[-1].startswith("not applied")


def test_apply_sets_the_partys_importances_and_keeps_stances(workspace: Workspace, tmp_path: Path) -> None:
    sid = drinks_session(workspace)
    path = write(tmp_path / "drinks.yaml", DRINK_JUDGEMENTS)
    done = run_cli("weigh", sid, "--as", "customer", str(path), "--apply")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "applied: 6 importance(s) changed"  # beer was 2 already
    goals = {g.id: g for g in workspace.sessions.load(sid, "customer").goals}
    # round(5 * p / max p): water .327 is 5, coffee .177 is 2.7 -> 3, wine .019 is 0.3 -> 0
    expected = {"coffee": 3, "wine": 0, "tea": 1, "beer": 2, "soda": 3, "milk": 2, "water": 5}
    assert {d: goals[d].ratings["customer"].importance for d in DRINKS} == expected
    assert goals["coffee"].ratings["customer"].stance == "oppose"  # kept
    assert goals["beer"].ratings["customer"].stance == "support"  # kept
    assert goals["water"].ratings["customer"].stance == "neutral"  # was not rated
    assert all(goals[d].ratings["management"].importance == 2 for d in DRINKS)  # not theirs
    history = workspace.journal.history(sid)
    assert len(history) == 2 and history[1].role == "customer"  # created, then the weighing: one edit
    assert {c.item_id for c in history[1].changes} == set(DRINKS) - {"beer"}  # its 6 ratings
    again = run_cli("weigh", sid, "--as", "customer", str(path), "--apply", "--json")
    assert json.loads(again.stdout)["changed"] == 0


def test_contradictory_judgements_print_a_warning(workspace: Workspace, tmp_path: Path) -> None:
    sid = drinks_session(workspace)
    path = write(tmp_path / "cycle.yaml", [("tea", "milk", "7"), ("milk", "soda", "7"), ("soda", "tea", "7")])
    done = run_cli("weigh", sid, "--as", "customer", str(path))
    assert done.returncode == 0, done.stderr
    warning = [line for line in done.stdout.splitlines() if line.startswith("warning: ")]
    assert len(warning) == 1 and "above 0.1" in warning[0]
    data = json.loads(run_cli("weigh", sid, "--as", "customer", str(path), "--json").stdout)
    assert data["consistency_ratio"] > 0.1 and "above 0.1" in data["warning"]


def test_a_party_weighs_only_goals_it_may_see(workspace: Workspace, tmp_path: Path) -> None:
    sid = drinks_session(workspace)
    before = workspace.sessions.version(sid)
    hidden = run_cli("weigh", sid, "--as", "customer", str(write(tmp_path / "h.yaml", [("tea", "secret", "3")])),
                     "--apply")
    missing = run_cli("weigh", sid, "--as", "customer", str(write(tmp_path / "m.yaml", [("tea", "nope", "3")])),
                      "--apply")
    assert hidden.returncode == missing.returncode == 2 and hidden.stdout == ""
    # a hidden goal is answered exactly like one that does not exist
    assert hidden.stderr.replace("secret", "X") == missing.stderr.replace("nope", "X")
    assert "Management's own drink" not in hidden.stderr
    assert workspace.sessions.version(sid) == before
    mine = run_cli("weigh", sid, "--as", "management", str(tmp_path / "h.yaml"), "--apply")
    assert mine.returncode == 0, mine.stderr
    goals = {g.id: g for g in workspace.sessions.load(sid, "management").goals}
    # tea is 3 times as important: priorities 3/4 and 1/4, importances 5 and round(5/3) = 2
    assert goals["tea"].ratings["management"].importance == 5
    assert goals["secret"].ratings["management"].importance == 2
    assert goals["tea"].ratings["management"].stance == "oppose" and "customer" not in goals["secret"].ratings


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("# only a comment\n", "empty"),
        ("judgements: 3\n", "expected a list"),
        ("- [tea, milk]\n", "judgement 1: write [goal, other goal, number], got 2"),
        ("- [tea, milk, 3]\n- [tea, soda, 10]\n", "judgement 2: 10 is off Saaty's scale"),
        ("- [tea, milk, lots]\n", "'lots' is not a number"),
        ("- [tea, milk, 1/0]\n", "'1/0' is not a number"),
        ("- [tea, milk, yes]\n", "not true or false"),
        ("- [tea, milk, 3\n", "not valid YAML"),
        ("- [tea, milk, 3]\n- [milk, tea, 1/3]\n", "compared twice"),
        ("- [tea, tea, 3]\n", "not with itself"),
        ("- [tea, milk, 3]\n- [tea, soda, 3]\n", "'soda' and 'milk' are not compared"),
        ("- {goal: tea, other: milk, value: 3, why: taste}\n", "judgement 1 (why)"),
        ("- &a [tea, milk, 3]\n- *a\n", "aliases"),
    ],
)
def test_a_bad_file_is_one_line_and_writes_nothing(
    workspace: Workspace, tmp_path: Path, text: str, message: str
) -> None:
    sid = drinks_session(workspace)
    before = workspace.sessions.version(sid)
    done = run_cli("weigh", sid, "--as", "customer", str(write(tmp_path / "bad.yaml", text)), "--apply")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("pmkit: error: ")
    assert message in done.stderr
    assert workspace.sessions.version(sid) == before


@pytest.mark.parametrize(
    ("role", "message"),
    [("facilitator", "weigh as a party"), ("nobody", "unknown role 'nobody'")],
)
def test_only_a_party_weighs(workspace: Workspace, tmp_path: Path, role: str, message: str) -> None:
    sid = drinks_session(workspace)
    done = run_cli("weigh", sid, "--as", role, str(write(tmp_path / "ok.yaml", [("tea", "milk", "3")])), "--apply")
    assert done.returncode == 2 and message in done.stderr and done.stdout == ""


def test_a_missing_file_is_one_line(workspace: Workspace, tmp_path: Path) -> None:
    sid = drinks_session(workspace)
    done = run_cli("weigh", sid, "--as", "customer", str(tmp_path / "none.yaml"))
    assert done.returncode == 2 and done.stderr == f"pmkit: error: {tmp_path / 'none.yaml'}: no such file\n"
