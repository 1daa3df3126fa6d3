"""Common ground, conflicts and blind spots as a ranked list; the alignment gauge."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle, Wedge

from pmkit.analytics.overlap import Overview
from pmkit.charts.style import PALETTE, new_figure, style
from pmkit.charts.text import draw_text, party_label
from pmkit.i18n import N_, _
from pmkit.text import alignment, number, shorten

__all__ = ["alignment_gauge", "ground_chart"]


# a party's stance on a goal, as a verb after the party's name ("Alder supports")
_VERBS = {"support": N_("supports"), "oppose": N_("opposes"), "neutral": N_("is neutral")}


def _stance(names: Mapping[str, str] | None, party: str, stance: str) -> str:
    verb = _(_VERBS[stance]) if stance in _VERBS else f"{stance}s"
    return f"{party_label(names, party)} {verb}"


def _names(names: Mapping[str, str] | None, parties: Sequence[str]) -> str:
    return ", ".join(party_label(names, p) for p in parties)


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
            _("Common ground"),
            PALETTE["agree"],
            [
                (float((p.importance_a or 0) + (p.importance_b or 0)), p.title)
                for p in overview.common_ground[:top]
            ],
            len(overview.common_ground),
        ),
        (
            _("Conflicts"),
            PALETTE["conflict"],
            [
                (
                    float(c.severity),
                    f"{c.title} — {_stance(names, c.party_a, c.stance_a)}, {_stance(names, c.party_b, c.stance_b)}",
                )
                for c in overview.conflicts[:top]
            ],
            len(overview.conflicts),
        ),
        (
            _("Blind spots"),
            PALETTE["accent"],
            [
                (None, f"{s.title} — " + _("not rated by {parties}").format(parties=_names(names, s.unrated_by)))
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
    fg, muted = st.fg, st.muted
    y = 0.0
    for (title, colour, rows, total), gid in zip(sections, ("Common ground", "Conflicts", "Blind spots"), strict=True):
        draw_text(
            ax,
            0.0,
            y,
            f"{title} ({total})",
            va="center",
            fontsize=st.font,
            color=st.fg,
            fontweight="bold",
            gid=gid,
        )
        y += 1
        if not rows:
            draw_text(ax, 0.02, y, _("none"), va="center", fontsize=st.small, color=st.muted)
            y += 1
        for value, text in rows:
            if value is not None:
                ax.add_patch(
                    Rectangle((0.02, y - 0.3), 0.14 * value / 10.0, 0.6, facecolor=colour, lw=0)
                )
                draw_text(ax, 0.17, y, number(value), va="center", fontsize=st.small, color=muted)
            else:
                draw_text(ax, 0.17, y, "●", va="center", fontsize=st.small, color=colour)
            draw_text(ax, 0.21, y, shorten(text, width), va="center", fontsize=st.small, color=fg)
            y += 1
        if total > len(rows):
            draw_text(
                ax,
                0.21,
                y,
                _("+{n} more").format(n=total - len(rows)),
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
        shown = alignment(s)
    else:
        shown = "n/a"
    draw_text(
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
    draw_text(ax, 0, -0.08, _("alignment"), ha="center", va="top", fontsize=st.small, color=st.muted)
    draw_text(ax, -1.0, -0.08, "0", ha="center", va="top", fontsize=st.small, color=st.muted)
    draw_text(ax, 1.0, -0.08, "100", ha="center", va="top", fontsize=st.small, color=st.muted)
    return fig
