"""One board's role and session, shared by its panels (see :class:`BoardContext`)."""

from __future__ import annotations

from collections.abc import Callable

from pmkit.analytics.overlap import Overview, analyze
from pmkit.model import FACILITATOR, Session
from pmkit.rules.permissions import Actor
from pmkit.store import MemberInput, Participant, Round, Workspace
from pmkit.widgets.edge import Status

__all__ = ["BoardContext"]


class BoardContext:
    """One board's role and session, shared by its panels.

    The role is fixed when the board is built (from the signed link, never from a widget).
    :meth:`session` loads the session *for this role only* and keeps it until the session's
    version changes, so all panels of a board redraw from one load; :meth:`round` likewise
    loads the open private round as this role may see it (a party: its own answers only). A member's
    page (``participant``, from the member's own link) reads that member and their own inputs
    (:meth:`member`, :meth:`member_inputs`). :meth:`changed` tells
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
        participant: str | None = None,
        actor: Actor | None = None,
    ) -> None:
        self.store = store
        # who this page writes as (from the signed link: its generations are checked at every write)
        self.actor = actor or Actor(role, participant)
        self.participant = participant  # a member's own page: the member's id, from the link
        self.session_id = session_id
        self.role = role
        self.theme = theme
        self.presenter = presenter
        self.status = status or Status()
        self._listeners: list[Callable[[], object]] = []
        self._session: tuple[int, Session] | None = None
        self._overview: tuple[int, Overview] | None = None
        self._round: tuple[int, Round | None] | None = None
        self._inputs: tuple[int, list[MemberInput]] | None = None

    @property
    def facilitator(self) -> bool:
        return self.role == FACILITATOR

    def version(self) -> int:
        """The session's version now (it grows with every saved change, from any page)."""
        return self.store.sessions.version(self.session_id)

    def session(self) -> Session:
        version = self.version()
        if self._session is None or self._session[0] != version:
            self._session = (version, self.store.sessions.load(self.session_id, self.role, self.participant))
        return self._session[1]

    def round(self) -> Round | None:
        """The open private round as this role may see it, or None (kept until the version changes)."""
        version = self.version()
        if self._round is None or self._round[0] != version:
            self._round = (version, self.store.rounds.current(self.session_id, self.role, self.participant))
        return self._round[1]

    def member(self) -> Participant | None:
        """The member whose page this is (None: the facilitator's or a party's own page)."""
        if self.participant is None:
            return None
        return next((p for p in self.store.participants.all(self.session_id, self.role, self.participant)
                     if p.participant_id == self.participant), None)

    def member_inputs(self) -> list[MemberInput]:
        """The members' own inputs this page may read (a member: their own, and their
        colleagues' only when the session lets members see them); kept until the version changes."""
        version = self.version()
        if self._inputs is None or self._inputs[0] != version:
            self._inputs = (version, self.store.participants.inputs(self.session_id, self.role, self.participant))
        return self._inputs[1]

    def own_input(self, kind: str, item_id: str) -> MemberInput | None:
        """This page's member's own input on an item (a rating or a position), if any."""
        return next((i for i in self.member_inputs() if i.participant_id == self.participant and i.kind == kind
                     and i.item_id == item_id), None)

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
