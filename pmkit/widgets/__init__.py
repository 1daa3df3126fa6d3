"""The widgets of the meeting app and the preparation notebook.

* :mod:`pmkit.widgets.board`     :class:`MeetingBoard` and the list of its panels
* :mod:`pmkit.widgets.room`      :class:`RoomBoard`, the room's read-only screen, and
  :mod:`pmkit.widgets.room_views`, what it can show
* :mod:`pmkit.widgets.prepare`   :class:`PrepareBoard` for the facilitator in JupyterLab
* :mod:`pmkit.widgets.edge`      the page's error edge and the status line
* :mod:`pmkit.widgets.context`   one board's role and session, shared by its panels
* :mod:`pmkit.widgets.common`    permissions, HTML tables, walking and closing widget trees
* :mod:`pmkit.widgets.compare`   several sessions side by side (analysis notebook)
* :mod:`pmkit.widgets.panels`    one module per panel, on the contract of ``panels.base``:
  overview (and whom to please), goals, issues, weighing, negotiation, capture, export,
  room (the facilitator's Room screen control), rounds (the facilitator's page only), the
  disclosure plan (the facilitator's, and an owner's of a withheld item), the disclosure
  check (the facilitator's page only)
* :mod:`pmkit.widgets.room_reveal`  the room's reveal view of a private round, as HTML
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pmkit.widgets.board import PANELS, Board, MeetingBoard
    from pmkit.widgets.prepare import PrepareBoard
    from pmkit.widgets.room import RoomBoard

__all__ = ["PANELS", "Board", "MeetingBoard", "PrepareBoard", "RoomBoard"]

_HOMES = {"PANELS": "board", "Board": "board", "MeetingBoard": "board", "PrepareBoard": "prepare",
          "RoomBoard": "room"}


def __getattr__(name: str) -> Any:
    """Each name is imported when it is first used: a meeting kernel never loads the
    preparation board, and the preparation notebook never loads the meeting's panels."""
    if name not in _HOMES:
        raise AttributeError(f"module 'pmkit.widgets' has no attribute {name!r}")
    return getattr(import_module(f"pmkit.widgets.{_HOMES[name]}"), name)
