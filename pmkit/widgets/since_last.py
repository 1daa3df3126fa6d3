""""Since last meeting" on the board's overview: for a meeting made as the follow-up of
another, what moved since that meeting, what it agreed and which actions are late now.

Both meetings are read as the page's own role (and member) sees them
(:func:`pmkit.views.series.since_last`), so the summary holds nothing the page may not see.
"""

from __future__ import annotations

import datetime as dt

from pmkit.views.series import SinceLast
from pmkit.widgets.edge import esc
from pmkit.widgets.look import MUTED, heading

__all__ = ["since_last_html"]

_SHOWN = 5  # lines listed per part before "and N more"


def _list(lines: list[str], empty: str) -> str:
    if not lines:
        return f'<p class="{MUTED}">{esc(empty)}</p>'
    more = len(lines) - _SHOWN
    tail = f"<li class='{MUTED}'>and {more} more</li>" if more > 0 else ""
    return "<ul>" + "".join(f"<li>{esc(x)}</li>" for x in lines[:_SHOWN]) + tail + "</ul>"


def since_last_html(since: SinceLast | None, names: dict[str, str], today: dt.date | None = None) -> str:
    """The "since last meeting" block, or "" for a meeting that follows none."""
    if since is None:
        return ""
    m = since.moved
    moved = [f"{r.title}: {names.get(r.party, r.party)}'s rating "
             f"{'not rated' if r.before is None else f'{r.before[0]} {r.before[1]}'} -> "
             f"{'not rated' if r.after is None else f'{r.after[0]} {r.after[1]}'}" for r in m.ratings]
    moved += [f"{p.title}: {names.get(p.party, p.party)}'s position moved" for p in m.positions]
    moved += [f"Conflict resolved: {t}" for t in m.resolved] + [f"New conflict: {t}" for t in m.new_conflicts]
    day = today or dt.date.today()
    late = [f"{a.title} (due {a.due.isoformat() if a.due else ''}, {(day - a.due).days if a.due else 0} days late"
            f"{'; ' + a.owner if a.owner else ''})" for a in since.late]
    return (f'<div class="pmkit-since-last">{heading(f"Since last meeting (meeting {since.number - 1})")}'
            f'<div class="pmkit-columns"><div>{heading("What moved")}{_list(moved, "Nothing moved yet.")}</div>'
            f'<div>{heading("Agreed last time")}{_list(list(since.agreed), "Nothing was agreed.")}</div>'
            f'<div>{heading("Late actions")}{_list(late, "No action is late.")}</div></div></div>')
