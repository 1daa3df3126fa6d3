"""Text alternatives for the charts: what each picture shows, in words.

Each function takes the same analysis result the chart is drawn from (never the session
itself), so a text alternative holds exactly what its chart holds and nothing a role may
not see. Pure and cheap: no matplotlib, a few string joins. The page puts the text on the
chart's image (``alt``), so a screen reader says what the chart says.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from pmkit.analytics.overlap import LOW_PRIORITY, SHARED, Overview, RankedGoal, driven
from pmkit.text import alignment, number, share, shorten

if TYPE_CHECKING:  # the negotiation's results are only read here: a page without them never loads them
    from pmkit.analytics.bargaining import BargainingRange
    from pmkit.analytics.packages import PackageResult

__all__ = [
    "TOP_CONFLICTS",
    "alignment_alt",
    "frontier_alt",
    "overlap_alt",
    "ranges_alt",
    "weight_alt",
]

TOP_CONFLICTS = 3  # conflicts named in the overlap chart's text alternative
_TITLE = 60  # a title in a text alternative is cut to this many characters


def _name(names: Mapping[str, str] | None, party: str) -> str:
    return (names or {}).get(party, party)


def _counted(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def overlap_alt(overview: Overview, names: Mapping[str, str] | None = None, *, top: int = TOP_CONFLICTS) -> str:
    """The overlap chart in words: how many goals, the count in each quadrant, how many
    share a stance, and the ``top`` most important conflicts between the pair."""
    a, b = overview.pair
    na, nb = _name(names, a), _name(names, b)
    n = len(overview.points)
    head = (f"Overlap chart of {_counted(n, 'goal', 'goals')}, placed by importance to {na} (across) "
            f"and to {nb} (up).")
    if not n:
        return head + " No goals yet."
    counts = dict(overview.quadrant_counts)
    quadrants = "; ".join(
        f"{label} {counts.get(key, 0)}"
        for key, label in (
            (SHARED, "shared priority"),
            (driven(a), f"only {na} cares"),
            (driven(b), f"only {nb} cares"),
            (LOW_PRIORITY, "low priority"),
        )
    )
    same = sum(1 for p in overview.points if p.stances_agree is True)
    opposed = sum(1 for p in overview.points if p.stances_agree is False)
    unrated = sum(1 for p in overview.points if p.stance_a is None or p.stance_b is None)
    neutral = n - same - opposed - unrated
    stances = f"Same stance {same}, opposed {opposed}, one neutral {neutral}, not rated by both {unrated}."
    pair = [c for c in overview.conflicts if {c.party_a, c.party_b} == {a, b}]
    if pair:
        named = "; ".join(
            f"{shorten(c.title, _TITLE)} ({_name(names, c.party_a)} {c.stance_a}s, importance {c.importance_a}; "
            f"{_name(names, c.party_b)} {c.stance_b}s, importance {c.importance_b})"
            for c in pair[:top]
        )
        more = f" and {len(pair) - top} more" if len(pair) > top else ""
        conflicts = f"Top conflicts: {named}{more}."
    else:
        conflicts = "No conflicts."
    return f"{head} Quadrants: {quadrants}. {stances} {conflicts}"


def alignment_alt(score: float | None) -> str:
    """The alignment gauge in words."""
    if score is None:
        return "Alignment gauge: not available (no goal is rated by both sides)."
    return f"Alignment gauge: {alignment(min(max(score, 0.0), 100.0))} out of 100."


def _ranks(goals: Sequence[RankedGoal], top: int) -> str:
    return "; ".join(f"{g.rank}. {shorten(g.title, _TITLE)}" for g in goals[:top]) or "no goals"


def weight_alt(
    at_weight: Sequence[RankedGoal],
    all_first: Sequence[RankedGoal],
    all_second: Sequence[RankedGoal],
    pair_names: tuple[str, str],
    weight: float | None,
    *,
    top: int = 3,
) -> str:
    """The whom-to-please chart in words: the top ``top`` goals with everything on the
    first party, with everything on the second, and at the chosen ``weight`` (the rankings
    the chart is drawn from)."""
    first, second = pair_names
    parts = [f"Whom to please chart: how the ranking of goals moves as the weight on {first} goes from 0 to 1."]
    parts.append(f"All on {second}: {_ranks(all_second, top)}.")
    parts.append(f"All on {first}: {_ranks(all_first, top)}.")
    if weight is not None:
        parts.append(f"At weight {share(weight)}: {_ranks(at_weight, top)}.")
    return " ".join(parts)


def frontier_alt(result: PackageResult, names: Mapping[str, str] | None = None) -> str:
    """The packages chart in words: how many efficient packages, and each party's gain over
    walking away in the Nash, Kalai–Smorodinsky and maximum-welfare packages."""
    if len(result.parties) < 2:
        return "Packages chart: packages need two parties."
    a, b = result.parties[0], result.parties[1]
    head = f"Packages chart: gain over walking away for {_name(names, a)} (across) and {_name(names, b)} (up)."
    if not result.pareto:
        return f"{head} No package is acceptable to every party."
    points = [
        f"{label}: {_name(names, a)} {share(pk.gain[0])}, {_name(names, b)} {share(pk.gain[1])}"
        for label, pk in (
            ("Nash", result.nash),
            ("Kalai–Smorodinsky", result.kalai_smorodinsky),
            ("maximum welfare", result.max_welfare),
        )
        if pk is not None
    ]
    return f"{head} {_counted(len(result.pareto), 'efficient package', 'efficient packages')}. " + "; ".join(
        points
    ) + "."


def ranges_alt(ranges: Sequence[BargainingRange], names: Mapping[str, str] | None = None) -> str:
    """The bargaining-range chart in words: for each issue, the range or the gap, and each
    party's walk-away and ideal."""
    if not ranges:
        return "Bargaining ranges chart: no numeric issues."
    rows = []
    for r in ranges:
        unit = f" ({r.unit})" if r.unit else ""
        if r.status == "overlap" and r.low is not None and r.high is not None:
            what = f"range {number(r.low)} to {number(r.high)}"
        elif r.status == "gap" and r.size is not None:
            what = f"gap of {number(r.size)}"
        else:
            what = r.reason
        sides = ", ".join(
            f"{_name(names, p.party)} ideal {number(p.ideal)}, walk-away {number(p.walk_away, missing='none')}"
            for p in r.positions
        )
        rows.append(f"{shorten(r.title, _TITLE)}{unit}: {what}" + (f" ({sides})" if sides else ""))
    return "Bargaining ranges chart. " + "; ".join(rows) + "."
