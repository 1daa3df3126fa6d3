"""Improving an agreement once it is made: the agreed terms, the facilitator's proposals and
each party's private answer to them.

The facilitator records the **terms** the parties agreed on (:meth:`Settlement.agree`), a
package of joint items as :class:`pmkit.analytics.settlement.Terms` writes it. It may then
**propose** other terms (:meth:`Settlement.propose`), at most ``budget`` per agreement (the
``settle_proposals`` setting, fixed when the agreement is recorded). Each party **answers**
accept or reject (:meth:`Settlement.answer`); an answer may be changed until every party
has answered. The answer that completes the set decides the proposal in the same edit:
``accepted`` when every party accepted, and then the proposal's terms replace the agreed
ones; ``not accepted`` otherwise. The facilitator may **withdraw** an open proposal (it
still counts against the budget: the parties have seen it).

The tables (migration 20 of :mod:`pmkit.store.db`)::

    settlements         session_id, data (the terms, the agreement's number, the budget and
                        the proposals with their state, as JSON: what every role may read)
    settlement_answers  session_id, proposal ("AGREEMENT.N"), party, accept, at

**What a party may read.** The terms, the proposals and their outcome (``accepted`` or ``not
accepted``), and its own answers: the query that reads answers filters by party, so another
party's answer never reaches its process, not even after the outcome. The journal holds the
same: the changes of the settlement (kind ``settlement``) are joint; an answer's change
(kind ``settlement-answer``) has its party's audience, so no other party's history holds
it. The facilitator reads every answer. The outcome never says who rejected. What a party
can learn from all this, and the bound on it, is in ``docs/settlement.md``.

Every step is one edit (``op`` ``settle-agree``, ``settle-propose``, ``settle-answer``,
``settle-withdraw``); undo reverts each whole (:meth:`Settlement.undo_change`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pmkit import settings
from pmkit.errors import AccessDenied, ConflictError, InputError, NotFound
from pmkit.i18n import _
from pmkit.model import FACILITATOR, JOINT, ROOM
from pmkit.rules.permissions import Actor, as_actor, authorize_facilitator
from pmkit.store.core import Core, Part
from pmkit.store.db import Tx, now
from pmkit.store.edit import Change, Edit, JournalEntry
from pmkit.store.rows import dumps, loads

__all__ = ["ACCEPTED", "NOT_ACCEPTED", "OPEN", "UNDONE_HERE", "Proposal", "Settlement", "SettlementState"]

SETTLEMENT = "settlement"
SETTLEMENT_ANSWER = "settlement-answer"
UNDONE_HERE = (SETTLEMENT, SETTLEMENT_ANSWER)  # the kinds of changes :meth:`Settlement.undo_change` undoes
OPEN, ACCEPTED, NOT_ACCEPTED, WITHDRAWN = "open", "accepted", "not accepted", "withdrawn"
ANSWERS = {"accept": True, "reject": False}


@dataclass(frozen=True)
class Proposal:
    number: int  # 1, 2, ... within the agreement
    terms: dict[str, Any]
    state: str  # open, accepted, not accepted, withdrawn
    answers: tuple[tuple[str, bool], ...]  # (party, accepted) the reader may see: its own; the facilitator's: all

    def answer(self, party: str) -> bool | None:
        return next((a for p, a in self.answers if p == party), None)


@dataclass(frozen=True)
class SettlementState:
    agreement: int  # how many agreements were recorded (0: none yet)
    terms: dict[str, Any] | None  # the agreed terms, as they stand
    budget: int  # proposals allowed for this agreement
    proposals: tuple[Proposal, ...]  # this agreement's

    @property
    def left(self) -> int:
        return max(0, self.budget - len(self.proposals))

    @property
    def open(self) -> Proposal | None:
        return next((p for p in self.proposals if p.state == OPEN), None)


class Settlement(Part):
    """The agreed terms and their proposed improvements: part of :class:`pmkit.store.Workspace`."""

    def __init__(self, core: Core) -> None:
        super().__init__(core)

    # -- reads -----------------------------------------------------------------------------
    def status(self, session_id: str, role: str) -> SettlementState:
        """The agreement as ``role`` may know it: the terms and proposals, and the answers it
        may read (a party: its own; the facilitator: all; the room: none)."""
        self.core.check_role(session_id, role)
        rows = self._db.read("SELECT data FROM settlements WHERE session_id = ?", (session_id,))
        data = loads(rows[0]["data"]) if rows else None
        if data is None:
            return SettlementState(0, None, 0, ())
        sql = "SELECT proposal, party, accept FROM settlement_answers WHERE session_id = ?"
        args: tuple[str, ...] = (session_id,)
        if role != FACILITATOR:  # filtered by the query: a party's process reads its own answers only
            sql += " AND party = ?"
            args += (role,)
        found = [] if role == ROOM else self._db.read(sql + " ORDER BY proposal, party", args)
        given: dict[str, list[tuple[str, bool]]] = {}
        for r in found:
            given.setdefault(str(r["proposal"]), []).append((str(r["party"]), bool(r["accept"])))
        agreement = int(data["agreement"])
        return SettlementState(agreement, data["terms"], int(data["budget"]), tuple(
            Proposal(int(p["number"]), p["terms"], str(p["state"]),
                     tuple(given.get(_key(agreement, int(p["number"])), ())))
            for p in data["proposals"]))

    # -- edits -----------------------------------------------------------------------------
    def agree(self, session_id: str, terms: dict[str, Any], *, role: str | Actor = FACILITATOR) -> SettlementState:
        """Record the terms the parties agreed on (a new agreement, with a fresh budget of
        proposals). Refused while a proposal is open."""
        authorize_facilitator(as_actor(role).role, "record an agreement")
        budget = int(settings.number("settle_proposals", 0, 100))
        with self.core.edit(session_id, role, "settle-agree") as edit:
            self.core.check_role(session_id, role)
            before = _data(edit.tx, session_id)
            if before is not None and _open(before) is not None:
                raise ConflictError(_("proposal {open} is open; withdraw it (`pmkit settle withdraw {session_id}`) "
                                      "before recording another agreement").format(
                                      open=_open(before), session_id=session_id))
            number = int(before["agreement"]) + 1 if before else 1
            _put(edit, before, {"agreement": number, "terms": terms, "budget": budget, "proposals": []})
        return self.status(session_id, FACILITATOR)

    def propose(self, session_id: str, terms: dict[str, Any], *, role: str | Actor = FACILITATOR) -> SettlementState:
        """Propose ``terms`` in place of the agreed ones; each party answers privately."""
        authorize_facilitator(as_actor(role).role, "propose an improvement")
        with self.core.edit(session_id, role, "settle-propose") as edit:
            self.core.check_role(session_id, role)
            before = _agreed(edit.tx, session_id)
            if _open(before) is not None:
                raise ConflictError(_("proposal {open} is still open: every party answers it, or withdraw it").format(
                                      open=_open(before)))
            if len(before["proposals"]) >= int(before["budget"]):
                raise InputError(_("no proposals left for this agreement: its budget of {budget} is spent "
                                   "(settle_proposals; each proposal may tell a party something about the others)")
                                   .format(budget=before['budget']))
            if terms == before["terms"]:
                raise InputError(_("the proposal is the agreed terms themselves; propose an improvement"))
            number = len(before["proposals"]) + 1
            _put(edit, before, {**before, "proposals": [*before["proposals"],
                                                        {"number": number, "terms": terms, "state": OPEN}]})
        return self.status(session_id, FACILITATOR)

    def withdraw(self, session_id: str, *, role: str | Actor = FACILITATOR) -> SettlementState:
        """Close the open proposal unanswered; it still counts against the budget."""
        authorize_facilitator(as_actor(role).role, "withdraw a proposal")
        with self.core.edit(session_id, role, "settle-withdraw") as edit:
            self.core.check_role(session_id, role)
            before = _agreed(edit.tx, session_id)
            number = _open(before)
            if number is None:
                raise NotFound(_("no proposal is open in session '{session_id}'").format(session_id=session_id))
            _put(edit, before, _decided(before, number, WITHDRAWN))
        return self.status(session_id, FACILITATOR)

    def answer(self, session_id: str, accept: bool, *, role: str | Actor) -> SettlementState:
        """``role``'s private answer to the open proposal. The answer completing the set
        decides it: accepted by all replaces the agreed terms, in this same edit."""
        party = as_actor(role).role
        with self.core.edit(session_id, role, "settle-answer") as edit:
            meta = self.core.check_role(session_id, role)
            parties = [str(p["id"]) for p in meta["parties"]]
            if party not in parties:
                raise AccessDenied(_("a party answers a proposal for itself (role: {party})").format(party=party))
            before = _agreed(edit.tx, session_id)
            number = _open(before)
            if number is None:
                raise NotFound(_("no proposal is open in session '{session_id}'; the facilitator proposes one").format(
                                 session_id=session_id))
            key = _key(int(before["agreement"]), number)
            old = edit.tx.one("SELECT accept FROM settlement_answers WHERE session_id = ? AND proposal = ? "
                              "AND party = ?", (session_id, key, party))
            _put_answer(edit, key, party, None if old is None else bool(old["accept"]), accept)
            given = {str(r["party"]): bool(r["accept"]) for r in edit.tx.all(
                "SELECT party, accept FROM settlement_answers WHERE session_id = ? AND proposal = ?",
                (session_id, key))}
            if all(p in given for p in parties):
                _put(edit, before, _decided(before, number, ACCEPTED if all(given[p] for p in parties)
                                            else NOT_ACCEPTED))
        return self.status(session_id, party)

    # -- undo --------------------------------------------------------------------------------
    def undo_change(self, edit: Edit, entry: JournalEntry, ch: Change) -> None:
        """Undo a change of the settlement or of an answer, as it was before ``entry``."""
        sid = edit.session_id
        if ch.kind == SETTLEMENT:
            if _data(edit.tx, sid) != ch.after:
                raise ConflictError(_("the agreement changed after edit #{seq}; undo the later edit first").format(
                                      seq=entry.seq))
            _put(edit, ch.after, ch.before)
            return
        key, party = ch.item_id.rsplit("/", 1)
        _put_answer(edit, key, party, None if ch.after is None else bool(ch.after["accept"]),
                    None if ch.before is None else bool(ch.before["accept"]))


def _key(agreement: int, number: int) -> str:
    return f"{agreement}.{number}"


def _data(tx: Tx, session_id: str) -> dict[str, Any] | None:
    row = tx.one("SELECT data FROM settlements WHERE session_id = ?", (session_id,))
    return None if row is None else dict(loads(row["data"]))


def _agreed(tx: Tx, session_id: str) -> dict[str, Any]:
    data = _data(tx, session_id)
    if data is None:
        raise NotFound(_("no agreement is recorded in session '{session_id}'; record it with `pmkit settle agree`")
                         .format(session_id=session_id))
    return data


def _open(data: dict[str, Any]) -> int | None:
    return next((int(p["number"]) for p in data["proposals"] if p["state"] == OPEN), None)


def _decided(data: dict[str, Any], number: int, state: str) -> dict[str, Any]:
    """``data`` with proposal ``number`` in ``state``; accepted: its terms are the agreed ones."""
    proposals = [{**p, "state": state} if int(p["number"]) == number else p for p in data["proposals"]]
    chosen = next(p for p in proposals if int(p["number"]) == number)
    return {**data, "proposals": proposals, "terms": chosen["terms"] if state == ACCEPTED else data["terms"]}


def _put(edit: Edit, before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    """Write the settlement's row (``None``: none) and journal it, seen by every role."""
    if after is None:
        edit.tx.run("DELETE FROM settlements WHERE session_id = ?", (edit.session_id,))
    elif before is None:
        edit.tx.run("INSERT INTO settlements (session_id, data) VALUES (?, ?)", (edit.session_id, dumps(after)))
    else:
        edit.tx.run("UPDATE settlements SET data = ? WHERE session_id = ?", (dumps(after), edit.session_id))
    edit.changes.append(Change(SETTLEMENT, SETTLEMENT, JOINT, JOINT, before, after))


def _put_answer(edit: Edit, key: str, party: str, before: bool | None, after: bool | None) -> None:
    """Write a party's answer (``None``: none) and journal it, seen by that party alone."""
    sid = edit.session_id
    edit.tx.run("DELETE FROM settlement_answers WHERE session_id = ? AND proposal = ? AND party = ?",
                (sid, key, party))
    if after is not None:
        edit.tx.run("INSERT INTO settlement_answers (session_id, proposal, party, accept, at) VALUES (?, ?, ?, ?, ?)",
                    (sid, key, party, int(after), now()))

    def data(accept: bool | None) -> dict[str, Any] | None:
        return None if accept is None else {"proposal": key, "party": party, "accept": accept}

    edit.changes.append(Change(SETTLEMENT_ANSWER, f"{key}/{party}", party, party, data(before), data(after)))
