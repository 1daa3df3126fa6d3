"""The facilitator's *Agenda* panel: prepare the agenda, run it in the meeting, and make the
next meeting of the series.

Built for the facilitator's page only (``roles = (FACILITATOR,)``). The agenda is listed
with each item's state and time (counted from the store's time stamps against the server's
clock, :mod:`pmkit.views.agenda`); items the room never shows (not joint, or about a
withheld item) are marked so. *Start*, *Next* and *Extend* run it; with *Show its goal in
the room* on, an item about a goal everyone sees puts that goal on the room screen when it
starts. An item is added with a title, a timebox, an audience and what it is about; one
about a withheld item takes that item's audience (the store refuses to make it joint).
*Make the next meeting* creates the next session of the series (:meth:`pmkit.store.series.Series.follow_up`).
Every change is an edit of the store: journaled, and undone with the board's undo.
"""

from __future__ import annotations

import datetime as dt

import ipywidgets as widgets

from pmkit.errors import AccessDenied, InputError
from pmkit.i18n import N_, _, pgettext
from pmkit.model import FACILITATOR, JOINT, Session
from pmkit.store import AgendaItem
from pmkit.text import shorten
from pmkit.views.agenda import minutes_text, state_text
from pmkit.widgets.common import audience_label
from pmkit.widgets.context import BoardContext
from pmkit.widgets.edge import esc, guarded
from pmkit.widgets.look import heading
from pmkit.widgets.panels.base import PanelBase

__all__ = ["AgendaPanel", "about_options"]

_NONE = N_("Nothing in particular")
_ABOUT = {"goal": N_("Goal: {title}"), "issue": N_("Issue: {title}"), "option_issue": N_("Option issue: {title}")}


def about_options(session: Session) -> list[tuple[str, str]]:
    """What an agenda item may be about: the goals, numeric issues and option issues, those
    not for everyone marked."""
    out = [(_(_NONE), "")]
    for kind, items in (("goal", session.goals), ("issue", session.issues), ("option_issue", session.option_issues)):
        for x in items:
            mark = "" if x.audience == JOINT else f" [{audience_label(x.audience, session)}]"
            out.append((_(_ABOUT[kind]).format(title=shorten(x.title, 60)) + mark, f"{kind}:{x.id}"))
    return out


def _button(label: str, css: str, style: str = "") -> widgets.Button:
    b = widgets.Button(description=label, button_style=style)
    b.add_class(css)
    return b


class AgendaPanel(PanelBase):
    """The agenda, run by the facilitator; and the next meeting of the series."""

    roles = (FACILITATOR,)  # built on the facilitator's page only

    def __init__(self, context: BoardContext) -> None:
        super().__init__(context)
        if context.role not in self.roles:
            raise AccessDenied(_("only the facilitator runs the agenda"))
        self.listing = widgets.HTML()
        self.listing.add_class("pmkit-agenda-list")
        self.start = _button(_("Start"), "pmkit-agenda-start", "primary")
        self.next = _button(_("Next item"), "pmkit-agenda-next", "primary")
        self.more = widgets.BoundedIntText(value=5, min=1, max=120, description=pgettext("a duration", "Minutes"),
                                           layout=widgets.Layout(width="12em"))
        self.extend = _button(_("Extend"), "pmkit-agenda-extend")
        self.show_goal = widgets.Checkbox(value=True, description=_("Show its goal in the room"), indent=False)
        self.title = widgets.Text(description=_("Title"), placeholder=_("What the item is for"),
                                  layout=widgets.Layout(width="36em"))
        self.title.add_class("pmkit-agenda-title")
        self.minutes = widgets.BoundedIntText(value=10, min=1, max=480, description=_("Timebox"),
                                              layout=widgets.Layout(width="12em"))
        self.audience = widgets.Dropdown(description=_("Audience"), layout=widgets.Layout(width="24em"))
        self.about = widgets.Dropdown(description=_("About"), options=[(_(_NONE), "")], value="",
                                      layout=widgets.Layout(width="44em"))
        self.add = _button(_("Add to the agenda"), "pmkit-agenda-add")
        self.date = widgets.Text(description=_("Date"), placeholder=_("YYYY-MM-DD"),
                                 layout=widgets.Layout(width="16em"))
        self.follow = _button(_("Make the next meeting"), "pmkit-follow-up")
        self.made = widgets.HTML()
        self.made.add_class("pmkit-follow-up-made")
        self.start.on_click(self._start)
        self.next.on_click(self._next)
        self.extend.on_click(self._extend)
        self.add.on_click(self._add)
        self.follow.on_click(self._follow_up)
        self.widget = widgets.VBox([
            self.listing,
            widgets.HBox([self.start, self.next, self.more, self.extend, self.show_goal]),
            widgets.HTML(heading(_("Add an item"))),
            self.title, widgets.HBox([self.minutes, self.audience]), self.about, self.add,
            widgets.HTML(heading(_("The next meeting of the series"))),
            widgets.HBox([self.date, self.follow]), self.made,
        ])
        self.widget.add_class("pmkit-agenda")
        self.draw_soon()

    def refresh(self) -> None:
        session = self.ctx.session()
        items = self.store.agenda.items(self.session_id, FACILITATOR)
        audiences = [(_("Everyone"), JOINT), (_("The facilitator"), FACILITATOR),
                     *((p.name, p.id) for p in session.parties)]
        if list(self.audience.options) != audiences:
            self.audience.options = audiences
            self.audience.value = JOINT
        options = about_options(session)
        if list(self.about.options) != options:
            keep = self.about.value if self.about.value in dict(options).values() else ""
            self.about.options = options
            self.about.value = keep
        self.listing.value = self._listing(session, items)

    def _listing(self, session: Session, items: list[AgendaItem]) -> str:
        if not items:
            return "<p class='pmkit-muted'>" + esc(_("No agenda yet: add its items below.")) + "</p>"
        room = {a.item_id for a in self.store.agenda.items(self.session_id, "room")}
        rows = []
        for a in items:
            badge = _("{audience}: not in the room").format(audience=audience_label(a.audience, session))
            where = "" if a.item_id in room else f" <span class='pmkit-badge'>{esc(badge)}</span>"
            rows.append(f"<tr class='pmkit-agenda-{a.state}'><td>{esc(a.title)}{where}</td>"
                        f"<td>{esc(minutes_text(a.timebox))}</td><td>{esc(state_text(a))}</td></tr>")
        head = "".join(f"<th>{esc(h)}</th>" for h in (_("Item"), _("Timebox"), _("Now")))
        return (f"<table class='pmkit-agenda-table'><thead><tr>{head}</tr>"
                f"</thead><tbody>{''.join(rows)}</tbody></table>")

    def _ran(self, item: AgendaItem | None, what: str) -> None:
        if item is not None and self.show_goal.value and item.audience == JOINT:
            kind, _, ref = item.about.partition(":")
            if kind == "goal":
                room = self.store.meeting.room_view(self.session_id)
                self.store.meeting.set_room_view(self.session_id, "goal", ref, room.weight, room.theme,
                                                 role=self.actor)
        self._saved(what)

    def _saved(self, what: str) -> None:
        """Say what was saved; the board redraws every panel (this one first, on its own)."""
        self.refresh()
        self.ctx.changed(what)

    @guarded
    def _start(self, _button: object = None) -> None:
        item = self.store.agenda.start(self.session_id, role=self.actor)
        self._ran(item, _("started '{title}'").format(title=shorten(item.title, 60)))

    @guarded
    def _next(self, _button: object = None) -> None:
        item = self.store.agenda.next(self.session_id, role=self.actor)
        self._ran(item, _("now '{title}'").format(title=shorten(item.title, 60)) if item else _("the agenda is done"))

    @guarded
    def _extend(self, _button: object = None) -> None:
        item = self.store.agenda.extend(self.session_id, int(self.more.value), role=self.actor)
        self._saved(_("'{title}' extended to {minutes}").format(title=shorten(item.title, 60),
                                                                minutes=minutes_text(item.timebox)))

    @guarded
    def _add(self, _button: object = None) -> None:
        about = str(self.about.value or "")
        # an item about something takes its audience unless the facilitator chose another than everyone
        audience = None if about and self.audience.value == JOINT else str(self.audience.value)
        item = self.store.agenda.add(self.session_id, self.title.value, int(self.minutes.value),
                                     audience=audience, about=about, role=self.actor)
        with self.quietly():
            self.title.value = ""
        self._saved(_("agenda item '{title}'").format(title=shorten(item.title, 60)))

    @guarded
    def _follow_up(self, _button: object = None) -> None:
        text = self.date.value.strip()
        try:
            day = dt.date.fromisoformat(text) if text else None
        except ValueError:
            raise InputError(_("'{text}' is not a date; write YYYY-MM-DD, e.g. 2026-12-08").format(
                text=shorten(text, 20))) from None
        new_id = self.store.series.follow_up(self.session_id, date=day, role=self.actor)
        place = self.store.series.place(new_id)
        made = _("Made meeting {number} of the series: session {session} (send its links with {command})").format(
            number=place.number if place else 2, session=f"<code>{esc(new_id)}</code>",
            command=f"<code>pmkit links {esc(new_id)}</code>")
        self.made.value = f"<p>{made}</p>"
        self.status.ok(_("Made the next meeting: {session}").format(session=new_id))
