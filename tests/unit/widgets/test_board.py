"""The meeting board without a browser: its hooks, its panels, live sync between pages,
polling on a running event loop, closing, and panels registered by other modules."""

from __future__ import annotations

import asyncio
import importlib
import time
from typing import Any

import ipywidgets as widgets
import pytest

from pmkit.analytics.overlap import analyze
from pmkit.errors import AccessDenied, InputError
from pmkit.model import parse_session
from pmkit.store import Workspace
from pmkit.text import alignment
from pmkit.widgets import PANELS, Board, MeetingBoard
from pmkit.widgets.common import iter_widgets
from pmkit.widgets.context import BoardContext
from pmkit.widgets.edge import UNEXPECTED
from pmkit.widgets.panels.base import READY, built_for

PNG = b"\x89PNG\r\n\x1a\n"


def classes(board: Board) -> dict[str, list[widgets.Widget]]:
    out: dict[str, list[widgets.Widget]] = {}
    for w in iter_widgets(board.widget):
        for c in getattr(w, "_dom_classes", ()):
            out.setdefault(c, []).append(w)
    return out


def many_goals(n: int) -> dict[str, Any]:
    return {
        "title": f"{n} goals",
        "goals": [
            {
                "id": f"g{i}",
                "title": f"Goal {i}",
                "raised_by": "customer" if i % 2 else "management",
                "ratings": {"customer": {"importance": i % 6}, "management": {"importance": (i * 7) % 6}},
            }
            for i in range(n)
        ],
    }


def test_board_has_the_stable_css_hooks_and_an_svg_chart(workspace: Workspace, demo: str) -> None:
    board = MeetingBoard(workspace, demo, "facilitator")
    found = classes(board)
    assert found["pmkit-board"] == [board.widget]
    (chart,) = found["pmkit-overlap-chart"]
    assert isinstance(chart, widgets.Image)
    assert chart.format == "svg+xml" and bytes(chart.value).startswith(b"<svg ")
    assert chart.tooltip.startswith("Overlap chart of 9 goals")
    assert "pmkit-status" in found
    board.close()


def test_board_shows_title_role_and_every_panel(workspace: Workspace, demo: str) -> None:
    board = MeetingBoard(workspace, demo, "customer")
    assert "ERP integration: test environment and cutover" in board.title.value  # the title for everyone
    assert "Undisclosed risk" not in board.title.value  # the working title is the facilitator's
    assert "Alder Logistics (customer)" in board.title.value
    # the page opens with the first panel and the shown tab only; the others wait for a click.
    # The customer withholds nothing itself, so its board has no disclosure plan either.
    mine = [(t, f) for t, f in PANELS if built_for(f, "customer")]  # not the facilitator's own panels
    assert [t for t, _ in mine] == [t for t, _ in PANELS
                                    if t not in ("Room screen", "Agenda", "Rounds", "Preparation", "Participants",
                                                 "Disclosure check")]
    # the recovery route, the starter's one option issue, is management's: no Options tab either
    mine = [(t, f) for t, f in mine if t not in ("Disclosure plan", "Options")]
    assert [t for t, _ in board.panels] == [t for t, _ in mine[:2]]
    assert list(board.tabs.titles) == [t for t, _ in mine[1:]]
    # a tab not yet shown holds only its heading (an h2 named after the tab, for screen readers)
    assert all(len(board.tabs.children[i].children) == 1 for i in range(1, len(mine) - 1))
    assert all(f"<h2 class=\"pmkit-sr-only\">{t}</h2>" == board.tabs.children[i].children[0].value
               for i, (t, _) in enumerate(mine[1:]))
    board.tabs.selected_index = 2
    assert [t for t, _ in board.panels] == [t for t, _ in mine[:2]] + [mine[3][0]]
    assert len(board.tabs.children[2].children) == 2
    overview = board.panel("Overview")
    ov = analyze(workspace.sessions.load(demo, "customer"))
    assert f"Alignment {alignment(ov.alignment)} / 100" in overview.summary.value  # type: ignore[attr-defined]
    assert "Keep the March cutover date" in overview.lists.value  # type: ignore[attr-defined]
    assert "Conflicts (1)" in overview.lists.value  # type: ignore[attr-defined]
    weight = board.panel("Whom to please")
    assert bytes(weight.chart.value).startswith(PNG)  # type: ignore[attr-defined]
    board.close()


def test_a_lazy_panel_names_the_roles_its_class_names(workspace: Workspace, demo: str) -> None:
    """The board decides which tabs a role gets before a panel's module is imported, so the
    roles given to ``lazy_panel`` must be those the panel's own class says it is for."""
    modules = {"WhomToPleasePanel": "whom_to_please", "AhpPanel": "ahp", "IssuesPanel": "issues",
               "NegotiationPanel": "negotiation", "CapturePanel": "capture", "RoundsPanel": "rounds",
               "EchoCheckPanel": "echo_check", "ExportPanel": "export", "RoomScreenPanel": "room",
               "DisclosurePlanPanel": "disclosure_plan", "ParticipantsPanel": "participants",
               "OptionsPanel": "options", "PreparationPanel": "preparation", "AgendaPanel": "agenda"}
    for title, factory in PANELS[2:]:
        cls = getattr(importlib.import_module(f"pmkit.widgets.panels.{modules[factory.__name__]}"), factory.__name__)
        assert getattr(factory, "roles", None) == getattr(cls, "roles", None), title
    facilitator = MeetingBoard(workspace, demo, "facilitator")
    for title in ("Room screen", "Rounds", "Preparation", "Disclosure plan", "Participants", "Disclosure check"):
        assert title in facilitator.tabs.titles
    # the plan's tab: asked before its module is imported, the same answer as its class gives
    plan = dict(PANELS)["Disclosure plan"]
    for role in ("facilitator", "customer", "management"):
        board = MeetingBoard(workspace, demo, role)
        panel = importlib.import_module("pmkit.widgets.panels.disclosure_plan").DisclosurePlanPanel
        assert plan.applies(board.ctx) == panel.applies(board.ctx) == (role != "customer")
        # the Options tab: only where the role's own view has an option issue
        assert ("Options" in board.tabs.titles) == (role != "customer")


def test_a_session_title_with_markup_is_shown_as_text(workspace: Workspace) -> None:
    sid = workspace.sessions.create(parse_session({"title": "<script>alert(1)</script> & co"}))
    board = MeetingBoard(workspace, sid, "facilitator")
    assert "<script>" not in board.title.value
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in board.title.value
    board.close()


@pytest.mark.parametrize("role", ["nobody", "Facilitator", ""])
def test_an_unknown_role_gets_no_board(workspace: Workspace, demo: str, role: str) -> None:
    with pytest.raises(AccessDenied):
        MeetingBoard(workspace, demo, role)


def test_no_widget_per_goal(workspace: Workspace) -> None:
    small = workspace.sessions.create(parse_session(many_goals(10)))
    large = workspace.sessions.create(parse_session(many_goals(200)))
    counts = []
    for sid in (small, large):
        board = MeetingBoard(workspace, sid, "facilitator")
        counts.append(len(list(iter_widgets(board.widget))))
        assert len(board.panel("Goals").select.options) in (10, 200)  # type: ignore[attr-defined]
        board.close()
    assert counts[0] == counts[1]


def test_two_pages_see_each_others_changes_after_sync(workspace: Workspace, demo: str) -> None:
    a = MeetingBoard(workspace, demo, "facilitator")
    b = MeetingBoard(Workspace(workspace.folder), demo, "facilitator")
    before = bytes(b.panel("Overview").chart.value)  # type: ignore[attr-defined]
    assert b.sync() is False  # nothing changed yet

    goals = a.panel("Goals")
    goals.select.value = "extra-licences"  # type: ignore[attr-defined]
    goals.rows["customer"].stance.value = "support"  # type: ignore[attr-defined]
    assert a.status.message.startswith("Saved")
    assert b.sync() is True
    assert bytes(b.panel("Overview").chart.value) != before  # type: ignore[attr-defined]
    assert "Conflicts (0)" in b.panel("Overview").lists.value  # type: ignore[attr-defined]

    capture = b.panel("Capture")
    capture.text.value = "Licences in phase two"  # type: ignore[attr-defined]
    capture.record.click()  # type: ignore[attr-defined]
    assert a.sync() is True
    assert "Licences in phase two" in a.panel("Capture").agreements.value  # type: ignore[attr-defined]
    a.close()
    b.close()


def test_a_page_that_saved_redraws_at_once(workspace: Workspace, demo: str) -> None:
    board = MeetingBoard(workspace, demo, "facilitator")
    chart = board.panel("Overview").chart  # type: ignore[attr-defined]
    before = bytes(chart.value)
    goals = board.panel("Goals")
    goals.select.value = "training-plan"  # type: ignore[attr-defined]
    goals.rows["management"].importance.value = 5  # type: ignore[attr-defined]
    assert bytes(chart.value) != before
    assert board.sync() is False  # already up to date
    board.close()


def test_polling_shows_another_pages_change_within_two_seconds(
    workspace: Workspace, demo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMKIT_POLL_SECONDS", "0.1")
    other = Workspace(workspace.folder)

    async def meeting() -> tuple[bool, bool]:
        board = MeetingBoard(workspace, demo, "customer")
        assert board._task is not None  # polling runs on the loop
        other.items.add(demo, "agreement", {"text": "Seen live"}, role="facilitator")
        deadline = time.monotonic() + 2.0
        seen = False
        while time.monotonic() < deadline and not seen:
            await asyncio.sleep(0.05)
            seen = "Seen live" in board.panel("Capture").agreements.value  # type: ignore[attr-defined]
        task = board._task
        board.close()
        await asyncio.sleep(0)
        return seen, task.cancelled() or task.done()

    seen, stopped = asyncio.run(meeting())
    assert seen
    assert stopped


def test_without_a_running_loop_no_polling_starts(workspace: Workspace, demo: str) -> None:
    board = MeetingBoard(workspace, demo, "facilitator")
    assert board._task is None
    board.close()


@pytest.mark.parametrize("value", ["soon", "0", "-1", "1000"])
def test_a_bad_poll_interval_is_refused(
    workspace: Workspace, demo: str, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("PMKIT_POLL_SECONDS", value)
    with pytest.raises(InputError, match="poll_seconds"):
        MeetingBoard(workspace, demo, "facilitator")


def test_close_closes_every_widget(workspace: Workspace, demo: str) -> None:
    board = MeetingBoard(workspace, demo, "facilitator")
    everything = list(iter_widgets(board.widget))
    assert all(w.comm is not None for w in everything)
    board.close()
    assert all(w.comm is None for w in everything)
    assert all(w.layout.comm is None for w in everything if isinstance(w, widgets.DOMWidget))
    assert board.sync() is False


def test_theme_and_presenter_mode(workspace: Workspace, demo: str) -> None:
    light = MeetingBoard(workspace, demo, "facilitator")
    dark = MeetingBoard(workspace, demo, "facilitator", theme="dark", presenter=True)
    assert "pmkit-theme-dark" in dark.widget._dom_classes
    assert "pmkit-presenter" in dark.widget._dom_classes
    assert bytes(dark.panel("Overview").chart.value) != bytes(light.panel("Overview").chart.value)  # type: ignore[attr-defined]
    light.close()
    dark.close()


class Counter:
    """A panel written elsewhere, on the contract alone: factory(context), .widget, .refresh()."""

    def __init__(self, context: BoardContext) -> None:
        self.ctx = context
        self.widget = widgets.HTML()
        self.refresh()

    def refresh(self) -> None:
        session = self.ctx.store.sessions.load(self.ctx.session_id, self.ctx.role)
        self.widget.value = f"{len(session.agreements)} agreements"


def broken(context: BoardContext) -> Any:
    raise RuntimeError("panel exploded at /srv/secret/path")


def refused(context: BoardContext) -> Any:
    raise AccessDenied("not for this role")


def test_panels_from_elsewhere_plug_in_and_a_broken_one_stays_contained(workspace: Workspace, demo: str) -> None:
    board = Board(
        workspace,
        demo,
        "customer",
        panels=[*PANELS[:1], ("Count", Counter), ("Broken", broken), ("Refused", refused)],
    )
    counter = board.panel("Count")
    assert counter.widget.value == "1 agreements"
    assert "could not load" in board.panel("Broken").widget.value
    assert board.status.is_error and board.status.message == UNEXPECTED  # and the server's log says why
    assert "could not load" in board.panel("Refused").widget.value
    assert board.status.message == "not for this role"  # a pmkit error says its own line
    workspace.items.add(demo, "agreement", {"text": "One more"}, role="facilitator")
    assert board.sync() is True
    assert counter.widget.value == "2 agreements"
    states = str([w.get_state() for w in iter_widgets(board.widget)])
    assert "exploded" not in states and "secret" not in states and "Traceback" not in states
    board.close()


def test_a_hidden_tab_redraws_when_shown(workspace: Workspace, demo: str) -> None:
    board = MeetingBoard(workspace, demo, "facilitator")
    titles = list(board.tabs.titles)
    weight = board.panel("Whom to please")
    chart = weight.chart  # type: ignore[attr-defined]
    before = bytes(chart.value)
    board.tabs.selected_index = titles.index("Goals")
    goals = board.panel("Goals")
    goals.select.value = "cutover-date"  # type: ignore[attr-defined]
    goals.rows["management"].importance.value = 0  # type: ignore[attr-defined]
    assert bytes(chart.value) == before  # hidden: not drawn yet
    board.tabs.selected_index = titles.index("Whom to please")
    assert bytes(chart.value) != before  # shown: drawn from the current session
    assert "Keep the March cutover date" in weight.ranking.value  # type: ignore[attr-defined]
    board.close()


@pytest.mark.parametrize("parties", [1, 3])
def test_sessions_with_one_or_three_parties_open_for_every_role(workspace: Workspace, parties: int) -> None:
    ids = ["customer", "management", "vendor"][:parties]
    sid = workspace.sessions.create(
        parse_session(
            {
                "title": f"{parties} parties",
                "parties": [{"id": p, "name": p.title()} for p in ids],
                "goals": [{"title": "Ship", "raised_by": ids[-1], "ratings": {p: {"importance": 4} for p in ids}}],
            }
        )
    )
    for role in workspace.sessions.roles(sid):
        board = MeetingBoard(workspace, sid, role)
        page = str([w.get_state() for w in iter_widgets(board.widget)])
        assert "could not load" not in page and not board.status.is_error
        if parties == 1:
            assert "compares two parties" in board.panel("Overview").summary.value  # type: ignore[attr-defined]
        board.close()


def test_in_a_kernel_the_whom_to_please_chart_follows_the_board(workspace: Workspace, demo: str) -> None:
    async def page() -> tuple[bytes, bytes, bytes]:
        board = MeetingBoard(workspace, demo, "facilitator")
        overview = bytes(board.panel("Overview").chart.value)  # type: ignore[attr-defined]
        board.tabs.selected_index = list(board.tabs.titles).index("Whom to please")  # its tab is opened
        weight = board.panel("Whom to please").chart  # type: ignore[attr-defined]
        first = bytes(weight.value)
        panel = board.panel("Whom to please")
        deadline = time.monotonic() + 10
        while READY not in panel.widget._dom_classes and time.monotonic() < deadline:
            await asyncio.sleep(0)  # the page is up; the loop runs the deferred draw
        later = bytes(weight.value)
        board.close()
        return overview, first, later

    overview, first, later = asyncio.run(page())
    assert overview.startswith(b"<svg ")  # the overlap chart is there when the board is shown
    assert first == b""  # the costly second chart is not in the way of it
    assert later.startswith(PNG)
