"""A board's widgets as the browser reaches them: every synced state as text, every message a
hostile page can send, and a pairwise judgement set as a slider sets it."""

from __future__ import annotations

import ipywidgets as widgets

from pmkit.widgets import MeetingBoard
from pmkit.widgets.common import iter_widgets
from pmkit.widgets.panels.ahp import SCALE, AhpPanel


def states(board: MeetingBoard) -> str:
    """Every synced state of every widget on the page, as text (images left out)."""
    out = []
    for w in iter_widgets(board.widget):
        state = {k: v for k, v in w.get_state().items() if not isinstance(v, (bytes, memoryview))}
        out.append(repr(state))
    return "\n".join(out)


def send_everything(board: MeetingBoard) -> None:
    """What a hostile page can do: set every synced value, pick every option, click every
    button (disabled or not), through the same calls a comm message makes."""
    for w in list(iter_widgets(board.widget)):
        if isinstance(w, widgets.Button):
            w._handle_custom_msg({"event": "click"}, [])
        elif isinstance(w, (widgets.Dropdown, widgets.Select, widgets.ToggleButtons)):
            for index in range(len(w.options)):
                w.set_state({"index": index})
        elif isinstance(w, (widgets.Text, widgets.Textarea)):
            w.set_state({"value": "forged <b>text</b>"})
            w.set_state({"value": "7"})
        elif isinstance(w, widgets.FloatSlider):
            w.set_state({"value": 0.9})


def judge(panel: AhpPanel, left: str, right: str, label: str) -> None:
    """Move the slider of (left, right) to ``label`` (e.g. '← 3': left 3 times as important)."""
    panel._pairs[left, right].slider.value = dict(SCALE)[label]

