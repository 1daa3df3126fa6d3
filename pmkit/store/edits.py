"""The edits: create or import a session, add, change and delete items, ratings, positions.

Each public method is one edit (:class:`pmkit.store.journal.Edit`): one transaction, one new
version of the session, one journal entry holding every change it made, undone whole. An
issue added with its positions, a weighing's ratings of several goals, an issue deleted
with its positions: each is one edit. Everything is checked (who may write it:
:mod:`pmkit.rules.permissions`; whether it is valid) inside the transaction, before the edit is
journaled, and a refused edit writes nothing.

**The probe step.** A facilitator's edit that leaves a numeric issue with the ideals of two
parties and no ``probe_step`` (creating or importing a session, adding or changing the
issue, setting a position on it) fixes the default step in the same edit
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

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pmkit.errors import ConflictError, InputError, NotFound
from pmkit.formats.yaml_file import read_session_file
from pmkit.model import FACILITATOR, JOINT, NumericIssue, Position, Rating, Session, new_item_id, plan_key
from pmkit.rules.permissions import (
    authorize_add,
    authorize_facilitator,
    authorize_position,
    authorize_rating,
    authorize_update,
)
from pmkit.rules.probe_steps import default_step
from pmkit.rules.visibility import may_see, position_audience
from pmkit.store.answers import ANSWER, covering_round, position_answer, previous_answer, put_answer, rating_answer
from pmkit.store.db import Row, now
from pmkit.store.journal import Change, Edit, Journal
from pmkit.store.rows import (
    ITEM_COLUMNS,
    PLAN,
    POSITION,
    check_party_refs,
    dumps,
    item_data,
    kind_class,
    loads,
    new_session_id,
    plan_rows,
    position_data,
    position_key,
    session_meta,
    session_rows,
    validate,
)

__all__ = ["Edits", "Rated"]


@dataclass(frozen=True)
class Rated:
    """What a rating did: the goal's revision, and the round it was a private answer in
    (``None``: it was written into the goal)."""

    rev: int
    round_id: str | None = None

    @property
    def private(self) -> bool:
        return self.round_id is not None


class Edits(Journal):
    """The edits of :class:`pmkit.store.Workspace`."""

    def create(self, session: Session, *, source: str = "new") -> str:
        """Store a new session (version 1, one journal entry); returns its id. Issues with
        two ideals and no probe step get the default step."""
        sid = new_session_id()
        session = session.model_copy(update={"issues": [_with_default_step(i) for i in session.issues]})
        t = now()
        with self._db.write(sid) as tx:
            tx.run(
                "INSERT INTO sessions (id, title, description, meta, version, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, 1, ?, ?)",
                (sid, session.title, session.description, dumps(session_meta(session)), t, t),
            )
            tx.many(f"INSERT INTO items ({ITEM_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)", session_rows(sid, session))
            tx.many("INSERT INTO disclosure_plan (session_id, kind, item_id, audience, rev, data) "
                    "VALUES (?, ?, ?, ?, ?, ?)", plan_rows(sid, session))
            edit = Edit(tx, sid, FACILITATOR, source)
            edit.mark("session", sid)
            edit.finish(self.actor, version=1)
        return sid

    def import_file(self, path: str | Path) -> str:
        return self.create(read_session_file(path), source="import")

    def set_titles(
        self,
        session_id: str,
        *,
        title: str | None = None,
        joint_title: str | None = None,
        description: str | None = None,
        role: str,
    ) -> None:
        """Change the working title, the title for everyone (``""``: the neutral default) or
        the working note; the facilitator only. One edit, op ``retitle`` (not undone by
        :meth:`undo`: set it again). Its changes are journaled apart: the working title and
        note as the facilitator's, the title for everyone as everyone's."""
        authorize_facilitator(role, "change the session's titles")
        with self._edit(session_id, role, "retitle") as edit:
            row = edit.tx.one("SELECT title, description, meta FROM sessions WHERE id = ?", (session_id,))
            if row is None:
                raise self._no_session(session_id)
            meta = loads(row["meta"])
            working = {"title": row["title"], "description": row["description"]}
            joint = {"joint_title": meta.get("joint_title", "")}
            new = validate(Session, {
                "title": working["title"] if title is None else title,
                "description": working["description"] if description is None else description,
                "joint_title": joint["joint_title"] if joint_title is None else joint_title,
            }, "session")
            new_working = {"title": new.title, "description": new.description}
            if new_working != working:
                edit.tx.run("UPDATE sessions SET title = ?, description = ? WHERE id = ?",
                            (new.title, new.description, session_id))
                edit.changes.append(Change("session", session_id, FACILITATOR, FACILITATOR, working, new_working))
            if new.joint_title != joint["joint_title"]:
                edit.tx.run("UPDATE sessions SET meta = ? WHERE id = ?",
                            (dumps({**meta, "joint_title": new.joint_title}), session_id))
                after = {"joint_title": new.joint_title}
                edit.changes.append(Change("session", session_id, JOINT, JOINT, joint, after))

    def add_item(self, session_id: str, kind: str, item: dict[str, Any] | Any, *, role: str) -> str:
        """Add a goal, issue (with its positions), agreement, action or note; returns its id."""
        cls = kind_class(kind)
        if not isinstance(item, dict) and not hasattr(item, "model_dump"):
            raise InputError(f"a {kind} must be a mapping of its fields, got {type(item).__name__}")
        data = dict(item if isinstance(item, dict) else item.model_dump())
        if not data.get("id"):
            data["id"] = new_item_id(kind)
        obj = validate(cls, data, kind)  # positions too: all is checked before anything is written
        if isinstance(obj, NumericIssue) and role == FACILITATOR:
            obj = _with_default_step(obj)
        with self._edit(session_id, role, "add") as edit:
            meta = self._check_role(session_id, role)
            check_party_refs(meta, obj)
            authorize_add(role, kind, obj)
            if edit.row(kind, obj.id) is not None:
                raise InputError(f"a {kind} with id '{obj.id}' exists already in '{session_id}'")
            edit.insert(kind, obj.id, obj.audience, item_data(kind, obj))
            if isinstance(obj, NumericIssue):
                for party, p in obj.positions.items():
                    self._put_position(edit, meta, obj.id, party, p.ideal, p.walk_away)
        return str(obj.id)

    def update_item(
        self,
        session_id: str,
        kind: str,
        item_id: str,
        changes: dict[str, Any],
        *,
        role: str,
        base_rev: int | None = None,
    ) -> int:
        """Change fields of an item; returns its new revision."""
        cls = kind_class(kind)
        if "id" in changes and changes["id"] != item_id:
            raise InputError("an item's id cannot be changed")
        if kind == "issue" and "positions" in changes:
            raise InputError("set positions with set_position, one party at a time")
        with self._edit(session_id, role, "update") as edit:
            meta = self._check_role(session_id, role)
            row = self._visible_row(edit, kind, item_id)
            if base_rev is not None and row["rev"] != base_rev:
                raise ConflictError(
                    f"{kind} '{item_id}' was changed by someone else (revision {row['rev']}, "
                    f"you edited {base_rev}); reload it and apply your edit again"
                )
            before = loads(row["data"])
            merged = {**before, **changes}
            obj = validate(cls, merged if kind != "issue" else {**merged, "positions": {}}, kind)
            check_party_refs(meta, obj)
            authorize_update(role, kind)
            after = item_data(kind, obj)
            if kind == "issue":
                after = _default_step_data(edit, item_id, after)
            if after == before:
                return int(row["rev"])
            return edit.update(row, after, obj.audience)

    def set_rating(
        self,
        session_id: str,
        goal_id: str,
        party: str,
        importance: int | None,
        stance: str = "neutral",
        *,
        role: str,
    ) -> int:
        """Set (or with ``importance=None`` clear) one party's rating of a goal; returns the
        goal's revision. A party's rating of a goal in an open round is its private answer."""
        return self.rate(session_id, goal_id, party, importance, stance, role=role).rev

    def rate(
        self,
        session_id: str,
        goal_id: str,
        party: str,
        importance: int | None,
        stance: str | None = "neutral",
        *,
        role: str,
    ) -> Rated:
        """:meth:`set_rating`, saying whether the rating went into the goal or, inside an open
        round on the goal, became ``party``'s private answer (withdrawn with ``None``)."""
        authorize_rating(role, party)
        with self._edit(session_id, role, "update") as edit:
            meta = self._check_role(session_id, role)
            self._require_party(meta, party, session_id)
            rated = self._rate_or_answer(edit, self._visible_row(edit, "goal", goal_id), party, importance, stance)
            _answers_only(edit)
            return rated

    def set_ratings(
        self,
        session_id: str,
        party: str,
        ratings: Mapping[str, tuple[int | None, str | None]],
        *,
        role: str,
    ) -> int:
        """Set several of ``party``'s ratings in one edit: ``{goal id: (importance, stance)}``,
        importance ``None`` clears the rating, stance ``None`` keeps the goal's (neutral when it
        was not rated). Every goal must be one the party may see. Returns how many changed."""
        authorize_rating(role, party)
        with self._edit(session_id, role, "update") as edit:
            meta = self._check_role(session_id, role)
            self._require_party(meta, party, session_id)
            for goal_id, (importance, stance) in ratings.items():
                row = self._visible_row(edit, "goal", goal_id)
                if not may_see(party, row["audience"]):
                    raise NotFound(f"goal '{goal_id}' is gone or not visible to '{party}'; nothing was saved")
                self._rate_or_answer(edit, row, party, importance, stance)
            _answers_only(edit)
            return len(edit.changes)

    def set_position(
        self,
        session_id: str,
        issue_id: str,
        party: str,
        ideal: float | None,
        walk_away: float | None = None,
        *,
        role: str,
    ) -> str | None:
        """Set (or with ``ideal=None`` clear) one party's ideal and walk-away on an issue.
        A party's position on an issue in an open round is its private answer: then the
        round's id is returned (else ``None``)."""
        authorize_position(role, party)
        with self._edit(session_id, role, "update") as edit:
            meta = self._check_role(session_id, role)
            round_id = covering_round(edit, "issue", issue_id)
            if round_id is not None:
                self._require_party(meta, party, session_id)
                issue = loads(self._visible_row(edit, "issue", issue_id)["data"])
                put_answer(edit, round_id, party, "issue", issue, position_answer(issue, party, ideal, walk_away))
                _answers_only(edit)
                return round_id
            self._put_position(edit, meta, issue_id, party, ideal, walk_away)
            fix_default_step(edit, issue_id)
            if edit.changes:
                edit.op = edit.changes[0].op
            return None

    def delete_item(self, session_id: str, kind: str, item_id: str, *, role: str) -> None:
        """Delete an item, an issue with its positions, an item with its disclosure plan entry
        (the facilitator only; undo brings all of it back)."""
        kind_class(kind)
        authorize_facilitator(role, "delete items")
        with self._edit(session_id, role, "delete") as edit:
            self._check_role(session_id, role)
            edit.delete(self._visible_row(edit, kind, item_id))
            if kind == "issue":
                for p in edit.positions(item_id):
                    edit.delete(p)
            entry = edit.row(PLAN, plan_key(kind, item_id))
            if entry is not None:  # a new item given the same id later starts undecided
                edit.delete(entry)

    # -- parts of edits ----------------------------------------------------------------------
    @staticmethod
    def _visible_row(edit: Edit, kind: str, item_id: str) -> Row:
        """The item's row, if the edit's role may see it (else it does not exist for it)."""
        row = edit.row(kind, item_id)
        if row is None or not may_see(edit.role, row["audience"]):
            raise NotFound(f"no {kind} '{item_id}' in session '{edit.session_id}'")
        return row

    @staticmethod
    def _require_party(meta: Mapping[str, Any], party: str, session_id: str) -> None:
        if party not in [p["id"] for p in meta["parties"]]:
            raise InputError(f"'{party}' is not a party of session '{session_id}'")

    def _rate_or_answer(self, edit: Edit, row: Row, party: str, importance: int | None,
                        stance: str | None) -> Rated:
        """Rate the goal in ``row``, or, inside an open round on it, answer privately."""
        round_id = covering_round(edit, "goal", row["item_id"])
        if round_id is None:
            return Rated(self._rate(edit, row, party, importance, stance))
        goal = loads(row["data"])
        previous = previous_answer(edit, round_id, party, "goal", goal["id"])
        put_answer(edit, round_id, party, "goal", goal, rating_answer(goal, party, importance, stance, previous))
        return Rated(int(row["rev"]), round_id)

    @staticmethod
    def _rate(edit: Edit, row: Row, party: str, importance: int | None, stance: str | None) -> int:
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
                raise InputError(
                    f"rating of goal '{row['item_id']}' by {party}: importance must be 0-5 and stance "
                    f"support, neutral or oppose (got {importance!r}, {stance!r}): {exc.errors()[0]['msg']}"
                ) from None
        after = {**before, "ratings": ratings}
        if after == before:
            return int(row["rev"])
        return edit.update(row, after, row["audience"])

    def _put_position(
        self,
        edit: Edit,
        meta: Mapping[str, Any],
        issue_id: str,
        party: str,
        ideal: float | None,
        walk_away: float | None,
    ) -> None:
        self._require_party(meta, party, edit.session_id)
        issue = loads(self._visible_row(edit, "issue", issue_id)["data"])
        key = position_key(issue_id, party)
        old = edit.row(POSITION, key)
        if ideal is None:
            if old is not None:
                edit.delete(old)
            return
        try:
            p = Position(ideal=ideal, walk_away=walk_away)
        except ValidationError as exc:
            raise InputError(
                f"position of {party} on '{issue['title']}': {exc.errors()[0]['msg']} "
                f"(got ideal={ideal!r}, walk_away={walk_away!r})"
            ) from None
        after = position_data(issue_id, party, p)
        aud = position_audience(issue["audience"], party)
        if old is None:
            edit.insert(POSITION, key, aud, after)
        elif loads(old["data"]) != after:
            edit.update(old, after, aud)


def _with_default_step(issue: NumericIssue) -> NumericIssue:
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


def _answers_only(edit: Edit) -> None:
    """An edit made of private answers only is journaled as ``answer``."""
    if edit.changes and all(c.kind == ANSWER for c in edit.changes):
        edit.op = ANSWER
