"""The decision analytics of one role's view, assembled for the command line, the board and
reports: whom to please (:mod:`pmkit.sensitivity`), bargaining ranges
(:mod:`pmkit.bargaining`), packages (:mod:`pmkit.packages`) and, for the facilitator only,
the risk read-out (:mod:`pmkit.risk`).

Pure: it takes the role's view of the session and the range facts the store released for
that role (:func:`pmkit.negotiation.range_facts`), so it can only pass on what the role
may see.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from pmkit.analytics.bargaining import RangeFact
from pmkit.analytics.packages import DEFAULT_POINTS, PackageResult, packages
from pmkit.analytics.risk import RiskReadout, risk_readout
from pmkit.analytics.sensitivity import Sensitivity, sensitivity
from pmkit.errors import InputError
from pmkit.model import FACILITATOR, Session

__all__ = ["DecisionReport", "build_report", "report_json", "report_lines"]

_EXISTS = {
    "exists": "a bargaining range exists",
    "none": "no bargaining range",
    "close": "too close to call (within one step of the other side's limit)",
    "incomplete": "not known yet (positions missing)",
}


@dataclass(frozen=True)
class DecisionReport:
    session: str
    version: int
    role: str
    title: str
    sensitivity: Sensitivity | None
    ranges: tuple[RangeFact, ...]
    packages: PackageResult | None
    risk: RiskReadout | None  # the facilitator only
    notes: tuple[str, ...]  # why a part is missing


def build_report(
    view: Session,
    facts: Mapping[str, RangeFact],
    role: str,
    *,
    session_id: str,
    version: int,
    k: int = 3,
    points: int = DEFAULT_POINTS,
) -> DecisionReport:
    """Everything ``role`` may know, from its ``view`` and its range ``facts``."""
    if points < 2:
        raise InputError(f"points per issue must be at least 2, got {points}")
    notes: list[str] = []
    sens = None
    if len(view.parties) >= 2:
        sens = sensitivity(view, k=k)
    else:
        notes.append("whom to please needs two parties")
    try:
        pk: PackageResult | None = packages(view, points=points)
    except InputError as exc:
        pk = None
        notes.append(f"packages: {exc}")
    risk = None
    if role == FACILITATOR and len(view.parties) >= 2:
        ranges = [f.range for f in facts.values() if f.range is not None]
        risk = risk_readout(view, ranges)
    return DecisionReport(
        session=session_id, version=version, role=role, title=view.title,
        sensitivity=sens, ranges=tuple(facts.values()), packages=pk, risk=risk, notes=tuple(notes),
    )


def report_json(report: DecisionReport) -> str:
    """One line of JSON (no NaN or infinity)."""
    data: dict[str, Any] = asdict(report)
    return json.dumps(data, ensure_ascii=False, allow_nan=False)


def _num(x: float | None) -> str:
    return "-" if x is None else f"{x:g}"


def report_lines(report: DecisionReport, names: Mapping[str, str] | None = None) -> list[str]:
    """A terminal summary, one record per line (goal ids are shown as titles via ``names``)."""
    title = dict(names or {})

    def goals(ids: tuple[str, ...]) -> str:
        return "; ".join(title.get(g, g) for g in ids) or "-"

    out = [report.title, f"session {report.session}  version {report.version}  as {report.role}"]
    s = report.sensitivity
    if s is not None:
        a, b = s.pair
        out.append(f"whom to please: top {s.k} as the weight on {a} against {b} goes from 0 to 1")
        out.append(f"  robust {goals(tuple(g.goal_id for g in s.robust))}")
        for g in s.contested:
            spans = ", ".join(f"{lo:.3g}-{hi:.3g}" for lo, hi in g.in_top_k) or "only at a tie"
            out.append(f"  contested {g.title}  (in the top {s.k} for weights {spans})")
        for c in s.critical:
            out.append(f"  critical w={c.exact} ({c.weight:.4f}): {goals(c.above_after)} overtakes "
                       f"{goals(c.above_before)}")
    out.append(f"bargaining ranges {len(report.ranges)}")
    for f in report.ranges:
        if f.range is not None:
            r = f.range
            what = (f"range {_num(r.low)} to {_num(r.high)} (size {_num(r.size)})" if r.status == "overlap"
                    else f"gap of {_num(r.size)} between {_num(r.low)} and {_num(r.high)}"
                    if r.status == "gap" else f"incomplete: {r.reason}")
            out.append(f"  # {f.title} [{f.unit}]  {what}")
        else:
            step = f", answers to the nearest {_num(f.step)} {f.unit}".rstrip() if f.step else ""
            out.append(f"  # {f.title} [{f.unit}]  {_EXISTS[f.exists]}{step}; "
                       f"{f.probes_left} what-if question(s) left")
        if f.probe is not None:
            out.append(f"    what if {_num(f.probe.value)}? {f.probe.answer}")
    p = report.packages
    if p is not None:
        out.append(f"packages: {p.note}; Pareto set {len(p.pareto)}")
        for label, pk in (("Nash", p.nash), ("Kalai-Smorodinsky", p.kalai_smorodinsky),
                          ("max welfare", p.max_welfare)):
            if pk is None:
                continue
            sat = ", ".join(f"{party} {u:.2f}" for party, u in zip(p.parties, pk.utility, strict=True))
            vals = "; ".join(f"{title.get(i, i)} = {v:g}" for i, v in pk.values)
            out.append(f"  {label}: {sat}{'  | ' + vals if vals else ''}")
            traded_in = [g for g in pk.goals_in if g in p.traded]
            if p.traded:
                out.append(f"    traded goals in: {goals(tuple(traded_in))}")
        for issue_id, why in p.left_out:
            out.append(f"  left out {title.get(issue_id, issue_id)}: {why}")
    if report.risk is not None:
        rk = report.risk
        out.append(f"risk {rk.level} ({rk.score} points)")
        for reason in rk.reasons:
            out.append(f"  - {reason.text} (+{reason.points})")
        for o in rk.options:
            out.append(f"  option{' (suggested)' if o.suggested else ''}: {o.name}; risks: {o.risks}")
    for n in report.notes:
        out.append(f"note: {n}")
    return out
