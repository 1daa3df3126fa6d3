"""Entry and rating of goals: one selector and one form, whatever the number of goals.

The facilitator adds goals, edits their title, description, who raised them and who may see
them, and sets every party's rating. A party sees the goals it may see and every rating on
them (read-only), and sets only its own rating: its page has no widget for anything else,
and each callback checks again before it saves (the browser can send any widget message).
Every change is saved at once through the store.

While a private round is open on a goal, a party's rating of it is its private answer: the
panel says so, shows the party's own answer in its rating row, and the table keeps the
ratings as published (the party's kernel has no other party's answer to show).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from pmkit.errors import InputError
from pmkit.i18n import N_, _
from pmkit.model import Goal, Session
from pmkit.rules.permissions import may_edit_items, may_rate, require
from pmkit.widgets.common import FormButton, FormText, audience_label, audience_options, html_table
from pmkit.widgets.context import BoardContext
from pmkit.widgets.edge import esc, guarded
from pmkit.widgets.look import MUTED, heading, labelled
from pmkit.widgets.panels.base import PanelBase
from pmkit.widgets.panels.rounds import round_note

__all__ = ["IMPORTANCE_OPTIONS", "STANCES", "STANCE_LABELS", "GoalsPanel", "goal_label", "stance_label"]

NOT_RATED = -1
IMPORTANCE_OPTIONS: list[tuple[str, int]] = [(N_("not rated"), NOT_RATED)] + [(f"{i}", i) for i in range(6)]
STANCES = ("support", "neutral", "oppose")
# what each stance is called, and its button's tooltip (translated where shown)
STANCE_LABELS = {"support": N_("support"), "neutral": N_("neutral"), "oppose": N_("oppose")}
_STANCE_TIPS = {"support": N_("{name} supports the goal"), "neutral": N_("{name} neutrals the goal"),
                "oppose": N_("{name} opposes the goal")}


def stance_label(stance: str) -> str:
    """A stance as the reader's language calls it (a stored value it does not know: as stored)."""
    return _(STANCE_LABELS[stance]) if stance in STANCE_LABELS else stance


def goal_label(goal: Goal, session: Session, facilitator: bool, in_round: bool = False) -> str:
    """A goal's line in the selector; the facilitator also sees who may see it. A goal in the
    open round is marked."""
    label = " ".join(goal.title.split())
    if facilitator and goal.audience != "joint":
        label += f"  [{audience_label(goal.audience, session)}]"
    return label + ("  [" + _("in the open round") + "]" if in_round else "")


class _RatingRow:
    """Importance and stance of one party, for the selected goal."""

    def __init__(self, party: str, name: str) -> None:
        self.party = party
        self.importance = widgets.Dropdown(
            options=[(_(label), value) for label, value in IMPORTANCE_OPTIONS],
            value=NOT_RATED,
            description=name,
            layout=widgets.Layout(width="auto"),
        )
        self.importance.add_class("pmkit-importance")
        self.stance = widgets.ToggleButtons(options=[(stance_label(s), s) for s in STANCES], value="neutral",
                                            tooltips=[_(_STANCE_TIPS[s]).format(name=name) for s in STANCES])
        self.stance.add_class("pmkit-stance")
        self.widget = widgets.HBox([self.importance, self.stance])
        self.widget.add_class("pmkit-rating-row")


class GoalsPanel(PanelBase):
    """Select a goal, see every rating on it, edit what the role may edit."""

    def __init__(self, context: BoardContext) -> None:
        super().__init__(context)
        session = self.ctx.session()
        self._goals: dict[str, Goal] = {}
        self._wanted: str | None = None
        self.filter = labelled(widgets.Text(placeholder=_("filter goals by title"), continuous_update=True),
                               _("Filter goals by title"))
        self.select = labelled(widgets.Select(options=[], rows=8, layout=widgets.Layout(width="100%")), _("Goals"))
        self.select.add_class("pmkit-goal-select")
        self.detail = widgets.HTML()
        self.detail.add_class("pmkit-goal-detail")
        mine = _("Your rating") if self.ctx.participant else None  # a member's page: the member's own rating
        self.rows = {p.id: _RatingRow(p.id, mine or p.name) for p in session.parties if may_rate(self.role, p.id)}
        for party, row in self.rows.items():
            self.bind(row.importance, f"importance:{party}", self._rating_saver(party, "importance"))
            self.bind(row.stance, f"stance:{party}", self._rating_saver(party, "stance"))
        left: list[widgets.Widget] = [self.filter, self.select]
        right: list[widgets.Widget] = [self.detail]
        if may_edit_items(self.role):
            self.title = widgets.Text(description=_("Title"), continuous_update=False)
            self.description = widgets.Textarea(description=_("Description"), continuous_update=False)
            self.raised_by = widgets.Dropdown(
                description=_("Raised by"), options=[(p.name, p.id) for p in session.parties]
            )
            self.audience = widgets.Dropdown(description=_("Seen by"), options=audience_options(session))
            for w in (self.title, self.description):
                w.layout = widgets.Layout(width="100%")
            for field, w in (
                ("title", self.title),
                ("description", self.description),
                ("raised_by", self.raised_by),
                ("audience", self.audience),
            ):
                self.bind(w, field, self.item_saver("goal", field, self.current, str))
            self.delete = widgets.Button(description=_("Delete goal"), icon="trash")
            self.delete.on_click(self._delete)
            self.new_title = labelled(FormText(placeholder=_("new goal title")), _("New goal title"))
            self.add = FormButton(fields=[self.new_title], description=_("Add goal"), icon="plus",
                                  button_style="primary")
            self.add.on_click(self._add)
            left.append(widgets.HBox([self.new_title, self.add]))
            right += [self.title, self.description, widgets.HBox([self.raised_by, self.audience])]
        right.append(widgets.HTML(heading(_("Ratings")) + f'<p class="{MUTED}">' + _("importance 0-5 and stance")
                                  + "</p>"))
        self.round_note = widgets.HTML()
        self.round_note.add_class("pmkit-round-note")
        right.append(self.round_note)
        right += [row.widget for row in self.rows.values()]
        if may_edit_items(self.role):
            right.append(self.delete)
        self.editor = widgets.VBox(right)
        self.widget = widgets.VBox([*left, self.editor])
        self.widget.add_class("pmkit-goals")
        self.select.observe(self._selected, names="value")
        self.filter.observe(self._filtered, names="value")
        self.refresh()

    # -- drawing ----------------------------------------------------------------------
    def refresh(self) -> None:
        session = self.ctx.session()
        self._goals = {g.id: g for g in session.goals}
        self._update_options(session)
        self._show_goal(session)

    def _update_options(self, session: Session) -> None:
        needle = self.filter.value.strip().lower()
        open_round = self.ctx.round()
        options = tuple(
            (goal_label(g, session, self.ctx.facilitator, bool(open_round and open_round.covers("goal", g.id))), g.id)
            for g in session.goals if needle in g.title.lower()
        )
        current = self._wanted or self.select.value
        self._wanted = None
        if options != tuple(tuple(o) for o in self.select.options):
            with self.quietly():
                self.select.options = options
        ids = [gid for _label, gid in options]
        target = current if current in ids else (ids[0] if ids else None)
        if target != self.select.value:
            self.forget_input()
            with self.quietly():
                self.select.value = target

    def current(self) -> Goal | None:
        value = self.select.value
        return self._goals.get(value) if isinstance(value, str) else None

    def _show_goal(self, session: Session) -> None:
        goal = self.current()
        self.editor.layout.visibility = "visible" if goal else "hidden"
        if goal is None:
            self.detail.value = "<p>" + (_("No goal selected.") if self._goals else _("No goals yet.")) + "</p>"
            return
        rows: list[tuple[object, object, object]] = []
        for p in session.parties:
            r = goal.ratings.get(p.id)
            rows.append((p.name, _("not rated") if r is None else r.importance,
                         "" if r is None else stance_label(r.stance)))
        rows += self._member_rows(goal.id)
        seen = (" · " + _("seen by {audience}").format(audience=esc(audience_label(goal.audience, session)))
                if self.ctx.facilitator else "")
        self.detail.value = (
            f"{heading(goal.title)}"
            + (f"<p>{esc(goal.description)}</p>" if goal.description else "")
            + f'<p class="{MUTED}">' + _("raised by {party}").format(party=esc(session.party_name(goal.raised_by)))
            + f"{seen}</p>"
            + html_table((_("party"), _("importance"), _("stance")), rows)
        )
        if may_edit_items(self.role):
            self.show(self.title, "title", goal.title)
            self.show(self.description, "description", goal.description)
            self.show(self.raised_by, "raised_by", goal.raised_by)
            self.show(self.audience, "audience", goal.audience)
        in_round = self.ctx.in_round("goal", goal.id)
        private = in_round is not None and not self.ctx.facilitator
        self.round_note.value = round_note(in_round, self.role, "goal", goal.id) if in_round else ""
        for party, row in self.rows.items():
            answer = in_round.answer(party, "goal", goal.id) if private and in_round else None
            r = (answer.rating if answer else None) if private else goal.ratings.get(party)
            if self.ctx.participant and not private:  # a member's page shows the member's own rating
                own = self.ctx.own_input("rating", goal.id)
                r = own.rating if own else None
            self.show(row.importance, f"importance:{party}", NOT_RATED if r is None else r.importance)
            self.show(row.stance, f"stance:{party}", "neutral" if r is None else r.stance)

    def _member_rows(self, goal_id: str) -> list[tuple[object, object, object]]:
        """On a member's page, the member's own rating and (when the session lets members see
        them) their colleagues'; the query gave this page nothing else."""
        if not self.ctx.participant:
            return []
        names = {p.participant_id: p.name for p in self.store.participants.all(self.session_id, self.role,
                                                                            self.ctx.participant)}
        out: list[tuple[object, object, object]] = []
        for i in self.ctx.member_inputs():
            if i.kind == "rating" and i.item_id == goal_id and i.rating is not None and i.participant_id in names:
                who = _("you") if i.participant_id == self.ctx.participant else names[i.participant_id]
                out.append((_("{who} (own rating)").format(who=who), i.rating.importance,
                            stance_label(i.rating.stance)))
        return out

    # -- callbacks (each checks the role before it saves) ------------------------------
    @guarded
    def _selected(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        self.forget_input()
        self._show_goal(self.ctx.session())

    @guarded
    def _filtered(self, change: dict[str, Any]) -> None:
        self.refresh()

    def _selected_goal(self) -> Goal:
        goal = self.current()
        if goal is None:
            raise InputError(_("select a goal first"))
        return goal

    def _rating_saver(self, party: str, what: str) -> Any:
        def save(_value: Any) -> None:
            require(may_rate(self.role, party), _("rating goals for '{party}'").format(party=party))
            goal = self._selected_goal()
            row = self.rows[party]
            importance, stance = row.importance.value, str(row.stance.value)
            if importance not in range(-1, 6) or stance not in STANCES:
                raise InputError(_("importance must be 0-5 or not rated, got {value}").format(value=repr(importance)))
            if importance == NOT_RATED and what == "stance":
                raise InputError(_("choose an importance first; a stance needs a rating"))
            self.ctx.store.items.set_rating(
                self.ctx.session_id,
                goal.id,
                party,
                None if importance == NOT_RATED else int(importance),
                stance,
                role=self.actor,
                participant=self.ctx.participant,
            )
            self._kept.pop(f"importance:{party}", None)
            self._kept.pop(f"stance:{party}", None)
            if not self.ctx.facilitator and self.ctx.in_round("goal", goal.id):
                self.ctx.changed(_("your private answer on '{title}' (nobody else sees it until the reveal)")
                                 .format(title=goal.title))
                return
            if self.ctx.participant:
                self.ctx.changed(_("your rating of '{title}'").format(title=goal.title))
                return
            self.ctx.changed(_("{party}'s rating of '{title}'").format(party=self.ctx.session().party_name(party),
                                                                       title=goal.title))

        return save

    @guarded
    def _add(self, _button: Any = None) -> None:
        require(may_edit_items(self.role), _("adding goals"))
        title = self.new_title.value.strip()
        if not title:
            raise InputError(_("type the new goal's title first"))
        session = self.ctx.session()
        goal_id = self.ctx.store.items.add(
            self.ctx.session_id,
            "goal",
            {"title": title, "raised_by": session.party_ids[0], "audience": "joint"},
            role=self.actor,
        )
        self.new_title.value = ""
        self.filter.value = ""
        self._wanted = goal_id
        self.ctx.changed(_("new goal '{title}'").format(title=title))

    @guarded
    def _delete(self, _button: Any = None) -> None:
        require(may_edit_items(self.role), _("deleting goals"))
        goal = self._selected_goal()
        self.ctx.store.items.delete(self.ctx.session_id, "goal", goal.id, role=self.actor)
        self.ctx.changed(_("deleted goal '{title}' (Undo brings it back)").format(title=goal.title))
