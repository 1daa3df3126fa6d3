"""Whom to please: a slider for the weight on the first party, the ranking it gives and how
the ranking moves across all weights. The weight is this page's view only; the panel
redraws from the role's own view of the session, and only when what it shows changed.
Option issues come after the goals: the option the weight favours on each, and the weights at
which that changes (:func:`pmkit.analytics.whom_to_please.option_sensitivity`); a party's view
holds only its own scores, so there it says that only the facilitator sees both sides'.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from pmkit.analytics.overlap import ranking
from pmkit.analytics.whom_to_please import OptionWhom, option_sensitivity
from pmkit.charts.alt import weight_alt
from pmkit.charts.style import SCREEN_COMPRESS, to_png
from pmkit.charts.whom_to_please import weight_chart
from pmkit.i18n import _
from pmkit.model import OptionIssue, Session
from pmkit.text import priority, share, shorten
from pmkit.widgets.context import BoardContext
from pmkit.widgets.edge import esc, guarded
from pmkit.widgets.look import MUTED, chart_image, heading, show_chart
from pmkit.widgets.panels.base import PanelBase

__all__ = ["WhomToPleasePanel"]


def _ranking_inputs(session: Session) -> tuple[Any, ...]:
    return tuple(
        (g.id, g.title, g.raised_by, tuple(sorted((p, r.importance) for p, r in g.ratings.items())))
        for g in session.goals
    ) + tuple((i.id, i.model_dump_json()) for i in session.option_issues)


def options_html(whom: tuple[OptionWhom, ...], issues: list[OptionIssue], weight: float, names: dict[str, str]) -> str:
    """Each option issue: the option the weight favours, and where that changes, in words."""
    if not whom:
        return ""
    labels = {i.id: {o.id: o.label for o in i.options} for i in issues}
    rows = []
    for o in whom:
        label = labels[o.issue_id]
        if o.missing:
            needs = _("needs the scores of {parties} (only the facilitator sees both sides' scores)").format(
                parties=", ".join(names.get(p, p) for p in o.missing))
            rows.append(f"<li><b>{esc(o.title)}</b>: {esc(needs)}</li>")
            continue
        moves = "; ".join(esc(_("{option} from {low} to {high}").format(option=label[s.option], low=share(s.low),
                                                                          high=share(s.high))) for s in o.segments)
        note = " " + _("No option both can accept: every option is counted.") if o.no_common else ""
        now = f"<b>{esc(label[o.preferred_at(weight) or ''])}</b>"
        said = _("at this weight {option} (combined weight {weight}). Across the weights: {moves}.").format(
            option=now, weight=esc(priority(o.priority(weight))), moves=moves)
        rows.append(f"<li><b>{esc(o.title)}</b>: {said}{esc(note)}</li>")
    return (heading(_("Option issues: the option the weight favours"))
            + f"<ul class='pmkit-whom-options'>{''.join(rows)}</ul>")


class WhomToPleasePanel(PanelBase):
    """Whom to please: a slider for the weight on the first party, the ranking it gives and
    how the ranking moves across all weights. The weight is this page's view only."""

    def __init__(self, context: BoardContext) -> None:
        super().__init__(context)
        self.slider = widgets.FloatSlider(
            value=0.5,
            min=0.0,
            max=1.0,
            step=0.05,
            continuous_update=False,
            readout_format=".2f",
            description=_("Weight"),
            layout=widgets.Layout(width="28em"),
        )
        self.slider.add_class("pmkit-weight")
        self.ends = widgets.HTML()
        self.ranking = widgets.HTML()
        self.ranking.add_class("pmkit-ranking")
        self.chart = chart_image("pmkit-weight-chart", max_width="860px")
        self.options = widgets.HTML()
        self.options.add_class("pmkit-whom-options")
        self.widget = widgets.VBox([self.slider, self.ends, self.ranking, self.options, self.chart])
        self.slider.observe(self._weight_changed, names="value")
        self._drawn: Any = None
        self.draw_soon()

    @guarded
    def _weight_changed(self, change: dict[str, Any]) -> None:
        self.refresh()

    def refresh(self) -> None:
        if not self.visible:  # hidden tab: redraw when shown (the chart is the costly part)
            self._stale = True
            return
        session = self.ctx.session()
        weight = float(self.slider.value)
        state = (_ranking_inputs(session), weight, self.ctx.theme, self.ctx.presenter)
        if state == self._drawn:
            return
        if len(session.parties) < 2:
            self.ranking.value = "<p>" + esc(_("Whom to please needs two parties.")) + "</p>"
            self._drawn = state
            return
        a, b = session.party_ids[:2]
        name_a, name_b = session.party_name(a), session.party_name(b)
        self.slider.description = _("Weight on {party}").format(party=shorten(name_a, 40))
        ends = _("0 = all on {b}; 1 = all on {a}").format(a=name_a, b=name_b)
        self.ends.value = f"<p class='{MUTED}'>{esc(ends)}</p>"
        ranked = ranking(session, weight)
        rows = "".join(f"<li>{esc(g.title)}</li>" for g in ranked[:10])  # no scores: plain ranks
        self.ranking.value = heading(_("Ranking with weight {weight} on {party}").format(
            weight=share(weight), party=name_a)) + (
            f"<ol>{rows}</ol>" if rows else f"<p class='{MUTED}'>" + esc(_("no goals yet")) + "</p>"
        )
        self.options.value = options_html(option_sensitivity(session, (a, b)), session.option_issues, weight,
                                          self.ctx.names())
        fig = weight_chart(session, weight=weight, theme=self.ctx.theme, presenter=self.ctx.presenter)
        alt = weight_alt(ranked, ranking(session, 1.0), ranking(session, 0.0), (name_a, name_b), weight)
        show_chart(self.chart, to_png(fig, compress=SCREEN_COMPRESS), alt)
        self._drawn = state
