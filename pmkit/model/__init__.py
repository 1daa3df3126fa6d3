"""The session model: parties, goals, numeric issues, option issues, agreements, actions,
notes and the disclosure plan.

The model is split by concept (:mod:`~pmkit.model.base`, :mod:`~pmkit.model.items`,
:mod:`~pmkit.model.plan`, :mod:`~pmkit.model.session`); every name is imported from here.

**Option issues** (:class:`OptionIssue`): an issue decided by choosing one of 2..50 options.
Each party's input (:class:`OptionScores`) is private like a position: a score 0..100 per
option, the issue's weight for the party, and the options it cannot accept. A party's
``reservation`` (:class:`Party`), its disagreement utility, is private too.

Every item carries an ``audience``: ``joint`` (everyone), a party id (that party and the
facilitator) or ``facilitator`` (the facilitator alone). Roles that may edit are
``facilitator`` and one per party (:attr:`Session.roles`); the shared screen, ``room``, is
one more role that reads the joint items only and writes nothing. A session has two
titles: ``title``, the facilitator's working title, and the title for everyone
(:attr:`Session.title_for_everyone`), which the parties and the room see.
:func:`parse_session` is the single entry for untrusted data; its errors name the item,
the field, the bad value and what is allowed.

**The disclosure plan** (``Session.plan``, one :class:`PlanEntry` per withheld item that has
something recorded; an item without one is *undecided*). An item is *withheld* when its
audience is not joint; a note for the facilitator alone is the facilitator's own working
note and is not withheld from anyone in particular, and positions are always private, so
neither has a plan entry. The item's *owner* decides (:func:`plan_owner`): the party of its
audience; for an item for the facilitator alone, the party that raised it (a goal) or the
facilitator. Decisions: ``undecided``, ``now``, ``by`` a date (optionally after a
condition), ``never`` (with a reason). The rules of who may decide and disclose are in
:mod:`pmkit.rules.disclosure_plan`; an item disclosed carries the day in ``disclosed_on``.
"""

from pmkit.model.base import (
    AUDIENCES_FIXED,
    FACILITATOR,
    JOINT,
    MAX_ITEMS,
    MAX_MAGNITUDE,
    MAX_TEXT,
    MAX_TITLE,
    RESERVED_IDS,
    ROOM,
    STANCE_VALUE,
    Language,
    Stance,
    check_magnitude,
)
from pmkit.model.items import (
    ITEM_KINDS,
    Action,
    Agreement,
    Goal,
    Note,
    NumericIssue,
    Option,
    OptionIssue,
    OptionScores,
    Party,
    Position,
    Rating,
    new_item_id,
)
from pmkit.model.plan import DECISIONS, PlanEntry, is_withheld, plan_key, plan_owner
from pmkit.model.session import Session, everyone_title, parse_session

__all__ = [
    "AUDIENCES_FIXED",
    "DECISIONS",
    "FACILITATOR",
    "ITEM_KINDS",
    "JOINT",
    "MAX_ITEMS",
    "MAX_MAGNITUDE",
    "MAX_TEXT",
    "MAX_TITLE",
    "RESERVED_IDS",
    "ROOM",
    "STANCE_VALUE",
    "Action",
    "Agreement",
    "Goal",
    "Note",
    "NumericIssue",
    "Option",
    "OptionIssue",
    "OptionScores",
    "Party",
    "PlanEntry",
    "Position",
    "Rating",
    "Session",
    "Language",
    "Stance",
    "check_magnitude",
    "everyone_title",
    "is_withheld",
    "new_item_id",
    "parse_session",
    "plan_key",
    "plan_owner",
]
