"""What a report template prints: :class:`ReportContext`, and :func:`build_context`, which
makes it from one role's view of a session with every field ready to print.

Build the view with ``Workspace.sessions.load(session_id, role)``: a report then cannot hold anything
the role may not see, because it was never loaded. Which report for which role
(:func:`report_kind`):

* ``facilitator``: the facilitator's record, marked confidential, with everything, what
  was withheld from whom, the disclosure plan with its timeline, the risk read-out and the
  decision analytics (:mod:`pmkit.reports.record`, :mod:`pmkit.reports.disclosure_plan`);
* ``management``: the management brief, the joint minutes plus the items for management only
  and management's own disclosure plan with its timeline;
* any other party: the minutes, with that party's own items if it has any;
* the room (the shared screen): the joint minutes, what everyone may see.

Every report's minutes list the items disclosed during the session, each "disclosed on DATE".
Every report but the facilitator's record is titled with the title for everyone (a party's
or the room's view has no other); the record shows the working title and, beside it, the
title the parties and the room see.

A context is worded in the current language (:mod:`pmkit.i18n`: ``with use("de"):
build_context(...)``), numbers and dates as that language writes them; what users typed
stays as entered.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from pmkit.analytics.overlap import LOW_PRIORITY, SHARED, Overview, analyze, driven
from pmkit.analytics.participants import Division
from pmkit.charts.style import to_png
from pmkit.errors import InputError
from pmkit.i18n import _, pgettext
from pmkit.model import FACILITATOR, ROOM, OptionIssue, Session
from pmkit.reports.disclosure_plan import PlanSection, disclosed_lines, plan_section
from pmkit.reports.lines import Chart, ItemLine, audience_marker, date_text, kind_label, rating_text, status_text
from pmkit.reports.record import DecisionLines, RiskLine, record_sections
from pmkit.rules.visibility import link_roles
from pmkit.store import AgendaItem
from pmkit.text import alignment, count, moment, number, safe_name
from pmkit.views.agenda import spent_text

__all__ = ["TEMPLATES", "ReportContext", "build_context", "report_kind"]

TEMPLATES = {"record": "facilitator_record", "brief": "management_brief", "minutes": "joint_minutes"}


@dataclasses.dataclass(frozen=True)
class ReportContext:
    """Everything a report template prints, already worded and formatted."""

    kind: str  # record | brief | minutes
    template: str  # template name without the format extension
    title: str  # the document's title, e.g. "Management brief"
    banner: str  # the confidentiality line at the top ("" for joint minutes)
    audience: str  # who the document is for
    session_title: str
    session_description: str
    session_date: str
    generated: str
    attendees: tuple[ItemLine, ...]
    party_names: tuple[str, ...]
    alignment: str
    quadrants: tuple[ItemLine, ...]
    common_ground: tuple[ItemLine, ...]
    conflicts: tuple[ItemLine, ...]
    blind_spots: tuple[ItemLine, ...]
    goals: tuple[ItemLine, ...]
    issues: tuple[ItemLine, ...]
    agreements: tuple[ItemLine, ...]
    decisions: tuple[ItemLine, ...]
    actions: tuple[ItemLine, ...]
    notes: tuple[ItemLine, ...]
    private_heading: str
    private_items: tuple[ItemLine, ...]
    withheld: tuple[ItemLine, ...]
    risk: RiskLine | None
    chart: Chart | None
    footer: str
    analytics: DecisionLines | None = None  # the facilitator's record only
    plan: PlanSection | None = None  # the record and the management brief only
    disclosed: tuple[ItemLine, ...] = ()  # items disclosed during the session, "disclosed on DATE"
    everyone_title: str = ""  # the facilitator's record only: the title parties and the room see
    # each option issue with its options; a cell per party: its scores, as far as the role's view holds them
    option_issues: tuple[ItemLine, ...] = ()
    # the agenda as the role may see it: each item's time spent and overrun; in the facilitator's
    # record, the items the room never saw are marked so
    agenda: tuple[ItemLine, ...] = ()

    @property
    def charts(self) -> tuple[Chart, ...]:
        """Every chart of the report (Markdown writes each beside the file)."""
        frontier = self.analytics.frontier if self.analytics is not None else None
        timeline = self.plan.chart if self.plan is not None else None
        return tuple(c for c in (self.chart, frontier, timeline) if c is not None)


def report_kind(role: str) -> str:
    """``record`` for the facilitator, ``brief`` for management, ``minutes`` for the rest
    (the room included: the joint minutes)."""
    if role == FACILITATOR:
        return "record"
    return "brief" if role == "management" else "minutes"


def _rating(goal_ratings: dict[str, Any], pid: str) -> str:
    r = goal_ratings.get(pid)
    return _("not rated") if r is None else rating_text(r.importance, r.stance)


def _quadrant_label(session: Session, name: str, pair: tuple[str, str]) -> str:
    labels = {
        SHARED: _("Shared priority"),
        LOW_PRIORITY: _("Low priority"),
        driven(pair[0]): _("Driven by {party}").format(party=session.party_name(pair[0])),
        driven(pair[1]): _("Driven by {party}").format(party=session.party_name(pair[1])),
    }
    return labels.get(name, name)


def _analysis_lines(session: Session, o: Overview | None) -> dict[str, Any]:
    if o is None:
        return {"alignment": _("n/a (the analysis needs two parties)"), "quadrants": (),
                "common_ground": (), "conflicts": (), "blind_spots": ()}
    name = session.party_name
    a, b = o.pair
    quadrant_of = {p.goal_id: _quadrant_label(session, p.quadrant, o.pair) for p in o.points}
    return {
        "alignment": _("n/a") if o.alignment is None else f"{alignment(o.alignment)} / 100",
        "quadrants": tuple(ItemLine(_quadrant_label(session, q, o.pair), count(n))
                           for q, n in o.quadrant_counts),
        "common_ground": tuple(
            ItemLine(p.title, f"{name(a)}: {rating_text(p.importance_a, p.stance_a)}; "
                              f"{name(b)}: {rating_text(p.importance_b, p.stance_b)}")
            for p in o.common_ground
        ),
        "conflicts": tuple(
            ItemLine(c.title, f"{name(c.party_a)}: {rating_text(c.importance_a, c.stance_a)}; "
                              f"{name(c.party_b)}: {rating_text(c.importance_b, c.stance_b)}")
            for c in o.conflicts
        ),
        "blind_spots": tuple(
            ItemLine(s.title, _("raised by {party}; not rated by {parties}").format(
                party=name(s.raised_by), parties=", ".join(name(p) for p in s.unrated_by)))
            for s in o.blind_spots
        ),
        "quadrant_of": quadrant_of,
    }


def _position_cells(session: Session, issue: Any) -> tuple[tuple[str, ...], ...]:
    cells: list[tuple[str, ...]] = []
    for pid in session.party_ids:
        pos = issue.positions.get(pid)
        if pos is None:
            cells.append(("—",))
        else:
            walk = () if pos.walk_away is None else (_("walk-away {value}").format(value=number(pos.walk_away)),)
            cells.append((_("ideal {value}").format(value=number(pos.ideal)), *walk))
    return tuple(cells)


def _score_cells(session: Session, issue: OptionIssue) -> tuple[tuple[str, ...], ...]:
    """A party's scores on an option issue, its weight and what it cannot accept; "—" for a
    party whose scores the view does not hold (another side's are never in it)."""
    cells: list[tuple[str, ...]] = []
    for pid in session.party_ids:
        s = issue.scores.get(pid)
        if s is None:
            cells.append(("—",))
            continue
        scored = tuple(f"{o.label} {number(s.scores[o.id])}" for o in issue.options if o.id in s.scores)
        refused = tuple(_("cannot accept {option}").format(option=issue.label(o)) for o in s.unacceptable)
        cells.append((*scored, _("weight {value}").format(value=number(s.weight)), *refused))
    return tuple(cells)


def _items(session: Session) -> Iterator[tuple[Any, ItemLine]]:
    """Every item of every kind with its printable line (kind, text and details)."""
    for g in session.goals:
        yield g, ItemLine(g.title, " ".join(g.description.split()), kind=kind_label("goal"))
    for i in session.issues:
        yield i, ItemLine(i.title, i.unit, kind=_("Numeric issue"))
    for oi in session.option_issues:
        yield oi, ItemLine(oi.title, " · ".join(o.label for o in oi.options), kind=kind_label("option_issue"))
    for ag in session.agreements:
        yield ag, ItemLine(ag.text, kind=kind_label(ag.kind))
    for ac in session.actions:
        yield ac, ItemLine(ac.title, owner=ac.owner or "—", due=date_text(ac.due), kind=kind_label("action"))
    for n in session.notes:
        yield n, ItemLine(n.text, kind=kind_label("note"))


def _private(session: Session, role: str) -> tuple[ItemLine, ...]:
    """The items meant for ``role`` alone (not joint), across every kind."""
    return tuple(line for item, line in _items(session) if item.audience == role)


def _overlap_chart(session: Session, o: Overview | None, stem: str) -> Chart | None:
    if o is None:
        return None
    from pmkit.charts.board import overlap_chart

    names = {p.id: p.name for p in session.parties}
    fig = overlap_chart(o, theme="light", presenter=False, names=names)
    return Chart(alt=_("Overlap chart: each goal placed by its importance to each party"),
                 png=to_png(fig, dpi=110), file_name=f"{stem}-overlap.png")


def _agenda_state(item: AgendaItem) -> str:
    return {"waiting": pgettext("agenda item", "not taken"), "running": pgettext("agenda item", "running"),
            "done": pgettext("agenda item", "done")}[item.state]


def _agenda_marker(session: Session, audience: str, kind: str) -> str:
    """An agenda item's marker: who alone saw it; in the record, that the room never saw it."""
    marker = audience_marker(session, audience)
    return _("{who}; not shown in the room").format(who=marker) if marker and kind == "record" else marker


def build_context(session: Session, role: str, *, session_id: str = "session",
                  generated: dt.datetime | None = None, chart: bool = True,
                  file_stem: str | None = None, withheld_since: Mapping[str, dt.date] | None = None,
                  today: dt.date | None = None, divisions: Sequence[Division] = (),
                  agenda: Sequence[AgendaItem] = ()) -> ReportContext:
    """The context of ``role``'s report from ``session``, which must be ``role``'s own view
    (``Workspace.sessions.load(session_id, role)``): nothing else is filtered here.

    ``agenda``: the agenda as ``role`` may read it (``Workspace.agenda.items(session_id, role)``).

    ``divisions`` (the facilitator's record only): where each side's members stand on each
    goal (:func:`pmkit.views.participants.side_divisions`), for the risk read-out.

    ``file_stem`` names the chart files a Markdown report refers to (``<stem>-overlap.png``,
    and in the facilitator's record ``<stem>-frontier.png``; ``<stem>-plan.png`` for the
    disclosure plan's timeline). ``withheld_since`` (``Workspace.withheld_since`` for the
    role) and ``today`` (default: the day of ``generated``, else the local date) set the plan's
    clock: a report is as of the day it was made.
    """
    if role not in link_roles(session):
        raise InputError(_("unknown role '{role}'; this session's roles are {roles}").format(
            role=role, roles=", ".join(link_roles(session))))
    kind = report_kind(role)
    name = session.party_name
    overview = analyze(session) if len(session.parties) >= 2 else None
    lines = _analysis_lines(session, overview)
    quadrant_of: dict[str, str] = lines.pop("quadrant_of", {})
    others = [p.name for p in session.parties if p.id != role]
    if kind == "record":
        title, audience = _("Facilitator's record"), _("the facilitator alone")
        banner = _("CONFIDENTIAL — the facilitator's record. It holds items withheld from the "
                   "parties. Do not forward it.")
    elif kind == "brief":
        title, audience = _("Management brief"), name(role)
        banner = _("For {party} only — holds items not shared with {others}. Do not forward it.").format(
            party=name(role), others=", ".join(others) or _("the other parties"))
    else:
        title, audience = _("Minutes"), _("everyone in the meeting") if role == ROOM else name(role)
        banner = ""
    stamp = moment(generated or dt.datetime.now())
    stem = safe_name(file_stem or f"{session_id}-{role}", fallback="report")
    private = () if role == FACILITATOR else _private(session, role)
    day = today or (generated.date() if generated else dt.date.today())
    record = (record_sections(session, list(_items(session)), session_id=session_id, stem=stem, chart=chart,
                              today=day, divisions=divisions) if kind == "record" else None)
    plan = (plan_section(session, since=withheld_since, today=day, stem=stem, chart=chart)
            if kind in ("record", "brief") else None)

    def marker(audience: str) -> str:
        return audience_marker(session, audience)

    return ReportContext(
        kind=kind,
        template=TEMPLATES[kind],
        title=title,
        banner=banner,
        audience=audience,
        session_title=session.title,
        session_description=" ".join(session.description.split()),
        session_date=date_text(session.date),
        generated=stamp,
        attendees=tuple(ItemLine(p.name, p.id) for p in session.parties),
        party_names=tuple(p.name for p in session.parties),
        goals=tuple(
            ItemLine(g.title, " ".join(g.description.split()), kind=quadrant_of.get(g.id, ""),
                     owner=name(g.raised_by), marker=marker(g.audience),
                     cells=tuple((_rating(g.ratings, pid),) for pid in session.party_ids))
            for g in session.goals
        ),
        issues=tuple(
            ItemLine(i.title, i.unit or "—", marker=marker(i.audience), cells=_position_cells(session, i))
            for i in session.issues
        ),
        option_issues=tuple(
            ItemLine(oi.title, " · ".join(o.label for o in oi.options), marker=marker(oi.audience),
                     cells=_score_cells(session, oi))
            for oi in session.option_issues
        ),
        agreements=tuple(ItemLine(a.text, marker=marker(a.audience))
                         for a in session.agreements if a.kind == "agreement"),
        decisions=tuple(ItemLine(a.text, marker=marker(a.audience))
                        for a in session.agreements if a.kind == "decision"),
        actions=tuple(
            ItemLine(a.title, owner=a.owner or "—", due=date_text(a.due), status=status_text(a.status),
                     marker=marker(a.audience))
            for a in session.actions
        ),
        notes=tuple(ItemLine(n.text, marker=marker(n.audience)) for n in session.notes),
        private_heading=_("For {party} only").format(party=name(role)) if private else "",
        private_items=private,
        withheld=record.withheld if record else (),
        risk=record.risk if record else None,
        analytics=record.decisions if record else None,
        chart=_overlap_chart(session, overview, stem) if chart else None,
        footer=_("{report} · {session} · generated {moment} by pmkit").format(
            report=title, session=session.title, moment=stamp),
        plan=plan,
        disclosed=disclosed_lines(session),
        everyone_title=session.title_for_everyone if kind == "record" else "",
        agenda=tuple(ItemLine(a.title, spent_text(a), kind=_agenda_state(a),
                              marker=_agenda_marker(session, a.audience, kind)) for a in agenda),
        **lines,
    )
