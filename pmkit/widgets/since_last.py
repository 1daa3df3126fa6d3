""""Since last meeting" on the board's overview: for a meeting made as the follow-up of
another, what moved since that meeting, what it agreed and which actions are late now.

Both meetings are read as the page's own role (and member) sees them
(:func:`pmkit.views.series.since_last`), so the summary holds nothing the page may not see.
"""

from __future__ import annotations

import datetime as dt

from pmkit.i18n import N_, _, ngettext
from pmkit.text import count, day
from pmkit.views.series import SinceLast
from pmkit.widgets.edge import esc
from pmkit.widgets.look import MUTED, heading

__all__ = ["since_last_html"]

_SHOWN = 5  # lines listed per part before "and N more"
_STANCES = {"support": N_("support"), "neutral": N_("neutral"), "oppose": N_("oppose")}


def _stance(stance: str) -> str:
    """A stance (``support``, ``neutral``, ``oppose``) in the reader's language."""
    return _(_STANCES[stance]) if stance in _STANCES else stance


def _list(lines: list[str], empty: str) -> str:
    if not lines:
        return f'<p class="{MUTED}">{esc(empty)}</p>'
    more = len(lines) - _SHOWN
    rest = _("and {n} more").format(n=count(more))
    tail = f"<li class='{MUTED}'>{esc(rest)}</li>" if more > 0 else ""
    return "<ul>" + "".join(f"<li>{esc(x)}</li>" for x in lines[:_SHOWN]) + tail + "</ul>"


def _rating(rating: tuple[int, str] | None) -> str:
    return _("not rated") if rating is None else f"{rating[0]} {_stance(rating[1])}"


def since_last_html(since: SinceLast | None, names: dict[str, str], today: dt.date | None = None) -> str:
    """The "since last meeting" block, or "" for a meeting that follows none."""
    if since is None:
        return ""
    m = since.moved
    moved = [_("{title}: {party}'s rating {before} -> {after}").format(
        title=r.title, party=names.get(r.party, r.party), before=_rating(r.before), after=_rating(r.after))
        for r in m.ratings]
    moved += [_("{title}: {party}'s position moved").format(title=p.title, party=names.get(p.party, p.party))
              for p in m.positions]
    moved += [_("Conflict resolved: {title}").format(title=t) for t in m.resolved]
    moved += [_("New conflict: {title}").format(title=t) for t in m.new_conflicts]
    today = today or dt.date.today()
    late = [_late(a.title, a.due, today, a.owner) for a in since.late]
    head = _("Since last meeting (meeting {number})").format(number=since.number - 1)
    parts = ((_("What moved"), moved, _("Nothing moved yet.")),
             (_("Agreed last time"), list(since.agreed), _("Nothing was agreed.")),
             (_("Late actions"), late, _("No action is late.")))
    columns = "".join(f"<div>{heading(title)}{_list(lines, empty)}</div>" for title, lines, empty in parts)
    return f'<div class="pmkit-since-last">{heading(head)}<div class="pmkit-columns">{columns}</div></div>'


def _late(title: str, due: dt.date | None, today: dt.date, owner: str | None) -> str:
    """A late action: its title, when it was due, how late it is and who owns it."""
    days = (today - due).days if due else 0
    late = ngettext("{n} day late", "{n} days late", days).format(n=count(days))
    when = day(due) if due else ""
    if owner:
        return _("{title} (due {due}, {late}; {owner})").format(title=title, due=when, late=late, owner=owner)
    return _("{title} (due {due}, {late})").format(title=title, due=when, late=late)
