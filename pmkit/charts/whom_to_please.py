"""Whom to please: how the combined ranking moves with the weight on one party."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from pmkit.analytics.overlap import ranking
from pmkit.charts.style import PALETTE, Style, new_figure, style
from pmkit.charts.text import draw_text
from pmkit.i18n import _
from pmkit.model import Session
from pmkit.text import number, shorten

__all__ = ["weight_chart"]


def _party_colours(session: Session, st: Style) -> dict[str, str]:
    colours = {p: st.party_colour(i) for i, p in enumerate(session.party_ids)}
    colours.update({k: PALETTE[k] for k in ("customer", "management") if k in colours})
    return colours


def _dodge(wanted: Sequence[float], gap: float, low: float, high: float) -> list[float]:
    """Label heights near ``wanted`` (sorted high to low), at least ``gap`` apart (less when
    they would not fit), all within ``low``..``high``."""
    if not wanted:
        return []
    if len(wanted) > 1:
        gap = min(gap, (high - low) / (len(wanted) - 1))
    placed: list[float] = []
    for y in wanted:
        placed.append(min(y, high, placed[-1] - gap) if placed else min(y, high))
    placed[-1] = max(placed[-1], low)
    for i in range(len(placed) - 2, -1, -1):
        placed[i] = max(placed[i], placed[i + 1] + gap)
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

    Higher is ranked first (:func:`pmkit.analytics.overlap.ranking`), so where lines cross the
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
                f"{number(g.rank)}. {shorten(g.title, width)}",
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
    ax.set_xticks([0, 0.5, 1], [_("all {party}").format(party=shorten(name_b, 22)), _("equal"),
                                _("all {party}").format(party=shorten(name_a, 22))])
    for tick in ax.get_xticklabels():
        tick.set_parse_math(False)
    ax.set_xlabel(_("weight on {party}").format(party=shorten(name_a, 40)), parse_math=False)
    ax.set_title(
        _("Whom to please: combined priority as the weight moves"),
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
            label=_("raised by {party}").format(party=shorten(session.party_name(p), 30)),
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
        draw_text(ax, 0.5, 2.5, _("no goals yet"), ha="center", va="center", color=st.muted, fontsize=st.font)
    return fig
