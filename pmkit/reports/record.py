"""The facilitator's own sections of the record, worded for printing: what was withheld from
whom, the risk read-out and the decision analytics (whom to please, bargaining ranges,
packages with the frontier chart).

They are built only for the facilitator's record, from the facilitator's full view: the
analytics come from :func:`pmkit.decisions.build_report` with the facilitator's range facts
(every bargaining range itself). A party's report never calls this module.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pmkit.analytics.bargaining import RangeFact, facts_for
from pmkit.analytics.decisions import DecisionReport, build_report
from pmkit.analytics.packages import Package, PackageResult
from pmkit.analytics.risk import RiskReadout
from pmkit.analytics.sensitivity import Sensitivity
from pmkit.disclosure import may_see, position_audience
from pmkit.errors import one_line
from pmkit.model import FACILITATOR, Session
from pmkit.reports.lines import Chart, ItemLine, audience_marker, number_text, shortened_list

__all__ = ["DecisionLines", "PackageLine", "RecordSections", "RiskLine", "record_sections"]

_REASON_CHARS = 400  # a reason names items; the sections below list them all
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
    """The decision analytics of :mod:`pmkit.decisions`, ready to print."""

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
            out.append(ItemLine(line.text, f"withheld from {who}", kind=line.kind,
                                marker=audience_marker(session, audience)))
    for issue in session.issues:
        seen_by = [p for p in session.party_ids if may_see(p, issue.audience)]
        for party, pos in issue.positions.items():
            aud = position_audience(issue.audience, party)
            who = ", ".join(name(p) for p in seen_by if not may_see(p, aud))
            if who:
                walk = "" if pos.walk_away is None else f", walk-away {number_text(pos.walk_away)}"
                out.append(ItemLine(f"{name(party)}'s position on {issue.title}",
                                    f"ideal {number_text(pos.ideal)}{walk}; withheld from {who}",
                                    kind="Position", marker=audience_marker(session, aud)))
    return tuple(out)


def _risk(session: Session, readout: RiskReadout) -> RiskLine:
    return RiskLine(
        level=readout.level,
        score=f"{readout.score} points",
        reasons=tuple(f"{one_line(r.text, _REASON_CHARS)} ({r.points} point"
                      f"{'s' if r.points != 1 else ''})" for r in readout.reasons),
        options=tuple(ItemLine(o.name.capitalize(), o.risks, kind=f"when {o.when}",
                               marker="suggested" if o.suggested else "")
                      for o in readout.options),
        bearing_heading=f"Withheld from {session.party_name(session.party_ids[0])}, "
                        "and bearing on its goals:",
        bearing=tuple(ItemLine(w.title, "bears on: " + shortened_list(w.bears_on, _SHOWN),
                               kind=w.kind.capitalize(), marker=audience_marker(session, w.audience))
                      for w in readout.withheld if w.bears_on),
    )


def _importance(value: int | None) -> str:
    return "not rated" if value is None else str(value)


_Whom = tuple[str, tuple[ItemLine, ...], tuple[ItemLine, ...], tuple[ItemLine, ...]]


def _whom(session: Session, s: Sensitivity | None, notes: tuple[str, ...]) -> _Whom:
    """The heading, the robust and contested goals and the critical weights."""
    if s is None:
        why = next((n for n in notes if "two parties" in n), "whom to please needs two parties")
        return why[:1].upper() + why[1:] + ".", (), (), ()
    name = session.party_name
    a, b = s.pair
    titles = {g.id: g.title for g in session.goals}

    def goals(ids: tuple[str, ...]) -> str:
        return shortened_list([titles.get(g, g) for g in ids], _SHOWN)

    return (
        f"The top {s.k} goals as the weight on {name(a)} moves from 0 (all weight on "
        f"{name(b)}) to 1 (all weight on {name(a)}).",
        tuple(ItemLine(g.title, f"{name(a)} {_importance(g.importance_a)}, "
                                f"{name(b)} {_importance(g.importance_b)}") for g in s.robust),
        tuple(ItemLine(g.title, f"in the top {s.k} for weights "
                                + (", ".join(f"{lo:.2f}–{hi:.2f}" for lo, hi in g.in_top_k) or "only at a tie"))
              for g in s.contested),
        tuple(ItemLine(f"w = {c.exact} ({c.weight:.3f})",
                       f"{goals(c.above_after)} overtakes {goals(c.above_before)}") for c in s.critical),
    )


def _range_line(f: RangeFact) -> ItemLine:
    unit = f.unit or "—"
    r = f.range
    if r is None or r.status == "incomplete":
        why = r.reason if r is not None else "positions missing"
        return ItemLine(f.title, f"not known: {why}", kind=unit, status="not known")
    lo, hi, size = (number_text(x) if x is not None else "—" for x in (r.low, r.high, r.size))
    if r.status == "overlap":
        return ItemLine(f.title, f"acceptable to all from {lo} to {hi} (size {size})", kind=unit, status="range")
    return ItemLine(f.title, f"no overlap: a gap of {size} between {lo} and {hi}", kind=unit, status="gap")


_POINTS = (("Nash bargaining point", "nash"), ("Kalai–Smorodinsky point", "kalai_smorodinsky"),
           ("Maximum welfare", "max_welfare"))


def _points(session: Session, pk: PackageResult) -> tuple[PackageLine, ...]:
    titles = {g.id: g.title for g in session.goals}
    issues = {i.id: i for i in session.issues}
    out: list[PackageLine] = []
    seen: dict[int, str] = {}
    for label, attr in _POINTS:
        p: Package | None = getattr(pk, attr)
        if p is None:
            continue
        values = [f"{issues[i].title} = {number_text(v)}" + (f" {issues[i].unit}" if issues[i].unit else "")
                  for i, v in p.values if i in issues]
        traded = [titles.get(g, g) for g in p.goals_in if g in pk.traded]
        adopted = f"traded goals adopted: {shortened_list(traded, 5)}" if traded else "adopts none of the traded goals"
        out.append(PackageLine(
            label=label,
            same_as=f"the same package as the {seen[p.index]}" if p.index in seen else "",
            cells=tuple((f"{u:.2f}", f"gain {g:+.2f}") for u, g in zip(p.utility, p.gain, strict=True)),
            settles="; ".join([*values, adopted]),
        ))
        seen.setdefault(p.index, label)
    return tuple(out)


def _frontier(session: Session, pk: PackageResult, stem: str) -> Chart | None:
    if len(pk.parties) < 2 or not pk.pareto:
        return None
    from pmkit.charts.negotiation import frontier_chart
    from pmkit.charts.style import to_png

    names = {p.id: p.name for p in session.parties}
    fig = frontier_chart(pk, names, theme="light", presenter=False)
    return Chart(alt="Packages: each party's gain over walking away, the efficient packages and the "
                     "Nash, Kalai–Smorodinsky and maximum-welfare points",
                 png=to_png(fig, dpi=110), file_name=f"{stem}-frontier.png")


def _decisions(session: Session, report: DecisionReport, stem: str, chart: bool) -> DecisionLines:
    pk = report.packages
    notes = report.notes
    if pk is None:
        packages = next((n.removeprefix("packages: ") for n in notes if n.startswith("packages: ")),
                        "no packages")
        packages = packages[:1].upper() + packages[1:] + "."
    else:
        packages = f"{pk.note[:1].upper()}{pk.note[1:]}; {len(pk.pareto)} of them efficient (Pareto)."
    issues = {i.id: i.title for i in session.issues}
    whom, robust, contested, critical = _whom(session, report.sensitivity, notes)
    return DecisionLines(
        whom=whom, robust=robust, contested=contested, critical=critical,
        ranges=tuple(_range_line(f) for f in report.ranges),
        packages=packages,
        party_names=tuple(session.party_name(p) for p in pk.parties) if pk else (),
        points=_points(session, pk) if pk else (),
        left_out=tuple(ItemLine(issues.get(i, i), why) for i, why in pk.left_out) if pk else (),
        frontier=_frontier(session, pk, stem) if pk is not None and chart else None,
        notes=tuple(n for n in notes if not n.startswith("packages: ") and "two parties" not in n),
    )


def record_sections(session: Session, items: list[tuple[Any, ItemLine]], *, session_id: str,
                    stem: str, chart: bool = True) -> RecordSections:
    """The record's own sections from the facilitator's full view of ``session``;
    ``items`` are every item of the session with its printable line."""
    facts = facts_for(session.issues, FACILITATOR, {}, {})  # the facilitator's: exact ranges
    report = build_report(session, facts, FACILITATOR, session_id=session_id, version=0)
    return RecordSections(
        withheld=_withheld(session, items),
        risk=_risk(session, report.risk) if report.risk is not None else None,
        decisions=_decisions(session, report, stem, chart),
    )
