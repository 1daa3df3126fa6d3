"""The meeting's state beside the session: link generations, and what each party asked.

**Links.** A signed meeting link carries the session's link generation; revoking the links
starts a new generation (an edit, journaled), and a link of an older one is refused.

**Probes.** What a party may learn about the other side's bargaining range is decided by
the probe rule in :mod:`pmkit.analytics.bargaining`, combined with these reads in
:mod:`pmkit.negotiation`. The step of the answers is the issue's own
(:attr:`pmkit.model.NumericIssue.probe_step`, an edit like any other); the store keeps only
the other state the rule needs: how many what-if questions each role asked on each issue.
Counting a question is not an edit: it makes no version and no journal entry, and nothing
a party does resets it (reloads, exports, editing its own position, another process).
:meth:`MeetingState.probe_positions` is the one read of every party's position with full
access; it exists for the probe rule, whose answers are all that may leave it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pmkit.model import FACILITATOR, Position
from pmkit.permissions import authorize_facilitator
from pmkit.store.db import Row
from pmkit.store.journal import Journal
from pmkit.store.rows import POSITION

__all__ = ["MeetingState", "ProbeState"]

_STATE = "SELECT issue_id, used FROM probe_questions WHERE session_id = ? AND role = ?"


@dataclass(frozen=True)
class ProbeState:
    """The what-if questions a role asked, per issue (issues it never asked about are absent)."""

    used: dict[str, int]


class MeetingState(Journal):
    """Link generations and probe state: part of :class:`pmkit.store.Workspace`."""

    # -- meeting links ---------------------------------------------------------------------
    def link_epoch(self, session_id: str) -> int:
        """The session's link generation; links signed for an older one are revoked."""
        self.info(session_id)
        rows = self._db.read("SELECT epoch FROM link_epochs WHERE session_id = ?", (session_id,))
        return int(rows[0]["epoch"]) if rows else 0

    def revoke_links(self, session_id: str, *, role: str = FACILITATOR) -> int:
        """Revoke every link issued so far for the session; returns the new generation."""
        authorize_facilitator(role, "revoke the meeting links")
        self.info(session_id)
        with self._edit(session_id, role, "revoke-links") as edit:
            edit.tx.run(
                "INSERT INTO link_epochs (session_id, epoch) VALUES (?, 1) "
                "ON CONFLICT (session_id) DO UPDATE SET epoch = link_epochs.epoch + 1",
                (session_id,),
            )
            row = edit.tx.one("SELECT epoch FROM link_epochs WHERE session_id = ?", (session_id,))
            edit.mark("session", session_id)
        return int(row["epoch"]) if row else 0

    # -- probes ----------------------------------------------------------------------------
    def probe_positions(self, session_id: str) -> dict[str, dict[str, Position]]:
        """Every party's position on every issue, ``{issue id: {party: position}}``, read with
        full access. For the probe rule only (:func:`pmkit.negotiation.range_facts`): never
        hand it, or anything made from it but the rule's answers, to a party."""
        self.info(session_id)
        out: dict[str, dict[str, Position]] = {}
        for r in self._db.read("SELECT data FROM items WHERE session_id = ? AND kind = ?", (session_id, POSITION)):
            d = json.loads(r["data"])
            out.setdefault(d["issue"], {})[d["party"]] = Position(ideal=d["ideal"], walk_away=d.get("walk_away"))
        return out

    def probe_state(self, session_id: str, role: str) -> ProbeState:
        """The questions ``role`` asked, as they are now."""
        return _state(self._db.read(_STATE, (session_id, role)))

    def count_question(
        self,
        session_id: str,
        role: str,
        issue_id: str,
        *,
        check: Callable[[int], None] | None = None,
    ) -> ProbeState:
        """In one transaction: count one more question by ``role`` on ``issue_id``, after
        ``check(questions asked so far)`` (which raises to refuse: then nothing is written).
        Returns the state after."""
        with self._db.write(session_id) as tx:
            state = _state(tx.all(_STATE, (session_id, role)))
            used = state.used.get(issue_id, 0)
            if check is not None:
                check(used)
            tx.run(
                "INSERT INTO probe_questions (session_id, role, issue_id, used) VALUES (?, ?, ?, 1) "
                "ON CONFLICT (session_id, role, issue_id) DO UPDATE SET used = probe_questions.used + 1",
                (session_id, role, issue_id),
            )
            state.used[issue_id] = used + 1
            return state


def _state(rows: Sequence[Row]) -> ProbeState:
    return ProbeState({r["issue_id"]: int(r["used"]) for r in rows})
