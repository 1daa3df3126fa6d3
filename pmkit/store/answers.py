"""Private answers in a round: what a round is as a role reads it, and a party's answer.

While a round is open on a goal, a numeric issue or an option issue, a party's rating of
that goal (its ideal and walk-away on that issue, its scores on that option issue) is not
written into the item: it is the party's
*answer*, one ``round_answers`` row, until the facilitator reveals the round
(:mod:`pmkit.store.rounds`). The edits (:mod:`pmkit.store.items`) ask
:func:`covering_round` inside their transaction whether a party's write is an answer, and
write it with :func:`put_answer`.

Privacy is in the reads: a role other than the facilitator reads only its own answers, and
only a round's items it may see (``party = role`` and ``audience IN (joint, role)`` in the
query), so another party's or the room's process never loads an answer that is not its
own. An answer's journal change has the answering party as its audience, so no other
party's history holds it either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from pmkit.errors import invalid
from pmkit.i18n import _
from pmkit.model import FACILITATOR, OptionScores, Position, Rating
from pmkit.rules.permissions import authorize_answer
from pmkit.store.db import Row, now
from pmkit.store.edit import Change, Edit
from pmkit.store.rows import dumps, loads
from pmkit.text import number

__all__ = [
    "ANSWER",
    "CANCELLED",
    "OPEN",
    "REVEALED",
    "ROUND",
    "ROUND_ITEM",
    "Answer",
    "Round",
    "answer_change",
    "answer_from_row",
    "answer_key",
    "covering_round",
    "position_answer",
    "previous_answer",
    "put_answer",
    "rating_answer",
]

OPEN, REVEALED, CANCELLED = "open", "revealed", "cancelled"
ROUND, ROUND_ITEM, ANSWER = "round", "round-item", "answer"  # the kinds of their journal changes
ROUND_KINDS = ("goal", "issue", "option_issue")


@dataclass(frozen=True)
class Answer:
    """One party's answer on one item of a round: a rating of a goal, a position on a
    numeric issue, or scores on an option issue."""

    party: str
    kind: str  # "goal", "issue" or "option_issue"
    item_id: str
    at: str
    rating: Rating | None = None
    position: Position | None = None
    option_scores: OptionScores | None = None

    @property
    def text(self) -> str:
        """The answer in a few words: ``4 support``, ``ideal 3, walk-away 5``."""
        if self.rating is not None:
            return f"{self.rating.importance} {self.rating.stance}"
        if self.position is not None:
            wa = self.position.walk_away
            return f"ideal {number(self.position.ideal)}" + ("" if wa is None else f", walk-away {number(wa)}")
        if self.option_scores is not None:
            s = self.option_scores
            text = ", ".join(f"{o} {number(v)}" for o, v in s.scores.items()) + f"; weight {number(s.weight)}"
            return text + (f"; cannot accept {', '.join(s.unacceptable)}" if s.unacceptable else "")
        return "-"


@dataclass(frozen=True)
class Round:
    """A round as one role may read it: the items it may see, the answers it may read
    (the facilitator: all; a party: its own). ``number`` counts the rounds this role sees."""

    round_id: str
    number: int
    state: str  # open, revealed or cancelled
    opened_at: str
    closed_at: str | None
    goals: tuple[str, ...]
    issues: tuple[str, ...]
    answers: tuple[Answer, ...]
    option_issues: tuple[str, ...] = ()

    @property
    def is_open(self) -> bool:
        return self.state == OPEN

    def covers(self, kind: str, item_id: str) -> bool:
        items = {"goal": self.goals, "issue": self.issues, "option_issue": self.option_issues}
        return item_id in items.get(kind, ())

    def answer(self, party: str, kind: str, item_id: str) -> Answer | None:
        return next((a for a in self.answers if (a.party, a.kind, a.item_id) == (party, kind, item_id)), None)

    def answered(self, party: str) -> tuple[Answer, ...]:
        """The answers ``party`` has given (as far as this role may read them)."""
        return tuple(a for a in self.answers if a.party == party)


def answer_from_row(row: Row) -> Answer:
    data = loads(row["data"])
    kind = row["kind"]
    return Answer(
        party=row["party"],
        kind=kind,
        item_id=row["item_id"],
        at=row["at"],
        rating=Rating(**data) if kind == "goal" else None,
        position=Position(**data) if kind == "issue" else None,
        option_scores=OptionScores.model_validate(data) if kind == "option_issue" else None,
    )


def answer_key(round_id: str, party: str, kind: str, item_id: str) -> str:
    """The journal's item id of an answer."""
    return f"{round_id}/{party}/{kind}/{item_id}"


def covering_round(edit: Edit, kind: str, item_id: str) -> str | None:
    """The id of the open round that makes ``edit``'s write on this item a private answer:
    an open round covering it, when the edit is a party's (the facilitator's edits always
    go to the item)."""
    if edit.role == FACILITATOR:
        return None
    row = edit.tx.one(
        "SELECT r.round_id FROM rounds r JOIN round_items i ON i.session_id = r.session_id AND i.round_id = r.round_id "
        "WHERE r.session_id = ? AND r.state = ? AND i.kind = ? AND i.item_id = ?",
        (edit.session_id, OPEN, kind, item_id),
    )
    return None if row is None else str(row["round_id"])


def _answer_row(edit: Edit, round_id: str, party: str, kind: str, item_id: str) -> Row | None:
    return edit.tx.one(
        "SELECT party, kind, item_id, data, at FROM round_answers "
        "WHERE session_id = ? AND round_id = ? AND party = ? AND kind = ? AND item_id = ?",
        (edit.session_id, round_id, party, kind, item_id),
    )


def previous_answer(edit: Edit, round_id: str, party: str, kind: str, item_id: str) -> dict[str, Any] | None:
    row = _answer_row(edit, round_id, party, kind, item_id)
    return None if row is None else dict(loads(row["data"]))


def rating_answer(goal: dict[str, Any], party: str, importance: int | None, stance: str | None,
                  previous: dict[str, Any] | None) -> dict[str, Any] | None:
    """An answer's data for a rating (None: no answer). Stance ``None`` keeps the previous
    answer's, else the goal's published one, else neutral."""
    if importance is None:
        return None
    if stance is None:
        published = goal.get("ratings", {}).get(party, {})
        stance = str((previous or published).get("stance", "neutral"))
    return _checked(Rating, _("answer on goal '{goal}' by {party}: importance must be 0-5 and stance support, "
                              "neutral or oppose").format(
                              goal=goal.get('id'), party=party), importance=importance, stance=stance)


def position_answer(issue: dict[str, Any], party: str, ideal: float | None,
                    walk_away: float | None) -> dict[str, Any] | None:
    """An answer's data for a position (None: no answer)."""
    if ideal is None:
        return None
    return _checked(Position, _("answer on '{issue}' by {party}").format(
                                issue=issue.get('title'), party=party), ideal=ideal, walk_away=walk_away)


def _checked(model: type[Rating] | type[Position], what: str, **fields: Any) -> dict[str, Any]:
    """``fields`` as ``model`` validates them, or one :class:`InputError` line naming ``what``."""
    try:
        return model(**fields).model_dump()
    except ValidationError as exc:
        raise invalid(exc, what, got=", ".join(f"{k}={v!r}" for k, v in fields.items())) from None


def put_answer(edit: Edit, round_id: str, party: str, kind: str, item: dict[str, Any],
               data: dict[str, Any] | None) -> None:
    """Write (``data``) or withdraw (``None``) ``party``'s answer on ``item`` in the round,
    and record it in ``edit`` with the party as its audience."""
    authorize_answer(edit.role, party)
    item_id = str(item["id"])
    old = _answer_row(edit, round_id, party, kind, item_id)
    before = None if old is None else loads(old["data"])
    if before == data:
        return
    where = (edit.session_id, round_id, party, kind, item_id)
    if data is None:
        edit.tx.run("DELETE FROM round_answers WHERE session_id = ? AND round_id = ? AND party = ? "
                    "AND kind = ? AND item_id = ?", where)
    elif old is None:
        edit.tx.run("INSERT INTO round_answers (session_id, round_id, party, kind, item_id, data, at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)", (*where, dumps(data), now()))
    else:
        edit.tx.run("UPDATE round_answers SET data = ?, at = ? WHERE session_id = ? AND round_id = ? "
                    "AND party = ? AND kind = ? AND item_id = ?", (dumps(data), now(), *where))
    edit.changes.append(answer_change(round_id, party, kind, item, before, data))


def answer_change(round_id: str, party: str, kind: str, item: dict[str, Any],
                  before: dict[str, Any] | None, after: dict[str, Any] | None) -> Change:
    """The journal change of an answer given, changed or dropped: seen by its party only
    (and the facilitator)."""
    head = {"round": round_id, "party": party, "kind": kind, "item": item["id"], "title": item.get("title", "")}
    return Change(ANSWER, answer_key(round_id, party, kind, str(item["id"])), party, party,
                  None if before is None else {**head, **before}, None if after is None else {**head, **after})
