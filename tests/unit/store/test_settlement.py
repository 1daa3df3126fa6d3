"""Improving an agreement: record, propose, answer privately, replace only when every party
accepts, undo; what a party may read; and an adversary spending the whole budget of
proposals learns at most one bit per proposal, and nothing at all from its own rejection."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from pmkit.analytics.settlement import improvements, package_terms, parse_terms
from pmkit.errors import AccessDenied, ConflictError, InputError, NotFound
from pmkit.model import FACILITATOR, ROOM
from pmkit.resources import starter_path
from pmkit.store import Workspace

pytestmark = pytest.mark.usefixtures("backend")  # every test on SQLite and on PostgreSQL

AGREED = ["price=$3.98", "delivery=45 days", "payment=Upon delivery", "returns=Full price"]
ITEX, CYPRESS = "itex", "cypress"


@pytest.fixture
def sid(workspace: Workspace) -> str:
    return workspace.sessions.import_file(starter_path("itex-cypress"))


def better(ws: Workspace, sid: str) -> list[dict[str, Any]]:
    """The efficient improvements on the agreed terms, as terms (the facilitator's view)."""
    s = ws.sessions.load(sid, FACILITATOR)
    found = improvements(s, parse_terms(s, AGREED))
    return [package_terms(p).as_data() for p in found.packages]


def agree(ws: Workspace, sid: str) -> dict[str, Any]:
    s = ws.sessions.load(sid, FACILITATOR)
    terms = parse_terms(s, AGREED).as_data()
    ws.settlement.agree(sid, terms)
    return terms


def test_accepted_by_all_replaces_the_terms_in_one_edit_and_undo_puts_them_back(workspace: Workspace,
                                                                                  sid: str) -> None:
    terms = agree(workspace, sid)
    first = better(workspace, sid)[0]
    workspace.settlement.propose(sid, first)
    assert workspace.settlement.status(sid, ITEX).open is not None
    workspace.settlement.answer(sid, True, role=ITEX)
    assert workspace.settlement.status(sid, FACILITATOR).terms == terms  # one answer decides nothing
    version = workspace.sessions.version(sid)
    workspace.settlement.answer(sid, True, role=CYPRESS)
    assert workspace.sessions.version(sid) == version + 1
    state = workspace.settlement.status(sid, CYPRESS)
    assert state.terms == first and state.proposals[0].state == "accepted" and state.left == 2
    last = workspace.journal.history(sid)[-1]
    assert last.op == "settle-answer" and {c.kind for c in last.changes} == {"settlement", "settlement-answer"}
    workspace.journal.undo(sid)
    state = workspace.settlement.status(sid, FACILITATOR)
    assert state.terms == terms and state.open is not None and state.open.answers == ((ITEX, True),)


@pytest.mark.parametrize("answers", [(True, False), (False, True), (False, False)])
def test_anything_but_every_party_accepting_leaves_the_terms(workspace: Workspace, sid: str,
                                                            answers: tuple[bool, bool]) -> None:
    terms = agree(workspace, sid)
    workspace.settlement.propose(sid, better(workspace, sid)[1])
    workspace.settlement.answer(sid, answers[0], role=ITEX)
    workspace.settlement.answer(sid, answers[1], role=CYPRESS)
    for role in (FACILITATOR, ITEX, CYPRESS, ROOM):
        state = workspace.settlement.status(sid, role)
        assert state.terms == terms and state.proposals[0].state == "not accepted"


def test_the_budget_bounds_proposals_per_agreement(workspace: Workspace, sid: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PMKIT_SETTLE_PROPOSALS", "2")
    agree(workspace, sid)
    options = better(workspace, sid)
    workspace.settlement.propose(sid, options[0])
    with pytest.raises(ConflictError, match="still open"):
        workspace.settlement.propose(sid, options[1])
    workspace.settlement.withdraw(sid)  # a withdrawn proposal was seen: it counts
    workspace.settlement.propose(sid, options[1])
    workspace.settlement.answer(sid, False, role=ITEX)
    workspace.settlement.answer(sid, True, role=CYPRESS)
    with pytest.raises(InputError, match="budget of 2 is spent"):
        workspace.settlement.propose(sid, options[2])
    monkeypatch.setenv("PMKIT_SETTLE_PROPOSALS", "9")  # fixed when the agreement was recorded
    with pytest.raises(InputError, match="budget of 2 is spent"):
        workspace.settlement.propose(sid, options[2])
    assert workspace.settlement.status(sid, ITEX).left == 0


def test_who_may_do_what(workspace: Workspace, sid: str) -> None:
    with pytest.raises(NotFound, match="no agreement is recorded"):
        workspace.settlement.propose(sid, {"options": {}, "values": {}, "goals_in": []})
    terms = agree(workspace, sid)
    with pytest.raises(AccessDenied):
        workspace.settlement.agree(sid, terms, role=ITEX)
    with pytest.raises(AccessDenied):
        workspace.settlement.propose(sid, better(workspace, sid)[0], role=CYPRESS)
    with pytest.raises(NotFound, match="no proposal is open"):
        workspace.settlement.answer(sid, True, role=ITEX)
    with pytest.raises(InputError, match="the agreed terms themselves"):
        workspace.settlement.propose(sid, terms)
    workspace.settlement.propose(sid, better(workspace, sid)[0])
    with pytest.raises(AccessDenied):
        workspace.settlement.answer(sid, True, role=FACILITATOR)
    with pytest.raises(AccessDenied):
        workspace.settlement.answer(sid, True, role=ROOM)
    with pytest.raises(ConflictError, match="withdraw it"):
        workspace.settlement.agree(sid, terms)


def test_a_party_never_reads_another_partys_answer(workspace: Workspace, sid: str) -> None:
    agree(workspace, sid)
    for n, (a, b) in enumerate([(True, False), (False, True), (True, True)]):
        workspace.settlement.propose(sid, better(workspace, sid)[0] if n < 2 else better(workspace, sid)[-1])
        workspace.settlement.answer(sid, a, role=ITEX)
        workspace.settlement.answer(sid, b, role=CYPRESS)
    for party, other in ((ITEX, CYPRESS), (CYPRESS, ITEX)):
        state = workspace.settlement.status(sid, party)
        assert all(p.answers == ((party, p.answer(party)),) for p in state.proposals)
        seen = repr(workspace.journal.history(sid, party))
        assert f"/{other}" not in seen and f"'party': '{other}'" not in seen
    assert [len(p.answers) for p in workspace.settlement.status(sid, FACILITATOR).proposals] == [2, 2, 2]
    assert all(p.answers == () for p in workspace.settlement.status(sid, ROOM).proposals)


# -- an adversary: the party answers strategically over the whole budget ---------------------
def what_itex_sees(ws: Workspace, sid: str) -> Any:
    """Everything the itex role can load about the agreement: the settlement, its history
    (without times) and its view of the session."""
    history = [(e.op, e.role, [(c.kind, c.item_id, c.before, c.after) for c in e.changes])
               for e in ws.journal.history(sid, ITEX)]
    return ws.settlement.status(sid, ITEX), history, ws.sessions.export_yaml(sid, ITEX)


def play(ws: Workspace, options: list[dict[str, Any]], itex: tuple[bool, ...], cypress: tuple[bool, ...]) -> str:
    """Propose ``options`` in turn, itex and cypress answering as given (either answering
    first); what itex can load at the end."""
    sid = ws.sessions.import_file(starter_path("itex-cypress"))
    agree(ws, sid)
    for n, (mine, theirs) in enumerate(zip(itex, cypress, strict=True)):
        ws.settlement.propose(sid, options[n])
        first, second = ((CYPRESS, theirs), (ITEX, mine)) if n % 2 else ((ITEX, mine), (CYPRESS, theirs))
        ws.settlement.answer(sid, first[1], role=first[0])
        ws.settlement.answer(sid, second[1], role=second[0])
    with pytest.raises(InputError, match="spent"):
        ws.settlement.propose(sid, options[0])
    return repr(what_itex_sees(ws, sid)).replace(sid, "SID")  # each play is a session of its own


def test_an_adversary_learns_at_most_one_bit_per_proposal(workspace: Workspace, sid: str) -> None:
    """Whatever itex answers over the whole budget, what it can load depends on cypress's
    answers only through each proposal's outcome: at most 2**budget different views, one bit
    per proposal, and none at all for a proposal itex rejected itself."""
    budget = 3
    agree(workspace, sid)
    options = better(workspace, sid)
    strategies = list(itertools.product((True, False), repeat=budget))
    for mine in strategies:
        views: dict[str, set[tuple[bool, ...]]] = {}
        for theirs in strategies:
            outcomes = tuple(a and b for a, b in zip(mine, theirs, strict=True))
            views.setdefault(play(workspace, options, mine, theirs), set()).add(outcomes)
        assert all(len(o) == 1 for o in views.values())  # different outcomes: different views
        assert len(views) == len(set().union(*views.values()))  # the same outcomes: the same view
        assert len(views) == 2 ** sum(mine) <= 2 ** budget  # one bit per proposal itex accepted, none per rejection
    final = play(workspace, options, (True,) * budget, (False,) * budget)
    s = workspace.sessions.load(sid, FACILITATOR)
    cypress = {f"{p.utility[1]}" for p in improvements(s, parse_terms(s, AGREED)).packages}
    assert cypress and not any(u in final for u in cypress)  # never a satisfaction of cypress's
    assert "'cypress', True" not in final and "'cypress', False" not in final
