"""Who may see what: a role's view of a session, and the leak checks built on it.

Rules (docs/security.md, "Who sees what", states them for users):

* an item with audience ``joint`` is seen by every role;
* an item with audience ``<party>`` is seen by that party and the facilitator;
* an item with audience ``facilitator`` is seen by the facilitator alone;
* a party's position on a numeric issue (ideal and walk-away values) is seen by that party
  and the facilitator, and only where the issue itself is visible to that party;
* a party's scores, weight and unacceptable options on an option issue, and its reservation
  value, are private in the same way: that party and the facilitator only;
* the disclosure plan's entry of a withheld item (its decision, reason, condition and dates)
  is read by the facilitator and by the party of the item's audience, its owner
  (:func:`may_read_plan`); a party never learns whether, or how many, items are withheld
  from it. A plan entry's link to another item is kept only where that item is visible too.
* the room (the shared screen, a role with no party) sees the joint items only, and no
  position at all;
* the session's working title and its description (the facilitator's note) are the
  facilitator's: every other role sees the title for everyone
  (:attr:`~pmkit.model.Session.title_for_everyone`) and no description.

The store applies these rules when it reads (a kernel serving a party never loads what the
party may not see); :func:`view_for` applies the same rules to a session in memory.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator

from pmkit.errors import AccessDenied
from pmkit.i18n import _
from pmkit.model import FACILITATOR, ITEM_KINDS, JOINT, ROOM, NumericIssue, OptionIssue, Session
from pmkit.text import date_renderings, renderings

__all__ = [
    "audience_label",
    "check_role",
    "hidden_marks",
    "hidden_option_values",
    "hidden_texts",
    "hidden_titles",
    "hidden_values",
    "link_roles",
    "may_read_plan",
    "may_see",
    "position_audience",
    "view_for",
    "visible_audiences",
]


def link_roles(session: Session) -> list[str]:
    """Every role a meeting link can be made for: the facilitator, each party, the room."""
    return [*session.roles, ROOM]


def check_role(session: Session, role: str) -> str:
    """Return ``role`` if the session knows it (the room included), else raise
    :class:`AccessDenied`."""
    roles = link_roles(session)
    if role not in roles:
        raise AccessDenied(_("unknown role '{role}'; this session's roles are {roles}").format(
            role=role, roles=", ".join(roles)))
    return role


def visible_audiences(role: str, party_ids: Iterable[str]) -> frozenset[str] | None:
    """The audiences ``role`` may see, or ``None`` for the facilitator (everything)."""
    if role == FACILITATOR:
        return None
    if role == ROOM:
        return frozenset({JOINT})
    if role not in set(party_ids):
        raise AccessDenied(_("unknown role '{role}'").format(role=role))
    return frozenset({JOINT, role})


def may_see(role: str, audience: str) -> bool:
    """Whether ``role`` may see an item whose audience is ``audience`` (the room: joint only)."""
    if role == FACILITATOR:
        return True
    return audience == JOINT if role == ROOM else audience in (JOINT, role)


def may_read_plan(role: str, item_audience: str) -> bool:
    """Whether ``role`` may read the plan entry of a withheld item whose audience is
    ``item_audience``: the facilitator, and the party the item is for (its owner)."""
    return role == FACILITATOR or (item_audience == role and item_audience != JOINT)


def position_audience(issue_audience: str, party: str) -> str:
    """The audience of ``party``'s position on an issue (or its scores on an option issue)
    whose audience is ``issue_audience``.

    The party itself sees its position where it sees the issue; nobody else but the
    facilitator ever does.
    """
    return party if issue_audience in (JOINT, party) else FACILITATOR


def view_for(session: Session, role: str) -> Session:
    """A copy of ``session`` holding only what ``role`` may see: for any role but the
    facilitator, its title is the title for everyone and it has no description."""
    check_role(session, role)
    if role == FACILITATOR:
        return session.model_copy(deep=True)
    data = session.model_dump()
    data.update(title=session.title_for_everyone, joint_title=session.title_for_everyone, description="")
    for _kind, (field, _cls, _prefix) in ITEM_KINDS.items():
        data[field] = [item for item in data[field] if may_see(role, item["audience"])]
    for issue in data["issues"]:
        issue["positions"] = {
            party: pos
            for party, pos in issue["positions"].items()
            if may_see(role, position_audience(issue["audience"], party))
        }
    for oi in data["option_issues"]:
        oi["scores"] = {party: s for party, s in oi["scores"].items()
                        if may_see(role, position_audience(oi["audience"], party))}
    for p in data["parties"]:
        if p["id"] != role:
            p["reservation"] = None
    audience = {(kind, item["id"]): item["audience"] for kind, (field, _c, _p) in ITEM_KINDS.items()
                for item in data[field]}
    data["plan"] = [dict(e, linked_to=e["linked_to"] if _link_kept(e["linked_to"], audience) else None)
                    for e in data["plan"] if may_read_plan(role, audience.get((e["kind"], e["item"]), JOINT))]
    return Session.model_validate(data)


def _link_kept(link: str | None, audience: dict[tuple[str, str], str]) -> bool:
    kind, _sep, item_id = (link or "").partition(":")
    return (kind, item_id) in audience


def _issue_values(issue: NumericIssue, parties: Iterable[str] | None = None) -> Iterator[float]:
    for party, pos in issue.positions.items():
        if parties is None or party in parties:
            yield pos.ideal
            if pos.walk_away is not None:
                yield pos.walk_away


def _option_values(issue: OptionIssue, parties: Iterable[str] | None = None) -> Iterator[float]:
    """The scores and weights of ``parties`` (all: ``None``) on an option issue."""
    for party, given in issue.scores.items():
        if parties is None or party in parties:
            yield from given.scores.values()
            yield given.weight


def hidden_option_values(session: Session, role: str) -> list[float]:
    """The option scores and weights in ``session`` that ``role`` may not see (another side's on
    an option issue it sees, everyone's on one it does not), each once, in the session's order."""
    check_role(session, role)
    out: list[float] = []
    if role == FACILITATOR:
        return out
    for oi in session.option_issues:
        if may_see(role, oi.audience):
            values = list(_option_values(oi, [p for p in oi.scores
                                              if not may_see(role, position_audience(oi.audience, p))]))
        else:
            values = list(_option_values(oi))
        out.extend(v for v in values if v not in out)
    return out


def hidden_marks(session: Session, role: str) -> list[str]:
    """The "cannot accept" marks on option issues that ``role`` may not see, as pmkit prints them:
    ``<party name> cannot accept <option label>`` (the Options tab) and ``cannot accept <ids>``
    (a round's answer), in the current language."""
    check_role(session, role)
    out: list[str] = []
    if role == FACILITATOR:
        return out
    for issue in session.option_issues:
        for party, given in issue.scores.items():
            if given.unacceptable and not (may_see(role, issue.audience)
                                           and may_see(role, position_audience(issue.audience, party))):
                out.append(_("cannot accept {options}").format(options=", ".join(given.unacceptable)))
                out += [_("{party} cannot accept {option}").format(party=session.party_name(party),
                                                                 option=issue.label(o))
                        for o in given.unacceptable]
    return out


def hidden_titles(session: Session, role: str) -> list[str]:
    """The titles and texts of the items in ``session`` that ``role`` may not see, after the
    session's working title (when it is not the title for everyone) and its description; a
    hidden option issue's option labels come with its title."""
    check_role(session, role)
    if role == FACILITATOR:
        return []
    own = [session.title] if session.title != session.title_for_everyone else []
    own += [" ".join(session.description.split())] if session.description.strip() else []
    titles = own + [
        str(getattr(item, "title", None) or getattr(item, "text", ""))
        for _kind, (field, _cls, _prefix) in ITEM_KINDS.items()
        for item in getattr(session, field)
        if not may_see(role, item.audience)
    ]
    visible = {o.label for i in session.option_issues if may_see(role, i.audience) for o in i.options}
    return titles + [o.label for i in session.option_issues if not may_see(role, i.audience)
                     for o in i.options if o.label not in visible and o.label not in titles]


def hidden_values(session: Session, role: str) -> list[float]:
    """The position values (ideals and walk-aways) in ``session`` that ``role`` may not see,
    each once, in the session's order."""
    check_role(session, role)
    out: list[float] = []
    if role == FACILITATOR:
        return out
    for issue in session.issues:
        if may_see(role, issue.audience):
            others = [p for p in issue.positions if not may_see(role, position_audience(issue.audience, p))]
            values = _issue_values(issue, others)
        else:
            values = _issue_values(issue)
        out.extend(v for v in values if v not in out)
    return out


def hidden_texts(session: Session, role: str, *, option_values: bool = False) -> list[str]:
    """Every text in ``session`` that ``role`` may not see, as it could appear on a page or in a
    file: the titles and texts of hidden items (a hidden option issue's option labels too), the
    "cannot accept" marks it may not see (:func:`hidden_marks`), then every rendering of each
    hidden position value; with ``option_values``, of each hidden option score and weight too
    (:func:`hidden_option_values`: scores are often round, 0, 100 or a weight of 4, which a page
    shows for other reasons, so a check asks for them where its scores are telling).

    The leak checks search pages and exports for each of these. A value is listed in every
    way pmkit or a template could print it (:func:`pmkit.text.renderings`: ``12345.75``,
    ``12345.8``, ``12,345.75``, ``12346``, ``12,346``, ``12345``...), so a leaked number
    shown rounded is still found. Renderings shorter than 3 characters are left out unless
    they are the value as pmkit prints it (``5``, ``12``): a hidden ``12.5`` does not make
    every "12" on a page a leak, but a hidden ``12`` does. So is a rendering that ``role``'s
    own view explains, finding it would prove nothing: a number in a title it may see (a
    hidden walk-away of 99.45 and a visible goal "above 99.5 percent"), or a rendering of a
    value it may see.

    Last come the plan entries ``role`` may not read: each condition and reason, and every
    rendering of each of their dates (:func:`pmkit.text.date_renderings`: disclose by,
    customer affected from, withheld since) but those of a date ``role``'s own view holds
    (the session's date, an action's due date). The day a decision was recorded is left out:
    it is the day of an edit, and every role sees the days of edits (its history, a report's
    date).
    """
    out = hidden_titles(session, role)
    out += [m for m in hidden_marks(session, role) if m not in out]
    values = hidden_values(session, role)
    if option_values:
        values += [v for v in hidden_option_values(session, role) if v not in values]
    view = view_for(session, role) if role != FACILITATOR else session
    if values:
        explained = _visible_numbers(view)
        for value in values:
            out.extend(t for t in renderings(value) if t not in out and t not in explained)
    readable = {e.key for e in view.plan}
    hidden_plan = [e for e in session.plan if e.key not in readable]
    shown_days = {r for d in _visible_dates(view) for r in date_renderings(d)}
    for e in hidden_plan:
        out.extend(t for t in (e.condition, e.reason) if t and t not in out)
        for day in (e.by, e.affected_from, e.withheld_since):
            if day is not None:
                out.extend(t for t in date_renderings(day) if t not in out and t not in shown_days)
    return out


def _visible_dates(view: Session) -> Iterator[dt.date]:
    if view.date:
        yield view.date
    for _kind, (field, _cls, _prefix) in ITEM_KINDS.items():
        for item in getattr(view, field):
            yield from (d for d in (getattr(item, "due", None), item.disclosed_on) if d is not None)
    for e in view.plan:
        yield from (d for d in (e.by, e.affected_from, e.withheld_since, e.decided_on) if d is not None)


_NUMBER = re.compile(r"[-−]?\d[\d,]*(?:\.\d+)?(?:e[-+]?\d+)?")


def _visible_numbers(view: Session) -> set[str]:
    """Every number written in ``view``'s text, every rendering of its values, and the day,
    month and year of every date it shows (each language writes a day its own way)."""
    texts = [view.title, view.description, *(p.name for p in view.parties)]
    for _kind, (field, _cls, _prefix) in ITEM_KINDS.items():
        for item in getattr(view, field):
            texts += [str(getattr(item, name)) for name in ("title", "text", "description", "unit", "owner")
                      if getattr(item, name, None)]
    found = {m.group() for t in texts for m in _NUMBER.finditer(t)}
    for issue in view.issues:
        found.update(r for v in _issue_values(issue) for r in renderings(v))
    for oi in view.option_issues:
        texts = [oi.title, *(o.label for o in oi.options)]
        found.update(m.group() for t in texts for m in _NUMBER.finditer(t))
        found.update(r for v in _option_values(oi) for r in renderings(v))
    for d in _visible_dates(view):  # a day the view shows, in any language: "30 nov. 2026" shows a 30
        found.update((str(d.day), f"{d.day:02d}", str(d.month), f"{d.month:02d}", str(d.year)))
    return found


def audience_label(audience: str, session: Session) -> str:
    """Who may see an item, in words: "everyone", "facilitator only", "<party> only"."""
    if audience == JOINT:
        return _("everyone")
    if audience == FACILITATOR:
        return _("facilitator only")
    return _("{party} only").format(party=session.party_name(audience))
