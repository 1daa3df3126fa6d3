"""A series of meetings: the follow-up carries over what is open (open actions, the
disclosure plan's open entries with their clocks running on, every goal and issue with each
side's latest inputs, the participants, their addresses and the colleagues policy), the
meetings know their order, and the command line makes and lists them."""

from __future__ import annotations

import datetime as dt

import pytest

from pmkit.errors import AccessDenied, InputError
from pmkit.model import FACILITATOR
from pmkit.resources import starter_path
from pmkit.store import Workspace
from tests.support.cli import fails, ok

pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
def sid(workspace: Workspace) -> str:
    return workspace.sessions.import_file(starter_path("undisclosed-risk"))


def test_the_follow_up_starts_from_what_is_open(workspace: Workspace, sid: str) -> None:
    ws = workspace
    ws.items.rate(sid, "test-env", "customer", 2, "support", role="customer")
    ws.items.update(sid, "action", "env-date", {"status": "done"}, role=FACILITATOR)
    new = ws.series.follow_up(sid, date=dt.date(2026, 12, 8))
    before, after = ws.sessions.load(sid, FACILITATOR), ws.sessions.load(new, FACILITATOR)
    assert after.date == dt.date(2026, 12, 8)
    assert [a.id for a in after.actions] == ["recovery-plan"]  # the open one; done ones stay behind
    assert after.agreements == [] and after.notes == []
    assert [g.id for g in after.goals] == [g.id for g in before.goals]
    assert [(g.id, g.audience, g.ratings) for g in after.goals] == [(g.id, g.audience, g.ratings)
                                                                      for g in before.goals]
    assert after.goals[0].ratings["customer"].importance == 2  # the latest rating is the starting point
    assert [i.positions for i in after.issues] == [i.positions for i in before.issues]
    assert [o.scores for o in after.option_issues] == [o.scores for o in before.option_issues]
    plan = {e.item: e for e in after.plan}
    assert plan["vendor-slip"].decision == "by" and plan["vendor-slip"].by == dt.date(2026, 12, 11)
    assert plan["vendor-slip"].withheld_since == dt.date(2026, 11, 10)  # its clock runs on
    assert plan["recover-quietly"].decision == "undecided"
    assert plan["recovery-plan"].withheld_since == dt.date(2026, 11, 20)
    assert "disclosure-plan" not in plan  # a decision of the last meeting: its record stays there
    assert ws.sessions.load(new, "customer").title == before.title_for_everyone


def test_participants_addresses_and_the_colleagues_policy_carry_over(workspace: Workspace, sid: str) -> None:
    ws = workspace
    ana = ws.participants.add(sid, "customer", "Ana", 2.0, role=FACILITATOR)
    ws.participants.add(sid, "management", "Bo", role=FACILITATOR)
    ws.mail.set_email(sid, ana.participant_id, "ana@example.org")
    ws.participants.set_show_colleagues(sid, True, role=FACILITATOR)
    new = ws.series.follow_up(sid)
    members = ws.participants.all(new, FACILITATOR)
    assert [(p.party, p.name, p.weight) for p in members] == [("customer", "Ana", 2.0), ("management", "Bo", 1.0)]
    assert list(ws.mail.emails(new).values()) == ["ana@example.org"]
    assert ws.participants.show_colleagues(new)
    with pytest.raises(AccessDenied):
        ws.mail.emails(new, "customer")


def test_meetings_know_their_order_and_only_the_newest_is_followed_up(workspace: Workspace, sid: str) -> None:
    ws = workspace
    assert ws.series.place(sid) is None and [m.number for m in ws.series.meetings(sid)] == [1]
    second = ws.series.follow_up(sid, date=dt.date(2026, 12, 8))
    third = ws.series.follow_up(second, date=dt.date(2026, 12, 15))
    assert [(m.session_id, m.number) for m in ws.series.meetings(second)] == [(sid, 1), (second, 2), (third, 3)]
    assert ws.series.previous(third) == second and ws.series.next(sid) == second and ws.series.next(third) is None
    with pytest.raises(InputError, match="has its next meeting already"):
        ws.series.follow_up(sid)
    with pytest.raises(InputError, match="must come after this one"):
        ws.series.follow_up(third, date=dt.date(2026, 12, 1))
    with pytest.raises(AccessDenied):
        ws.series.follow_up(third, role="customer")


def test_the_command_line_makes_and_lists_a_series(workspace: Workspace, sid: str) -> None:
    new, words = ok("follow-up", sid, "--date", "2026-12-08")[0].split("\t")
    assert words == "meeting 2 of the series"
    title = "Undisclosed risk — ERP integration with a vendor delay"
    assert ok("history", new, "--series") == [f"1\t{sid}\t2026-11-24\t{title}", f"2\t{new}\t2026-12-08\t{title}"]
    customer = ok("history", new, "--series", "--as", "customer")
    assert [line.split("\t")[3] for line in customer] == ["ERP integration: test environment and cutover"] * 2
    assert "is not a date" in fails("follow-up", new, "--date", "next week")
    assert "next meeting already" in fails("follow-up", sid)
