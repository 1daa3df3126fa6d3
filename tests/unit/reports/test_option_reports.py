"""The reports list option issues with their options: each party's report shows its own
scores and never another side's; the facilitator's record shows every side's; the room's
minutes show the options alone."""

from __future__ import annotations

import pytest

from pmkit.reports.render import build_context, render_html, render_markdown
from pmkit.resources import starter_path
from pmkit.store import Workspace

MINE = {"customer": "cannot accept On delivery", "management": "cannot accept 60 days after delivery"}
SCORES = {"customer": "30 days after delivery 70", "management": "30 days after delivery 60"}


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("role", ["customer", "management", "facilitator", "room"])
def test_each_report_shows_the_scores_its_reader_may_see(workspace: Workspace, role: str, fmt: str) -> None:
    sid = workspace.sessions.import_file(starter_path("budget-overrun"))
    ctx = build_context(workspace.sessions.load(sid, role), role, chart=False)
    text = render_markdown(ctx) if fmt == "md" else render_html(ctx)
    assert "Option issues" in text and "Payment terms for phase two invoices" in text
    assert "60 days after delivery" in text  # the options, for everyone
    for party in ("customer", "management"):
        shown = role in (party, "facilitator")
        assert (MINE[party] in text) is shown and (SCORES[party] in text) is shown, (party, role)


def test_a_withheld_option_issue_is_in_its_partys_brief_only(workspace: Workspace) -> None:
    sid = workspace.sessions.import_file(starter_path("undisclosed-risk"))
    brief = render_markdown(build_context(workspace.sessions.load(sid, "management"), "management", chart=False))
    assert "How to recover the six weeks" in brief and "cannot accept Bring in a second vendor" in brief
    assert "cannot accept Descope" not in brief  # the customer's scores are the facilitator's
    minutes = render_markdown(build_context(workspace.sessions.load(sid, "customer"), "customer", chart=False))
    assert "How to recover" not in minutes and "Option issues" not in minutes
    record = render_markdown(build_context(workspace.sessions.load(sid, "facilitator"), "facilitator", chart=False))
    assert "cannot accept Descope the EDI adapter" in record
