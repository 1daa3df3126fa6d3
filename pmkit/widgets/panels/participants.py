"""Participants (the facilitator's page only): where each side's members stand.

Per goal and side, each member's own rating, the spread of their importances and the flag
**not united** (importances 3 or more apart, or one member supports what another opposes;
:mod:`pmkit.analytics.participants`), then the members with their weights, a form to add one
and a picker to remove one (as ``pmkit participants``). A checkbox lets members see their
colleagues' ratings (off by default). Built for the facilitator alone
(``roles``): no other role's kernel ever holds a member's name or rating.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from pmkit.errors import InputError
from pmkit.i18n import _
from pmkit.model import FACILITATOR
from pmkit.rules.permissions import authorize_facilitator
from pmkit.text import number
from pmkit.views.participants import side_divisions
from pmkit.widgets.common import FormBoundedFloatText, FormButton, FormText, html_table
from pmkit.widgets.context import BoardContext
from pmkit.widgets.edge import guarded
from pmkit.widgets.panels.base import PanelBase
from pmkit.widgets.panels.goals import stance_label

__all__ = ["ParticipantsPanel"]


class ParticipantsPanel(PanelBase):
    """Each member's rating per goal, the spread and the flag; who the members are."""

    roles = (FACILITATOR,)

    def __init__(self, context: BoardContext) -> None:
        super().__init__(context)
        self.spread = widgets.HTML()
        self.spread.add_class("pmkit-spread")
        self.people = widgets.HTML()
        self.people.add_class("pmkit-people")
        self.colleagues = widgets.Checkbox(description=_("Participants see their colleagues' ratings"), indent=False,
                                           layout=widgets.Layout(width="auto"))
        self.colleagues.add_class("pmkit-show-colleagues")
        self.bind(self.colleagues, "show_colleagues", self._save_colleagues)
        self.name = FormText(placeholder=_("name"), layout=widgets.Layout(width="16em"))
        self.name.add_class("pmkit-participant-name")
        self.party = widgets.Dropdown(description=_("Side"), options=[])
        self.weight = FormBoundedFloatText(value=1.0, min=0.01, max=1000, step=0.5, description=_("Weight"))
        self.add = FormButton(fields=[self.name, self.weight], description=_("Add participant"), icon="plus",
                              button_style="primary")
        self.add.add_class("pmkit-add-participant")
        self.add.on_click(self._add)
        self.pick = widgets.Dropdown(description=_("Participant"), options=[])
        self.remove = widgets.Button(description=_("Remove"), icon="trash")
        self.remove.add_class("pmkit-remove-participant")
        self.remove.on_click(self._remove)
        self.widget = widgets.VBox([widgets.HTML("<b>" + _("Where each side stands") + "</b>"), self.spread,
                                    widgets.HTML("<b>" + _("Participants") + "</b>"), self.people,
                                    widgets.HBox([self.name, self.party, self.weight, self.add]),
                                    widgets.HBox([self.pick, self.remove]), self.colleagues])
        self.widget.add_class("pmkit-participants")
        self.draw_soon()

    def refresh(self) -> None:
        session = self.ctx.session()
        titles = {g.id: g.title for g in session.goals}
        rows = []
        for d in side_divisions(self.store, self.session_id):
            ratings = "; ".join(f"{r.name}: {r.importance} {stance_label(r.stance)}" for r in d.ratings)
            flag = _("not united") if d.not_united else ""
            rows.append((titles.get(d.goal_id, d.goal_id), session.party_name(d.party), ratings,
                         "-" if d.spread is None else d.spread, flag))
        self.spread.value = html_table((_("goal"), _("side"), _("each person's rating"), _("spread"), ""), rows,
                                       empty=_("No participant has rated a goal yet."))
        people = self.store.participants.all(self.session_id)
        self.people.value = html_table((_("id"), _("side"), _("name"), _("weight")),
                                       [(p.participant_id, session.party_name(p.party), p.name, number(p.weight))
                                        for p in people],
                                       empty=_("No participants: each side is one voice ({command}).")
                                       .format(command="`pmkit participants SESSION --add NAME --party PARTY`"))
        with self.quietly():
            _choices(self.party, [(p.name, p.id) for p in session.parties])
            _choices(self.pick, [(f"{p.name}, {session.party_name(p.party)}", p.participant_id) for p in people])
        self.remove.disabled = not people
        self.show(self.colleagues, "show_colleagues", self.store.participants.show_colleagues(self.session_id))

    def _save_colleagues(self, value: Any) -> None:
        authorize_facilitator(self.role, _("change who sees colleagues' ratings"))
        self.store.participants.set_show_colleagues(self.session_id, bool(value), role=self.actor)
        self.ctx.changed(_("who sees colleagues' ratings"))


    @guarded
    def _add(self, _button: Any = None) -> None:
        authorize_facilitator(self.role, _("add participants"))
        name = str(self.name.value).strip()
        if not name:
            raise InputError(_("type the participant's name first"))
        p = self.store.participants.add(self.session_id, str(self.party.value), name, float(self.weight.value),
                                       role=self.actor)
        self.name.value = ""
        self.ctx.changed(_("participant {name} ({id}); {command} prints their link")
                         .format(name=p.name, id=p.participant_id, command="`pmkit links`"))

    @guarded
    def _remove(self, _button: Any = None) -> None:
        authorize_facilitator(self.role, _("remove participants"))
        if not self.pick.value:
            raise InputError(_("choose a participant first"))
        p = self.store.participants.remove(self.session_id, str(self.pick.value), role=self.actor)
        self.ctx.changed(_("removed {name}; their ratings left the aggregate (Undo brings them back)")
                         .format(name=p.name))


def _choices(dropdown: widgets.Dropdown, options: list[tuple[str, str]]) -> None:
    """Give ``dropdown`` these options, keeping its choice if it is still one, else the first."""
    if list(dropdown.options) != options:
        dropdown.options = options
    if options and dropdown.value not in {v for _label, v in options}:
        dropdown.value = options[0][1]
