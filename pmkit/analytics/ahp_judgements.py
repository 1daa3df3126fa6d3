"""A party sets its goal importances by pairwise comparison (AHP, :mod:`pmkit.analytics.ahp`).

**The judgement file** (YAML) is a list; each entry compares two goals the party may see,
by their ids (``pmkit export SESSION --as PARTY`` prints the party's goals with their ids)::

    # [goal, other goal, how many times more important the first is than the second]
    - [test-env, weekly-status, 3]      # test-env moderately more important
    - [test-env, cutover-date, 1/3]     # cutover-date moderately more important than test-env
    - [cutover-date, weekly-status, 5]  # strongly more important

The number is Saaty's 1–9 scale (1 equal, 3 moderately, 5 strongly, 7 very strongly,
9 extremely more important; 2, 4, 6, 8 in between) or its reciprocal (``1/3``: the other
goal is moderately more important); any value from 1/9 to 9 is accepted. An entry may
also be written ``{goal: a, other: b, value: 3}``. Every pair of the goals named must be
judged exactly once; goals not named are left as they are.

:func:`weigh` turns the judgements into priorities, the consistency ratio (a warning above
0.1) and 0–5 importances (the most important goal gets 5). :attr:`Weighing.ratings` are
those importances as the party's ratings, keeping each goal's stance (neutral when it was
not rated), for :meth:`pmkit.store.Workspace.set_ratings` to set in one edit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator, model_validator

from pmkit.analytics.ahp import CR_THRESHOLD, RANDOM_INDEX, AhpResult, ahp, importances, matrix_from_judgements
from pmkit.analytics.participants import GroupAhp
from pmkit.errors import InputError, invalid
from pmkit.i18n import N_, _
from pmkit.model import Session
from pmkit.text import priority

__all__ = [
    "JUDGEMENTS_HINT",
    "MAX_GOALS",
    "GoalWeight",
    "Judgement",
    "Weighing",
    "group_json",
    "group_lines",
    "parse_judgements",
    "weigh",
    "weighing_json",
    "weighing_lines",
]

MAX_GOALS = len(RANDOM_INDEX)  # Saaty's random index is tabled up to 15 items
JUDGEMENTS_HINT = N_("write one [goal, other goal, number] per line")  # shown as _(JUDGEMENTS_HINT)


class Judgement(BaseModel):
    """``goal`` is ``value`` times as important as ``other`` (Saaty's 1/9 to 9)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    goal: str = Field(min_length=1, max_length=64)
    other: str = Field(min_length=1, max_length=64)
    value: float

    @model_validator(mode="before")
    @classmethod
    def _from_triple(cls, data: Any) -> Any:
        if isinstance(data, (list, tuple)):
            if len(data) != 3:
                raise ValueError(_("write [goal, other goal, number], got {n} value(s)").format(n=len(data)))
            return {"goal": data[0], "other": data[1], "value": data[2]}
        return data

    @field_validator("goal", "other", mode="before")
    @classmethod
    def _goal_id(cls, value: Any) -> Any:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)  # an id such as 2024 reads as a number in YAML
        return value

    @field_validator("value", mode="before")
    @classmethod
    def _number(cls, value: Any) -> float:
        if isinstance(value, bool):
            raise ValueError(_("use a number from 1/9 to 9, not true or false"))
        if isinstance(value, str):
            try:
                value = Fraction(value.replace(" ", ""))
            except (ValueError, ZeroDivisionError):
                raise ValueError(_("{value} is not a number; use e.g. 3 or 1/3").format(value=repr(value))) from None
        if not isinstance(value, (int, float, Fraction)):
            raise ValueError(_("{value} is not a number; use e.g. 3 or 1/3").format(value=repr(value)))
        v = float(value)
        if not 1 / 9 - 1e-9 <= v <= 9 + 1e-9:
            raise ValueError(_("{value} is off Saaty's scale; use 1/9 to 9").format(value=value))
        return v


_JUDGEMENTS = TypeAdapter(list[Judgement])


def _where(loc: tuple[int | str, ...]) -> str:
    if loc and isinstance(loc[0], int):
        rest = ".".join(str(x) for x in loc[1:])
        n = loc[0] + 1
        if rest and rest != "value":
            return _("judgement {n} ({rest})").format(n=n, rest=rest)
        return _("judgement {n}").format(n=n)
    return ".".join(str(x) for x in loc) or _("the file")


def parse_judgements(data: Any, where: str = "input") -> tuple[Judgement, ...]:
    """Validate plain data (a list of ``[goal, other, number]``) as judgements."""
    if not isinstance(data, list):
        raise InputError(_("{where}: expected a list of [goal, other goal, number], got {type}").format(
            where=where, type=type(data).__name__))
    if not data:
        raise InputError(_("{where}: no judgements; {hint}").format(
            where=where, hint=_(JUDGEMENTS_HINT)))
    try:
        return tuple(_JUDGEMENTS.validate_python(data))
    except ValidationError as exc:
        raise invalid(exc, f"{where}: {_where(tuple(exc.errors()[0]['loc']))}", located=False) from None


@dataclass(frozen=True)
class GoalWeight:
    goal_id: str
    title: str
    priority: float
    importance: int  # the new importance, 0-5
    before: int | None  # the party's importance now (None: not rated)
    stance: str  # kept as it is (neutral when not rated)

    @property
    def changes(self) -> bool:
        return self.before != self.importance


@dataclass(frozen=True)
class Weighing:
    party: str
    party_name: str
    goals: tuple[GoalWeight, ...]  # in the session's order
    judgements: int
    result: AhpResult

    @property
    def changed(self) -> tuple[GoalWeight, ...]:
        return tuple(g for g in self.goals if g.changes)

    @property
    def ratings(self) -> dict[str, tuple[int | None, str | None]]:
        """``{goal id: (importance, None)}``: the new importances, each goal's stance kept as
        it is when they are set (:meth:`pmkit.store.Workspace.set_ratings`)."""
        return {g.goal_id: (g.importance, None) for g in self.goals}


def weigh(view: Session, party: str, judgements: Sequence[Judgement | tuple[str, str, float]]) -> Weighing:
    """The importances ``party`` gets from ``judgements``, in ``view`` (the party's own view:
    a goal it may not see is unknown here, like a goal that does not exist)."""
    if party not in view.party_ids:
        raise InputError(_("'{party}' is not a party of this session; weigh as one of {parties}").format(
            party=party, parties=', '.join(view.party_ids)))
    if not judgements:
        raise InputError(_("no judgements; compare at least two goals"))
    items = parse_judgements([j.model_dump() if isinstance(j, Judgement) else list(j) for j in judgements],
                             "judgements")
    goals = {g.id: g for g in view.goals}
    named: list[str] = []
    pairs: set[frozenset[str]] = set()
    for j in items:
        pair = frozenset((j.goal, j.other))
        if pair in pairs and len(pair) == 2:
            raise InputError(_("'{goal}' and '{other}' are compared twice; keep one judgement").format(
                goal=j.goal, other=j.other))
        pairs.add(pair)
        for gid in (j.goal, j.other):
            if gid not in goals:
                raise InputError(_("no goal '{goal}' that {party} may weigh; see the ids with "
                                   "`pmkit export SESSION --as PARTY`").format(goal=gid, party=view.party_name(party)))
            if gid not in named:
                named.append(gid)
    if len(named) > MAX_GOALS:
        raise InputError(_("{n} goals compared; at most {limit} can be weighed at once").format(
            n=len(named), limit=MAX_GOALS))
    order = [g.id for g in view.goals if g.id in named]
    matrix = matrix_from_judgements(order, {(j.goal, j.other): j.value for j in items})
    result = ahp(matrix, order)
    new = importances(result)
    rows = []
    for gid, p in zip(result.items, result.priorities, strict=True):
        r = goals[gid].ratings.get(party)
        rows.append(GoalWeight(gid, goals[gid].title, p, new[gid], None if r is None else r.importance,
                               "neutral" if r is None else r.stance))
    return Weighing(party, view.party_name(party), tuple(rows), len(items), result)


def _now(before: int | None) -> str:
    return "-" if before is None else str(before)


def weighing_lines(weighing: Weighing) -> list[str]:
    """A terminal summary: one goal per line, then lambda max, CI, CR and any warning."""
    r = weighing.result
    out = [_("{party_name}: {n} goals from {judgements} judgement(s)").format(
        party_name=weighing.party_name, n=len(weighing.goals), judgements=weighing.judgements),
        "GOAL\tPRIORITY\tIMPORTANCE\tNOW\tTITLE"]
    for g in weighing.goals:
        out.append(f"{g.goal_id}\t{priority(g.priority)}\t{g.importance}\t{_now(g.before)}\t{g.title}")
    verdict = _("consistent enough") if r.warning is None else _("too inconsistent")
    out.append(_("lambda_max {lambda_max}  CI {ci}  CR {cr} ({verdict}: the limit "
                 "is {limit})").format(
                     lambda_max=priority(r.lambda_max), ci=priority(r.consistency_index),
                     cr=priority(r.consistency_ratio), verdict=verdict, limit=CR_THRESHOLD))
    if r.warning is not None:
        out.append(_("warning: {warning}").format(warning=r.warning))
    return out


def weighing_json(weighing: Weighing, **extra: Any) -> str:
    """One line of JSON: the goals with priority and importances, lambda max, CI, CR."""
    r = weighing.result
    data = {
        **extra,
        "party": weighing.party,
        "judgements": weighing.judgements,
        "goals": [{"id": g.goal_id, "title": g.title, "priority": g.priority, "importance": g.importance,
                   "before": g.before, "stance": g.stance} for g in weighing.goals],
        "lambda_max": r.lambda_max,
        "consistency_index": r.consistency_index,
        "consistency_ratio": r.consistency_ratio,
        "warning": r.warning,
    }
    return json.dumps(data, ensure_ascii=False, allow_nan=False)


def group_lines(group: GroupAhp, names: Mapping[str, str], titles: Mapping[str, str]) -> list[str]:
    """A terminal summary of a side's group weighing (AIJ): each member's own CR, then each
    goal's priority from the aggregate matrix, then the aggregate's lambda max, CI and CR."""
    r = group.result
    out = [_("{n} participant(s), {n2} goals; the aggregate is the weighted geometric mean of their "
             "judgements (AIJ)").format(n=len(group.members), n2=len(group.items)), "PARTICIPANT\tCR\tNAME"]
    for pid, cr in group.members:
        out.append(f"{pid}\t{'incomplete' if cr is None else priority(cr)}\t{names.get(pid, pid)}")
    out.append("GOAL\tPRIORITY\tTITLE")
    out += [f"{g}\t{priority(p)}\t{titles.get(g, g)}" for g, p in zip(r.items, r.priorities, strict=True)]
    verdict = _("consistent enough") if r.warning is None else _("too inconsistent")
    out.append(_("aggregate: lambda_max {lambda_max}  CI {ci}  CR {cr} ({verdict}: "
                 "the limit is {limit})").format(
                     lambda_max=priority(r.lambda_max), ci=priority(r.consistency_index),
                     cr=priority(r.consistency_ratio), verdict=verdict, limit=CR_THRESHOLD))
    return out


def group_json(group: GroupAhp, **extra: Any) -> str:
    """One line of JSON: each member's CR (null: not every pair judged), the aggregate's
    priorities, lambda max, CI and CR."""
    r = group.result
    return json.dumps({
        **extra, "party": group.party,
        "participants": [{"id": pid, "consistency_ratio": cr} for pid, cr in group.members],
        "goals": [{"id": g, "priority": p} for g, p in zip(r.items, r.priorities, strict=True)],
        "lambda_max": r.lambda_max, "consistency_index": r.consistency_index,
        "consistency_ratio": r.consistency_ratio, "warning": r.warning,
    })

