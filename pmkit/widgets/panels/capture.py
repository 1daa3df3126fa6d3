"""Live capture of agreements, decisions and action items (owner, due date, status).

Everyone sees what the room agreed (what their role may see); only the facilitator
records, edits and deletes. A party's page has tables only, and every callback checks the
role again before it saves. Text is shown escaped, never interpreted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipywidgets as widgets

from pmkit.errors import InputError
from pmkit.model import Action, Agreement, Session
from pmkit.rules.permissions import may_edit_items, require
from pmkit.text import shorten
from pmkit.widgets.common import FormButton, FormText, audience_label, audience_options, html_table
from pmkit.widgets.context import BoardContext
from pmkit.widgets.edge import guarded
from pmkit.widgets.look import heading, labelled
from pmkit.widgets.panels.base import PanelBase

__all__ = ["CapturePanel"]

_STATUSES = ("open", "done", "dropped")


class CapturePanel(PanelBase):
    """Agreements and decisions, then action items; forms for the facilitator only."""

    def __init__(self, context: BoardContext) -> None:
        super().__init__(context)
        session = self.ctx.session()
        self._actions: dict[str, Action] = {}
        self._agreements: dict[str, Agreement] = {}
        self._wanted: str | None = None
        self.agreements = widgets.HTML()
        self.agreements.add_class("pmkit-agreements")
        self.actions = widgets.HTML()
        self.actions.add_class("pmkit-actions")
        parts: list[widgets.Widget] = [widgets.HTML(heading("Agreements and decisions")), self.agreements]
        if may_edit_items(self.role):
            parts.append(self._agreement_form(session))
        parts += [widgets.HTML(heading("Action items")), self.actions]
        if may_edit_items(self.role):
            parts += self._action_forms(session)
        self.widget = widgets.VBox(parts)
        self.widget.add_class("pmkit-capture")
        self.refresh()

    # -- forms (facilitator only) -------------------------------------------------------
    def _agreement_form(self, session: Session) -> widgets.Widget:
        self.text = labelled(FormText(placeholder="what was agreed or decided"), "What was agreed or decided")
        self.text.add_class("pmkit-agreement-text")
        self.kind = widgets.ToggleButtons(options=["agreement", "decision"], value="agreement",
                                          tooltips=["record an agreement", "record a decision"])
        self.agreement_audience = widgets.Dropdown(description="Seen by", options=audience_options(session))
        self.record = FormButton(fields=[self.text], description="Record", icon="check", button_style="primary")
        self.record.add_class("pmkit-record-agreement")
        self.record.on_click(self._record)
        self.agreement_pick = widgets.Dropdown(description="Agreement", options=[])
        self.delete_agreement = widgets.Button(description="Delete agreement", icon="trash")
        self.delete_agreement.on_click(self._delete_agreement)
        return widgets.VBox(
            [
                widgets.HBox([self.text, self.kind, self.agreement_audience, self.record]),
                widgets.HBox([self.agreement_pick, self.delete_agreement]),
            ]
        )

    def _action_forms(self, session: Session) -> list[widgets.Widget]:
        self.action_title = labelled(FormText(placeholder="action"), "Action")
        self.action_title.add_class("pmkit-action-title")
        self.owner = labelled(FormText(placeholder="owner"), "Owner")
        self.due = widgets.DatePicker(description="due")
        self.action_audience = widgets.Dropdown(description="Seen by", options=audience_options(session))
        self.add_action = FormButton(fields=[self.action_title, self.owner], description="Add action", icon="plus",
                                     button_style="primary")
        self.add_action.add_class("pmkit-add-action")
        self.add_action.on_click(self._add_action)
        self.action_pick = widgets.Dropdown(description="Action", options=[])
        self.status_pick = widgets.ToggleButtons(options=list(_STATUSES), value="open",
                                                 tooltips=[f"mark the action {s}" for s in _STATUSES])
        self.edit_owner = widgets.Text(description="owner", continuous_update=False)
        self.edit_due = widgets.DatePicker(description="due")
        self.delete_action = widgets.Button(description="Delete action", icon="trash")
        self.delete_action.on_click(self._delete_action)
        self.action_pick.observe(self._action_selected, names="value")
        self.bind(self.status_pick, "status", self.item_saver("action", "status", self._current_action))
        self.bind(self.edit_owner, "owner", self.item_saver("action", "owner", self._current_action))
        self.bind(self.edit_due, "due", self.item_saver("action", "due", self._current_action, _iso))
        self.action_editor = widgets.HBox([self.status_pick, self.edit_owner, self.edit_due, self.delete_action])
        return [
            widgets.HBox([self.action_title, self.owner, self.due, self.action_audience, self.add_action]),
            self.action_pick,
            self.action_editor,
        ]

    # -- drawing ----------------------------------------------------------------------
    def refresh(self) -> None:
        session = self.ctx.session()
        fac = self.ctx.facilitator
        self._agreements = {a.id: a for a in session.agreements}
        self._actions = {a.id: a for a in session.actions}
        head = ["kind", "text"] + (["seen by"] if fac else [])
        self.agreements.value = html_table(
            head,
            [[a.kind, a.text] + ([audience_label(a.audience, session)] if fac else []) for a in session.agreements],
            empty="Nothing agreed yet.",
        )
        head = ["action", "owner", "due", "status"] + (["seen by"] if fac else [])
        self.actions.value = html_table(
            head,
            [
                [a.title, a.owner, a.due.isoformat() if a.due else "", a.status]
                + ([audience_label(a.audience, session)] if fac else [])
                for a in session.actions
            ],
            empty="No action items yet.",
        )
        if not may_edit_items(self.role):
            return
        self._set_options(self.agreement_pick, [(_short(a.text), a.id) for a in session.agreements])
        self._set_options(self.action_pick, [(_short(a.title), a.id) for a in session.actions])
        self._show_action()

    def _set_options(self, pick: widgets.Dropdown, options: list[tuple[str, str]]) -> None:
        current = pick.value
        if pick is self.action_pick and self._wanted:
            current, self._wanted = self._wanted, None
        if tuple(options) != tuple(tuple(o) for o in pick.options):
            with self.quietly():
                pick.options = options
        ids = [v for _, v in options]
        target = current if current in ids else (ids[-1] if ids else None)
        if target != pick.value:
            if pick is self.action_pick:
                self.forget_input()
            with self.quietly():
                pick.value = target

    def _show_action(self) -> None:
        action = self._actions.get(self.action_pick.value or "")
        self.action_editor.layout.visibility = "visible" if action else "hidden"
        if action is None:
            return
        self.show(self.status_pick, "status", action.status)
        self.show(self.edit_owner, "owner", action.owner)
        self.show(self.edit_due, "due", action.due)

    # -- callbacks (each checks the role before it saves) ------------------------------
    @guarded
    def _record(self, _button: Any = None) -> None:
        require(may_edit_items(self.role), "recording agreements")
        text = self.text.value.strip()
        if not text:
            raise InputError("type what was agreed first")
        kind = str(self.kind.value)
        self.ctx.store.items.add(
            self.ctx.session_id,
            "agreement",
            {"text": text, "kind": kind, "audience": self.agreement_audience.value},
            role=self.actor,
        )
        self.text.value = ""
        self.ctx.changed(f"{kind} '{_short(text)}'")

    @guarded
    def _add_action(self, _button: Any = None) -> None:
        require(may_edit_items(self.role), "adding action items")
        title = self.action_title.value.strip()
        if not title:
            raise InputError("type the action first")
        due = self.due.value
        action_id = self.ctx.store.items.add(
            self.ctx.session_id,
            "action",
            {
                "title": title,
                "owner": self.owner.value.strip(),
                "due": due.isoformat() if isinstance(due, dt.date) else None,
                "audience": self.action_audience.value,
            },
            role=self.actor,
        )
        self.action_title.value = ""
        self.owner.value = ""
        self.due.value = None
        self._wanted = action_id
        self.ctx.changed(f"action '{_short(title)}'")

    @guarded
    def _action_selected(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        self.forget_input()
        self._show_action()

    def _current_action(self) -> Action | None:
        return self._actions.get(self.action_pick.value or "")

    def _selected_action(self) -> Action:
        action = self._current_action()
        if action is None:
            raise InputError("select an action item first")
        return action

    @guarded
    def _delete_action(self, _button: Any = None) -> None:
        require(may_edit_items(self.role), "deleting action items")
        action = self._selected_action()
        self.ctx.store.items.delete(self.ctx.session_id, "action", action.id, role=self.actor)
        self.ctx.changed(f"deleted action '{_short(action.title)}' (Undo brings it back)")

    @guarded
    def _delete_agreement(self, _button: Any = None) -> None:
        require(may_edit_items(self.role), "deleting agreements")
        agreement = self._agreements.get(self.agreement_pick.value or "")
        if agreement is None:
            raise InputError("select an agreement first")
        self.ctx.store.items.delete(self.ctx.session_id, "agreement", agreement.id, role=self.actor)
        self.ctx.changed(f"deleted {agreement.kind} '{_short(agreement.text)}' (Undo brings it back)")


def _short(text: str, limit: int = 60) -> str:
    return shorten(text, limit)


def _iso(value: object) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else None
