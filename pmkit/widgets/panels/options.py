"""Option issues (a recovery plan, payment terms): each side's scores, weight and the options
it cannot accept.

The facilitator sees, per option issue, every side's scores side by side, each side's
weight and what each side can accept; each option's standing says in words whether it is
common ground (every side can accept it), a conflict (some side cannot) or ruled out
(:mod:`pmkit.analytics.options`). A party (or a member, on their own page) sees and sets only
its own: a score 0..100 per option, its weight for the issue and the options it cannot
accept, saved with one button (the form's typed text goes with the click,
:class:`~pmkit.widgets.common.FormButton`). Its view never held the other side's input (the
store's read leaves it out). While a private round is open on the issue, what a party saves
is its private answer (the panel says so and shows that answer). The tab is on a board only
when the role's view has an option issue (:func:`has_option_issues`).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from pmkit.analytics.options import COMMON, CONFLICT, RULED_OUT, standing
from pmkit.errors import InputError
from pmkit.i18n import _
from pmkit.model import FACILITATOR, OptionIssue, OptionScores, Session
from pmkit.rules.permissions import may_rate, require
from pmkit.text import number
from pmkit.widgets.common import FormButton, FormText, audience_label, html_table
from pmkit.widgets.context import BoardContext
from pmkit.widgets.edge import esc, guarded
from pmkit.widgets.look import MUTED, heading, labelled
from pmkit.widgets.panels.base import PanelBase
from pmkit.widgets.panels.issues import format_number, parse_number

__all__ = ["OptionsPanel", "cannot_accept", "has_option_issues", "standing_words"]


def has_option_issues(context: BoardContext) -> bool:
    """Whether the role's own view of the session has an option issue (the tab's ``applies``)."""
    return bool(context.session().option_issues)


def cannot_accept(name: str, label: str) -> str:
    """How a page says that a side cannot accept an option (one phrase, for the leak checks)."""
    return _("{name} cannot accept {option}").format(name=name, option=label)


def standing_words(issue: OptionIssue, session: Session) -> dict[str, str]:
    """Each option's standing in words (option id -> text), as the facilitator reads it."""
    st = standing(issue, session.party_ids)
    names = {p.id: p.name for p in session.parties}
    out: dict[str, str] = {}
    for o in issue.option_ids:
        verdict = st.verdict[o]
        refusing = [names[p] for p in st.scored_by if p not in st.accepted_by[o]]
        if verdict == COMMON:
            out[o] = _("common ground: every side can accept it")
        elif verdict == CONFLICT:
            out[o] = _("conflict: {refusals}").format(
                refusals="; ".join(cannot_accept(n, issue.label(o)) for n in refusing))
        elif verdict == RULED_OUT:
            out[o] = _("ruled out: no side can accept it")
        else:
            missing = [names[p] for p in session.party_ids if p not in st.scored_by]
            out[o] = _("open: no input yet from {sides}").format(sides=", ".join(missing))
    return out


def _score(s: OptionScores | None, option: str) -> str:
    if s is None:
        return "-"
    text = number(s.scores[option], missing="") if option in s.scores else _("not scored")
    return text + (" (" + _("cannot accept") + ")" if option in s.unacceptable else "")


class _OptionRow:
    """One option of the form: the score box and the "cannot accept" box."""

    def __init__(self, option_id: str, label: str) -> None:
        self.option_id = option_id
        self.score = labelled(FormText(placeholder=_("0 to 100"), continuous_update=False),
                              _("Score of {option}").format(option=label))
        self.score.add_class("pmkit-option-score")
        self.refuse = widgets.Checkbox(description=_("cannot accept"), indent=False)
        self.refuse.add_class("pmkit-option-refuse")
        name = widgets.HTML(f"<b>{esc(label)}</b>")
        name.add_class("pmkit-row-label")
        self.widget = widgets.HBox([name, self.score, self.refuse])
        self.widget.add_class("pmkit-option-row")


class OptionsPanel(PanelBase):
    """The facilitator: every side's input side by side. A party: its own input, in a form."""

    def __init__(self, context: BoardContext) -> None:
        super().__init__(context)
        self._issues: dict[str, OptionIssue] = {}
        self._rows: dict[str, _OptionRow] = {}
        self._form_for: tuple[str, tuple[str, ...]] | None = None
        self.table = widgets.HTML()
        self.table.add_class("pmkit-options-table")
        children: list[widgets.Widget] = [self.table]
        self.party = self._party()
        if self.party is not None:
            self.select = labelled(widgets.Dropdown(options=[]), _("Option issue"))
            self.select.add_class("pmkit-option-select")
            self.select.observe(self._selected, names="value")
            self.round_note = widgets.HTML()
            self.round_note.add_class("pmkit-round-note")
            self.rows_box = widgets.VBox()
            self.weight = labelled(FormText(placeholder=_("e.g. 3"), continuous_update=False),
                               _("Weight of the issue"))
            self.weight.add_class("pmkit-option-weight")
            self.hold(self.weight, "weight")
            self.save = FormButton(fields=[self.weight], description=_("Save my scores"), icon="check",
                                   button_style="primary")
            self.save.add_class("pmkit-option-save")
            self.save.on_click(self._save)
            explain = (_("Score each option from 0 to 100 (higher is better), give the issue a weight (how much "
                         "it matters to you, 0 to 5 like a goal's importance) and tick the options you cannot "
                         "accept. These are your own and private: the other side never sees them.")
                       if self.ctx.participant else
                       _("Score each option from 0 to 100 (higher is better), give the issue a weight (how much "
                         "it matters to you, 0 to 5 like a goal's importance) and tick the options you cannot "
                         "accept. These are your side's and private: the other side never sees them."))
            intro = widgets.HTML(heading(_("Your scores")) + f"<p class='{MUTED}'>{explain}</p>")
            children += [intro, self.select, self.round_note, self.rows_box, self.weight, self.save]
        self.widget = widgets.VBox(children)
        self.widget.add_class("pmkit-options")
        self.refresh()

    def _party(self) -> str | None:
        """The party whose input this page sets (a party's own page; the facilitator's: none)."""
        if self.role == FACILITATOR or not may_rate(self.role, self.role):
            return None
        return self.role

    # -- drawing ----------------------------------------------------------------------------
    def refresh(self) -> None:
        session = self.ctx.session()
        self._issues = {i.id: i for i in session.option_issues}
        self.table.value = "".join(self._issue_html(i, session) for i in session.option_issues) or \
            f"<p class='{MUTED}'>" + _("No option issues.") + "</p>"
        if self.party is None:
            return
        options = tuple((" ".join(i.title.split()), i.id) for i in session.option_issues)
        if options != tuple(tuple(o) for o in self.select.options):
            kept = self.select.value
            with self.quietly():
                self.select.options = options
                ids = [i for _label, i in options]
                self.select.value = kept if kept in ids else (ids[0] if ids else None)
        self._show()

    def _issue_html(self, issue: OptionIssue, session: Session) -> str:
        seen = "" if issue.audience == "joint" else f" [{audience_label(issue.audience, session)}]"
        head = heading(f"{issue.title}{seen}")
        if self.ctx.facilitator:
            parties = session.parties
            words = standing_words(issue, session)
            rows = [[o.label, *(_score(issue.scores.get(p.id), o.id) for p in parties), words[o.id]]
                    for o in issue.options]
            rows.append([_("weight of the issue"), *(number(issue.scores[p.id].weight) if p.id in issue.scores
                                                  else "-" for p in parties), ""])
            st = standing(issue, session.party_ids)
            labels = {o.id: o.label for o in issue.options}
            common = ", ".join(labels[o] for o in st.common) or _("none")
            conflict = ", ".join(labels[o] for o in st.conflict) or _("none")
            summary = ("<p class='pmkit-options-common'><b>" + _("Common ground") + "</b> "
                       + _("(every side can accept): {options}").format(options=esc(common))
                       + "</p><p class='pmkit-options-conflict'><b>" + _("Conflict") + "</b> "
                       + _("(only some sides can accept): {options}").format(options=esc(conflict)) + "</p>")
            if not st.complete:
                summary += f"<p class='{MUTED}'>" + _("Not every side has given its scores yet.") + "</p>"
            table = html_table([_("option"), *(p.name for p in parties), _("standing")], rows)
            return f"<section class='pmkit-option-issue'>{head}{table}{summary}</section>"
        own = self._own(issue)
        rows = [[o.label, _score(own, o.id)] for o in issue.options]
        rows.append([_("weight of the issue"), number(own.weight) if own else "-"])
        table = html_table([_("option"), _("your score")], rows)
        return f"<section class='pmkit-option-issue'>{head}{table}</section>"

    def _own(self, issue: OptionIssue) -> OptionScores | None:
        """This page's own input on ``issue`` as published (a member's page: the member's own;
        the store's read already holds nothing else)."""
        return issue.scores.get(self.role)

    def current(self) -> OptionIssue | None:
        value = self.select.value if self.party is not None else None
        return self._issues.get(value) if isinstance(value, str) else None

    def _show(self) -> None:
        issue = self.current()
        self.rows_box.layout.display = self.weight.layout.display = self.save.layout.display = \
            "" if issue else "none"
        if issue is None:
            self.round_note.value = ""
            return
        key = (issue.id, tuple(f"{o.id}={o.label}" for o in issue.options))
        if self._form_for != key:
            for row in self._rows.values():
                row.widget.close()
            self._rows = {o.id: _OptionRow(o.id, o.label) for o in issue.options}
            for o, row in self._rows.items():
                self.hold(row.score, f"score:{o}")
                self.hold(row.refuse, f"refuse:{o}")
            self.rows_box.children = [r.widget for r in self._rows.values()]
            self.save.set_fields([*(r.score for r in self._rows.values()), self.weight])
            self._form_for = key
            self.forget_input()
        in_round = self.ctx.in_round("option_issue", issue.id)
        own = self._own(issue)
        if in_round is not None:
            answer = in_round.answer(self.role, "option_issue", issue.id)
            own = answer.option_scores if answer else own
            is_open = _("Round {number} is open on this issue.").format(number=in_round.number)
            private = _("What you save here is your private answer: nobody else sees it until the facilitator "
                        "reveals the round.")
            shown = _("Your answer is shown below.") if answer else _("You have not answered yet.")
            self.round_note.value = (f"<p class='pmkit-round-note' role='status'><b>{is_open}</b> {private} "
                                     f"{shown}</p>")
        else:
            self.round_note.value = ""
        for o, row in self._rows.items():
            score = own.scores.get(o) if own else None
            self.show(row.score, f"score:{o}", format_number(score))
            self.show(row.refuse, f"refuse:{o}", bool(own and o in own.unacceptable))
        self.show(self.weight, "weight", format_number(own.weight) if own else "")

    @guarded
    def _selected(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        self.forget_input()
        self._show()

    # -- saving -----------------------------------------------------------------------------
    @guarded
    def _save(self, _button: Any = None) -> None:
        party = self.party
        require(party is not None and may_rate(self.role, party), _("setting scores on an option issue"))
        assert party is not None
        issue = self.current()
        if issue is None:
            raise InputError(_("select an option issue first"))
        scores: dict[str, float] = {}
        for o, row in self._rows.items():
            value = parse_number(row.score.value, _("score of {option}").format(option=issue.label(o)))
            if value is not None:
                if not 0 <= value <= 100:
                    raise InputError(_("score of {option}: {value} is not from 0 to 100")
                                     .format(option=issue.label(o), value=number(value)))
                scores[o] = value
        weight = parse_number(self.weight.value, _("weight of the issue"))
        refused = [o for o, row in self._rows.items() if row.refuse.value]
        round_id = self.store.items.set_option_scores(self.session_id, issue.id, party, scores=scores,
                                                      weight=weight, unacceptable=refused, role=self.actor,
                                                      participant=self.ctx.participant)
        self.forget_input()
        if round_id is not None:
            self.ctx.changed(_("your private answer on '{title}' (nobody else sees it until the reveal)")
                             .format(title=issue.title))
            return
        self.ctx.changed(_("your scores on '{title}'").format(title=issue.title))
