"""The meeting board's charts: overlap, common ground and conflicts, alignment, whom to please.

The overlap chart lives here; :mod:`pmkit.charts.ground` (ground list, alignment gauge)
and :mod:`pmkit.charts.whom_to_please` (whom to please) are re-exported, so every board chart
imports from this module. Pure functions from :mod:`pmkit.analytics.overlap` results to
:class:`matplotlib.figure.Figure` (no pyplot, no global state). Text from a session is
drawn literally (``parse_math=False``): a ``$`` in a title never turns into mathematics.
Meaning never rests on colour alone: markers and legends carry it too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Annotation, Text

from pmkit.analytics.overlap import HIGH, LOW_PRIORITY, SHARED, GoalPoint, Overview, driven
from pmkit.charts.ground import alignment_gauge, ground_chart
from pmkit.charts.layout import CATEGORIES as _CATEGORIES
from pmkit.charts.layout import goal_overlap_title, numbered_goals, quadrant_label, stance_category
from pmkit.charts.layout import spread as _spread
from pmkit.charts.style import PALETTE, Style, new_figure, rgba_to_png, style
from pmkit.charts.text import draw_text, literal_text, party_label
from pmkit.charts.whom_to_please import weight_chart
from pmkit.i18n import _, current
from pmkit.text import shorten

__all__ = [
    "OverlapRenderer",
    "alignment_gauge",
    "ground_chart",
    "numbered_goals",
    "overlap_chart",
    "shorten",
    "stance_category",
    "weight_chart",
]

def overlap_chart(
    overview: Overview,
    *,
    theme: str = "light",
    presenter: bool = False,
    names: Mapping[str, str] | None = None,
    labels: int | None = None,
    key: bool = True,
) -> Figure:
    """Every goal by its importance to the pair (x: first party, y: second party).

    Marker and colour say whether the two stances agree, are opposed, or are unknown;
    quadrants (threshold :data:`~pmkit.analytics.overlap.HIGH`) are shaded and labelled with their
    counts. The most important goals (:func:`numbered_goals`) are numbered on the chart and
    named in a key beside it, so 200 goals stay readable. ``key=False`` leaves the key out
    (for a page that lists the numbered goals as text next to the picture).
    """
    frame = _Frame(overview.pair, style(theme, presenter), names, key)
    frame.draw(overview, labels)
    return frame.fig


class _Frame:
    """The parts of the overlap chart that depend only on the pair, the names and the style
    (axes, quadrant shading, ticks, axis labels); :meth:`draw` adds the goals."""

    def __init__(self, pair: tuple[str, str], st: Style, names: Mapping[str, str] | None, key: bool) -> None:
        self.st, self.pair, self.key, self.names = st, pair, key, names
        fig, ax = new_figure(st, 8.2 if key else 7.6, 5.2)
        # Fixed layout and no layout engine at all: savefig then draws once, not twice (a
        # placeholder engine, which "none" leaves behind, still asks for a layout draw).
        fig.set_layout_engine(None)
        width, height = fig.get_size_inches()
        left = (st.font * 3.0 / 72 + 0.15) / width
        self.bottom = (st.font * 3.2 / 72 + 0.1) / height
        top_margin = (st.title * 2.0 / 72 + 0.05) / height
        self.side = 1.0 - self.bottom - top_margin  # square plot: equal height and width in inches
        ax.set_position((left, self.bottom, self.side * height / width, self.side))
        self.key_left = left + self.side * height / width + 0.03  # legend and key: figure text
        self.fig, self.ax = fig, ax
        self.added: list[Artist] = []
        self._shape: object = None
        self._quad_texts: list[Text] = []
        self._dots: list[PathCollection] = []
        self._numbers: list[Annotation] = []
        self._legend_texts: list[Text] = []

        a, b = pair
        lo, hi, cut = -1.0, 6.0, HIGH - 0.5
        self.quads = (
            (cut, cut, hi, hi, SHARED, PALETTE["agree"], "right", "top"),
            (cut, lo, hi, cut, driven(a), PALETTE["customer"], "right", "bottom"),
            (lo, cut, cut, hi, driven(b), PALETTE["management"], "left", "top"),
            (lo, lo, cut, cut, LOW_PRIORITY, st.muted, "left", "bottom"),
        )
        shade = 0.16 if st.theme == "dark" else 0.09
        for x0, y0, x1, y1, _quad, colour, _ha, _va in self.quads:
            ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor=colour, alpha=shade, lw=0, zorder=0))
        ax.axvline(cut, color=st.grid, lw=1.2, zorder=1)
        ax.axhline(cut, color=st.grid, lw=1.2, zorder=1)
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
        ax.set_xticks(range(6))  # 0-5; the margins hold the quadrant labels
        ax.set_yticks(range(6))
        ax.set_aspect("equal", adjustable="box")
        ax.set_xlabel(_("importance to {party}").format(party=shorten(party_label(names, a), 40)), parse_math=False)
        ax.set_ylabel(_("importance to {party}").format(party=shorten(party_label(names, b), 40)), parse_math=False)
        self.title = ax.set_title("", parse_math=False, loc="left", color=st.fg, fontsize=st.title)
        ax.grid(False)

    def draw(self, overview: Overview, labels: int | None) -> None:
        """Put ``overview``'s goals on the frame, replacing what the last call drew.

        When the chart keeps its shape (the same stance categories, as many numbered goals,
        no key), the artists of the last call are moved and relabelled instead of made anew:
        the same picture, drawn without rebuilding a legend and four collections."""
        st = self.st
        counts = dict(overview.quadrant_counts)
        quad_labels = [f"{shorten(quadrant_label(quad, self.pair, self.names), 30)} ({counts.get(quad, 0)})"
                       for *_r, quad, _c, _h, _v in self.quads]
        points = overview.points
        xy, outward = _spread(points)
        size = (70.0 if st.presenter else 42.0) * (0.6 if len(points) > 60 else 1.0)
        cats = [stance_category(p) for p in points]
        groups = [(cat, idx) for cat in _CATEGORIES if (idx := [i for i, c in enumerate(cats) if c == cat])]
        index = {p.goal_id: i for i, p in enumerate(points)}
        chosen = [index[p.goal_id] for p in numbered_goals(overview, labels, presenter=st.presenter)]
        shape = (tuple(cat for cat, _ in groups), len(chosen), bool(points), size)
        self.title.set_text(goal_overlap_title(len(points)))
        if self.added and not self.key and shape == self._shape:
            for text, label in zip(self._quad_texts, quad_labels, strict=True):
                text.set_text(label)
            for (cat, idx), dots, text in zip(groups, self._dots, self._legend_texts, strict=True):
                dots.set_offsets(xy[idx])
                dots.set_sizes([size])
                dots.set_label(f"{_(_CATEGORIES[cat][0])} ({len(idx)})")
                text.set_text(dots.get_label())
            for number, i in zip(self._numbers, chosen, strict=True):
                number.xy = (float(xy[i, 0]), float(xy[i, 1]))
                number.xyann = tuple(outward[i] * (st.small * 0.8))
            return
        self._shape = shape
        self._rebuild(quad_labels, points, xy, outward, size, groups, chosen)

    def _rebuild(
        self,
        quad_labels: list[str],
        points: Sequence[GoalPoint],
        xy: np.ndarray,
        outward: np.ndarray,
        size: float,
        groups: list[tuple[str, list[int]]],
        chosen: list[int],
    ) -> None:
        for artist in self.added:
            artist.remove()
        self.added = []
        st, ax, fig = self.st, self.ax, self.fig
        pad = 0.08
        self._quad_texts = [
            draw_text(
                ax,
                (x1 - pad) if ha == "right" else (x0 + pad),
                (y1 - pad) if va == "top" else (y0 + pad),
                label,
                ha=ha,
                va=va,
                fontsize=st.small,
                color=st.muted,
                zorder=1,
                fontstyle="italic",
            )
            for (x0, y0, x1, y1, _quad, _colour, ha, va), label in zip(self.quads, quad_labels, strict=True)
        ]
        self.added += self._quad_texts
        self._dots = []
        for cat, idx in groups:
            label, colour_key, marker, filled = _CATEGORIES[cat]
            colour = PALETTE[colour_key]
            self._dots.append(
                ax.scatter(
                    xy[idx, 0],
                    xy[idx, 1],
                    s=size,
                    marker=marker,
                    facecolors=colour if filled else "none",
                    edgecolors=st.bg if filled else colour,
                    linewidths=0.6 if filled else 1.4,
                    zorder=3,
                    label=f"{_(label)} ({len(idx)})",
                    gid=cat,
                )
            )
        self.added += self._dots
        self._numbers = []
        for n, i in enumerate(chosen, start=1):
            dx, dy = outward[i] * (st.small * 0.8)
            self._numbers.append(
                ax.annotate(
                    str(n),
                    xy[i],
                    xytext=(dx, dy),
                    textcoords="offset points",
                    fontsize=st.small,
                    fontweight="bold",
                    color=st.fg,
                    zorder=4,
                    ha="center",
                    va="center",
                )
            )
        self.added += self._numbers
        self._legend_texts = []
        handles, hlabels = ax.get_legend_handles_labels()
        if handles:
            legend = fig.legend(
                handles,
                hlabels,
                loc="upper left",
                bbox_to_anchor=(self.key_left, self.bottom + self.side),
                fontsize=st.small,
                frameon=False,
                labelcolor=st.fg,
                title=_("stances"),
                title_fontsize=st.small,
            )
            legend.get_title().set_color(st.muted)
            self._legend_texts = list(legend.get_texts())
            self.added.append(legend)
        if self.key:
            top = self.bottom + self.side * (0.7 if handles else 1.0)
            self.added += _draw_key(
                fig,
                [points[i] for i in chosen],
                st,
                x=self.key_left + 0.01,
                top=top,
                bottom=self.bottom,
                span=self.side,
            )
        if not points:
            self.added.append(
                draw_text(ax, 2.5, 2.5, _("no goals yet"), ha="center", va="center", color=st.muted, fontsize=st.font)
            )


class OverlapRenderer:
    """The overlap chart as PNG bytes, again and again (the board redraws on every change).

    Keeps one figure and its canvas while the pair, the names and the style stay the same:
    the frame (axes, shading, ticks, axis labels) is drawn once and kept as pixels, and each
    call restores those pixels and draws only the goals, counts, title and legend on them
    (matplotlib's blitting). The picture is the one :func:`overlap_chart` draws for the same
    overview; it is encoded for the screen (:data:`~pmkit.charts.style.SCREEN_COMPRESS`).
    """

    def __init__(
        self, *, theme: str = "light", presenter: bool = False, key: bool = False, labels: int | None = None
    ) -> None:
        self.st = style(theme, presenter)
        self.key, self.labels = key, labels
        self._frame: _Frame | None = None
        self._canvas: FigureCanvasAgg | None = None
        self._background: object = None
        self._for: object = None

    def png(self, overview: Overview, names: Mapping[str, str] | None = None) -> bytes:
        wanted = (overview.pair, tuple(sorted((names or {}).items())), current())  # the frame has words
        if self._frame is None or self._canvas is None or self._for != wanted:
            self._frame = _Frame(overview.pair, self.st, names, self.key)
            self._canvas = FigureCanvasAgg(self._frame.fig)  # its own canvas keeps its renderer's caches
            with literal_text():
                self._canvas.draw()  # the frame alone: the goals are not added yet
            self._background = self._canvas.copy_from_bbox(self._frame.fig.bbox)
            self._for = wanted
        frame, canvas = self._frame, self._canvas
        frame.draw(overview, self.labels)
        canvas.restore_region(self._background)
        renderer = canvas.get_renderer()
        with literal_text():
            for artist in sorted([*frame.added, frame.title], key=lambda a: a.get_zorder()):
                for text in artist.findobj(Text):
                    text.set_parse_math(False)
                artist.draw(renderer)
        return rgba_to_png(canvas.buffer_rgba(), canvas.get_width_height())


def _draw_key(
    fig: Figure, chosen: Sequence[GoalPoint], st: Style, *, x: float, top: float, bottom: float, span: float
) -> list[Artist]:
    """The numbered goals as figure text beside the plot (figure coordinates)."""
    if not chosen:
        return []
    out: list[Artist] = [
        fig.text(x, top, _("most important"), color=st.muted, fontsize=st.small, va="top", parse_math=False)
    ]
    step = min((0.1 if st.presenter else 0.075) * span, (top - bottom) / (len(chosen) + 1))
    width = 30 if st.presenter else 42
    for n, p in enumerate(chosen, start=1):
        out.append(
            fig.text(
                x,
                top - step * n,
                f"{n}  {shorten(p.title, width)}",
                color=st.fg,
                fontsize=st.small,
                va="top",
                parse_math=False,
            )
        )
    return out
