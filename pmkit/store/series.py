"""A series of meetings, as a part of the workspace: each session's place in its series, and
:meth:`Series.follow_up`, which makes the next meeting.

A series is named by the id of its first session; its meetings are numbered 1, 2, 3, ...
(table ``session_series``). A session no follow-up was ever made from or for is in no
series. Each meeting has at most one next: a follow-up of a meeting that has one is refused
(follow up the newest).

**What a follow-up carries over** is the rule :func:`pmkit.rules.follow_up.carry_over`
(open actions, the disclosure plan's open entries with their clocks running on, every goal
and issue with each side's latest ratings, positions and scores); this part writes it as a
new session and adds what lives beside the session: the parties' members with their
weights, their email addresses (the facilitator's alone, copied by the facilitator's read)
and whether members see their colleagues (the links' policy). Meeting links are not
carried: each meeting has its own.

Places in a series are meeting state beside the sessions (no edit, no journal entry); the
new session's making, its members and addresses are journaled in it as usual.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pmkit.errors import InputError
from pmkit.i18n import _
from pmkit.model import FACILITATOR
from pmkit.rules.follow_up import carry_over
from pmkit.rules.permissions import Actor, as_actor, authorize_facilitator
from pmkit.store.core import Core, Part
from pmkit.store.db import Row
from pmkit.store.disclosure_plan import DisclosurePlan
from pmkit.store.mail import Mail
from pmkit.store.participants import Participants
from pmkit.store.sessions import Sessions

__all__ = ["Meeting", "Series"]


@dataclass(frozen=True)
class Meeting:
    """One meeting of a series: its session, the series and its number in it (from 1)."""

    session_id: str
    series_id: str
    number: int


class Series(Part):
    """Series of meetings: part of :class:`pmkit.store.Workspace`."""

    def __init__(self, core: Core, sessions: Sessions, participants: Participants, mail: Mail,
                 plan: DisclosurePlan) -> None:
        super().__init__(core)
        self._sessions = sessions
        self._participants = participants
        self._mail = mail
        self._plan = plan

    def place(self, session_id: str) -> Meeting | None:
        """The session's place in its series, or None (in no series)."""
        self.core.require_session(session_id)
        rows = self._db.read("SELECT session_id, series_id, number FROM session_series WHERE session_id = ?",
                             (session_id,))
        return _meeting(rows[0]) if rows else None

    def meetings(self, session_id: str) -> list[Meeting]:
        """Every meeting of the session's series, in order (just the session, numbered 1,
        when it is in none)."""
        here = self.place(session_id)
        if here is None:
            return [Meeting(session_id, session_id, 1)]
        rows = self._db.read("SELECT session_id, series_id, number FROM session_series WHERE series_id = ? "
                             "ORDER BY number", (here.series_id,))
        return [_meeting(r) for r in rows]

    def previous(self, session_id: str) -> str | None:
        """The meeting before this one in its series, or None."""
        return self._neighbour(session_id, -1)

    def next(self, session_id: str) -> str | None:
        """The meeting after this one in its series, or None."""
        return self._neighbour(session_id, +1)

    def _neighbour(self, session_id: str, step: int) -> str | None:
        here = self.place(session_id)
        if here is None:
            return None
        rows = self._db.read("SELECT session_id FROM session_series WHERE series_id = ? AND number = ?",
                             (here.series_id, here.number + step))
        return str(rows[0]["session_id"]) if rows else None

    def follow_up(self, session_id: str, *, date: dt.date | None = None, role: str | Actor = FACILITATOR) -> str:
        """Make the next meeting of ``session_id``'s series (the facilitator's); returns its id.
        See the module for what carries over."""
        authorize_facilitator(as_actor(role).role, "make the next meeting of a series")
        later = self.next(session_id)
        if later is not None:
            raise InputError(_("session '{session_id}' has its next meeting already ('{later}'); follow up the "
                               "newest meeting of the series (`pmkit history --series SESSION` lists them)").format(
                               session_id=session_id, later=later))
        source = self._sessions.load(session_id, FACILITATOR)
        if date is not None and source.date is not None and date <= source.date:
            raise InputError(_("the next meeting must come after this one ({date}); got {date2}").format(
                               date=source.date.isoformat(), date2=date.isoformat()))
        start = carry_over(source, withheld_since=self._plan.withheld_since(session_id, FACILITATOR), date=date)
        new_id = self._sessions.create(start)
        emails = self._mail.emails(session_id, FACILITATOR)
        for p in self._participants.all(session_id, FACILITATOR):
            member = self._participants.add(new_id, p.party, p.name, p.weight, role=role)
            if p.participant_id in emails:
                self._mail.set_email(new_id, member.participant_id, emails[p.participant_id], role=role)
        if self._participants.show_colleagues(session_id):
            self._participants.set_show_colleagues(new_id, True, role=role)
        with self._db.write(session_id) as tx:
            here = tx.one("SELECT series_id, number FROM session_series WHERE session_id = ?", (session_id,))
            series_id, number = (str(here["series_id"]), int(here["number"])) if here else (session_id, 1)
            if here is None:
                tx.run("INSERT INTO session_series (session_id, series_id, number) VALUES (?, ?, 1)",
                       (session_id, session_id))
            tx.run("INSERT INTO session_series (session_id, series_id, number) VALUES (?, ?, ?)",
                   (new_id, series_id, number + 1))
        return new_id


def _meeting(r: Row) -> Meeting:
    return Meeting(str(r["session_id"]), str(r["series_id"]), int(r["number"]))
