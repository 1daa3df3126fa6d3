"""What a role may write: every rule in one place, used by the store and the widgets alike.

:mod:`pmkit.disclosure` says what a role may *read*; this module says what it may *change*.
The rules:

* the facilitator may change everything;
* a party sets its own ratings of goals and its own positions on numeric issues, and may
  add a goal raised by itself, for everyone or for itself, rated by itself only;
* inside an open round a party answers for itself only (its rating or position on an item of
  the round becomes its private answer); opening, revealing and cancelling a round are the
  facilitator's;
* everything else (changing or deleting items, audiences, agreements, actions and notes,
  undo, revoking the meeting links) is the facilitator's alone.

The store checks these before it writes anything (a refused edit writes nothing); the
widgets use the ``may_*`` questions to decide what to show, and :func:`require` in their
callbacks, since a page can click a button it was never shown. Each function raises
:class:`~pmkit.errors.AccessDenied` with a message naming the role and what was refused.
"""

from __future__ import annotations

from pmkit.errors import AccessDenied
from pmkit.model import FACILITATOR, JOINT, Goal

__all__ = [
    "authorize_add",
    "authorize_answer",
    "authorize_facilitator",
    "authorize_position",
    "authorize_rating",
    "authorize_round",
    "authorize_update",
    "may_edit_items",
    "may_rate",
    "may_run_rounds",
    "require",
]


def may_edit_items(role: str) -> bool:
    """Only the facilitator edits items, audiences, agreements and actions."""
    return role == FACILITATOR


def may_rate(role: str, party: str) -> bool:
    """A party sets its own ratings and positions; the facilitator sets anyone's."""
    return role in (FACILITATOR, party)


def may_run_rounds(role: str) -> bool:
    """Only the facilitator opens, reveals and cancels rounds."""
    return role == FACILITATOR


def require(allowed: bool, what: str) -> None:
    """Refuse (nothing is saved) when the role may not do ``what``."""
    if not allowed:
        raise AccessDenied(f"not allowed: {what}; nothing was saved")


def authorize_add(role: str, kind: str, item: object) -> None:
    """May ``role`` add ``item`` (a validated model object) of ``kind``?"""
    if may_edit_items(role):
        return
    if kind != "goal" or not isinstance(item, Goal):
        raise AccessDenied(f"only the facilitator may add {kind}s (role: {role})")
    if item.raised_by != role or item.audience not in (JOINT, role):
        raise AccessDenied(f"the {role} role may add goals raised by itself, for everyone or itself")
    if any(pid != role for pid in item.ratings):
        raise AccessDenied(f"the {role} role may rate goals only for itself")


def authorize_update(role: str, kind: str) -> None:
    """May ``role`` change the fields of an item of ``kind``?"""
    if not may_edit_items(role):
        raise AccessDenied(
            f"only the facilitator may change a {kind}; the {role} role may set its own ratings and positions"
        )


def authorize_rating(role: str, party: str) -> None:
    """May ``role`` set ``party``'s ratings of goals?"""
    if not may_rate(role, party):
        raise AccessDenied(f"the {role} role may not rate goals for '{party}'")


def authorize_position(role: str, party: str) -> None:
    """May ``role`` set ``party``'s ideal and walk-away on a numeric issue?"""
    if not may_rate(role, party):
        raise AccessDenied(f"the {role} role may not set the position of '{party}'")


def authorize_facilitator(role: str, what: str) -> None:
    """Deleting items, undo and revoking links: the facilitator's alone."""
    if role != FACILITATOR:
        raise AccessDenied(f"only the facilitator may {what} (role: {role})")


def authorize_round(role: str, what: str) -> None:
    """Opening, revealing and cancelling a round: the facilitator's alone."""
    if not may_run_rounds(role):
        raise AccessDenied(f"only the facilitator may {what} (role: {role})")


def authorize_answer(role: str, party: str) -> None:
    """May ``role`` give ``party``'s private answer in a round? Only the party itself."""
    if role != party:
        raise AccessDenied(f"the {role} role may not answer in a round for '{party}'; a party answers for itself")
