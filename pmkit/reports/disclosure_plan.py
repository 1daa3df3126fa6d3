"""The disclosure plan in a report, worded for printing: one row per withheld item (its owner,
decision, withheld since, customer affected from, days left) and the timeline chart; and the
items disclosed, with the day, for the minutes.

The plan section is built for the facilitator's record (every withheld item) and for the
management brief (management's own items: its view holds no other), never for the minutes
of another party. The rows come from :func:`pmkit.analytics.disclosure_plan.plan_lines` on the role's
own view, so a report holds only the plan entries the role may read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping

from pmkit.analytics.disclosure_plan import plan_lines
from pmkit.i18n import _, pgettext
from pmkit.model import ITEM_KINDS, Session
from pmkit.reports.lines import Chart, ItemLine, date_text, kind_label
from pmkit.rules.disclosure_plan import item_title, warn_days
from pmkit.text import count

__all__ = ["PlanRow", "PlanSection", "disclosed_lines", "plan_section"]


@dataclasses.dataclass(frozen=True)
class PlanRow:
    """One withheld item of the plan, ready to print."""

    kind: str  # "Goal"
    text: str  # the item's title
    owner: str  # the owner's name
    decision: str  # "disclose by 2026-12-11 after …"; "past the day to disclose by" added when so
    recorded: str  # "recorded by … on …" or ""
    withheld_since: str
    affected_from: str  # "2026-11-30 (suggested)" or "not known"
    days_left: str  # "1", "-3" or "—"
    flag: str  # "affected" | "soon" | "", in the reader's language (the same in words as on the chart)


@dataclasses.dataclass(frozen=True)
class PlanSection:
    heading: str
    rows: tuple[PlanRow, ...]
    chart: Chart | None
    note: str  # how to read it


def plan_section(session: Session, *, since: Mapping[str, dt.date] | None, today: dt.date, stem: str,
                 chart: bool = True) -> PlanSection | None:
    """The plan of ``session`` (a role's own view), or None when nothing in it is withheld."""
    lines = plan_lines(session, today, since, warn_days())
    if not lines:
        return None
    rows = tuple(PlanRow(
        kind=kind_label(x.kind), text=x.title, owner=session.party_name(x.owner),
        decision=x.decision_text + ("; " + _("past the day to disclose by") if x.overdue else ""),
        recorded=x.recorded,
        withheld_since=date_text(x.withheld_since),
        affected_from=_affected_from(x.affected_from, x.affected_source),
        days_left="—" if x.days_left is None else count(x.days_left),
        flag="" if x.days_left is None else pgettext("plan flag", "affected") if x.days_left < 0
        else pgettext("plan flag", "soon") if x.near else "",
    ) for x in lines)
    figure = None
    if chart:
        from pmkit.charts.disclosure_plan import plan_timeline_chart
        from pmkit.charts.style import to_png

        figure = Chart(alt=_("Disclosure plan: each withheld item from the day it was withheld to the day the "
                             "customer is affected, with its owner's decision and today marked"),
                       png=to_png(plan_timeline_chart(lines, today), dpi=110), file_name=f"{stem}-plan.png")
    return PlanSection(
        heading=_("Disclosure plan"),
        rows=rows, chart=figure,
        note=_("As of {day}. Days left: until the customer is affected (negative once it has passed). "
               "Each item's owner decides; the facilitator discloses what its owner decided to disclose now.").format(
            day=date_text(today)),
    )


def _affected_from(day: dt.date | None, source: str) -> str:
    """"2026-11-30", "2026-11-30 (suggested)" or "not known"."""
    if day is None:
        return _("not known")
    if source.startswith("suggested"):
        return _("{day} (suggested)").format(day=date_text(day))
    return date_text(day)


def disclosed_lines(session: Session) -> tuple[ItemLine, ...]:
    """Every item of the view that was disclosed, with the day: "disclosed on 2026-11-29"."""
    return tuple(ItemLine(item_title(item), _("disclosed on {day}").format(day=date_text(item.disclosed_on)),
                          kind=kind_label(kind))
                 for kind, (field, _c, _p) in ITEM_KINDS.items() for item in getattr(session, field)
                 if item.disclosed_on is not None)
