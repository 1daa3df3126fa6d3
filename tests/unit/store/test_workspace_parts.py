"""The workspace as parts: no mixin chain; every edit is undone or refused with its reason;
a write names its actor and is checked against its link in the transaction; a member's
position in an open round stays private until the reveal, which fixes the default probe step."""

from __future__ import annotations

import pytest

from pmkit.errors import AccessDenied, InputError, NotFound
from pmkit.model import FACILITATOR
from pmkit.resources import starter_path
from pmkit.rules.permissions import Actor
from pmkit.store import Workspace
from pmkit.store.core import Part

pytestmark = pytest.mark.usefixtures("backend")  # every test on SQLite and on PostgreSQL

GOAL, ISSUE = "cutover-date", "cutover-slip"  # joint, in the undisclosed-risk starter


@pytest.fixture
def sid(workspace: Workspace) -> str:
    return workspace.sessions.import_file(starter_path("undisclosed-risk"))


def _yaml(ws: Workspace, sid: str) -> str:
    return ws.sessions.export_yaml(sid, FACILITATOR)


def test_the_workspace_is_composed_of_parts_not_a_chain_of_mixins(workspace: Workspace) -> None:
    assert Workspace.__mro__ == (Workspace, object)
    parts = ("sessions", "items", "participants", "rounds", "disclosure_plan", "meeting", "journal")
    for name in parts:
        part = getattr(workspace, name)
        assert isinstance(part, Part) and type(part).__mro__[1:] == (Part, object), name
    assert len({id(getattr(workspace, n).core) for n in parts}) == 1  # one database handle


# -- undo: every edit, or a one-line reason -------------------------------------------------
def test_undo_of_a_private_answer_puts_the_previous_answer_back(workspace: Workspace, sid: str) -> None:
    workspace.rounds.open(sid, [GOAL])
    workspace.items.rate(sid, GOAL, "customer", 2, "oppose", role="customer")
    workspace.items.rate(sid, GOAL, "customer", 4, "support", role="customer")
    assert workspace.journal.undo(sid).op == "answer"
    (answer,) = workspace.rounds.current(sid, "customer").answers  # type: ignore[union-attr]
    assert (answer.rating.importance, answer.rating.stance) == (2, "oppose")  # type: ignore[union-attr]
    workspace.journal.undo(sid)
    assert workspace.rounds.current(sid, "customer").answers == ()  # type: ignore[union-attr]
    # the customer's history shows its own answer and its undo, never anything of management's
    assert "management" not in repr([c for e in workspace.journal.history(sid, "customer")[-4:] for c in e.changes])


def test_undo_of_opening_and_of_cancelling_a_round(workspace: Workspace, sid: str) -> None:
    before = _yaml(workspace, sid)
    r = workspace.rounds.open(sid, [GOAL], [ISSUE])
    assert workspace.journal.undo(sid).op == "round-open"
    assert workspace.rounds.all(sid, FACILITATOR) == [] and _yaml(workspace, sid) == before
    r = workspace.rounds.open(sid, [GOAL], [ISSUE])
    workspace.items.rate(sid, GOAL, "customer", 1, "oppose", role="customer")
    workspace.items.set_position(sid, ISSUE, "management", 4, 3, role="management")
    workspace.rounds.cancel(sid)
    assert workspace.journal.undo(sid).op == "round-cancel"
    again = workspace.rounds.current(sid, FACILITATOR)
    assert again is not None and again.round_id == r.round_id and len(again.answers) == 2
    workspace.rounds.reveal(sid)
    assert _yaml(workspace, sid) != before


def test_undo_of_members_and_the_colleagues_option(workspace: Workspace, sid: str) -> None:
    ada = workspace.participants.add(sid, "management", "Ada Sponsor")
    workspace.participants.set_show_colleagues(sid, True)
    assert workspace.journal.undo(sid).op == "update" and not workspace.participants.show_colleagues(sid)
    workspace.participants.remove(sid, ada.participant_id)
    assert workspace.journal.undo(sid).op == "delete"
    assert [p.participant_id for p in workspace.participants.all(sid)] == [ada.participant_id]
    assert workspace.journal.undo(sid).op == "add" and workspace.participants.all(sid) == []


def test_undo_refuses_what_cannot_be_taken_back_and_names_the_edit(workspace: Workspace, sid: str) -> None:
    workspace.meeting.revoke_links(sid)
    version = workspace.sessions.version(sid)
    with pytest.raises(InputError, match=r"the newest edit \(#\d+\) revoked meeting links; a revoked link stays"):
        workspace.journal.undo(sid)
    assert workspace.sessions.version(sid) == version and workspace.meeting.link_epoch(sid) == 1
    fresh = workspace.sessions.import_file(starter_path("undisclosed-risk"))
    with pytest.raises(NotFound, match="nothing to undo"):
        workspace.journal.undo(fresh)


# -- the actor: who writes, from which link --------------------------------------------------
def test_a_write_from_a_revoked_link_is_refused_even_from_an_open_page(workspace: Workspace, sid: str) -> None:
    page = Actor("customer", link_epoch=workspace.meeting.link_epoch(sid))
    workspace.items.rate(sid, GOAL, "customer", 3, "support", role=page)  # the page opened before
    workspace.meeting.revoke_links(sid)
    version = workspace.sessions.version(sid)
    for write in (lambda: workspace.items.rate(sid, GOAL, "customer", 1, "oppose", role=page),
                  lambda: workspace.items.set_position(sid, ISSUE, "customer", 1, 2, role=page)):
        with pytest.raises(AccessDenied, match="this meeting link was revoked"):
            write()
    assert workspace.sessions.version(sid) == version  # nothing written
    new_page = Actor("customer", link_epoch=workspace.meeting.link_epoch(sid))
    workspace.items.rate(sid, GOAL, "customer", 1, "oppose", role=new_page)


def test_a_member_writes_only_as_themselves_and_not_after_their_link_is_revoked(workspace: Workspace,
                                                                                 sid: str) -> None:
    ada = workspace.participants.add(sid, "management", "Ada Sponsor")
    ben = workspace.participants.add(sid, "management", "Ben Delivery")
    page = Actor("management", ada.participant_id, workspace.meeting.link_epoch(sid), ada.link_epoch)
    workspace.items.rate(sid, GOAL, "management", 4, "support", role=page)  # her own, named by her page
    with pytest.raises(AccessDenied, match="only their own"):
        workspace.items.rate(sid, GOAL, "management", 1, "oppose", role=page, participant=ben.participant_id)
    assert [i.rating.importance for i in workspace.participants.inputs(sid)  # type: ignore[union-attr]
            if i.participant_id == ben.participant_id] == []
    workspace.participants.revoke_link(sid, ada.participant_id)
    with pytest.raises(AccessDenied, match="revoked"):
        workspace.items.rate(sid, GOAL, "management", 2, "oppose", role=page)
    workspace.participants.remove(sid, ben.participant_id)
    gone = Actor("management", ben.participant_id, workspace.meeting.link_epoch(sid), ben.link_epoch)
    with pytest.raises(AccessDenied, match="revoked"):
        workspace.items.rate(sid, GOAL, "management", 2, "oppose", role=gone)


# -- the audit's findings -------------------------------------------------------------------
def test_a_members_position_in_an_open_round_is_private_until_the_reveal(workspace: Workspace, sid: str) -> None:
    cy = workspace.participants.add(sid, "customer", "Cy Buyer").participant_id
    before_customer = workspace.sessions.load(sid, "customer").issues
    before_management = workspace.sessions.load(sid, "management").issues
    history = len(workspace.journal.history(sid, "management"))
    workspace.rounds.open(sid, [], [ISSUE])
    rid = workspace.items.set_position(sid, ISSUE, "customer", 1.25, 3.25, role="customer", participant=cy)
    assert rid is not None  # a private answer
    # nothing published: the party's own position, the other side's view and history are as before
    assert workspace.sessions.load(sid, "customer").issues == before_customer
    assert workspace.sessions.load(sid, "management").issues == before_management
    assert len(workspace.journal.history(sid, "management")) == history + 1  # the round's opening only
    carried = [d for e in workspace.journal.history(sid, "management") for ch in e.changes
               for d in (ch.before, ch.after) if d and 1.25 in d.values()]
    assert carried == []  # no change the other side reads carries the value (a timestamp may hold "1.25")
    current = workspace.rounds.current(sid, FACILITATOR)
    assert current is not None and [(a.party, a.position.ideal) for a in current.answers  # type: ignore[union-attr]
                                    ] == [("customer", 1.25)]
    assert workspace.rounds.current(sid, "management").answers == ()  # type: ignore[union-attr]
    workspace.rounds.reveal(sid)
    issue = next(i for i in workspace.sessions.load(sid, FACILITATOR).issues if i.id == ISSUE)
    assert (issue.positions["customer"].ideal, issue.positions["customer"].walk_away) == (1.25, 3.25)
    assert [(i.participant_id, i.position.ideal) for i in workspace.participants.inputs(sid)  # type: ignore[union-attr]
            if i.kind == "position"] == [(cy, 1.25)]


def test_the_reveal_fixes_the_default_probe_step(workspace: Workspace) -> None:
    sid = workspace.sessions.import_file(starter_path("undisclosed-risk"))
    issue_id = workspace.items.add(sid, "issue", {"title": "Go-live weekend", "unit": "days"}, role=FACILITATOR)
    workspace.rounds.open(sid, [], [issue_id])
    workspace.items.set_position(sid, issue_id, "customer", 2, 6, role="customer")
    workspace.items.set_position(sid, issue_id, "management", 10, 5, role="management")
    workspace.rounds.reveal(sid)
    issue = next(i for i in workspace.sessions.load(sid, FACILITATOR).issues if i.id == issue_id)
    assert issue.probe_step is not None and issue.probe_step > 0  # as when the facilitator sets both positions
