"""One board's role and session, shared by its panels (see :class:`BoardContext`)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from pmkit.analytics.overlap import Overview, analyze
from pmkit.i18n import _
from pmkit.model import FACILITATOR, Session
from pmkit.rules.permissions import Actor
from pmkit.store import MemberInput, Participant, Round, Workspace
from pmkit.views.bargaining_ranges import range_facts
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
        self._seen: tuple[int, int] | None = None  # (the session's version, this view's version)
        self._mark = ""  # a digest of this view, as of the last look

    @property
    def facilitator(self) -> bool:
        return self.role == FACILITATOR

    def version(self) -> int:
        """The version of this page's view: it grows only when something this page may see
        changed (for a party or a member, an edit they may not see leaves it as it was, so
        their page neither redraws nor says that anything changed). Loading the view, the
        open round, the members' inputs and the bargaining-range facts it may read happens here,
        once per session version."""
        now = self.store.sessions.version(self.session_id)
        if self._seen is not None and self._seen[0] == now:
            return self._seen[1]
        view = self.store.sessions.load(self.session_id, self.role, self.participant)
        current = self.store.rounds.current(self.session_id, self.role, self.participant)
        inputs = self.store.participants.inputs(self.session_id, self.role, self.participant)
        if self.facilitator:
            mine = now  # the facilitator sees every edit
        else:
            facts = range_facts(self.store, self.session_id, self.role) if view.issues else {}
            mark = hashlib.sha256(repr((view.model_dump(mode="json"), current, inputs, facts)).encode()).hexdigest()
            mine = 1 if self._seen is None else self._seen[1] + (mark != self._mark)
            self._mark = mark
        self._seen = (now, mine)
        self._session, self._round, self._inputs = (mine, view), (mine, current), (mine, inputs)
        return mine

    def session(self) -> Session:
        """The session as this page may see it (kept until :meth:`version` changes)."""
        self.version()
        assert self._session is not None
        return self._session[1]

    def round(self) -> Round | None:
        """The open round as this page may see it, or None (kept until the version changes)."""
        self.version()
        assert self._round is not None
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
        self.version()
        assert self._inputs is not None
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
        self.status.ok(_("Saved: {what}").format(what=what))
        for listener in self._listeners:
            listener()
