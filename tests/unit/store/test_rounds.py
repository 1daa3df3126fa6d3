"""Private rounds in the store: answers private by the query itself, one open round, one
edit per reveal, undo of a reveal, cancel, the journal's audiences and who may do what."""

from __future__ import annotations

import pytest

from pmkit.errors import AccessDenied, ConflictError, InputError, NotFound
from pmkit.model import FACILITATOR, ROOM
from pmkit.resources import starter_path
from pmkit.store import Workspace
from tests.support.store import RAW_ERRORS, goal_ratings, raw, recording

pytestmark = pytest.mark.usefixtures("backend")

# management's answers: a position no page or row shows anywhere else
SECRET_IDEAL, SECRET_WALK_AWAY = 4.125, 7.875


@pytest.fixture
def risk(workspace: Workspace) -> str:
    return workspace.sessions.import_file(starter_path("undisclosed-risk"))


def answered_round(ws: Workspace, sid: str) -> str:
    """A round on a joint goal, a management-only goal and a joint issue; both parties answer."""
    r = ws.rounds.open(sid, ["cutover-date", "vendor-slip"], ["cutover-slip"])
    ws.items.set_rating(sid, "cutover-date", "customer", 2, "oppose", role="customer")
    ws.items.set_rating(sid, "cutover-date", "management", 1, "neutral", role="management")
    ws.items.set_rating(sid, "vendor-slip", "management", 3, "oppose", role="management")
    ws.items.set_position(sid, "cutover-slip", "management", SECRET_IDEAL, SECRET_WALK_AWAY, role="management")
    ws.items.set_position(sid, "cutover-slip", "customer", 1, 3, role="customer")
    return r.round_id


# -- privacy -----------------------------------------------------------------------------------
def test_answers_stay_out_of_the_items_until_the_reveal(workspace: Workspace, risk: str) -> None:
    before = workspace.sessions.export_yaml(risk, FACILITATOR)
    answered_round(workspace, risk)
    # nothing published, not even to the facilitator's items
    assert workspace.sessions.export_yaml(risk, FACILITATOR) == before
    assert goal_ratings(workspace, risk, "cutover-date") == {"customer": (5, "support"), "management": (5, "support")}


def test_a_party_reads_only_its_own_answers_and_the_items_it_may_see(workspace: Workspace, risk: str) -> None:
    rid = answered_round(workspace, risk)
    fac = workspace.rounds.current(risk, FACILITATOR)
    assert fac is not None and fac.round_id == rid
    assert {(a.party, a.kind, a.item_id) for a in fac.answers} == {
        ("customer", "goal", "cutover-date"), ("management", "goal", "cutover-date"),
        ("management", "goal", "vendor-slip"), ("management", "issue", "cutover-slip"),
        ("customer", "issue", "cutover-slip")}
    cust = workspace.rounds.current(risk, "customer")
    assert cust is not None and cust.goals == ("cutover-date",) and cust.issues == ("cutover-slip",)
    assert {a.party for a in cust.answers} == {"customer"}
    answer = cust.answer("customer", "goal", "cutover-date")
    assert answer is not None and answer.text == "2 oppose"
    mgmt = workspace.rounds.current(risk, "management")
    assert mgmt is not None and mgmt.goals == ("cutover-date", "vendor-slip")
    assert {a.party for a in mgmt.answers} == {"management"}
    mine = mgmt.answer("management", "issue", "cutover-slip")
    assert mine is not None and mine.text == "ideal 4.125, walk-away 7.875"


def test_the_other_partys_answers_are_never_fetched_by_a_partys_reads(workspace: Workspace, risk: str) -> None:
    answered_round(workspace, risk)
    with recording(workspace) as rows:
        workspace.rounds.all(risk, "customer")
        workspace.rounds.current(risk, "customer")
        workspace.sessions.load(risk, "customer")
        workspace.journal.history(risk, "customer")
    values = [row[k] for row in rows.rows for k in row.keys()]  # noqa: SIM118 - rows iterate values
    assert values, "the reads fetched rows"
    assert "management" not in values  # no answer row of management's, no change of its audience
    text = rows.text()
    for hidden in (str(SECRET_IDEAL), str(SECRET_WALK_AWAY), "vendor-slip", "/management/"):
        assert hidden not in text


def test_the_room_reads_no_answer(workspace: Workspace, risk: str) -> None:
    answered_round(workspace, risk)
    try:
        seen = workspace.rounds.all(risk, ROOM)
    except AccessDenied:  # a workspace that does not know the room role reads nothing for it
        seen = []
    assert all(not r.answers for r in seen)
    assert all("vendor-slip" not in r.goals for r in seen)


def test_a_round_on_items_a_party_may_not_see_does_not_exist_for_it(workspace: Workspace, risk: str) -> None:
    workspace.rounds.open(risk, ["cutover-date"])
    workspace.rounds.cancel(risk)
    workspace.rounds.open(risk, ["vendor-slip", "recover-quietly"])
    assert workspace.rounds.current(risk, "customer") is None
    assert [r.number for r in workspace.rounds.all(risk, "customer")] == [1]
    assert [r.number for r in workspace.rounds.all(risk, "management")] == [1, 2]
    assert not any("vendor-slip" in str(c.after) for e in workspace.journal.history(risk,
                                                                                    "customer") for c in e.changes)
    # the customer's rating of a goal it may see goes to the goal, not to a round it cannot see
    assert not workspace.items.rate(risk, "test-env", "customer", 1, "oppose", role="customer").private
    assert goal_ratings(workspace, risk, "test-env")["customer"] == (1, "oppose")


def test_an_answer_is_journaled_for_its_party_only(workspace: Workspace, risk: str) -> None:
    rid = answered_round(workspace, risk)
    answers = [e for e in workspace.journal.history(risk) if e.op == "answer"]
    assert len(answers) == 5 and all(len(e.changes) == 1 for e in answers)
    assert {e.changes[0].audience_after for e in answers} == {"customer", "management"}
    for party, other in (("customer", "management"), ("management", "customer")):
        mine = [e for e in workspace.journal.history(risk, party) if e.op == "answer"]
        assert mine and all(e.role == party for e in mine)
        assert all(c.audience_after == party and f"{rid}/{other}/" not in c.item_id for e in mine for c in e.changes)


# -- edits ---------------------------------------------------------------------------------------
def test_a_partys_rating_is_an_answer_only_inside_the_round(workspace: Workspace, risk: str) -> None:
    workspace.rounds.open(risk, ["cutover-date"])
    version = workspace.sessions.version(risk)
    rated = workspace.items.rate(risk, "cutover-date", "customer", 2, None, role="customer")
    assert rated.private and workspace.sessions.version(risk) == version + 1
    answer = workspace.rounds.current(risk, "customer").answer("customer", "goal", "cutover-date")  # type: ignore[union-attr]
    assert answer is not None and answer.text == "2 support"  # stance None: the published one
    assert not workspace.items.rate(risk, "weekly-status", "customer", 1, "oppose", role="customer").private
    assert goal_ratings(workspace, risk, "weekly-status")["customer"] == (1, "oppose")
    # the facilitator's own edits go to the goal, round or not
    assert not workspace.items.rate(risk, "cutover-date", "customer", 4, "neutral", role=FACILITATOR).private
    assert goal_ratings(workspace, risk, "cutover-date")["customer"] == (4, "neutral")
    # withdrawing: "not rated" drops the answer
    workspace.items.set_rating(risk, "cutover-date", "customer", None, role="customer")
    assert workspace.rounds.current(risk, FACILITATOR).answers == ()  # type: ignore[union-attr]
    with pytest.raises(InputError, match="importance must be 0-5"):
        workspace.items.set_rating(risk, "cutover-date", "customer", 9, "support", role="customer")


def test_a_weighing_in_a_round_is_one_edit_of_answers_and_ratings(workspace: Workspace, risk: str) -> None:
    workspace.rounds.open(risk, ["cutover-date"])
    changed = workspace.items.set_ratings(risk, "management", {"cutover-date": (2, "oppose"), "test-env": (1, None)},
                                    role="management")
    entry = workspace.journal.history(risk)[-1]
    assert changed == 2 and entry.op == "update" and [c.kind for c in entry.changes] == ["answer", "goal"]
    assert goal_ratings(workspace, risk, "cutover-date")["management"] == (5, "support")
    assert goal_ratings(workspace, risk, "test-env")["management"] == (1, "support")


def test_reveal_is_one_edit_that_publishes_every_answer(workspace: Workspace, risk: str) -> None:
    rid = answered_round(workspace, risk)
    version = workspace.sessions.version(risk)
    entries = len(workspace.journal.history(risk))
    revealed = workspace.rounds.reveal(risk)
    assert revealed.state == "revealed" and revealed.closed_at
    assert workspace.sessions.version(risk) == version + 1 and len(workspace.journal.history(risk)) == entries + 1
    entry = workspace.journal.history(risk)[-1]
    assert entry.op == "reveal" and entry.changes[0].kind == "round" and entry.changes[0].item_id == rid
    assert [(c.kind, c.item_id) for c in entry.changes[1:]] == [
        ("goal", "cutover-date"), ("goal", "vendor-slip"),
        ("position", "cutover-slip/customer"), ("position", "cutover-slip/management")]
    assert goal_ratings(workspace, risk, "cutover-date") == {"customer": (2, "oppose"), "management": (1, "neutral")}
    assert goal_ratings(workspace, risk, "vendor-slip") == {"management": (3, "oppose")}
    issue = next(i for i in workspace.sessions.load(risk, "management").issues if i.id == "cutover-slip")
    assert (issue.positions["management"].ideal, issue.positions["management"].walk_away) == (4.125, 7.875)
    assert workspace.rounds.current(risk, FACILITATOR) is None
    # the customer sees the round revealed and the joint goal's new ratings, never management's position
    seen = workspace.journal.history(risk, "customer")[-1]
    assert [(c.kind, c.item_id) for c in seen.changes] == [("round", rid), ("goal", "cutover-date"),
                                                           ("position", "cutover-slip/customer")]
    assert "management" not in next(i for i in workspace.sessions.load(risk, "customer").issues
                                    if i.id == "cutover-slip").positions
    with pytest.raises(NotFound, match="no round is open"):
        workspace.rounds.reveal(risk)


def test_reveal_leaves_out_answers_on_items_gone_or_hidden_since(workspace: Workspace, risk: str) -> None:
    workspace.rounds.open(risk, ["cutover-date", "test-env"])
    workspace.items.set_rating(risk, "cutover-date", "customer", 0, "oppose", role="customer")
    workspace.items.set_rating(risk, "test-env", "customer", 0, "oppose", role="customer")
    workspace.items.delete(risk, "goal", "cutover-date", role=FACILITATOR)
    workspace.items.update(risk, "goal", "test-env", {"audience": "management"}, role=FACILITATOR)
    entry_changes = workspace.rounds.reveal(risk)
    assert entry_changes.state == "revealed"
    assert goal_ratings(workspace, risk, "test-env")["customer"] == (5, "support")
    assert [c.kind for c in workspace.journal.history(risk)[-1].changes] == ["round"]


def test_undo_of_a_reveal_reverts_it_whole_and_opens_the_round_again(workspace: Workspace, risk: str) -> None:
    before = workspace.sessions.export_yaml(risk, FACILITATOR)
    rid = answered_round(workspace, risk)
    workspace.rounds.reveal(risk)
    undone = workspace.journal.undo(risk)
    assert undone.op == "reveal"
    assert workspace.sessions.export_yaml(risk, FACILITATOR) == before
    again = workspace.rounds.current(risk, FACILITATOR)
    assert again is not None and again.round_id == rid and len(again.answers) == 5
    workspace.rounds.reveal(risk)
    assert goal_ratings(workspace, risk, "cutover-date")["customer"] == (2, "oppose")
    # a round opened since is the newest edit: undo removes it (and only it) first
    opened = workspace.rounds.open(risk, ["test-env"])
    assert workspace.journal.undo(risk).op == "round-open"
    assert workspace.rounds.current(risk, FACILITATOR) is None
    assert opened.round_id not in [r.round_id for r in workspace.rounds.all(risk, FACILITATOR)]


def test_cancel_drops_the_answers_and_publishes_nothing(workspace: Workspace, risk: str) -> None:
    before = workspace.sessions.export_yaml(risk, FACILITATOR)
    rid = answered_round(workspace, risk)
    cancelled = workspace.rounds.cancel(risk)
    assert cancelled.state == "cancelled" and cancelled.answers == ()
    assert workspace.sessions.export_yaml(risk, FACILITATOR) == before
    entry = workspace.journal.history(risk)[-1]
    assert entry.op == "round-cancel" and len(entry.changes) == 6  # the round and each answer dropped
    assert [c.kind for c in workspace.journal.history(risk, "customer")[-1].changes] == ["round", "answer", "answer"]
    with raw(workspace) as conn:
        assert conn.execute("SELECT count(*) FROM round_answers WHERE round_id = ?", (rid,)).fetchone()[0] == 0
    # a rating after the round goes to the goal again; the round cannot be cancelled twice
    assert not workspace.items.rate(risk, "cutover-date", "customer", 3, "oppose", role="customer").private
    with pytest.raises(NotFound, match="no round is open"):
        workspace.rounds.cancel(risk)


def test_at_most_one_round_is_open(workspace: Workspace, risk: str) -> None:
    workspace.rounds.open(risk, ["cutover-date"])
    with pytest.raises(ConflictError, match="reveal or cancel it"):
        workspace.rounds.open(risk, ["test-env"])
    with raw(workspace) as conn, pytest.raises(RAW_ERRORS):  # and the schema holds it too
        conn.execute("INSERT INTO rounds VALUES (?, 'r-x', 'now', NULL, 'open', '[]', '[]')", (risk,))
    assert len(workspace.rounds.all(risk, FACILITATOR)) == 1


def test_a_round_needs_items_that_exist(workspace: Workspace, risk: str) -> None:
    version = workspace.sessions.version(risk)
    with pytest.raises(InputError, match="at least one goal"):
        workspace.rounds.open(risk, [], [])
    with pytest.raises(NotFound, match="no goal 'nope'"):
        workspace.rounds.open(risk, ["cutover-date", "nope"])
    with pytest.raises(NotFound, match="no issue 'cutover-date'"):
        workspace.rounds.open(risk, [], ["cutover-date"])
    assert workspace.sessions.version(risk) == version and workspace.rounds.all(risk, FACILITATOR) == []


# -- permissions ---------------------------------------------------------------------------------
@pytest.mark.parametrize("party", ["customer", "management"])
def test_only_the_facilitator_opens_reveals_and_cancels(workspace: Workspace, risk: str, party: str) -> None:
    version = workspace.sessions.version(risk)
    with pytest.raises(AccessDenied, match="only the facilitator may open a round"):
        workspace.rounds.open(risk, ["cutover-date"], role=party)
    workspace.rounds.open(risk, ["cutover-date"])
    for act, what in ((workspace.rounds.reveal, "reveal"), (workspace.rounds.cancel, "cancel")):
        with pytest.raises(AccessDenied, match=f"only the facilitator may {what} a round"):
            act(risk, role=party)
    assert workspace.sessions.version(risk) == version + 1


def test_a_party_answers_only_for_itself_and_on_what_it_may_see(workspace: Workspace, risk: str) -> None:
    workspace.rounds.open(risk, ["cutover-date", "vendor-slip"])
    version = workspace.sessions.version(risk)
    with pytest.raises(AccessDenied, match="may not rate goals for 'management'"):
        workspace.items.set_rating(risk, "cutover-date", "management", 0, "oppose", role="customer")
    with pytest.raises(NotFound, match="no goal 'vendor-slip'"):
        workspace.items.set_rating(risk, "vendor-slip", "customer", 0, "oppose", role="customer")
    with pytest.raises(AccessDenied, match="may not set the position of 'customer'"):
        workspace.items.set_position(risk, "cutover-slip", "customer", 1, 2, role="management")
    assert workspace.sessions.version(risk) == version
