"""No page in German or French holds what its role may not see: for every starter session,
each party's board (every tab drawn) and the room's, the widget states hold none of the
hidden titles, marks and plan texts, and no hidden number in any language's writing
(``12.345,75``, ``12 345,75``), as the English pages' checks ask of English."""

from __future__ import annotations

import re
from typing import Any

import pytest

from pmkit.i18n import use
from pmkit.model import FACILITATOR, ROOM
from pmkit.resources import starter_path
from pmkit.rules.visibility import hidden_texts
from pmkit.store import Workspace
from pmkit.widgets import MeetingBoard
from pmkit.widgets.common import iter_widgets
from pmkit.widgets.room import RoomBoard
from tests.support.starters import STARTERS


def _states(root: Any) -> str:
    return "\n".join(repr({k: v for k, v in w.get_state().items() if not isinstance(v, (bytes, memoryview))})
                     for w in iter_widgets(root))


def _found(page: str, hidden: list[str]) -> list[str]:
    # a number stands alone (not inside a longer number or a widget's hex id); text as it is
    out = []
    for h in hidden:
        if re.fullmatch(r"-?[\d.,\s\u00a0\u202f']+", h):
            if re.search(rf"(?<![\w.,]){re.escape(h)}(?![\d])", page):
                out.append(h)
        elif h in page:
            out.append(h)
    return out


@pytest.mark.parametrize("lang", ["de", "fr"])
@pytest.mark.parametrize("name", STARTERS)
def test_no_page_in_german_or_french_holds_what_its_role_may_not_see(workspace: Workspace, name: str,
                                                                    lang: str) -> None:
    sid = workspace.sessions.import_file(starter_path(name))
    full = workspace.sessions.load(sid, FACILITATOR)
    with use(lang):
        for role in [*full.party_ids, ROOM]:
            if role == ROOM:
                board: Any = RoomBoard(workspace, sid)
            else:
                board = MeetingBoard(workspace, sid, role)
                for title, _f in board._specs[1:]:
                    board.panel(title)  # every tab drawn
            hidden = [h for h in hidden_texts(full, role) if len(h) >= 3]  # two digits are on every page
            assert _found(_states(board.widget), hidden) == [], (name, role)
            board.close()
