"""The journal as a part of the workspace: history, and undo of the newest edit.

Every edit is journaled whole (:mod:`pmkit.store.edit`). **Undo** reverts the newest edit not
yet undone, all its changes, in one new edit (``op`` ``undo``); undoing again reverts the one
before it. Every kind of edit is undone, except these, which undo refuses with a one-line
reason naming the edit (and so stops there):

* ``disclose``: the other side has seen what was disclosed;
* ``revoke-links``: a revoked link stays revoked (send new links instead);
* ``new`` and ``import``: the session's own making (there is nothing to undo before it).

A ``rekey`` (the one-time migration that gave an old session its random id) is no edit of
anyone's, and a ``mail`` entry records messages sent (:mod:`pmkit.store.mail`), which no undo
unsends: undo passes over both to the edit before.

A change of an item (a goal, issue, position, agreement, action, note, or a disclosure plan
entry) is undone here. A change of anything else is undone by the part that owns it, which
registers a handler for its kind of change (:meth:`Journal.on_undo`): the session's titles
(:mod:`pmkit.store.sessions`), members and their inputs (:mod:`pmkit.store.participants`),
rounds and their answers (:mod:`pmkit.store.rounds`). A kind no part claims is refused, so
nothing is ever skipped silently.
"""

from __future__ import annotations

from collections.abc import Callable

from pmkit.errors import ConflictError, InputError, NotFound, StorageError
from pmkit.i18n import N_, _
from pmkit.model import FACILITATOR, JOINT
from pmkit.rules.permissions import Actor, as_actor, authorize_facilitator
from pmkit.store.core import Core, Part
from pmkit.store.edit import ENTRY_COLUMNS, ITEM_CHANGE_KINDS, Change, Edit, JournalEntry, entries
from pmkit.store.rows import loads

__all__ = ["FINAL", "MADE", "Journal", "UndoHandler"]

UndoHandler = Callable[[Edit, JournalEntry, Change], None]

# edits undo refuses, and why: undo stops at them
FINAL = {
    "disclose": N_("disclosed {what}; a disclosure is not undone, since the other side has seen it (change the "
                   "item's audience if you must)"),
    "revoke-links": N_("revoked meeting links; a revoked link stays revoked (send new links with `pmkit links`)"),
}
MADE = ("new", "import")  # the session's making: nothing to undo before it
SKIPPED = ("undo", "rekey", "mail")  # entries undo passes over (a mail sent is not unsent)


class Journal(Part):
    """History and undo: part of :class:`pmkit.store.Workspace`."""

    def __init__(self, core: Core) -> None:
        super().__init__(core)
        self._undo: dict[str, UndoHandler] = {}

    def on_undo(self, kind: str, handler: UndoHandler) -> None:
        """Let the part owning changes of ``kind`` undo them (called once per kind)."""
        if kind in self._undo or kind in ITEM_CHANGE_KINDS:
            raise ValueError(f"changes of kind '{kind}' are undone already")
        self._undo[kind] = handler

    def history(self, session_id: str, role: str = FACILITATOR, limit: int | None = None) -> list[JournalEntry]:
        """The journal entries of a session that ``role`` may see, oldest first, each with
        only the changes it may see; ``limit``: only the newest so many. A role other than the
        facilitator gets its own numbering (1, 2, 3, ... for both ``seq`` and ``version``), so
        gaps never count the edits it may not see."""
        self.core.check_role(session_id, role)
        sql = f"SELECT {ENTRY_COLUMNS} FROM journal j JOIN journal_changes c ON c.seq = j.seq WHERE j.session_id = ?"
        args: tuple[str, ...] = (session_id,)
        if role != FACILITATOR:  # filtered by the query: a party's process never reads the others
            sql += " AND coalesce(c.audience_before, ?) IN (?, ?) AND coalesce(c.audience_after, ?) IN (?, ?)"
            args += (JOINT, JOINT, role, JOINT, JOINT, role)
        out = entries(self._db.read(sql + " ORDER BY j.seq, c.n", args))
        if role != FACILITATOR:
            out = _renumbered(out)
        return out[-limit:] if limit else out

    def undo(self, session_id: str, *, role: str | Actor = FACILITATOR) -> JournalEntry:
        """Revert the newest edit not yet undone, all its changes; returns the entry reverted.
        The edits in :data:`FINAL` are refused, and undo stops there."""
        authorize_facilitator(as_actor(role).role, "undo")
        with self.core.edit(session_id, role, "undo") as edit:
            self.core.check_role(session_id, role)
            skipped = ", ".join("?" * len(SKIPPED))
            rows = edit.tx.all(
                f"SELECT {ENTRY_COLUMNS} FROM journal j JOIN journal_changes c ON c.seq = j.seq "
                f"WHERE j.seq = (SELECT max(seq) FROM journal WHERE session_id = ? AND op NOT IN ({skipped}) "
                "AND seq NOT IN (SELECT undoes FROM journal WHERE session_id = ? AND undoes IS NOT NULL)) ORDER BY c.n",
                (session_id, *SKIPPED, session_id),
            )
            (entry,) = entries(rows) or (None,)
            if entry is None or entry.op in MADE:
                raise NotFound(_("nothing to undo in session '{session_id}': every edit since it was made is undone")
                                 .format(session_id=session_id))
            if entry.op in FINAL:
                raise InputError(_("the newest edit (#{seq}) {why}").format(
                    seq=entry.seq, why=_(FINAL[entry.op]).format(what=entry.summary)))
            for ch in reversed(entry.changes):
                handler = self._undo.get(ch.kind)
                if handler is not None:
                    handler(edit, entry, ch)
                elif ch.kind in ITEM_CHANGE_KINDS:
                    _revert_item(edit, entry, ch)
                elif ch.before is not None or ch.after is not None:
                    raise StorageError(_("edit #{seq} ({op}) changed {kind} '{item_id}', which undo cannot revert; "
                                         "nothing was undone").format(
                                         seq=entry.seq, op=entry.op, kind=ch.kind, item_id=ch.item_id))
            edit.undoes = entry.seq
            return entry


def _revert_item(edit: Edit, entry: JournalEntry, ch: Change) -> None:
    """Put an item (or a plan entry) back as it was before ``entry``'s change."""
    if ch.before is None and ch.after is None:
        return
    cur = edit.row(ch.kind, ch.item_id)
    if (loads(cur["data"]) if cur else None) != ch.after:
        raise ConflictError(_("{kind} '{item_id}' changed after edit #{seq}; undo the later edit first").format(
                              kind=ch.kind, item_id=ch.item_id, seq=entry.seq))
    if ch.before is None:
        assert cur is not None
        edit.delete(cur)
    elif cur is None:
        edit.insert(ch.kind, ch.item_id, ch.audience_before or FACILITATOR, ch.before)
    else:
        edit.update(cur, ch.before, ch.audience_before or cur["audience"])


def _renumbered(found: list[JournalEntry]) -> list[JournalEntry]:
    """A role's entries numbered 1, 2, 3, ... (an undo names the entry it undid by that
    number, or nothing when the role never saw it)."""
    number = {e.seq: n for n, e in enumerate(found, 1)}
    return [JournalEntry(number[e.seq], e.session_id, number[e.seq], e.at, e.actor, e.role, e.op,
                         number.get(e.undoes) if e.undoes is not None else None, e.changes) for e in found]
