"""What the room screen can show: one function per view, in a registry.

A view is a function ``(RoomData) -> RoomPage`` registered with :func:`room_view` under
one of the store's view names (:data:`pmkit.store.ROOM_VIEWS`) and a label the
facilitator's *Room screen* panel lists. It draws from :class:`RoomData` alone: the room's
own view of the session (``Workspace.sessions.load(session_id, "room")``: joint items only, no
position, the title for everyone) and the facilitator's choice (:class:`~pmkit.store.RoomView`).
So a view cannot show what the room may not see: it never had it.

Adding a view is one function::

    @room_view("agreements", N_("Agreements and actions"))
    def agreements(data: RoomData) -> RoomPage:
        ...

Which view is shown is decided by :func:`shown`, for the room and for the facilitator's
line alike: a goal that is not in the room's view (not for everyone, or gone) shows the
overview, and nothing of the goal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pmkit.analytics.overlap import Overview, analyze, ranking
from pmkit.charts.alt import overlap_alt, weight_alt
from pmkit.charts.board import OverlapRenderer, weight_chart
from pmkit.charts.style import to_png
from pmkit.i18n import N_, _, current, ngettext, pgettext
from pmkit.model import JOINT, ROOM, Goal, Session
from pmkit.store import RoomView, Workspace
from pmkit.text import alignment, day, share
from pmkit.widgets.edge import esc
from pmkit.widgets.room_reveal import common_html, reveal_for, reveal_heading, reveal_html

__all__ = [
    "LASTING",
    "VIEWS",
    "RoomData",
    "RoomPage",
    "ViewFn",
    "describe",
    "page_for",
    "room_view",
    "showing",
    "shown",
    "view_labels",
]

_LIMIT = 4  # items per list on the overview: what can be read from the back of the room
LASTING = 24  # charts and renderers a room keeps


@dataclass(frozen=True)
class RoomPage:
    """One screen of the room: a heading (plain text), then a chart (PNG) with HTML beside
    it, then HTML below. Every text in the HTML is escaped by the view that made it;
    ``alt`` is the chart in words (:mod:`pmkit.charts.alt`), its text alternative."""

    heading: str
    side: str = ""
    chart: bytes = b""
    body: str = ""
    alt: str = ""


class RoomData:
    """What a view draws from: the room's view of the session and the facilitator's choice.

    ``cache`` belongs to the room's board and is emptied whenever the session changes, so
    a view may keep what it computed for the session as it is (:meth:`cached`); ``lasting``
    keeps, for the board's life, what is keyed by its own inputs: a chart renderer, or a
    chart keyed by what it shows (most edits in a meeting, an agreement or an item the room
    does not see, leave the charts as they were: they are not drawn again). It keeps the
    :data:`LASTING` newest.
    """

    def __init__(
        self,
        store: Workspace,
        session_id: str,
        session: Session,
        state: RoomView,
        cache: dict[Any, Any] | None = None,
        lasting: dict[Any, Any] | None = None,
    ) -> None:
        self.store = store
        self.session_id = session_id
        self.session = session
        self.state = state
        self.theme = state.theme
        self._cache: dict[Any, Any] = {} if cache is None else cache
        self._lasting: dict[Any, Any] = {} if lasting is None else lasting

    def cached(self, key: Any, make: Callable[[], Any], *, lasting: bool = False) -> Any:
        """``make()``, computed once per session version (``lasting``: once per ``key`` while
        it is among the :data:`LASTING` newest)."""
        store = self._lasting if lasting else self._cache
        if key not in store:
            store[key] = make()
        if lasting:
            store[key] = store.pop(key)  # the newest last
            for old in list(store)[:-LASTING]:
                del store[old]
        return store[key]

    def overview(self) -> Overview:
        result: Overview = self.cached("overview", lambda: analyze(self.session))
        return result

    def name(self, party: str) -> str:
        return self.session.party_name(party)

    def goal(self, goal_id: str) -> Goal | None:
        return next((g for g in self.session.goals if g.id == goal_id), None)


ViewFn = Callable[[RoomData], RoomPage]
VIEWS: dict[str, tuple[str, ViewFn]] = {}


def room_view(name: str, label: str) -> Callable[[ViewFn], ViewFn]:
    """Register ``fn`` as the room's view ``name``, listed to the facilitator as ``label``
    (in English, marked with :func:`~pmkit.i18n.N_`: :func:`view_labels` translates it)."""

    def deco(fn: ViewFn) -> ViewFn:
        VIEWS[name] = (label, fn)
        return fn

    return deco


def view_labels() -> list[tuple[str, str]]:
    """``(label, name)`` of every view, in the order they were registered, each label in the
    current language."""
    return [(_(label), name) for name, (label, _fn) in VIEWS.items()]


def shown(state: RoomView, joint_goals: Iterable[str]) -> tuple[str, str]:
    """The view the room shows for ``state`` and its target: a goal that is not one of
    ``joint_goals`` (the ids the room can load) shows the overview."""
    if state.view not in VIEWS:
        return "overview", ""
    if state.view == "goal" and state.target not in set(joint_goals):
        return "overview", ""
    return state.view, state.target


_PHRASES = {"overview": N_("the overview"), "agreements": N_("the agreements and actions"),
            "reveal": N_("the round reveal"), "options": N_("the option issues for everyone and their options")}
_THEMES = {"light": N_("{what}, light theme"), "dark": N_("{what}, dark theme")}


def describe(state: RoomView, session: Session, rounds: Mapping[str, int] | None = None) -> str:
    """What the room shows now, in plain words, for the facilitator (``session`` is the
    facilitator's: only its joint goals count, as in the room; ``rounds``: the rounds the
    room can show, by id, in the order revealed, each with its number in the room,
    :func:`~pmkit.widgets.room_reveal.room_rounds`)."""
    return _("The room shows {what}.").format(what=showing(state, session, rounds))


def showing(state: RoomView, session: Session, rounds: Mapping[str, int] | None = None) -> str:
    """What the room shows for ``state``, in words ("the overview, light theme")."""
    joint = [g.id for g in session.goals if g.audience == JOINT]
    view, target = shown(state, joint)
    label = _(VIEWS[view][0]) if view in VIEWS else view
    if view == "goal":
        goal = next(g for g in session.goals if g.id == target)
        what = _("one goal, “{title}”").format(title=goal.title)
    elif view == "whom":
        first = session.party_name(session.party_ids[0]) if session.party_ids else _("the first party")
        what = _("whom to please, weight {weight} on {party}").format(weight=share(state.weight), party=first)
    elif view == "reveal":
        what = _reveal_phrase(state.target, rounds)
    else:
        what = _(_PHRASES[view]) if view in _PHRASES else label.lower()
    if state.view == "goal" and view != "goal":
        what = _("{what} (the goal chosen is not for everyone, so the room shows nothing of it)").format(what=what)
    if state.theme in _THEMES:
        return _(_THEMES[state.theme]).format(what=what)
    return f"{what}, {state.theme} theme"


def _reveal_phrase(target: str, rounds: Mapping[str, int] | None) -> str:
    if rounds is None:
        return _("the round reveal")
    if target:
        if target in rounds:
            return _("the reveal of round {number}").format(number=rounds[target])
        return _("the round reveal (that round is not revealed: nothing to show)")
    if rounds:
        return _("the reveal of round {number}, the last revealed").format(number=list(rounds.values())[-1])
    return _("the round reveal (no round revealed yet)")


def page_for(data: RoomData) -> RoomPage:
    """The page of the view the room shows now."""
    view, _target = shown(data.state, [g.id for g in data.session.goals if g.audience == JOINT])
    return VIEWS[view][1](data)


# -- the views ---------------------------------------------------------------------------
def _muted(text: str, tag: str = "p") -> str:
    """``text`` (HTML) in a muted paragraph or list item."""
    return f"<{tag} class='pmkit-room-muted'>{text}</{tag}>"


def _list(title: str, lines: Sequence[str], css: str, limit: int = _LIMIT) -> str:
    items = "".join(f"<li>{line}</li>" for line in lines[:limit]) or _muted(_("none"), "li")
    more = _muted(_("and {n} more").format(n=len(lines) - limit)) if len(lines) > limit else ""
    return f"<section class='{css}'><h3>{esc(title)} ({len(lines)})</h3><ul>{items}</ul>{more}</section>"


@room_view("overview", N_("Overview"))
def overview(data: RoomData) -> RoomPage:
    """Alignment, the overlap chart, common ground, conflicts and blind spots."""
    if len(data.session.parties) < 2:
        return RoomPage(_("Where we stand"),
                        body="<p>" + _("The overview compares two parties; this meeting has one.") + "</p>")
    ov = data.overview()
    names = {p.id: p.name for p in data.session.parties}
    renderer = data.cached(("renderer", data.theme, current()),
                           lambda: OverlapRenderer(theme=data.theme, presenter=True, key=True), lasting=True)
    chart = data.cached(("overlap", data.theme, current(), ov, tuple(names.items())), lambda: renderer.png(ov, names),
                        lasting=True)
    score = "n/a" if ov.alignment is None else f"{alignment(ov.alignment)} / 100"
    common = [esc(p.title) for p in ov.common_ground]
    conflicts = [f"{esc(c.title)} <span class='pmkit-room-muted'>("
                 + _("{party_a} {stance_a}, {party_b} {stance_b}").format(
                     party_a=esc(data.name(c.party_a)), stance_a=esc(_verb(c.stance_a)),
                     party_b=esc(data.name(c.party_b)), stance_b=esc(_verb(c.stance_b)))
                 + ")</span>" for c in ov.conflicts]
    blind = [f"{esc(s.title)} <span class='pmkit-room-muted'>("
             + _("not rated by {parties}").format(parties=esc(', '.join(data.name(p) for p in s.unrated_by)))
             + ")</span>" for s in ov.blind_spots]
    side = ("<p class='pmkit-room-score'>" + _("Alignment") + f" <b>{esc(score)}</b></p>"
            + _list(_("Common ground"), common, "pmkit-room-common")
            + _list(_("Conflicts"), conflicts, "pmkit-room-conflicts")
            + _list(_("Blind spots"), blind, "pmkit-room-blind"))
    return RoomPage(_("Where we stand"), side=side, chart=chart, alt=overlap_alt(ov, names))


# a party's stance on a goal, as a verb after the party's name ("Alder supports")
_VERBS = {"support": N_("supports"), "oppose": N_("opposes"), "neutral": N_("is neutral")}


def _verb(stance: str) -> str:
    return _(_VERBS[stance]) if stance in _VERBS else f"{stance}s"


_STANCE = {"support": N_("supports"), "oppose": N_("opposes"), "neutral": N_("neutral")}
_KINDS = {"agreement": N_("agreement"), "decision": N_("decision")}


@room_view("goal", N_("One goal"))
def one_goal(data: RoomData) -> RoomPage:
    """One goal: its title and description, who raised it, and each party's rating."""
    goal = data.goal(data.state.target)
    if goal is None:  # pragma: no cover - page_for shows the overview instead
        return overview(data)
    rows = []
    for party in data.session.parties:
        r = goal.ratings.get(party.id)
        rating = ("<td>" + _("not rated yet") + "</td><td></td>" if r is None else
                  f"<td><span aria-hidden='true'>{'●' * r.importance}{'○' * (5 - r.importance)}</span> "
                  + _("{importance} of 5").format(importance=r.importance) + "</td>"
                  f"<td>{esc(_(_STANCE[r.stance]))}</td>")
        rows.append(f"<tr><th scope='row'>{esc(party.name)}</th>{rating}</tr>")
    ov = data.overview()
    flags = ([(_("Common ground"), "pmkit-room-common")] if any(p.goal_id == goal.id for p in ov.common_ground)
             else []) \
        + ([(_("Conflict"), "pmkit-room-conflicts")] if any(c.goal_id == goal.id for c in ov.conflicts) else [])
    badges = "".join(f"<span class='pmkit-room-badge {css}'>{esc(text)}</span> " for text, css in flags)
    raised = _("Raised by {party}").format(party=esc(data.name(goal.raised_by)))
    body = (f"<p class='pmkit-room-muted'>{raised} {badges}</p>"
            + (f"<p class='pmkit-room-description'>{esc(goal.description)}</p>" if goal.description else "")
            + "<table class='pmkit-room-ratings'><thead><tr><th>" + _("Party") + "</th><th>" + _("Importance")
            + "</th><th>" + _("Stance") + "</th>"
            + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
    return RoomPage(goal.title, body=body)


@room_view("whom", N_("Whom to please"))
def whom(data: RoomData) -> RoomPage:
    """The ranking at the weight the facilitator set, and how it moves across all weights."""
    session, weight = data.session, data.state.weight
    if len(session.parties) < 2:
        return RoomPage(_("Whom to please"), body="<p>" + _("Whom to please needs two parties.") + "</p>")
    a = data.name(session.party_ids[0])
    ranked = ranking(session, weight)
    shows = (tuple((p.id, p.name) for p in session.parties),
             tuple((g.id, g.title, g.raised_by, tuple(sorted((p, r.importance) for p, r in g.ratings.items())))
                   for g in session.goals))
    chart = data.cached(("whom", weight, data.theme, current(), shows), lambda: to_png(
        weight_chart(session, weight=weight, theme=data.theme, presenter=True)), lasting=True)
    on = _("Weight {weight} on {party}").format(weight=share(weight), party=esc(a))
    side = (f"<p class='pmkit-room-muted'>{on}</p>"
            + "<ol class='pmkit-room-ranking'>"
            + ("".join(f"<li>{esc(g.title)}</li>" for g in ranked[:8]) or "<li>" + _("no goals yet") + "</li>")
            + "</ol>")
    alt = weight_alt(ranked, ranking(session, 1.0), ranking(session, 0.0), (a, data.name(session.party_ids[1])),
                     weight)
    heading = _("Whom to please: weight {weight} on {party}").format(weight=share(weight), party=a)
    return RoomPage(heading, side=side, chart=chart, alt=alt)


@room_view("agreements", N_("Agreements and actions"))
def agreements(data: RoomData) -> RoomPage:
    """What was agreed and decided, and the actions with their owners and dates."""
    s = data.session
    agreed = [f"<li><span class='pmkit-room-badge'>{esc(_label(_KINDS, a.kind))}</span> {esc(a.text)}</li>"
              for a in s.agreements]
    no_owner = _("no owner yet")
    actions = [f"<li>{esc(a.title)} <span class='pmkit-room-muted'>— {esc(a.owner or no_owner)}"
               + (_(", due {day}").format(day=esc(day(a.due))) if a.due else "")
               + f", {esc(_status(a.status))}</span></li>" for a in s.actions]
    nothing = "<li class=pmkit-room-muted>" + _("nothing agreed yet") + "</li>"
    no_actions = "<li class=pmkit-room-muted>" + _("no actions yet") + "</li>"
    agreed_title, actions_title = _("Agreements and decisions"), _("Actions")
    body = ("<div class='pmkit-room-columns'>"
            f"<section class='pmkit-room-agreements'><h3>{agreed_title} ({len(agreed)})</h3>"
            f"<ul>{''.join(agreed) or nothing}</ul></section>"
            f"<section class='pmkit-room-actions'><h3>{actions_title} ({len(actions)})</h3>"
            f"<ul>{''.join(actions) or no_actions}</ul></section></div>")
    return RoomPage(_("Agreements and actions"), body=body)


def _more_issues(n: int) -> str:
    return ngettext("and {n} more issue", "and {n} more issues", n).format(n=n)


def _status(status: str) -> str:
    """An action's status in the current language."""
    words = {"open": pgettext("action status", "open"), "done": pgettext("action status", "done"),
             "dropped": pgettext("action status", "dropped")}
    return words.get(status, status)


def _label(table: Mapping[str, str], value: str) -> str:
    """A stored value's label in the current language (a value the table does not know: as stored)."""
    return _(table[value]) if value in table else value


@room_view("reveal", N_("Round reveal"))
def reveal(data: RoomData) -> RoomPage:
    """A private round's reveal (the round the facilitator chose, else the last revealed):
    each party's rating of each goal everyone sees, before and after, read from the room's
    own view of the session and the journal. Until a round is revealed, it says so."""
    target = data.state.target or None
    view = data.cached(("reveal", target), lambda: reveal_for(data.store, data.session_id, ROOM, target))
    if view is None:
        return RoomPage(_("Round reveal"),
                        body="<p class='pmkit-room-muted pmkit-room-no-round'>" + _("No round revealed yet.") + "</p>")
    options = ""
    if view.option_issues:
        common = data.cached(("common", view.option_issues),
                             lambda: data.store.meeting.common_options(data.session_id, view.option_issues))
        options = common_html(data.session, view.option_issues, common)
    return RoomPage(reveal_heading(view), body=reveal_html(view, heading=False, options=options))


@room_view("options", N_("Option issues"))
def option_issues(data: RoomData) -> RoomPage:
    """The option issues for everyone, each with its options (labels only: never a side's
    scores, weights or unacceptable options, which the room's view does not hold)."""
    issues = [i for i in data.session.option_issues if i.audience == JOINT]
    if not issues:
        return RoomPage(_("Options"),
                        body=_muted(_("No option issue for everyone yet.")))
    sections = "".join(
        f"<section class='pmkit-room-option-issue'><h3>{esc(i.title)}</h3><ul>"
        + "".join(f"<li>{esc(o.label)}</li>" for o in i.options[:8])
        + "</ul>" + (_muted(_("and {n} more").format(n=len(i.options) - 8)) if len(i.options) > 8 else "")
        + "</section>" for i in issues[:_LIMIT])
    more = _muted(_more_issues(len(issues) - _LIMIT)) if len(issues) > _LIMIT else ""
    return RoomPage(_("The options on the table"), body=f"<div class='pmkit-room-columns'>{sections}</div>{more}")
