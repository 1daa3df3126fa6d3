"""What a role may know about the bargaining ranges: the store's reads and the probe rule.

Every party's position is read with full access (:meth:`pmkit.store.Workspace.probe_positions`)
and only what the probe rule of :mod:`pmkit.analytics.bargaining` allows leaves this module:
the facilitator gets the ranges; a party gets whether a range exists, answered to a step
published from its own position (fixed the first time it looks), and answers to its
what-if questions within a budget per issue. The rule is pure and lives in ``bargaining``;
the published steps and the questions counted are kept by the store.
"""

from __future__ import annotations

from pmkit.analytics.bargaining import RangeFact, check_budget, facts_for, probe_step
from pmkit.errors import AccessDenied, InputError
from pmkit.model import FACILITATOR, ROOM, check_magnitude
from pmkit.store import Workspace

__all__ = ["range_facts"]


def range_facts(
    ws: Workspace, session_id: str, role: str, probe: tuple[str, float] | None = None
) -> dict[str, RangeFact]:
    """What ``role`` may know about the bargaining range of each numeric issue it sees.

    ``probe=(issue_id, value)`` asks whether the other side would accept ``value``; each
    party has a budget of such questions per issue (the facilitator has none and gets
    exact answers). The room (a role with no party and no position) has no such facts.
    """
    if role == ROOM:
        raise AccessDenied("the room screen has no bargaining facts; ask as the facilitator or a party")
    visible = ws.load(session_id, role).issues
    if probe is not None:
        try:
            probe = (str(probe[0]), float(probe[1]))
        except (TypeError, ValueError, IndexError):
            raise InputError(f"a what-if question is (issue id, number), got {probe!r}") from None
        check_magnitude(probe[1], "the value to ask about")
    full = ws.probe_positions(session_id)
    issues = [i.model_copy(update={"positions": full.get(i.id, {})}) for i in visible]
    steps: dict[str, float] = {}
    used: dict[str, int] = {}
    if role != FACILITATOR:
        state = ws.probe_state(session_id, role)
        missing = {i.id: probe_step(i.positions[role]) for i in issues
                   if role in i.positions and i.id not in state.steps}
        if missing or probe is not None:
            asked = next((i for i in issues if probe is not None and i.id == probe[0]), None)
            title = asked.title if asked is not None else ""
            state = ws.record_probe(session_id, role, missing, ask=None if asked is None else asked.id,
                                    check=lambda n: check_budget(role, title, n))
        steps, used = state.steps, state.used
    return facts_for(issues, role, steps, used, probe)
