"""`pmkit settle` through the real command line: record the agreement, list the improvements,
propose one, each party answers privately, and the outcome replaces the terms only when
every party accepted; a party's status never holds the other's answer."""

from __future__ import annotations

import json

from pmkit.resources import starter_path
from pmkit.store import Workspace
from tests.support.cli import fails, ok

AGREED = ("price=$3.98", "delivery=45 days", "payment=Upon delivery", "returns=Full price")


def test_settle_improves_an_agreement_only_when_every_party_accepts(workspace: Workspace) -> None:
    sid = ok("import", str(starter_path("itex-cypress")))[-1].split()[-1]
    assert ok("settle", "agree", sid, *AGREED)[-1] == "proposals left for this agreement: 3 of 3"
    (line,) = ok("settle", "improvements", sid, "--json")
    found = json.loads(line)
    assert found["parties"] == ["itex", "cypress"] and found["utility"] == [0.3937, 0.7505]
    assert [p["gain"] for p in found["improvements"]] == [[0.0389, 0.0996], [0.0867, 0.0703], [0.1825, 0.0263]]
    assert found["improvements"][2]["options"]["delivery"] == {"id": "45-days", "label": "45 days"}
    text = ok("settle", "improvements", sid)
    assert text[0].startswith("agreed\tItex 0.39, Cypress 0.75\tPrice = $3.98")
    ok("settle", "propose", sid, "3")
    ok("settle", "answer", sid, "reject", "--as", "itex")
    cypress = ok("settle", "status", sid, "--as", "cypress", "--json")
    assert json.loads(cypress[0])["proposals"][0]["answers"] == {}
    ok("settle", "answer", sid, "accept", "--as", "cypress")
    for role in ("itex", "cypress"):
        state = json.loads(ok("settle", "status", sid, "--as", role, "--json")[0])
        assert state["proposals"][0]["state"] == "not accepted" and state["proposals"][0]["answers"].keys() == {role}
        assert state["terms"]["options"]["price"] == "3.98"
    ok("settle", "propose", sid, "3")
    ok("settle", "answer", sid, "accept", "--as", "itex")
    ok("settle", "answer", sid, "accept", "--as", "cypress")
    lines = ok("settle", "status", sid, "--as", "itex")
    assert lines[0] == ("agreed\tPrice = $3.47; Delivery = 45 days; Payment = Upon delivery; "
                        "Returns = 5% spoilage allowed; no goal adopted")
    assert lines[-1] == "proposals left for this agreement: 1 of 3"
    assert ok("settle", "improvements", sid)[1].startswith("no improvement")  # efficient terms now


def test_settle_refuses_in_one_line(workspace: Workspace) -> None:
    sid = ok("import", str(starter_path("itex-cypress")))[-1].split()[-1]
    assert "no agreement is recorded" in fails("settle", "improvements", sid)
    assert "missing: delivery, payment, returns" in fails("settle", "agree", sid, "price=$3.98")
    ok("settle", "agree", sid, "nash")
    assert "improvement 1 does not exist" in fails("settle", "propose", sid, "1")
    assert "answer as a party" in fails("settle", "answer", sid, "accept", "--as", "facilitator")
    assert ok("settle", "improvements", sid)[1].startswith("no improvement")  # the Nash point is efficient
