"""The room's *reveal* view: a revealed round, goal by goal, each party before and after.

:func:`reveal_for` reads what it needs as the given role (for the room: its joint view of
the session and of the journal) and computes :func:`pmkit.analytics.rounds.round_reveal`;
:func:`reveal_html` draws the result. Joint goals only, never a position: the analytics
reads only changes of joint goals, whatever the role's reads return. :func:`room_rounds`
lists the rounds the room's reveal can show, numbered as its heading numbers them
(:func:`pmkit.analytics.rounds.round_numbers`): the facilitator's Room screen panel offers
those, so the panel and the room name a round alike, and the panel never numbers a round the
room may not know of.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pmkit.analytics.rounds import PartyRating, RevealView, revealed, round_numbers, round_reveal
from pmkit.i18n import N_, _, ngettext
from pmkit.model import ROOM, Session
from pmkit.store import Workspace
from pmkit.widgets.edge import esc

__all__ = ["common_html", "reveal_for", "reveal_heading", "reveal_html", "room_rounds"]


def reveal_for(store: Workspace, session_id: str, role: str, round_id: str | None = None) -> RevealView | None:
    """The reveal of ``round_id`` (default: the last round revealed) as ``role`` may see it."""
    return round_reveal(store.sessions.load(session_id, role), store.journal.history(session_id, role), round_id)


def room_rounds(store: Workspace, session_id: str) -> dict[str, int]:
    """The rounds whose reveal the room can show, by id, in the order they were revealed
    (the last is what the reveal shows by default), each with the number its heading gives
    it. Read as the room reads: a round with no item for everyone is not there."""
    entries = store.journal.history(session_id, ROOM)
    numbers = round_numbers(entries)
    return {rid: numbers[rid] for _entry, rid in revealed(entries)}


_STANCES = {"support": N_("support"), "neutral": N_("neutral"), "oppose": N_("oppose")}


def _rating(r: tuple[int, str] | None) -> str:
    if r is None:
        return _("not rated")
    return f"{r[0]} {_(_STANCES[r[1]]) if r[1] in _STANCES else r[1]}"


def _row(p: PartyRating) -> str:
    moved = " pmkit-reveal-moved" if p.moved else ""
    arrow = "→" if p.moved else "="
    return (f"<tr class='pmkit-reveal-party{moved}'><th scope='row'>{esc(p.name)}</th>"
            f"<td>{esc(_rating(p.before))}</td><td aria-hidden='true'>{arrow}</td>"
            f"<td><b>{esc(_rating(p.after))}</b></td></tr>")


def reveal_heading(view: RevealView) -> str:
    """The reveal's heading, as plain text."""
    return _("Round {number}: the answers, revealed together").format(number=view.number)


def common_html(session: Session, issue_ids: Sequence[str], common: Mapping[str, tuple[str, ...] | None]) -> str:
    """For each joint option issue of ``issue_ids``: its options, and which of them every side
    can accept (``common``: :meth:`pmkit.store.meeting.Meeting.common_options`, ids only). No
    score, weight, or who cannot accept what: the room never had them."""
    out = []
    for issue in session.option_issues:
        if issue.id not in issue_ids:
            continue
        ids = common.get(issue.id)
        if ids is None:
            what = "<p class='pmkit-room-muted'>" + _("Not every side has given its scores yet.") + "</p>"
        elif ids:
            what = ("<p>" + _("Every side can accept:") + "</p><ul class='pmkit-room-common-options'>"
                    + "".join(f"<li>{esc(issue.label(o))}</li>" for o in ids) + "</ul>")
        else:
            what = "<p><b>" + _("No option that every side can accept yet.") + "</b></p>"
        out.append(f"<section class='pmkit-reveal-goal pmkit-reveal-options'><h3>{esc(issue.title)}</h3>{what}"
                   "</section>")
    return "".join(out)


def reveal_html(view: RevealView | None, *, heading: bool = True, options: str = "") -> str:
    """The reveal as HTML: a heading (unless the page shows :func:`reveal_heading` itself),
    then one table per goal (party, before, after), then ``options`` (:func:`common_html`)."""
    if view is None:
        return ("<div class='pmkit-reveal'><p class='pmkit-reveal-none'>" + _("No round has been revealed yet.")
                + "</p></div>")
    party, before, after = _("party"), _("before"), _("after")
    goals = "".join(
        f"<section class='pmkit-reveal-goal'><h3>{esc(g.title)}</h3>"
        "<table class='pmkit-table pmkit-reveal-table'><thead><tr>"
        f"<th scope='col'>{party}</th><th scope='col'>{before}</th><th></th>"
        f"<th scope='col'>{after}</th></tr></thead>"
        f"<tbody>{''.join(_row(p) for p in g.parties)}</tbody></table></section>"
        for g in view.goals
    )
    moved = sum(1 for g in view.goals if g.moved)
    summary = ngettext("{moved} of {n} goal moved", "{moved} of {n} goals moved", len(view.goals)).format(
        moved=moved, n=len(view.goals))
    if view.option_issues and not view.goals:
        summary = _("Where the sides stand on the options")
    none = "" if view.option_issues else "<p>" + _("No joint goal in this round.") + "</p>"
    head = f"<h2>{esc(reveal_heading(view))}</h2>" if heading else ""
    return (f"<div class='pmkit-reveal'>{head}"
            f"<p class='pmkit-reveal-summary'>{esc(summary)}</p>{goals or none}{options}"
            "</div>")
