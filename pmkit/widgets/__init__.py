"""The widgets of the meeting app and the preparation notebook.

* :mod:`pmkit.widgets.board`     :class:`MeetingBoard` and the list of its panels
* :mod:`pmkit.widgets.prepare`   :class:`PrepareBoard` for the facilitator in JupyterLab
* :mod:`pmkit.widgets.common`    the callback edge, status line, permissions, context
* :mod:`pmkit.widgets.overview`  alignment, overlap chart, lists; whom to please
* :mod:`pmkit.widgets.goals`     goal entry and rating
* :mod:`pmkit.widgets.issues`    numeric issues and positions
* :mod:`pmkit.widgets.capture`   agreements, decisions and action items
* :mod:`pmkit.widgets.compare`   several sessions side by side (analysis notebook)
"""

from pmkit.widgets.board import PANELS, Board, MeetingBoard
from pmkit.widgets.prepare import PrepareBoard

__all__ = ["PANELS", "Board", "MeetingBoard", "PrepareBoard"]
