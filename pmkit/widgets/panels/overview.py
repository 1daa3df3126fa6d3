"""The board's overview, always in view: the alignment gauge, "since last meeting" for a
follow-up (:mod:`pmkit.widgets.since_last`), the overlap chart with its numbered key, common
ground, conflicts and blind spots.

It redraws from the role's own view of the session and skips the drawing when nothing it
shows has changed (an agreement recorded elsewhere does not redraw the charts). Its charts
are SVG made without matplotlib (:mod:`pmkit.charts.svg`): quick on every change, and a
page that opens no tab with a matplotlib chart never loads matplotlib.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from pmkit.analytics.overlap import LOW_PRIORITY, SHARED
from pmkit.charts.alt import alignment_alt, overlap_alt
from pmkit.charts.layout import numbered_goals
from pmkit.charts.svg import gauge_svg, overlap_svg
from pmkit.i18n import N_, _, ngettext
from pmkit.text import alignment, count, rounded
from pmkit.views.series import since_last
from pmkit.widgets.context import BoardContext
from pmkit.widgets.edge import esc
from pmkit.widgets.look import LIST, MUTED, chart_image, heading, show_chart
from pmkit.widgets.panels.base import PanelBase
from pmkit.widgets.since_last import since_last_html

__all__ = ["OverviewPanel"]

_LIST_LIMIT = 8


_QUADRANTS = {SHARED: N_("shared priority"), LOW_PRIORITY: N_("low priority")}
# a conflict's two sides, in words: "Alder Logistics supports (5)"
_SIDES = {"support": N_("{party} supports ({importance})"), "oppose": N_("{party} opposes ({importance})"),
          "neutral": N_("{party} is neutral ({importance})")}


def _quadrant(name: str, pair: tuple[str, str]) -> str:
    """A quadrant of the overlap chart, in words (a party's own one named by its id, as on the chart)."""
    for party in pair:
        if name == f"{party}-driven":
            return _("{party}-driven").format(party=party)
    return _(_QUADRANTS[name]) if name in _QUADRANTS else name


def _side(party: str, stance: str, importance: object) -> str:
    return _(_SIDES.get(stance, "{party} {stance}s ({importance})")).format(
        party=party, stance=stance, importance=importance)


def _items(title: str, lines: list[str], total: int, css: str) -> str:
    body = "".join(f"<li>{line}</li>" for line in lines[:_LIST_LIMIT])
    none, rest = _("none"), _("+{n} more").format(n=count(total - _LIST_LIMIT))
    listed = f"<ol>{body}</ol>" if body else f'<p class="{MUTED}">{esc(none)}</p>'
    more = f'<p class="pmkit-more {MUTED}">{esc(rest)}</p>' if total > _LIST_LIMIT else ""
    return f'<div class="{LIST} {css}">{heading(f"{title} ({count(total)})")}{listed}{more}</div>'


class OverviewPanel(PanelBase):
    """Alignment gauge, the overlap chart with its numbered key, and the three lists."""

    def __init__(self, context: BoardContext) -> None:
        super().__init__(context)
        self.chart = chart_image("pmkit-overlap-chart", format="svg+xml")
        self.key = widgets.HTML()
        self.key.add_class("pmkit-overlap-key")
        self.gauge = chart_image("pmkit-alignment-gauge", format="svg+xml")
        self.summary = widgets.HTML()
        self.summary.add_class("pmkit-summary-text")
        self.lists = widgets.HTML()
        self.lists.add_class("pmkit-ground")
        self.since = widgets.HTML()
        self.since.add_class("pmkit-since")
        self._since_for: Any = None
        headline = widgets.HBox([self.gauge, self.summary])
        headline.add_class("pmkit-summary")
        self.widget = widgets.Box([headline, self.since, self.chart, self.key, self.lists])
        self.widget.add_class("pmkit-overview")
        self._drawn: Any = None
        self._gauge_for: Any = ()
        self.refresh()

    def refresh(self) -> None:
        self._since()
        if len(self.ctx.session().parties) < 2:
            self.summary.value = "<p>" + esc(_("The overview compares two parties; this session has one.")) + "</p>"
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
        show_chart(self.chart, overlap_svg(ov, names, theme=theme, presenter=presenter), overlap_alt(ov, names))
        chosen = numbered_goals(ov, presenter=presenter)
        self.key.value = (
            heading(_("Most important goals (numbered on the chart)"))
            + "<ol>"
            + "".join(f"<li>{esc(p.title)}</li>" for p in chosen)
            + "</ol>"
            if chosen
            else ""
        )
        shown = None if ov.alignment is None else float(rounded(ov.alignment))  # the gauge prints a whole number
        if self._gauge_for != (shown, theme, presenter):
            gauge = gauge_svg(None if shown is None else float(shown), theme=theme, presenter=presenter)
            show_chart(self.gauge, gauge, alignment_alt(shown))
            self._gauge_for = (shown, theme, presenter)
        a, b = ov.pair
        counts = ", ".join(f"{esc(_quadrant(q, ov.pair))}: {count(n)}" for q, n in ov.quadrant_counts)
        score = alignment(None) if ov.alignment is None else f"{alignment(ov.alignment)} / 100"
        headline = _("{alignment} across {goals} ({a} and {b})").format(
            alignment="<b>" + esc(_("Alignment {score}").format(score=score)) + "</b>",
            goals=esc(ngettext("{n} goal", "{n} goals", len(ov.points)).format(n=count(len(ov.points)))),
            a=esc(names.get(a, a)), b=esc(names.get(b, b)))
        self.summary.value = f'<p class="pmkit-headline">{headline}</p><p class="{MUTED}">{counts}</p>'
        common = [
            f"{esc(p.title)} <span class='pmkit-muted'>({(p.importance_a or 0) + (p.importance_b or 0)})</span>"
            for p in ov.common_ground
        ]
        conflicts = [
            f"{esc(c.title)} <span class='pmkit-muted'>— "
            f"{esc(_side(names.get(c.party_a, c.party_a), c.stance_a, c.importance_a))}, "
            f"{esc(_side(names.get(c.party_b, c.party_b), c.stance_b, c.importance_b))}</span>"
            for c in ov.conflicts
        ]
        not_rated = _("not rated by {parties}")
        blind = [
            f"{esc(s.title)} <span class='pmkit-muted'>— "
            f"{esc(not_rated.format(parties=', '.join(names.get(p, p) for p in s.unrated_by)))}</span>"
            for s in ov.blind_spots
        ]
        self.lists.value = (
            '<div class="pmkit-columns">'
            + _items(_("Common ground"), common, len(common), "pmkit-common")
            + _items(_("Conflicts"), conflicts, len(conflicts), "pmkit-conflicts")
            + _items(_("Blind spots"), blind, len(blind), "pmkit-blind-spots")
            + "</div>"
        )
        self._drawn = state

    def _since(self) -> None:
        """"Since last meeting", for a follow-up (both meetings read as this page's role)."""
        version = self.ctx.version()
        if self._since_for == version:
            return
        found = since_last(self.store, self.session_id, self.role, participant=self.ctx.participant)
        html = since_last_html(found, self.ctx.names())
        if self.since.value != html:
            self.since.value = html
        self._since_for = version
