"""Where the overlap chart puts things, with no drawing library: the stance categories, the
positions of goals that share a cell, and which goals are numbered. The matplotlib chart
(:mod:`pmkit.charts.board`) and the page's SVG chart (:mod:`pmkit.charts.svg`) both use it,
so the two pictures agree.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np

from pmkit.analytics.overlap import LOW_PRIORITY, SHARED, GoalPoint, Overview, driven
from pmkit.i18n import DEFAULT, N_, _, current, ngettext

__all__ = ["CATEGORIES", "goal_overlap_title", "numbered_goals", "quadrant_label", "spread", "stance_category"]

# stance category -> (legend label, in English: translate it where shown, colour key, marker, filled)
CATEGORIES: dict[str, tuple[str, str, str, bool]] = {
    "agree": (N_("same stance"), "agree", "o", True),
    "conflict": (N_("opposed stances"), "conflict", "X", True),
    "mixed": (N_("one neutral"), "neutral", "s", True),
    "unrated": (N_("not rated by both"), "neutral", "D", False),
}


def quadrant_label(quad: str, pair: tuple[str, str], names: Mapping[str, str] | None = None) -> str:
    """A quadrant's name (:data:`~pmkit.analytics.overlap.SHARED`, ``driven(party)``, ...) in
    the current language. English names a party's quadrant by its id (``customer-driven``);
    the other languages by the party's name, as their words for it read."""
    if quad == SHARED:
        return _("shared priority")
    if quad == LOW_PRIORITY:
        return _("low priority")
    for party in pair:
        if quad == driven(party):
            shown = party if current() == DEFAULT else (names or {}).get(party, party)
            return _("{party}-driven").format(party=shown)
    return quad


def goal_overlap_title(n: int) -> str:
    """The overlap chart's title: ``Goal overlap (9 goals)``."""
    return ngettext("Goal overlap ({n} goal)", "Goal overlap ({n} goals)", n).format(n=n)
_GOLDEN = math.pi * (3.0 - math.sqrt(5.0))


def stance_category(point: GoalPoint) -> str:
    """``agree``, ``conflict``, ``mixed`` (one neutral) or ``unrated`` for a goal's stances."""
    if point.stance_a is None or point.stance_b is None:
        return "unrated"
    agree = point.stances_agree
    if agree is None:
        return "mixed"
    return "agree" if agree else "conflict"


def spread(points: Sequence[GoalPoint]) -> tuple[np.ndarray, np.ndarray]:
    """Positions (n, 2) and outward directions (n, 2): goals sharing a cell fan out on a
    sunflower spiral around it; a label moves along the direction, away from the crowd.

    Deterministic: the same session always gives the same picture; unrated counts as 0.
    """
    xy = np.zeros((len(points), 2))
    out = np.tile([math.sqrt(0.5), math.sqrt(0.5)], (len(points), 1))
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, p in enumerate(points):
        cells[(p.importance_a or 0, p.importance_b or 0)].append(i)
    for (cx, cy), members in cells.items():
        n = len(members)
        for k, i in enumerate(members):
            if n == 1:
                xy[i] = (cx, cy)
                continue
            r = 0.36 * math.sqrt((k + 0.5) / n)
            direction = (math.cos(k * _GOLDEN), math.sin(k * _GOLDEN))
            xy[i] = (cx + r * direction[0], cy + r * direction[1])
            out[i] = direction
    return xy, out


def _importance(p: GoalPoint) -> tuple[int, int]:
    a, b = p.importance_a or 0, p.importance_b or 0
    return a + b, max(a, b)


def numbered_goals(overview: Overview, labels: int | None = None, *, presenter: bool = False) -> tuple[GoalPoint, ...]:
    """The goals :func:`overlap_chart` numbers 1, 2, ...: the ``labels`` most important
    (combined importance, then the larger one; ties keep the session's order), default 8
    (6 in presenter mode), never a goal nobody rated above 0."""
    top = labels if labels is not None else (6 if presenter else 8)
    points = overview.points
    order = sorted(range(len(points)), key=lambda i: _importance(points[i]), reverse=True)
    return tuple(points[i] for i in order[: max(0, top)] if _importance(points[i])[0] > 0)


