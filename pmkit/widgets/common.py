"""Small helpers the board and its panels share: audience choices, HTML tables and walking
or closing a tree of widgets.

The browser can set any synced trait and click any button (disabled or not) through comm
messages, so a widget's state is never trusted: every callback checks with
:func:`pmkit.rules.permissions.require` what the board's role may change before it calls the
store. The role is fixed when the board is built; no widget can change it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import ipywidgets as widgets

from pmkit.model import FACILITATOR, JOINT, Session
from pmkit.rules.visibility import audience_label
from pmkit.widgets.edge import esc

__all__ = [
    "audience_label",
    "audience_options",
    "close_tree",
    "html_table",
    "iter_widgets",
]


def audience_options(session: Session) -> list[tuple[str, str]]:
    return [(audience_label(a, session), a) for a in (JOINT, *session.party_ids, FACILITATOR)]


def html_table(head: Sequence[str], rows: Sequence[Sequence[object]], *, empty: str = "none") -> str:
    """A small HTML table; every cell is escaped."""
    if not rows:
        return f'<p class="pmkit-empty">{esc(empty)}</p>'
    th = "".join(f"<th>{esc(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="pmkit-table"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'


def iter_widgets(widget: widgets.Widget) -> Iterator[widgets.Widget]:
    """``widget`` and every widget inside it, depth first."""
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from iter_widgets(child)


def close_tree(widget: widgets.Widget) -> None:
    """Close ``widget`` and every widget inside it (a closed widget leaves the page)."""
    for w in reversed(list(iter_widgets(widget))):
        for part in (getattr(w, "layout", None), getattr(w, "style", None)):
            if isinstance(part, widgets.Widget):
                part.close()
        w.close()
