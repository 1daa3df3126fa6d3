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
from pmkit.i18n import N_, _, pgettext
from pmkit.model import Action, Agreement, Session
from pmkit.rules.permissions import may_edit_items, require
from pmkit.text import day, shorten
from pmkit.widgets.common import FormButton, FormText, audience_label, audience_options, html_table
from pmkit.widgets.context import BoardContext
from pmkit.widgets.edge import guarded
from pmkit.widgets.look import heading, labelled
from pmkit.widgets.panels.base import PanelBase

__all__ = ["CapturePanel"]

_STATUSES = ("open", "done", "dropped")
# the tooltip of each status's button (translated where shown)
_STATUS_TIPS = {"open": N_("mark the action open"), "done": N_("mark the action done"),
                "dropped": N_("mark the action dropped")}
_KINDS = ("agreement", "decision")


def _status(status: str) -> str:
    """An action's status as the reader's language calls it."""
    labels = {"open": pgettext("action status", "open"), "done": pgettext("action status", "done"),
              "dropped": pgettext("action status", "dropped")}
    return labels.get(status, status)


def _kind(kind: str) -> str:
    """An agreement's kind as the reader's language calls it."""
    return {"agreement": _("agreement"), "decision": _("decision")}.get(kind, kind)


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
        parts: list[widgets.Widget] = [widgets.HTML(heading(_("Agreements and decisions"))), self.agreements]
        if may_edit_items(self.role):
            parts.append(self._agreement_form(session))
        parts += [widgets.HTML(heading(_("Action items"))), self.actions]
        if may_edit_items(self.role):
            parts += self._action_forms(session)
        self.widget = widgets.VBox(parts)
        self.widget.add_class("pmkit-capture")
        self.refresh()

    # -- forms (facilitator only) -------------------------------------------------------
    def _agreement_form(self, session: Session) -> widgets.Widget:
        self.text = labelled(FormText(placeholder=_("what was agreed or decided")),
                             _("What was agreed or decided"))
        self.text.add_class("pmkit-agreement-text")
        self.kind = widgets.ToggleButtons(options=[(_kind(k), k) for k in _KINDS], value="agreement",
                                          tooltips=[_("record an agreement"), _("record a decision")])
        self.agreement_audience = widgets.Dropdown(description=_("Seen by"), options=audience_options(session))
        self.record = FormButton(fields=[self.text], description=_("Record"), icon="check", button_style="primary")
        self.record.add_class("pmkit-record-agreement")
        self.record.on_click(self._record)
        self.agreement_pick = widgets.Dropdown(description=_("Agreement"), options=[])
        self.delete_agreement = widgets.Button(description=_("Delete agreement"), icon="trash")
        self.delete_agreement.on_click(self._delete_agreement)
        return widgets.VBox(
            [
                widgets.HBox([self.text, self.kind, self.agreement_audience, self.record]),
                widgets.HBox([self.agreement_pick, self.delete_agreement]),
            ]
        )

    def _action_forms(self, session: Session) -> list[widgets.Widget]:
        self.action_title = labelled(FormText(placeholder=_("action")), _("Action"))
        self.action_title.add_class("pmkit-action-title")
        self.owner = labelled(FormText(placeholder=_("owner")), _("Owner"))
        self.due = widgets.DatePicker(description=_("due"))
        self.action_audience = widgets.Dropdown(description=_("Seen by"), options=audience_options(session))
        self.add_action = FormButton(fields=[self.action_title, self.owner], description=_("Add action"), icon="plus",
                                     button_style="primary")
        self.add_action.add_class("pmkit-add-action")
        self.add_action.on_click(self._add_action)
        self.action_pick = widgets.Dropdown(description=_("Action"), options=[])
        self.status_pick = widgets.ToggleButtons(options=[(_status(s), s) for s in _STATUSES], value="open",
                                                 tooltips=[_(_STATUS_TIPS[s]) for s in _STATUSES])
        self.edit_owner = widgets.Text(description=_("owner"), continuous_update=False)
        self.edit_due = widgets.DatePicker(description=_("due"))
        self.delete_action = widgets.Button(description=_("Delete action"), icon="trash")
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
        head = [_("kind"), _("text")] + ([_("seen by")] if fac else [])
        self.agreements.value = html_table(
            head,
            [[_kind(a.kind), a.text] + ([audience_label(a.audience, session)] if fac else [])
             for a in session.agreements],
            empty=_("Nothing agreed yet."),
        )
        head = [_("action"), _("owner"), _("due"), _("status")] + ([_("seen by")] if fac else [])
        self.actions.value = html_table(
            head,
            [
                [a.title, a.owner, day(a.due, missing=""), _status(a.status)]
                + ([audience_label(a.audience, session)] if fac else [])
                for a in session.actions
            ],
            empty=_("No action items yet."),
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
        ids = [v for _label, v in options]
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
        require(may_edit_items(self.role), _("recording agreements"))
        text = self.text.value.strip()
        if not text:
            raise InputError(_("type what was agreed first"))
        kind = str(self.kind.value)
        self.ctx.store.items.add(
            self.ctx.session_id,
            "agreement",
            {"text": text, "kind": kind, "audience": self.agreement_audience.value},
            role=self.actor,
        )
        self.text.value = ""
        self.ctx.changed(_("{kind} '{text}'").format(kind=_kind(kind), text=_short(text)))

    @guarded
    def _add_action(self, _button: Any = None) -> None:
        require(may_edit_items(self.role), _("adding action items"))
        title = self.action_title.value.strip()
        if not title:
            raise InputError(_("type the action first"))
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
        self.ctx.changed(_("action '{title}'").format(title=_short(title)))

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
            raise InputError(_("select an action item first"))
        return action

    @guarded
    def _delete_action(self, _button: Any = None) -> None:
        require(may_edit_items(self.role), _("deleting action items"))
        action = self._selected_action()
        self.ctx.store.items.delete(self.ctx.session_id, "action", action.id, role=self.actor)
        self.ctx.changed(_("deleted action '{title}' (Undo brings it back)").format(title=_short(action.title)))

    @guarded
    def _delete_agreement(self, _button: Any = None) -> None:
        require(may_edit_items(self.role), _("deleting agreements"))
        agreement = self._agreements.get(self.agreement_pick.value or "")
        if agreement is None:
            raise InputError(_("select an agreement first"))
        self.ctx.store.items.delete(self.ctx.session_id, "agreement", agreement.id, role=self.actor)
        self.ctx.changed(_("deleted {kind} '{text}' (Undo brings it back)")
                         .format(kind=_kind(agreement.kind), text=_short(agreement.text)))


def _short(text: str, limit: int = 60) -> str:
    return shorten(text, limit)


def _iso(value: object) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else None
