"""An open page whose link is revoked stops: within seconds, not at its next load.

The meeting kernel keeps checking its own link's generation on its running loop
(:func:`watch`, every ``revoke_check_seconds``): once ``pmkit links --revoke`` or ``pmkit
participants --revoke`` moved it on (or the member was removed), the board is replaced by
a message saying so, every widget of it is closed (nothing more can be written through
them), the widget guard refuses whatever the page still sends, and the server
(:mod:`pmkit.meeting.pages`), which checks the same generation, shuts the kernel down.
"""

from __future__ import annotations

import asyncio
from typing import Any

from pmkit.i18n import N_
from pmkit.logs import server_log
from pmkit.meeting import guard
from pmkit.meeting.links import Grant, revoked
from pmkit.store import Workspace

__all__ = ["REVOKED", "stop", "watch"]

REVOKED = N_("This meeting link was revoked; ask the facilitator for a new one.")  # shown translated: _(REVOKED)


def stop(board: Any, message_html: str) -> None:
    """Replace the board's content with ``message_html`` and close every widget it held."""
    import ipywidgets as widgets

    from pmkit.widgets.common import close_tree

    guard.block()
    board.stop_polling()
    old = list(board.widget.children)
    note = widgets.HTML(message_html)
    note.add_class("pmkit-revoked")
    board.widget.children = (note,)
    for child in old:
        close_tree(child)


def watch(ws: Workspace, grant: Grant, board: Any, message_html: str, every: float) -> asyncio.Task[None] | None:
    """Start checking the link on the kernel's running loop (none in plain scripts: None)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None

    async def check() -> None:
        while True:
            await asyncio.sleep(every)
            try:
                gone = revoked(ws, grant)
            except Exception:  # noqa: BLE001 - a database hiccup: look again next time
                server_log().warning("could not check the link of a %s page; checking again", grant.role)
                continue
            if gone:
                server_log().warning("the link of an open %s page was revoked: the page stops", grant.role)
                stop(board, message_html)
                return

    return loop.create_task(check())
