"""The facilitator's own sections of the record, worded for printing: what was withheld from
whom, the risk read-out and the decision analytics (whom to please, bargaining ranges,
packages with the frontier chart).

They are built only for the facilitator's record, from the facilitator's full view: the
analytics come from :func:`pmkit.analytics.decisions.build_report` with the facilitator's range facts
(every bargaining range itself). A party's report never calls this module.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from pmkit.analytics.bargaining import facts_for
from pmkit.analytics.decisions import DecisionReport, build_report
from pmkit.analytics.packages import PackageResult
from pmkit.analytics.participants import Division
from pmkit.analytics.risk import RiskReadout
from pmkit.analytics.wording import DecisionWords, RiskWords, Said, decision_words
from pmkit.i18n import _
from pmkit.model import FACILITATOR, Session
from pmkit.reports.lines import Chart, ItemLine, audience_marker, kind_label
from pmkit.rules.disclosure_plan import warn_days
from pmkit.rules.visibility import may_see, position_audience
from pmkit.text import number, shorten_list

__all__ = ["DecisionLines", "PackageLine", "RecordSections", "RiskLine", "record_sections"]

_SHOWN = 3  # titles listed before "and N more"


@dataclasses.dataclass(frozen=True)
class RiskLine:
    """The facilitator's risk read-out: level, why, and the options with what each risks."""

    level: str
    score: str
    reasons: tuple[str, ...]
    options: tuple[ItemLine, ...]
    bearing_heading: str
    bearing: tuple[ItemLine, ...]  # withheld items that bear on the customer's goals


@dataclasses.dataclass(frozen=True)
class PackageLine:
    """One of the three fair packages: each party's satisfaction and what it settles."""

    label: str  # "Nash bargaining point"
    same_as: str  # "" or "the same package as the Nash bargaining point"
    cells: tuple[tuple[str, ...], ...]  # per party: ("0.62", "gain +0.40")
    settles: str  # "Acceptable slip = 3 weeks; traded goals adopted: …"


@dataclasses.dataclass(frozen=True)
class DecisionLines:
    """The decision analytics of :mod:`pmkit.analytics.decisions`, in the words of
    :mod:`pmkit.analytics.wording`, ready to print."""

    whom: str  # what the whom-to-please lists mean, or why there are none
    robust: tuple[ItemLine, ...]  # goals in the top k at every weight
    contested: tuple[ItemLine, ...]  # goals in the top k at some weights only
    critical: tuple[ItemLine, ...]  # weights at which the top k changes
    ranges: tuple[ItemLine, ...]  # per numeric issue: range, gap or not known
    packages: str  # how many packages, how many acceptable and efficient, or why none
    party_names: tuple[str, ...]  # the columns of ``points``
    points: tuple[PackageLine, ...]
    left_out: tuple[ItemLine, ...]  # numeric issues the packages leave out, and why
    frontier: Chart | None
    notes: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class RecordSections:
    withheld: tuple[ItemLine, ...]
    risk: RiskLine | None
    decisions: DecisionLines


def _withheld(session: Session, items: list[tuple[Any, ItemLine]]) -> tuple[ItemLine, ...]:
    """Every item or position some party may not see, and from whom."""
    name = session.party_name
    out: list[ItemLine] = []
    for item, line in items:
        audience = str(item.audience)
        who = ", ".join(name(p) for p in session.party_ids if not may_see(p, audience))
        if who:
            out.append(ItemLine(line.text, _("withheld from {parties}").format(parties=who), kind=line.kind,
                                marker=audience_marker(session, audience)))
    for issue in session.issues:
        seen_by = [p for p in session.party_ids if may_see(p, issue.audience)]
        for party, pos in issue.positions.items():
            aud = position_audience(issue.audience, party)
            who = ", ".join(name(p) for p in seen_by if not may_see(p, aud))
            if who:
                said = [_("ideal {value}").format(value=number(pos.ideal))]
                if pos.walk_away is not None:
                    said.append(_("walk-away {value}").format(value=number(pos.walk_away)))
                out.append(ItemLine(_("{party}'s position on {issue}").format(party=name(party), issue=issue.title),
                                    ", ".join(said) + "; " + _("withheld from {parties}").format(parties=who),
                                    kind=kind_label("position"), marker=audience_marker(session, aud)))
    return tuple(out)


def _risk(session: Session, readout: RiskReadout, words: RiskWords) -> RiskLine:
    return RiskLine(
        level=words.level,
        score=words.score,
        reasons=words.reasons,
        options=tuple(ItemLine(_upper_first(_(o.name)), _(o.risks),
                               kind=_("when {condition}").format(condition=_(o.when)),
                               marker=_("suggested") if o.suggested else "")
                      for o in words.options),
        bearing_heading=_("Withheld from {party}, and bearing on its goals:").format(
            party=session.party_name(session.party_ids[0])),
        bearing=tuple(ItemLine(w.title, _("bears on: {titles}").format(titles=shorten_list(w.bears_on, _SHOWN)),
                               kind=kind_label(w.kind), marker=audience_marker(session, w.audience))
                      for w in readout.withheld if w.bears_on),
    )


def _upper_first(text: str) -> str:
    """``text`` with a capital first letter, the rest as it is (German nouns keep theirs)."""
    return text[:1].upper() + text[1:]


def _lines(said: tuple[Said, ...], *, unit: bool = False) -> tuple[ItemLine, ...]:
    return tuple(ItemLine(x.subject, x.text, kind=(x.unit or "—") if unit else "", status=x.status) for x in said)


def _frontier(session: Session, pk: PackageResult, stem: str) -> Chart | None:
    if len(pk.parties) < 2 or not pk.pareto:
        return None
    from pmkit.charts.negotiation import frontier_chart
    from pmkit.charts.style import to_png

    names = {p.id: p.name for p in session.parties}
    fig = frontier_chart(pk, names, theme="light", presenter=False)
    return Chart(alt=_("Packages: each party's gain over walking away, the efficient packages and the "
                       "Nash, Kalai–Smorodinsky and maximum-welfare points"),
                 png=to_png(fig, dpi=110), file_name=f"{stem}-frontier.png")


def _decisions(session: Session, report: DecisionReport, words: DecisionWords, stem: str,
               chart: bool) -> DecisionLines:
    pk = report.packages
    return DecisionLines(
        whom=words.whom, robust=_lines(words.robust), contested=_lines(words.contested),
        critical=_lines(words.critical), ranges=_lines(words.ranges, unit=True),
        packages=words.packages, party_names=words.party_names,
        points=tuple(PackageLine(p.label, p.same_as, p.cells, p.settles) for p in words.points),
        left_out=_lines(words.left_out),
        frontier=_frontier(session, pk, stem) if pk is not None and chart else None,
        notes=words.notes,
    )


def record_sections(session: Session, items: list[tuple[Any, ItemLine]], *, session_id: str,
                    stem: str, chart: bool = True, today: dt.date | None = None,
                    divisions: Sequence[Division] = ()) -> RecordSections:
    """The record's own sections from the facilitator's full view of ``session``;
    ``items`` are every item of the session with its printable line; the risk read-out's
    disclosure-plan points count from ``today``."""
    facts = facts_for(session.issues, FACILITATOR, {})  # the facilitator's: exact ranges and steps
    report = build_report(session, facts, FACILITATOR, session_id=session_id, version=0, today=today,
                          near_days=warn_days(), divisions=divisions)
    titles = {**{g.id: g.title for g in session.goals}, **{i.id: i.title for i in session.issues},
              **{o.id: o.title for o in session.option_issues}}
    words = decision_words(report, titles, {p.id: p.name for p in session.parties})
    return RecordSections(
        withheld=_withheld(session, items),
        risk=_risk(session, report.risk, words.risk) if report.risk is not None and words.risk else None,
        decisions=_decisions(session, report, words, stem, chart),
    )
