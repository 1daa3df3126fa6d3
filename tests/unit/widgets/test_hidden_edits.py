"""Hidden edits do not signal: a role's page, its export status and its history change only
when something that role may see changes."""

from __future__ import annotations

import pytest

from pmkit.model import FACILITATOR
from pmkit.store import Workspace
from pmkit.widgets import MeetingBoard

pytestmark = pytest.mark.usefixtures("backend")


def _hidden_edits(ws: Workspace, sid: str) -> None:
    """What management and the facilitator do that the customer may not see."""
    ws.rounds.open(sid, ["vendor-slip"])  # a round on a management-only goal
    ws.items.rate(sid, "vendor-slip", "management", 2, "oppose", role="management")  # its private answer
    ws.rounds.cancel(sid)
    ws.disclosure_plan.decide(sid, "goal", "vendor-slip", "never", role="management", reason="settled internally")
    ws.sessions.set_titles(sid, title="Working title: vendor slip", description="our note", role=FACILITATOR)
    ws.items.add(sid, "note", {"text": "aside", "audience": "facilitator"}, role=FACILITATOR)


def test_a_hidden_edit_leaves_the_customers_page_and_export_status_as_they_were(workspace: Workspace,
                                                                                 demo: str) -> None:
    page = MeetingBoard(Workspace(workspace.folder), demo, "customer")
    export = page.panel("Export")
    export.export("yaml")  # type: ignore[attr-defined]
    status = page.status.message
    version = page.ctx.version()
    _hidden_edits(workspace, demo)
    assert workspace.sessions.version(demo) > 1
    assert not page.sync() and page.ctx.version() == version
    export.refresh()
    assert page.status.message == status and "changed" not in status
    workspace.items.add(demo, "agreement", {"text": "Joint", "audience": "joint"}, role=FACILITATOR)
    assert page.sync() and page.ctx.version() == version + 1  # something it may see: it follows
    export.refresh()
    assert "changed" in page.status.message
    page.close()


def test_a_roles_history_is_numbered_without_gaps(workspace: Workspace, demo: str) -> None:
    _hidden_edits(workspace, demo)
    workspace.items.add(demo, "agreement", {"text": "Joint", "audience": "joint"}, role=FACILITATOR)
    mine = workspace.journal.history(demo, "customer")
    assert [e.seq for e in mine] == [e.version for e in mine] == list(range(1, len(mine) + 1))
    assert len(mine) < len(workspace.journal.history(demo))  # the facilitator's numbering has every edit
