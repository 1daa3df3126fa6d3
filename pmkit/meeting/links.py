"""Roles and signed meeting links.

A link carries one query parameter, ``pmk``: the session id, the role, an expiry time and
the session's link generation, signed with the workspace's secret (itsdangerous, HMAC).
Signed, not encrypted: whoever holds a link can read its payload, so it holds nothing but
those four (session ids are random and carry no words), and the language the page speaks
when the facilitator chose one for that link (``pmkit links --lang de``; else the
session's language). The roles with a link are the
facilitator, each party and the room (``Workspace.link_roles``).
The server checks it before any kernel starts (Voila's prelaunch hook, or the page
handler when kernels are preheated) and the kernel checks it again before it loads
anything. ``pmkit links --revoke`` moves the session to a new generation: every earlier
link stops working. The role always comes from the link, never from a widget.

A member of a party (a participant) has a link of their own: the role is the party, and
the payload also names the participant (by id: the payload is signed, not encrypted, so it
never carries a name) and that participant's own link generation. It is checked like a
role's link, and the participant must still be a current member of that party, with that
generation: revoking one person's link (``pmkit participants SESSION --revoke ID``) or
removing them leaves every other link valid.
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode

from itsdangerous import BadSignature, URLSafeSerializer

from pmkit import settings
from pmkit.errors import AccessDenied, InputError, NotFound, StorageError
from pmkit.i18n import LANGUAGES, _, check_language
from pmkit.rules.permissions import Actor
from pmkit.store import Workspace

__all__ = ["PARAM", "Grant", "check_query", "link_url", "make_token", "revoked", "secret_key",
           "verify_token"]

PARAM = "pmk"  # not "token": jupyter_server reads that name itself
_SALT = "pmkit-meeting-link-v1"
_SECRET_FILE = "secret.key"
_MAX_TOKEN = 2048
_SECRETS: dict[str, tuple[tuple[str, int, int, int], bytes]] = {}  # a secret file's contents, by path and stat


@dataclass(frozen=True)
class Grant:
    """What a valid link allows: one role on one session, until ``expires`` (epoch seconds)."""

    session_id: str
    role: str
    expires: float
    participant: str | None = None  # a member's own link: the member's id (the role is their party)
    link_epoch: int = 0  # the session's link generation the link was signed for
    member_epoch: int | None = None  # a member's link: the member's own link generation
    lang: str | None = None  # the language chosen for this link (None: the session's)

    @property
    def actor(self) -> Actor:
        """Who a page opened from this link writes as: the store refuses its writes once the
        link is revoked, even from a page opened before."""
        return Actor(self.role, self.participant, self.link_epoch, self.member_epoch)


def secret_key(ws: Workspace) -> bytes:
    """The workspace's signing secret: ``$PMKIT_SECRET``, else ``<workspace>/secret.key``
    (created on first use, readable by its owner only)."""
    env = os.environ.get("PMKIT_SECRET", "").strip()
    if env:
        return env.encode()
    path = Path(ws.folder) / _SECRET_FILE
    try:
        stamp = path.stat()
    except FileNotFoundError:
        pass
    else:  # read once per version of the file (every checked link needs it)
        seen = (str(path), stamp.st_ino, stamp.st_mtime_ns, stamp.st_size)
        cached = _SECRETS.get(seen[0])
        if cached is not None and cached[0] == seen:
            return cached[1]
        key = path.read_bytes().strip()
        _SECRETS[seen[0]] = (seen, key)
        return key
    key = secrets.token_urlsafe(48).encode()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return path.read_bytes().strip()
    except OSError as exc:
        raise StorageError(_("cannot create the link secret {path}: {reason}").format(
            path=path, reason=exc.strerror)) from None
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    return key


_SERIALIZERS: dict[bytes, URLSafeSerializer] = {}  # by secret: built once, not per request


def _serializer(ws: Workspace) -> URLSafeSerializer:
    key = secret_key(ws)
    found = _SERIALIZERS.get(key)
    if found is None:
        found = _SERIALIZERS.setdefault(key, URLSafeSerializer(key, salt=_SALT))
    return found


def make_token(ws: Workspace, session_id: str, role: str, *, ttl_hours: float | None = None,
               participant: str | None = None, lang: str | None = None) -> str:
    """A signed token for ``role`` on ``session_id``, valid for ``ttl_hours``; with
    ``participant``, that member's own link (``role`` must be their party); with ``lang``,
    its page speaks that language (:data:`pmkit.i18n.LANGUAGES`) whatever the session's."""
    roles = ws.sessions.link_roles(session_id)
    if role not in roles:
        raise AccessDenied(_("unknown role '{role}'; this session's roles are {roles}").format(
            role=role, roles=", ".join(roles)))
    hours = settings.number("link_ttl_hours", 0, 24 * 365) if ttl_hours is None else float(ttl_hours)
    payload = {
        "s": session_id,
        "r": role,
        "x": int(time.time() + hours * 3600),
        "e": ws.meeting.link_epoch(session_id),
    }
    if participant is not None:
        member = ws.participants.get(session_id, participant)
        if member is None or not member.active or member.party != role:
            raise AccessDenied(_("no current participant '{participant}' of '{party}' in session '{session}'; "
                                 "`pmkit participants SESSION` lists them").format(
                participant=participant, party=role, session=session_id))
        payload.update(p=participant, q=member.link_epoch)
    if lang is not None:
        try:
            payload["l"] = check_language(lang)
        except ValueError as exc:
            raise InputError(str(exc)) from None
    return str(_serializer(ws).dumps(payload))


def link_url(base_url: str, token: str) -> str:
    return base_url.rstrip("/") + "/?" + urlencode({PARAM: token})


def verify_token(ws: Workspace, token: str | None) -> Grant:
    """Check a token; raises :class:`AccessDenied` saying why (missing, forged, expired,
    revoked, unknown session or role). Never reveals anything about the session."""
    if not token:
        raise AccessDenied(_("this page needs a meeting link; ask the facilitator for yours"))
    if len(token) > _MAX_TOKEN:
        raise AccessDenied(_("this meeting link is not valid; ask the facilitator for a new one"))
    try:
        data = _serializer(ws).loads(token)
    except BadSignature:
        raise AccessDenied(_("this meeting link is not valid; ask the facilitator for a new one")) from None
    if not isinstance(data, dict) or not {"s", "r", "x", "e"} <= set(data):
        raise AccessDenied(_("this meeting link is not valid; ask the facilitator for a new one"))
    session_id, role = str(data["s"]), str(data["r"])
    if time.time() > float(data["x"]):
        raise AccessDenied(_("this meeting link has expired; ask the facilitator for a new one"))
    try:
        epoch = ws.meeting.link_epoch(session_id)
        roles = ws.sessions.link_roles(session_id)
    except NotFound:
        raise AccessDenied(_("this meeting link is not valid; ask the facilitator for a new one")) from None
    if int(data["e"]) != epoch:
        raise AccessDenied(_("this meeting link was revoked; ask the facilitator for a new one"))
    if role not in roles:
        raise AccessDenied(_("this meeting link is not valid; ask the facilitator for a new one"))
    participant = data.get("p")
    if participant is not None:
        member = ws.participants.get(session_id, str(participant))
        if member is None or member.party != role:
            raise AccessDenied(_("this meeting link is not valid; ask the facilitator for a new one"))
        if not member.active or int(data.get("q", -1)) != member.link_epoch:
            raise AccessDenied(_("this meeting link was revoked; ask the facilitator for a new one"))
        participant = member.participant_id
    lang = data.get("l")
    return Grant(session_id=session_id, role=role, expires=float(data["x"]), participant=participant,
                 link_epoch=epoch, member_epoch=None if participant is None else int(data["q"]),
                 lang=str(lang) if lang in LANGUAGES else None)


def revoked(ws: Workspace, grant: Grant) -> bool:
    """Whether the link behind ``grant`` was revoked since it was checked: the session's
    links (``pmkit links --revoke``), or the member's own link (``pmkit participants
    --revoke``, or the member removed). An open page of that link stops (pmkit.meeting.app)."""
    try:
        if ws.meeting.link_epoch(grant.session_id) != grant.link_epoch:
            return True
        if grant.participant is None:
            return False
        member = ws.participants.get(grant.session_id, grant.participant)
    except NotFound:  # the session itself was deleted
        return True
    return member is None or not member.active or member.link_epoch != grant.member_epoch


def check_query(ws: Workspace, query_string: str) -> Grant:
    """Check the link in a request's query string (``pmk=...``)."""
    values = parse_qs(query_string or "", keep_blank_values=True).get(PARAM, [])
    if len(values) > 1:
        raise AccessDenied(_("this meeting link is not valid; ask the facilitator for a new one"))
    return verify_token(ws, values[0] if values else None)
