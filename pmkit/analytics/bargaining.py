"""Bargaining ranges on numeric issues, and what a party may learn about the other side's.

**Direction.** A party whose ideal is above its walk-away wants *more* (it accepts every
value ``x >= walk_away``); below, it wants *less* (``x <= walk_away``); equal, it accepts
only that one value. Nothing but the party's own two numbers decides this.

**Bargaining range.** The values every party with a position accepts: the intersection of
the acceptable sets, ``[L, U]`` with ``L`` the highest walk-away of those who want more
(and any fixed value) and ``U`` the lowest walk-away of those who want less (and any fixed
value). When ``L <= U`` the range is ``[L, U]`` cut to the span of the ideals (values
beyond every ideal help nobody), ``[max(L, min ideal), min(U, max ideal)]``, and its size
is the width of that cut range; when ``L > U`` there is a **gap** of ``L - U``. Sizes are
free of binary noise (:func:`pmkit.text.clean`: 99.6 - 99.45 is 0.15).
An issue with fewer than two positions, or a position without a walk-away, is
*incomplete*.

**What a party learns (the probe rule).** Walk-away values are confidential to their party.
The facilitator sees every range. A party sees, per issue, only whether a range exists,
and may ask what-if questions ("would value X be acceptable to the other side?"). Both
answers follow one rule:

1. *Coarsening.* Every answer to a party is computed from the other side's walk-away
   rounded down to a multiple of the issue's **probe step** ``s``
   (cell ``[c, c + s)``, ``c = s * floor(W / s)``), never from ``W`` itself. An answer is
   "yes"/"exists" only when it holds for every walk-away in the cell, "no"/"none" only when
   it fails for every one, and otherwise "close" (within one step of their limit). Existence
   and what-if answers use the same cells. So any sequence of questions, and any own
   position the party sets before asking, reveals at most the cell: the other side's
   walk-away cannot be pinned more precisely than ``s``.
2. *The step* is the issue's (:attr:`pmkit.model.NumericIssue.probe_step`): set by the
   facilitator, or the default of :func:`pmkit.rules.probe_steps.default_step` (from both parties'
   ideals, with a floor of 1 % of the largest), fixed by the store at a facilitator's edit.
   Nothing a party does sets or changes it. Without a step a party's answers are "not
   known yet" (:data:`NO_STEP`), and it may not ask.
3. *Budget.* Each role has :data:`PROBE_BUDGET` what-if questions per issue, counted in the
   workspace; the facilitator has no limit and gets exact answers.

The direction the other side pulls in is not secret: it is what the negotiation is about.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from pmkit.errors import AccessDenied, InputError, NotFound
from pmkit.i18n import N_, _
from pmkit.model import FACILITATOR, NumericIssue, Position
from pmkit.rules.probe_steps import nice_step
from pmkit.text import clean, number, quantity

__all__ = [
    "NO_STEP",
    "PROBE_BUDGET",
    "BargainingRange",
    "PartyPosition",
    "ProbeAnswer",
    "RangeFact",
    "acceptable",
    "bargaining_range",
    "bargaining_ranges",
    "check_budget",
    "check_question",
    "coarse_cell",
    "coarse_existence",
    "coarse_probe",
    "direction",
    "facts_for",
    "nice_step",
]

PROBE_BUDGET = 5
NO_STEP = N_("the facilitator has not set the step of the answers yet")  # shown as _(NO_STEP)

Status = Literal["overlap", "gap", "incomplete"]
Existence = Literal["exists", "none", "close", "incomplete", "no step"]
Answer = Literal["yes", "no", "close", "unknown"]


@dataclass(frozen=True)
class PartyPosition:
    party: str
    ideal: float
    walk_away: float | None
    direction: str  # "more", "less", "fixed" or "unknown" (no walk-away)


@dataclass(frozen=True)
class BargainingRange:
    issue_id: str
    title: str
    unit: str
    status: Status
    low: float | None  # the range, or for a gap the values between the two limits
    high: float | None
    size: float | None  # width of the range, or size of the gap
    positions: tuple[PartyPosition, ...]
    reason: str


@dataclass(frozen=True)
class ProbeAnswer:
    issue_id: str
    value: float
    answer: Answer
    # per other party: its answer (the facilitator asks about every party)
    by_party: tuple[tuple[str, str], ...]
    probes_left: int | None


@dataclass(frozen=True)
class RangeFact:
    """What one role may know about the bargaining range on one issue."""

    issue_id: str
    title: str
    unit: str
    exists: Existence
    step: float | None  # the issue's probe step (None: not set yet); the facilitator's answers are exact
    probes_left: int | None  # None: no limit (the facilitator)
    range: BargainingRange | None  # the facilitator only
    probe: ProbeAnswer | None = None


def direction(p: Position) -> int:
    """+1 wants more, -1 wants less, 0 accepts only its ideal (walk-away equals ideal)."""
    if p.walk_away is None:
        raise InputError(_("a position without a walk-away value has no direction"))
    return (p.ideal > p.walk_away) - (p.ideal < p.walk_away)


def _dir_name(p: Position) -> str:
    if p.walk_away is None:
        return "unknown"
    return {1: "more", -1: "less", 0: "fixed"}[direction(p)]


def acceptable(p: Position) -> tuple[float, float]:
    """The values ``p`` accepts, as a closed interval (infinite ends where unbounded)."""
    d = direction(p)
    w = float(p.walk_away)  # type: ignore[arg-type]
    if d > 0:
        return w, math.inf
    if d < 0:
        return -math.inf, w
    return w, w


def bargaining_range(issue: NumericIssue, parties: Iterable[str] | None = None) -> BargainingRange:
    """The bargaining range of ``issue`` between ``parties`` (default: all with positions)."""
    chosen = list(issue.positions) if parties is None else [p for p in parties if p in issue.positions]
    positions = tuple(
        PartyPosition(p, issue.positions[p].ideal, issue.positions[p].walk_away, _dir_name(issue.positions[p]))
        for p in chosen
    )

    def result(
        status: Status, low: float | None, high: float | None, size: float | None, reason: str
    ) -> BargainingRange:
        return BargainingRange(issue.id, issue.title, issue.unit, status, low, high, size, positions, reason)

    if len(chosen) < 2:
        return result("incomplete", None, None, None, _("needs the positions of two parties"))
    missing = [p for p in chosen if issue.positions[p].walk_away is None]
    if missing:
        return result("incomplete", None, None, None, _("no walk-away value for {missing}").format(
            missing=', '.join(missing)))
    lows, highs = zip(*(acceptable(issue.positions[p]) for p in chosen), strict=True)
    low, high = max(lows), min(highs)
    if low > high:
        gap = clean(low - high)  # 99.6 - 99.45 is 0.15
        return result("gap", high, low, gap, _("no overlap: a gap of {gap} between {high} and {low}").format(
            gap=quantity(gap, issue.unit), high=number(high), low=number(low)))
    ideals = [issue.positions[p].ideal for p in chosen]
    low, high = max(low, min(ideals)), min(high, max(ideals))
    size = clean(high - low)
    return result("overlap", low, high, size,
                  _("acceptable to all from {low} to {high} (size {size})").format(
                      low=number(low), high=quantity(high, issue.unit), size=number(size)))


def bargaining_ranges(
    issues: Sequence[NumericIssue], parties: Iterable[str] | None = None
) -> tuple[BargainingRange, ...]:
    chosen = None if parties is None else list(parties)
    return tuple(bargaining_range(i, chosen) for i in issues)


# -- the probe rule -------------------------------------------------------------------------
def coarse_cell(value: float, step: float) -> tuple[float, float]:
    """The cell ``[c, c + step)`` of the published grid that holds ``value``.

    Computed in exact decimal arithmetic on the numbers as written (``repr``), so cell
    edges are the decimals one reads (99.6, not 99.60000000000001).
    """
    s = Fraction(repr(float(step)))
    k = math.floor(Fraction(repr(float(value))) / s)
    return float(k * s), float((k + 1) * s)


def _bounds(p: Position, step: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """Inner and outer bounds (closed intervals) of what ``p`` accepts, knowing only the cell
    ``[lo, hi)`` of its walk-away: every value in the inner one is accepted whatever the
    walk-away in the cell, and no value outside the outer one is."""
    d = direction(p)
    lo, hi = coarse_cell(float(p.walk_away), step)  # type: ignore[arg-type]
    below_hi = math.nextafter(hi, -math.inf)  # the cell is open at hi
    if d > 0:
        return (hi, math.inf), (lo, math.inf)
    if d < 0:
        return (-math.inf, lo), (-math.inf, below_hi)
    return (math.inf, -math.inf), (lo, below_hi)  # a fixed value: nothing is certain


def coarse_existence(own: Position, others: Sequence[Position], step: float) -> Existence:
    """Whether a range exists, as a party holding ``own`` may learn it (see the module)."""
    if own.walk_away is None or not others or any(o.walk_away is None for o in others):
        return "incomplete"
    mine = acceptable(own)
    inner = [mine, *(_bounds(o, step)[0] for o in others)]
    outer = [mine, *(_bounds(o, step)[1] for o in others)]
    if max(x[0] for x in inner) <= min(x[1] for x in inner):
        return "exists"
    if max(x[0] for x in outer) > min(x[1] for x in outer):
        return "none"
    return "close"


def coarse_probe(value: float, other: Position, step: float) -> Answer:
    """Would ``value`` be acceptable to ``other``, answered from its coarse walk-away only."""
    if other.walk_away is None:
        return "unknown"
    inner, outer = _bounds(other, step)
    if inner[0] <= value <= inner[1]:
        return "yes"
    if not outer[0] <= value <= outer[1]:
        return "no"
    return "close"


def _exact_probe(value: float, other: Position) -> Answer:
    if other.walk_away is None:
        return "unknown"
    lo, hi = acceptable(other)
    return "yes" if lo <= value <= hi else "no"


def _combine(answers: Sequence[str]) -> Answer:
    if not answers or "unknown" in answers:
        return "unknown"
    if "no" in answers:
        return "no"
    return "yes" if all(a == "yes" for a in answers) else "close"


def _exists_exact(r: BargainingRange) -> Existence:
    return {"overlap": "exists", "gap": "none", "incomplete": "incomplete"}[r.status]  # type: ignore[return-value]


def facts_for(
    issues: Sequence[NumericIssue],
    role: str,
    used: Mapping[str, int],
    probe: tuple[str, float] | None = None,
) -> dict[str, RangeFact]:
    """The facts ``role`` may know about each of ``issues`` (which carry every position).

    ``issues`` must be the issues ``role`` may see, each with its probe step; ``used`` the
    what-if questions already asked (counting ``probe``). A party may not ask about an
    issue without a step (:class:`~pmkit.errors.InputError`, before anything is counted:
    see :func:`check_question`).
    """
    if probe is not None and probe[0] not in {i.id for i in issues}:
        raise NotFound(_("no numeric issue '{probe}' to ask about").format(probe=probe[0]))
    out: dict[str, RangeFact] = {}
    for issue in issues:
        asked = probe[1] if probe is not None and probe[0] == issue.id else None
        step = issue.probe_step
        if role == FACILITATOR:
            rng = bargaining_range(issue)
            answer = None
            if asked is not None:
                by = tuple((p, _exact_probe(asked, pos)) for p, pos in issue.positions.items())
                answer = ProbeAnswer(issue.id, asked, _combine([a for _p, a in by]), by, None)
            out[issue.id] = RangeFact(issue.id, issue.title, issue.unit, _exists_exact(rng), step, None, rng, answer)
            continue
        own = issue.positions.get(role)
        others = {p: pos for p, pos in issue.positions.items() if p != role}
        left = max(PROBE_BUDGET - used.get(issue.id, 0), 0)
        exists: Existence
        if step is None:
            exists = "no step"
        elif own is None:
            exists = "incomplete"
        else:
            exists = coarse_existence(own, list(others.values()), step)
        answer = None
        if asked is not None:
            check_question(role, issue)
            assert step is not None  # checked above
            by = tuple((p, coarse_probe(asked, pos, step)) for p, pos in others.items())
            answer = ProbeAnswer(issue.id, asked, _combine([a for _p, a in by]), by, left)
        out[issue.id] = RangeFact(issue.id, issue.title, issue.unit, exists, step, left, None, answer)
    return out


def check_question(role: str, issue: NumericIssue) -> None:
    """Raise :class:`InputError` when ``role`` may not ask about ``issue`` yet: a party's
    answers need the issue's probe step."""
    if role != FACILITATOR and issue.probe_step is None:
        raise InputError(_("not known yet on '{title}': {reason}; ask the facilitator").format(
            title=issue.title, reason=_(NO_STEP)))


def check_budget(role: str, issue_title: str, used: int) -> None:
    """Raise :class:`AccessDenied` when ``role`` has no what-if question left on the issue."""
    if role != FACILITATOR and used >= PROBE_BUDGET:
        raise AccessDenied(
            _("no what-if questions left on '{title}' ({n} per issue); ask the facilitator").format(
                title=issue_title, n=PROBE_BUDGET)
        )
