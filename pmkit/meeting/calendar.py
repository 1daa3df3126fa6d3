"""Calendar feeds at signed URLs, served by ``pmkit serve`` without a kernel.

A feed's URL is ``<base>/calendar/<token>.ics``. The token is signed like a meeting link
(:mod:`pmkit.meeting.links`: the workspace's secret, itsdangerous) with a salt of its own, so
a meeting link is no feed URL and a feed URL opens no page. It holds the session id, the role,
an expiry (the ``calendar_ttl_days`` setting) and the session's calendar generation:
``pmkit calendar SESSION --revoke`` moves the generation on and every earlier feed URL stops
working, while meeting links stay valid (and the other way round). One feed per role: the
facilitator's and each party's (the room has none).

:class:`CalendarHandler` is a plain jupyter_server (tornado) handler: it checks the token,
builds the role's feed from the role's own view (:mod:`pmkit.reports.calendar`) and answers
``text/calendar``; a bad token is 403 with one line and nothing about the session.
"""

from __future__ import annotations

import time

import tornado.web
from itsdangerous import BadSignature, URLSafeSerializer

from pmkit import settings
from pmkit.errors import AccessDenied, NotFound
from pmkit.i18n import N_, _
from pmkit.meeting.links import secret_key
from pmkit.model import ROOM
from pmkit.reports.calendar import feed
from pmkit.store import Workspace

__all__ = ["PATH", "CalendarHandler", "feed_roles", "feed_url", "make_feed_token", "verify_feed_token"]

PATH = r"/calendar/([A-Za-z0-9_.-]{1,2048})\.ics"
_SALT = "pmkit-calendar-feed-v1"
_INVALID = N_("this calendar URL is not valid; ask the facilitator for a new one")


def _serializer(ws: Workspace) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key(ws), salt=_SALT)


def feed_roles(ws: Workspace, session_id: str) -> list[str]:
    """The roles with a feed: the facilitator and each party."""
    return [r for r in ws.sessions.link_roles(session_id) if r != ROOM]


def make_feed_token(ws: Workspace, session_id: str, role: str, *, ttl_days: float | None = None) -> str:
    roles = feed_roles(ws, session_id)
    if role not in roles:
        raise AccessDenied(_("no calendar for '{role}'; this session's feeds are {roles}").format(
            role=role, roles=", ".join(roles)))
    days = settings.number("calendar_ttl_days", 0, 3660) if ttl_days is None else float(ttl_days)
    payload = {"s": session_id, "r": role, "x": int(time.time() + days * 86400), "e": ws.calendar.epoch(session_id)}
    return str(_serializer(ws).dumps(payload))


def feed_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/calendar/{token}.ics"


def verify_feed_token(ws: Workspace, token: str) -> tuple[str, str]:
    """``(session id, role)`` of a valid feed token; :class:`AccessDenied` saying why not."""
    try:
        data = _serializer(ws).loads(token)
    except BadSignature:
        raise AccessDenied(_(_INVALID)) from None
    if not isinstance(data, dict) or not {"s", "r", "x", "e"} <= set(data):
        raise AccessDenied(_(_INVALID))
    if time.time() > float(data["x"]):
        raise AccessDenied(_("this calendar URL has expired; ask the facilitator for a new one"))
    session_id, role = str(data["s"]), str(data["r"])
    try:
        epoch = ws.calendar.epoch(session_id)
        roles = feed_roles(ws, session_id)
    except NotFound:
        raise AccessDenied(_(_INVALID)) from None
    if int(data["e"]) != epoch:
        raise AccessDenied(_("this calendar URL was revoked; ask the facilitator for a new one"))
    if role not in roles:
        raise AccessDenied(_(_INVALID))
    return session_id, role


class CalendarHandler(tornado.web.RequestHandler):
    """``GET /calendar/<token>.ics``: the role's feed, or 403 with one line."""

    def get(self, token: str) -> None:
        with Workspace() as ws:  # `pmkit serve` set the workspace and database for the process
            try:
                session_id, role = verify_feed_token(ws, token)
            except AccessDenied as exc:
                self.set_status(403)
                self.set_header("Content-Type", "text/plain; charset=utf-8")
                self.finish(str(exc) + "\n")
                return
            body = feed(ws, session_id, role)
        self.set_header("Content-Type", "text/calendar; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(body)
