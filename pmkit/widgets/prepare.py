"""Preparation in JupyterLab (facilitator only): open or create a session, set its working
title and the title for everyone, enter goals and numeric issues with each party's ratings
and positions, and see the overlap and the disclosure check (which shared text echoes a
withheld item) update with every edit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from pmkit.formats.yaml_file import read_session_file
from pmkit.i18n import N_, _
from pmkit.model import FACILITATOR, everyone_title, parse_session
from pmkit.resources import starter_names, starter_path
from pmkit.store import Workspace
from pmkit.widgets.board import Board
from pmkit.widgets.common import FormButton, FormText, close_tree
from pmkit.widgets.edge import Status, esc, guarded
from pmkit.widgets.panels.base import PanelFactory, stacked
from pmkit.widgets.panels.echo_check import EchoCheckPanel
from pmkit.widgets.panels.goals import GoalsPanel
from pmkit.widgets.panels.issues import IssuesPanel
from pmkit.widgets.panels.overview import OverviewPanel
from pmkit.widgets.panels.whom_to_please import WhomToPleasePanel

__all__ = ["PREPARE_PANELS", "PrepareBoard"]

PREPARE_PANELS: list[tuple[str, PanelFactory]] = [
    (N_("Overview"), stacked(EchoCheckPanel, OverviewPanel)),  # always in view: the check above the chart
    (N_("Goals"), GoalsPanel),
    (N_("Numeric issues"), IssuesPanel),
    (N_("Whom to please"), WhomToPleasePanel),
]


class PrepareBoard:
    """Session chooser and creator above the facilitator's preparation panels.

    ``session_id`` defaults to the workspace's first session; with none, create one from a
    starter (or blank) with the controls at the top.
    """

    def __init__(
        self,
        store: Workspace,
        session_id: str | None = None,
        *,
        panels: Sequence[tuple[str, PanelFactory]] = PREPARE_PANELS,
        theme: str = "light",
        presenter: bool = False,
    ) -> None:
        self.store = store
        self.status = Status()
        self._panels = list(panels)
        self._theme, self._presenter = theme, presenter
        self._quiet = False
        self.board: Board | None = None
        self.pick = widgets.Dropdown(description=_("Session"), layout=widgets.Layout(width="32em"))
        self.pick.add_class("pmkit-session-pick")
        self.starter = widgets.Dropdown(
            description=_("New from"),
            options=[(_("blank session"), ""), *((name, name) for name in starter_names())],
        )
        self.new_title = FormText(placeholder=_("title of the new session"))
        self.create = FormButton(fields=[self.new_title], description=_("Create session"), icon="plus")
        self.create.on_click(self._create)
        self.pick.observe(self._picked, names="value")
        self.working_title = FormText(description=_("Working title"), layout=widgets.Layout(width="40em"))
        self.working_title.add_class("pmkit-working-title")
        self.joint_title = FormText(description=_("For everyone"), layout=widgets.Layout(width="40em"))
        self.joint_title.add_class("pmkit-joint-title")
        self.save_titles = FormButton(fields=[self.working_title, self.joint_title], description=_("Save titles"),
                                      icon="save")
        self.save_titles.add_class("pmkit-save-titles")
        self.save_titles.on_click(self._save_titles)
        self.everyone = widgets.HTML()
        self.everyone.add_class("pmkit-everyone-title")
        self.titles = widgets.VBox([
            widgets.HTML("<p class='pmkit-muted'>" + esc(_(
                "The working title is yours alone. The parties' pages, the room screen, the minutes and the "
                "brief show the title for everyone (empty: a neutral “Joint meeting” with the date).")) + "</p>"),
            widgets.HBox([self.working_title]),
            widgets.HBox([self.joint_title, self.save_titles]),
            self.everyone,
        ])
        self.titles.layout.display = "none"
        self.body = widgets.VBox([])
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.pick]),
                widgets.HBox([self.starter, self.new_title, self.create]),
                self.titles,
                self.status.widget,
                self.body,
            ]
        )
        self.widget.add_class("pmkit-prepare")
        self._list_sessions()
        sessions = store.sessions.all()
        target = session_id or (sessions[0].id if sessions else None)
        if target is not None:
            self.open(target)
        else:
            self.status.ok(_("No sessions yet: create one from a starter or blank."))

    def _list_sessions(self) -> None:
        self._quiet = True
        try:
            self.pick.options = [(f"{s.title} ({s.id})", s.id) for s in self.store.sessions.all()]
        finally:
            self._quiet = False

    def open(self, session_id: str) -> Board:
        """Show session ``session_id`` (closing the one shown before)."""
        board = Board(
            self.store,
            session_id,
            FACILITATOR,
            panels=self._panels,
            theme=self._theme,
            presenter=self._presenter,
        )
        if self.board is not None:
            self.board.close()
        self.board = board
        self.body.children = [board.widget]
        self._show_titles(session_id)
        self._quiet = True
        try:
            self.pick.value = session_id
        finally:
            self._quiet = False
        return board

    def _show_titles(self, session_id: str) -> None:
        session = self.store.sessions.load(session_id, FACILITATOR)
        self.working_title.value = session.title
        self.joint_title.value = session.joint_title
        self.joint_title.placeholder = everyone_title("", session.date)
        title = f"<b>{esc(session.title_for_everyone)}</b>"
        self.everyone.value = "<p>" + _("Parties and the room see: {title}").format(title=title) + "</p>"
        self.titles.layout.display = ""

    @guarded
    def _save_titles(self, _button: Any = None) -> None:
        if self.board is None:
            return
        sid = self.board.session_id
        self.store.sessions.set_titles(sid, title=self.working_title.value, joint_title=self.joint_title.value,
                              role=FACILITATOR)
        self._list_sessions()
        self._show_titles(sid)
        self.board.sync()
        everyone = self.store.sessions.load(sid, FACILITATOR).title_for_everyone
        self.status.ok(_("Saved the titles; parties and the room see “{title}”").format(title=everyone))

    @guarded
    def _picked(self, change: dict[str, Any]) -> None:
        if self._quiet or not change["new"]:
            return
        self.open(str(change["new"]))
        self.status.ok(_("Opened {session}").format(session=change["new"]))

    @guarded
    def _create(self, _button: Any = None) -> None:
        title = self.new_title.value.strip()
        name = str(self.starter.value or "")
        if name:
            data = read_session_file(starter_path(name)).model_dump()
            if title:
                data["title"] = title
        else:
            data = {"title": title or _("New session")}
        session_id = self.store.sessions.create(parse_session(data))
        self.new_title.value = ""
        self._list_sessions()
        self.open(session_id)
        self.status.ok(_("Created {session}").format(session=session_id))

    def sync(self) -> bool | None:
        return self.board.sync() if self.board is not None else False

    def close(self) -> None:
        if self.board is not None:
            self.board.close()
        close_tree(self.widget)
