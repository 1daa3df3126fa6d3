"""The meeting board: one role's page, composed from the panels listed in :data:`PANELS`
(a panel naming its ``roles`` only on those roles' pages).

A panel is made by ``factory(context)`` from the board's
:class:`~pmkit.widgets.context.BoardContext` (role, session, theme, presenter mode and the
board's one status line) and has ``.widget`` and ``.refresh()`` (reload what it needs and
redraw); optionally ``set_visible(bool)`` and ``close()`` (see
:mod:`pmkit.widgets.panels.base`). The first panel is always in view; the others are tabs,
each built the first time its tab is shown (the tab shown first, right after the board is
on the page). A panel with ``set_visible`` is told when its tab is shown or hidden, so it
can put off costly drawing while hidden (it must still be correct once shown). The board
gives each panel its ``h2`` (the tab's title, for screen readers), the header the class of
a banner and the body that of the page's main landmark (:mod:`pmkit.widgets.look`).
Building and refreshing a panel go through the page's error edge
(:func:`~pmkit.widgets.edge.on_the_page`): a panel that cannot be built is replaced by one
short line, and a failure never takes the board down.

A panel whose factory names its ``roles`` is built only for those (the room screen's
control, the agenda, the rounds and the disclosure check are the facilitator's): for any
other role it is not in the board at all.

Live meeting (:class:`~pmkit.widgets.polling.Polling`, shared with the room's page): an
asyncio task on the kernel's running loop waits on
``store.watch(session_id)`` (a notification from PostgreSQL that the session changed, or
every ``poll_seconds`` on SQLite), then looks at ``store.sessions.version(session_id)`` and
refreshes every panel when it changed; a page that saved something refreshes at once. While
the workspace cannot be reached the status line says so, and clears once it is back. The
board loads only
``store.sessions.load(session_id, role)`` for its own role, so a party's kernel never holds what
the party may not see.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from importlib import import_module
from typing import Any

import ipywidgets as widgets

from pmkit import settings
from pmkit.errors import UNAVAILABLE, AccessDenied, StorageUnavailable
from pmkit.i18n import N_, _
from pmkit.model import FACILITATOR, Session
from pmkit.rules.disclosure_plan import plan_tab_for
from pmkit.rules.permissions import Actor, may_edit_items, require
from pmkit.store import Workspace
from pmkit.widgets.common import close_tree
from pmkit.widgets.context import BoardContext
from pmkit.widgets.edge import Status, esc, guarded, on_the_page
from pmkit.widgets.look import BANNER, MAIN, REGION, panel_heading, speaks
from pmkit.widgets.panels.base import READY, Panel, PanelFactory, built_for
from pmkit.widgets.panels.goals import GoalsPanel
from pmkit.widgets.panels.overview import OverviewPanel
from pmkit.widgets.polling import Polling

__all__ = ["PANELS", "Board", "MeetingBoard", "lazy_panel", "panels_for", "poll_interval"]


def lazy_panel(module: str, name: str, roles: tuple[str, ...] | None = None,
               applies: Callable[[BoardContext], bool] | None = None) -> PanelFactory:
    """The panel class ``name`` of ``pmkit.widgets.panels.<module>``, imported the first time
    a panel is built: a page whose tab is never opened never loads what the panel needs
    (the reports for Export, the package search for Negotiation, AHP for Weigh goals).
    ``roles``, when given, are the roles it is built for (:func:`built_for`), known without
    importing it; ``applies``, when given, whether it belongs on a board (the board asks it
    before building anything)."""

    def factory(context: BoardContext) -> Panel:
        panel_class: PanelFactory = getattr(import_module(f"pmkit.widgets.panels.{module}"), name)
        return panel_class(context)

    factory.__name__ = factory.__qualname__ = name
    if roles is not None:
        factory.roles = roles  # type: ignore[attr-defined]
    if applies is not None:
        factory.applies = applies  # type: ignore[attr-defined]
    return factory


PANELS: list[tuple[str, PanelFactory]] = [
    (N_("Overview"), OverviewPanel),
    (N_("Goals"), GoalsPanel),
    (N_("Room screen"), lazy_panel("room", "RoomScreenPanel", roles=(FACILITATOR,))),
    (N_("Agenda"), lazy_panel("agenda", "AgendaPanel", roles=(FACILITATOR,))),
    (N_("Whom to please"), lazy_panel("whom_to_please", "WhomToPleasePanel")),
    (N_("Weigh goals"), lazy_panel("ahp", "AhpPanel")),
    (N_("Numeric issues"), lazy_panel("issues", "IssuesPanel")),
    # only on a board whose role sees an option issue
    (N_("Options"), lazy_panel("options", "OptionsPanel", applies=lambda c: bool(c.session().option_issues))),
    (N_("Negotiation"), lazy_panel("negotiation", "NegotiationPanel")),
    (N_("Capture"), lazy_panel("capture", "CapturePanel")),
    (N_("Rounds"), lazy_panel("rounds", "RoundsPanel", roles=(FACILITATOR,))),
    (N_("Preparation"), lazy_panel("preparation", "PreparationPanel", roles=(FACILITATOR,))),
    # the facilitator's, and a party's that withholds something itself
    (N_("Disclosure plan"), lazy_panel("disclosure_plan", "DisclosurePlanPanel",
                                   applies=lambda c: plan_tab_for(c.role, c.session()))),
    (N_("Participants"), lazy_panel("participants", "ParticipantsPanel", roles=(FACILITATOR,))),
    (N_("Disclosure check"), lazy_panel("echo_check", "EchoCheckPanel", roles=(FACILITATOR,))),
    (N_("Export"), lazy_panel("export", "ExportPanel")),
]


def panels_for(role: str) -> list[tuple[str, PanelFactory]]:
    """The panels of ``role``'s page: those of :data:`PANELS` built for it (a panel naming
    its ``roles``, such as the facilitator's Room screen, Rounds and Disclosure check, is built for those
    alone: another role's kernel never holds what it shows)."""
    return [spec for spec in PANELS if built_for(spec[1], role)]


def poll_interval() -> float:
    """Seconds between two looks at the session's version (setting ``poll_seconds``)."""
    return settings.number("poll_seconds", 0.05, 60)


class _Failed:
    """Stands in for a panel that could not be built (the status line says why)."""

    def __init__(self, title: str) -> None:
        text = esc(_("The {title} panel could not load.").format(title=_(title)))
        self.widget = widgets.HTML(f"<p class='pmkit-status-error'>{text}</p>")

    def refresh(self) -> None:
        return None


class Board(Polling):
    """Panels for one role on one session, a header with a status line, and live sync."""

    def __init__(
        self,
        store: Workspace,
        session_id: str,
        role: str,
        *,
        panels: Sequence[tuple[str, PanelFactory]] | None = None,
        theme: str = "light",
        presenter: bool = False,
        participant: str | None = None,
        actor: Actor | None = None,
    ) -> None:
        if role not in store.sessions.roles(session_id):
            raise AccessDenied(_("unknown role '{role}' for session '{session}'").format(role=role, session=session_id))
        self._interval = poll_interval()  # before any widget exists: a bad setting leaves none behind
        self.store = store
        self.session_id = session_id
        self.role = role
        self.status = Status()
        self.ctx = BoardContext(store, session_id, role, theme=theme, presenter=presenter, status=self.status,
                                participant=participant, actor=actor)
        member = self.ctx.member()
        if participant is not None and member is None:
            raise AccessDenied(_("no current participant '{participant}' of '{role}' in session '{session}'").format(
                participant=participant, role=role, session=session_id))
        self._version = self.ctx.version()
        session = self.ctx.session()
        self._closed = False
        self._unreachable = False  # the workspace could not be reached at the last look
        # a panel for other roles only (the facilitator's room screen, rounds, disclosure check) is never
        # built here, nor one that does not apply to this role's own view (the disclosure plan)
        self._specs = [spec for spec in (PANELS if panels is None else panels)
                       if built_for(spec[1], role) and self._applies(*spec)]
        # The first panel is built now; a tab's panel when its tab is first shown, so the
        # page opens with few widgets and the kernel is free to answer the page at once.
        self._built: dict[str, Panel] = {self._specs[0][0]: self._make(*self._specs[0])}
        self._holders: dict[str, widgets.Box] = {}
        self._member = member  # a member's name never changes: read once, not on every sync
        self.title = widgets.HTML(self._title_html(session, member))
        head: list[widgets.Widget] = [self.title, self.status.widget]
        if may_edit_items(role):
            self.undo_button = widgets.Button(description=_("Undo last change"), icon="undo")
            self.undo_button.on_click(self._undo)
            head.append(self.undo_button)
        header = widgets.HBox(head)
        header.add_class("pmkit-header")
        header.add_class(BANNER)
        first_title, first = self._specs[0][0], self._built[self._specs[0][0]]
        lead = widgets.VBox([panel_heading(_(first_title)), first.widget])
        lead.add_class("pmkit-lead")
        lead.add_class(REGION)
        main: list[widgets.Widget] = [lead]
        rest = self._specs[1:]
        if rest:
            # a panel is found by its English title (its key); the tab and heading show it translated
            self._holders = {t: widgets.VBox([panel_heading(_(t))]) for t, _f in rest}
            self.tabs = widgets.Tab(children=list(self._holders.values()), titles=[_(t) for t, _f in rest])
            self.tabs.add_class("pmkit-tabs")
            self.tabs.observe(self._tab_shown, names="selected_index")
            main.append(self.tabs)
            self._soon(self._tab_shown)
        body = widgets.Box(main)
        body.add_class("pmkit-body")
        body.add_class(MAIN)
        self.widget = widgets.VBox([header, body])
        self.widget.add_class("pmkit-board")
        speaks(self.widget)
        self.widget.add_class(f"pmkit-theme-{theme}")
        if presenter:
            self.widget.add_class("pmkit-presenter")
        self.ctx.on_change(self.sync)
        self.start_polling()

    def _title_html(self, session: Session, member: Any = None) -> str:
        """The header: the session's title as this role sees it (the facilitator: the working
        title, and the title the parties and the room see), and whose view it is (a member's
        page: their name and party)."""
        who = (_("Facilitator") if self.role == FACILITATOR else f"{member.name} ({session.party_name(self.role)})"
               if member is not None else session.party_name(self.role))
        everyone = ("<p class='pmkit-everyone-title'>"
                    + _("Parties and the room see: {title}").format(title=f"<b>{esc(session.title_for_everyone)}</b>")
                    + "</p>" if self.role == FACILITATOR else "")
        viewing = _("Viewing as {name}").format(name=f"<b>{esc(who)}</b>")
        return f"<h1 class='pmkit-title'>{esc(session.title)}</h1>{everyone}<p class='pmkit-role'>{viewing}</p>"

    def _applies(self, title: str, factory: PanelFactory) -> bool:
        """Whether the panel belongs on this board (its factory's ``applies``, if it has one)."""
        applies = getattr(factory, "applies", None)
        if not callable(applies):
            return True
        with on_the_page(self.status, f"checking the {title} panel"):
            return bool(applies(self.ctx))
        return False

    @property
    def panels(self) -> list[tuple[str, Panel]]:
        """The panels built so far, in the order of the registry."""
        return [(t, self._built[t]) for t, _f in self._specs if t in self._built]

    def _ensure(self, title: str) -> Panel:
        """The panel ``title``, built (and put in its tab) the first time it is needed."""
        panel = self._built.get(title)
        if panel is None:
            factory = dict(self._specs)[title]
            panel = self._built[title] = self._make(title, factory)
            self._holders[title].children = (*self._holders[title].children[:1], panel.widget)
            titles = [t for t, _f in self._specs[1:]]
            self._tell(title, self.tabs.selected_index == titles.index(title))
        return panel

    def _tell(self, title: str, visible: bool) -> None:
        """Tell the built panel ``title``, if it wants to know, whether it is on screen."""
        setter = getattr(self._built.get(title), "set_visible", None)
        if callable(setter):
            with on_the_page(self.status, f"showing the {title} panel"):
                setter(visible)

    @guarded
    def _tab_shown(self, change: object = None) -> None:
        """Build the shown tab's panel if it is new, and tell the tabbed panels that can use
        it whether they are on screen (a panel with ``set_visible`` may put off costly
        drawing until it is shown)."""
        index = self.tabs.selected_index
        titles = [t for t, _f in self._specs[1:]]
        if isinstance(index, int) and 0 <= index < len(titles):
            self._ensure(titles[index])
        for n, title in enumerate(titles):
            self._tell(title, n == index)

    def _make(self, title: str, factory: PanelFactory) -> Panel:
        """``factory(context)``, or a one-line stand-in when it fails (one broken panel must
        not take the board down)."""
        with on_the_page(self.status, f"building the {title} panel"):
            panel = factory(self.ctx)
            if not getattr(panel, "_pending", False):  # drawn as it was built
                panel.widget.add_class(READY)
            return panel
        return _Failed(title)

    def panel(self, title: str) -> Panel:
        """The panel registered under ``title``, built if need be (for tests and notebooks)."""
        if title not in dict(self._specs):
            raise KeyError(title)
        return self._ensure(title)

    # -- live sync --------------------------------------------------------------------
    @guarded
    def sync(self) -> bool:
        """One poll step: when the session changed since the last look, redraw every panel."""
        if self._closed:
            return False
        try:
            version = self.ctx.version()  # this page's view: an edit it may not see changes nothing
        except StorageUnavailable:
            if not self._unreachable:
                self._unreachable = True
                self.status.error(_(UNAVAILABLE))
            return False
        if self._unreachable:
            self._unreachable = False
            self.status.ok(_("The workspace is reachable again; everything saved before is kept."))
        if version == self._version:
            return False
        self._version = version
        for title, panel in self._in_view_first():
            self._refresh(title, panel)
        title = self._title_html(self.ctx.session(), self._member)
        if self.title.value != title:
            self.title.value = title
        return True

    def _in_view_first(self) -> list[tuple[str, Panel]]:
        """Every built panel, those on screen first (their updates leave for the page first)."""
        built = self.panels
        index = getattr(getattr(self, "tabs", None), "selected_index", None)
        titles = [t for t, _f in self._specs[1:]]
        shown = titles[index] if isinstance(index, int) and 0 <= index < len(titles) else None
        return sorted(built, key=lambda tp: (tp[0] != self._specs[0][0], tp[0] != shown))

    def _refresh(self, title: str, panel: Panel) -> None:
        with on_the_page(self.status, f"refreshing the {title} panel"):
            panel.refresh()

    @staticmethod
    def _soon(step: Callable[[], object]) -> None:
        """``step`` now without an event loop (scripts, tests); in a kernel, right after the
        board is shown: the page gets the overview first and the shown tab's panel a moment
        later, instead of waiting for both."""
        try:
            asyncio.get_running_loop().call_soon(step)
        except RuntimeError:
            step()

    # -- header -----------------------------------------------------------------------
    @guarded
    def _undo(self, _button: Any = None) -> None:
        require(may_edit_items(self.role), "undoing changes")
        entry = self.store.journal.undo(self.session_id, role=self.ctx.actor)
        self.status.ok(_("Undone: {change}").format(change=entry.summary))
        self.sync()

    def close(self) -> None:
        """Stop polling and close every widget of the board."""
        self.stop_polling()
        for title, panel in self.panels:
            closer = getattr(panel, "close", None)
            if callable(closer):
                with on_the_page(self.status, f"closing the {title} panel"):  # closing must go on
                    closer()
        close_tree(self.widget)


class MeetingBoard(Board):
    """The meeting app's page for ``role`` (``"facilitator"`` or a party id; with
    ``participant``, that member's own page): a :class:`Board` with the panels of
    :func:`panels_for` ``role`` (the room's page is :class:`~pmkit.widgets.room.RoomBoard`)."""
