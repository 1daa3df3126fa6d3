"""Calendar feeds, as a part of the workspace: the feeds' URL generation and each feed's
events as last served.

This is meeting state beside the session, like the link generations (no edit, no journal
entry). Each feed (one per role) keeps its own events, keyed by the feed: what one role's
feed held is never read for another's. :meth:`Calendar.stamp` takes the events a feed holds
now (a UID, a fingerprint of what the event says, its data) and gives each its SEQUENCE:
unchanged, it keeps it; changed, it rises by one; gone from the feed, the event is served
once more as CANCELLED, with the data it last had in that feed and its SEQUENCE raised.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pmkit.model import FACILITATOR
from pmkit.rules.permissions import Actor, as_actor, authorize_facilitator
from pmkit.store.core import Part

__all__ = ["Calendar", "Stamped"]


@dataclass(frozen=True)
class Stamped:
    """One event of a feed with its SEQUENCE, and whether it is cancelled."""

    uid: str
    data: dict[str, Any]
    sequence: int
    cancelled: bool


class Calendar(Part):
    """Feed generations and events: part of :class:`pmkit.store.Workspace`."""

    def epoch(self, session_id: str) -> int:
        """The session's calendar generation; feed URLs signed for an older one are revoked."""
        self.core.require_session(session_id)
        rows = self._db.read("SELECT epoch FROM calendar_epochs WHERE session_id = ?", (session_id,))
        return int(rows[0]["epoch"]) if rows else 0

    def revoke(self, session_id: str, *, role: str | Actor = FACILITATOR) -> int:
        """Revoke every calendar URL issued so far for the session; returns the new generation."""
        authorize_facilitator(as_actor(role).role, "revoke the calendar feeds")
        self.core.require_session(session_id)
        with self._db.write(session_id) as tx:
            tx.run("INSERT INTO calendar_epochs (session_id, epoch) VALUES (?, 1) ON CONFLICT (session_id) "
                   "DO UPDATE SET epoch = calendar_epochs.epoch + 1", (session_id,))
            row = tx.one("SELECT epoch FROM calendar_epochs WHERE session_id = ?", (session_id,))
        return int(row["epoch"]) if row else 0

    def stamp(self, session_id: str, feed: str, events: Mapping[str, tuple[str, dict[str, Any]]]) -> list[Stamped]:
        """The feed's events with their SEQUENCE (see the module), those it holds now in the
        order given, then the cancelled ones; what was served is kept for the next time."""
        self.core.check_role(session_id, feed)
        out: list[Stamped] = []
        with self._db.write(session_id) as tx:
            known = {str(r["uid"]): r for r in tx.all(
                "SELECT uid, fingerprint, sequence, cancelled, data FROM calendar_events WHERE session_id = ? "
                "AND feed = ?", (session_id, feed))}
            for uid, (fingerprint, data) in events.items():
                old = known.get(uid)
                if old is None:
                    seq = 0
                    tx.run("INSERT INTO calendar_events (session_id, feed, uid, fingerprint, sequence, cancelled, "
                           "data) VALUES (?, ?, ?, ?, 0, 0, ?)", (session_id, feed, uid, fingerprint, json.dumps(data)))
                elif old["fingerprint"] != fingerprint or int(old["cancelled"]):
                    seq = int(old["sequence"]) + 1
                    tx.run("UPDATE calendar_events SET fingerprint = ?, sequence = ?, cancelled = 0, data = ? "
                           "WHERE session_id = ? AND feed = ? AND uid = ?",
                           (fingerprint, seq, json.dumps(data), session_id, feed, uid))
                else:
                    seq = int(old["sequence"])
                out.append(Stamped(uid, data, seq, False))
            for uid, old in known.items():
                if uid in events:
                    continue
                seq = int(old["sequence"]) + (0 if int(old["cancelled"]) else 1)
                if not int(old["cancelled"]):
                    tx.run("UPDATE calendar_events SET sequence = ?, cancelled = 1 WHERE session_id = ? AND feed = ? "
                           "AND uid = ?", (seq, session_id, feed, uid))
                out.append(Stamped(uid, json.loads(old["data"]), seq, True))
        return out
