"""Negotiation charts: the frontier of packages with the three fair points, and the
bargaining-range bars. Pure: results from :mod:`pmkit.analytics.packages` and
:mod:`pmkit.analytics.bargaining` in, a :class:`matplotlib.figure.Figure` out.

Session text is drawn literally (never as maths). Meaning never rests on colour alone: each
point has its own marker and a label, the overlap is hatched ``//`` and a gap ``xx``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from pmkit.analytics.bargaining import BargainingRange
from pmkit.analytics.packages import Package, PackageResult
from pmkit.charts.style import PALETTE, Style, new_figure, style
from pmkit.charts.text import LiteralFigure, draw_text, local_numbers, party_label
from pmkit.i18n import N_, _
from pmkit.text import number, shorten

__all__ = ["frontier_chart", "ranges_chart"]

# label, marker, colour key
_POINTS = (
    ("Nash", "*", "accent"),
    ("Kalai–Smorodinsky", "D", "sky"),
    (N_("max welfare"), "s", "agree"),
)


def _colour(st: Style, parties: Sequence[str], party: str) -> str:
    if party in ("customer", "management"):
        return PALETTE[party]
    return st.party_colour(list(parties).index(party) if party in parties else 0)


def _style_axes(ax: Axes, st: Style) -> None:
    ax.set_facecolor(st.bg)
    for spine in ax.spines.values():
        spine.set_color(st.muted)
    ax.tick_params(colors=st.fg, labelsize=st.small)
    ax.grid(True, color=st.grid, linewidth=0.6)
    ax.set_axisbelow(True)


def frontier_chart(
    result: PackageResult,
    names: Mapping[str, str] | None = None,
    *,
    theme: str = "light",
    presenter: bool = False,
) -> Figure:
    """The Pareto frontier of acceptable packages for the first two parties, as gains over
    walking away, with the Nash, Kalai–Smorodinsky and maximum-welfare packages marked."""
    st = style(theme, presenter)
    fig, ax = new_figure(st, 6.4, 4.8)
    _style_axes(ax, st)
    parties = result.parties
    if len(parties) < 2:
        draw_text(ax, 0.5, 0.5, _("packages need two parties"), ha="center", va="center",
                  color=st.muted, fontsize=st.font, transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    a, b = parties[0], parties[1]
    ax.set_xlabel(_("{party}: gain over walking away").format(party=shorten(party_label(names, a), 30)))
    ax.set_ylabel(_("{party}: gain over walking away").format(party=shorten(party_label(names, b), 30)))
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-0.05, 1.05)
    local_numbers(ax.xaxis, ax.yaxis)
    ax.scatter([0], [0], marker="X", s=70, color=st.muted, zorder=4, label=_("walk away"))
    if not result.pareto:
        draw_text(ax, 0.5, 0.5, _("no package is acceptable to every party"), ha="center", va="center",
                  color=st.fg, fontsize=st.font, transform=ax.transAxes)
        return fig
    xs = [p.gain[0] for p in result.pareto]
    ys = [p.gain[1] for p in result.pareto]
    ax.plot(xs, ys, color=st.fg, linewidth=1.2, zorder=2)
    ax.scatter(xs, ys, marker="o", s=26, facecolor=st.bg, edgecolor=st.fg, zorder=3,
               label=_("efficient packages ({n})").format(n=len(result.pareto)))
    chosen: list[tuple[str, str, str, Package]] = []
    for (label, marker, key), pk in zip(
        _POINTS, (result.nash, result.kalai_smorodinsky, result.max_welfare), strict=True
    ):
        if pk is not None:
            chosen.append((_(label), marker, key, pk))
    seen: dict[tuple[float, float], int] = {}
    for rank, (label, marker, key, pk) in enumerate(chosen):
        x, y = pk.gain[0], pk.gain[1]
        n = seen.get((x, y), 0)
        seen[(x, y)] = n + 1
        ax.scatter([x], [y], marker=marker, s=150 if marker == "*" else 80, color=PALETTE[key],
                   edgecolor=st.fg, linewidth=0.6, zorder=8 - rank, label=label)
        draw_text(ax, x + 0.02, y + 0.03 + 0.06 * n, label, color=st.fg, fontsize=st.small, zorder=9)
    ax.legend(loc="lower left", fontsize=st.small, facecolor=st.panel, edgecolor=st.grid, labelcolor=st.fg)
    ax.set_title(_("Packages: who gains how much"), color=st.fg, fontsize=st.title)
    return fig


def ranges_chart(
    ranges: Sequence[BargainingRange],
    names: Mapping[str, str] | None = None,
    *,
    theme: str = "light",
    presenter: bool = False,
) -> Figure:
    """One row per numeric issue: each party's span from walk-away (|) to ideal (o), the
    bargaining range hatched ``//`` or the gap hatched ``xx``. The facilitator's chart."""
    st = style(theme, presenter)
    rows = max(len(ranges), 1)
    scale = 1.35 if presenter else 1.0
    fig = LiteralFigure(figsize=(7.2 * scale, (0.6 + 1.25 * rows) * scale), dpi=100, facecolor=st.bg,
                 layout="constrained")
    if not ranges:
        ax = fig.add_subplot()
        ax.set_axis_off()
        draw_text(ax, 0.5, 0.5, _("no numeric issues"), ha="center", va="center", color=st.muted,
                  fontsize=st.font, transform=ax.transAxes)
        return fig
    axes = fig.subplots(rows, 1, squeeze=False)[:, 0]
    for ax, r in zip(axes, ranges, strict=True):
        _style_axes(ax, st)
        _range_row(ax, r, names, st)
    return fig


def _range_row(ax: Axes, r: BargainingRange, names: Mapping[str, str] | None, st: Style) -> None:
    unit = f" [{r.unit}]" if r.unit else ""
    ax.set_title(shorten(r.title, 70) + unit, loc="left", color=st.fg, fontsize=st.font, pad=3)
    ax.set_yticks([])
    parties = [p.party for p in r.positions]
    values = [v for p in r.positions for v in (p.ideal, p.walk_away) if v is not None]
    if r.status == "overlap" and r.low is not None and r.high is not None:
        ax.axvspan(r.low, r.high if r.high > r.low else r.low + 1e-9, color=PALETTE["agree"], alpha=0.25,
                   hatch="//", linewidth=0)
        what = _("range {low} to {high}").format(low=number(r.low), high=number(r.high))
    elif r.status == "gap" and r.low is not None and r.high is not None:
        ax.axvspan(r.low, r.high, color=PALETTE["conflict"], alpha=0.25, hatch="xx", linewidth=0)
        what = _("gap of {size}").format(size=number(r.size))
    else:
        what = r.reason
    for y, p in enumerate(r.positions):
        colour = _colour(st, parties, p.party)
        if p.walk_away is not None:
            ax.plot([p.walk_away, p.ideal], [y, y], color=colour, linewidth=5, solid_capstyle="butt")
            ax.scatter([p.walk_away], [y], marker="|", s=220, color=st.fg, zorder=4)
        ax.scatter([p.ideal], [y], marker="o", s=60, color=colour, edgecolor=st.fg, zorder=5)
        draw_text(ax, 1.01, y, shorten(party_label(names, p.party), 18), color=colour,
                  fontsize=st.small, va="center", transform=ax.get_yaxis_transform())
    ax.set_ylim(-0.8, max(len(r.positions), 1) - 0.2)
    if values:
        lo, hi = min(values), max(values)
        pad = (hi - lo) * 0.08 or 1.0
        ax.set_xlim(lo - pad, hi + pad)
    local_numbers(ax.xaxis)
    draw_text(ax, 0.99, 0.04, what, transform=ax.transAxes, ha="right", va="bottom", color=st.fg,
              fontsize=st.small)
