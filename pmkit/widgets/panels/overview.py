"""The board's read-only panels: the overview (alignment, overlap chart, common ground,
conflicts, blind spots) and "whom to please" (the weight slider and the ranking it gives).

Both redraw from the role's own view of the session and skip the drawing when nothing
they show has changed (an agreement recorded elsewhere does not redraw the charts).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from pmkit.analytics.overlap import ranking
from pmkit.charts.alt import alignment_alt, overlap_alt, weight_alt
from pmkit.charts.board import OverlapRenderer, alignment_gauge, numbered_goals, weight_chart
from pmkit.charts.style import SCREEN_COMPRESS, to_png
from pmkit.model import Session
from pmkit.text import shorten
from pmkit.widgets.context import BoardContext
from pmkit.widgets.edge import esc, guarded
from pmkit.widgets.look import LIST, MUTED, chart_image, heading, show_chart
from pmkit.widgets.panels.base import PanelBase

__all__ = ["OverviewPanel", "WeightPanel"]

_LIST_LIMIT = 8


def _items(title: str, lines: list[str], total: int, css: str) -> str:
    body = "".join(f"<li>{line}</li>" for line in lines[:_LIST_LIMIT])
    listed = f"<ol>{body}</ol>" if body else f'<p class="{MUTED}">none</p>'
    more = f'<p class="pmkit-more {MUTED}">+{total - _LIST_LIMIT} more</p>' if total > _LIST_LIMIT else ""
    return f'<div class="{LIST} {css}">{heading(f"{title} ({total})")}{listed}{more}</div>'


class OverviewPanel(PanelBase):
    """Alignment gauge, the overlap chart with its numbered key, and the three lists."""

    def __init__(self, context: BoardContext) -> None:
        super().__init__(context)
        self.chart = chart_image("pmkit-overlap-chart")
        self.key = widgets.HTML()
        self.key.add_class("pmkit-overlap-key")
        self.gauge = chart_image("pmkit-alignment-gauge")
        self.summary = widgets.HTML()
        self.summary.add_class("pmkit-summary-text")
        self.lists = widgets.HTML()
        self.lists.add_class("pmkit-ground")
        headline = widgets.HBox([self.gauge, self.summary])
        headline.add_class("pmkit-summary")
        self.widget = widgets.Box([headline, self.chart, self.key, self.lists])
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
        show_chart(self.chart, self._renderer.png(ov, names), overlap_alt(ov, names))
        chosen = numbered_goals(ov, presenter=presenter)
        self.key.value = (
            heading("Most important goals (numbered on the chart)")
            + "<ol>"
            + "".join(f"<li>{esc(p.title)}</li>" for p in chosen)
            + "</ol>"
            if chosen
            else ""
        )
        shown = None if ov.alignment is None else round(ov.alignment)  # the gauge prints a whole number
        if self._gauge_for != (shown, theme, presenter):
            gauge = alignment_gauge(None if shown is None else float(shown), theme=theme, presenter=presenter)
            show_chart(self.gauge, to_png(gauge, compress=SCREEN_COMPRESS), alignment_alt(shown))
            self._gauge_for = (shown, theme, presenter)
        a, b = ov.pair
        counts = ", ".join(f"{esc(q)}: {n}" for q, n in ov.quadrant_counts)
        score = "n/a" if ov.alignment is None else f"{ov.alignment:.0f} / 100"
        self.summary.value = (
            f'<p class="pmkit-headline"><b>Alignment {esc(score)}</b> across {len(ov.points)} goals '
            f"({esc(names.get(a, a))} and {esc(names.get(b, b))})</p>"
            f'<p class="{MUTED}">{counts}</p>'
        )
        common = [
            f"{esc(p.title)} <span class='pmkit-muted'>({(p.importance_a or 0) + (p.importance_b or 0)})</span>"
            for p in ov.common_ground
        ]
        conflicts = [
            f"{esc(c.title)} <span class='pmkit-muted'>— {esc(names.get(c.party_a, c.party_a))} "
            f"{esc(c.stance_a)}s ({c.importance_a}), {esc(names.get(c.party_b, c.party_b))} "
            f"{esc(c.stance_b)}s ({c.importance_b})</span>"
            for c in ov.conflicts
        ]
        blind = [
            f"{esc(s.title)} <span class='pmkit-muted'>— not rated by "
            f"{esc(', '.join(names.get(p, p) for p in s.unrated_by))}</span>"
            for s in ov.blind_spots
        ]
        self.lists.value = (
            '<div class="pmkit-columns">'
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
        self.chart = chart_image("pmkit-weight-chart", max_width="860px")
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
        self.slider.description = f"Weight on {shorten(name_a, 40)}"
        self.ends.value = f"<p class='{MUTED}'>0 = all on {esc(name_b)}; 1 = all on {esc(name_a)}</p>"
        ranked = ranking(session, weight)
        rows = "".join(f"<li>{esc(g.title)}</li>" for g in ranked[:10])  # no scores: plain ranks
        self.ranking.value = heading(f"Ranking with weight {weight:.2f} on {name_a}") + (
            f"<ol>{rows}</ol>" if rows else f"<p class='{MUTED}'>no goals yet</p>"
        )
        fig = weight_chart(session, weight=weight, theme=self.ctx.theme, presenter=self.ctx.presenter)
        alt = weight_alt(ranked, ranking(session, 1.0), ranking(session, 0.0), (name_a, name_b), weight)
        show_chart(self.chart, to_png(fig, compress=SCREEN_COMPRESS), alt)
        self._drawn = state
