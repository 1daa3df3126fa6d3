"""Meeting state beside the session: link generations (revoking is an edit, the
facilitator's alone) and the probe state the probe rule keeps (questions counted; not
edits of the session)."""

from __future__ import annotations

import pytest

from pmkit.errors import AccessDenied, InputError, NotFound
from pmkit.model import FACILITATOR, Position
from pmkit.store import ProbeState, Workspace

pytestmark = pytest.mark.usefixtures("backend")  # every test on SQLite and on PostgreSQL


def test_revoking_the_links_is_one_edit_and_the_facilitators_alone(workspace: Workspace, demo: str) -> None:
    assert workspace.meeting.link_epoch(demo) == 0
    with pytest.raises(AccessDenied, match="only the facilitator may revoke"):
        workspace.meeting.revoke_links(demo, role="customer")
    assert (workspace.meeting.link_epoch(demo), workspace.sessions.version(demo)) == (0, 1)
    assert [workspace.meeting.revoke_links(demo) for _ in range(2)] == [1, 2]
    assert workspace.meeting.link_epoch(demo) == 2 and workspace.sessions.version(demo) == 3
    entries = workspace.journal.history(demo, "customer")  # everyone may know the links were revoked
    assert [(e.op, e.kind, e.item_id) for e in entries[1:]] == [("revoke-links", "session", demo)] * 2
    with pytest.raises(InputError, match=r"the newest edit \(#3\) revoked meeting links; a revoked link stays revoked"):
        workspace.journal.undo(demo)  # revoking is not undone: undo says so and stops there
    assert workspace.meeting.link_epoch(demo) == 2 and workspace.sessions.version(demo) == 3
    with pytest.raises(NotFound, match="no session 'nope'"):
        workspace.meeting.revoke_links("nope")


def test_questions_are_counted_per_role_and_issue_and_a_refused_one_counts_nothing(
        workspace: Workspace, demo: str) -> None:
    assert workspace.meeting.probe_state(demo, "customer") == ProbeState({})
    assert workspace.meeting.count_question(demo, "customer", "cutover-slip") == ProbeState({"cutover-slip": 1})
    state = workspace.meeting.count_question(demo, "customer", "licence-discount")
    assert state.used == {"cutover-slip": 1, "licence-discount": 1}

    def refuse(used: int) -> None:
        raise AccessDenied(f"no more ({used} asked)")

    with pytest.raises(AccessDenied, match=r"no more \(1 asked\)"):
        workspace.meeting.count_question(demo, "customer", "cutover-slip", check=refuse)
    assert workspace.meeting.probe_state(demo, "customer") == state  # nothing written
    assert workspace.meeting.probe_state(demo, "management") == ProbeState({})  # per role
    # not edits of the session
    assert workspace.sessions.version(demo) == 1 and len(workspace.journal.history(demo)) == 1


def test_the_privileged_positions_read_holds_every_party(workspace: Workspace, demo: str) -> None:
    full = workspace.meeting.probe_positions(demo)
    assert full["cutover-slip"] == {"customer": Position(ideal=0, walk_away=2),
                                    "management": Position(ideal=5.5, walk_away=3.5)}
    assert full == {i.id: i.positions for i in workspace.sessions.load(demo, FACILITATOR).issues}
