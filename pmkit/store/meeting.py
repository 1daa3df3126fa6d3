"""The meeting's state beside the session: link generations, and what each party asked.

**Links.** A signed meeting link carries the session's link generation; revoking the links
starts a new generation (an edit, journaled), and a link of an older one is refused.

**Probes.** What a party may learn about the other side's bargaining range is decided by
the probe rule in :mod:`pmkit.analytics.bargaining`, combined with these reads in
:mod:`pmkit.negotiation`. The store keeps only the state the rule needs: for each role and
issue, the published step (fixed the first time it is set, never changed) and how many
what-if questions were asked. That state is not part of the session: writing it is not an
edit, makes no version and no journal entry. :meth:`MeetingState.probe_positions` is the
one read of every party's position with full access; it exists for the probe rule, whose
answers are all that may leave it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from pmkit.model import FACILITATOR, Position
from pmkit.permissions import authorize_facilitator
from pmkit.store.db import Row
from pmkit.store.journal import Journal
from pmkit.store.rows import POSITION

__all__ = ["MeetingState", "ProbeState"]

_STATE = "SELECT issue_id, step, used FROM probe_steps WHERE session_id = ? AND role = ?"


@dataclass(frozen=True)
class ProbeState:
    """A role's published step and questions asked, per issue (issues it never asked
    about, or had no position on, are absent)."""

    steps: dict[str, float]
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
        """The steps published to ``role`` and the questions it asked, as they are now."""
        return _state(self._db.read(_STATE, (session_id, role)))

    def record_probe(
        self,
        session_id: str,
        role: str,
        steps: Mapping[str, float],
        *,
        ask: str | None = None,
        check: Callable[[int], None] | None = None,
    ) -> ProbeState:
        """In one transaction: publish ``steps`` to ``role`` for the issues that have none yet
        (a published step never changes), then, when ``ask`` names an issue with a step, count
        one more question on it, after ``check(questions asked so far)`` (which raises to
        refuse: then nothing is written). Returns the state after."""
        with self._db.write(session_id) as tx:
            tx.many(
                "INSERT INTO probe_steps (session_id, role, issue_id, step, used) VALUES (?, ?, ?, ?, 0) "
                "ON CONFLICT (session_id, role, issue_id) DO NOTHING",
                [(session_id, role, issue, step) for issue, step in steps.items()],
            )
            state = _state(tx.all(_STATE, (session_id, role)))
            if ask is not None and ask in state.steps:
                used = state.used.get(ask, 0)
                if check is not None:
                    check(used)
                tx.run("UPDATE probe_steps SET used = used + 1 WHERE session_id = ? AND role = ? AND issue_id = ?",
                       (session_id, role, ask))
                state.used[ask] = used + 1
            return state


def _state(rows: Sequence[Row]) -> ProbeState:
    return ProbeState({r["issue_id"]: float(r["step"]) for r in rows}, {r["issue_id"]: int(r["used"]) for r in rows})
