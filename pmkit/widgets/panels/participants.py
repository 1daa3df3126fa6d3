"""Participants (the facilitator's page only): where each side's members stand.

Per goal and side, each member's own rating, the spread of their importances and the flag
**not united** (importances 3 or more apart, or one member supports what another opposes;
:mod:`pmkit.analytics.aggregate`), then the members with their weights. A checkbox lets
members see their colleagues' ratings (off by default). Built for the facilitator alone
(``roles``): no other role's kernel ever holds a member's name or rating.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from pmkit.model import FACILITATOR
from pmkit.permissions import authorize_facilitator
from pmkit.reports.people import side_divisions
from pmkit.text import number
from pmkit.widgets.common import html_table
from pmkit.widgets.context import BoardContext
from pmkit.widgets.panels.base import PanelBase

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
        self.colleagues = widgets.Checkbox(description="Participants see their colleagues' ratings", indent=False)
        self.colleagues.add_class("pmkit-show-colleagues")
        self.bind(self.colleagues, "show_colleagues", self._save_colleagues)
        self.widget = widgets.VBox([widgets.HTML("<b>Where each side stands</b>"), self.spread,
                                    widgets.HTML("<b>Participants</b>"), self.people, self.colleagues])
        self.widget.add_class("pmkit-participants")
        self.draw_soon()

    def refresh(self) -> None:
        session = self.ctx.session()
        titles = {g.id: g.title for g in session.goals}
        rows = []
        for d in side_divisions(self.store, self.session_id):
            ratings = "; ".join(f"{r.name}: {r.importance} {r.stance}" for r in d.ratings)
            flag = "not united" if d.not_united else ""
            rows.append((titles.get(d.goal_id, d.goal_id), session.party_name(d.party), ratings,
                         "-" if d.spread is None else d.spread, flag))
        self.spread.value = html_table(("goal", "side", "each person's rating", "spread", ""), rows,
                                       empty="No participant has rated a goal yet.")
        people = self.store.participants(self.session_id)
        self.people.value = html_table(("id", "side", "name", "weight"),
                                       [(p.participant_id, session.party_name(p.party), p.name, number(p.weight))
                                        for p in people],
                                       empty="No participants: each side is one voice (`pmkit participants "
                                             "SESSION --add NAME --party PARTY`).")
        self.show(self.colleagues, "show_colleagues", self.store.show_colleagues(self.session_id))

    def _save_colleagues(self, value: Any) -> None:
        authorize_facilitator(self.role, "change who sees colleagues' ratings")
        self.store.set_show_colleagues(self.session_id, bool(value), role=self.role)
        self.ctx.changed("who sees colleagues' ratings")

