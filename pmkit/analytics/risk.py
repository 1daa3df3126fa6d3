"""The facilitator's risk read-out: how risky a joint meeting is now, why, and the options.

For the facilitator only: it names items withheld from the customer. It takes the full
session (the facilitator's view); a party's view would hide exactly what it looks for.
``a`` is the first party (the customer), ``b`` the second (management). Points:

* **misalignment**: alignment below 50 scores 2, below 70 scores 1 (n/a scores 0); the
  exact alignment is compared, so 69.95 scores 1 (its reason says "70 of 100 (just
  below 70)", as it is shown rounded);
* **high-stakes conflicts**: each conflict between a and b where both rate the goal 4 or
  more scores 1 (at most 3);
* **no bargaining range**: each numeric issue with a gap between the walk-aways scores 2
  (at most 4);
* **withheld items bearing on the customer's goals**: an item a may not see (goal, issue,
  agreement, action, or another party's note) bears on a's goals when its words share a
  content word with a visible goal a rates 3 or more, or with a visible issue a holds a
  position on; each scores 2 (at most 4). Content words and their stems are the echo
  check's (:func:`pmkit.rules.echo_check.content_words`, the rule ``pmkit check`` uses:
  acronyms such as "EDI" count, "onboarding" and "onboard" are one word); withheld goals
  rated 3 or more by their owner with no such link score 1 in all;
* **the disclosure plan** (:mod:`pmkit.analytics.disclosure_plan`, on ``today``):

  - **undecided**: each withheld item whose owner has not decided scores 1 (at most 2);
  - **customer affected soon**: each item still withheld whose customer-affected day (set or
    suggested) is ``near_days`` (``plan_warn_days``, 14) or fewer days away, or has passed,
    scores 2 (at most 4);
  - **past the disclose-by day**: each item decided "by" a day before today and still
    withheld scores 2 (at most 4).

* **a side not united on a goal the other side cares about**: each goal where a side's
  members are not united (:func:`pmkit.analytics.participants.divisions`: their importances
  differ by 3 or more, or one supports what another opposes) and another side rates the
  goal 3 or more scores 1. The goals are listed (the facilitator's record prints them):
  settle them inside that side first, or decline to side with either.

**Level**: 0–2 low, 3–5 medium, 6 or more high.

The options are always listed, each with what it risks; one is marked *suggested*: first
agree with management what to disclose when anything withheld bears on the customer's
goals, affects the customer soon or is past its disclose-by day; else escalate to the
sponsor when the level is high without the plan's points (what an agreement with management
cannot settle); else first agree with management when something withheld is undecided;
else meet jointly. Stepping back is never suggested: it is the facilitator's
own call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pmkit.analytics.bargaining import BargainingRange, bargaining_ranges
from pmkit.analytics.disclosure_plan import NEAR_DAYS, PlanLine, plan_lines
from pmkit.analytics.overlap import HIGH, analyze
from pmkit.analytics.participants import Division
from pmkit.i18n import N_, _, ngettext
from pmkit.model import FACILITATOR, Session
from pmkit.rules.echo_check import content_words
from pmkit.rules.visibility import may_see
from pmkit.text import alignment, day, quantity, rounded

__all__ = ["HIGH_STAKES", "LEVELS", "Option", "Reason", "RiskReadout", "Withheld", "risk_readout"]

HIGH_STAKES = 4
LEVELS = {"low": N_("low"), "medium": N_("medium"), "high": N_("high")}  # shown as _(LEVELS[level])
_ALIGNED, _MISALIGNED = 70, 50  # alignment below these scores 1 or 2 (the exact value, not as shown)


@dataclass(frozen=True)
class Reason:
    factor: str
    points: int
    text: str


@dataclass(frozen=True)
class Withheld:
    kind: str
    item_id: str
    title: str
    audience: str
    bears_on: tuple[str, ...]  # titles of the customer's goals or issues it shares words with


@dataclass(frozen=True)
class Option:
    name: str
    when: str
    risks: str
    suggested: bool


@dataclass(frozen=True)
class RiskReadout:
    level: str  # "low", "medium" or "high"
    score: int
    reasons: tuple[Reason, ...]
    withheld: tuple[Withheld, ...]
    options: tuple[Option, ...]
    not_united: tuple[Division, ...] = ()  # sides split on a goal the other side cares about


def _words(text: str) -> set[str]:
    """The content words of ``text`` by the echo check's rule (their stems)."""
    return set(content_words(text))


def _withheld(session: Session, a: str) -> list[Withheld]:
    ratings_a = {g.id: g.ratings.get(a) for g in session.goals}
    targets: list[tuple[str, set[str]]] = []
    for g in session.goals:
        r = ratings_a[g.id]
        if may_see(a, g.audience) and r is not None and r.importance >= HIGH:
            targets.append((g.title, _words(f"{g.title} {g.description}")))
    for i in session.issues:
        if may_see(a, i.audience) and a in i.positions:
            targets.append((i.title, _words(i.title)))
    out: list[Withheld] = []
    items: Iterable[tuple[str, str, str, str, str]] = (
        *(("goal", g.id, g.title, g.audience, f"{g.title} {g.description}") for g in session.goals),
        *(("issue", i.id, i.title, i.audience, i.title) for i in session.issues),
        *(("agreement", x.id, x.text, x.audience, x.text) for x in session.agreements),
        *(("action", x.id, x.title, x.audience, x.title) for x in session.actions),
        *(("note", x.id, x.text, x.audience, x.text) for x in session.notes if x.audience != FACILITATOR),
    )
    for kind, item_id, title, audience, text in items:
        if may_see(a, audience):
            continue
        words = _words(text)
        bears = tuple(t for t, tw in targets if words & tw)
        out.append(Withheld(kind, item_id, title, audience, bears))
    return out


_OPTIONS = (
    (N_("meet jointly on the shared items"),
     N_("little is withheld that bears on the customer's goals and the gaps look bridgeable"),
     N_("withheld items surface later and the customer feels misled; agreements made on partial "
        "information may have to be reopened")),
    (N_("first agree with management what to disclose"),
     N_("something withheld bears on what the customer is asking for"),
     N_("delays the joint meeting; the customer may read the delay as stalling; management may "
        "decide to disclose nothing and leave you carrying it")),
    (N_("escalate to the sponsor"),
     N_("the gaps or conflicts cannot be closed at this level"),
     N_("strains your standing with management; takes the timing out of your hands; can harden "
        "positions on both sides")),
    (N_("step back"),
     N_("you are asked to carry a position you cannot stand behind"),
     N_("you lose influence over the outcome; the parties may read it as abandonment; the "
        "conflict is left without a facilitator")),
)  # translated when read out


def _plan_reasons(lines: Sequence[PlanLine]) -> tuple[list[Reason], bool]:
    """The disclosure plan's points, and whether any is urgent (soon or overdue)."""
    reasons: list[Reason] = []
    undecided = [x for x in lines if x.decision == "undecided"]
    if undecided:
        reasons.append(Reason("undecided", min(len(undecided), 2),
                              _("{n} withheld item(s) with no disclosure decision: {titles}").format(
                                  n=len(undecided), titles="; ".join(x.title for x in undecided))))
    soon = [x for x in lines if x.near]
    if soon:
        reasons.append(Reason("affected soon", min(2 * len(soon), 4),
                              _("{n} withheld item(s) affect the customer soon: {titles}").format(
                                  n=len(soon), titles="; ".join(
                                      _("{title} (from {day}, {when})").format(
                                          title=x.title, day=day(x.affected_from),
                                          when=_days(x.days_left)) for x in soon))))
    overdue = [x for x in lines if x.overdue]
    if overdue:
        reasons.append(Reason("past disclose-by", min(2 * len(overdue), 4),
                              _("{n} withheld item(s) past the day to disclose by: {titles}").format(
                                  n=len(overdue), titles="; ".join(
                                      _("{title} (by {day})").format(title=x.title, day=day(x.by))
                                      for x in overdue))))
    return reasons, bool(soon or overdue)


def _level(score: int) -> str:
    return "high" if score >= 6 else "medium" if score >= 3 else "low"


def _days(left: int | None) -> str:
    if left is None:
        return _("no date")
    if left < 0:
        return ngettext("{n} day(s) ago", "{n} day(s) ago", -left).format(n=-left)
    return _("today") if left == 0 else ngettext("in {n} day(s)", "in {n} day(s)", left).format(n=left)


def risk_readout(
    session: Session,
    ranges: Sequence[BargainingRange] | None = None,
    pair: tuple[str, str] | None = None,
    *,
    today: dt.date | None = None,
    near_days: int = NEAR_DAYS,
    divisions: Sequence[Division] = (),
) -> RiskReadout:
    """The risk read-out of ``session`` (the facilitator's full view) on ``today`` (default:
    the local date), with ``divisions`` (where each side's members stand, per goal) when
    sides have members; see the module."""
    o = analyze(session, pair=pair)
    a, b = o.pair
    reasons: list[Reason] = []
    if o.alignment is not None and o.alignment < _ALIGNED:
        limit = _MISALIGNED if o.alignment < _MISALIGNED else _ALIGNED
        pts = 2 if limit == _MISALIGNED else 1
        shown = alignment(o.alignment)
        reasons.append(Reason("misalignment", pts,
                              _("alignment is {score} of 100 (just below {limit})").format(score=shown, limit=limit)
                              if float(rounded(o.alignment)) >= limit
                              else _("alignment is {score} of 100").format(score=shown)))
    stakes = [c for c in o.conflicts if {c.party_a, c.party_b} == {a, b}
              and min(c.importance_a, c.importance_b) >= HIGH_STAKES]
    if stakes:
        names = "; ".join(c.title for c in stakes)
        reasons.append(Reason("conflicts", min(len(stakes), 3),
                              _("{n} conflict(s) on goals both sides rate {level}+: {titles}").format(
                                  n=len(stakes), level=HIGH_STAKES, titles=names)))
    rngs = bargaining_ranges(session.issues, [a, b]) if ranges is None else tuple(ranges)
    gaps = [r for r in rngs if r.status == "gap"]
    if gaps:
        names = "; ".join(_("{title} (gap {size})").format(title=r.title, size=quantity(r.size, r.unit))
                          for r in gaps)
        reasons.append(Reason("no bargaining range", min(2 * len(gaps), 4),
                              _("{n} numeric issue(s) with no bargaining range: {titles}").format(
                                  n=len(gaps), titles=names)))
    withheld = _withheld(session, a)
    bearing = [w for w in withheld if w.bears_on]
    if bearing:
        names = "; ".join(_("{title} (bears on: {goals})").format(title=w.title, goals=", ".join(w.bears_on))
                          for w in bearing)
        reasons.append(Reason("withheld", min(2 * len(bearing), 4),
                              _("{n} item(s) withheld from {party} bear on its goals: {titles}").format(
                                  n=len(bearing), party=a, titles=names)))
    linked = {w.item_id for w in bearing}
    material = [
        g for g in session.goals
        if not may_see(a, g.audience) and g.id not in linked
        and (g.ratings.get(g.raised_by) is not None and g.ratings[g.raised_by].importance >= HIGH)
    ]
    if material:
        reasons.append(Reason("withheld", 1, _(
            "{n} other withheld goal(s) their owner rates {level}+: {titles}").format(
            n=len(material), level=HIGH, titles="; ".join(g.title for g in material))))
    split = _not_united(session, divisions)
    if split:
        names = "; ".join(f"{t} ({session.party_name(d.party)}: {_why(d)})" for t, d in split)
        reasons.append(Reason("not united", len(split), _(
            "{n} goal(s) on which a side is not united and the other side rates it {level}+: {titles}").format(
                n=len(split), level=HIGH, titles=names)))
    plan, urgent = _plan_reasons(plan_lines(session, today or dt.date.today(), near_days=near_days))
    without_plan = sum(r.points for r in reasons)
    reasons += plan
    score = sum(r.points for r in reasons)
    level = _level(score)
    undecided = any(r.factor == "undecided" for r in plan)
    suggested = 1 if bearing or urgent else 2 if _level(without_plan) == "high" else 1 if undecided else 0
    options = tuple(
        Option(_(name), _(when), _(risks), n == suggested) for n, (name, when, risks) in enumerate(_OPTIONS)
    )
    return RiskReadout(level, score, tuple(reasons), tuple(withheld), options, tuple(d for _t, d in split))


def _not_united(session: Session, divisions: Sequence[Division]) -> list[tuple[str, Division]]:
    goals = {g.id: g for g in session.goals}
    out = []
    for d in divisions:
        g = goals.get(d.goal_id)
        if g is None or not d.not_united:
            continue
        others = [r for p, r in g.ratings.items() if p != d.party]
        if any(r.importance >= HIGH for r in others):
            out.append((g.title, d))
    return out


def _why(d: Division) -> str:
    parts = ([_("importances {low} to {high}").format(low=min(r.importance for r in d.ratings),
                                                     high=max(r.importance for r in d.ratings))]
             if d.spread is not None and d.spread >= 3 else [])
    return ", ".join(parts + ([_("support and oppose")] if d.opposed else []))
