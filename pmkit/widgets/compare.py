"""Several sessions side by side (for the analysis notebook): one overlap chart per session
with its headline numbers, in a grid."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets

from pmkit.analytics.overlap import analyze
from pmkit.charts.board import overlap_chart
from pmkit.charts.style import to_png
from pmkit.i18n import _, ngettext
from pmkit.model import Session
from pmkit.text import alignment, count
from pmkit.widgets.edge import esc

__all__ = ["side_by_side"]


def side_by_side(sessions: Sequence[tuple[str, Session]], *, columns: int = 2, theme: str = "light") -> widgets.GridBox:
    """A grid with each session's title, alignment and overlap chart (key left out)."""
    cells: list[widgets.Widget] = []
    for sid, session in sessions:
        if len(session.parties) < 2:
            continue
        ov = analyze(session)
        names = {p.id: p.name for p in session.parties}
        score = alignment(ov.alignment)
        facts = " · ".join((
            _("alignment {score}").format(score=score),
            ngettext("{n} conflict", "{n} conflicts", len(ov.conflicts)).format(n=count(len(ov.conflicts))),
            _("{n} common ground").format(n=count(len(ov.common_ground))),
        ))
        head = widgets.HTML(f"<b>{esc(session.title)}</b><br><span>{esc(sid)} · {esc(facts)}</span>")
        chart = widgets.Image(
            value=to_png(overlap_chart(ov, theme=theme, names=names, key=False)),
            format="png",
            layout=widgets.Layout(width="100%"),
        )
        cells.append(widgets.VBox([head, chart]))
    grid = widgets.GridBox(cells, layout=widgets.Layout(grid_template_columns=f"repeat({columns}, 1fr)"))
    grid.add_class("pmkit-side-by-side")
    return grid
