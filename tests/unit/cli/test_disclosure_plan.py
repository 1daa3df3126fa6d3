"""`pmkit plan`, `pmkit decide` and `pmkit disclose`: one record per line, --json, and one line
with exit code 2 for every refusal and bad input (nothing is written)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pmkit.model import FACILITATOR
from pmkit.store import Workspace
from tests.support.cli import fails, ok, run_cli


def test_the_plan_one_withheld_item_per_line(demo: str) -> None:
    lines = [line.split("\t") for line in ok("plan", demo)]
    assert all(len(f) == 7 for f in lines)
    by_item = {f[0]: f for f in lines}
    assert list(by_item) == ["goal:vendor-slip", "goal:recover-quietly", "goal:penalty-clause",
                             "issue:overtime-budget", "option_issue:recovery-route", "agreement:disclosure-plan",
                             "action:recovery-plan"]
    slip = by_item["goal:vendor-slip"]
    assert slip[1:5] == ["management", "disclose by 2026-12-11 after the recovery plan is signed off", "2026-11-10",
                         "2026-11-30 (suggested)"]
    assert slip[5] == str((dt.date(2026, 11, 30) - dt.date.today()).days)
    assert slip[6] == "Integration vendor is six weeks late on the EDI adapter"
    assert by_item["issue:overtime-budget"][2].startswith("do not disclose: An internal cost")
    assert by_item["goal:penalty-clause"][2] == "undecided"


def test_the_plan_as_json_and_as_its_owner(demo: str) -> None:
    records = [json.loads(line) for line in ok("plan", demo, "--as", "management", "--json")]
    assert [r["item"] for r in records] == ["vendor-slip", "recover-quietly", "overtime-budget", "recovery-route",
                                            "disclosure-plan", "recovery-plan"]  # not its facilitator-only goal
    assert records[0]["decision"] == "by" and records[0]["by"] == "2026-12-11"
    # the facilitator's suggestion from the customer's walk-away is not management's to see
    assert records[1]["affected_from"] is None
    assert records[2]["recorded"].startswith("recorded by the facilitator on behalf of Programme management")
    full = [json.loads(line) for line in ok("plan", demo, "--json", "--owner", "management")]
    assert full[1]["affected_from"] == "2026-12-08" and full[1]["affected_source"].startswith("suggested")


def test_the_customer_asking_for_the_plan_learns_nothing(demo: str) -> None:
    assert ok("plan", demo, "--as", "customer") == []
    assert ok("plan", demo, "--as", "customer", "--json") == []
    message = fails("plan", demo, "--as", "customer", "--owner", "management")
    assert message == "pmkit: error: the customer role may read only its own disclosure plan (--owner customer)"


def test_management_decides_and_the_facilitator_discloses(workspace: Workspace, demo: str) -> None:
    (line,) = ok("decide", demo, "recover-quietly", "--as", "management", "by", "2027-02-17",
                 "--condition", "the overtime plan is approved", "--affected-from", "2027-01-10")
    assert line.split("\t")[:2] == ["goal:recover-quietly",
                                    "disclose by 2027-02-17 after the overtime plan is approved"]
    assert len([e for e in workspace.journal.history(demo) if e.op == "decide"]) == 1  # one edit for all of it
    (line,) = ok("decide", demo, "goal:vendor-slip", "now", "--as", "facilitator", "--json")
    record = json.loads(line)
    assert (record["kind"], record["item"], record["decision"], record["recorded_by"]) == (
        "goal", "vendor-slip", "now", "facilitator")
    assert record["recorded"].startswith("recorded by the facilitator on behalf of Programme management")
    (line,) = ok("disclose", demo, "vendor-slip")
    assert line.startswith(f"disclosed goal:vendor-slip on {dt.datetime.now(dt.UTC).date()}\tdisclose now\t"
                           "recorded by the facilitator on behalf of Programme management")
    assert "vendor-slip" in [g.id for g in workspace.sessions.load(demo, "customer").goals]
    md = run_cli("export", demo, "--format", "md", "--as", "customer", "-o", str(workspace.folder / "m.md"))
    assert md.returncode == 0
    assert (f"Integration vendor is six weeks late on the EDI adapter — disclosed on "
            f"{dt.datetime.now(dt.UTC).date()}") in (workspace.folder / "m.md").read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("disclose", "{sid}", "vendor-slip"),
         "not disclosed: 'Integration vendor is six weeks late on the EDI adapter' is Programme management's to "
         "disclose, and Programme management decided to disclose by 2026-12-11"),
        (("disclose", "{sid}", "recover-quietly"), "and Programme management has not decided"),
        (("decide", "{sid}", "vendor-slip", "--as", "customer", "now"),
         "customer has no withheld item 'vendor-slip'"),
        (("decide", "{sid}", "made-up", "--as", "customer", "now"), "customer has no withheld item 'made-up'"),
        (("decide", "{sid}", "penalty-clause", "--as", "management", "now"),
         "management has no withheld item 'penalty-clause'"),
        (("decide", "{sid}", "vendor-slip", "--as", "management", "soon"),
         "decision 'soon': use now, by YYYY-MM-DD, never or undecided"),
        (("decide", "{sid}", "vendor-slip", "--as", "management", "by"), "by needs one date"),
        (("decide", "{sid}", "vendor-slip", "--as", "management", "by", "2027-02-30"), "'2027-02-30' is not a date"),
        (("decide", "{sid}", "vendor-slip", "--as", "management", "now", "2027-02-01"), "'now' takes no date"),
        (("decide", "{sid}", "vendor-slip", "now", "--as", "management", "never"), "one decision, please"),
        (("decide", "{sid}", "vendor-slip", "--as", "management", "never"), "a 'never' decision needs a reason"),
        (("decide", "{sid}", "vendor-slip", "--as", "management"), "say what to record"),
        (("decide", "{sid}", "vendor-slip", "--as", "management", "--reason", "x"), "say what to record"),
        (("decide", "{sid}", "status-format", "--as", "management", "now"), "seen by everyone already"),
        (("decide", "{sid}", "fac-caution", "--as", "facilitator", "now"), "no withheld item 'fac-caution'"),
        (("decide", "{sid}", "vendor-slip", "--as", "management", "--affected-from", "soon"), "'soon' is not a date"),
        (("decide", "{sid}", "vendor-slip", "--as", "management", "--linked-to", "goal:test-env"),
         "linked_to: 'goal:test-env' is not action:ID or issue:ID"),
        (("disclose", "nope", "vendor-slip"), "no session 'nope'"),
    ],
)
def test_refusals_and_bad_input_are_one_line_and_write_nothing(workspace: Workspace, demo: str,
                                                               args: tuple[str, ...], message: str) -> None:
    version = workspace.sessions.version(demo)
    assert message in fails(*(a.format(sid=demo) for a in args))
    assert workspace.sessions.version(demo) == version
    assert workspace.sessions.load(demo, FACILITATOR).plan[0].decision == "by"


def test_the_help_lists_the_new_verbs_in_order() -> None:
    text = run_cli("--help").stdout
    assert text.index("weigh") < text.index("plan ") < text.index("decide") < text.index("disclose") < \
        text.index("export")
    usage = run_cli("decide", "--help").stdout
    assert usage.startswith("usage: pmkit decide SESSION ITEM --as PARTY [now | by DATE | never | undecided]")
