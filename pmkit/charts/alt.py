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
from pmkit.i18n import N_, _, ngettext
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


# a party's stance on a goal, as a verb after the party's name ("Alder supports")
_VERBS = {"support": N_("supports"), "oppose": N_("opposes"), "neutral": N_("is neutral")}


def _verb(stance: str) -> str:
    return _(_VERBS[stance]) if stance in _VERBS else f"{stance}s"


def overlap_alt(overview: Overview, names: Mapping[str, str] | None = None, *, top: int = TOP_CONFLICTS) -> str:
    """The overlap chart in words: how many goals, the count in each quadrant, how many
    share a stance, and the ``top`` most important conflicts between the pair."""
    a, b = overview.pair
    na, nb = _name(names, a), _name(names, b)
    n = len(overview.points)
    head = ngettext("Overlap chart of {n} goal, placed by importance to {first} (across) and to {second} (up).",
                    "Overlap chart of {n} goals, placed by importance to {first} (across) and to {second} (up).",
                    n).format(n=number(n), first=na, second=nb)
    if not n:
        return head + " " + _("No goals yet.")
    counts = dict(overview.quadrant_counts)
    quadrants = "; ".join(
        f"{label} {number(counts.get(key, 0))}"
        for key, label in (
            (SHARED, _("shared priority")),
            (driven(a), _("only {party} cares").format(party=na)),
            (driven(b), _("only {party} cares").format(party=nb)),
            (LOW_PRIORITY, _("low priority")),
        )
    )
    same = sum(1 for p in overview.points if p.stances_agree is True)
    opposed = sum(1 for p in overview.points if p.stances_agree is False)
    unrated = sum(1 for p in overview.points if p.stance_a is None or p.stance_b is None)
    neutral = n - same - opposed - unrated
    stances = _("Same stance {same}, opposed {opposed}, one neutral {neutral}, not rated by both {unrated}.").format(
        same=number(same), opposed=number(opposed), neutral=number(neutral), unrated=number(unrated))
    pair = [c for c in overview.conflicts if {c.party_a, c.party_b} == {a, b}]
    if pair:
        named = "; ".join(
            f"{shorten(c.title, _TITLE)} ("
            + _("{party_a} {stance_a}, importance {importance_a}; {party_b} {stance_b}, importance {importance_b}")
            .format(party_a=_name(names, c.party_a), stance_a=_verb(c.stance_a), importance_a=c.importance_a,
                    party_b=_name(names, c.party_b), stance_b=_verb(c.stance_b), importance_b=c.importance_b)
            + ")"
            for c in pair[:top]
        )
        more = " " + _("and {n} more").format(n=number(len(pair) - top)) if len(pair) > top else ""
        conflicts = _("Top conflicts: {conflicts}.").format(conflicts=f"{named}{more}")
    else:
        conflicts = _("No conflicts.")
    return _("{head} Quadrants: {quadrants}. {stances} {conflicts}").format(
        head=head, quadrants=quadrants, stances=stances, conflicts=conflicts)


def alignment_alt(score: float | None) -> str:
    """The alignment gauge in words."""
    if score is None:
        return _("Alignment gauge: not available (no goal is rated by both sides).")
    return _("Alignment gauge: {score} out of 100.").format(score=alignment(min(max(score, 0.0), 100.0)))


def _ranks(goals: Sequence[RankedGoal], top: int) -> str:
    return "; ".join(f"{g.rank}. {shorten(g.title, _TITLE)}" for g in goals[:top]) or _("no goals")


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
    parts = [_("Whom to please chart: how the ranking of goals moves as the weight on {party} goes from {low} to "
               "{high}.").format(party=first, low=number(0), high=number(1))]
    parts.append(_("All on {party}: {ranking}.").format(party=second, ranking=_ranks(all_second, top)))
    parts.append(_("All on {party}: {ranking}.").format(party=first, ranking=_ranks(all_first, top)))
    if weight is not None:
        parts.append(_("At weight {weight}: {ranking}.").format(weight=share(weight), ranking=_ranks(at_weight, top)))
    return " ".join(parts)


def frontier_alt(result: PackageResult, names: Mapping[str, str] | None = None) -> str:
    """The packages chart in words: how many efficient packages, and each party's gain over
    walking away in the Nash, Kalai–Smorodinsky and maximum-welfare packages."""
    if len(result.parties) < 2:
        return _("Packages chart: packages need two parties.")
    a, b = result.parties[0], result.parties[1]
    head = _("Packages chart: gain over walking away for {first} (across) and {second} (up).").format(
        first=_name(names, a), second=_name(names, b))
    if not result.pareto:
        return f"{head} " + _("No package is acceptable to every party.")
    points = [
        f"{label}: {_name(names, a)} {share(pk.gain[0])}, {_name(names, b)} {share(pk.gain[1])}"
        for label, pk in (
            ("Nash", result.nash),
            ("Kalai–Smorodinsky", result.kalai_smorodinsky),
            (_("maximum welfare"), result.max_welfare),
        )
        if pk is not None
    ]
    n = len(result.pareto)
    efficient = ngettext("{n} efficient package", "{n} efficient packages", n).format(n=number(n))
    return f"{head} {efficient}. " + "; ".join(points) + "."


def ranges_alt(ranges: Sequence[BargainingRange], names: Mapping[str, str] | None = None) -> str:
    """The bargaining-range chart in words: for each issue, the range or the gap, and each
    party's walk-away and ideal."""
    if not ranges:
        return _("Bargaining ranges chart: no numeric issues.")
    rows = []
    for r in ranges:
        unit = f" ({r.unit})" if r.unit else ""
        if r.status == "overlap" and r.low is not None and r.high is not None:
            what = _("range {low} to {high}").format(low=number(r.low), high=number(r.high))
        elif r.status == "gap" and r.size is not None:
            what = _("gap of {size}").format(size=number(r.size))
        else:
            what = r.reason
        sides = ", ".join(
            _("{party} ideal {ideal}, walk-away {walk_away}").format(
                party=_name(names, p.party), ideal=number(p.ideal), walk_away=number(p.walk_away, missing=_("none")))
            for p in r.positions
        )
        rows.append(f"{shorten(r.title, _TITLE)}{unit}: {what}" + (f" ({sides})" if sides else ""))
    return _("Bargaining ranges chart.") + " " + "; ".join(rows) + "."
