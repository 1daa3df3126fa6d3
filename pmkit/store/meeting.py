"""The meeting's state beside the session: link generations, what each party asked, and
what the room screen shows.

**Links.** A signed meeting link carries the session's link generation; revoking the links
starts a new generation (an edit, journaled), and a link of an older one is refused.

**Probes.** What a party may learn about the other side's bargaining range is decided by
the probe rule in :mod:`pmkit.analytics.bargaining`, combined with these reads in
:mod:`pmkit.views.bargaining_ranges`. The step of the answers is the issue's own
(:attr:`pmkit.model.NumericIssue.probe_step`, an edit like any other); the store keeps only
the other state the rule needs: how many what-if questions each role asked on each issue.
Counting a question is not an edit: it makes no version and no journal entry, and nothing
a party does resets it (reloads, exports, editing its own position, another process).
:meth:`MeetingState.probe_positions` is the one read of every party's position with full
access; it exists for the probe rule, whose answers are all that may leave it.
:meth:`Meeting.common_options` is the one read of every party's unacceptable options, for
the room: only which options of an option issue for everyone no party rules out leaves it.

**The room screen.** What the shared screen shows is the facilitator's choice, kept as one
row per session (:class:`RoomView`: a view, its target as an item id, a weight for
whom-to-please, a theme and a counter that grows with every choice). Only the facilitator
writes it, a goal only if it is for everyone; the room's kernel polls it. It holds ids and
numbers the facilitator chose, never an item's text. Like the probe state, it is not part
of the session: no version, no journal entry.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pmkit.errors import InputError, NotFound
from pmkit.i18n import _
from pmkit.model import FACILITATOR, JOINT, Position
from pmkit.rules.permissions import Actor, as_actor, authorize_facilitator
from pmkit.store.core import Core, Part
from pmkit.store.db import Row
from pmkit.store.rows import OPTION_SCORES, POSITION

__all__ = ["ROOM_THEMES", "ROOM_VIEWS", "Meeting", "ProbeState", "RoomView"]

# What the room screen can show: the overview, one goal (target: its id), whom to please
# (at ``weight``), the agreements and actions, a round's reveal (target: the round's id), the
# option issues for everyone with their options.
ROOM_VIEWS = ("overview", "goal", "whom", "agreements", "reveal", "options")
ROOM_THEMES = ("light", "dark")
_TARGET = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_.-]{0,63})?$")  # an item id, or none

_STATE = "SELECT issue_id, used FROM probe_questions WHERE session_id = ? AND role = ?"


@dataclass(frozen=True)
class ProbeState:
    """The what-if questions a role asked, per issue (issues it never asked about are absent)."""

    used: dict[str, int]


@dataclass(frozen=True)
class RoomView:
    """What the room screen shows: ``view`` (one of :data:`ROOM_VIEWS`), its ``target`` (a
    goal's or a round's id, else ""), the ``weight`` on the first party for whom-to-please,
    the ``theme`` and ``seq``, which grows with every choice (0: never chosen)."""

    view: str = "overview"
    target: str = ""
    weight: float = 0.5
    theme: str = "light"
    seq: int = 0


class Meeting(Part):
    """Link generations, probe state and the room screen: part of :class:`pmkit.store.Workspace`."""

    def __init__(self, core: Core) -> None:
        super().__init__(core)

    # -- meeting links ---------------------------------------------------------------------
    def link_epoch(self, session_id: str) -> int:
        """The session's link generation; links signed for an older one are revoked."""
        self.core.require_session(session_id)
        rows = self._db.read("SELECT epoch FROM link_epochs WHERE session_id = ?", (session_id,))
        return int(rows[0]["epoch"]) if rows else 0

    def revoke_links(self, session_id: str, *, role: str | Actor = FACILITATOR) -> int:
        """Revoke every link issued so far for the session; returns the new generation."""
        authorize_facilitator(as_actor(role).role, "revoke the meeting links")
        self.core.require_session(session_id)
        with self.core.edit(session_id, role, "revoke-links") as edit:
            edit.tx.run(
                "INSERT INTO link_epochs (session_id, epoch) VALUES (?, 1) "
                "ON CONFLICT (session_id) DO UPDATE SET epoch = link_epochs.epoch + 1",
                (session_id,),
            )
            row = edit.tx.one("SELECT epoch FROM link_epochs WHERE session_id = ?", (session_id,))
            edit.mark("session", session_id)
        return int(row["epoch"]) if row else 0

    # -- probes ----------------------------------------------------------------------------
    def probe_positions(self, session_id: str) -> dict[str, dict[str, Position]]:
        """Every party's position on every issue, ``{issue id: {party: position}}``, read with
        full access. For the probe rule only (:func:`pmkit.views.bargaining_ranges.range_facts`): never
        hand it, or anything made from it but the rule's answers, to a party."""
        self.core.require_session(session_id)
        out: dict[str, dict[str, Position]] = {}
        for r in self._db.read("SELECT data FROM items WHERE session_id = ? AND kind = ?", (session_id, POSITION)):
            d = json.loads(r["data"])
            out.setdefault(d["issue"], {})[d["party"]] = Position(ideal=d["ideal"], walk_away=d.get("walk_away"))
        return out

    def common_options(self, session_id: str, issue_ids: Sequence[str]) -> dict[str, tuple[str, ...] | None]:
        """For each option issue of ``issue_ids`` that is for everyone: the ids of the options
        (in the issue's order) no party cannot accept, or ``None`` while some party has given
        no input on it. Read with full access, for the room's screen: only these ids leave it
        (never a score, a weight, or who cannot accept what); an issue not for everyone, or
        gone, is not in the answer."""
        meta = self.core.meta(session_id)
        parties = {p["id"] for p in meta["parties"]}
        wanted = list(dict.fromkeys(str(i) for i in issue_ids))
        out: dict[str, tuple[str, ...] | None] = {}
        if not wanted:
            return out
        marks = ", ".join("?" for _ in wanted)
        issues = self._db.read(f"SELECT item_id, data FROM items WHERE session_id = ? AND kind = 'option_issue' "
                               f"AND audience = ? AND item_id IN ({marks})", (session_id, JOINT, *wanted))
        scores: dict[str, dict[str, set[str]]] = {}
        for r in self._db.read("SELECT data FROM items WHERE session_id = ? AND kind = ?", (session_id, OPTION_SCORES)):
            d = json.loads(r["data"])
            scores.setdefault(d["issue"], {})[d["party"]] = set(d.get("unacceptable") or ())
        for r in issues:
            given = scores.get(r["item_id"], {})
            options = [str(o["id"]) for o in json.loads(r["data"]).get("options", [])]
            if not parties or not parties <= set(given):
                out[r["item_id"]] = None
                continue
            ruled_out = set().union(*(given[p] for p in parties))
            out[r["item_id"]] = tuple(o for o in options if o not in ruled_out)
        return out

    def probe_state(self, session_id: str, role: str) -> ProbeState:
        """The questions ``role`` asked, as they are now."""
        return _state(self._db.read(_STATE, (session_id, role)))

    def count_question(
        self,
        session_id: str,
        role: str,
        issue_id: str,
        *,
        check: Callable[[int], None] | None = None,
    ) -> ProbeState:
        """In one transaction: count one more question by ``role`` on ``issue_id``, after
        ``check(questions asked so far)`` (which raises to refuse: then nothing is written).
        Returns the state after."""
        with self._db.write(session_id) as tx:
            state = _state(tx.all(_STATE, (session_id, role)))
            used = state.used.get(issue_id, 0)
            if check is not None:
                check(used)
            tx.run(
                "INSERT INTO probe_questions (session_id, role, issue_id, used) VALUES (?, ?, ?, 1) "
                "ON CONFLICT (session_id, role, issue_id) DO UPDATE SET used = probe_questions.used + 1",
                (session_id, role, issue_id),
            )
            state.used[issue_id] = used + 1
            return state


    # -- the room screen -------------------------------------------------------------------
    def room_view(self, session_id: str) -> RoomView:
        """What the room screen is to show now (the default overview until the facilitator
        chooses). Cheap: the room's kernel polls it."""
        rows = self._db.read("SELECT view, target, weight, theme, seq FROM room_view WHERE session_id = ?",
                             (session_id,))
        if not rows:
            self.core.require_session(session_id)
            return RoomView()
        r = rows[0]
        return RoomView(str(r["view"]), str(r["target"]), float(r["weight"]), str(r["theme"]), int(r["seq"]))

    def set_room_view(
        self,
        session_id: str,
        view: str,
        target: str = "",
        weight: float = 0.5,
        theme: str = "light",
        *,
        role: str | Actor,
    ) -> RoomView:
        """Choose what the room screen shows (the facilitator only); returns the new state.

        A goal is shown only if it is for everyone: any other goal is refused (the room's
        kernel could not load it anyway, and would show the overview)."""
        authorize_facilitator(as_actor(role).role, "choose what the room screen shows")
        if view not in ROOM_VIEWS:
            raise InputError(_("unknown room view '{view}'; use one of {room_views}").format(
                               view=view, room_views=', '.join(ROOM_VIEWS)))
        if theme not in ROOM_THEMES:
            raise InputError(_("unknown theme '{theme}'; use one of {room_themes}").format(
                               theme=theme, room_themes=', '.join(ROOM_THEMES)))
        try:
            w = float(weight)
        except (TypeError, ValueError):
            w = math.nan
        if not 0.0 <= w <= 1.0:
            raise InputError(_("the weight must be a number from 0 to 1, got {weight}").format(weight=repr(weight)))
        target = str(target or "")
        if not _TARGET.match(target):
            raise InputError(_("'{target}' is not an item id").format(target=target[:70]))
        if view not in ("goal", "reveal"):
            target = ""
        with self._db.write(session_id) as tx:
            if tx.one("SELECT 1 AS one FROM sessions WHERE id = ?", (session_id,)) is None:
                raise self.core.no_session(session_id)
            if view == "goal":
                _check_joint_goal(tx.one("SELECT audience, data FROM items WHERE session_id = ? AND kind = 'goal' "
                                         "AND item_id = ?", (session_id, target)), target, session_id)
            tx.run(
                "INSERT INTO room_view (session_id, view, target, weight, theme, seq) VALUES (?, ?, ?, ?, ?, 1) "
                "ON CONFLICT (session_id) DO UPDATE SET view = excluded.view, target = excluded.target, "
                "weight = excluded.weight, theme = excluded.theme, seq = room_view.seq + 1",
                (session_id, view, target, w, theme),
            )
            row = tx.one("SELECT seq FROM room_view WHERE session_id = ?", (session_id,))
            tx.notify(session_id)  # the room's page on another server looks now
        return RoomView(view, target, w, theme, int(row["seq"]) if row else 1)


def _check_joint_goal(row: Row | None, target: str, session_id: str) -> None:
    """A goal the room may show: it exists and is for everyone."""
    if not target:
        raise InputError(_("choose the goal to show in the room"))
    if row is None:
        raise NotFound(_("no goal '{target}' in session '{session_id}'").format(target=target, session_id=session_id))
    if row["audience"] != JOINT:
        title = json.loads(row["data"]).get("title", target)
        raise InputError(_("'{title}' is not for everyone: the room shows nothing of it; choose a goal everyone sees")
                           .format(title=title))


def _state(rows: Sequence[Row]) -> ProbeState:
    return ProbeState({r["issue_id"]: int(r["used"]) for r in rows})
