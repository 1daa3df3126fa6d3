"""The disclosure plan panel: each withheld item's decision and clock, and disclosing.

Built only for the facilitator and for a party that withholds something itself
(:meth:`DisclosurePlanPanel.applies`, from that party's own view): a party whose page has no such tab
learns nothing from its absence, since its own view decides it. A party's panel lists and
decides on its own withheld items only (the workspace loads nothing else for it); the
facilitator's lists every withheld item, records a decision on an owner's behalf, shows the
plan as a timeline (:func:`pmkit.charts.disclosure_plan.plan_timeline_chart`) and discloses an item
whose owner decided *now*, in one click. Every callback checks the role again, and the
workspace checks it once more (:mod:`pmkit.rules.disclosure_plan`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipywidgets as widgets

from pmkit.analytics.disclosure_plan import PlanLine, plan_lines, unit_days
from pmkit.charts.disclosure_plan import plan_timeline_chart
from pmkit.charts.style import to_png
from pmkit.errors import InputError
from pmkit.i18n import N_, _, ngettext, pgettext
from pmkit.model import DECISIONS, FACILITATOR, JOINT, Session, is_withheld, plan_owner
from pmkit.rules.disclosure_plan import entry_for, plan_tab_for, warn_days
from pmkit.rules.permissions import require
from pmkit.text import count, day, shorten
from pmkit.widgets.common import FormButton, FormText
from pmkit.widgets.context import BoardContext
from pmkit.widgets.edge import esc, guarded
from pmkit.widgets.look import chart_image, heading, labelled, show_chart
from pmkit.widgets.panels.base import PanelBase

__all__ = ["DisclosurePlanPanel"]

_NO_LINK = "—"
_EXPLAIN = N_("What each withheld item's owner decided to tell the other side, and when: how long it has been "
            "withheld against the day the customer is affected.")


def _decision(decision: str) -> str:
    """A disclosure decision's button as the reader's language calls it."""
    labels = {"undecided": pgettext("disclosure decision", "undecided"),
              "now": pgettext("disclosure decision", "now"), "by": pgettext("disclosure decision", "by"),
              "never": pgettext("disclosure decision", "never")}
    return labels.get(decision, decision)


class DisclosurePlanPanel(PanelBase):
    """The disclosure plan of the board's role; display ``.widget``."""

    # Who it is for: the facilitator, and a party that withholds something itself. The second
    # depends on the session, so no ``roles`` are named and the board asks :meth:`applies`;
    # the constructor refuses any other role.
    roles = None

    @staticmethod
    def applies(context: BoardContext) -> bool:
        """Whether the board's role gets this panel: the facilitator, or a party that withholds
        an item itself (decided from the party's own view)."""
        return plan_tab_for(context.role, context.session())

    def __init__(self, context: BoardContext) -> None:
        super().__init__(context)
        require(self.applies(context), _("the disclosure plan is the facilitator's and an owner's of a withheld item"))
        self._lines: dict[str, PlanLine] = {}
        self._drawn: object = None
        self._form: tuple[str, str, Any] | None = None  # the item and entry the form shows
        self.table = widgets.HTML()
        self.table.add_class("pmkit-plan-table")
        # list boxes, not drop-downs: a long title wraps instead of being cut
        self.pick = labelled(widgets.Select(options=[], rows=5, layout=widgets.Layout(width="100%")),
                             _("Withheld item"))
        self.pick.add_class("pmkit-plan-item")
        self.pick.observe(self._picked, names="value")
        self.decision = widgets.ToggleButtons(options=[(_decision(d), d) for d in DECISIONS], value="undecided",
                                              style={"button_width": "6.5em"})
        self.decision.add_class("pmkit-plan-decision")
        self.by = widgets.DatePicker(description=_("disclose by"), style={"description_width": "initial"})
        self.by.add_class("pmkit-plan-by")
        self.condition = FormText(description=_("after"), layout=widgets.Layout(width="100%"),
                                      placeholder=_("a condition, e.g. the recovery plan is signed off"))
        self.condition.add_class("pmkit-plan-condition")
        self.reason = FormText(description=_("reason"), placeholder=_("why (needed to never disclose)"),
                                   layout=widgets.Layout(width="100%"))
        self.reason.add_class("pmkit-plan-reason")
        self.record = FormButton(fields=[self.condition, self.reason], description=_("Record decision"), icon="check",
                                 button_style="primary")
        self.record.add_class("pmkit-plan-record")
        self.record.on_click(self._record)
        self.affected = widgets.DatePicker(description=_("customer affected from"),
                                           style={"description_width": "initial"})
        self.affected.add_class("pmkit-plan-affected")
        self.link = labelled(widgets.Select(options=[(_NO_LINK, "")], rows=3, layout=widgets.Layout(width="100%")),
                             _("or as suggested by"))
        self.link.add_class("pmkit-plan-link")
        self.save_clock = widgets.Button(description=_("Save dates"), icon="calendar")
        self.save_clock.add_class("pmkit-plan-clock")
        self.save_clock.on_click(self._clock)
        parts: list[widgets.Widget] = [widgets.HTML(f"<p class='pmkit-muted'>{esc(_(_EXPLAIN))}</p>"), self.table]
        self.chart: widgets.Image | None = None
        self.disclose: widgets.Button | None = None
        if self.ctx.facilitator:
            self.chart = chart_image("pmkit-plan-chart", max_width="860px")
            parts.append(self.chart)
            self.disclose = widgets.Button(description=_("Disclose to everyone"), icon="bullhorn",
                                           button_style="warning", disabled=True,
                                           tooltip=_("the owner decided: disclose now"))
            self.disclose.add_class("pmkit-plan-disclose")
            self.disclose.on_click(self._disclose)
        wrap = widgets.Layout(flex_flow="row wrap", align_items="center")
        parts += [
            widgets.HTML(heading(_("Withheld item"))),
            self.pick,
            self.decision,
            self.by,
            self.condition,
            self.reason,
            self.record,
            widgets.HBox([self.affected, self.save_clock], layout=wrap),
            widgets.HTML("<p class='pmkit-muted'>" + _("or as suggested by") + "</p>"),
            self.link,
        ]
        if self.disclose is not None:
            parts.append(self.disclose)
        self.widget = widgets.VBox(parts)
        self.widget.add_class("pmkit-plan")
        self.draw_soon()

    # -- drawing ---------------------------------------------------------------------------
    def refresh(self) -> None:
        if not self.visible:
            self._stale = True
            return
        session = self.ctx.session()
        today = dt.date.today()
        since = self.store.disclosure_plan.withheld_since(self.session_id, self.role)
        lines = plan_lines(session, today, since, warn_days())
        self._lines = {f"{x.kind}:{x.item_id}": x for x in lines}
        self.table.value = self._table(session, lines)
        self._options(session, lines)
        if self.chart is not None:
            key = (lines, today)
            if key != self._drawn:
                show_chart(self.chart, to_png(plan_timeline_chart(lines, today, theme=self.ctx.theme,
                                                                  presenter=self.ctx.presenter), dpi=90),
                           timeline_alt(lines, today))
                self._drawn = key
        self._show(again=False)

    def _table(self, session: Session, lines: tuple[PlanLine, ...]) -> str:
        """Three columns, so it reads in a narrow tab: the item (and, for the facilitator, its
        owner), the decision (and who recorded it), the clock. Every text is escaped."""
        if not lines:
            return '<p class="pmkit-empty">' + _("Nothing is withheld.") + "</p>"
        rows = []
        for x in lines:
            owner = _muted(session.party_name(x.owner)) if self.ctx.facilitator else ""
            overdue = "<br><b>" + _("past the day to disclose by") + "</b>" if x.overdue else ""
            recorded = _muted(x.recorded) if x.recorded else ""
            rows.append(f"<tr><td>{esc(x.title)}{owner}</td><td>{esc(x.decision_text)}{overdue}{recorded}</td>"
                        f"<td>{esc(_clock(x))}</td></tr>")
        head = "".join(f"<th>{esc(h)}</th>" for h in (_("item"), _("decision"),
                                                       _("withheld since → customer affected from")))
        body = "".join(rows)
        return f'<table class="pmkit-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'

    def _options(self, session: Session, lines: tuple[PlanLine, ...]) -> None:
        fac = self.ctx.facilitator
        options = [(shorten(x.title, 70) + (f"  [{session.party_name(x.owner)}]" if fac else ""),
                    f"{x.kind}:{x.item_id}") for x in lines]
        if options != [tuple(o) for o in self.pick.options]:
            current = self.pick.value
            with self.quietly():
                self.pick.options = options
                ids = [v for _label, v in options]
                self.pick.value = current if current in ids else (ids[0] if ids else None)

    def _links(self, session: Session, owner: str) -> list[tuple[str, str]]:
        """Dated items the owner may see: actions with a due date, issues in days or weeks."""
        def seen(audience: str) -> bool:
            return owner == FACILITATOR or audience in (JOINT, owner)

        out = [(_NO_LINK, "")]
        out += [(_("action: {title} (due {day})").format(title=shorten(a.title, 50), day=day(a.due)), f"action:{a.id}")
                for a in session.actions if a.due and seen(a.audience)]
        out += [(_("issue: {title} ({unit})").format(title=shorten(i.title, 50), unit=i.unit), f"issue:{i.id}")
                for i in session.issues if unit_days(i.unit) and seen(i.audience)]
        return out

    def _show(self, *, again: bool = True) -> None:
        """Put the picked item's entry into the form (quietly: nothing is saved). With
        ``again=False`` (a redraw), only when the item or its stored entry changed since the
        form last showed it: a decision being filled in is never wiped by someone else's edit."""
        session = self.ctx.session()
        kind, _sep, item_id = str(self.pick.value or "").partition(":")
        item = session.item(kind, item_id) if item_id else None
        if item is None or not is_withheld(kind, item):
            if self.disclose is not None:
                self.disclose.disabled = True
            self._form = None
            return
        entry = entry_for(session, kind, item_id)
        if not again and self._form == (kind, item_id, entry):
            return
        self._form = (kind, item_id, entry)
        links = self._links(session, plan_owner(item))
        with self.quietly():
            if [tuple(o) for o in self.link.options] != links:
                self.link.options = links
        for widget, key, value in ((self.decision, "decision", entry.decision), (self.by, "by", entry.by),
                                   (self.condition, "condition", entry.condition or ""),
                                   (self.reason, "reason", entry.reason or ""),
                                   (self.affected, "affected", entry.affected_from),
                                   (self.link, "link", entry.linked_to if entry.linked_to in
                                    [v for _label, v in links] else "")):
            self.show(widget, key, value)
        if self.disclose is not None:
            self.disclose.disabled = entry.decision != "now"

    # -- callbacks (each checks the role before it saves) ----------------------------------
    def _target(self) -> tuple[str, str, Any]:
        value = str(self.pick.value or "")
        kind, _sep, item_id = value.partition(":")
        line = self._lines.get(value)
        if line is None:
            raise InputError(_("choose a withheld item first"))
        session = self.ctx.session()
        item = session.item(kind, item_id)
        require(item is not None and (self.ctx.facilitator or item.audience == self.role),
                _("deciding on an item that is not this role's"))
        return kind, item_id, item

    @guarded
    def _picked(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        self.forget_input()
        self._show()

    @guarded
    def _record(self, _button: Any = None) -> None:
        kind, item_id, item = self._target()
        decision = str(self.decision.value)
        by = self.by.value if decision == "by" else None
        if decision == "by" and not isinstance(by, dt.date):
            raise InputError(_("choose the day to disclose by"))
        self.store.disclosure_plan.decide(self.session_id, kind, item_id, decision, role=self.actor, by=by,
                          condition=self.condition.value.strip() if decision == "by" else None,
                          reason=self.reason.value.strip() or None)
        self.forget_input()
        self.ctx.changed(_("decision on '{title}'").format(title=_title(item)))

    @guarded
    def _clock(self, _button: Any = None) -> None:
        kind, item_id, item = self._target()
        day = self.affected.value if isinstance(self.affected.value, dt.date) else None
        self.store.disclosure_plan.set_clock(self.session_id, kind, item_id, role=self.actor, affected_from=day,
                             linked_to=str(self.link.value or "") or None)
        self.forget_input()
        self.ctx.changed(_("dates of '{title}'").format(title=_title(item)))

    @guarded
    def _disclose(self, _button: Any = None) -> None:
        require(self.ctx.facilitator, _("disclosing withheld items"))
        kind, item_id, item = self._target()
        self.store.disclosure_plan.disclose(self.session_id, kind, item_id, role=self.actor)
        self.ctx.changed(_("disclosed '{title}' to everyone").format(title=_title(item)))


def _title(item: Any) -> str:
    return shorten(getattr(item, "title", "") or getattr(item, "text", ""), 60)


def _muted(text: str) -> str:
    return f"<br><span class='pmkit-muted'>{esc(text)}</span>"


def _clock(line: PlanLine) -> str:
    """"2026-11-10 → 2026-11-30 (suggested), 1 day left"."""
    since = day(line.withheld_since, missing="?")
    if line.affected_from is None:
        return f"{since} → " + _("not known")
    suggested = " (" + _("suggested") + ")" if line.affected_source.startswith("suggested") else ""
    left = line.days_left or 0
    when = (ngettext("{n} day ago", "{n} days ago", -left).format(n=count(-left)) if left < 0
            else _("today") if left == 0 else ngettext("{n} day left", "{n} days left", left).format(n=count(left)))
    return f"{since} → {day(line.affected_from)}{suggested}, {when}"


def timeline_alt(lines: tuple[PlanLine, ...], today: dt.date) -> str:
    """What the timeline shows, in words (its text alternative): how many items are withheld,
    how many are undecided, past their day to disclose by, or affect the customer soon, and
    each item's clock."""
    if not lines:
        return _("Disclosure plan timeline: nothing is withheld.")
    undecided = sum(x.decision == "undecided" for x in lines)
    overdue = sum(x.overdue for x in lines)
    near = sum(x.near for x in lines)
    head = _("Disclosure plan timeline on {day}: {n} withheld item(s), {undecided} undecided, {overdue} past the "
             "day to disclose by, {near} affecting the customer soon.").format(
        day=day(today), n=count(len(lines)), undecided=count(undecided), overdue=count(overdue), near=count(near))
    return " ".join([head, *(f"{shorten(x.title, 60)}: {x.decision_text}; {_clock(x)}." for x in lines)])
