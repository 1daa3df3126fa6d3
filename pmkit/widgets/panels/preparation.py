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
from pmkit.i18n import N_, _, ngettext
from pmkit.model import FACILITATOR
from pmkit.rules.permissions import authorize_facilitator
from pmkit.text import count, moment
from pmkit.views.preparation import status
from pmkit.widgets.common import FormButton, FormText, html_table
from pmkit.widgets.context import BoardContext
from pmkit.widgets.edge import esc, guarded
from pmkit.widgets.look import MUTED, heading
from pmkit.widgets.panels.base import PanelBase

__all__ = ["PreparationPanel"]

# a window's and a person's state, in words (the store keeps them in English)
_WINDOW = {"open": N_("Preparation window open"), "closed": N_("Preparation window closed"),
           "cancelled": N_("Preparation window cancelled")}
_STATES = {"not opened": N_("not opened"), "opened": N_("opened"), "answering": N_("answering"),
           "submitted": N_("submitted")}


def _state(state: str) -> str:
    return _(_STATES[state]) if state in _STATES else state


def _select(description: str, css: str) -> widgets.SelectMultiple:
    s = widgets.SelectMultiple(options=[], rows=4, description=description, layout=widgets.Layout(width="100%"))
    s.add_class(css)
    return s


class PreparationPanel(PanelBase):
    """Open a window; progress per person and per party; remind, close or cancel."""

    roles = (FACILITATOR,)  # built on the facilitator's page only

    def __init__(self, context: BoardContext) -> None:
        super().__init__(context)
        authorize_facilitator(self.role, _("run a preparation window"))
        self.goals = _select(_("Goals"), "pmkit-prep-goals")
        self.issues = _select(_("Issues"), "pmkit-prep-issues")
        self.options = _select(_("Options"), "pmkit-prep-options")
        self.pairwise = widgets.Checkbox(description=_("ask for pairwise weighing"), indent=False)
        self.until = FormText(placeholder=_("deadline, e.g. {example} (UTC)").format(example="2030-05-01T17:00"),
                              description=_("Deadline"))
        self.until.add_class("pmkit-prep-until")
        self.open_button = FormButton(fields=[self.until], description=_("Open preparation"), icon="clock-o",
                                      button_style="primary")
        self.open_button.add_class("pmkit-prep-open")
        self.open_button.on_click(self._open)
        self.state = widgets.HTML()
        self.state.add_class("pmkit-prep-state")
        self.table = widgets.HTML()
        self.table.add_class("pmkit-prep-table")
        self.buttons = {}
        for name, icon, text in (("refresh", "refresh", N_("Refresh")),
                                 ("remind", "envelope", N_("Remind those not done")),
                                 ("close", "check", N_("Close: answers become inputs")),
                                 ("cancel", "times", N_("Cancel"))):
            b = widgets.Button(description=_(text), icon=icon)
            b.add_class(f"pmkit-prep-{name}")
            b.on_click(getattr(self, f"_{name}"))
            self.buttons[name] = b
        intro = widgets.HTML(f"<p class='{MUTED}'>" + esc(_(
            "Each person answers on their own page (their link, at /prepare) by the deadline. Their answers stay "
            "private until you close the window; here you see who has answered, not what.")) + "</p>")
        self.chooser = widgets.VBox([widgets.HTML(heading(_("Open a preparation window"))), self.goals, self.issues,
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
            self.state.value = "<p><b>" + esc(_("No preparation window yet.")) + "</b></p>"
            self.table.value = ""
            return
        w = progress.window
        counts = "; ".join(f"{esc(party)}: " + ", ".join(f"{count(n)} {esc(_state(s))}" for s, n in c.items())
                           for party, c in progress.counts().items())
        head = esc(_(_WINDOW[w.state]) if w.state in _WINDOW else w.state)
        deadline = esc(_("deadline {moment} UTC").format(moment=_clock(w.until)))
        self.state.value = f"<p><b>{head}</b>, {deadline}. {counts}.</p>"
        self.table.value = html_table(
            (_("person"), _("party"), _("progress"), _("opened"), _("submitted"), _("reminder")),
            [(r.name, r.party, _words(r.state, r.answered, r.asked), _clock(r.opened_at), _clock(r.submitted_at),
              r.reminded or "—") for r in rows], empty=_("Nobody is asked."))

    @guarded
    def _open(self, _button: Any = None) -> None:
        if not self.until.value.strip():
            raise InputError(_("give the deadline, e.g. {example} (UTC)").format(example="2030-05-01T17:00"))
        w = self.store.prepare.open(self.session_id, self.until.value, goals=list(self.goals.value),
                                    issues=list(self.issues.value), options=list(self.options.value),
                                    pairwise=self.pairwise.value, role=self.actor)
        self.ctx.changed(_("preparation open until {moment} UTC; each person's page is their link at /prepare").format(
            moment=_clock(w.until)))

    @guarded
    def _refresh(self, _button: Any = None) -> None:
        self.refresh()

    @guarded
    def _remind(self, _button: Any = None) -> None:
        self.store.prepare.ask_reminder(self.session_id, role=self.actor)
        self.ctx.changed(_("reminders asked for: the server mails those who have not submitted within seconds "
                           "(Refresh shows whether each was delivered)"))

    @guarded
    def _close(self, _button: Any = None) -> None:
        n = self.store.prepare.close(self.session_id, role=self.actor)
        self.ctx.changed(ngettext("preparation closed: {n} answer written as inputs (Undo opens it again)",
                                  "preparation closed: {n} answers written as inputs (Undo opens it again)", n).format(
            n=count(n)))

    @guarded
    def _cancel(self, _button: Any = None) -> None:
        self.store.prepare.cancel(self.session_id, role=self.actor)
        self.ctx.changed(_("preparation cancelled: its answers are dropped"))


def _clock(at: str | None) -> str:
    if not at:
        return "—"
    return moment(dt.datetime.fromisoformat(at).astimezone(dt.UTC))


def _words(state: str, answered: int, asked: int) -> str:
    """A person's progress in words: ``not opened``, ``opened``, ``3 of 8 answered`` or ``submitted``."""
    if state == "answering":
        return _("{answered} of {asked} answered").format(answered=count(answered), asked=count(asked))
    return _state(state)
