"""Preparation windows in the store: each person is asked what their party may see, answers
stay private until the close, the close writes them as inputs in one journaled edit, cancel
drops them, undo reverts each edit, and a save is refused on every forged path."""

from __future__ import annotations

import datetime as dt

import pytest

from pmkit.errors import AccessDenied, ConflictError, InputError, NotFound
from pmkit.model import FACILITATOR
from pmkit.resources import starter_path
from pmkit.rules.aggregation import aggregate_rating
from pmkit.rules.permissions import Actor
from pmkit.store import Workspace

pytestmark = pytest.mark.usefixtures("backend")

GOALS = ["test-env", "vendor-slip"]  # joint, management's own
ISSUES = ["cutover-slip"]
OPTIONS = ["recovery-route"]  # management's own


def _until(hours: float = 48) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)).isoformat()


@pytest.fixture
def session(workspace: Workspace) -> tuple[str, str, str]:
    """A session with two management participants; the customer answers from its own link."""
    sid = workspace.sessions.import_file(starter_path("undisclosed-risk"))
    a = workspace.participants.add(sid, "management", "Ana").participant_id
    b = workspace.participants.add(sid, "management", "Ben").participant_id
    workspace.prepare.open(sid, _until(), goals=GOALS, issues=ISSUES, options=OPTIONS, pairwise=True)
    return sid, a, b


def test_each_person_is_asked_what_their_party_may_see(workspace: Workspace, session: tuple[str, str, str]) -> None:
    sid, a, _b = session
    mine = workspace.prepare.mine(sid, Actor("management", a))
    assert mine is not None
    assert [(q.kind, q.item_id) for q in mine.asked] == [("goal", "test-env"), ("goal", "vendor-slip"),
                                                        ("issue", "cutover-slip"), ("option_issue", "recovery-route")]
    assert mine.pairs == (("test-env", "vendor-slip"),)
    customer = workspace.prepare.mine(sid, "customer")
    assert customer is not None
    assert [(q.kind, q.item_id) for q in customer.asked] == [("goal", "test-env"), ("issue", "cutover-slip")]
    assert "vendor-slip" not in repr(customer) and "recovery-route" not in repr(customer)
    with pytest.raises(NotFound):  # another party's item
        workspace.prepare.answer(sid, "goal", "vendor-slip", {"importance": 3, "stance": "support"}, role="customer")
    assert workspace.prepare.mine(sid, "management") is None  # a party with participants answers through them


def test_answers_are_private_and_progress_shows_no_answer(workspace: Workspace,
                                                           session: tuple[str, str, str]) -> None:
    sid, a, b = session
    ana = Actor("management", a)
    rated = workspace.sessions.load(sid, FACILITATOR).goals[0].ratings
    workspace.prepare.answer(sid, "goal", "test-env", {"importance": 4, "stance": "support"}, role=ana)
    workspace.prepare.answer(sid, "issue", "cutover-slip", {"ideal": 2, "walk_away": 6}, role=ana)
    workspace.prepare.submit(sid, role="customer")
    version = workspace.sessions.version(sid)
    mine = workspace.prepare.mine(sid, ana)
    assert mine is not None and mine.answers[("goal", "test-env")] == {"importance": 4, "stance": "support"}
    other = workspace.prepare.mine(sid, Actor("management", b))
    assert other is not None and other.answers == {}  # a colleague never reads them
    progress = workspace.prepare.progress(sid)
    assert progress is not None
    words = {p.name: p.words for p in progress.people}
    assert (words["Ana"], words["Ben"]) == ("2 of 5 answered", "not opened")
    assert [p.words for p in progress.people if p.party == "customer"] == ["submitted"]
    assert progress.counts()["management"]["answering"] == 1
    assert "support" not in repr(progress)
    with pytest.raises(AccessDenied):
        workspace.prepare.progress(sid, "customer")
    loaded = workspace.sessions.load(sid, FACILITATOR)
    assert loaded.goals[0].ratings == rated  # nothing reaches the item before the close
    assert workspace.sessions.version(sid) == version  # a save is no edit
    assert "test-env" not in repr(workspace.journal.history(sid, "customer"))


def test_close_writes_every_answer_in_one_edit_and_undo_reopens(workspace: Workspace,
                                                                session: tuple[str, str, str]) -> None:
    sid, a, b = session
    workspace.prepare.answer(sid, "goal", "test-env", {"importance": 4, "stance": "support"},
                             role=Actor("management", a))
    workspace.prepare.answer(sid, "goal", "test-env", {"importance": 2, "stance": "oppose"},
                             role=Actor("management", b))
    workspace.prepare.answer(sid, "option_issue", "recovery-route", {"scores": {"descope-edi": 80}},
                             role=Actor("management", a))
    workspace.prepare.answer(sid, "pair", "test-env/vendor-slip", {"value": 3}, role=Actor("management", a))
    workspace.prepare.answer(sid, "goal", "test-env", {"importance": 1, "stance": "oppose"}, role="customer")
    rated = workspace.sessions.load(sid, FACILITATOR).goals[0].ratings
    before = len(workspace.journal.history(sid))
    assert workspace.prepare.close(sid) == 5
    history = workspace.journal.history(sid)
    assert len(history) == before + 1 and history[-1].op == "prepare-close"
    goal = workspace.sessions.load(sid, FACILITATOR).goals[0]
    assert goal.ratings["customer"].importance == 1
    agg = aggregate_rating([(4, "support", 1.0), (2, "oppose", 1.0)])
    assert agg is not None and goal.ratings["management"].importance == agg[0]  # the two members' aggregate
    inputs = {(i.participant_id, i.kind, i.item_id) for i in workspace.participants.inputs(sid)}
    assert (a, "judgement", "test-env/vendor-slip") in inputs and (a, "option_scores", "recovery-route") in inputs
    with pytest.raises(ConflictError):  # closed: nothing more is taken
        workspace.prepare.answer(sid, "goal", "test-env", {"importance": 1, "stance": "support"}, role="customer")
    mine = workspace.prepare.mine(sid, "customer")
    assert mine is not None and not mine.window.is_open and mine.answers  # what was sent, shown after
    workspace.journal.undo(sid)
    assert workspace.sessions.load(sid, FACILITATOR).goals[0].ratings == rated
    window = workspace.prepare.current(sid)
    assert window is not None and window.is_open


def test_cancel_drops_the_answers_and_undo_brings_the_window_back(workspace: Workspace,
                                                                   session: tuple[str, str, str]) -> None:
    sid, _a, _b = session
    rated = workspace.sessions.load(sid, FACILITATOR).goals[0].ratings
    workspace.prepare.answer(sid, "goal", "test-env", {"importance": 1, "stance": "oppose"}, role="customer")
    workspace.prepare.cancel(sid)
    assert workspace.prepare.mine(sid, "customer") is None
    assert workspace.sessions.load(sid, FACILITATOR).goals[0].ratings == rated
    with pytest.raises(NotFound):
        workspace.prepare.close(sid)
    workspace.journal.undo(sid)
    mine = workspace.prepare.mine(sid, "customer")
    assert mine is not None and mine.window.is_open and mine.answers
    with pytest.raises(ConflictError, match="cancel the window instead"):
        workspace.journal.undo(sid)  # the opening: someone answered since
    workspace.prepare.answer(sid, "goal", "test-env", None, role="customer")
    workspace.journal.undo(sid)
    assert workspace.prepare.current(sid) is None


@pytest.mark.parametrize(("kind", "item", "data"), [
    ("goal", "test-env", {"importance": 6, "stance": "support"}),
    ("goal", "test-env", {"importance": "3", "stance": "support"}),
    ("goal", "test-env", {"importance": 3, "stance": "maybe"}),
    ("issue", "cutover-slip", {"ideal": "NaN"}),
    ("issue", "cutover-slip", {"ideal": 1e300}),
    ("option_issue", "recovery-route", {"scores": {"descope-edi": 101}}),
    ("option_issue", "recovery-route", {"scores": {"nope": 10}}),
    ("pair", "test-env/vendor-slip", {"value": 10}),
    ("score", "test-env", {}),
])
def test_values_out_of_range_are_refused(workspace: Workspace, session: tuple[str, str, str], kind: str, item: str,
                                         data: dict[str, object]) -> None:
    sid, a, _b = session
    with pytest.raises(InputError):
        workspace.prepare.answer(sid, kind, item, data, role=Actor("management", a))
    mine = workspace.prepare.mine(sid, Actor("management", a))
    assert mine is not None and mine.answers == {}


def test_revoked_removed_past_and_foreign_writers_are_refused(workspace: Workspace,
                                                              session: tuple[str, str, str]) -> None:
    sid, a, b = session
    rating = {"importance": 3, "stance": "support"}
    epoch = workspace.meeting.link_epoch(sid)
    with pytest.raises(AccessDenied):  # a member of another party
        workspace.prepare.answer(sid, "goal", "test-env", rating, role=Actor("customer", a, epoch))
    with pytest.raises(AccessDenied):
        workspace.prepare.answer(sid, "goal", "test-env", rating, role=FACILITATOR)
    with pytest.raises(AccessDenied):
        workspace.prepare.answer(sid, "goal", "test-env", rating, role="room")
    workspace.participants.revoke_link(sid, b)
    with pytest.raises(AccessDenied):
        workspace.prepare.answer(sid, "goal", "test-env", rating, role=Actor("management", b, epoch, 0))
    workspace.meeting.revoke_links(sid)
    with pytest.raises(AccessDenied):
        workspace.prepare.answer(sid, "goal", "test-env", rating, role=Actor("customer", None, epoch))
    workspace.prepare.cancel(sid)
    workspace.prepare.open(sid, _until(1), goals=GOALS)
    with pytest.raises(ConflictError):
        workspace.prepare.open(sid, _until(), goals=GOALS)
    with pytest.raises(InputError, match="has passed"):
        workspace.prepare.open(sid, "2001-01-01T00:00", goals=GOALS)
    assert workspace.prepare.progress(sid) is not None
    assert all(p.answered == 0 for p in workspace.prepare.progress(sid).people)  # type: ignore[union-attr]
