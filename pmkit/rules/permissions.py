"""What a role may write: every rule in one place, used by the store and the widgets alike.

:mod:`pmkit.rules.visibility` says what a role may *read*; this module says what it may *change*.
The rules:

* the facilitator may change everything;
* a party sets its own ratings of goals and its own positions on numeric issues, and may
  add a goal raised by itself, for everyone or for itself, rated by itself only;
* a party records the disclosure decision on its own withheld items (those of its own
  audience); the facilitator records any owner's decision on its behalf
  (:func:`authorize_decide`; the rules of the disclosure plan are in :mod:`pmkit.rules.disclosure_plan`);
* a party with members (participants) rates through them: each member sets only their own
  ratings, positions and pairwise judgements (from their own link), and the party's rating
  is their aggregate; the facilitator sets anyone's, and adds, removes and re-links members;
* inside an open round a party answers for itself only (its rating or position on an item of
  the round becomes its private answer); opening, revealing and cancelling a round are the
  facilitator's;
* everything else (changing or deleting items, audiences, agreements, actions and notes,
  disclosing a withheld item, the session's titles, undo, revoking the meeting links, what
  the room screen shows) is the facilitator's alone;
* the room (the shared screen) changes nothing at all.

The store checks these before it writes anything (a refused edit writes nothing); the
widgets use the ``may_*`` questions to decide what to show, and :func:`require` in their
callbacks, since a page can click a button it was never shown. Each function raises
:class:`~pmkit.errors.AccessDenied` with a message naming the role and what was refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from pmkit.errors import AccessDenied
from pmkit.i18n import N_, _
from pmkit.model import FACILITATOR, JOINT, ROOM, Goal

__all__ = [
    "Actor",
    "as_actor",
    "authorize_add",
    "authorize_answer",
    "authorize_decide",
    "authorize_facilitator",
    "authorize_member",
    "authorize_position",
    "authorize_rating",
    "authorize_round",
    "authorize_update",
    "may_edit_items",
    "may_rate_member",
    "may_rate",
    "may_run_rounds",
    "refuse_room",
    "require",
    "speaking_for",
]

READ_ONLY = N_("the room screen is read-only: it changes nothing")
REVOKED = N_(
    "this meeting link was revoked; ask the facilitator for a new one; nothing was saved")  # raise as _(REVOKED)


@dataclass(frozen=True)
class Actor:
    """Who writes: a ``role``; on a member's own page also the ``participant`` (their id, from
    their link); on a page opened from a meeting link also the link's generations (``link_epoch``,
    the session's; ``member_epoch``, the member's own). The store checks all of it inside the
    edit's transaction: a member writes only as themselves, and a write from a revoked link is
    refused even from a page opened before the revocation. An actor without generations is
    the command line's or the preparation notebook's (no link to revoke)."""

    role: str
    participant: str | None = None
    link_epoch: int | None = None
    member_epoch: int | None = None

    @property
    def from_link(self) -> bool:
        return self.link_epoch is not None


def as_actor(who: str | Actor) -> Actor:
    """An :class:`Actor` for a role name (the command line's: no link), or the actor itself."""
    return who if isinstance(who, Actor) else Actor(str(who))


def speaking_for(actor: Actor, participant: str | None) -> str | None:
    """The member a write is for: the actor's own on a member's page (naming anyone else is
    refused), else ``participant`` as given (the facilitator's, or the command line's)."""
    if actor.participant is None:
        return participant
    if participant is not None and participant != actor.participant:
        raise AccessDenied(_("a participant sets only their own ratings and positions; nothing was saved"))
    return actor.participant


def refuse_room(role: str) -> None:
    """Every write by the room is refused, whatever it is."""
    if role == ROOM:
        raise AccessDenied(_("{reason}; nothing was saved").format(reason=_(READ_ONLY)))


def may_edit_items(role: str) -> bool:
    """Only the facilitator edits items, audiences, agreements and actions."""
    return role == FACILITATOR


def may_rate(role: str, party: str) -> bool:
    """A party sets its own ratings and positions; the facilitator sets anyone's; the room
    sets nothing."""
    return role != ROOM and role in (FACILITATOR, party)


def may_rate_member(role: str, participant: str | None, member: str, member_party: str) -> bool:
    """Whether a page of ``role`` (opened from ``participant``'s link, or the party's own)
    may set the inputs of member ``member`` of ``member_party``: the facilitator anyone's,
    a member only their own."""
    return role == FACILITATOR or (role == member_party and participant == member)


def authorize_member(role: str, party: str, member_party: str) -> None:
    """May ``role`` set an input of a member of ``member_party`` as a member of ``party``? The
    facilitator any member's; a party role only its own members' (the member writing names
    itself: a member's page only ever names its own id, fixed by its link)."""
    if role == FACILITATOR:
        if member_party != party:
            raise AccessDenied(_(
                "that participant belongs to '{member_party}', not '{party}'; nothing was saved").format(
                member_party=member_party, party=party))
        return
    if role != party or member_party != party:
        raise AccessDenied(_(
            "the {role} role may set only its own members' own ratings and positions").format(role=role))


def may_run_rounds(role: str) -> bool:
    """Only the facilitator opens, reveals and cancels rounds."""
    return role == FACILITATOR


def require(allowed: bool, what: str) -> None:
    """Refuse (nothing is saved) when the role may not do ``what``."""
    if not allowed:
        raise AccessDenied(_("not allowed: {what}; nothing was saved").format(what=what))


def authorize_add(role: str, kind: str, item: object) -> None:
    """May ``role`` add ``item`` (a validated model object) of ``kind``?"""
    refuse_room(role)
    if may_edit_items(role):
        return
    if kind != "goal" or not isinstance(item, Goal):
        raise AccessDenied(_("only the facilitator may add {kind}s (role: {role})").format(kind=kind, role=role))
    if item.raised_by != role or item.audience not in (JOINT, role):
        raise AccessDenied(_(
            "the {role} role may add goals raised by itself, for everyone or itself").format(role=role))
    if any(pid != role for pid in item.ratings):
        raise AccessDenied(_("the {role} role may rate goals only for itself").format(role=role))


def authorize_update(role: str, kind: str) -> None:
    """May ``role`` change the fields of an item of ``kind``?"""
    refuse_room(role)
    if not may_edit_items(role):
        raise AccessDenied(
            _("only the facilitator may change a {kind}; the {role} role may set its own ratings and positions").format(
                kind=kind, role=role))


def authorize_rating(role: str, party: str) -> None:
    """May ``role`` set ``party``'s ratings of goals?"""
    refuse_room(role)
    if not may_rate(role, party):
        raise AccessDenied(_("the {role} role may not rate goals for '{party}'").format(role=role, party=party))


def authorize_position(role: str, party: str) -> None:
    """May ``role`` set ``party``'s ideal and walk-away on a numeric issue?"""
    refuse_room(role)
    if not may_rate(role, party):
        raise AccessDenied(_("the {role} role may not set the position of '{party}'").format(role=role, party=party))


def authorize_decide(role: str, owner: str, audience: str) -> None:
    """May ``role`` record the disclosure decision on an item owned by ``owner`` whose
    audience is ``audience``? The facilitator always (on the owner's behalf); a party only on
    an item it owns and sees."""
    if role != FACILITATOR and (role != owner or audience != role):
        raise AccessDenied(_(
            "the {role} role decides only on its own withheld items; nothing was saved").format(role=role))


def authorize_facilitator(role: str, what: str) -> None:
    """Deleting items, undo, revoking links, the titles, the room screen: the facilitator's
    alone."""
    refuse_room(role)
    if role != FACILITATOR:
        raise AccessDenied(_("only the facilitator may {what} (role: {role})").format(what=what, role=role))


def authorize_round(role: str, what: str) -> None:
    """Opening, revealing and cancelling a round: the facilitator's alone."""
    if not may_run_rounds(role):
        raise AccessDenied(_("only the facilitator may {what} (role: {role})").format(what=what, role=role))


def authorize_answer(role: str, party: str) -> None:
    """May ``role`` give ``party``'s private answer in a round? Only the party itself."""
    if role != party:
        raise AccessDenied(_(
            "the {role} role may not answer in a round for '{party}'; a party answers for itself").format(
            role=role, party=party))
