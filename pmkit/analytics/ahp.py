"""Pairwise weighting (AHP): an optional way for a party to set its goal importances.

The party says, for each pair of goals (i, j), how many times more important i is than j
on Saaty's 1–9 scale (1 equal, 3 moderately, 5 strongly, 7 very strongly, 9 extremely
more; reciprocals for less). From the positive reciprocal matrix ``A`` (``a_ji = 1/a_ij``,
``a_ii = 1``):

* **priorities** ``p``: the principal (Perron) eigenvector of ``A``, ``A p = lambda_max p``,
  scaled to sum to 1;
* **consistency index** ``CI = (lambda_max - n) / (n - 1)``;
* **consistency ratio** ``CR = CI / RI(n)`` with the random index ``RI`` of Saaty's 1980
  table (*The Analytic Hierarchy Process*, McGraw-Hill; the mean CI of random reciprocal
  matrices of size n): 0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48,
  1.56, 1.57, 1.59 for n = 1..15. ``CR`` is 0 for n <= 2 (always consistent);
* a **warning** when ``CR > 0.1`` (Saaty's threshold): the judgements contradict each other
  enough that they should be revised before the priorities are used;
* **importances** 0–5 for the session: ``round(5 * p_i / max(p))`` (half up), so the most
  important goal gets 5 and the ratios between goals are kept as far as whole numbers allow.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from pmkit.errors import InputError
from pmkit.i18n import _
from pmkit.text import priority

__all__ = [
    "CR_THRESHOLD",
    "RANDOM_INDEX",
    "AhpResult",
    "ahp",
    "importances",
    "matrix_from_judgements",
]

# Saaty's 1980 table (The Analytic Hierarchy Process), n = 1..15
RANDOM_INDEX: tuple[float, ...] = (
    0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
)
CR_THRESHOLD = 0.1
_SCALE = (1 / 9, 9.0)


@dataclass(frozen=True)
class AhpResult:
    items: tuple[str, ...]
    priorities: tuple[float, ...]
    lambda_max: float
    consistency_index: float
    consistency_ratio: float
    warning: str | None


def matrix_from_judgements(items: Sequence[str], judgements: Mapping[tuple[str, str], float]) -> np.ndarray:
    """The reciprocal matrix from judgements ``{(i, j): how many times i matters more than j}``.

    Every pair must be judged once (either order); the diagonal is 1.
    """
    names = list(items)
    if len(set(names)) != len(names):
        raise InputError(_("each item may appear once in a pairwise comparison"))
    at = {name: n for n, name in enumerate(names)}
    a = np.ones((len(names), len(names)))
    seen: set[frozenset[str]] = set()
    for (i, j), value in judgements.items():
        for name in (i, j):
            if name not in at:
                raise InputError(_("'{name}' is not one of the items compared ({names})").format(
                    name=name, names=', '.join(names)))
        if i == j:
            raise InputError(_("compare '{i}' with another item, not with itself").format(i=i))
        key = frozenset((i, j))
        if key in seen:
            raise InputError(_("'{i}' and '{j}' are compared twice; keep one judgement").format(i=i, j=j))
        seen.add(key)
        v = _judgement(value, i, j)
        a[at[i], at[j]] = v
        a[at[j], at[i]] = 1.0 / v
    missing = [(x, y) for n, x in enumerate(names) for y in names[n + 1 :] if frozenset((x, y)) not in seen]
    if missing:
        x, y = missing[0]
        raise InputError(_("'{x}' and '{y}' are not compared ({n} pairs missing); judge every pair").format(
            x=x, y=y, n=len(missing)))
    return a


def _judgement(value: float, i: str, j: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError(_("judgement of '{i}' against '{j}' must be a number, got {value}").format(
            i=i, j=j, value=repr(value))) from None
    if not math.isfinite(v) or not _SCALE[0] - 1e-9 <= v <= _SCALE[1] + 1e-9:
        raise InputError(_("judgement of '{i}' against '{j}' is {value}; use 1/9 to 9 (Saaty's scale)").format(
            i=i, j=j, value=repr(value)))
    return v


def _check(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=float)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise InputError(_("a pairwise comparison matrix must be square and not empty, got shape {shape}").format(
            shape=a.shape))
    n = a.shape[0]
    if n > len(RANDOM_INDEX):
        raise InputError(_("at most {n} items can be compared pairwise, got {n2}").format(n=len(RANDOM_INDEX), n2=n))
    if not np.all(np.isfinite(a)) or np.any(a <= 0):
        raise InputError(_("every pairwise judgement must be a positive number"))
    if not np.allclose(np.diag(a), 1.0):
        raise InputError(_("each item compared with itself must be 1 (the diagonal)"))
    if not np.allclose(a * a.T, 1.0, rtol=1e-6):
        i, j = np.argwhere(~np.isclose(a * a.T, 1.0, rtol=1e-6))[0]
        raise InputError(_("judgements ({i},{j}) and ({j},{i}) must be reciprocals (a and 1/a)").format(
            i=i + 1, j=j + 1))
    return a


def ahp(matrix: np.ndarray | Sequence[Sequence[float]], items: Sequence[str] | None = None) -> AhpResult:
    """Priorities and consistency of a positive reciprocal pairwise comparison matrix."""
    a = _check(np.asarray(matrix, dtype=float))
    n = a.shape[0]
    names = tuple(items) if items is not None else tuple(str(i + 1) for i in range(n))
    if len(names) != n:
        raise InputError(_("{n} item names for a {n2} x {n2} matrix").format(n=len(names), n2=n))
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    lam = float(values[k].real)
    vec = np.abs(vectors[:, k].real)
    p = vec / vec.sum()
    ci = max((lam - n) / (n - 1), 0.0) if n > 2 else 0.0
    ri = RANDOM_INDEX[n - 1]
    cr = ci / ri if ri > 0 else 0.0
    warning = None
    if cr > CR_THRESHOLD:
        warning = (
            _("consistency ratio {cr} is above {limit}: the judgements contradict each other; revise "
              "the comparisons that disagree most before using these priorities").format(
                  cr=priority(cr), limit=CR_THRESHOLD)
        )
    return AhpResult(names, tuple(float(x) for x in p), lam, ci, cr, warning)


def importances(result: AhpResult) -> dict[str, int]:
    """Priorities as 0–5 importances: ``round(5 * p / max(p))``, half up."""
    top = max(result.priorities)
    pairs = zip(result.items, result.priorities, strict=True)
    return {name: int(math.floor(5.0 * p / top + 0.5 + 1e-9)) for name, p in pairs}
