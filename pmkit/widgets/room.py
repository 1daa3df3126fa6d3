"""The room screen: the page for the shared screen (a projector), driven by the facilitator.

:class:`RoomBoard` is the page the ``room`` role's link opens. It is built so that
projecting it betrays nobody:

* **joint content only, by construction**: it loads ``Workspace.sessions.load(session_id, "room")``
  and nothing else of the session (joint items, no position, the title for everyone); the
  facilitator's choice reaches it as ids (:meth:`~pmkit.store.Workspace.room_view`), and a
  goal it cannot load shows the overview;
* **read-only**: it is made of HTML and Image widgets only, no control; the meeting
  kernel's guard refuses every message its page sends (:mod:`pmkit.meeting.guard`), and
  the store refuses every write by the room;
* **presenter layout**: type sized to the screen (at least 24 px at 1280x720, about 37 px
  at 1920x1080), the title for everyone large, charts in presenter style, light or dark
  as the facilitator chooses;
* **it follows**: it polls the facilitator's choice and the session's version every
  ``poll_seconds``, at most :data:`ROOM_POLL_SECONDS` apart (a redraw takes up to half a
  second on a busy machine, and the room follows within one), and redraws when either
  changed.

What each view shows is in :mod:`pmkit.widgets.room_views`. Beside the title, the running
agenda item the room may see (a joint item about a joint item: the store's read filters the
rest) with its time left or its overtime in words, counted at every poll from the store's
time stamps against the server's clock (:mod:`pmkit.views.agenda`), never the browser's.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from pmkit.charts.style import THEMES
from pmkit.errors import AccessDenied
from pmkit.i18n import _
from pmkit.model import ROOM, Session
from pmkit.store import RoomView, Workspace
from pmkit.text import shorten
from pmkit.views.agenda import clock_text
from pmkit.widgets.board import poll_interval
from pmkit.widgets.common import close_tree
from pmkit.widgets.edge import Status, esc, guarded
from pmkit.widgets.look import CHART, ChartImage, show_chart, speaks
from pmkit.widgets.panels.base import READY
from pmkit.widgets.polling import Polling
from pmkit.widgets.room_views import RoomData, RoomPage, page_for, shown

__all__ = ["ROOM_CSS", "ROOM_POLL_SECONDS", "RoomBoard"]

ROOM_POLL_SECONDS = 0.2  # the room looks at least this often: one page per meeting, two tiny reads


def _css() -> str:
    light, dark = THEMES["light"], THEMES["dark"]
    return f"""
body:has(.pmkit-room) #rendered_cells {{ max-width: none !important; width: 100% !important; left: 0 !important;
  margin: 0; padding: 0; }}
body:has(.pmkit-room) .jp-Cell {{ padding: 0; }}
body:has(.pmkit-room.pmkit-theme-dark), body:has(.pmkit-room.pmkit-theme-dark) #rendered_cells,
body:has(.pmkit-room.pmkit-theme-dark) .jp-OutputArea-output {{ background: {dark['bg']}; }}
.pmkit-room {{ font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif;
  font-size: clamp(24px, calc(2.4vh + 0.6vw), 44px); line-height: 1.3; box-sizing: border-box;
  min-height: 100vh; padding: 0.4em 0.9em; background: {light['bg']}; color: {light['fg']}; }}
.pmkit-room.pmkit-theme-dark {{ background: {dark['bg']}; color: {dark['fg']}; }}
.pmkit-room .widget-html, .pmkit-room .widget-html-content {{ font-size: inherit; line-height: inherit; }}
.pmkit-room * {{ color: inherit; }}
.pmkit-room h1 {{ font-size: 1.8em; line-height: 1.15; margin: 0; }}
.pmkit-room h2 {{ font-size: 1.25em; line-height: 1.2; margin: 0.15em 0 0.3em; }}
.pmkit-room h3 {{ font-size: 1em; margin: 0.4em 0 0.1em; }}
.pmkit-room ul, .pmkit-room ol {{ margin: 0.1em 0 0.2em; padding-left: 1.3em; }}
.pmkit-room p {{ margin: 0.2em 0; }}
.pmkit-room .pmkit-room-muted {{ color: {light['muted']}; }}
.pmkit-room.pmkit-theme-dark .pmkit-room-muted {{ color: {dark['muted']}; }}
.pmkit-room .pmkit-room-main {{ gap: 0.8em; align-items: flex-start; }}
.pmkit-room img.pmkit-room-chart {{ max-width: 58vw; max-height: calc(100vh - 6em); width: auto; height: auto;
  object-fit: contain; flex: 0 1 auto; }}
.pmkit-room .pmkit-room-side {{ flex: 1 1 0; min-width: 0; }}
.pmkit-room .pmkit-room-score {{ font-size: 1.25em; }}
.pmkit-room .pmkit-room-badge {{ border: 0.08em solid currentColor; border-radius: 0.3em; padding: 0 0.25em; }}
.pmkit-room .pmkit-room-columns {{ display: flex; flex-wrap: wrap; gap: 0 2em; }}
.pmkit-room .pmkit-room-columns > section {{ flex: 1 1 18em; min-width: 0; }}
.pmkit-room table.pmkit-room-ratings {{ border-collapse: collapse; margin-top: 0.4em; font-size: 1.15em; }}
.pmkit-room table.pmkit-room-ratings th, .pmkit-room table.pmkit-room-ratings td {{ text-align: left;
  padding: 0.15em 1em 0.15em 0; }}
.pmkit-room .pmkit-reveal {{ display: flex; flex-wrap: wrap; gap: 0 2em; }}
.pmkit-room .pmkit-reveal-summary {{ flex: 1 1 100%; }}
.pmkit-room .pmkit-reveal-goal {{ flex: 1 1 16em; min-width: 0; }}
.pmkit-room table.pmkit-reveal-table {{ border-collapse: collapse; }}
.pmkit-room table.pmkit-reveal-table th, .pmkit-room table.pmkit-reveal-table td {{ text-align: left;
  padding: 0.1em 0.8em 0.1em 0; }}
.pmkit-room .pmkit-reveal-moved td:last-child {{ text-decoration: underline; }}
.pmkit-room .pmkit-status-error {{ font-size: 0.8em; }}
.pmkit-room .pmkit-room-top {{ flex-wrap: wrap; align-items: baseline; column-gap: 1em; }}
.pmkit-room .pmkit-room-title {{ flex: 1 1 auto; min-width: 0; max-width: 100%; }}
.pmkit-room .pmkit-room-agenda {{ flex: 0 1 auto; min-width: 0; margin-left: auto; text-align: right; }}
.pmkit-room .pmkit-room-agenda p {{ margin: 0; }}
.pmkit-room .pmkit-room-overtime {{ font-weight: bold; }}
"""


ROOM_CSS = _css()


class RoomBoard(Polling):
    """The room's page on one session: read-only, joint content only, driven by the
    facilitator's choice. ``.widget`` is the page; :meth:`sync` is one poll step (a kernel
    polls by itself; without a running event loop, call it yourself)."""

    def __init__(self, store: Workspace, session_id: str) -> None:
        if ROOM not in store.sessions.link_roles(session_id):  # pragma: no cover - every session has a room
            raise AccessDenied(_("session '{session}' has no room screen").format(session=session_id))
        self._interval = min(poll_interval(), ROOM_POLL_SECONDS)  # a bad setting leaves no widget behind
        self.store = store
        self.session_id = session_id
        self.role = ROOM
        self.status = Status()
        self._shown: tuple[RoomView, int] | None = None
        self._session: tuple[int, Session] | None = None
        self._cache: dict[Any, Any] = {}
        self._lasting: dict[Any, Any] = {}
        self._theme = ""
        self._page: RoomPage | None = None
        self.style = widgets.HTML(f"<style>{ROOM_CSS}</style>")
        self.title = widgets.HTML()
        self.title.add_class("pmkit-room-title")
        self.agenda = widgets.HTML()
        self.agenda.add_class("pmkit-room-agenda")
        top = widgets.HBox([self.title, self.agenda])
        top.add_class("pmkit-room-top")
        self.chart = ChartImage(format="png")  # its text alternative: the page's alt, below
        self.chart.add_class(CHART)
        self.chart.add_class("pmkit-room-chart")
        self.side = widgets.HTML()
        self.side.add_class("pmkit-room-side")
        self.main = widgets.HBox([self.chart, self.side])
        self.main.add_class("pmkit-room-main")
        self.body = widgets.HTML()
        self.body.add_class("pmkit-room-body")
        self.widget = widgets.VBox([self.style, top, self.main, self.body, self.status.widget])
        self.widget.add_class("pmkit-room")
        self.widget.add_class("pmkit-board")
        speaks(self.widget)
        self.sync()
        self.widget.add_class(READY)
        self.start_polling()

    # -- what is shown ----------------------------------------------------------------
    @property
    def view(self) -> str:
        """The view shown now (``overview``, ``goal``, ...)."""
        if self._shown is None or self._session is None:
            return ""
        return shown(self._shown[0], [g.id for g in self._session[1].goals])[0]

    def session(self) -> Session:
        """The room's view of the session (joint items only), loaded once per version."""
        version = self.store.sessions.version(self.session_id)
        if self._session is None or self._session[0] != version:
            self._session = (version, self.store.sessions.load(self.session_id, ROOM))
            self._cache.clear()
        return self._session[1]

    @guarded
    def sync(self) -> bool:
        """One poll step: when the facilitator's choice or the session changed since the last
        look, draw the room again. Returns whether it drew."""
        if self._closed:
            return False
        state = self.store.meeting.room_view(self.session_id)
        version = self.store.sessions.version(self.session_id)
        self._show_agenda()
        if self._shown == (state, version):
            return False
        session = self.session()
        page = page_for(RoomData(self.store, self.session_id, session, state, self._cache, self._lasting))
        self._draw(session, state, page)
        self._shown = (state, version)
        if self.status.is_error:
            self.status.clear()
        return True

    def _show_agenda(self) -> None:
        """The running joint agenda item and its time, by the server's clock (every poll)."""
        item = self.store.agenda.current(self.session_id, ROOM)
        if item is None:
            html = ""
        else:
            clock = clock_text(item)
            over = item.remaining() < 0  # as clock_text reads it, in any language
            what = _("Now: {title}").format(title=esc(shorten(item.title, 40)))
            html = (f"<p>{what} · "
                    f"<span class='pmkit-room-clock{' pmkit-room-overtime' if over else ''}'>{esc(clock)}</span></p>")
        if self.agenda.value != html:
            self.agenda.value = html

    def _draw(self, session: Session, state: RoomView, page: RoomPage) -> None:
        if state.theme != self._theme:
            if self._theme:
                self.widget.remove_class(f"pmkit-theme-{self._theme}")
            self.widget.add_class(f"pmkit-theme-{state.theme}")
            self._theme = state.theme
        # the chart first: it is what everyone in the room is looking at; the heading last,
        # so a page that shows the new heading has every part of the new screen
        if self.chart.value != page.chart or self.chart.tooltip != page.alt:
            show_chart(self.chart, page.chart, page.alt)
        self.chart.layout.display = "" if page.chart else "none"
        self.main.layout.display = "" if page.chart or page.side else "none"
        if self.side.value != page.side:
            self.side.value = page.side
        if self.body.value != page.body:
            self.body.value = page.body
        title = (f"<h1 class='pmkit-room-joint-title'>{esc(session.title)}</h1>"
                 f"<h2 class='pmkit-room-heading'>{esc(page.heading)}</h2>")
        if self.title.value != title:
            self.title.value = title
        self._page = page

    def close(self) -> None:
        """Stop polling and close every widget of the page."""
        self.stop_polling()
        close_tree(self.widget)
