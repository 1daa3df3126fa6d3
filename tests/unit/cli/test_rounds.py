"""`pmkit rate` and `pmkit round open | status | reveal | cancel`, and `pmkit history --rounds`:
one record per line, --json, and bad input in one line with exit code 2, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import fails, imported, ok, run_cli, state


@pytest.fixture
def sid() -> str:
    return imported("undisclosed-risk")


def test_a_partys_rating_outside_a_round_is_published(sid: str) -> None:
    assert ok("rate", sid, "--as", "customer", "cutover-date", "2", "oppose") == [
        "rated\tcutover-date\tcustomer\t2 oppose"]
    shown = "\n".join(ok("show", sid, "--as", "management"))
    assert "Keep the March cutover date  (customer 2 oppose" in shown


def test_inside_an_open_round_a_rating_is_a_private_answer_and_says_so(sid: str) -> None:
    (opened,) = ok("round", "open", sid, "--goals", "cutover-date,test-env", "--issues", "cutover-slip")
    head, rid, status, _when, items = opened.split("\t")
    assert (head, status, items) == ("round 1", "open", "goals test-env, cutover-date; issues cutover-slip")
    (line,) = ok("rate", sid, "--as", "customer", "cutover-date", "1", "neutral")
    assert line == f"answered\tcutover-date\tcustomer\t1 neutral\tprivate until the facilitator reveals round {rid}"
    (js,) = ok("rate", sid, "--as", "management", "cutover-date", "4", "oppose", "--json")
    assert json.loads(js) == {"session": sid, "goal": "cutover-date", "party": "management", "importance": 4,
                              "stance": "oppose", "private": True, "round": rid}
    # nobody sees it yet, not even in the facilitator's summary
    assert "customer 5 support" in "\n".join(ok("show", sid))
    status = ok("round", "status", sid)
    assert status[0].startswith(f"round 1\t{rid}\topen")
    assert status[1:] == [
        "waiting\tgoal\ttest-env\tcustomer\t-", "waiting\tgoal\ttest-env\tmanagement\t-",
        "answered\tgoal\tcutover-date\tcustomer\t1 neutral", "answered\tgoal\tcutover-date\tmanagement\t4 oppose",
        "waiting\tissue\tcutover-slip\tcustomer\t-", "waiting\tissue\tcutover-slip\tmanagement\t-"]
    # a party's status holds its own answers only
    mine = ok("round", "status", sid, "--as", "customer", "--json")
    records = [json.loads(x) for x in mine]
    assert records[0]["record"] == "round" and records[0]["answers"] == 1
    assert {r["party"] for r in records[1:]} == {"customer"}
    assert "4" not in json.dumps([r["answer"] for r in records[1:]])
    revealed = ok("round", "reveal", sid)
    assert revealed[0].startswith(f"round 1\t{rid}\trevealed")
    assert sorted(revealed[1:]) == ["published\tgoal\tcutover-date\tcustomer\t1 neutral",
                                    "published\tgoal\tcutover-date\tmanagement\t4 oppose"]
    assert "customer 1 neutral, management 4 oppose" in "\n".join(ok("show", sid, "--as", "customer"))


def test_cancel_drops_the_answers(sid: str) -> None:
    ok("round", "open", sid, "--goals", "cutover-date")
    ok("rate", sid, "--as", "customer", "cutover-date", "0", "oppose")
    lines = ok("round", "cancel", sid)
    assert "\tcancelled\t" in lines[0] and lines[1] == "dropped every answer of the round; nothing was published"
    assert "customer 5 support" in "\n".join(ok("show", sid))
    assert ok("round", "status", sid)[1:] == []
    (js,) = ok("round", "status", sid, "--json")
    assert json.loads(js)["state"] == "cancelled"


def test_status_without_rounds_and_history_round_by_round(sid: str) -> None:
    assert ok("round", "status", sid) == [
        f"no round yet in {sid}; open one with `pmkit round open {sid} --goals ID,...`"]
    assert json.loads(ok("round", "status", sid, "--json")[0]) == {"record": "none", "session": sid}
    ok("round", "open", sid, "--goals", "cutover-date", "--issues", "cutover-slip")
    ok("rate", sid, "--as", "customer", "cutover-date", "2", "oppose")
    ok("round", "reveal", sid)
    lines = ok("history", sid, "--rounds")
    assert lines[0].startswith("round\t1\tr-") and "\trevealed\t" in lines[0]
    assert lines[1:] == ["moved\t1\tgoal\tcutover-date\tcustomer\t5 support -> 2 oppose\tKeep the March cutover date"]
    (js,) = ok("history", sid, "--rounds", "--json", "--as", "management")
    assert json.loads(js)["ratings"][0]["after"] == [2, "oppose"]
    assert "round-open" in "\n".join(ok("history", sid))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rate", "{sid}", "--as", "customer", "cutover-date", "7", "support"], "importance must be a whole number"),
        (["rate", "{sid}", "--as", "customer", "cutover-date", "x", "support"], "got 'x'"),
        (["rate", "{sid}", "--as", "customer", "cutover-date", "3", "maybe"], "stance must be support, neutral"),
        (["rate", "{sid}", "--as", "facilitator", "cutover-date", "3", "support"], "rate as a party"),
        (["rate", "{sid}", "--as", "nobody", "cutover-date", "3", "support"], "unknown role 'nobody'"),
        (["rate", "{sid}", "--as", "customer", "vendor-slip", "3", "support"], "no goal 'vendor-slip'"),
        (["rate", "no-such", "--as", "customer", "cutover-date", "3", "support"], "no session 'no-such'"),
        (["rate", "{sid}", "cutover-date", "3", "support"], "--as"),
        (["round", "{sid}"], "invalid choice"),
        (["round"], "ACTION"),
        (["round", "open", "{sid}"], "at least one goal, numeric issue or option issue"),
        (["round", "open", "{sid}", "--goals", "cutover-date,nope"], "no goal 'nope'"),
        (["round", "open", "{sid}", "--issues", "cutover-date"], "no issue 'cutover-date'"),
        (["round", "reveal", "{sid}"], "no round is open"),
        (["round", "cancel", "{sid}"], "no round is open"),
        (["round", "status", "{sid}", "--as", "nobody"], "unknown role"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    sid: str, args: list[str], message: str, _isolated_workspace: Path
) -> None:
    before = state(_isolated_workspace)
    line = fails(*[a.format(sid=sid) for a in args])
    assert message in line
    assert state(_isolated_workspace) == before


def test_a_second_open_round_is_refused(sid: str, _isolated_workspace: Path) -> None:
    ok("round", "open", sid, "--goals", "cutover-date")
    before = state(_isolated_workspace)
    assert "reveal or cancel it" in fails("round", "open", sid, "--goals", "test-env")
    assert state(_isolated_workspace) == before


def test_round_and_rate_are_in_the_help() -> None:
    r = run_cli("--help")
    assert r.returncode == 0 and "rate" in r.stdout and "round" in r.stdout
    r = run_cli("round", "--help")
    assert all(verb in r.stdout for verb in ("open", "status", "reveal", "cancel"))
