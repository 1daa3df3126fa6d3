"""`pmkit round open SESSION --options ID,...`: a round on an option issue, its private answers
and their reveal, from the command line."""

from __future__ import annotations

import json

from pmkit.model import FACILITATOR
from pmkit.resources import starter_path
from pmkit.store import Workspace
from tests.support.cli import ok


def test_a_round_on_an_option_issue(workspace: Workspace) -> None:
    sid = workspace.sessions.import_file(starter_path("budget-overrun"))
    (line,) = ok("round", "open", sid, "--options", "payment-terms")
    assert line.endswith("option issues payment-terms")
    workspace.items.set_option_scores(sid, "payment-terms", "customer", weight=5, role="customer")
    status = ok("round", "status", sid)
    assert any(s.startswith("answered\toption_issue\tpayment-terms\tcustomer\t") and "weight 5" in s for s in status)
    assert any(s.startswith("waiting\toption_issue\tpayment-terms\tmanagement") for s in status)
    mine = [json.loads(s) for s in ok("round", "status", sid, "--as", "management", "--json")]
    assert all(r.get("party") in (None, "management") for r in mine)  # never the customer's answer
    ok("round", "reveal", sid)
    terms = workspace.sessions.load(sid, FACILITATOR).item("option_issue", "payment-terms")
    assert terms.scores["customer"].weight == 5 and terms.scores["management"].weight == 4
