"""The meeting app, as the Voila notebook runs it: resolve the role, build its board (the
room's read-only screen, :class:`~pmkit.widgets.room.RoomBoard`, for the ``room`` role; the
meeting board for the facilitator and each party).

Order matters with preheated kernels: the heavy imports run before
``wait_for_request()``; nothing role-specific runs before it. The role comes from the
signed link in the request, checked again here, never from a widget.

:func:`run` is the kernel-start edge: a refused link is one short message on the page; any
other failure a generic message, with the reason (and, if unexpected, the traceback) in
the server's log only. The page opens no comm but the widget front end's own
(:mod:`pmkit.meeting.comms`), and stops when its link is revoked
(:mod:`pmkit.meeting.revocation`). Once the board is up, the page's own edge takes over
(:mod:`pmkit.widgets.edge`, and :mod:`pmkit.meeting.guard` for widget messages).
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from contextlib import ExitStack, suppress
from typing import Any

from pmkit import settings
from pmkit.errors import AccessDenied, PmkitError
from pmkit.i18n import _, set_language
from pmkit.logs import server_log
from pmkit.meeting import comms, revocation, slots
from pmkit.meeting.links import check_query
from pmkit.model import ROOM
from pmkit.store import Workspace

__all__ = ["message_html", "run"]


def message_html(title: str, text: str) -> str:
    return (
        "<main class='pmkit-message' style='font-family:sans-serif;margin:2em'>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></main>"
    )


def _preheated() -> bool:
    return os.environ.get("VOILA_PREHEAT", "False") != "False"


def _lower_priority() -> int | None:
    """Lower this process's CPU priority by 10 (``nice``); returns the one to restore."""
    try:
        before = os.getpriority(os.PRIO_PROCESS, 0)
        os.setpriority(os.PRIO_PROCESS, 0, min(before + 10, 19))
    except OSError:
        return None
    return before


def _restore_priority(before: int | None) -> None:
    """Back to ``before`` once a page is waiting; where the system does not allow raising a
    priority again (no privilege), the kernel keeps the lower one: it only matters when the
    CPU is contended, and then the other kernels of the pool share it."""
    if before is None:
        return
    with suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, 0, before)


def _wait_for_request() -> None:
    """Block a preheated kernel until its page's request arrives.

    Importing ``voila`` costs seconds (it pulls in jupyter_server and compiles jsonschema's
    grammars), so it is imported only when the kernel really is preheated.
    """
    from voila.utils import wait_for_request

    wait_for_request()


def run() -> Any:
    """Entry point of ``notebooks/meeting.ipynb``; returns the board (or None). The kernel's
    start edge: whatever fails, the page gets one short message and no traceback."""
    from IPython.display import HTML, display

    try:
        return _open_board(display)
    except AccessDenied as exc:
        display(HTML(message_html(_("Link not accepted"), str(exc))))
    except PmkitError as exc:
        server_log().error("the meeting board could not start: %s", exc)
        display(HTML(_cannot_open()))
    except Exception:  # noqa: BLE001 - the edge: no traceback reaches the page
        server_log().exception("the meeting board could not start")
        display(HTML(_cannot_open()))
    return None


def _cannot_open() -> str:
    return message_html(_("The meeting cannot open"), _("The board could not start; the server's log says why. "
                                                        "Reload the page or ask the facilitator."))


def _open_board(display: Callable[[Any], object]) -> Any:
    """Check the link, build its role's board and show it.

    The heavy work (imports, building the board) runs in one of a few slots shared by the
    server's kernels (:mod:`pmkit.meeting.slots`), so pages opened together finish one by one.
    """
    comms.install()  # before ipywidgets registers its comm targets: the page opens no widget
    folder, n = settings.workspace_dir(), slots.default_slots()
    preheated = _preheated()
    # a kernel filling the pool does its imports in the background: at a lower CPU priority,
    # so that a page being opened at that moment is not slowed down by it
    priority = _lower_priority() if preheated else None
    with ExitStack() as turn:
        turn.enter_context(slots.slot(folder, n))
        try:
            from pmkit.meeting.guard import install as install_guard
            from pmkit.widgets.board import MeetingBoard  # heavy imports before the request arrives
        finally:
            if preheated:  # a preheated kernel waits for its page without holding a slot
                turn.close()
                _wait_for_request()
                _restore_priority(priority)
                turn.enter_context(slots.slot(folder, n))
        ws = Workspace()
        grant = check_query(ws, os.environ.get("QUERY_STRING", ""))
        set_language(grant.lang or ws.sessions.language(grant.session_id))  # one page per kernel
        install_guard(grant.role)
        comms.install(grant.role)
        if grant.role == ROOM:  # one page per meeting: its charts' imports wait for it
            from pmkit.widgets.room import RoomBoard

            board: Any = RoomBoard(ws, grant.session_id)
        else:
            board = MeetingBoard(ws, grant.session_id, grant.role, participant=grant.participant, actor=grant.actor)
        display(board.widget)
    every = settings.number("revoke_check_seconds", 0.1, 60)
    revocation.watch(ws, grant, board, message_html(_("Link revoked"), _(revocation.REVOKED)), every)
    return board
