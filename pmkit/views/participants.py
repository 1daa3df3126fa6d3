"""Where each side's members stand, as the workspace gives them to a role: the members and
their ratings a role may read, made into the analytics' :class:`~pmkit.analytics.participants.Member`
and :class:`~pmkit.analytics.participants.Division` (spread and *not united*, per goal and side).

For the facilitator this is every member; for a party only what
:meth:`pmkit.store.Workspace.participants` returns to it (the query filters), so a party's
process never holds another side's member.
"""

from __future__ import annotations

from pmkit.analytics.participants import Division, Member, divisions
from pmkit.model import FACILITATOR
from pmkit.store import Workspace

__all__ = ["members_of", "side_divisions"]


def members_of(ws: Workspace, session_id: str, role: str = FACILITATOR,
               participant: str | None = None) -> list[Member]:
    return [Member(p.participant_id, p.party, p.name, p.weight)
            for p in ws.participants.all(session_id, role, participant)]


def side_divisions(ws: Workspace, session_id: str, role: str = FACILITATOR,
                   participant: str | None = None) -> tuple[Division, ...]:
    """Per goal and side, each member's rating that ``role`` may read, the spread and the flag."""
    members = members_of(ws, session_id, role, participant)
    if not members:
        return ()
    order = [g.id for g in ws.sessions.load(session_id, role).goals]
    inputs = ws.participants.inputs(session_id, role, participant, kind="rating")
    return divisions(members, [(i.participant_id, i.item_id, i.rating.importance, i.rating.stance)
                               for i in inputs if i.rating is not None], order)
