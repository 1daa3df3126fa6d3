"""Charts for the follow-up across sessions: alignment over time and what moved.

Pure: :mod:`pmkit.analytics.followup` results in, a :class:`~matplotlib.figure.Figure` out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch
from matplotlib.ticker import MaxNLocator

from pmkit.analytics.followup import Movement, SessionPoint
from pmkit.analytics.overlap import HIGH
from pmkit.charts.style import PALETTE, new_figure, style
from pmkit.charts.text import draw_text, party_label
from pmkit.i18n import N_, _, ngettext
from pmkit.text import alignment, day, shorten

__all__ = ["alignment_trend_chart", "movement_chart", "series_chart"]


def alignment_trend_chart(points: Sequence[SessionPoint], *, theme: str = "light", presenter: bool = False) -> Figure:
    """Alignment (0-100) per session in order, with the number of conflicts under each."""
    st = style(theme, presenter)
    fig, ax = new_figure(st, 8.0, 4.2)
    xs = list(range(len(points)))
    known = [(x, p.alignment) for x, p in zip(xs, points, strict=True) if p.alignment is not None]
    if known:
        ax.plot(
            [x for x, _ in known], [a for _, a in known], color=PALETTE["customer"], lw=2, marker="o", gid="alignment"
        )
        for x, a in known:
            draw_text(ax, x, a + 3, alignment(a), ha="center", va="bottom", fontsize=st.small, color=st.fg)
    for x, p in zip(xs, points, strict=True):
        draw_text(
            ax,
            x,
            4,
            ngettext("{n} conflict", "{n} conflicts", p.conflicts).format(n=p.conflicts),
            ha="center",
            va="bottom",
            fontsize=st.small,
            color=PALETTE["conflict"],
        )
    labels = [f"{shorten(p.title, 22)}\n{day(p.date, missing='')}".rstrip() for p in points]
    ax.set_xticks(xs, labels)
    for tick in ax.get_xticklabels():
        tick.set_parse_math(False)
        tick.set_fontsize(st.small * 0.9)
    ax.set_ylim(0, 108)
    ax.set_xlim(-0.5, max(len(points) - 0.5, 0.5))
    ax.set_ylabel(_("alignment (0-100)"))
    ax.set_title(_("Alignment over time"), color=st.fg, fontsize=st.title, parse_math=False)
    ax.grid(axis="y", color=st.grid, lw=0.6)
    if not points:
        draw_text(ax, 0, 50, _("no sessions"), ha="center", color=st.muted, fontsize=st.font)
    return fig


def movement_chart(
    movement: Movement,
    *,
    names: Mapping[str, str] | None = None,
    theme: str = "light",
    presenter: bool = False,
    labels: int = 8,
) -> Figure:
    """Goals that moved on the overlap chart between two sessions, as arrows from where they
    were to where they are; the largest moves are named."""
    st = style(theme, presenter)
    fig, ax = new_figure(st, 7.4, 6.0)
    cut = HIGH - 0.5
    ax.axvline(cut, color=st.grid, lw=1.2)
    ax.axhline(cut, color=st.grid, lw=1.2)
    shifts = sorted(
        movement.shifts,
        key=lambda s: abs(s.after[0] - s.before[0]) + abs(s.after[1] - s.before[1]),
        reverse=True,
    )
    for n, s in enumerate(shifts):
        crossed = s.quadrant_before != s.quadrant_after
        colour = PALETTE["conflict"] if crossed else PALETTE["customer"]
        offset = ((n % 5) - 2) * 0.06
        start = (s.before[0] + offset, s.before[1] + offset)
        end = (s.after[0] + offset, s.after[1] + offset)
        ax.add_patch(
            FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12, color=colour, lw=1.5, gid=s.goal_id)
        )
        if n < labels:
            draw_text(ax, end[0] + 0.08, end[1] + 0.08, shorten(s.title, 28), fontsize=st.small * 0.9, color=st.fg)
    ax.set_xlim(-0.6, 5.9)
    ax.set_ylim(-0.6, 5.9)
    ax.set_aspect("equal")
    ax.set_xticks(range(6))
    ax.set_yticks(range(6))
    a, b = movement.pair or ("", "")
    if movement.pair is not None:
        ax.set_xlabel(_("importance to {party}").format(party=shorten(party_label(names, a), 40)), parse_math=False)
        ax.set_ylabel(_("importance to {party}").format(party=shorten(party_label(names, b), 40)), parse_math=False)
    change = movement.alignment_change
    if change is None:
        heading = ngettext("What moved ({n} goal)", "What moved ({n} goals)", len(shifts)).format(n=len(shifts))
    else:
        heading = ngettext("What moved ({n} goal, alignment {change})", "What moved ({n} goals, alignment {change})",
                           len(shifts)).format(n=len(shifts), change=alignment(change, signed=True))
    ax.set_title(
        heading, color=st.fg, fontsize=st.title, parse_math=False, loc="left"
    )
    if not shifts:
        draw_text(ax, 2.6, 2.6, _("nothing moved"), ha="center", color=st.muted, fontsize=st.font)
    return fig


_SERIES_PANELS = (("alignment", N_("Alignment (0-100)")), ("open_conflicts", N_("Open conflicts")),
                  ("late_actions", N_("Late actions")), ("days_withheld", N_("Days withheld, all items")))


def series_chart(frame: Any, *, theme: str = "light") -> Figure:
    """A series meeting by meeting, in four small charts: alignment, open conflicts, late
    actions and days withheld (``frame``: :func:`pmkit.analytics.followup.series_table`, as
    one role sees the series)."""
    st = style(theme, False)
    fig, first = new_figure(st, 9.0, 5.4)
    first.remove()
    axes = fig.subplots(2, 2, sharex=True)
    meetings = [int(m) for m in frame["meeting"]]
    for ax, (column, title) in zip(axes.flat, _SERIES_PANELS, strict=True):
        ax.set_facecolor(st.bg)
        ax.tick_params(colors=st.fg, labelsize=st.small)
        points = [(m, float(v)) for m, v in zip(meetings, frame[column], strict=True) if v is not None and v == v]
        if points:
            ax.plot([m for m, _ in points], [v for _, v in points], color=PALETTE["customer"], lw=2, marker="o",
                    gid=column)
        ax.set_title(_(title), color=st.fg, fontsize=st.font, parse_math=False)
        ax.set_xticks(meetings or [1])
        ax.set_ylim(bottom=0, top=108 if column == "alignment" else None)
        if column != "alignment":
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="y", color=st.grid, lw=0.6)
    for ax in axes[1]:
        ax.set_xlabel(_("meeting"), color=st.fg, fontsize=st.small)
    return fig
