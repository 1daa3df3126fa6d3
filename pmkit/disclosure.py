"""Who may see what: a role's view of a session, and the leak checks built on it.

Rules (the README's "Who sees what" states them for users):

* an item with audience ``joint`` is seen by every role;
* an item with audience ``<party>`` is seen by that party and the facilitator;
* an item with audience ``facilitator`` is seen by the facilitator alone;
* a party's position on a numeric issue (ideal and walk-away values) is seen by that party
  and the facilitator, and only where the issue itself is visible to that party.

The store applies these rules when it reads (a kernel serving a party never loads what the
party may not see); :func:`view_for` applies the same rules to a session in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pmkit.errors import AccessDenied
from pmkit.model import FACILITATOR, ITEM_KINDS, JOINT, NumericIssue, Session

__all__ = [
    "audience_label",
    "check_role",
    "hidden_texts",
    "may_see",
    "position_audience",
    "view_for",
    "visible_audiences",
]


def check_role(session: Session, role: str) -> str:
    """Return ``role`` if the session knows it, else raise :class:`AccessDenied`."""
    if role not in session.roles:
        raise AccessDenied(f"unknown role '{role}'; this session's roles are {', '.join(session.roles)}")
    return role


def visible_audiences(role: str, party_ids: Iterable[str]) -> frozenset[str] | None:
    """The audiences ``role`` may see, or ``None`` for the facilitator (everything)."""
    if role == FACILITATOR:
        return None
    if role not in set(party_ids):
        raise AccessDenied(f"unknown role '{role}'")
    return frozenset({JOINT, role})


def may_see(role: str, audience: str) -> bool:
    """Whether ``role`` may see an item whose audience is ``audience``."""
    return role == FACILITATOR or audience in (JOINT, role)


def position_audience(issue_audience: str, party: str) -> str:
    """The audience of ``party``'s position on an issue whose audience is ``issue_audience``.

    The party itself sees its position where it sees the issue; nobody else but the
    facilitator ever does.
    """
    return party if issue_audience in (JOINT, party) else FACILITATOR


def view_for(session: Session, role: str) -> Session:
    """A copy of ``session`` holding only what ``role`` may see."""
    check_role(session, role)
    if role == FACILITATOR:
        return session.model_copy(deep=True)
    data = session.model_dump()
    for _kind, (field, _cls, _prefix) in ITEM_KINDS.items():
        data[field] = [item for item in data[field] if may_see(role, item["audience"])]
    for issue in data["issues"]:
        issue["positions"] = {
            party: pos
            for party, pos in issue["positions"].items()
            if may_see(role, position_audience(issue["audience"], party))
        }
    return Session.model_validate(data)


def _issue_texts(issue: NumericIssue, parties: Iterable[str] | None = None) -> Iterator[str]:
    for party, pos in issue.positions.items():
        if parties is None or party in parties:
            yield _number(pos.ideal)
            if pos.walk_away is not None:
                yield _number(pos.walk_away)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def hidden_texts(session: Session, role: str) -> list[str]:
    """Titles, texts and values in ``session`` that ``role`` may not see.

    Used to check exports and pages for leaks, and in the facilitator's record of what was
    withheld. Values are numbers as printed (``480``, ``12.5``).
    """
    check_role(session, role)
    out: list[str] = []
    if role == FACILITATOR:
        return out
    for _kind, (field, _cls, _prefix) in ITEM_KINDS.items():
        for item in getattr(session, field):
            if not may_see(role, item.audience):
                out.append(str(getattr(item, "title", None) or getattr(item, "text", "")))
                if isinstance(item, NumericIssue):
                    out.extend(_issue_texts(item))
    for issue in session.issues:
        if may_see(role, issue.audience):
            others = [
                p for p in issue.positions if not may_see(role, position_audience(issue.audience, p))
            ]
            out.extend(_issue_texts(issue, others))
    return out


def audience_label(audience: str, session: Session) -> str:
    """Who may see an item, in words: "everyone", "facilitator only", "<party> only"."""
    if audience == JOINT:
        return "everyone"
    if audience == FACILITATOR:
        return "facilitator only"
    return f"{session.party_name(audience)} only"
