"""The decision analytics of one role's view, assembled for the command line, the board and
reports: whom to please (:mod:`pmkit.analytics.sensitivity`), bargaining ranges
(:mod:`pmkit.analytics.bargaining`), packages (:mod:`pmkit.analytics.packages`) and, for the facilitator only,
the risk read-out (:mod:`pmkit.analytics.risk`).

Pure: it takes the role's view of the session and the range facts the store released for
that role (:meth:`pmkit.store.Workspace.range_facts`), so it can only pass on what the role
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
from pmkit.analytics.wording import decision_words
from pmkit.errors import InputError
from pmkit.model import FACILITATOR, Session

__all__ = ["DecisionReport", "build_report", "report_json", "report_lines"]

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


def report_lines(report: DecisionReport, names: Mapping[str, str] | None = None) -> list[str]:
    """A terminal summary, one record per line, worded by :mod:`pmkit.analytics.wording`
    (``names`` gives goals and issues their titles)."""
    w = decision_words(report, names)
    out = [report.title, f"session {report.session}  version {report.version}  as {report.role}",
           f"whom to please: {w.whom}"]
    out += [f"  robust {g.subject}  ({g.text})" for g in w.robust]
    out += [f"  contested {g.subject}  ({g.text})" for g in w.contested]
    out += [f"  critical {c.subject}: {c.text}" for c in w.critical]
    out.append(f"bargaining ranges {len(w.ranges)}")
    probes = {p.subject: p.text for p in w.probes}
    for r in w.ranges:
        out.append(f"  # {r.subject} [{r.unit}]  {r.text}")
        if r.subject in probes:
            out.append(f"    what if {probes[r.subject]}")
    out.append(f"packages: {w.packages}")
    for pt in w.points:
        sat = ", ".join(f"{party} {u} ({gain})" for party, (u, gain) in zip(w.party_names, pt.cells, strict=True))
        out.append(f"  {pt.label}: {sat}  | {pt.settles}")
    out += [f"  left out {x.subject}: {x.text}" for x in w.left_out]
    if w.risk is not None:
        out.append(f"risk {w.risk.level} ({w.risk.score})")
        out += [f"  - {reason}" for reason in w.risk.reasons]
        out += [f"  option{' (suggested)' if o.suggested else ''}: {o.name}; when {o.when}; risks: {o.risks}"
                for o in w.risk.options]
    out += [f"note: {n}" for n in w.notes]
    return out
