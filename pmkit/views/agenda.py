"""The agenda in words, the same on every surface (the room, the board, the command line,
the minutes): how much time an item has left, how far over it is, and what it took.

Every time here is counted from the store's time stamps against the server's clock
(:meth:`pmkit.store.AgendaItem.remaining`): a page computes nothing from a browser's clock.
Overtime is said in words ("3 min over"), never by colour alone, in the current language
(:mod:`pmkit.i18n`).
"""

from __future__ import annotations

import datetime as dt
import math

from pmkit.i18n import _, pgettext
from pmkit.store import AgendaItem
from pmkit.text import count

__all__ = ["clock_text", "minutes_text", "spent_text", "state_text"]


def minutes_text(n: int) -> str:
    """``1 min``, ``12 min``."""
    return _("{n} min").format(n=count(n))


def clock_text(item: AgendaItem, at: dt.datetime | None = None) -> str:
    """A running item's time, as of ``at`` (the server's now): ``7 min left``, ``under a
    minute left``, or ``Overtime: 3 min over``."""
    left = item.remaining(at)
    if left >= 60:
        return _("{time} left").format(time=minutes_text(math.floor(left / 60)))
    if left >= 0:
        return _("under a minute left")
    return _("Overtime: {time} over").format(time=minutes_text(math.ceil(-left / 60 - 1e-9)))


def spent_text(item: AgendaItem, at: dt.datetime | None = None) -> str:
    """What an item took: ``planned 10 min, spent 12 min, 2 min over`` (with ``extended by
    N min`` when it was), or ``not taken`` for an item the meeting never reached."""
    planned = _("planned {time}").format(time=minutes_text(item.minutes))
    if item.started_at is None:
        not_taken = pgettext("agenda item", "not taken")
        return f"{planned}, {not_taken}"
    spent = item.spent_minutes(at)
    parts = [planned]
    if item.extended:
        parts.append(_("extended by {time}").format(time=minutes_text(item.extended)))
    parts.append(_("spent {time}").format(time=minutes_text(spent) if spent else _("under a minute")))
    over = item.overrun(at)
    if over:
        parts.append(_("{time} over").format(time=minutes_text(over)))
    words = ", ".join(parts)
    if item.ended_at is None:
        words += " " + _("so far")
    return words


def state_text(item: AgendaItem, at: dt.datetime | None = None) -> str:
    """``waiting``, ``done (...)`` or the running item's clock."""
    if item.state == "waiting":
        return pgettext("agenda item", "waiting")
    if item.state == "running":
        return _("running: {clock}").format(clock=clock_text(item, at))
    return _("done: {spent}").format(spent=spent_text(item))
