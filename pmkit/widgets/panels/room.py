"""The facilitator's *Room screen* panel: choose what the shared screen shows.

Built for the facilitator's page only (``roles = (FACILITATOR,)``: a party's board never
builds it, and it refuses any other role). The facilitator picks a view
(:mod:`pmkit.widgets.room_views` lists them), a goal for the one-goal view, the weight for
whom-to-please, a revealed round for the reveal (default: the last one revealed; only the
rounds the room sees, numbered as the room numbers them, with the facilitator's own number
when it differs) and the theme, then presses *Show in the room*. Goals that are not for
everyone are listed, marked, and refused with a clear line: the room shows nothing of them
(the store refuses them too, and the room's kernel could not load them anyway).
A line says plainly what the room shows now, and another what it will show when the
facilitator presses the button.
"""

from __future__ import annotations

from typing import Any, TypeVar

import ipywidgets as widgets

from pmkit.errors import AccessDenied, InputError
from pmkit.i18n import N_, _
from pmkit.model import FACILITATOR, JOINT, Goal, Session
from pmkit.rules.permissions import authorize_facilitator
from pmkit.store import ROOM_VIEWS, RoomView
from pmkit.text import shorten
from pmkit.widgets.common import audience_label
from pmkit.widgets.context import BoardContext
from pmkit.widgets.edge import esc, guarded
from pmkit.widgets.panels.base import PanelBase
from pmkit.widgets.room_reveal import room_rounds
from pmkit.widgets.room_views import describe, showing, view_labels

__all__ = ["RoomScreenPanel", "goal_options"]


def goal_options(session: Session) -> list[tuple[str, str]]:
    """Every goal for the goal picker; those not for everyone marked as such."""
    return [(_goal_label(g, session), g.id) for g in session.goals]


def _goal_label(goal: Goal, session: Session) -> str:
    title = shorten(goal.title, 70)
    if goal.audience == JOINT:
        return title
    mark = _("{audience}: not for the room").format(audience=audience_label(goal.audience, session))
    return f"{title} [{mark}]"


LAST_REVEALED = (N_("The last round revealed"), "")  # its label translated where shown
W = TypeVar("W", bound=widgets.DOMWidget)


def _last_revealed() -> tuple[str, str]:
    """The round picker's first choice, in the reader's language."""
    return _(LAST_REVEALED[0]), LAST_REVEALED[1]


def _round_label(number: int, mine: int) -> str:
    """A round as the room numbers it, with the facilitator's own number when it differs."""
    if mine == number:
        return _("Round {number}").format(number=number)
    return _("Round {number} (your round {mine})").format(number=number, mine=mine)


def _tagged(widget: W, css: str) -> W:
    """``widget`` with the CSS class ``css`` (the hook tests and stylesheets find it by)."""
    widget.add_class(css)
    return widget


class RoomScreenPanel(PanelBase):
    """What the room screen shows, chosen by the facilitator."""

    roles = (FACILITATOR,)  # built on the facilitator's page only

    def __init__(self, context: BoardContext) -> None:
        super().__init__(context)
        if context.role not in self.roles:
            raise AccessDenied(_("only the facilitator chooses what the room screen shows"))
        state = self.store.meeting.room_view(self.session_id)
        views = [(label, name) for label, name in view_labels() if name in ROOM_VIEWS]
        self.view = widgets.Dropdown(description=_("Show"), options=views,
                                     value=state.view if state.view in dict(views).values() else "overview",
                                     layout=widgets.Layout(width="24em"))
        self.view.add_class("pmkit-room-view")
        self.goal = widgets.Dropdown(description=_("Goal"), options=[], layout=widgets.Layout(width="40em"))
        self.goal.add_class("pmkit-room-goal")
        self.weight = widgets.FloatSlider(value=state.weight, min=0.0, max=1.0, step=0.05, readout_format=".2f",
                                          continuous_update=False, description=_("Weight"),
                                          layout=widgets.Layout(width="28em"))
        self.weight.add_class("pmkit-room-weight")
        self.ends = widgets.HTML()
        self.round = widgets.Dropdown(description=_("Round"), options=[_last_revealed()], value="",
                                      layout=widgets.Layout(width="28em"))
        self.round.add_class("pmkit-room-round")
        self.theme = _tagged(widgets.ToggleButtons(options=[(_("Light"), "light"), (_("Dark"), "dark")],
                                                   value=state.theme, description=_("Theme")), "pmkit-room-theme")
        self.show_button = _tagged(widgets.Button(description=_("Show in the room"), icon="desktop",
                                                  button_style="primary"), "pmkit-room-show")
        self.show_button.on_click(self._show)
        self.now, self.next = _tagged(widgets.HTML(), "pmkit-room-now"), _tagged(widgets.HTML(), "pmkit-room-next")
        self.widget = widgets.VBox([
            widgets.HTML("<p class='pmkit-muted'>" + esc(_("The room link shows only what everyone may see."))
                         + " " + _("Choose what it shows, then press {button}.").format(
                             button="<b>" + esc(_("Show in the room")) + "</b>") + "</p>"),
            self.now,
            self.view,
            self.goal,
            self.weight,
            self.ends,
            self.round,
            self.theme,
            self.next,
            self.show_button,
        ])
        self.widget.add_class("pmkit-room-screen")
        self._state = state
        self.refresh()
        if state.view == "goal" and state.target in {v for _, v in self.goal.options}:
            self.goal.value = state.target
        if state.view == "reveal" and state.target in {v for _, v in self.round.options}:
            self.round.value = state.target
        for control in (self.view, self.goal, self.weight, self.round, self.theme):
            control.observe(self._chosen, names="value")
        self._preview()

    def refresh(self) -> None:
        session = self.ctx.session()
        options = goal_options(session)
        if tuple(options) != tuple(tuple(o) for o in self.goal.options):
            current = self.goal.value
            with self.quietly():
                self.goal.options = options
                ids = [v for _, v in options]
                self.goal.value = current if current in ids else (ids[0] if ids else None)
        self._rounds = room_rounds(self.store, self.session_id)  # the room's numbers: no hidden round counts
        mine = {r.round_id: r.number for r in self.store.rounds.all(self.session_id, self.role)}
        rounds = [_last_revealed(), *((_round_label(n, mine.get(rid, n)), rid)
                                      for rid, n in sorted(self._rounds.items(), key=lambda r: r[1]))]
        if tuple(rounds) != tuple(tuple(o) for o in self.round.options):
            current = self.round.value
            with self.quietly():
                self.round.options = rounds
                self.round.value = current if current in self._rounds else ""
        if len(session.party_ids) >= 2:
            a, b = (session.party_name(p) for p in session.party_ids[:2])
            ends = _("Whom to please: 0 = all on {b}; 1 = all on {a}").format(a=a, b=b)
            self.ends.value = f"<span class='pmkit-muted'>{esc(ends)}</span>"
        self._say(self._state, session)
        self._preview()

    def _say(self, state: RoomView, session: Session) -> None:
        self.now.value = f"<p><b>{esc(describe(state, session, self._rounds))}</b></p>"

    @guarded
    def _chosen(self, change: Any = None) -> None:
        self._preview()

    def _preview(self) -> None:
        """What pressing the button would show, or why it cannot."""
        session = self.ctx.session()
        goal = next((g for g in session.goals if g.id == self.goal.value), None)
        view = str(self.view.value or "overview")
        if view == "goal" and goal is not None and goal.audience != JOINT:
            who = audience_label(goal.audience, session)
            text = _("“{title}” is for {audience}: the room cannot show it.").format(title=shorten(goal.title, 60),
                                                                                     audience=who)
        else:
            target = str(self.round.value or "") if view == "reveal" else goal.id if goal is not None else ""
            chosen = RoomView(view, target, float(self.weight.value), str(self.theme.value))
            text = _("Show in the room: {view}.").format(view=showing(chosen, session, self._rounds))
        self.next.value = f"<p class='pmkit-muted'>{esc(text)}</p>"

    @guarded
    def _show(self, _button: Any = None) -> None:
        authorize_facilitator(self.role, _("choose what the room screen shows"))
        view = str(self.view.value or "overview")
        session = self.ctx.session()
        target = ""
        if view == "goal":
            goal = next((g for g in session.goals if g.id == self.goal.value), None)
            if goal is None:
                raise InputError(_("choose the goal to show in the room"))
            if goal.audience != JOINT:
                raise InputError(_("“{title}” is for {audience}: the room shows nothing of it. Choose a goal everyone "
                                   "sees.").format(title=shorten(goal.title, 60),
                                                   audience=audience_label(goal.audience, session)))
            target = goal.id
        elif view == "reveal":
            target = str(self.round.value or "")
        state = self.store.meeting.set_room_view(self.session_id, view, target, float(self.weight.value),
                                         str(self.theme.value), role=self.actor)
        self._state = state
        self._say(state, session)
        self.status.ok(describe(state, session, self._rounds))
