"""Numeric issues (budget, date, scope): each party's ideal and walk-away values.

The facilitator adds issues, edits title, unit, who may see them and the probe step (the
grain of a party's answers about the other side's walk-away; empty: the default, fixed
once two parties have ideals), and sets every party's position. A party sets only its own
position (it never sees another party's) and is never shown the step here.
One selector and one form; every change is saved at once through the store. While a
private round is open on an issue, a party's position on it is its private answer (until
the facilitator reveals the round): the panel says so and shows that answer.
"""

from __future__ import annotations

import math
from typing import Any

import ipywidgets as widgets

from pmkit.errors import InputError
from pmkit.i18n import _
from pmkit.model import NumericIssue, Session
from pmkit.rules.permissions import may_edit_items, may_rate, require
from pmkit.text import editable, number, read_number
from pmkit.widgets.common import FormButton, FormText, audience_label, audience_options, html_table
from pmkit.widgets.context import BoardContext
from pmkit.widgets.edge import esc, guarded
from pmkit.widgets.look import heading, labelled
from pmkit.widgets.panels.base import PanelBase
from pmkit.widgets.panels.rounds import round_note

__all__ = ["IssuesPanel", "format_number", "parse_number"]


def format_number(value: float | None) -> str:
    """A number for a box people type in (:func:`pmkit.text.editable`)."""
    return editable(value)


def parse_number(text: str, what: str) -> float | None:
    """A number typed by a user, as the reader's language writes it (``12.345,75`` in German,
    :func:`pmkit.text.read_number`); empty means none. ``what`` names the field in the one-line
    error."""
    cleaned = str(text).strip()
    if not cleaned:
        return None
    try:
        value = float(cleaned)
    except ValueError:
        value = 0.0
    if not math.isfinite(value):
        raise InputError(_("{what}: '{text}' is not a finite number").format(what=what, text=cleaned[:40]))
    try:
        read = read_number(cleaned)
    except ValueError as exc:
        raise InputError(_("{what}: {reason}").format(what=what, reason=str(exc))) from None
    return read


class _PositionRow:
    def __init__(self, party: str, name: str) -> None:
        self.party = party
        self.label = widgets.HTML(f"<b>{esc(name)}</b>")
        self.label.add_class("pmkit-row-label")
        self.ideal = widgets.Text(description=_("ideal"), continuous_update=False,
                                  tooltip=_("{name}: ideal value").format(name=name))
        self.walk_away = widgets.Text(
            description=_("walk-away"),
            placeholder=_("none"),
            continuous_update=False,
            tooltip=_("{name}: walk-away value").format(name=name),
        )
        self.ideal.add_class("pmkit-ideal")
        self.walk_away.add_class("pmkit-walk-away")
        self.widget = widgets.HBox([self.label, self.ideal, self.walk_away])
        self.widget.add_class("pmkit-position-row")


class IssuesPanel(PanelBase):
    """Select a numeric issue; set positions the role may set; the facilitator edits it."""

    def __init__(self, context: BoardContext) -> None:
        super().__init__(context)
        session = self.ctx.session()
        self._issues: dict[str, NumericIssue] = {}
        self._wanted: str | None = None
        self.table = widgets.HTML()
        self.table.add_class("pmkit-issues-table")
        self.select = labelled(widgets.Select(options=[], rows=6, layout={"width": "100%"}), _("Numeric issues"))
        self.select.add_class("pmkit-issue-select")
        mine = _("Your position") if self.ctx.participant else None  # a member's page: the member's own
        self.rows = {p.id: _PositionRow(p.id, mine or p.name) for p in session.parties if may_rate(self.role, p.id)}
        for party, row in self.rows.items():
            self.bind(row.ideal, f"ideal:{party}", self._position_saver(party))
            self.bind(row.walk_away, f"walk_away:{party}", self._position_saver(party))
        left: list[widgets.Widget] = [self.select]
        right: list[widgets.Widget] = []
        if may_edit_items(self.role):
            self.title = widgets.Text(description=_("Title"), continuous_update=False,
                                      layout=widgets.Layout(width="100%"))
            self.unit = widgets.Text(description=_("Unit"), continuous_update=False)
            self.audience = widgets.Dropdown(description=_("Seen by"), options=audience_options(session))
            self.step = widgets.Text(description=_("Probe step"), placeholder=_("default"), continuous_update=False,
                                     tooltip=_("answers to a party are given to this step; empty: the default"))
            self.step.add_class("pmkit-probe-step")
            for field, w in (("title", self.title), ("unit", self.unit), ("audience", self.audience)):
                self.bind(w, field, self.item_saver("issue", field, self.current, str))
            self.bind(self.step, "probe_step",
                      self.item_saver("issue", "probe_step", self.current, lambda v: parse_number(v, _("probe step"))))
            self.new_title = labelled(FormText(placeholder=_("new issue title")), _("New issue title"))
            self.add = FormButton(fields=[self.new_title], description=_("Add issue"), icon="plus",
                                  button_style="primary")
            self.add.on_click(self._add)
            self.delete = widgets.Button(description=_("Delete issue"), icon="trash")
            self.delete.on_click(self._delete)
            left.append(widgets.HBox([self.new_title, self.add]))
            right += [self.title, widgets.HBox([self.unit, self.audience]), self.step]
        self.heading = widgets.HTML()
        self.round_note = widgets.HTML()
        self.round_note.add_class("pmkit-round-note")
        right = [self.heading, *right, widgets.HTML(heading(_("Positions"))), self.round_note]
        right += [row.widget for row in self.rows.values()]
        if may_edit_items(self.role):
            right.append(self.delete)
        self.editor = widgets.VBox(right)
        self.widget = widgets.VBox([self.table, *left, self.editor])
        self.widget.add_class("pmkit-issues")
        self.select.observe(self._selected, names="value")
        self.refresh()

    def refresh(self) -> None:
        session = self.ctx.session()
        self._issues = {i.id: i for i in session.issues}
        self.table.value = self._table(session)
        options = tuple((" ".join(i.title.split()), i.id) for i in session.issues)
        current = self._wanted or self.select.value
        self._wanted = None
        if options != tuple(tuple(o) for o in self.select.options):
            with self.quietly():
                self.select.options = options
        ids = [iid for _label, iid in options]
        target = current if current in ids else (ids[0] if ids else None)
        if target != self.select.value:
            self.forget_input()
            with self.quietly():
                self.select.value = target
        self._show_issue(session)

    def _table(self, session: Session) -> str:
        head = [_("issue"), _("unit")] + ([_("seen by"), _("probe step")] if self.ctx.facilitator else [])
        head += [_("{party}: ideal / walk-away").format(party=p.name) for p in session.parties]
        rows = []
        for issue in session.issues:
            row: list[object] = [issue.title, issue.unit]
            if self.ctx.facilitator:
                row += [audience_label(issue.audience, session), number(issue.probe_step, missing="") or _("not set")]
            for p in session.parties:
                pos = issue.positions.get(p.id)
                row.append("" if pos is None else
                           f"{number(pos.ideal, missing='')} / {number(pos.walk_away, missing='') or '-'}")
            rows.append(row)
        return html_table(head, rows, empty=_("No numeric issues yet."))

    def current(self) -> NumericIssue | None:
        value = self.select.value
        return self._issues.get(value) if isinstance(value, str) else None

    def _show_issue(self, session: Session) -> None:
        issue = self.current()
        self.editor.layout.visibility = "visible" if issue else "hidden"
        if issue is None:
            self.heading.value = ""
            return
        unit = f" ({issue.unit})" if issue.unit else ""
        self.heading.value = heading(f"{issue.title}{unit}")
        if may_edit_items(self.role):
            self.show(self.title, "title", issue.title)
            self.show(self.unit, "unit", issue.unit)
            self.show(self.audience, "audience", issue.audience)
            self.show(self.step, "probe_step", format_number(issue.probe_step))
        in_round = self.ctx.in_round("issue", issue.id)
        private = in_round is not None and not self.ctx.facilitator
        self.round_note.value = round_note(in_round, self.role, "issue", issue.id) if in_round else ""
        for party, row in self.rows.items():
            answer = in_round.answer(party, "issue", issue.id) if private and in_round else None
            pos = (answer.position if answer else None) if private else issue.positions.get(party)
            if self.ctx.participant and not private:
                own = self.ctx.own_input("position", issue.id)
                pos = own.position if own else None
            self.show(row.ideal, f"ideal:{party}", format_number(pos.ideal if pos else None))
            self.show(row.walk_away, f"walk_away:{party}", format_number(pos.walk_away if pos else None))

    @guarded
    def _selected(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        self.forget_input()
        self._show_issue(self.ctx.session())

    def _selected_issue(self) -> NumericIssue:
        issue = self.current()
        if issue is None:
            raise InputError(_("select a numeric issue first"))
        return issue

    def _position_saver(self, party: str) -> Any:
        def save(_value: Any) -> None:
            require(may_rate(self.role, party), _("setting the position of '{party}'").format(party=party))
            issue = self._selected_issue()
            row = self.rows[party]
            ideal = parse_number(row.ideal.value, _("ideal"))
            walk_away = parse_number(row.walk_away.value, _("walk-away"))
            if ideal is None and walk_away is not None:
                raise InputError(_("type the ideal value before the walk-away value"))
            self.ctx.store.items.set_position(self.ctx.session_id, issue.id, party, ideal, walk_away, role=self.actor,
                                        participant=self.ctx.participant)
            self._kept.pop(f"ideal:{party}", None)
            self._kept.pop(f"walk_away:{party}", None)
            if not self.ctx.facilitator and self.ctx.in_round("issue", issue.id):
                self.ctx.changed(_("your private answer on '{title}' (nobody else sees it until the reveal)")
                                 .format(title=issue.title))
                return
            name = self.ctx.session().party_name(party)
            self.ctx.changed(_("{party}'s position on '{title}'").format(party=name, title=issue.title))

        return save

    @guarded
    def _add(self, _button: Any = None) -> None:
        require(may_edit_items(self.role), _("adding numeric issues"))
        title = self.new_title.value.strip()
        if not title:
            raise InputError(_("type the new issue's title first"))
        issue_id = self.ctx.store.items.add(
            self.ctx.session_id, "issue", {"title": title, "audience": "joint"}, role=self.actor
        )
        self.new_title.value = ""
        self._wanted = issue_id
        self.ctx.changed(_("new issue '{title}'").format(title=title))

    @guarded
    def _delete(self, _button: Any = None) -> None:
        require(may_edit_items(self.role), _("deleting numeric issues"))
        issue = self._selected_issue()
        self.ctx.store.items.delete(self.ctx.session_id, "issue", issue.id, role=self.actor)
        self.ctx.changed(_("deleted issue '{title}' (Undo brings it back)").format(title=issue.title))
