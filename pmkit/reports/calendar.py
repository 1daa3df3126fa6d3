"""A role's calendar feed (iCalendar, built with ``icalendar``), from that role's view alone.

What a feed holds:

* everyone's: each action with a due date, its owner in the event (open and done; a dropped
  action is cancelled), and the next meeting: the next session of the series when there is
  one with a date (read as the same role sees it), else the session's own date;
* management's (and the facilitator's) also: the disclose-by date of each withheld item
  whose plan decision is ``by`` (the view holds only what the role may see);
* the customer's: nothing else, not even a count: it is built from the customer's view,
  which never loaded anything else.

Each event's UID is stable (the session's id, the kind and the item's id; no words). The
feed's events are stamped by the store (:meth:`pmkit.store.calendar.Calendar.stamp`):
SEQUENCE rises when an event changes, and an event gone from the feed (an action deleted,
or no longer visible to the role) is served as CANCELLED.

An event's text is in the feed's language: the one asked for (``lang``, a link's), else the
meeting's (:mod:`pmkit.i18n`); the titles stay as entered.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import icalendar

from pmkit.i18n import _, use
from pmkit.model import Session
from pmkit.store import Workspace

__all__ = ["feed", "feed_events"]

_DOMAIN = "pmkit"


def feed_events(session: Session, session_id: str,
                next_meeting: tuple[str, Session] | None = None) -> dict[str, dict[str, Any]]:
    """The events of ``session`` (a role's own view), by UID: each a summary, a day and a
    description. ``next_meeting``: the next session of the series as ``(id, the same role's
    view of it)``; its date, when it has one, is the feed's next meeting."""
    out: dict[str, dict[str, Any]] = {}
    for a in session.actions:
        if a.due is None or a.status == "dropped":
            continue
        words = _("Owner: {owner}").format(owner=a.owner) if a.owner else _("No owner yet")
        summary = _("Due: {title} (done)") if a.status == "done" else _("Due: {title}")
        out[f"{session_id}-action-{a.id}@{_DOMAIN}"] = {
            "summary": summary.format(title=a.title),
            "day": a.due.isoformat(), "description": words}
    meeting = next_meeting[1] if next_meeting is not None and next_meeting[1].date is not None else session
    if meeting.date is not None:
        out[f"{session_id}-meeting@{_DOMAIN}"] = {"summary": _("Meeting: {title}").format(title=meeting.title),
                                                  "day": meeting.date.isoformat(), "description": ""}
    for entry in session.plan:
        if entry.decision != "by" or entry.by is None:
            continue
        item = next((session.item(k, entry.item) for k in ([entry.kind] if entry.kind else
                                                          ["goal", "issue", "agreement", "action", "note"])
                     if session.item(k, entry.item) is not None), None)
        title = getattr(item, "title", None) or getattr(item, "text", None) or entry.item
        out[f"{session_id}-disclose-{entry.item}@{_DOMAIN}"] = {
            "summary": _("Disclose by: {title}").format(title=title), "day": entry.by.isoformat(),
            "description": _("Condition: {condition}").format(condition=entry.condition) if entry.condition else ""}
    return out


def feed(ws: Workspace, session_id: str, role: str, *, now: dt.datetime | None = None,
         lang: str | None = None) -> bytes:
    """``role``'s feed as an iCalendar file, its events stamped (UIDs, SEQUENCE, CANCELLED),
    worded in ``lang`` (default: the meeting's language)."""
    session = ws.sessions.load(session_id, role)
    later = ws.series.next(session_id)
    following = (later, ws.sessions.load(later, role)) if later and role in ws.sessions.link_roles(later) else None
    with use(lang or ws.sessions.language(session_id)):
        events = feed_events(session, session_id, following)
    stamped = ws.calendar.stamp(session_id, role, {uid: (_fingerprint(d), d) for uid, d in events.items()})
    stamp = now or dt.datetime.now(dt.UTC)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//pmkit//calendar feed//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{session.title} ({role})")
    for s in stamped:
        ev = icalendar.Event()
        ev.add("uid", s.uid)
        ev.add("dtstamp", stamp)
        day = dt.date.fromisoformat(s.data["day"])
        ev.add("dtstart", day)
        ev.add("dtend", day + dt.timedelta(days=1))
        ev.add("summary", s.data["summary"])
        if s.data.get("description"):
            ev.add("description", s.data["description"])
        ev.add("sequence", s.sequence)
        ev.add("status", "CANCELLED" if s.cancelled else "CONFIRMED")
        cal.add_component(ev)
    return bytes(cal.to_ical())


def _fingerprint(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]
