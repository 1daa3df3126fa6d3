"""Items as a part of the workspace: add, change and delete items; ratings and positions.

Each public method is one edit (:class:`pmkit.store.edit.Edit`): one transaction, one new
version of the session, one journal entry holding every change it made, undone whole. An
issue added with its positions, a weighing's ratings of several goals, an issue deleted
with its positions: each is one edit. Everything is checked (who may write it:
:mod:`pmkit.rules.permissions`; whether it is valid) inside the transaction, before the edit is
journaled, and a refused edit writes nothing.

**One write per input.** :meth:`Items.rate`, :meth:`Items.set_ratings` and
:meth:`Items.set_position` are the one way a rating or position is written, whoever writes
it: the facilitator, a party, or a member of a party (``participant``, or the member whose
page it is: :class:`~pmkit.rules.permissions.Actor`). A member's input goes through the
participants part (:mod:`pmkit.store.participants`), which writes it and the party's
aggregate in the same edit; a party with members may not write its aggregate directly.

**The probe step.** A facilitator's edit that leaves a numeric issue with the ideals of two
parties and no ``probe_step`` (creating or importing a session, adding or changing the
issue, setting a position on it, revealing a round) fixes the default step in the same edit
(:func:`pmkit.rules.probe_steps.default_step`); a party's edit never sets or changes it, and undo is
an undo. The facilitator may set the step at any time; clearing it fixes the default anew.

Edits are deltas applied to the current row inside the transaction, so two processes
editing one session lose nothing; an edit that names a stale ``base_rev`` gets
:class:`~pmkit.errors.ConflictError`.

While a round is open on a goal or an issue (:mod:`pmkit.store.rounds`), a party's own
rating of that goal, or position on that issue, is its private answer
(:mod:`pmkit.store.answers`), decided inside the same transaction; the facilitator's
writes go to the item as always.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import ValidationError

from pmkit.errors import AccessDenied, ConflictError, InputError, NotFound, invalid
from pmkit.i18n import N_, _
from pmkit.model import FACILITATOR, NumericIssue, OptionIssue, Position, Rating, new_item_id, plan_key
from pmkit.rules.permissions import (
    Actor,
    as_actor,
    authorize_add,
    authorize_facilitator,
    authorize_position,
    authorize_rating,
    authorize_update,
    speaking_for,
)
from pmkit.rules.probe_steps import default_step
from pmkit.rules.visibility import may_see, position_audience
from pmkit.store.answers import ANSWER, covering_round, position_answer, previous_answer, put_answer, rating_answer
from pmkit.store.core import Core, Part
from pmkit.store.db import Row
from pmkit.store.edit import Edit
from pmkit.store.options import OptionInput, current_scores, put_option_scores
from pmkit.store.rows import (
    OPTION_SCORES,
    PLAN,
    POSITION,
    check_party_refs,
    item_data,
    kind_class,
    loads,
    position_data,
    position_key,
    validate,
)


class MemberWrites(Protocol):
    """What the items part asks of the participants part (:class:`pmkit.store.participants.Participants`)."""

    def has_members(self, session_id: str, party: str) -> bool: ...

    def member_rating(self, edit: Edit, meta: Mapping[str, Any], participant: str, party: str, goal_id: str,
                      importance: int | None, stance: str | None) -> Rated: ...

    def member_ratings(self, edit: Edit, meta: Mapping[str, Any], participant: str, party: str,
                       ratings: Mapping[str, tuple[int | None, str | None]]) -> int: ...

    def member_position(self, edit: Edit, meta: Mapping[str, Any], participant: str, party: str, issue_id: str,
                        ideal: float | None, walk_away: float | None) -> str | None: ...

    def member_option_scores(self, edit: Edit, meta: Mapping[str, Any], participant: str, party: str,
                             issue_id: str, given: OptionInput) -> str | None: ...


RATING_RULE = N_("importance must be 0-5 and stance support, neutral or oppose")

__all__ = ["RATING_RULE", "Items", "Rated", "fix_default_step", "put_position", "rate_goal", "require_party",
           "visible_row", "with_default_step"]


@dataclass(frozen=True)
class Rated:
    """What a rating did: the goal's revision, and the round it was a private answer in
    (``None``: it was written into the goal)."""

    rev: int
    round_id: str | None = None

    @property
    def private(self) -> bool:
        return self.round_id is not None


class Items(Part):
    """Items, ratings and positions: part of :class:`pmkit.store.Workspace`."""

    def __init__(self, core: Core, participants: MemberWrites) -> None:
        super().__init__(core)
        self._participants = participants

    def add(self, session_id: str, kind: str, item: dict[str, Any] | Any, *, role: str | Actor) -> str:
        """Add a goal, issue (with its positions), agreement, action or note; returns its id."""
        cls = kind_class(kind)
        if not isinstance(item, dict) and not hasattr(item, "model_dump"):
            raise InputError(_("a {kind} must be a mapping of its fields, got {name}").format(
                               kind=kind, name=type(item).__name__))
        data = dict(item if isinstance(item, dict) else item.model_dump())
        if not data.get("id"):
            data["id"] = new_item_id(kind)
        obj = validate(cls, data, kind)  # positions too: all is checked before anything is written
        who = as_actor(role)
        if isinstance(obj, NumericIssue) and who.role == FACILITATOR:
            obj = with_default_step(obj)
        with self.core.edit(session_id, who, "add") as edit:
            meta = self.core.check_role(session_id, who)
            check_party_refs(meta, obj)
            authorize_add(who.role, kind, obj)
            if edit.row(kind, obj.id) is not None:
                raise InputError(_("a {kind} with id '{id}' exists already in '{session_id}'").format(
                                   kind=kind, id=obj.id, session_id=session_id))
            edit.insert(kind, obj.id, obj.audience, item_data(kind, obj))
            if isinstance(obj, NumericIssue):
                for party, p in obj.positions.items():
                    put_position(edit, meta, obj.id, party, p.ideal, p.walk_away)
            if isinstance(obj, OptionIssue):
                row = visible_row(edit, kind, obj.id)
                for party, sc in obj.scores.items():
                    put_option_scores(edit, row, party, sc.model_dump())
        return str(obj.id)

    def update(
        self,
        session_id: str,
        kind: str,
        item_id: str,
        changes: dict[str, Any],
        *,
        role: str | Actor,
        base_rev: int | None = None,
    ) -> int:
        """Change fields of an item; returns its new revision."""
        cls = kind_class(kind)
        if "id" in changes and changes["id"] != item_id:
            raise InputError(_("an item's id cannot be changed"))
        if kind == "issue" and "positions" in changes:
            raise InputError(_("set positions with set_position, one party at a time"))
        if kind == "option_issue" and "scores" in changes:
            raise InputError(_("set scores with set_option_scores, one party at a time"))
        with self.core.edit(session_id, role, "update") as edit:
            meta = self.core.check_role(session_id, role)
            row = visible_row(edit, kind, item_id)
            if base_rev is not None and row["rev"] != base_rev:
                raise ConflictError(
                    _("{kind} '{item_id}' was changed by someone else (revision {rev}, you edited {base_rev}); "
                      "reload it and apply your edit again").format(
                      kind=kind, item_id=item_id, rev=row['rev'], base_rev=base_rev)
                )
            before = loads(row["data"])
            merged = {**before, **changes}
            obj = validate(cls, {**merged, **_NO_PRIVATE.get(kind, {})}, kind)
            check_party_refs(meta, obj)
            authorize_update(edit.role, kind)
            after = item_data(kind, obj)
            if kind == "issue":
                after = _default_step_data(edit, item_id, after)
            if after == before:
                return int(row["rev"])
            return edit.update(row, after, obj.audience)

    def set_rating(self, session_id: str, goal_id: str, party: str, importance: int | None,
                   stance: str = "neutral", *, role: str | Actor, participant: str | None = None) -> int:
        """Set (or with ``importance=None`` clear) one party's rating of a goal; returns the
        goal's revision. See :meth:`rate`."""
        return self.rate(session_id, goal_id, party, importance, stance, role=role, participant=participant).rev

    def rate(self, session_id: str, goal_id: str, party: str, importance: int | None,
             stance: str | None = "neutral", *, role: str | Actor, participant: str | None = None) -> Rated:
        """``party``'s rating of a goal (``None`` clears it), or with ``participant`` (or on a
        member's page) that member's own rating and the party's aggregate, in one edit. Inside
        an open round on the goal it is a private answer (:attr:`Rated.round_id`)."""
        with self._input(session_id, party, role, participant, authorize_rating) as (edit, meta, member):
            if member is not None:
                return self._participants.member_rating(edit, meta, member, party, goal_id, importance, stance)
            rated = _rate_or_answer(edit, visible_row(edit, "goal", goal_id), party, importance, stance)
            answers_only(edit)
            return rated

    def set_ratings(self, session_id: str, party: str, ratings: Mapping[str, tuple[int | None, str | None]], *,
                    role: str | Actor, participant: str | None = None) -> int:
        """Set several of ``party``'s ratings in one edit: ``{goal id: (importance, stance)}``,
        importance ``None`` clears the rating, stance ``None`` keeps the goal's (neutral when it
        was not rated); with ``participant``, that member's own ratings (each goal's aggregate
        recomputed). Every goal must be one the party may see. Returns how many changed."""
        with self._input(session_id, party, role, participant, authorize_rating) as (edit, meta, member):
            if member is not None:
                return self._participants.member_ratings(edit, meta, member, party, ratings)
            for goal_id, (importance, stance) in ratings.items():
                row = visible_row(edit, "goal", goal_id)
                if not may_see(party, row["audience"]):
                    raise NotFound(_("goal '{goal_id}' is gone or not visible to '{party}'; nothing was saved").format(
                                     goal_id=goal_id, party=party))
                _rate_or_answer(edit, row, party, importance, stance)
            answers_only(edit)
            return len(edit.changes)

    def set_position(self, session_id: str, issue_id: str, party: str, ideal: float | None,
                     walk_away: float | None = None, *, role: str | Actor,
                     participant: str | None = None) -> str | None:
        """Set (or with ``ideal=None`` clear) one party's ideal and walk-away on an issue, or
        with ``participant`` (or on a member's page) that member's own position and the
        party's aggregate. Inside an open round on the issue it is a private answer: then the
        round's id is returned (else ``None``)."""
        with self._input(session_id, party, role, participant, authorize_position) as (edit, meta, member):
            if member is not None:
                return self._participants.member_position(edit, meta, member, party, issue_id, ideal, walk_away)
            round_id = covering_round(edit, "issue", issue_id)
            if round_id is not None:
                issue = loads(visible_row(edit, "issue", issue_id)["data"])
                put_answer(edit, round_id, party, "issue", issue, position_answer(issue, party, ideal, walk_away))
                answers_only(edit)
                return round_id
            put_position(edit, meta, issue_id, party, ideal, walk_away)
            fix_default_step(edit, issue_id)
            if edit.changes:
                edit.op = edit.changes[0].op
            return None

    def set_option_scores(self, session_id: str, issue_id: str, party: str, *,
                          scores: Mapping[str, float] | None = None, weight: float | None = None,
                          unacceptable: Sequence[str] | None = None, clear: bool = False, role: str | Actor,
                          participant: str | None = None) -> str | None:
        """Set ``party``'s scores on an option issue (0..100 per option id), its weight for the
        issue, and the options it cannot accept; a field left ``None`` keeps what was there,
        ``clear`` drops the input. With ``participant`` (or on a member's page) that member's
        own input and the party's aggregate. Inside an open round on the issue it is a private
        answer: then the round's id is returned (else ``None``)."""
        given = OptionInput(scores, weight, unacceptable, clear)
        with self._input(session_id, party, role, participant, authorize_position) as (edit, meta, member):
            if member is not None:
                return self._participants.member_option_scores(edit, meta, member, party, issue_id, given)
            row = visible_row(edit, "option_issue", issue_id)
            if not may_see(party, row["audience"]):
                raise NotFound(_("option issue '{issue_id}' is not visible to '{party}'; nothing was saved").format(
                                 issue_id=issue_id, party=party))
            issue = loads(row["data"])
            round_id = covering_round(edit, "option_issue", issue_id)
            if round_id is not None:
                previous = previous_answer(edit, round_id, party, "option_issue", issue_id)
                data = given.applied(issue, party, previous or current_scores(edit, issue_id, party))
                put_answer(edit, round_id, party, "option_issue", issue, data)
                answers_only(edit)
                return round_id
            put_option_scores(edit, row, party, given.applied(issue, party, current_scores(edit, issue_id, party)))
            if edit.changes:
                edit.op = edit.changes[0].op
            return None

    @contextmanager
    def _input(self, session_id: str, party: str, role: str | Actor, participant: str | None,
               authorize: Callable[[str, str], None]) -> Iterator[tuple[Edit, Mapping[str, Any], str | None]]:
        """One edit of an input on ``party``'s behalf: yields the edit, the session's header and
        the member it is for (``None``: the party's own input, authorized here; a party with
        members may not write its aggregate directly)."""
        who = as_actor(role)
        member = speaking_for(who, participant)
        if member is None:
            authorize(who.role, party)
        with self.core.edit(session_id, who, "update") as edit:
            meta = self.core.check_role(session_id, who)
            if member is None:
                if who.role != FACILITATOR and self._participants.has_members(session_id, party):
                    raise AccessDenied(_("'{party}' rates through its participants: its rating is their aggregate; "
                                         "set yours from your own link (on the command line: --participant ID)").format(
                                         party=party))
                require_party(meta, party, session_id)
            yield edit, meta, member

    def delete(self, session_id: str, kind: str, item_id: str, *, role: str | Actor) -> None:
        """Delete an item, an issue with its positions, an item with its disclosure plan entry
        (the facilitator only; undo brings all of it back)."""
        kind_class(kind)
        authorize_facilitator(as_actor(role).role, "delete items")
        with self.core.edit(session_id, role, "delete") as edit:
            self.core.check_role(session_id, role)
            edit.delete(visible_row(edit, kind, item_id))
            if kind in ("issue", "option_issue"):
                for p in edit.positions(item_id, POSITION if kind == "issue" else OPTION_SCORES):
                    edit.delete(p)
            entry = edit.row(PLAN, plan_key(kind, item_id))
            if entry is not None:  # a new item given the same id later starts undecided
                edit.delete(entry)

# what is kept in rows of their own, left out of an item's data
_NO_PRIVATE: dict[str, dict[str, Any]] = {"issue": {"positions": {}}, "option_issue": {"scores": {}}}


# -- parts of edits, for every part --------------------------------------------------------
def visible_row(edit: Edit, kind: str, item_id: str) -> Row:
    """The item's row, if the edit's role may see it (else it does not exist for it)."""
    row = edit.row(kind, item_id)
    if row is None or not may_see(edit.role, row["audience"]):
        raise NotFound(_("no {kind} '{item_id}' in session '{session_id}'").format(
                         kind=kind, item_id=item_id, session_id=edit.session_id))
    return row


def require_party(meta: Mapping[str, Any], party: str, session_id: str) -> None:
    if party not in [p["id"] for p in meta["parties"]]:
        raise InputError(_("'{party}' is not a party of session '{session_id}'").format(
                           party=party, session_id=session_id))


def _rate_or_answer(edit: Edit, row: Row, party: str, importance: int | None, stance: str | None) -> Rated:
    """Rate the goal in ``row``, or, inside an open round on it, answer privately."""
    round_id = covering_round(edit, "goal", row["item_id"])
    if round_id is None:
        return Rated(rate_goal(edit, row, party, importance, stance))
    goal = loads(row["data"])
    previous = previous_answer(edit, round_id, party, "goal", goal["id"])
    put_answer(edit, round_id, party, "goal", goal, rating_answer(goal, party, importance, stance, previous))
    return Rated(int(row["rev"]), round_id)


def rate_goal(edit: Edit, row: Row, party: str, importance: int | None, stance: str | None) -> int:
    """Write ``party``'s rating into the goal in ``row``; returns the goal's revision."""
    before = loads(row["data"])
    ratings = dict(before.get("ratings", {}))
    if importance is None:
        ratings.pop(party, None)
    else:
        if stance is None:
            stance = str(ratings.get(party, {}).get("stance", "neutral"))
        try:
            ratings[party] = Rating(importance=importance, stance=stance).model_dump()
        except ValidationError as exc:
            raise invalid(exc, _("rating of goal '{item_id}' by {party} ({rating_rule})").format(
                                 item_id=row['item_id'], party=party, rating_rule=_(RATING_RULE)),
                          got=f"{importance!r}, {stance!r}") from None
    after = {**before, "ratings": ratings}
    if after == before:
        return int(row["rev"])
    return edit.update(row, after, row["audience"])


def put_position(
    edit: Edit,
    meta: Mapping[str, Any],
    issue_id: str,
    party: str,
    ideal: float | None,
    walk_away: float | None,
) -> None:
    require_party(meta, party, edit.session_id)
    issue = loads(visible_row(edit, "issue", issue_id)["data"])
    key = position_key(issue_id, party)
    old = edit.row(POSITION, key)
    if ideal is None:
        if old is not None:
            edit.delete(old)
        return
    try:
        p = Position(ideal=ideal, walk_away=walk_away)
    except ValidationError as exc:
        raise invalid(exc, _("position of {party} on '{title}'").format(party=party, title=issue['title']),
                      got=f"ideal={ideal!r}, walk_away={walk_away!r}") from None
    after = position_data(issue_id, party, p)
    aud = position_audience(issue["audience"], party)
    if old is None:
        edit.insert(POSITION, key, aud, after)
    elif loads(old["data"]) != after:
        edit.update(old, after, aud)


def with_default_step(issue: NumericIssue) -> NumericIssue:
    """``issue`` with the default probe step if it has none (a facilitator's edit)."""
    if issue.probe_step is not None:
        return issue
    step = default_step(p.ideal for p in issue.positions.values())
    return issue if step is None else issue.model_copy(update={"probe_step": step})


def _default_step_data(edit: Edit, issue_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """An issue's ``data`` as the edit leaves it: with the default probe step when the edit
    is the facilitator's and leaves the issue with two ideals and no step."""
    if edit.role != FACILITATOR or data.get("probe_step") is not None:
        return data
    step = default_step(loads(p["data"])["ideal"] for p in edit.positions(issue_id))
    return data if step is None else {**data, "probe_step": step}


def fix_default_step(edit: Edit, issue_id: str) -> None:
    """Give the issue the default probe step if the edit (a facilitator's) leaves it with two
    ideals and no step."""
    issue = edit.row("issue", issue_id)
    if issue is not None:
        data = loads(issue["data"])
        fixed = _default_step_data(edit, issue_id, data)
        if fixed != data:
            edit.update(issue, fixed, issue["audience"])


def answers_only(edit: Edit) -> None:
    """An edit made of private answers only is journaled as ``answer``."""
    if edit.changes and all(c.kind == ANSWER for c in edit.changes):
        edit.op = ANSWER
