"""The preparation window, the facilitator's panel: open it (a deadline, what to ask), follow
each person's progress (never their answers), remind those who have not submitted, close it
(the answers become inputs, one edit) or cancel it.

Built for the facilitator only (``roles = (FACILITATOR,)``; the constructor refuses any other
role): no party's kernel holds a name, a count or an address of the window. A reminder is
sent by ``pmkit serve`` (the board asks it, :meth:`pmkit.store.prepare.Prepare.ask_reminder`)
within seconds; the table says whether it was delivered or failed, and why.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipywidgets as widgets

from pmkit.errors import InputError
from pmkit.model import FACILITATOR
from pmkit.rules.permissions import authorize_facilitator
from pmkit.views.preparation import status
from pmkit.widgets.common import FormButton, FormText, html_table
from pmkit.widgets.context import BoardContext
from pmkit.widgets.edge import esc, guarded
from pmkit.widgets.look import MUTED, heading
from pmkit.widgets.panels.base import PanelBase

__all__ = ["PreparationPanel"]


def _select(description: str, css: str) -> widgets.SelectMultiple:
    s = widgets.SelectMultiple(options=[], rows=4, description=description, layout=widgets.Layout(width="100%"))
    s.add_class(css)
    return s


class PreparationPanel(PanelBase):
    """Open a window; progress per person and per party; remind, close or cancel."""

    roles = (FACILITATOR,)  # built on the facilitator's page only

    def __init__(self, context: BoardContext) -> None:
        super().__init__(context)
        authorize_facilitator(self.role, "run a preparation window")
        self.goals = _select("Goals", "pmkit-prep-goals")
        self.issues = _select("Issues", "pmkit-prep-issues")
        self.options = _select("Options", "pmkit-prep-options")
        self.pairwise = widgets.Checkbox(description="ask for pairwise weighing", indent=False)
        self.until = FormText(placeholder="deadline, e.g. 2030-05-01T17:00 (UTC)", description="Deadline")
        self.until.add_class("pmkit-prep-until")
        self.open_button = FormButton(fields=[self.until], description="Open preparation", icon="clock-o",
                                      button_style="primary")
        self.open_button.add_class("pmkit-prep-open")
        self.open_button.on_click(self._open)
        self.state = widgets.HTML()
        self.state.add_class("pmkit-prep-state")
        self.table = widgets.HTML()
        self.table.add_class("pmkit-prep-table")
        self.buttons = {}
        for name, icon, text in (("refresh", "refresh", "Refresh"), ("remind", "envelope", "Remind those not done"),
                                 ("close", "check", "Close: answers become inputs"), ("cancel", "times", "Cancel")):
            b = widgets.Button(description=text, icon=icon)
            b.add_class(f"pmkit-prep-{name}")
            b.on_click(getattr(self, f"_{name}"))
            self.buttons[name] = b
        intro = widgets.HTML(
            f"<p class='{MUTED}'>Each person answers on their own page (their link, at /prepare) by the deadline. "
            "Their answers stay private until you close the window; here you see who has answered, not what.</p>")
        self.chooser = widgets.VBox([widgets.HTML(heading("Open a preparation window")), self.goals, self.issues,
                                     self.options, self.pairwise, self.until, self.open_button])
        self.widget = widgets.VBox([intro, self.state, self.table, widgets.HBox(list(self.buttons.values())),
                                    self.chooser])
        self.widget.add_class("pmkit-preparation")
        self.refresh()

    def refresh(self) -> None:
        session = self.ctx.session()
        for select, items in ((self.goals, session.goals), (self.issues, session.issues),
                              (self.options, session.option_issues)):
            options = [(" ".join(i.title.split()), i.id) for i in items]
            if tuple(tuple(o) for o in select.options) != tuple(options):
                with self.quietly():
                    select.options = options
        progress, rows = status(self.store, self.session_id)
        is_open = progress is not None and progress.window.is_open
        self.chooser.layout.display = "none" if is_open else None
        for name in ("remind", "close", "cancel"):
            self.buttons[name].disabled = not is_open
        if progress is None:
            self.state.value = "<p><b>No preparation window yet.</b></p>"
            self.table.value = ""
            return
        w = progress.window
        counts = "; ".join(f"{esc(party)}: " + ", ".join(f"{n} {esc(s)}" for s, n in c.items())
                           for party, c in progress.counts().items())
        self.state.value = (f"<p><b>Preparation window {esc(w.state)}</b>, deadline {esc(_clock(w.until))} UTC. "
                            f"{counts}.</p>")
        self.table.value = html_table(("person", "party", "progress", "opened", "submitted", "reminder"), [
            (r.name, r.party, r.words, _clock(r.opened_at), _clock(r.submitted_at), r.reminded or "—")
            for r in rows], empty="Nobody is asked.")

    @guarded
    def _open(self, _button: Any = None) -> None:
        if not self.until.value.strip():
            raise InputError("give the deadline, e.g. 2030-05-01T17:00 (UTC)")
        w = self.store.prepare.open(self.session_id, self.until.value, goals=list(self.goals.value),
                                    issues=list(self.issues.value), options=list(self.options.value),
                                    pairwise=self.pairwise.value, role=self.actor)
        self.ctx.changed(f"preparation open until {_clock(w.until)} UTC; each person's page is their link at /prepare")

    @guarded
    def _refresh(self, _button: Any = None) -> None:
        self.refresh()

    @guarded
    def _remind(self, _button: Any = None) -> None:
        self.store.prepare.ask_reminder(self.session_id, role=self.actor)
        self.ctx.changed("reminders asked for: the server mails those who have not submitted within seconds "
                         "(Refresh shows whether each was delivered)")

    @guarded
    def _close(self, _button: Any = None) -> None:
        n = self.store.prepare.close(self.session_id, role=self.actor)
        self.ctx.changed(f"preparation closed: {n} answers written as inputs (Undo opens it again)")

    @guarded
    def _cancel(self, _button: Any = None) -> None:
        self.store.prepare.cancel(self.session_id, role=self.actor)
        self.ctx.changed("preparation cancelled: its answers are dropped")


def _clock(at: str | None) -> str:
    if not at:
        return "—"
    return dt.datetime.fromisoformat(at).astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")
