"""The edit unit: one entry per edit, each with the changes it made.

An :class:`Edit` is one edit in progress: the write transaction, and the changes it makes
through it (an item added, changed or deleted). When the edit's block ends, the session's
version goes up by one and one journal entry is appended with all its changes; an edit that
changed nothing writes nothing. Every change to a session goes through an edit, so an edit
is never half applied, never split over several versions, and :meth:`Journal.undo` reverts
it whole (:mod:`pmkit.store.journal`). (The meeting state beside the session,
:mod:`pmkit.store.meeting`, is no edit.) A change may also be of something beside the items
(a round opened or revealed, a private answer: :mod:`pmkit.store.rounds`); the part that owns
such a kind of change registers how to undo it with the journal.

An edit changes rows of ``items`` and of ``disclosure_plan`` (kind ``plan``, the disclosure
plan's entries: :mod:`pmkit.store.disclosure_plan`); both have the same shape, and :data:`TABLES` says
which kind lives where.

The tables (both append-only: triggers refuse ``UPDATE`` and ``DELETE``)::

    journal          seq, session_id, version, at, actor, role, op, undoes
    journal_changes  seq -> journal, n (order in the edit), kind, item_id,
                     audience_before, audience_after, before, after (the item's data as JSON)

A change is seen by a role that may see the item both before and after it (a change with
no audience, such as the session's own, is seen by everyone). A party's history holds an
entry only if it may see at least one of its changes, and only those changes: the query
leaves the others out, so they never reach a party's process. A position's audience
follows its issue's and is not journaled: it is set again whenever the issue's changes (so
does the audience of a party's scores on an option issue).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pmkit.model import FACILITATOR, ITEM_KINDS, PlanEntry
from pmkit.rules.disclosure_plan import decision_text
from pmkit.rules.permissions import Actor
from pmkit.rules.visibility import position_audience
from pmkit.store.db import Row, Tx, now
from pmkit.store.rows import ITEM_COLUMNS, OPTION_SCORES, PLAN, POSITION, RESERVATION, dumps, loads

__all__ = ["ENTRY_COLUMNS", "ITEM_CHANGE_KINDS", "TABLES", "Change", "Edit", "JournalEntry", "entries"]

_ITEM = "session_id = ? AND kind = ? AND item_id = ?"
TABLES = {PLAN: "disclosure_plan"}  # kind -> table; every other kind is a row of ``items``
# the kinds of changes that undo writes back (to the items, or to the plan's table)
ITEM_CHANGE_KINDS = (*ITEM_KINDS, POSITION, OPTION_SCORES, RESERVATION, PLAN)


_PRIVATE_OF = {"issue": POSITION, "option_issue": OPTION_SCORES}  # an item -> its parties' private rows


def _table(kind: str) -> str:
    return TABLES.get(kind, "items")


@dataclass(frozen=True)
class Change:
    """One item as it was and as it became (``None``: it did not exist)."""

    kind: str
    item_id: str
    audience_before: str | None
    audience_after: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @property
    def op(self) -> str:
        return "add" if self.before is None else "delete" if self.after is None else "update"

    @property
    def summary(self) -> str:
        """What changed on which item, in a few words; a plan entry says the decision and who
        recorded it ("plan 'goal/x': disclose now, recorded by the facilitator on behalf of
        management")."""
        data = self.after or self.before or {}
        if self.kind == PLAN and self.after:
            return f"{self.kind} '{self.item_id}': {_decision_words(self.after, self.audience_after)}"
        if self.kind == PLAN and self.before:  # carried out by a disclosure (or undone)
            return f"{self.kind} '{self.item_id}': was {_decision_words(self.before, self.audience_before)}"
        name = data.get("title") or data.get("text") or self.item_id
        if self.before and self.after:
            changed = sorted(k for k in {**self.before, **self.after} if self.after.get(k) != self.before.get(k))
            return f"{self.kind} '{name}': {', '.join(changed) or 'no change'}"
        return f"{self.kind} '{name}'"


def _decision_words(data: dict[str, Any], audience: str | None) -> str:
    """A plan entry's decision and who recorded it; the owner is the party the entry was
    written for (a goal for the facilitator alone: its owner is not known here)."""
    entry = PlanEntry.model_validate(data)
    words = decision_text(entry)
    if entry.affected_from:
        words += f"; customer affected from {entry.affected_from}"
    if entry.recorded_by == FACILITATOR:
        words += ", recorded by the facilitator" + (f" on behalf of {audience}" if audience != FACILITATOR else "")
    return words


@dataclass(frozen=True)
class JournalEntry:
    """One edit: who made it, when, which version it made, and its changes (as a role may
    see them). ``kind``, ``item_id``, ``before`` and ``after`` are its first change's."""

    seq: int
    session_id: str
    version: int
    at: str
    actor: str
    role: str
    op: str
    undoes: int | None
    changes: tuple[Change, ...]

    kind: str = field(init=False)
    item_id: str = field(init=False)
    before: dict[str, Any] | None = field(init=False)
    after: dict[str, Any] | None = field(init=False)

    def __post_init__(self) -> None:
        first = self.changes[0] if self.changes else Change("session", self.session_id, None, None, None, None)
        for name in ("kind", "item_id", "before", "after"):
            object.__setattr__(self, name, getattr(first, name))

    @property
    def summary(self) -> str:
        """What the edit changed: its first three changes, and how many more."""
        text = "; ".join(c.summary for c in self.changes[:3])
        more = len(self.changes) - 3
        return text + (f" and {more} more" if more > 0 else "")


class Edit:
    """One edit in progress; its item operations write the rows and record the changes.
    Made by :meth:`pmkit.store.core.Core.edit`, which journals it when the block ends."""

    def __init__(self, tx: Tx, session_id: str, role: str, op: str, actor: Actor | None = None) -> None:
        self.tx = tx
        self.actor = actor or Actor(role)
        self.session_id = session_id
        self.role = role
        self.op = op
        self.changes: list[Change] = []
        self.undoes: int | None = None
        self.version: int | None = None  # the version it made, once journaled

    def row(self, kind: str, item_id: str) -> Row | None:
        return self.tx.one(f"SELECT * FROM {_table(kind)} WHERE {_ITEM}", (self.session_id, kind, item_id))

    def insert(self, kind: str, item_id: str, audience: str, data: dict[str, Any]) -> None:
        if _table(kind) != "items":
            self.tx.run(f"INSERT INTO {_table(kind)} (session_id, kind, item_id, audience, rev, data) "
                        "VALUES (?, ?, ?, ?, 1, ?)", (self.session_id, kind, item_id, audience, dumps(data)))
        else:
            pos = self.tx.one("SELECT coalesce(max(pos), 0) + 1 AS pos FROM items WHERE session_id = ?",
                              (self.session_id,))
            self.tx.run(
                f"INSERT INTO items ({ITEM_COLUMNS}) VALUES (?, ?, ?, ?, ?, 1, ?)",
                (self.session_id, kind, item_id, int(pos["pos"]) if pos else 1, audience, dumps(data)),
            )
        self.changes.append(Change(kind, item_id, None, audience, None, data))
        if kind in _PRIVATE_OF:
            self._sync_positions(item_id, audience, _PRIVATE_OF[kind])

    def update(self, row: Row, data: dict[str, Any], audience: str) -> int:
        """Replace an item's data and audience; returns its new revision."""
        kind, item_id = row["kind"], row["item_id"]
        self.tx.run(f"UPDATE {_table(kind)} SET data = ?, audience = ?, rev = rev + 1 WHERE {_ITEM}",
                    (dumps(data), audience, self.session_id, kind, item_id))
        self.changes.append(Change(kind, item_id, row["audience"], audience, loads(row["data"]), data))
        if kind in _PRIVATE_OF and audience != row["audience"]:
            self._sync_positions(item_id, audience, _PRIVATE_OF[kind])
        return int(row["rev"]) + 1

    def delete(self, row: Row) -> None:
        kind, item_id = row["kind"], row["item_id"]
        self.tx.run(f"DELETE FROM {_table(kind)} WHERE {_ITEM}", (self.session_id, kind, item_id))
        self.changes.append(Change(kind, item_id, row["audience"], None, loads(row["data"]), None))

    def mark(self, kind: str, item_id: str) -> None:
        """A change that is no item's (the session made, its links revoked): seen by everyone."""
        self.changes.append(Change(kind, item_id, None, None, None, None))

    def positions(self, issue_id: str, kind: str = POSITION) -> list[Row]:
        """The rows of every position on an issue (``kind`` :data:`OPTION_SCORES`: of every
        party's scores on an option issue)."""
        prefix = f"{issue_id}/"
        return self.tx.all(
            "SELECT * FROM items WHERE session_id = ? AND kind = ? AND substr(item_id, 1, ?) = ?",
            (self.session_id, kind, len(prefix), prefix),
        )

    def _sync_positions(self, issue_id: str, issue_audience: str, kind: str) -> None:
        """Give the positions on an issue (or the scores on an option issue) the audiences its
        audience implies."""
        for p in self.positions(issue_id, kind):
            aud = position_audience(issue_audience, loads(p["data"])["party"])
            if aud != p["audience"]:
                self.tx.run(f"UPDATE items SET audience = ?, rev = rev + 1 WHERE {_ITEM}",
                            (aud, self.session_id, kind, p["item_id"]))

    def finish(self, actor: str, version: int | None = None) -> None:
        """Journal the edit: one version (the next, unless given), one entry, its changes."""
        if not self.changes:
            return
        if version is None:
            self.tx.run("UPDATE sessions SET version = version + 1, updated_at = ? WHERE id = ?",
                        (now(), self.session_id))
            row = self.tx.one("SELECT version FROM sessions WHERE id = ?", (self.session_id,))
            version = int(row["version"]) if row else 0
        self.version = version
        seq = self.tx.insert(
            "INSERT INTO journal (session_id, version, at, actor, role, op, undoes) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (self.session_id, version, now(), actor, self.role, self.op, self.undoes),
        )
        self.tx.notify(self.session_id)
        self.tx.many(
            "INSERT INTO journal_changes (seq, n, kind, item_id, audience_before, audience_after, before, after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(seq, n, c.kind, c.item_id, c.audience_before, c.audience_after,
              None if c.before is None else dumps(c.before), None if c.after is None else dumps(c.after))
             for n, c in enumerate(self.changes)],
        )


ENTRY_COLUMNS = (
    "j.seq, j.session_id, j.version, j.at, j.actor, j.role, j.op, j.undoes, "
    "c.kind, c.item_id, c.audience_before, c.audience_after, c.before, c.after"
)


def entries(rows: Sequence[Row]) -> list[JournalEntry]:
    """Journal entries from rows of journal joined with their changes, in order."""
    out: list[JournalEntry] = []
    head: Row | None = None
    changes: list[Change] = []
    for r in [*rows, None]:
        if head is not None and (r is None or r["seq"] != head["seq"]):
            out.append(JournalEntry(head["seq"], head["session_id"], head["version"], head["at"], head["actor"],
                                    head["role"], head["op"], head["undoes"], tuple(changes)))
            changes = []
        if r is None:
            break
        head = r
        changes.append(Change(r["kind"], r["item_id"], r["audience_before"], r["audience_after"],
                              loads(r["before"]), loads(r["after"])))
    return out


