"""The members of each party as a role may read them: who they are, their own inputs, and
whether members see their colleagues' (the session option ``show_colleagues``).

Reads filter in the query: the facilitator reads every member and input; a party's process
reads only its own members (``party = role``), and of them only the member whose link it
was opened from, unless ``show_colleagues`` is on; another party's process reads none, so
no member's name, rating or count reaches it. The edits are in :mod:`pmkit.store.people`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pmkit.model import FACILITATOR, JOINT, Position, Rating
from pmkit.store.db import Row
from pmkit.store.edits import Edits
from pmkit.store.rows import loads

__all__ = ["INPUT", "MEMBER_ANSWER", "PARTICIPANT", "SHOW_COLLEAGUES", "MemberInput", "Members", "Participant"]

PARTICIPANT, INPUT, MEMBER_ANSWER = "participant", "input", "member-answer"  # kinds of journal changes
SHOW_COLLEAGUES = "show_colleagues"
MAX_MEMBERS = 50  # per party
_P = ("SELECT p.participant_id, p.party, p.name, p.weight, p.created_at, p.removed_at, p.link_epoch, p.pos "
      "FROM participants p")
_COLLEAGUES = ("EXISTS (SELECT 1 FROM session_options o WHERE o.session_id = p.session_id "
               f"AND o.name = '{SHOW_COLLEAGUES}' AND o.value = 'on')")


@dataclass(frozen=True)
class Participant:
    """One member of a party."""

    participant_id: str
    party: str
    name: str
    weight: float
    created_at: str
    removed_at: str | None = None
    link_epoch: int = 0
    pos: int = 0  # the order the members were added in

    @property
    def active(self) -> bool:
        return self.removed_at is None


@dataclass(frozen=True)
class MemberInput:
    """One member's own input: a rating of a goal, a position on an issue, or a pairwise
    judgement (``goal`` is ``value`` times as important as ``other``)."""

    participant_id: str
    party: str
    kind: str  # rating, position or judgement
    item_id: str
    at: str
    rating: Rating | None = None
    position: Position | None = None
    judgement: tuple[str, str, float] | None = None


def _participant(r: Row) -> Participant:
    return Participant(r["participant_id"], r["party"], r["name"], float(r["weight"]), r["created_at"],
                       r["removed_at"], int(r["link_epoch"]), int(r["pos"]))


def _input(r: Row) -> MemberInput:
    data = loads(r["data"])
    kind = r["kind"]
    return MemberInput(
        r["participant_id"], r["party"], kind, r["item_id"], r["at"],
        rating=Rating(**data) if kind == "rating" else None,
        position=Position(**data) if kind == "position" else None,
        judgement=(data["goal"], data["other"], float(data["value"])) if kind == "judgement" else None,
    )


def _data(p: Participant) -> dict[str, Any]:
    return {"id": p.participant_id, "party": p.party, "name": p.name, "weight": p.weight,
            "created_at": p.created_at, "removed_at": p.removed_at, "link_epoch": p.link_epoch, "pos": p.pos}


class Members(Edits):
    """Reading members and their inputs: part of :class:`pmkit.store.Workspace`."""

    # -- reads -----------------------------------------------------------------------------
    def participants(self, session_id: str, role: str = FACILITATOR, participant: str | None = None, *,
                     removed: bool = False) -> list[Participant]:
        """The members ``role`` may know of, in the order they were added: the facilitator
        every current member (and removed ones with ``removed``); a party its own current
        members, of them only ``participant`` unless ``show_colleagues`` is on; nobody else's."""
        self._check_role(session_id, role)
        args: tuple[str, ...]
        if role == FACILITATOR:
            cond, args = ("" if removed else " AND p.removed_at IS NULL"), (session_id,)
        else:  # filtered by the query: another party's members never reach this process
            cond = f" AND p.party = ? AND p.removed_at IS NULL AND (p.participant_id = ? OR {_COLLEAGUES})"
            args = (session_id, role, participant or "")
        rows = self._db.read(f"{_P} WHERE p.session_id = ?{cond} ORDER BY p.pos", args)
        return [_participant(r) for r in rows]

    def member_inputs(self, session_id: str, role: str = FACILITATOR, participant: str | None = None,
                      kind: str | None = None) -> list[MemberInput]:
        """The current members' own inputs ``role`` may read (the same filter as
        :meth:`participants`, and only on items ``role`` may see), oldest first."""
        self._check_role(session_id, role)
        sql = ("SELECT i.participant_id, i.party, i.kind, i.item_id, i.data, i.at FROM participant_inputs i "
               "JOIN participants p ON p.session_id = i.session_id AND p.participant_id = i.participant_id "
               "WHERE i.session_id = ? AND p.removed_at IS NULL")
        args: tuple[Any, ...] = (session_id,)
        if kind is not None:
            sql += " AND i.kind = ?"
            args += (kind,)
        if role != FACILITATOR:
            sql += (f" AND i.party = ? AND (i.participant_id = ? OR {_COLLEAGUES}) AND EXISTS (SELECT 1 FROM items t "
                    "WHERE t.session_id = i.session_id AND t.kind = (CASE WHEN i.kind = 'position' THEN 'issue' "
                    "ELSE 'goal' END) AND ((i.kind <> 'judgement' AND t.item_id = i.item_id) OR (i.kind = 'judgement' "
                    "AND substr(i.item_id, 1, length(t.item_id) + 1) = t.item_id || '/')) AND t.audience IN (?, ?))")
            args += (role, participant or "", JOINT, role)
        return [_input(r) for r in self._db.read(sql + " ORDER BY i.at, i.participant_id", args)]

    def show_colleagues(self, session_id: str) -> bool:
        """Whether members see their colleagues' own ratings (a per-session option, off by default)."""
        self.info(session_id)
        rows = self._db.read("SELECT value FROM session_options WHERE session_id = ? AND name = ?",
                             (session_id, SHOW_COLLEAGUES))
        return bool(rows) and rows[0]["value"] == "on"

    def member(self, session_id: str, participant_id: str) -> Participant | None:
        """One member, read with full access, for checking a member's link (never shown)."""
        rows = self._db.read(f"{_P} WHERE p.session_id = ? AND p.participant_id = ?", (session_id, participant_id))
        return _participant(rows[0]) if rows else None

    def has_members(self, session_id: str, party: str) -> bool:
        return bool(self._db.read("SELECT 1 FROM participants WHERE session_id = ? AND party = ? "
                                  "AND removed_at IS NULL", (session_id, party)))
