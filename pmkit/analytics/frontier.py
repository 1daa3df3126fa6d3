"""The exact Pareto frontier of a product of issues, and the fair points on it (pure arrays).

A package takes one option of every issue; each issue adds, for every party, a term to that
party's utility: ``u(package) = offset + sum_k terms[k][choice_k]``. So the utilities of
all packages are the Minkowski sum of the issues' term sets, and the **Pareto frontier** is
found issue by issue: add the next issue's terms to every partial package kept so far and
keep only the partial sums nobody dominates (:func:`pareto_sum`).

**Exact.** A partial sum ``a`` dominated by ``b`` (over the same issues) is never part of a
Pareto-optimal package: whatever the remaining issues add, they add to both alike, so
``b + rest`` dominates ``a + rest``. Keeping only the undominated partial sums after every
issue therefore loses nothing, and what remains after the last issue is the frontier of the
whole product, without enumerating it. Options not acceptable to every party (a value
beyond a walk-away, an option somebody cannot accept) are removed from their issue before
the merge. Only the constraint ``u_p >= d_p`` is left: it is upward closed (what dominates
an acceptable package is acceptable), so the Pareto set of acceptable packages is the
frontier filtered by it.

**The fair points are on the frontier.** Nash ``prod_p g_p``, Kalai–Smorodinsky
``min_p g_p / g*_p`` and welfare ``sum_p g_p`` (``g = u - d``) never decrease when a gain
grows, and a package that dominates another has a strictly larger total gain, which is the
first tie-break: so the package the rule picks among all acceptable packages is never
dominated, and it is found among the frontier's. Likewise each party's best acceptable
``u*_p`` (the Kalai–Smorodinsky reference): take an acceptable maximiser of ``u_p``; an
undominated package at least as good for everyone exists and is acceptable too (``u >= d``
is upward closed), so ``u*_p`` is the largest ``u_p`` on the acceptable frontier.

**Order and ties.** Packages are numbered in lexicographic order of their choices, the first
issue most significant, each issue's options in their given order (``index = sum_k choice_k
* stride_k``). Among packages with the same utility for everyone only the one with the
smallest index is kept (``index(a + c) < index(b + c)`` when ``index(a) < index(b)``, so
this too can be decided on partial sums), and the frontier is returned in index order, so
"the first candidate" of the tie rule is the same as in an enumeration of everything.
Partial sums are compared after grouping, per party, values closer than ``1e-12`` (float
noise of sums in a different order, far below the 12 decimals utilities are rounded to).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "DECIMALS",
    "Frontier",
    "count_at_least",
    "ks_index",
    "nash_index",
    "pareto_mask",
    "pareto_sum",
    "welfare_index",
]

DECIMALS = 12
_EPS = 10.0**-DECIMALS  # satisfaction and gains are exact to this (rounded), up to float noise
_SAME = 1e-12  # partial sums closer than this in a party's utility count as equal
_BLOCK = 1024


# -- dominance ----------------------------------------------------------------------------
def _keys(u: np.ndarray) -> np.ndarray:
    """Integer ranks per column, values closer than :data:`_SAME` to the previous one sharing
    its rank: dominance and equality on ranks are exact and transitive."""
    k = np.empty(u.shape, dtype=np.int64)
    for p in range(u.shape[1]):
        order = np.argsort(u[:, p], kind="stable")
        v = u[order, p]
        k[order, p] = np.cumsum(np.r_[0, np.diff(v) > _SAME])
    return k


def _undominated(k: np.ndarray) -> np.ndarray:
    """True for the rows of integer keys ``k`` that no other row dominates, and only the first
    row (smallest position) of rows with equal keys."""
    n, m = k.shape
    if n == 0:
        return np.zeros(0, dtype=bool)
    # best first (lexicographically descending), equal rows by position: a row can only be
    # dominated by, or equal to, an earlier one
    order = np.lexsort((np.arange(n), *(-k[:, p] for p in range(m - 1, -1, -1))))
    s = k[order]
    keep = np.zeros(n, dtype=bool)
    if m == 1:
        keep[0] = True
    elif m == 2:
        best = np.r_[np.iinfo(np.int64).min, np.maximum.accumulate(s[:, 1])[:-1]]
        keep = s[:, 1] > best
    else:
        kept = np.empty((0, m), dtype=np.int64)
        for start in range(0, n, _BLOCK):
            block = s[start:start + _BLOCK]
            out = np.zeros(len(block), dtype=bool)
            for lo in range(0, len(kept), _BLOCK):  # by an earlier survivor
                out |= np.all(kept[None, lo:lo + _BLOCK, :] >= block[:, None, :], axis=2).any(axis=1)
            rest = np.flatnonzero(~out)
            sub = block[rest]
            ge = np.tril(np.all(sub[None, :, :] >= sub[:, None, :], axis=2), -1)  # by an earlier row here
            good = rest[~ge.any(axis=1)]
            keep[start + good] = True
            kept = np.vstack([kept, block[good]])
    mask = np.zeros(n, dtype=bool)
    mask[order[keep]] = True
    return mask


def pareto_mask(u: np.ndarray) -> np.ndarray:
    """True for the rows of ``u`` (candidates x parties, larger is better) nobody dominates."""
    u = np.asarray(u, dtype=float)
    n = len(u)
    if n == 0:
        return np.zeros(0, dtype=bool)
    if u.shape[1] == 1:
        return np.asarray(u[:, 0] == u[:, 0].max())
    if u.shape[1] == 2:
        return _pareto_2d(u)
    return _pareto_nd(u)


def _pareto_2d(u: np.ndarray) -> np.ndarray:
    x, y = u[:, 0], u[:, 1]
    order = np.lexsort((-y, -x))  # x descending, then y descending
    xs, ys = x[order], y[order]
    starts = np.flatnonzero(np.r_[True, xs[1:] != xs[:-1]])
    group = np.cumsum(np.r_[True, xs[1:] != xs[:-1]]) - 1
    best = np.maximum.accumulate(ys)
    best_before = np.r_[-np.inf, best[starts[1:] - 1]][group]  # best y at a strictly larger x
    top_in_group = ys[starts][group]  # best y at the same x
    dominated = (best_before >= ys) | (top_in_group > ys)
    mask = np.empty(len(u), dtype=bool)
    mask[order] = ~dominated
    return mask


def _pareto_nd(u: np.ndarray) -> np.ndarray:
    # Sorted by total, a row can only be dominated by an earlier one; each survivor in turn
    # removes what it dominates.
    order = np.argsort(-u.sum(axis=1), kind="stable")
    p = u[order]
    alive = np.arange(len(p))
    i = 0
    while i < len(alive):
        here = p[alive[i]]
        rest = p[alive]
        dominated = np.all(rest <= here, axis=1) & np.any(rest < here, axis=1)
        alive = alive[~dominated]
        i += 1
    mask = np.zeros(len(u), dtype=bool)
    mask[order[alive]] = True
    return mask


# -- the merge ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Frontier:
    choices: np.ndarray  # (packages, issues) option index per issue, rows in index order
    utility: np.ndarray  # (packages, parties), rounded to DECIMALS
    sizes: tuple[int, ...]  # options per issue (all of them, acceptable or not)

    def index(self, row: int) -> int:
        """The package's number in lexicographic order of its choices."""
        out = 0
        for size, c in zip(self.sizes, self.choices[row], strict=True):
            out = out * size + int(c)
        return out


def _acceptable(terms: Sequence[np.ndarray], ok: Sequence[np.ndarray] | None) -> list[np.ndarray]:
    if ok is None:
        return [np.arange(len(t)) for t in terms]
    return [np.flatnonzero(np.asarray(o, dtype=bool)) for o in ok]


def pareto_sum(terms: Sequence[np.ndarray], offset: np.ndarray,
               ok: Sequence[np.ndarray] | None = None) -> Frontier:
    """The Pareto frontier of ``offset + sum_k terms[k][choice_k]`` over every combination of
    acceptable choices (``ok[k]`` marks issue ``k``'s), without enumerating them.

    ``terms[k]`` is (options of issue k, parties). Returns the undominated packages, one per
    utility vector (the smallest index), in index order; empty when an issue has no
    acceptable option.
    """
    offset = np.asarray(offset, dtype=float)
    m = len(offset)
    sizes = tuple(len(t) for t in terms)
    allowed = _acceptable(terms, ok)
    sums = offset[None, :].copy()
    choices = np.zeros((1, 0), dtype=np.int64)
    for t, idx in zip(terms, allowed, strict=True):
        t = np.asarray(t, dtype=float).reshape(len(t), m)[idx]
        n = len(idx)
        if n == 0:
            return Frontier(np.zeros((0, len(terms)), dtype=np.int64), np.zeros((0, m)), sizes)
        cand = (sums[:, None, :] + t[None, :, :]).reshape(-1, m)
        # rows of ``sums`` are in index order, so flat positions are too: (parent, option)
        keep = np.flatnonzero(_undominated(_keys(cand)))
        parent, option = np.divmod(keep, n)
        sums = cand[keep]
        choices = np.c_[choices[parent], idx[option]]
    return Frontier(choices, np.round(sums, DECIMALS), sizes)


def count_at_least(terms: Sequence[np.ndarray], offset: np.ndarray, floor: np.ndarray,
                   ok: Sequence[np.ndarray] | None = None, limit: int = 4_000_000) -> int | None:
    """How many combinations of acceptable choices have ``round(u, 12) >= floor`` for every
    party: the product when every package does (the smallest sums already reach the floor),
    else by enumeration in chunks up to ``limit`` packages; ``None`` beyond that."""
    offset = np.asarray(offset, dtype=float)
    floor = np.round(np.asarray(floor, dtype=float), DECIMALS)
    m = len(offset)
    allowed = _acceptable(terms, ok)
    parts = [np.asarray(t, dtype=float).reshape(len(t), m)[i] for t, i in zip(terms, allowed, strict=True)]
    total = 1
    for part in parts:
        total *= len(part)
    if total == 0:
        return 0
    low = offset + sum((part.min(axis=0) for part in parts), np.zeros(m))
    if np.all(np.round(low, DECIMALS) >= floor):
        return total
    if total > limit:
        return None
    # enumerate: the last issues vectorised, the first ones looped
    inner = offset[None, :]
    split = len(parts)
    while split > 0 and len(inner) * len(parts[split - 1]) <= 1 << 16:
        split -= 1
        inner = (parts[split][:, None, :] + inner[None, :, :]).reshape(-1, m)
    outer = np.zeros((1, m))
    for part in parts[:split]:
        outer = (outer[:, None, :] + part[None, :, :]).reshape(-1, m)
    count = 0
    for row in outer:
        count += int(np.all(np.round(inner + row, DECIMALS) >= floor, axis=1).sum())
    return count


# -- the fair points ----------------------------------------------------------------------
def _gains(u: np.ndarray, d: np.ndarray, ok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    g = np.round(np.asarray(u, dtype=float) - np.asarray(d, dtype=float), DECIMALS)
    keep = np.asarray(ok, dtype=bool) & np.all(g >= 0, axis=1)
    idx = np.flatnonzero(keep)
    return idx, g[idx]


def _choose(idx: np.ndarray, g: np.ndarray, criterion: np.ndarray, error: np.ndarray | float) -> int:
    """The row of ``idx`` with the largest ``criterion``; ties go to the larger total gain, then
    the larger smallest gain, then the first row. Two values are tied when they differ by
    no more than their error bounds (``error`` for the criterion): the gains are exact to
    ``1e-12`` only, so 0.6 x 0.666666666667 ties with 0.4 x 1.0."""
    m = g.shape[1]
    keep = np.arange(len(idx))
    for values, err in ((criterion, error), (g.sum(axis=1), m * _EPS), (g.min(axis=1), _EPS)):
        v = values[keep]
        e = np.broadcast_to(np.asarray(err, dtype=float), values.shape)[keep]
        top = int(np.argmax(v))
        keep = keep[v >= v[top] - (e[top] + e)]
        if len(keep) == 1:
            break
    return int(idx[keep[0]])


def nash_index(u: np.ndarray, d: np.ndarray, ok: np.ndarray) -> int | None:
    """Row maximising the product of gains over ``d`` among ``ok`` rows with no loss."""
    idx, g = _gains(u, d, ok)
    if not len(idx):
        return None
    m = g.shape[1]
    others = [np.prod(np.delete(g, p, axis=1), axis=1) for p in range(m)]
    return _choose(idx, g, np.prod(g, axis=1), _EPS * np.sum(others, axis=0))  # first-order error of the product


def ks_index(u: np.ndarray, d: np.ndarray, ok: np.ndarray) -> int | None:
    """Row maximising the smallest gain relative to each party's best possible gain."""
    idx, g = _gains(u, d, ok)
    if not len(idx):
        return None
    ideal = g.max(axis=0)
    has = ideal > 0
    rel = np.where(has, g / np.where(has, ideal, 1.0), 1.0)
    error = float(np.max(np.where(has, 2 * _EPS / np.where(has, ideal, 1.0), 0.0)))  # of g / ideal
    return _choose(idx, g, rel.min(axis=1), error)


def welfare_index(u: np.ndarray, d: np.ndarray, ok: np.ndarray) -> int | None:
    """Row maximising the sum of gains."""
    idx, g = _gains(u, d, ok)
    if not len(idx):
        return None
    return _choose(idx, g, g.sum(axis=1), g.shape[1] * _EPS)
