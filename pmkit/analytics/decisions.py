"""The decision analytics of one role's view, assembled for the command line, the board and
reports: whom to please (:mod:`pmkit.analytics.whom_to_please`), bargaining ranges
(:mod:`pmkit.analytics.bargaining`), packages (:mod:`pmkit.analytics.packages`) and, for the facilitator only,
the risk read-out (:mod:`pmkit.analytics.risk`).

Pure: it takes the role's view of the session and the range facts the store released for
that role (:func:`pmkit.views.bargaining_ranges.range_facts`), so it can only pass on what the role
may see.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from pmkit.analytics.bargaining import RangeFact
from pmkit.analytics.disclosure_plan import NEAR_DAYS
from pmkit.analytics.packages import DEFAULT_POINTS, Package, PackageResult, packages
from pmkit.analytics.participants import Division
from pmkit.analytics.risk import RiskReadout, risk_readout
from pmkit.analytics.whom_to_please import Sensitivity, sensitivity
from pmkit.errors import InputError
from pmkit.i18n import N_, _
from pmkit.model import FACILITATOR, Session

__all__ = ["NEEDS_TWO", "DecisionReport", "build_report", "package_json", "packages_note_head", "report_json"]

NEEDS_TWO = N_("whom to please needs two parties")  # the note when there is one party
_PACKAGES_NOTE = N_("packages: {reason}")  # the note when there are no packages, and why


def packages_note_head() -> str:
    """How the note on missing packages begins, in the reader's language (``packages: ``)."""
    return _(_PACKAGES_NOTE).partition("{reason}")[0]

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
    # option labels by option issue id and option id, for the option issues in the packages
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def build_report(
    view: Session,
    facts: Mapping[str, RangeFact],
    role: str,
    *,
    session_id: str,
    version: int,
    k: int = 3,
    points: int = DEFAULT_POINTS,
    today: dt.date | None = None,
    near_days: int = NEAR_DAYS,
    divisions: Sequence[Division] = (),
) -> DecisionReport:
    """Everything ``role`` may know, from its ``view`` and its range ``facts``; the risk
    read-out's disclosure-plan points count from ``today`` with ``near_days``."""
    if points < 2:
        raise InputError(_("points per issue must be at least 2, got {points}").format(points=points))
    notes: list[str] = []
    sens = None
    if len(view.parties) >= 2:
        sens = sensitivity(view, k=k)
    else:
        notes.append(_(NEEDS_TWO))
    try:
        pk: PackageResult | None = packages(view, points=points)
    except InputError as exc:
        pk = None
        notes.append(_(_PACKAGES_NOTE).format(reason=exc))
    risk = None
    if role == FACILITATOR and len(view.parties) >= 2:
        ranges = [f.range for f in facts.values() if f.range is not None]
        risk = risk_readout(view, ranges, today=today, near_days=near_days, divisions=divisions)
    shown = set(pk.option_issues) if pk is not None else set()
    labels = {oi.id: {o.id: o.label for o in oi.options} for oi in view.option_issues if oi.id in shown}
    return DecisionReport(
        session=session_id, version=version, role=role, title=view.title,
        sensitivity=sens, ranges=tuple(facts.values()), packages=pk, risk=risk, notes=tuple(notes),
        labels=labels,
    )


def package_json(p: Package, result: PackageResult, labels: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    """One package as JSON: its choices by issue id (an option issue's option with its label,
    a numeric issue's value), the goals it adopts and leaves out, and each party's
    satisfaction and gain in the order of ``result.parties``."""
    return {
        "index": p.index,
        "options": {i: {"id": o, "label": labels.get(i, {}).get(o, o)} for i, o in p.options},
        "values": dict(p.values),
        "goals_in": list(p.goals_in),
        "goals_out": [g for g in (*result.traded, *result.fixed_out) if g not in p.goals_in],
        "utility": list(p.utility),
        "gain": list(p.gain),
    }


def report_json(report: DecisionReport) -> str:
    """One line of JSON (no NaN or infinity); packages as :func:`package_json` writes them."""
    data: dict[str, Any] = asdict(report)
    del data["labels"]  # each package names its options' labels
    pk = report.packages
    if pk is not None:
        data["packages"]["pareto"] = [package_json(p, pk, report.labels) for p in pk.pareto]
        for attr in ("nash", "kalai_smorodinsky", "max_welfare"):
            point = getattr(pk, attr)
            data["packages"][attr] = None if point is None else package_json(point, pk, report.labels)
    return json.dumps(data, ensure_ascii=False, allow_nan=False)
