"""The decision analytics put into words: every sentence the command line
(:func:`report_lines`), the facilitator's record
(:mod:`pmkit.reports.record`) and the board's negotiation panel say about a
:class:`~pmkit.analytics.decisions.DecisionReport`.

One source, plain text: a surface lays the pieces out (lines, table rows, list items) and
escapes them for HTML or Markdown, but words nothing itself. Numbers follow
:func:`pmkit.text.number`; long lists of titles are cut by :func:`pmkit.text.shorten_list`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pmkit.analytics.bargaining import NO_STEP, RangeFact
from pmkit.analytics.decisions import NEEDS_TWO, DecisionReport, packages_note_head
from pmkit.analytics.packages import Package, PackageResult
from pmkit.analytics.risk import LEVELS, Option, RiskReadout
from pmkit.analytics.whom_to_please import Sensitivity
from pmkit.i18n import N_, _, ngettext
from pmkit.text import number, quantity, share, shorten, shorten_list

__all__ = [
    "ANSWERS",
    "EXISTS",
    "POINTS",
    "DecisionWords",
    "PointWords",
    "RiskWords",
    "Said",
    "capitalised",
    "decision_words",
    "points_text",
    "probe_text",
    "range_text",
    "step_text",
    "report_lines",
    "weights_text",
]

EXISTS: dict[str, str] = {
    "exists": N_("a bargaining range exists"),
    "none": N_("no bargaining range"),
    "close": N_("too close to call: within one step of the other side's limit"),
    "incomplete": N_("not known yet: positions are missing"),
    "no step": N_("not known yet: {reason}"),
}  # translated where shown: exists_text()
ANSWERS: dict[str, str] = {
    "yes": N_("yes, acceptable to the other side"),
    "no": N_("no, beyond the other side's limit"),
    "close": N_("too close to call: within one step of their limit"),
    "unknown": N_("unknown: the other side has not given a limit"),
}  # translated where shown: _(ANSWERS[answer])
# label, attribute of PackageResult
POINTS: tuple[tuple[str, str], ...] = (
    (N_("Nash bargaining point"), "nash"),
    (N_("Kalai–Smorodinsky point"), "kalai_smorodinsky"),
    (N_("Maximum welfare"), "max_welfare"),
)  # labels translated where shown
_SHOWN = 3  # titles listed before "and N more"
_REASON_CHARS = 400  # a risk reason names items; the record lists them all
_TRADED_SHOWN = 5


@dataclass(frozen=True)
class Said:
    """What is said about one subject: a goal, a weight, a numeric issue."""

    subject: str  # "Budget", "w = 1/3 (0.333)"
    text: str  # "no overlap: a gap of 1.5 weeks between 2 and 3.5"
    status: str = ""  # for styling: "range", "gap", "not known", or a party's "exists", "none", ...
    unit: str = ""  # a numeric issue's unit


@dataclass(frozen=True)
class PointWords:
    """One of the fair packages: each party's satisfaction and what it settles."""

    label: str  # "Nash bargaining point"
    same_as: str  # "" or "the same package as the Nash bargaining point"
    cells: tuple[tuple[str, str], ...]  # per party: ("0.62", "gain +0.40")
    values: tuple[str, ...]  # "Acceptable slip = 3 weeks", "Payment terms = 30 days"
    traded: tuple[str, ...]  # titles of the traded goals it adopts

    @property
    def settles(self) -> str:
        """``Acceptable slip = 3 weeks; traded goals adopted: a; b``."""
        adopted = (_("traded goals adopted: {titles}").format(titles=shorten_list(self.traded, _TRADED_SHOWN))
                   if self.traded else _("adopts none of the traded goals"))
        return "; ".join([*self.values, adopted])


@dataclass(frozen=True)
class RiskWords:
    """The facilitator's risk read-out: level, score, why, and the options."""

    level: str  # "low", "medium", "high"
    score: str  # "7 points"
    reasons: tuple[str, ...]  # "alignment is 42 of 100 (2 points)"
    options: tuple[Option, ...]  # name, when, risks, suggested: worded by pmkit.analytics.risk
    level_text: str = ""  # the level in the reader's language ("low" in English)


@dataclass(frozen=True)
class DecisionWords:
    """A decision report in words, section by section."""

    whom: str  # what the whom-to-please lists mean, or why there are none
    robust: tuple[Said, ...]  # goals in the top k at every weight; text: each party's importance
    contested: tuple[Said, ...]  # goals in the top k at some weights only
    critical: tuple[Said, ...]  # weights at which the top k changes
    ranges: tuple[Said, ...]  # per numeric issue: range, gap, or what the role may know
    probes: tuple[Said, ...]  # answers to what-if questions (subject: the issue)
    packages: str  # how many packages, how many acceptable and efficient, or why none
    party_names: tuple[str, ...]  # the columns of ``points``
    points: tuple[PointWords, ...]
    left_out: tuple[Said, ...]  # numeric issues the packages leave out, and why
    risk: RiskWords | None
    notes: tuple[str, ...]  # anything else the analytics noted


def capitalised(text: str) -> str:
    """``text`` with its first letter upper case and a full stop at the end."""
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "." if text else ""


def points_text(points: int) -> str:
    """``1 point``, ``2 points``."""
    return ngettext("{n} point", "{n} points", points).format(n=points)


def weights_text(spans: Sequence[tuple[float, float]]) -> str:
    """``0.20–0.45, 0.60–1.00``: where a goal is in the top, or ``only at a tie``."""
    return ", ".join(f"{share(lo)}–{share(hi)}" for lo, hi in spans) or _("only at a tie")


def range_text(fact: RangeFact) -> str:
    """What ``fact``'s role may say about one issue's bargaining range.

    The facilitator: the range itself (the analytics' reason, e.g. ``acceptable to all from
    41.5 to 45 days (size 3.5)``) and the probe step the parties' answers use. A party:
    whether a range exists, the step of its answers and the what-if questions left."""
    r = fact.range
    if r is not None:
        said = r.reason if r.status != "incomplete" else _("not known: {reason}").format(reason=r.reason)
        return f"{said}; {step_text(fact)}"
    step = (_(", answers to the nearest {step}").format(step=quantity(fact.step, fact.unit)) if fact.step
            else "")
    left = "" if fact.probes_left is None else _("; {n} what-if question(s) left").format(n=fact.probes_left)
    return f"{exists_text(fact.exists)}{step}{left}"


def exists_text(exists: str) -> str:
    """What a party is told about whether a bargaining range exists (:data:`EXISTS`), in the
    reader's language."""
    return _(EXISTS[exists]).format(reason=_(NO_STEP))


def step_text(fact: RangeFact) -> str:
    """The probe step as the facilitator is told it: ``parties' answers to the nearest 5
    days``, or that there is none yet."""
    if fact.step is None:
        return _("no probe step yet: parties are told the range is not known until you set one")
    return _("parties' answers to the nearest {step}").format(step=quantity(fact.step, fact.unit))


def probe_text(fact: RangeFact) -> str:
    """The answer to the what-if question in ``fact``: ``44 days — too close to call: … (answers
    to the nearest 5; 4 question(s) left)``; empty when nothing was asked."""
    p = fact.probe
    if p is None:
        return ""
    how = (_("exact answer") if fact.range is not None
           else _("answers to the nearest {step}; {n} question(s) left").format(step=number(fact.step),
                                                                              n=p.probes_left))
    return f"{quantity(p.value, fact.unit)} — {_(ANSWERS[p.answer])} ({how})"


def _range_status(fact: RangeFact) -> str:
    if fact.range is None:
        return fact.exists
    return {"overlap": "range", "gap": "gap"}.get(fact.range.status, "not known")


def _whom(s: Sensitivity | None, party: Mapping[str, str], title: Mapping[str, str],
          notes: Sequence[str]) -> tuple[str, tuple[Said, ...], tuple[Said, ...], tuple[Said, ...]]:
    if s is None:
        return capitalised(_(NEEDS_TWO)), (), (), ()
    a, b = (party.get(p, p) for p in s.pair)

    def goals(ids: tuple[str, ...]) -> str:
        return shorten_list([title.get(g, g) for g in ids], _SHOWN)

    def rated(value: int | None) -> str:
        return _("not rated") if value is None else str(value)

    return (
        _("The top {k} goals as the weight on {a} moves from 0 (all weight on {b}) to 1 "
          "(all weight on {a}).").format(k=s.k, a=a, b=b),
        tuple(Said(g.title, f"{a} {rated(g.importance_a)}, {b} {rated(g.importance_b)}") for g in s.robust),
        tuple(Said(g.title, _("in the top {k} for weights {weights}").format(k=s.k, weights=weights_text(g.in_top_k)))
              for g in s.contested),
        tuple(Said(f"w = {c.exact} ({share(c.weight)})",
                   _("{after} overtakes {before}").format(after=goals(c.above_after), before=goals(c.above_before)))
              for c in s.critical),
    )


def _points(pk: PackageResult, title: Mapping[str, str], issues: Mapping[str, RangeFact],
            labels: Mapping[str, Mapping[str, str]]) -> tuple[PointWords, ...]:
    out: list[PointWords] = []
    seen: dict[int, str] = {}
    for label, attr in POINTS:
        p: Package | None = getattr(pk, attr)
        if p is None:
            continue
        values = tuple(
            f"{issues[i].title if i in issues else title.get(i, i)} = "
            + quantity(v, issues[i].unit if i in issues else "")
            for i, v in p.values
        ) + tuple(f"{title.get(i, i)} = {labels.get(i, {}).get(o, o)}" for i, o in p.options)
        out.append(PointWords(
            label=_(label),
            same_as=(_("the same package as the {point}").format(point=_(seen[p.index]))
                     if p.index in seen else ""),
            cells=tuple((share(u), _("gain {gain}").format(gain=share(g, signed=True)))
                        for u, g in zip(p.utility, p.gain, strict=True)),
            values=values,
            traded=tuple(title.get(g, g) for g in p.goals_in if g in pk.traded),
        ))
        seen.setdefault(p.index, label)
    return tuple(out)


def _risk(readout: RiskReadout) -> RiskWords:
    return RiskWords(
        level=readout.level,
        level_text=_(LEVELS[readout.level]),
        score=points_text(readout.score),
        reasons=tuple(f"{shorten(r.text, _REASON_CHARS)} ({points_text(r.points)})" for r in readout.reasons),
        options=readout.options,
    )


def decision_words(report: DecisionReport, titles: Mapping[str, str] | None = None,
                   parties: Mapping[str, str] | None = None) -> DecisionWords:
    """``report`` in words. ``titles`` names goals and issues by id, ``parties`` parties by id
    (ids stand in for what they do not name)."""
    title = dict(titles or {})
    party = dict(parties or {})
    notes = report.notes
    head = packages_note_head()
    two = _(NEEDS_TWO)
    whom, robust, contested, critical = _whom(report.sensitivity, party, title, notes)
    facts = {f.issue_id: f for f in report.ranges}
    pk = report.packages
    if pk is None:
        why = next((n.removeprefix(head) for n in notes if n.startswith(head)), _("no packages"))
        packages = capitalised(why)
    else:
        packages = capitalised(_("{note}; {n} of them efficient (Pareto)").format(note=pk.note, n=len(pk.pareto)))
    return DecisionWords(
        whom=whom, robust=robust, contested=contested, critical=critical,
        ranges=tuple(Said(f.title, range_text(f), _range_status(f), f.unit) for f in report.ranges),
        probes=tuple(Said(f.title, probe_text(f), f.probe.answer, f.unit) for f in report.ranges
                     if f.probe is not None),
        packages=packages,
        party_names=tuple(party.get(p, p) for p in pk.parties) if pk else (),
        points=_points(pk, title, facts, report.labels) if pk else (),
        left_out=tuple(Said(facts[i].title if i in facts else title.get(i, i), why)
                       for i, why in pk.left_out) if pk else (),
        risk=_risk(report.risk) if report.risk is not None else None,
        notes=tuple(n for n in notes if not n.startswith(head) and n != two),
    )


def report_lines(report: DecisionReport, names: Mapping[str, str] | None = None) -> list[str]:
    """A terminal summary, one record per line, worded by :mod:`pmkit.analytics.wording`
    (``names`` gives goals and issues their titles)."""
    w = decision_words(report, names)
    out = [report.title,
           _("session {session}  version {version}  as {role}").format(session=report.session,
                                                                      version=report.version, role=report.role),
           _("whom to please: {text}").format(text=w.whom)]
    out += [_("  robust {goal}  ({text})").format(goal=g.subject, text=g.text) for g in w.robust]
    out += [_("  contested {goal}  ({text})").format(goal=g.subject, text=g.text) for g in w.contested]
    out += [_("  critical {weight}: {text}").format(weight=c.subject, text=c.text) for c in w.critical]
    out.append(_("bargaining ranges {n}").format(n=len(w.ranges)))
    probes = {p.subject: p.text for p in w.probes}
    for r in w.ranges:
        out.append(f"  # {r.subject} [{r.unit}]  {r.text}")
        if r.subject in probes:
            out.append(_("    what if {answer}").format(answer=probes[r.subject]))
    out.append(_("packages: {text}").format(text=w.packages))
    for pt in w.points:
        sat = ", ".join(f"{party} {u} ({gain})" for party, (u, gain) in zip(w.party_names, pt.cells, strict=True))
        same = f" ({pt.same_as})" if pt.same_as else ""
        out.append(f"  {pt.label}{same}: {sat}  | {pt.settles}")
    out += [_("  left out {issue}: {text}").format(issue=x.subject, text=x.text) for x in w.left_out]
    if w.risk is not None:
        out.append(_("risk {level} ({score})").format(level=w.risk.level_text, score=w.risk.score))
        out += [f"  - {reason}" for reason in w.risk.reasons]
        out += [(_("  option (suggested): {name}; when {when}; risks: {risks}") if o.suggested
                 else _("  option: {name}; when {when}; risks: {risks}")).format(name=o.name, when=o.when,
                                                                                  risks=o.risks)
                for o in w.risk.options]
    out += [_("note: {text}").format(text=n) for n in w.notes]
    return out
