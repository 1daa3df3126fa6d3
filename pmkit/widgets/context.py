"""One board's role and session, shared by its panels (see :class:`BoardContext`)."""

from __future__ import annotations

from collections.abc import Callable

from pmkit.analytics.overlap import Overview, analyze
from pmkit.model import FACILITATOR, Session
from pmkit.store import Round, Workspace
from pmkit.widgets.edge import Status

__all__ = ["BoardContext"]


class BoardContext:
    """One board's role and session, shared by its panels.

    The role is fixed when the board is built (from the signed link, never from a widget).
    :meth:`session` loads the session *for this role only* and keeps it until the session's
    version changes, so all panels of a board redraw from one load; :meth:`round` likewise
    loads the open private round as this role may see it (a party: its own answers only). :meth:`changed` tells
    the board that a panel saved something (the board then refreshes every panel). The
    board's one status line is ``status``; ``theme`` and ``presenter`` say how to draw.
    """

    def __init__(
        self,
        store: Workspace,
        session_id: str,
        role: str,
        *,
        theme: str = "light",
        presenter: bool = False,
        status: Status | None = None,
    ) -> None:
        self.store = store
        self.session_id = session_id
        self.role = role
        self.theme = theme
        self.presenter = presenter
        self.status = status or Status()
        self._listeners: list[Callable[[], object]] = []
        self._session: tuple[int, Session] | None = None
        self._overview: tuple[int, Overview] | None = None
        self._round: tuple[int, Round | None] | None = None

    @property
    def facilitator(self) -> bool:
        return self.role == FACILITATOR

    def version(self) -> int:
        """The session's version now (it grows with every saved change, from any page)."""
        return self.store.version(self.session_id)

    def session(self) -> Session:
        version = self.version()
        if self._session is None or self._session[0] != version:
            self._session = (version, self.store.load(self.session_id, self.role))
        return self._session[1]

    def round(self) -> Round | None:
        """The open private round as this role may see it, or None (kept until the version changes)."""
        version = self.version()
        if self._round is None or self._round[0] != version:
            self._round = (version, self.store.current_round(self.session_id, self.role))
        return self._round[1]

    def in_round(self, kind: str, item_id: str) -> Round | None:
        """The open round when it covers this goal or issue, else None."""
        r = self.round()
        return r if r is not None and r.covers(kind, item_id) else None

    def overview(self) -> Overview:
        session = self.session()
        version = self._session[0] if self._session else -1
        if self._overview is None or self._overview[0] != version:
            self._overview = (version, analyze(session))
        return self._overview[1]

    def names(self) -> dict[str, str]:
        return {p.id: p.name for p in self.session().parties}

    def on_change(self, listener: Callable[[], object]) -> None:
        self._listeners.append(listener)

    def changed(self, what: str) -> None:
        """A panel saved ``what``: say so, and let the board redraw every panel now."""
        self.status.ok(f"Saved: {what}")
        for listener in self._listeners:
            listener()
