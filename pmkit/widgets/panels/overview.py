"""The board's read-only panels: the overview (alignment, overlap chart, common ground,
conflicts, blind spots) and "whom to please" (the weight slider and the ranking it gives).

Both redraw from the role's own view of the session and skip the drawing when nothing
they show has changed (an agreement recorded elsewhere does not redraw the charts).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from pmkit.analytics.overlap import ranking
from pmkit.charts.board import OverlapRenderer, alignment_gauge, numbered_goals, weight_chart
from pmkit.charts.style import to_png
from pmkit.model import Session
from pmkit.widgets.context import BoardContext
from pmkit.widgets.edge import esc, guarded
from pmkit.widgets.panels.base import PanelBase

__all__ = ["OverviewPanel", "WeightPanel"]

_LIST_LIMIT = 8


def _items(title: str, lines: list[str], total: int, css: str) -> str:
    body = "".join(f"<li>{line}</li>" for line in lines[:_LIST_LIMIT]) or "<li>none</li>"
    more = f'<p class="pmkit-more">+{total - _LIST_LIMIT} more</p>' if total > _LIST_LIMIT else ""
    return (
        f'<div class="pmkit-list {css}" style="flex: 1 1 16em; min-width: 0">'
        f"<h4>{esc(title)} ({total})</h4><ol>{body}</ol>{more}</div>"
    )


class OverviewPanel(PanelBase):
    """Alignment gauge, the overlap chart with its numbered key, and the three lists."""

    def __init__(self, context: BoardContext) -> None:
        super().__init__(context)
        self.chart = widgets.Image(
            format="png",
            layout=widgets.Layout(width="100%", max_width="760px", height="auto", object_fit="contain"),
        )
        self.chart.add_class("pmkit-overlap-chart")
        self.key = widgets.HTML()
        self.key.add_class("pmkit-overlap-key")
        self.gauge = widgets.Image(format="png", layout=widgets.Layout(width="190px"))
        self.gauge.add_class("pmkit-alignment-gauge")
        self.summary = widgets.HTML()
        self.lists = widgets.HTML()
        self.lists.add_class("pmkit-ground")
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.gauge, self.summary], layout=widgets.Layout(align_items="center")),
                self.chart,
                self.key,
                self.lists,
            ]
        )
        self.widget.add_class("pmkit-overview")
        self._drawn: Any = None
        self._gauge_for: Any = ()
        self._renderer = OverlapRenderer(theme=self.ctx.theme, presenter=self.ctx.presenter, key=False)
        self.refresh()

    def refresh(self) -> None:
        if len(self.ctx.session().parties) < 2:
            self.summary.value = "<p>The overview compares two parties; this session has one.</p>"
            self.key.value = self.lists.value = ""
            self._drawn = None
            return
        ov = self.ctx.overview()
        names = self.ctx.names()
        state = (ov, tuple(names.items()), self.ctx.theme, self.ctx.presenter)
        if state == self._drawn:
            return
        theme, presenter = self.ctx.theme, self.ctx.presenter
        # the chart first: it is what everyone in the room is looking at
        self.chart.value = self._renderer.png(ov, names)
        chosen = numbered_goals(ov, presenter=presenter)
        self.key.value = (
            '<p class="pmkit-muted">most important (numbered on the chart)</p>'
            '<ol style="columns: 2 16em; column-gap: 2em; margin-top: 0">'
            + "".join(f"<li>{esc(p.title)}</li>" for p in chosen)
            + "</ol>"
            if chosen
            else ""
        )
        if self._gauge_for != (ov.alignment, theme, presenter):
            self.gauge.value = to_png(alignment_gauge(ov.alignment, theme=theme, presenter=presenter))
            self._gauge_for = (ov.alignment, theme, presenter)
        a, b = ov.pair
        counts = ", ".join(f"{esc(q)}: {n}" for q, n in ov.quadrant_counts)
        score = "n/a" if ov.alignment is None else f"{ov.alignment:.0f} / 100"
        self.summary.value = (
            f"<div><b>Alignment {esc(score)}</b> across {len(ov.points)} goals "
            f"({esc(names.get(a, a))} and {esc(names.get(b, b))})<br>"
            f'<span class="pmkit-muted">{counts}</span></div>'
        )
        common = [
            f"{esc(p.title)} <span class=pmkit-muted>({(p.importance_a or 0) + (p.importance_b or 0)})</span>"
            for p in ov.common_ground
        ]
        conflicts = [
            f"{esc(c.title)} <span class=pmkit-muted>— {esc(names.get(c.party_a, c.party_a))} "
            f"{esc(c.stance_a)}s ({c.importance_a}), {esc(names.get(c.party_b, c.party_b))} "
            f"{esc(c.stance_b)}s ({c.importance_b})</span>"
            for c in ov.conflicts
        ]
        blind = [
            f"{esc(s.title)} <span class=pmkit-muted>— not rated by "
            f"{esc(', '.join(names.get(p, p) for p in s.unrated_by))}</span>"
            for s in ov.blind_spots
        ]
        self.lists.value = (
            '<div class="pmkit-columns" style="display: flex; flex-wrap: wrap; gap: 0 1.5em">'
            + _items("Common ground", common, len(common), "pmkit-common")
            + _items("Conflicts", conflicts, len(conflicts), "pmkit-conflicts")
            + _items("Blind spots", blind, len(blind), "pmkit-blind-spots")
            + "</div>"
        )
        self._drawn = state


def _ranking_inputs(session: Session) -> tuple[Any, ...]:
    return tuple(
        (g.id, g.title, g.raised_by, tuple(sorted((p, r.importance) for p, r in g.ratings.items())))
        for g in session.goals
    )


class WeightPanel(PanelBase):
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
            description="Weight",
            layout=widgets.Layout(width="28em"),
        )
        self.slider.add_class("pmkit-weight")
        self.ends = widgets.HTML()
        self.ranking = widgets.HTML()
        self.ranking.add_class("pmkit-ranking")
        self.chart = widgets.Image(format="png", layout=widgets.Layout(width="100%", max_width="820px"))
        self.chart.add_class("pmkit-weight-chart")
        self.widget = widgets.VBox([self.slider, self.ends, self.ranking, self.chart])
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
            self.ranking.value = "<p>Whom to please needs two parties.</p>"
            self._drawn = state
            return
        a, b = session.party_ids[:2]
        name_a, name_b = session.party_name(a), session.party_name(b)
        self.slider.description = "Weight on"
        self.ends.value = f"<span class=pmkit-muted>0 = all on {esc(name_b)}; 1 = all on {esc(name_a)}</span>"
        ranked = ranking(session, weight)
        rows = "".join(f"<li>{esc(g.title)}</li>" for g in ranked[:10])  # no scores: plain ranks
        self.ranking.value = (
            f"<h4>Ranking with weight {weight:.2f} on {esc(name_a)}</h4><ol>{rows or '<li>no goals yet</li>'}</ol>"
        )
        fig = weight_chart(session, weight=weight, theme=self.ctx.theme, presenter=self.ctx.presenter)
        self.chart.value = to_png(fig)
        self._drawn = state
