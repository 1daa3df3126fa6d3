"""Improving an agreement once it is made (Raiffa's post-settlement settlement), exactly.

The parties agreed on a package, the **terms**: an option of every joint option issue, a
value of every joint numeric issue, and the joint goals adopted (every other goal is out).
An agreement is on what both sides see: items one side alone sees are not part of it, and
everything here is measured on the joint items only (:func:`joint`), so that the terms and
every proposal may be shown to every role. An **improvement** is a
package that leaves every party at least as well off as the terms and one better off, each
by its own private scores: ``u_p(x) >= u_p(terms)`` for every ``p`` and ``>`` for one, with
``u_p`` the satisfaction of :mod:`pmkit.analytics.packages` (goals, numeric issues and option
issues together). Only acceptable packages count (within every walk-away, no option somebody
cannot accept).

**The efficient improvements** are the Pareto-optimal packages that are improvements. Any
improvement is dominated by (or equal to) a Pareto-optimal package, which then improves on
the terms too: so these are every improvement worth proposing, and they are found on the
exact frontier (:func:`pmkit.analytics.frontier.pareto_sum`) without enumerating the
packages. None means the terms are already efficient. Each is listed with each party's
satisfaction and its gain over the terms (``u_p(x) - u_p(terms)``), ordered by the first
party's satisfaction; the terms' own satisfaction is computed by the same formula, with a
numeric value anywhere (not only on the grid of values the packages try).

Pure: the facilitator's view of the session in, the improvements out. What a party may learn
from a proposal is the store's and the docs' business (:mod:`pmkit.store.settlement`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from pmkit.analytics.frontier import DECIMALS, pareto_sum
from pmkit.analytics.packages import (
    ISSUE_IMPORTANCE,
    Column,
    Package,
    Problem,
    picks,
    problem,
    value_utility,
)
from pmkit.errors import InputError
from pmkit.i18n import _
from pmkit.model import JOINT, Session
from pmkit.text import number, shorten_list

__all__ = [
    "POINT_NAMES", "Improvements", "Terms", "improvements", "joint", "package_terms", "parse_terms", "terms_text",
    "terms_utility",
]

POINT_NAMES = {"nash": "nash", "kalai-smorodinsky": "kalai_smorodinsky", "max-welfare": "max_welfare"}


@dataclass(frozen=True)
class Terms:
    """A package as agreed: option per option issue, value per numeric issue, goals adopted."""

    options: tuple[tuple[str, str], ...] = ()
    values: tuple[tuple[str, float], ...] = ()
    goals_in: tuple[str, ...] = ()

    def as_data(self) -> dict[str, Any]:
        return {"options": dict(self.options), "values": dict(self.values), "goals_in": list(self.goals_in)}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Terms:
        return cls(tuple((str(k), str(v)) for k, v in dict(data.get("options", {})).items()),
                   tuple((str(k), float(v)) for k, v in dict(data.get("values", {})).items()),
                   tuple(str(g) for g in data.get("goals_in", ())))


def joint(session: Session) -> Session:
    """``session`` with its joint items only: what an agreement is on."""
    return session.model_copy(update={
        "goals": [g for g in session.goals if g.audience == JOINT],
        "issues": [i for i in session.issues if i.audience == JOINT],
        "option_issues": [o for o in session.option_issues if o.audience == JOINT]})


def package_terms(p: Package) -> Terms:
    """The terms of a package the analytics found."""
    return Terms(p.options, p.values, p.goals_in)


def parse_terms(session: Session, words: Sequence[str]) -> Terms:
    """Terms from ``ISSUE=OPTION`` (an option's id or label), ``ISSUE=NUMBER`` and
    ``GOAL=in|out`` words; goals not named are out. Every option issue and numeric issue
    must be named once. Only joint items may be named (:func:`joint`)."""
    session = joint(session)
    options = {oi.id: oi for oi in session.option_issues}
    issues = {i.id for i in session.issues}
    goals = {g.id for g in session.goals}
    chosen: dict[str, str] = {}
    values: dict[str, float] = {}
    goals_in: list[str] = []
    seen: set[str] = set()
    for word in words:
        key, sep, raw = word.partition("=")
        key, raw = key.strip(), raw.strip()
        if not sep or not key or not raw:
            raise InputError(_("a choice is ITEM=OPTION, ITEM=NUMBER or GOAL=in|out, got {word}").format(
                word=repr(word)))
        if key in seen:
            raise InputError(_("'{key}' is named twice; name each item once").format(key=key))
        seen.add(key)
        if key in options:
            oi = options[key]
            found = next((o.id for o in oi.options if raw in (o.id, o.label)), None)
            if found is None:
                raise InputError(_("'{raw}' is not an option of '{key}'; use one of {options}").format(
                    raw=raw, key=key, options=', '.join(oi.option_ids)))
            chosen[key] = found
        elif key in issues:
            try:
                values[key] = float(raw)
            except ValueError:
                raise InputError(_("the value of numeric issue '{key}' must be a number, got {raw}").format(
                    key=key, raw=repr(raw))) from None
        elif key in goals:
            if raw not in ("in", "out"):
                raise InputError(_("goal '{key}' is in or out, got {raw}").format(key=key, raw=repr(raw)))
            if raw == "in":
                goals_in.append(key)
        else:
            raise InputError(_(
                "no joint goal, numeric issue or option issue '{key}' in this session (an agreement is on joint "
                               "items)").format(key=key))
    missing = [i for i in (*options, *(i.id for i in session.issues)) if i not in chosen and i not in values]
    if missing:
        raise InputError(_("the terms must settle every issue; missing: {missing}").format(missing=', '.join(missing)))
    return Terms(tuple((i, chosen[i]) for i in options if i in chosen),
                 tuple((i.id, values[i.id]) for i in session.issues if i.id in values),
                 tuple(g.id for g in session.goals if g.id in goals_in))


def terms_text(session: Session, terms: Terms) -> str:
    """``Price = $3.47; Delivery = 45 days; goals adopted: a, b`` (titles and labels from
    ``session``; ids stand in for what it does not name)."""
    options = {oi.id: oi for oi in session.option_issues}
    titles = {**{g.id: g.title for g in session.goals}, **{i.id: i.title for i in session.issues},
              **{o.id: o.title for o in session.option_issues}}
    words = [f"{titles.get(i, i)} = {options[i].label(o) if i in options else o}" for i, o in terms.options]
    words += [f"{titles.get(i, i)} = {number(v)}" for i, v in terms.values]
    goals = [titles.get(g, g) for g in terms.goals_in]
    words.append(_("goals adopted: {goals}").format(goals=shorten_list(goals, 5)) if goals else _("no goal adopted"))
    return "; ".join(words)


def _column_term(session: Session, pb: Problem, column: Column, terms: Terms) -> np.ndarray:
    """What the terms' choice on ``column`` adds to each party's numerator."""
    if column.kind == "goal":
        return np.asarray(column.numerator[1 if column.id in terms.goals_in else 0])
    settled = {*dict(terms.options), *dict(terms.values)}
    if column.kind != "goal" and column.id not in settled:
        raise InputError(_("the agreement does not settle '{id}'; record it again with every issue").format(
            id=column.id))
    if column.kind == "option":
        option = dict(terms.options)[column.id]
        return np.asarray(column.numerator[column.choices.index(option)])
    value = dict(terms.values)[column.id]
    issue = next(i for i in session.issues if i.id == column.id)
    out = np.zeros(len(pb.parties))
    for p, pid in enumerate(pb.parties):
        pos = issue.positions.get(pid)
        if pos is not None:
            out[p] = ISSUE_IMPORTANCE * float(value_utility(pos, np.array([value]))[0])
    return out


def terms_utility(session: Session, pb: Problem, terms: Terms) -> np.ndarray:
    """Each party's satisfaction ``u_p`` from the terms (rounded to 12 decimals)."""
    scale = np.where(pb.norm > 0, pb.norm, 1.0)
    total = np.zeros(len(pb.parties))
    for goal in session.goals:  # the goals not traded: in the base when the packages fix them
        if goal.id in pb.traded:
            continue
        for p, pid in enumerate(pb.parties):
            r = goal.ratings.get(pid)
            if r is not None and r.stance == ("support" if goal.id in terms.goals_in else "oppose"):
                total[p] += r.importance
    for column in pb.columns:
        total += _column_term(session, pb, column, terms)
    return np.round(total / scale, DECIMALS)


@dataclass(frozen=True)
class Improvements:
    parties: tuple[str, ...]
    terms: Terms
    utility: tuple[float, ...]  # each party's satisfaction from the terms
    packages: tuple[Package, ...]  # the efficient improvements; gain: over the terms
    left_out: tuple[tuple[str, str], ...]  # issues the packages leave out, and why


def improvements(session: Session, terms: Terms, points: int = 11) -> Improvements:
    """The efficient packages every party prefers to ``terms`` (one at least as much, one
    strictly), from the facilitator's view of ``session`` (its joint items: :func:`joint`)."""
    session = joint(session)
    pb = problem(session, points)
    base = np.round(terms_utility(session, pb, terms), DECIMALS)
    scale = np.where(pb.norm > 0, pb.norm, 1.0)
    front = pareto_sum([c.numerator / scale for c in pb.columns], pb.base / scale, [c.ok for c in pb.columns])
    u = front.utility
    eps = 10.0 ** -DECIMALS
    better = np.all(u >= base - eps, axis=1) & np.any(u > base + eps, axis=1)
    rows = np.flatnonzero(better)
    rows = rows[np.argsort(u[rows, 0], kind="stable")] if len(pb.parties) else rows
    found: list[Package] = []
    for row in rows:
        traded_in, values, options = picks(pb, front.choices[row])
        adopted = traded_in | set(pb.fixed_in)
        found.append(Package(
            index=front.index(int(row)), goals_in=tuple(g.id for g in session.goals if g.id in adopted),
            values=values, utility=tuple(round(float(x), 4) for x in u[row]),
            gain=tuple(round(float(x), 4) for x in u[row] - base), options=options))
    return Improvements(pb.parties, terms, tuple(round(float(x), 4) for x in base), tuple(found), pb.left_out)
