"""The negotiation panel: what each role's widgets hold, escaping, what-if questions."""

from __future__ import annotations

import logging
from typing import Any

import ipywidgets as widgets
import pytest

from pmkit.analytics.bargaining import PROBE_BUDGET
from pmkit.logs import LOGGER_NAME
from pmkit.model import parse_session
from pmkit.resources import starter_path
from pmkit.rules.visibility import hidden_texts
from pmkit.store import Workspace
from pmkit.widgets.common import iter_widgets
from pmkit.widgets.context import BoardContext
from pmkit.widgets.edge import UNEXPECTED
from pmkit.widgets.panels.negotiation import NegotiationPanel
from tests.support.starters import STARTERS, starter


def texts(panel: NegotiationPanel) -> str:
    """Every string any widget of the panel would send to the page."""
    parts: list[str] = []
    for w in iter_widgets(panel.widget):
        state: dict[str, Any] = w.get_state()
        for key, value in state.items():
            if key in ("value",) and isinstance(value, (bytes, memoryview)):
                continue
            parts.append(repr(value))
    return "\n".join(parts)


@pytest.mark.parametrize("name", STARTERS)
def test_customer_panel_holds_nothing_it_may_not_see(workspace: Workspace, name: str) -> None:
    sid = workspace.sessions.import_file(starter_path(name))
    panel = NegotiationPanel(BoardContext(workspace, sid, "customer"))
    assert panel.risk is None and panel.range_chart is None
    shown = texts(panel)
    for hidden in hidden_texts(starter(name), "customer"):
        if not hidden.replace(".", "").isdigit():
            assert hidden not in shown
    assert "Risk" not in shown
    assert panel.frontier.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert "bargaining range" in panel.ranges.value


def test_facilitator_panel_shows_ranges_and_risk(workspace: Workspace) -> None:
    sid = workspace.sessions.import_file(starter_path("undisclosed-risk"))
    panel = NegotiationPanel(BoardContext(workspace, sid, "facilitator"))
    assert panel.risk is not None and "HIGH" in panel.risk.value
    assert "first agree with management what to disclose" in panel.risk.value
    assert panel.range_chart is not None and panel.range_chart.value[:4] == b"\x89PNG"
    assert "gap of 1.5 weeks" in panel.ranges.value
    assert panel.probe_button is None  # the facilitator sees the ranges; nothing to ask
    assert panel.ask() is None


def test_user_text_is_escaped(workspace: Workspace) -> None:
    sid = workspace.sessions.create(parse_session({
        "title": "<i>t</i>",
        "goals": [{"title": "<script>alert(1)</script>", "raised_by": "customer",
                   "ratings": {"customer": {"importance": 5, "stance": "support"},
                               "management": {"importance": 1, "stance": "oppose"}}}],
        "issues": [{"id": "d", "title": "<b>Date</b>", "unit": "<u>days</u>", "positions": {
            "customer": {"ideal": 30, "walk_away": 45}, "management": {"ideal": 57.5, "walk_away": 41.5}}}],
    }))
    for role in ("facilitator", "customer"):
        panel = NegotiationPanel(BoardContext(workspace, sid, role))
        html_values = [w.value for w in iter_widgets(panel.widget) if isinstance(w, widgets.HTML)]
        joined = "\n".join(html_values)
        assert "<script>" not in joined and "<b>Date</b>" not in joined and "<u>days" not in joined
        assert "&lt;script&gt;" in joined and "&lt;b&gt;Date&lt;/b&gt;" in joined


def test_what_if_questions_follow_the_budget(workspace: Workspace) -> None:
    sid = workspace.sessions.import_file(starter_path("scope-vs-deadline"))
    panel = NegotiationPanel(BoardContext(workspace, sid, "customer"))
    assert panel.probe_issue is not None and panel.probe_value is not None and panel.probe_answer is not None
    panel.probe_issue.value = "release-date"
    panel.probe_value.value = 60
    fact = panel.ask()
    assert fact is not None and fact.probe is not None and fact.probe.answer == "yes"
    assert "yes, acceptable to the other side" in panel.probe_answer.value
    assert f"{PROBE_BUDGET - 1} question(s) left" in panel.probe_answer.value
    for _ in range(PROBE_BUDGET - 1):
        assert panel.ask() is not None
    assert not panel.status.is_error
    assert panel.ask() is None  # refused, shown as one line in the status line, no exception
    assert panel.status.is_error and "no what-if questions left" in panel.status.message
    assert panel.probe_answer.value == ""  # the last answer is not left standing beside the refusal


def test_asking_without_an_issue_says_so(workspace: Workspace) -> None:
    sid = workspace.sessions.import_file(starter_path("scope-vs-deadline"))
    panel = NegotiationPanel(BoardContext(workspace, sid, "customer"))
    assert panel.probe_button is not None
    panel.probe_issue.value = None  # type: ignore[union-attr]
    panel.probe_button.click()
    assert panel.status.is_error and "choose an issue" in panel.status.message


def test_an_unexpected_failure_is_logged_and_shown_as_one_line(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    sid = workspace.sessions.import_file(starter_path("scope-vs-deadline"))
    panel = NegotiationPanel(BoardContext(workspace, sid, "customer"))

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("failed at /srv/secret/path")

    monkeypatch.setattr(workspace.meeting, "probe_positions", broken)  # the store fails under range_facts
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(caplog.handler)
    try:
        panel.top.value = 1  # the page changes the top k: the panel redraws, and fails
        assert panel.probe_issue is not None and panel.probe_button is not None
        panel.probe_issue.value = "release-date"
        panel.probe_button.click()
    finally:
        logger.removeHandler(caplog.handler)
    assert panel.status.is_error and panel.status.message == UNEXPECTED
    failures = [r for r in caplog.records if r.exc_info]
    assert len(failures) == 2 and all("secret" in str(r.exc_info[1]) for r in failures)  # type: ignore[index]
    assert "secret" not in texts(panel)


def test_refresh_follows_edits(workspace: Workspace) -> None:
    sid = workspace.sessions.import_file(starter_path("scope-vs-deadline"))
    panel = NegotiationPanel(BoardContext(workspace, sid, "customer"))
    before = panel.report
    assert before is not None
    panel.refresh()
    assert panel.report is before  # nothing changed: nothing redrawn
    workspace.items.set_rating(sid, "custom-receipts", "customer", 5, "support", role="customer")
    panel.refresh()
    assert panel.report is not None and panel.report.version == before.version + 1
    panel.top.value = 1
    assert panel.report.sensitivity is not None and panel.report.sensitivity.k == 1


def test_in_a_kernel_the_first_draw_waits_for_the_page(workspace: Workspace) -> None:
    import asyncio

    sid = workspace.sessions.import_file(starter_path("scope-vs-deadline"))

    async def build() -> tuple[NegotiationPanel, bool, NegotiationPanel]:
        panel = NegotiationPanel(BoardContext(workspace, sid, "facilitator"))
        drawn_at_once = panel.report is not None
        closed = NegotiationPanel(BoardContext(workspace, sid, "customer"))
        closed.close()  # closed before its first draw: nothing is drawn, nothing fails
        await asyncio.sleep(0)
        return panel, drawn_at_once, closed

    panel, drawn_at_once, closed = asyncio.run(build())
    assert not drawn_at_once
    assert panel.report is not None and panel.note.value == "" and not panel.status.is_error
    assert closed.report is None
