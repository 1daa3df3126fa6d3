"""The participants verb, one link per participant, and `pmkit rate --participant`."""

from __future__ import annotations

import json

import pytest
from itsdangerous import URLSafeSerializer

from pmkit.errors import AccessDenied
from pmkit.meeting import links as access
from pmkit.store import Workspace
from tests.support.cli import fails, ok

pytestmark = pytest.mark.usefixtures("backend")  # every test on SQLite and on PostgreSQL


def _add(sid: str, name: str, party: str, *extra: str) -> str:
    (line,) = ok("participants", sid, "--add", name, "--party", party, *extra)
    return line.split()[-1]


def test_participants_add_list_remove(workspace: Workspace, demo: str) -> None:
    ada = _add(demo, "Ada Sponsor", "management")
    ben = _add(demo, "Ben Delivery", "management", "--weight", "2.5")
    assert ok("participants", demo) == [f"{ada}\tmanagement\t1\tAda Sponsor", f"{ben}\tmanagement\t2.5\tBen Delivery"]
    rows = [json.loads(line) for line in ok("participants", demo, "--json")]
    assert [(r["participant_id"], r["weight"]) for r in rows] == [(ada, 1.0), (ben, 2.5)]
    assert ok("participants", demo, "--remove", ben) == [f"removed\tmanagement\tBen Delivery\t{ben}"]
    assert len(ok("participants", demo)) == 1
    assert "needs --party" in fails("participants", demo, "--add", "Zed")
    assert "weight" in fails("participants", demo, "--add", "Zed", "--party", "management", "--weight", "0")
    assert "not a party" in fails("participants", demo, "--add", "Zed", "--party", "vendor")
    assert "no participant" in fails("participants", demo, "--remove", "u-00000000")


def test_links_print_one_line_per_participant_and_revoke_one(workspace: Workspace, demo: str) -> None:
    ada = _add(demo, "Ada Sponsor", "management")
    cy = _add(demo, "Cy Buyer", "customer")
    lines = ok("links", demo, "--base-url", "http://m.local")
    rows = [line.split("\t") for line in lines]
    roles = workspace.sessions.link_roles(demo)  # the facilitator, each party, the room
    assert [r[0] for r in rows] == [*roles, f"management:{ada}", f"customer:{cy}"]
    urls = dict(rows)
    grant = access.check_query(workspace, urls[f"management:{ada}"].split("?", 1)[1])
    assert (grant.role, grant.participant) == ("management", ada)
    # the payload is signed, not encrypted: it carries the id, never the name
    token = urls[f"management:{ada}"].split("pmk=", 1)[1]
    _valid, payload = URLSafeSerializer("anyone can read it").loads_unsafe(token)
    assert payload["p"] == ada and "Ada" not in json.dumps(payload)
    ok("participants", demo, "--revoke", ada)
    with pytest.raises(AccessDenied, match="revoked"):
        access.verify_token(workspace, token)
    cy_token = urls[f"customer:{cy}"].split("pmk=", 1)[1]
    assert access.verify_token(workspace, cy_token).participant == cy  # the others stay valid
    assert access.verify_token(workspace, urls["management"].split("pmk=", 1)[1]).participant is None
    ok("participants", demo, "--remove", cy)
    with pytest.raises(AccessDenied, match="revoked"):
        access.verify_token(workspace, cy_token)


def test_rate_as_a_participant(workspace: Workspace, demo: str) -> None:
    ada = _add(demo, "Ada Sponsor", "management")
    ben = _add(demo, "Ben Delivery", "management")
    (line,) = ok("rate", demo, "--as", "management", "--participant", ada, "cutover-date", "5", "support")
    assert line.startswith("rated\tcutover-date\tmanagement\t5 support\tas " + ada)
    ok("rate", demo, "--as", "management", "--participant", ben, "cutover-date", "1", "oppose")
    g = next(g for g in workspace.sessions.load(demo, "facilitator").goals if g.id == "cutover-date")
    assert (g.ratings["management"].importance, g.ratings["management"].stance) == (1, "neutral")
    assert "rates through its participants" in fails("rate", demo, "--as", "management", "cutover-date", "3",
                                                     "neutral")
    assert "may set only its own members" in fails("rate", demo, "--as", "customer", "--participant", ada,
                                                   "cutover-date", "3", "neutral")


def test_a_session_without_participants_is_one_voice_per_party(workspace: Workspace, demo: str) -> None:
    assert ok("participants", demo) == []
    lines = ok("links", demo, "--base-url", "http://m.local")
    assert [line.split("\t")[0] for line in lines] == workspace.sessions.link_roles(demo)  # the role lines only
    for line in lines:
        assert access.check_query(workspace, line.split("?", 1)[1]).participant is None
    before = ok("analyze", demo)
    assert not any("not united" in line for line in before)
    (line,) = ok("rate", demo, "--as", "management", "cutover-date", "2", "oppose")
    assert line == "rated\tcutover-date\tmanagement\t2 oppose"  # the party's own rating, as it always was
    g = next(g for g in workspace.sessions.load(demo, "facilitator").goals if g.id == "cutover-date")
    assert (g.ratings["management"].importance, g.ratings["management"].stance) == (2, "oppose")
    assert workspace.participants.inputs(demo) == []
    # a participant who came and went leaves the party one voice again
    ada = _add(demo, "Ada Sponsor", "management")
    ok("participants", demo, "--remove", ada)
    ok("rate", demo, "--as", "management", "cutover-date", "4", "support")
    assert [line.split("\t")[0] for line in ok("links", demo)] == workspace.sessions.link_roles(demo)


def test_weigh_group_reports_each_members_cr_and_the_aij_aggregate(workspace: Workspace, demo: str) -> None:
    a, b, c = "cutover-date", "training-plan", "test-env"
    ada = _add(demo, "Ada Sponsor", "management")
    ben = _add(demo, "Ben Delivery", "management")
    # Ada: a = 2b, b = 2c (consistent, CR 0); Ben: a = b/2, b = 2c, a = c (consistent too)
    workspace.participants.set_judgements(demo, "management", {(a, b): 2, (b, c): 2, (a, c): 4}, role="management",
                             participant=ada)
    workspace.participants.set_judgements(demo, "management", {(a, b): 0.5, (b, c): 2, (a, c): 1}, role="management",
                             participant=ben)
    (line,) = ok("participants", demo, "--weighing", "management", "--json")
    got = json.loads(line)
    # AIJ with equal weights: a/b = sqrt(2 * 1/2) = 1, b/c = 2, a/c = sqrt(4 * 1) = 2, so a = b = 2c
    assert {g["id"]: g["priority"] for g in got["goals"]} == pytest.approx({a: 0.4, b: 0.4, c: 0.2})
    assert got["consistency_ratio"] == pytest.approx(0, abs=1e-9)
    assert [(p["id"], p["consistency_ratio"]) for p in got["participants"]] == [
        (ada, pytest.approx(0, abs=1e-9)), (ben, pytest.approx(0, abs=1e-9))]
    text = ok("participants", demo, "--weighing", "management")
    assert f"{ada}\t0.000\tAda Sponsor" in text and any(x.startswith("aggregate: lambda_max 3.000 ") for x in text)
    assert "no participant of 'customer'" in fails("participants", demo, "--weighing", "customer")
    assert "one of" in fails("participants", demo, "--weighing", "management", "--remove", ada)
