"""What a role may know about the bargaining ranges: the store's reads and the probe rule.

Every party's position is read with full access (:meth:`pmkit.store.Workspace.probe_positions`)
and only what the probe rule of :mod:`pmkit.analytics.bargaining` allows leaves this module:
the facilitator gets the ranges and each issue's probe step; a party gets whether a range
exists and answers to its what-if questions, both to the issue's probe step (set by the
facilitator, never by a party), within a budget of questions per issue. The rule is pure
and lives in ``bargaining``; the questions counted are kept by the store.
"""

from __future__ import annotations

from pmkit.analytics.bargaining import RangeFact, check_budget, check_question, facts_for
from pmkit.errors import AccessDenied, InputError, NotFound
from pmkit.i18n import _
from pmkit.model import FACILITATOR, ROOM, check_magnitude
from pmkit.store import Workspace

__all__ = ["range_facts"]


def range_facts(
    ws: Workspace, session_id: str, role: str, probe: tuple[str, float] | None = None
) -> dict[str, RangeFact]:
    """What ``role`` may know about the bargaining range of each numeric issue it sees.

    ``probe=(issue_id, value)`` asks whether the other side would accept ``value``; each
    party has a budget of such questions per issue (the facilitator has none and gets
    exact answers). A question that is refused (none left, no step yet, a bad value) is
    not counted. The room (a role with no party and no position) has no such facts.
    """
    if role == ROOM:
        raise AccessDenied(_("the room screen has no bargaining facts; ask as the facilitator or a party"))
    visible = ws.sessions.load(session_id, role).issues
    if probe is not None:
        try:
            probe = (str(probe[0]), float(probe[1]))
        except (TypeError, ValueError, IndexError):
            raise InputError(_("a what-if question is (issue id, number), got {value}").format(
                value=repr(probe))) from None
        check_magnitude(probe[1], _("the value to ask about"))
    full = ws.meeting.probe_positions(session_id)
    issues = [i.model_copy(update={"positions": full.get(i.id, {})}) for i in visible]
    used: dict[str, int] = {}
    if role != FACILITATOR:
        if probe is not None:
            asked = next((i for i in issues if i.id == probe[0]), None)
            if asked is None:
                raise NotFound(_("no numeric issue '{issue}' to ask about").format(issue=probe[0]))
            check_question(role, asked)
            title = asked.title
            used = ws.meeting.count_question(session_id, role, asked.id,
                                     check=lambda n: check_budget(role, title, n)).used
        else:
            used = ws.meeting.probe_state(session_id, role).used
    return facts_for(issues, role, used, probe)
