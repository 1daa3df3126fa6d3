"""Weigh goals pairwise (AHP): a party compares a few goals two at a time on Saaty's scale
and gets priorities, the consistency ratio and 0–5 importances it can apply as its own.

A party's page weighs that party's goals only (the role is fixed when the panel is built,
from the signed link); the facilitator chooses the party. Only goals that party may see
are offered, and applying sets them in one edit, in which the store checks each goal is
still one the party may see (:meth:`pmkit.store.Workspace.set_ratings`). Nothing is saved until "Apply" is pressed, and
that callback checks the role again (the browser can click any button).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from pmkit.analytics.ahp_judgements import Weighing, weigh
from pmkit.errors import InputError
from pmkit.i18n import N_, _, pgettext
from pmkit.model import Session
from pmkit.rules.permissions import may_rate, require
from pmkit.rules.visibility import view_for
from pmkit.text import number, priority, shorten
from pmkit.widgets.common import close_tree, html_table
from pmkit.widgets.context import BoardContext
from pmkit.widgets.edge import esc, guarded
from pmkit.widgets.look import MUTED
from pmkit.widgets.panels.base import PanelBase

__all__ = ["MAX_SELECTED", "SCALE", "AhpPanel"]

MAX_SELECTED = 8
# left to right: how many times the left goal matters more than the right one
SCALE: tuple[tuple[str, float], ...] = (
    *((f"← {v}", float(v)) for v in range(9, 1, -1)),
    (N_("equal"), 1.0),
    *((f"{v} →", 1.0 / v) for v in range(2, 10)),
)
_LEGEND = N_("Move each slider towards the more important goal: 1 equal, 3 moderately, 5 strongly, "
           "7 very strongly, 9 extremely more important (2, 4, 6, 8 in between).")


def _label(text: str, limit: int = 60) -> str:
    return shorten(text, limit)


class _Pair:
    """One judgement: the left goal against the right goal on Saaty's scale."""

    def __init__(self, left_title: str, right_title: str, value: float) -> None:
        self.titles = (left_title, right_title)
        self.slider = widgets.SelectionSlider(options=[(_(label), v) for label, v in SCALE], value=value,
                                              continuous_update=False,
                                              tooltip=_("{left} against {right}").format(left=_label(left_title),
                                                                                        right=_label(right_title)))
        self.slider.add_class("pmkit-saaty")
        left = widgets.HTML(f'<p title="{esc(left_title)}">{esc(_label(left_title))}</p>')
        left.add_class("pmkit-pair-left")
        right = widgets.HTML(f'<p title="{esc(right_title)}">{esc(_label(right_title))}</p>')
        right.add_class("pmkit-pair-right")
        self.widget = widgets.HBox([left, self.slider, right])
        self.widget.add_class("pmkit-pair")


class AhpPanel(PanelBase):
    """Compare goals two at a time; apply the result as the party's importances."""

    def __init__(self, context: BoardContext) -> None:
        super().__init__(context)
        session = self.ctx.session()
        self.weighing: Weighing | None = None
        self._values: dict[tuple[str, str], float] = {}
        self._pairs: dict[tuple[str, str], _Pair] = {}
        self.party: widgets.Dropdown | None = None
        head: list[widgets.Widget] = []
        if self.ctx.facilitator:
            self.party = widgets.Dropdown(description=_("Party"), options=self._party_options(session))
            self.party.observe(self._party_changed, names="value")
            head.append(self.party)
        self.goals = widgets.SelectMultiple(options=(), rows=8, description=_("Goals"),
                                            layout=widgets.Layout(width="100%"))
        self.goals.add_class("pmkit-weigh-goals")
        self.goals.observe(self._selected, names="value")
        self.pairs = widgets.VBox()
        self.result = widgets.HTML()
        self.result.add_class("pmkit-weigh-result")
        self.apply_button = widgets.Button(description=_("Apply importances"), icon="check",
                                           button_style="primary", disabled=True)
        self.apply_button.on_click(self.apply)
        self.widget = widgets.VBox([
            *head,
            widgets.HTML("<p>" + _("Choose 2 to {most} goals to compare (Ctrl- or Shift-click).").format(
                most=MAX_SELECTED) + "</p>"),
            self.goals,
            widgets.HTML(f'<p class="{MUTED}">{esc(_(_LEGEND))}</p>'),
            self.pairs,
            self.result,
            self.apply_button,
        ])
        self.widget.add_class("pmkit-weighing")
        self.refresh()

    # -- who is weighing -------------------------------------------------------------
    def _party_options(self, session: Session) -> list[tuple[str, str]]:
        return [(p.name, p.id) for p in session.parties if may_rate(self.role, p.id)]

    def current_party(self) -> str:
        """The party whose importances this panel sets: the page's own role, or for the
        facilitator the party chosen (checked against the session, not trusted)."""
        if self.party is None:
            return self.role
        value = self.party.value
        session = self.ctx.session()
        if not isinstance(value, str) or value not in session.party_ids:
            raise InputError(_("choose the party whose goals to weigh"))
        return value

    def _view(self) -> tuple[str, Session]:
        party = self.current_party()
        return party, view_for(self.ctx.session(), party)

    # -- drawing ---------------------------------------------------------------------
    def refresh(self) -> None:
        session = self.ctx.session()
        if self.party is not None:
            options = tuple(self._party_options(session))
            if options != tuple(tuple(o) for o in self.party.options):
                with self.quietly():
                    kept = self.party.value
                    self.party.options = options
                    if kept in [v for _n, v in options]:
                        self.party.value = kept
        if not session.parties or (self.party is not None and self.party.value is None):
            self.result.value = "<p>" + _("No party to weigh for.") + "</p>"
            return
        party, view = self._view()
        options = tuple((_label(g.title, 90), g.id) for g in view.goals)
        if options != tuple(tuple(o) for o in self.goals.options):
            ids = {gid for _t, gid in options}
            kept = tuple(g for g in self.goals.value if g in ids)
            with self.quietly():
                self.goals.options = options
                self.goals.value = kept
        self._layout_pairs(view)
        self._compute(party, view)

    def _selected_ids(self, view: Session) -> list[str]:
        chosen = set(self.goals.value)
        return [g.id for g in view.goals if g.id in chosen]

    def _layout_pairs(self, view: Session) -> None:
        ids = self._selected_ids(view)
        titles = {g.id: g.title for g in view.goals}
        wanted = [(a, b) for n, a in enumerate(ids) for b in ids[n + 1 :]] if len(ids) <= MAX_SELECTED else []
        stale = [k for k, p in self._pairs.items() if k not in wanted or p.titles != (titles[k[0]], titles[k[1]])]
        for key in stale:
            close_tree(self._pairs.pop(key).widget)
        for key in wanted:
            if key not in self._pairs:
                pair = _Pair(titles[key[0]], titles[key[1]], self._values.get(key, 1.0))
                pair.slider.observe(self._judged(key), names="value")
                self._pairs[key] = pair
        children = tuple(self._pairs[k].widget for k in wanted)
        if children != tuple(self.pairs.children):
            self.pairs.children = children

    def _compute(self, party: str, view: Session) -> None:
        ids = self._selected_ids(view)
        self.weighing = None
        self.apply_button.disabled = True
        if len(ids) > MAX_SELECTED:
            self.result.value = "<p>" + _("Choose at most {most} goals: {n} are chosen.").format(
                most=MAX_SELECTED, n=len(ids)) + "</p>"
            return
        if len(ids) < 2:
            self.result.value = "<p>" + _("Choose at least two goals to compare.") + "</p>"
            return
        judgements = [(a, b, self._values.get((a, b), 1.0)) for n, a in enumerate(ids) for b in ids[n + 1 :]]
        w = weigh(view, party, judgements)
        r = w.result
        rows = [(g.title, priority(g.priority), g.importance, _("not rated") if g.before is None else g.before)
                for g in w.goals]
        warning = ""
        if r.warning is not None:
            warning = f'<p class="pmkit-status-error" role="alert">⚠ {esc(r.warning)}</p>'
        self.result.value = (
            html_table((_("goal"), _("priority"), _("importance"), pgettext("current importance", "now")), rows)
            + f"<p>λ<sub>max</sub> {priority(r.lambda_max)} · CI {priority(r.consistency_index)} · "
            f"<b>CR {priority(r.consistency_ratio)}</b> "
            + _("(at most {limit} is consistent enough)").format(limit=number(0.1)) + "</p>"
            + warning
        )
        self.weighing = w
        self.apply_button.disabled = not may_rate(self.role, party)

    # -- callbacks -------------------------------------------------------------------
    @guarded
    def _party_changed(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        self._values.clear()
        with self.quietly():
            self.goals.value = ()
        self.refresh()

    @guarded
    def _selected(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        if len(change["new"]) > MAX_SELECTED:
            self.status.error(_("choose at most {most} goals to compare pairwise").format(most=MAX_SELECTED))
        party, view = self._view()
        self._layout_pairs(view)
        self._compute(party, view)

    def _judged(self, key: tuple[str, str]) -> Any:
        @guarded
        def changed(panel: AhpPanel, change: dict[str, Any]) -> None:
            value = float(change["new"])
            if not 1 / 9 - 1e-9 <= value <= 9 + 1e-9:
                raise InputError(_("a judgement is from 1/9 to 9 (Saaty's scale)"))
            panel._values[key] = value
            party, view = panel._view()
            panel._compute(party, view)

        return lambda change: changed(self, change)

    @guarded
    def apply(self, _button: Any = None) -> None:
        """Set the weighed importances as the party's own ratings (stances are kept)."""
        party = self.current_party()
        require(may_rate(self.role, party), _("setting the importances of '{party}'").format(party=party))
        view = view_for(self.ctx.session(), party)
        self._compute(party, view)
        w = self.weighing
        if w is None:
            raise InputError(_("choose 2 to {most} goals and compare them first").format(most=MAX_SELECTED))
        if self.ctx.participant:  # a member's page: the member's own judgements and ratings, in one edit
            ids = self._selected_ids(view)
            judged = {(x, y): self._values.get((x, y), 1.0) for n, x in enumerate(ids) for y in ids[n + 1 :]}
            self.ctx.store.participants.set_judgements(self.ctx.session_id, w.party, judged, role=self.actor,
                                          participant=self.ctx.participant, ratings=w.ratings)
            self.ctx.changed(_("your importances from pairwise weighting ({n} goals; {party}'s are its "
                               "participants' aggregate)").format(n=len(w.goals), party=w.party_name))
            self.refresh()
            return
        changed = self.ctx.store.items.set_ratings(self.ctx.session_id, w.party, w.ratings, role=self.actor)
        private = [] if self.ctx.facilitator else [g for g in w.ratings if self.ctx.in_round("goal", g)]
        if private:
            self.ctx.changed(_("{party}'s importances from pairwise weighting ({changed} of {n} changed; {private} "
                               "in the open round stay private until the reveal)").format(
                party=w.party_name, changed=changed, n=len(w.goals), private=len(private)))
        else:
            self.ctx.changed(_("{party}'s importances from pairwise weighting ({changed} of {n} changed)").format(
                party=w.party_name, changed=changed, n=len(w.goals)))
        self.refresh()
