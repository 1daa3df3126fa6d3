"""Private rounds, the facilitator's panel: choose goals and numeric issues, open a round,
watch who has answered (and what), reveal every answer at once, or cancel.

The panel is built for the facilitator only (the board lists it in
``roles = (FACILITATOR,)``; its constructor refuses any other role), so
no party's kernel ever holds the answers it shows. A party rates on its own Goals and
Numeric issues panels, which say, through :func:`round_note`, that its answer stays private
until the reveal.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from pmkit.errors import InputError
from pmkit.i18n import N_, _, ngettext
from pmkit.model import FACILITATOR, JOINT, Session
from pmkit.rules.permissions import may_run_rounds, require
from pmkit.rules.visibility import may_see
from pmkit.store import Round
from pmkit.text import count
from pmkit.widgets.common import audience_label, html_table
from pmkit.widgets.context import BoardContext
from pmkit.widgets.edge import esc, guarded
from pmkit.widgets.look import MUTED, heading
from pmkit.widgets.panels.base import PanelBase

__all__ = ["RoundsPanel", "round_note"]

# how a round ended, in words
_ENDED = {"revealed": N_("Round {number} was revealed at {time}."),
          "cancelled": N_("Round {number} was cancelled at {time}."), "open": N_("Round {number} was open at {time}.")}


def round_note(r: Round, role: str, kind: str, item_id: str) -> str:
    """What a Goals or Numeric issues panel says about an item in the open round ``r``."""
    is_open = esc((_("Round {number} is open on this goal.") if kind == "goal" else
                   _("Round {number} is open on this numeric issue.")).format(number=r.number))
    if role == FACILITATOR:
        rest = _("The parties' answers are in the Rounds tab; what you set here is published at once.")
        return f"<p class='pmkit-round-note'><b>{is_open}</b> {esc(rest)}</p>"
    private = (_("Your rating here is your private answer: nobody else sees it until the facilitator reveals the "
                 "round.") if kind == "goal" else
               _("Your ideal and walk-away here are your private answer: nobody else sees it until the facilitator "
                 "reveals the round."))
    answer = r.answer(role, kind, item_id)
    own = (_("Your answer: {answer}.").format(answer=f"<b>{esc(answer.text)}</b>") if answer
           else esc(_("You have not answered yet.")))
    published = _("The table shows what was published before the round.")
    return (f"<p class='pmkit-round-note' role='status'><b>{is_open}</b> {esc(private)} {own} "
            f"{esc(published)}</p>")


def _item_label(item: Any, session: Session) -> str:
    label = " ".join(item.title.split())
    return label if item.audience == JOINT else f"{label}  [{audience_label(item.audience, session)}]"


class RoundsPanel(PanelBase):
    """Open a round on chosen items; who has answered and the values; reveal or cancel."""

    roles = (FACILITATOR,)  # built on the facilitator's page only

    def __init__(self, context: BoardContext) -> None:
        super().__init__(context)
        require(may_run_rounds(self.role), _("running private rounds"))
        self.goals = widgets.SelectMultiple(options=[], rows=6, description=_("Goals"),
                                            layout=widgets.Layout(width="100%"))
        self.goals.add_class("pmkit-round-goals")
        self.issues = widgets.SelectMultiple(options=[], rows=3, description=_("Issues"),
                                             layout=widgets.Layout(width="100%"))
        self.issues.add_class("pmkit-round-issues")
        self.open_button = widgets.Button(description=_("Open round"), icon="eye-slash", button_style="primary")
        self.open_button.add_class("pmkit-round-open")
        self.open_button.on_click(self._open)
        self.state = widgets.HTML()
        self.state.add_class("pmkit-round-state")
        self.answers = widgets.HTML()
        self.answers.add_class("pmkit-round-answers")
        self.reveal_button = widgets.Button(description=_("Reveal all answers"), icon="eye", button_style="success")
        self.reveal_button.add_class("pmkit-round-reveal")
        self.reveal_button.on_click(self._reveal)
        self.cancel_button = widgets.Button(description=_("Cancel round"), icon="times")
        self.cancel_button.add_class("pmkit-round-cancel")
        self.cancel_button.on_click(self._cancel)
        intro = widgets.HTML(f"<p class='{MUTED}'>" + esc(_(
            "In a private round each party rates on its own page and nobody sees another's answer until you reveal "
            "them all at once. Choose goals and numeric issues, then open the round.")) + "</p>")
        self.chooser = widgets.VBox([widgets.HTML(heading(_("Open a round"))), self.goals, self.issues,
                                     self.open_button])
        self.widget = widgets.VBox([intro, self.state, self.answers,
                                    widgets.HBox([self.reveal_button, self.cancel_button]), self.chooser])
        self.widget.add_class("pmkit-rounds")
        self.refresh()

    # -- drawing ----------------------------------------------------------------------
    def refresh(self) -> None:
        session = self.ctx.session()
        rounds = self.store.rounds.all(self.session_id, self.role)
        current = rounds[-1] if rounds and rounds[-1].is_open else None
        self._options(self.goals, [(_item_label(g, session), g.id) for g in session.goals])
        self._options(self.issues, [(_item_label(i, session), i.id) for i in session.issues])
        self.open_button.disabled = current is not None
        self.reveal_button.disabled = self.cancel_button.disabled = current is None
        self.chooser.layout.display = "none" if current is not None else None
        if current is None:
            last = rounds[-1] if rounds else None
            was = " " + esc(_(_ENDED[last.state]).format(number=last.number, time=_clock(last.closed_at))) \
                if last else ""  # a round is open, revealed or cancelled
            self.state.value = "<p><b>" + esc(_("No round is open.")) + f"</b>{was}</p>"
            self.answers.value = ""
            return
        items = len(current.goals) + len(current.issues)
        head = esc(_("Round {number} is open").format(number=current.number))
        since = esc(ngettext("since {time} on {n} item", "since {time} on {n} items", items).format(
            time=_clock(current.opened_at), n=count(items)))
        self.state.value = f"<p><b>{head}</b> {since}: {self._answered(current, session)}</p>"
        self.answers.value = self._table(current, session)

    def _options(self, select: widgets.SelectMultiple, options: list[tuple[str, str]]) -> None:
        if tuple(tuple(o) for o in select.options) != tuple(options):
            kept = [v for v in select.value if v in {i for _, i in options}]
            with self.quietly():
                select.options = options
                select.value = tuple(kept)

    @staticmethod
    def _answered(r: Round, session: Session) -> str:
        """Who has answered every item of the round it may see, in words."""
        parts = []
        for p in session.parties:
            askable = _askable(r, session, p.id)
            wanted = len(askable)
            n = sum(1 for kind, item in askable if r.answer(p.id, kind, item.id))
            said = (_("{party} nothing to answer") if not wanted else _("{party} has answered") if n >= wanted
                    else _("{party} {n} of {wanted} answered"))
            parts.append(esc(said.format(party=p.name, n=count(n), wanted=count(wanted))))
        return "; ".join(parts) + "."

    @staticmethod
    def _table(r: Round, session: Session) -> str:
        """One row per item and party that may answer on it: the answer, or "waiting"."""
        rows = [(item.title, p.name, a.text if (a := r.answer(p.id, kind, item.id)) else _("waiting"))
                for kind, item in _items(r, session) for p in session.parties if may_see(p.id, item.audience)]
        return html_table((_("item"), _("party"), _("answer")), rows, empty=_("No items."))

    # -- callbacks (each checks the role before it saves) ------------------------------
    @guarded
    def _open(self, _button: Any = None) -> None:
        require(may_run_rounds(self.role), _("opening a round"))
        goals, issues = list(self.goals.value), list(self.issues.value)
        if not goals and not issues:
            raise InputError(_("choose at least one goal or numeric issue for the round"))
        r = self.store.rounds.open(self.session_id, goals, issues, role=self.actor)
        with self.quietly():
            self.goals.value, self.issues.value = (), ()
        self.ctx.changed(_("round {number} opened; the parties' answers stay private until you reveal them").format(
            number=r.number))

    @guarded
    def _reveal(self, _button: Any = None) -> None:
        require(may_run_rounds(self.role), _("revealing a round"))
        r = self.store.rounds.reveal(self.session_id, role=self.actor)
        self.ctx.changed(ngettext("round {number} revealed: {n} answer published (Undo takes it back)",
                                  "round {number} revealed: {n} answers published (Undo takes it back)",
                                  len(r.answers)).format(number=r.number, n=count(len(r.answers))))

    @guarded
    def _cancel(self, _button: Any = None) -> None:
        require(may_run_rounds(self.role), _("cancelling a round"))
        r = self.store.rounds.cancel(self.session_id, role=self.actor)
        self.ctx.changed(_("round {number} cancelled; its answers were dropped").format(number=r.number))


def _items(r: Round, session: Session) -> list[tuple[str, Any]]:
    """The goals and issues of round ``r`` (that still exist), in the session's order."""
    return [*(("goal", g) for g in session.goals if g.id in r.goals),
            *(("issue", i) for i in session.issues if i.id in r.issues)]


def _askable(r: Round, session: Session, party: str) -> list[tuple[str, Any]]:
    """The items of round ``r`` that ``party`` may see, and so answer on."""
    return [(kind, item) for kind, item in _items(r, session) if may_see(party, item.audience)]


def _clock(stamp: str | None) -> str:
    """``HH:MM`` of a stored UTC time stamp."""
    return (stamp or "")[11:16] + " UTC" if stamp else "-"
