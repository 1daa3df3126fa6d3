"""The disclosure plan as a timeline: one bar per withheld item, from the day it was withheld
to the day the customer is affected, with its owner's decision and today marked.

Pure: the clock's lines (:func:`pmkit.analytics.disclosure_plan.plan_lines`, from a role's own view)
in, a :class:`~matplotlib.figure.Figure` out. Session text (titles) is drawn literally.

How to read it: a bar's colour says where the item stands against today, and its label
says the same in words (meaning never rests on colour alone): *affected* once the
customer-affected day has passed, *soon* within the warning window, *later* otherwise; an
item with no known customer-affected day is a dashed line up to today. The decision is a
marker: ◆ the day to disclose by (left of the bar's end is in time, right of it is late),
▲ disclose now (at today), ✕ do not disclose (at the bar's end), ? undecided.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num, num2date
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from pmkit.analytics.disclosure_plan import PlanLine
from pmkit.charts.style import PALETTE, new_figure, style
from pmkit.charts.text import draw_text
from pmkit.i18n import DEFAULT, N_, _, current
from pmkit.text import day, shorten

__all__ = ["plan_timeline_chart"]

_STATES = {  # state -> (colour, words)
    "affected": (PALETTE["conflict"], N_("customer already affected")),
    "soon": (PALETTE["management"], N_("customer affected soon")),
    "later": (PALETTE["sky"], N_("customer affected later")),
}
_MARKERS = {"by": ("D", N_("disclose by")), "now": ("^", N_("disclose now")), "never": ("X", N_("do not disclose")),
            "undecided": ("$?$", N_("undecided"))}


def _state(line: PlanLine) -> str:
    if line.days_left is None:
        return ""
    return "affected" if line.days_left < 0 else "soon" if line.near else "later"


def plan_timeline_chart(lines: Sequence[PlanLine], today: dt.date, *, theme: str = "light",
                        presenter: bool = False) -> Figure:
    """One bar per line from withheld-since to customer-affected, the decision and today marked."""
    st = style(theme, presenter)
    fig, ax = new_figure(st, 9.0, 2.2 + 0.55 * max(len(lines), 1))
    now = float(date2num(today))
    ax.axvline(now, color=st.fg, lw=1.2, ls=":", gid="today")
    draw_text(ax, now, -0.65, " " + _("today"), color=st.fg, fontsize=st.small, va="bottom", ha="left")
    labels: list[str] = []
    for y, line in enumerate(reversed(lines)):
        start = float(date2num(line.withheld_since or today))
        if line.affected_from is not None:
            end = float(date2num(line.affected_from))
            colour, words = _STATES[_state(line)]
            words = _(words)
            ax.barh(y, max(end - start, 0.8), left=min(start, end), height=0.5, color=colour,
                    edgecolor=st.fg, lw=0.5, gid=f"bar-{line.kind}-{line.item_id}")
        else:
            end, words = now, _("customer-affected day not known")
            ax.plot([start, now], [y, y], color=st.muted, lw=2, ls="--", gid=f"bar-{line.kind}-{line.item_id}")
        marker = _MARKERS[line.decision][0]
        x = {"by": float(date2num(line.by)) if line.by else now, "now": now, "never": end}.get(line.decision, start)
        ax.plot([x], [y], marker=marker, color=st.fg, markersize=st.font * 0.9, ls="none",
                gid=f"decision-{line.kind}-{line.item_id}")
        decision = _("do not disclose") if line.decision == "never" else line.decision_text
        labels.append(f"{shorten(line.title, 48)}\n{shorten(f'{words} · {decision}', 60)}")
    ax.set_yticks(range(len(lines)), labels)
    for tick in ax.get_yticklabels():
        tick.set_parse_math(False)
        tick.set_fontsize(st.small)
        tick.set_color(st.fg)
    ax.set_ylim(-0.7, max(len(lines), 1) - 0.3)
    locator = AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    if current() == DEFAULT:
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    else:  # matplotlib names months in English: the reader's language writes the days
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: day(num2date(x))))
    ax.grid(axis="x", color=st.grid, lw=0.6)
    ax.margins(x=0.05)
    ax.set_title(_("Disclosure plan: withheld since → customer affected"), color=st.fg, fontsize=st.font,
                 parse_math=False)
    if not lines:
        draw_text(ax, now, 0, _("nothing is withheld"), ha="center", va="center", color=st.muted, fontsize=st.font)
    handles: list[Patch | Line2D] = [Patch(color=c, label=_(w)) for c, w in _STATES.values()]
    handles += [Line2D([], [], marker=m, color=st.fg, ls="none", label=_(w)) for m, w in _MARKERS.values()]
    legend = fig.legend(handles=handles, loc="outside lower center", ncol=4, fontsize=st.small * 0.85,
                        frameon=False)
    for text in legend.get_texts():
        text.set_color(st.fg)
    return fig
