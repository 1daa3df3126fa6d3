"""The meeting board's charts: overlap, common ground and conflicts, alignment, whom to please.

Pure functions from :mod:`pmkit.analysis` results to :class:`matplotlib.figure.Figure`
(no pyplot, no global state). Text from a session is drawn literally (``parse_math=False``):
a ``$`` in a title never turns into mathematics. Meaning never rests on colour alone:
markers and legends carry it too.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle, Wedge

from ..analysis import HIGH, LOW_PRIORITY, SHARED, GoalPoint, Overview, driven, ranking
from ..model import Session
from .style import PALETTE, Style, new_figure, style

__all__ = [
    "alignment_gauge",
    "ground_chart",
    "overlap_chart",
    "shorten",
    "stance_category",
    "weight_chart",
]

# stance category -> (legend label, colour key, marker, filled)
_CATEGORIES: dict[str, tuple[str, str, str, bool]] = {
    "agree": ("same stance", "agree", "o", True),
    "conflict": ("opposed stances", "conflict", "X", True),
    "mixed": ("one neutral", "neutral", "s", True),
    "unrated": ("not rated by both", "neutral", "D", False),
}
_GOLDEN = math.pi * (3.0 - math.sqrt(5.0))


def shorten(text: str, limit: int = 42) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def stance_category(point: GoalPoint) -> str:
    """``agree``, ``conflict``, ``mixed`` (one neutral) or ``unrated`` for a goal's stances."""
    if point.stance_a is None or point.stance_b is None:
        return "unrated"
    agree = point.stances_agree
    if agree is None:
        return "mixed"
    return "agree" if agree else "conflict"


def _name(names: Mapping[str, str] | None, party: str) -> str:
    return (names or {}).get(party, party)


def _text(ax: Axes, x: float, y: float, s: str, **kw: Any) -> None:
    ax.text(x, y, s, parse_math=False, **kw)


def _spread(points: Sequence[GoalPoint]) -> tuple[np.ndarray, np.ndarray]:
    """Positions (n, 2) and outward directions (n, 2): goals sharing a cell fan out on a
    sunflower spiral around it; a label moves along the direction, away from the crowd.

    Deterministic: the same session always gives the same picture; unrated counts as 0.
    """
    xy = np.zeros((len(points), 2))
    out = np.tile([math.sqrt(0.5), math.sqrt(0.5)], (len(points), 1))
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, p in enumerate(points):
        cells[(p.importance_a or 0, p.importance_b or 0)].append(i)
    for (cx, cy), members in cells.items():
        n = len(members)
        for k, i in enumerate(members):
            if n == 1:
                xy[i] = (cx, cy)
                continue
            r = 0.36 * math.sqrt((k + 0.5) / n)
            direction = (math.cos(k * _GOLDEN), math.sin(k * _GOLDEN))
            xy[i] = (cx + r * direction[0], cy + r * direction[1])
            out[i] = direction
    return xy, out


def _importance(p: GoalPoint) -> tuple[int, int]:
    a, b = p.importance_a or 0, p.importance_b or 0
    return a + b, max(a, b)


def overlap_chart(
    overview: Overview,
    *,
    theme: str = "light",
    presenter: bool = False,
    names: Mapping[str, str] | None = None,
    labels: int | None = None,
) -> Figure:
    """Every goal by its importance to the pair (x: first party, y: second party).

    Marker and colour say whether the two stances agree, are opposed, or are unknown;
    quadrants (threshold :data:`~pmkit.analysis.HIGH`) are shaded and labelled with their
    counts. The ``labels`` most important goals (default 8, 6 in presenter mode) are
    numbered on the chart and named in a key beside it, so 200 goals stay readable.
    """
    st = style(theme, presenter)
    fig, ax = new_figure(st, 8.2, 5.2)
    ax.set_position((0.0, 0.0, 1.0, 1.0))
    gs = fig.add_gridspec(1, 2, width_ratios=(3.1, 2.0))
    ax.set_subplotspec(gs[0, 0])
    key = fig.add_subplot(gs[0, 1])
    key.set_axis_off()
    key.set_facecolor(st.bg)

    a, b = overview.pair
    name_a, name_b = _name(names, a), _name(names, b)
    lo, hi, cut = -1.0, 6.0, HIGH - 0.5
    counts = dict(overview.quadrant_counts)
    quads = (
        (cut, cut, hi, hi, SHARED, PALETTE["agree"], "right", "top"),
        (cut, lo, hi, cut, driven(a), PALETTE["customer"], "right", "bottom"),
        (lo, cut, cut, hi, driven(b), PALETTE["management"], "left", "top"),
        (lo, lo, cut, cut, LOW_PRIORITY, st.muted, "left", "bottom"),
    )
    shade = 0.16 if st.theme == "dark" else 0.09
    pad = 0.08
    for x0, y0, x1, y1, quad, colour, ha, va in quads:
        ax.add_patch(
            Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor=colour, alpha=shade, lw=0, zorder=0)
        )
        _text(
            ax,
            (x1 - pad) if ha == "right" else (x0 + pad),
            (y1 - pad) if va == "top" else (y0 + pad),
            f"{shorten(quad, 30)} ({counts.get(quad, 0)})",
            ha=ha,
            va=va,
            fontsize=st.small,
            color=st.muted,
            zorder=1,
            fontstyle="italic",
        )
    ax.axvline(cut, color=st.grid, lw=1.2, zorder=1)
    ax.axhline(cut, color=st.grid, lw=1.2, zorder=1)

    points = overview.points
    xy, outward = _spread(points)
    many = len(points) > 60
    size = (70.0 if st.presenter else 42.0) * (0.6 if many else 1.0)
    cats = [stance_category(p) for p in points]
    for cat, (label, colour_key, marker, filled) in _CATEGORIES.items():
        idx = [i for i, c in enumerate(cats) if c == cat]
        if not idx:
            continue
        colour = PALETTE[colour_key]
        ax.scatter(
            xy[idx, 0],
            xy[idx, 1],
            s=size,
            marker=marker,
            facecolors=colour if filled else "none",
            edgecolors=st.bg if filled else colour,
            linewidths=0.6 if filled else 1.4,
            zorder=3,
            label=f"{label} ({len(idx)})",
            gid=cat,
        )

    top = labels if labels is not None else (6 if st.presenter else 8)
    order = sorted(range(len(points)), key=lambda i: _importance(points[i]), reverse=True)
    chosen = [i for i in order[: max(0, top)] if _importance(points[i])[0] > 0]
    for n, i in enumerate(chosen, start=1):
        dx, dy = outward[i] * (st.small * 0.8)
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

    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_xticks(range(6))  # 0-5; the margins hold the quadrant labels
    ax.set_yticks(range(6))
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel(f"importance to {shorten(name_a, 40)}", parse_math=False)
    ax.set_ylabel(f"importance to {shorten(name_b, 40)}", parse_math=False)
    ax.set_title(
        f"Goal overlap ({len(points)} goals)",
        parse_math=False,
        loc="left",
        color=st.fg,
        fontsize=st.title,
    )
    ax.grid(False)

    handles, hlabels = ax.get_legend_handles_labels()
    if handles:
        legend = key.legend(
            handles,
            hlabels,
            loc="upper left",
            fontsize=st.small,
            frameon=False,
            labelcolor=st.fg,
            title="stances",
            title_fontsize=st.small,
        )
        legend.get_title().set_color(st.muted)
    _draw_key(key, [points[i] for i in chosen], st, start=0.70 if handles else 0.98)
    if not points:
        _text(
            ax, 2.5, 2.5, "no goals yet", ha="center", va="center", color=st.muted, fontsize=st.font
        )
    return fig


def _draw_key(key: Axes, chosen: Sequence[GoalPoint], st: Style, *, start: float) -> None:
    if not chosen:
        return
    _text(
        key,
        0.0,
        start,
        "most important",
        transform=key.transAxes,
        color=st.muted,
        fontsize=st.small,
        va="top",
    )
    step = min(0.075 if not st.presenter else 0.1, (start - 0.04) / (len(chosen) + 1))
    width = 30 if st.presenter else 44
    for n, p in enumerate(chosen, start=1):
        _text(
            key,
            0.0,
            start - step * n,
            f"{n}  {shorten(p.title, width)}",
            transform=key.transAxes,
            color=st.fg,
            fontsize=st.small,
            va="top",
        )


def ground_chart(
    overview: Overview,
    *,
    theme: str = "light",
    presenter: bool = False,
    names: Mapping[str, str] | None = None,
    top: int = 6,
) -> Figure:
    """Common ground and conflicts ranked by combined importance (with bars), then the
    blind spots; at most ``top`` rows per section, with "+n more" below."""
    st = style(theme, presenter)
    sections: list[tuple[str, str, list[tuple[float | None, str]], int]] = [
        (
            "Common ground",
            PALETTE["agree"],
            [
                (float((p.importance_a or 0) + (p.importance_b or 0)), p.title)
                for p in overview.common_ground[:top]
            ],
            len(overview.common_ground),
        ),
        (
            "Conflicts",
            PALETTE["conflict"],
            [
                (
                    float(c.severity),
                    f"{c.title} — {_name(names, c.party_a)} {c.stance_a}s, "
                    f"{_name(names, c.party_b)} {c.stance_b}s",
                )
                for c in overview.conflicts[:top]
            ],
            len(overview.conflicts),
        ),
        (
            "Blind spots",
            PALETTE["accent"],
            [
                (
                    None,
                    f"{s.title} — not rated by {', '.join(_name(names, p) for p in s.unrated_by)}",
                )
                for s in overview.blind_spots[:top]
            ],
            len(overview.blind_spots),
        ),
    ]
    lines = sum(
        1 + max(len(rows), 1) + (1 if total > len(rows) else 0) for _, _, rows, total in sections
    )
    row_in = 0.36 if st.presenter else 0.26
    fig, ax = new_figure(st, 8.0, max(2.0, lines * row_in + 0.3))
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(lines + 0.2, -0.2)
    width = 58 if st.presenter else 90
    y = 0.0
    for title, colour, rows, total in sections:
        _text(
            ax,
            0.0,
            y,
            f"{title} ({total})",
            va="center",
            fontsize=st.font,
            color=st.fg,
            fontweight="bold",
            gid=title,
        )
        y += 1
        if not rows:
            _text(ax, 0.02, y, "none", va="center", fontsize=st.small, color=st.muted)
            y += 1
        for value, text in rows:
            if value is not None:
                ax.add_patch(
                    Rectangle((0.02, y - 0.3), 0.14 * value / 10.0, 0.6, facecolor=colour, lw=0)
                )
                _text(ax, 0.17, y, f"{value:.0f}", va="center", fontsize=st.small, color=st.muted)
            else:
                _text(ax, 0.17, y, "●", va="center", fontsize=st.small, color=colour)
            _text(ax, 0.21, y, shorten(text, width), va="center", fontsize=st.small, color=st.fg)
            y += 1
        if total > len(rows):
            _text(
                ax,
                0.21,
                y,
                f"+{total - len(rows)} more",
                va="center",
                fontsize=st.small,
                color=st.muted,
            )
            y += 1
    return fig


def _gauge_colour(score: float) -> str:
    if score < 40:
        return PALETTE["conflict"]
    if score < 70:
        return PALETTE["management"]
    return PALETTE["agree"]


def alignment_gauge(
    score: float | None, *, theme: str = "light", presenter: bool = False
) -> Figure:
    """A half-dial from 0 to 100 with the score printed in its middle ("n/a" for None)."""
    st = style(theme, presenter)
    fig, ax = new_figure(st, 3.0, 1.9)
    ax.set_axis_off()
    ax.set_aspect("equal")
    ax.set_xlim(-1.15, 1.15)
    ax.set_ylim(-0.32, 1.1)
    bands = ((0, 40, "conflict"), (40, 70, "management"), (70, 100, "agree"))
    for lo, hi, key in bands:
        ax.add_patch(
            Wedge(
                (0, 0),
                1.0,
                180 - hi * 1.8,
                180 - lo * 1.8,
                width=0.28,
                facecolor=PALETTE[key],
                alpha=0.35,
                lw=0,
            )
        )
    if score is not None:
        s = min(max(float(score), 0.0), 100.0)
        ax.add_patch(
            Wedge((0, 0), 1.0, 180 - s * 1.8, 180, width=0.28, facecolor=_gauge_colour(s), lw=0)
        )
        angle = math.radians(180 - s * 1.8)
        ax.plot([0, 0.78 * math.cos(angle)], [0, 0.78 * math.sin(angle)], color=st.fg, lw=2.2)
        ax.add_patch(Wedge((0, 0), 0.06, 0, 360, facecolor=st.fg, lw=0))
        shown = f"{s:.0f}"
    else:
        shown = "n/a"
    _text(
        ax,
        0,
        0.22,
        shown,
        ha="center",
        va="bottom",
        fontsize=st.title * 1.5,
        color=st.fg,
        fontweight="bold",
    )
    _text(ax, 0, -0.08, "alignment", ha="center", va="top", fontsize=st.small, color=st.muted)
    _text(ax, -1.0, -0.08, "0", ha="center", va="top", fontsize=st.small, color=st.muted)
    _text(ax, 1.0, -0.08, "100", ha="center", va="top", fontsize=st.small, color=st.muted)
    return fig


def _party_colours(session: Session, st: Style) -> dict[str, str]:
    colours = {p: st.party_colour(i) for i, p in enumerate(session.party_ids)}
    colours.update({k: PALETTE[k] for k in ("customer", "management") if k in colours})
    return colours


def _dodge(wanted: Sequence[float], gap: float, low: float, high: float) -> list[float]:
    """Label heights near ``wanted`` (sorted high to low) at least ``gap`` apart, in range."""
    placed: list[float] = []
    for y in wanted:
        placed.append(min(y, high, placed[-1] - gap) if placed else min(y, high))
    overflow = low - placed[-1] if placed else 0.0
    if overflow > 0:
        placed = [y + overflow for y in placed]
    return placed


def weight_chart(
    session: Session,
    *,
    pair: tuple[str, str] | None = None,
    weight: float | None = None,
    top: int = 8,
    steps: int = 21,
    theme: str = "light",
    presenter: bool = False,
) -> Figure:
    """Whom to please: each goal's combined priority as the weight on the first party of
    ``pair`` goes from 0 (all on the second) to 1 (all on the first).

    Higher is ranked first (:func:`pmkit.analysis.ranking`), so where lines cross the
    ranking changes. Only goals in the top ``top`` at some weight are drawn (colour: who
    raised it); the top goals at each end are named with their rank. ``weight`` marks the
    weight currently chosen.
    """
    st = style(theme, presenter)
    fig, ax = new_figure(st, 8.6, 4.8)
    grid = np.linspace(0.0, 1.0, max(2, steps))
    rankings = [ranking(session, float(w), pair) for w in grid]  # checks the pair
    pa, pb = pair if pair is not None else (session.party_ids[0], session.party_ids[1])
    scores: dict[str, list[float]] = defaultdict(list)
    best: dict[str, int] = {}
    for r in rankings:
        for g in r:
            scores[g.goal_id].append(g.score)
            best[g.goal_id] = min(best.get(g.goal_id, g.rank), g.rank)
    shown = [gid for gid in scores if best[gid] <= top]
    goals = {g.id: g for g in session.goals}
    colours = _party_colours(session, st)
    for gid in shown:
        ax.plot(
            grid,
            scores[gid],
            color=colours.get(goals[gid].raised_by, st.muted),
            lw=1.6,
            alpha=0.75,
            gid=gid,
            solid_capstyle="round",
        )
    height_pt = fig.get_figheight() * 72 * 0.75
    gap = (st.small * 1.35) / height_pt * 5.8
    width = 24 if st.presenter else 32
    for r, x, offset, ha in ((rankings[0], 0.0, -0.06, "right"), (rankings[-1], 1.0, 0.06, "left")):
        chosen = list(r[:top])
        ys = _dodge([g.score for g in chosen], gap, -0.2, 5.2)
        for g, y in zip(chosen, ys, strict=True):
            ax.annotate(
                f"{g.rank}. {shorten(g.title, width)}",
                (x, g.score),
                xytext=(x + offset, y),
                textcoords="data",
                ha=ha,
                va="center",
                fontsize=st.small,
                color=st.fg,
                annotation_clip=False,
                parse_math=False,
            )
    if weight is not None:
        ax.axvline(float(weight), color=st.muted, lw=1.2, ls="--", gid="weight")
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.3, 5.4)
    ax.set_yticks(range(6))
    ax.tick_params(axis="y", labelleft=False, left=False)
    ax.grid(axis="y", color=st.grid, lw=0.6)
    name_a, name_b = session.party_name(pa), session.party_name(pb)
    ax.set_xticks(
        [0, 0.5, 1], [f"all {shorten(name_b, 22)}", "equal", f"all {shorten(name_a, 22)}"]
    )
    for tick in ax.get_xticklabels():
        tick.set_parse_math(False)
    ax.set_xlabel(f"weight on {shorten(name_a, 40)}", parse_math=False)
    ax.set_title(
        "Whom to please: combined priority as the weight moves",
        parse_math=False,
        color=st.fg,
        fontsize=st.title,
    )
    for spine in ("top", "right", "left"):
        ax.spines[spine].set_visible(False)
    handles = [
        Line2D(
            [0],
            [0],
            color=colours[p],
            lw=2,
            label=f"raised by {shorten(session.party_name(p), 30)}",
        )
        for p in session.party_ids
        if any(goals[g].raised_by == p for g in shown)
    ]
    if handles:
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.16),
            ncols=len(handles),
            frameon=False,
            fontsize=st.small,
            labelcolor=st.fg,
        )
    if not shown:
        _text(
            ax, 0.5, 2.5, "no goals yet", ha="center", va="center", color=st.muted, fontsize=st.font
        )
    return fig
