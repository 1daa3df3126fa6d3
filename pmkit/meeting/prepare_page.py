"""The light page: a person prepares, or answers a round in the room, with no kernel.

``pmkit serve`` answers ``GET <base>/prepare?pmk=TOKEN`` (the person's own meeting link: a
participant's, or a party's without participants) with a server-rendered form
(``templates/prepare/page.html``, Jinja autoescape on) and a small script that saves each
answer as the person goes (``POST prepare/answer``), submits (``POST prepare/submit``) and
answers the open round's items (``POST prepare/round``). The page asks
``GET prepare/state`` twice a second which round is open, and reloads when that changes: a
round the facilitator opens shows on the phones within a second.

Every write is checked as strictly as a kernel's: the signed link and its generations, a
current participant (the link's :attr:`~pmkit.meeting.links.Grant.actor` is the store's
role, so the store checks the generations again inside the write's transaction), the window
open and the item asked of that person (:mod:`pmkit.store.prepare`), values in range, a body
of at most :data:`MAX_BODY` bytes holding known fields only, tornado's XSRF check (the token
in the page must match the cookie), and a rate limit per link (:class:`Limiter`). A refused
request gets a 4xx with one line, ``{"error": "..."}``, and nothing is written.

A request's store work (the link's check, the reads, the write) runs on one thread beside
the server's event loop (:class:`~pmkit.meeting.store_worker.StoreWorker`), so that no
request waits for another's disk; writes waiting together share one commit, and a save is
answered only once it is committed. Templates are parsed once per process.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

import jinja2
import tornado.web

from pmkit.errors import AccessDenied, ConflictError, InputError, NotFound, PmkitError, one_line
from pmkit.i18n import N_, TEMPLATE_GLOBALS, _, enter
from pmkit.i18n import current as i18n_current
from pmkit.meeting.links import Grant, check_query
from pmkit.meeting.store_worker import StoreWorker
from pmkit.meeting.words import reader_language
from pmkit.model import FACILITATOR, ROOM
from pmkit.resources import templates_dir
from pmkit.store import Workspace
from pmkit.store.prepare_rows import PAIR, check_value
from pmkit.text import editable, moment, number, read_number

__all__ = ["MAX_BODY", "PATHS", "Limiter", "handlers"]

MAX_BODY = 4096
POLL_MS = 500
_FIELDS = {"kind", "item", "value"}
_STATUS = {InputError: 400, AccessDenied: 403, NotFound: 404, ConflictError: 409}
_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates_dir() / "prepare")), autoescape=True,
                          undefined=jinja2.StrictUndefined, auto_reload=False)  # parsed once per process
_ENV.globals.update(TEMPLATE_GLOBALS, language=i18n_current, when=lambda iso: moment(_utc(iso)))
SAATY = [(9.0, "9"), (7.0, "7"), (5.0, "5"), (3.0, "3"), (1.0, "1"), (1 / 3, "1/3"), (1 / 5, "1/5"), (1 / 7, "1/7"),
         (1 / 9, "1/9")]


def _utc(iso: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso).astimezone(dt.UTC)


class Limiter:
    """A token bucket per link: ``burst`` requests at once, then ``rate`` a second."""

    def __init__(self, burst: float = 60, rate: float = 10) -> None:
        self.burst, self.rate = burst, rate
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        t = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.burst, t))
            tokens = min(self.burst, tokens + (t - last) * self.rate)
            if len(self._buckets) > 100_000:
                self._buckets.clear()
            if tokens < 1:
                self._buckets[key] = (tokens, t)
                return False
            self._buckets[key] = (tokens - 1, t)
            return True


class _Refused(Exception):
    """A request refused before the store is asked: its status and one line."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class _Base(tornado.web.RequestHandler):
    def initialize(self, ws: Workspace, limiter: Limiter, worker: StoreWorker) -> None:
        self.ws = ws
        self.limiter = limiter
        self.worker = worker

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("X-Frame-Options", "DENY")

    def prepare(self) -> None:
        """The request's language until its link is read: the browser's (pmkit.meeting.words)."""
        enter(reader_language(self.ws, self))

    def language(self, grant: Grant) -> str:
        """The reader's language: the link's, else the session's (reads the store: on the worker)."""
        return grant.lang or self.ws.sessions.language(grant.session_id)

    def grant(self) -> Grant:
        """The request's link, checked (reads the store: on the worker's thread)."""
        grant = check_query(self.ws, self.request.query)
        if grant.role in (FACILITATOR, ROOM):
            raise AccessDenied(_("this page is a participant's or a party's; the facilitator follows the "
                                 "preparation on the board or with `pmkit prepare status`"))
        return grant

    def fail(self, status: int, message: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps({"error": one_line(message)}))

    def _body(self) -> dict[str, Any] | _Refused:
        """The request's fields, or why they are refused (checked here, on the event loop:
        they need no store; reported after the link's and the rate limit's refusals)."""
        if len(self.request.body) > MAX_BODY:
            return _Refused(413, _("the request is larger than {size} bytes; nothing was saved").format(
                size=MAX_BODY))
        try:
            self.check_xsrf_cookie()
        except tornado.web.HTTPError:
            return _Refused(403, _("this page is out of date (its form token does not match); reload it, "
                                   "nothing was saved"))
        try:
            body = json.loads(self.request.body or b"{}")
        except ValueError:
            return _Refused(400, _("the request is not JSON; nothing was saved"))
        if not isinstance(body, dict) or not set(body) <= _FIELDS:
            return _Refused(400, _("the request may hold only {fields}; nothing was saved").format(
                fields=", ".join(sorted(_FIELDS))))
        return body

    async def checked_write(self, write: Callable[[Grant, dict[str, Any]], dict[str, Any] | None]) -> None:
        """Run ``write`` once the request passes every check (the link, the rate limit, its
        size, the XSRF token, its fields; then the store's own) and answer ``{"saved": true,
        ...}`` once it is committed; else the 4xx with one line, nothing written."""
        body = self._body()

        def job() -> dict[str, Any] | None:
            grant = self.grant()
            enter(self.language(grant))
            if not self.limiter.allow(f"{grant.session_id}/{grant.role}/{grant.participant}"):
                raise _Refused(429, _("too many requests from this link; wait a moment and try again"))
            if isinstance(body, _Refused):
                raise body
            return write(grant, body)

        try:
            result = await self.worker.run(job)
        except _Refused as exc:
            self.fail(exc.status, str(exc))
            return
        except PmkitError as exc:
            self.fail(next((s for t, s in _STATUS.items() if isinstance(exc, t)), 400), str(exc))
            return
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps({"saved": True, **(result or {})}))


class PageHandler(_Base):
    """``GET /prepare?pmk=TOKEN``: the person's form, what they saved, and the open round."""

    async def get(self) -> None:
        def job() -> tuple[Any, ...]:
            grant = self.grant()
            enter(self.language(grant))  # the job's context: the store's messages in the reader's language
            mine = self.ws.prepare.mine(grant.session_id, grant.actor, seen=True)
            current = self.ws.rounds.current(grant.session_id, grant.role, grant.participant)
            session = self.ws.sessions.load(grant.session_id, grant.role, grant.participant) if current else None
            return grant, mine, current, session, self.ws.prepare.title(grant.session_id), i18n_current()

        try:
            grant, mine, current, session, title, lang = await self.worker.run(job)
        except AccessDenied as exc:
            self.set_status(403)
            self.finish(_ENV.get_template("denied.html").render(message=str(exc)))
            return
        enter(lang)
        nonce = secrets.token_urlsafe(12)
        self.set_header("Content-Security-Policy",
                        f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
                        "connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'")
        self.finish(_ENV.get_template("page.html").render(
            title=title, mine=mine, questions=_questions(mine),
            sent=_sent(mine), round=_round_questions(current, session, grant.role), round_id=current.round_id
            if current else "", xsrf=self.xsrf_form_html(), nonce=nonce, poll=POLL_MS))


class StateHandler(_Base):
    """``GET /prepare/state?pmk=TOKEN``: which round is open (the page reloads on a change)."""

    async def get(self) -> None:
        def job() -> Any:
            grant = self.grant()
            return self.ws.rounds.current(grant.session_id, grant.role, grant.participant)

        try:
            current = await self.worker.run(job)
        except AccessDenied as exc:
            self.fail(403, str(exc))
            return
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps({"round": current.round_id if current else ""}))


class AnswerHandler(_Base):
    """``POST /prepare/answer``: one answer saved (``value`` null clears it)."""

    async def post(self) -> None:
        await self.checked_write(lambda grant, body: {"value": self.ws.prepare.answer(
            grant.session_id, str(body.get("kind")), str(body.get("item")), _mapping(body.get("value")),
            role=grant.actor)})


class SubmitHandler(_Base):
    """``POST /prepare/submit``: the person is done."""

    async def post(self) -> None:
        await self.checked_write(lambda grant, _body: {"at": self.ws.prepare.submit(grant.session_id,
                                                                                     role=grant.actor)})


class RoundHandler(_Base):
    """``POST /prepare/round``: a private answer on an item of the open round, through the
    items part's writes (the same as a kernel's)."""

    async def post(self) -> None:
        await self.checked_write(lambda grant, body: _round_answer(
            self.ws, grant, str(body.get("kind")), str(body.get("item")), _mapping(body.get("value"))))


_STANCES = {"support": N_("support"), "neutral": N_("neutral"), "oppose": N_("oppose")}


def _mapping(value: Any) -> dict[str, Any] | None:
    """An answer's fields, a number typed as text read as the reader's language writes it
    (``12.345,75`` on a German page); the store checks the rest."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InputError(_("an answer's value is a set of fields (or null to clear it); nothing was saved"))
    out = dict(value)
    for key in ("ideal", "walk_away"):
        if key in out:
            out[key] = _typed(out[key], key)
    if isinstance(out.get("scores"), dict):
        out["scores"] = {o: _typed(v, o) for o, v in out["scores"].items()}
    return out


def _typed(value: Any, what: str) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return read_number(value)
    except ValueError as exc:
        raise InputError(f"{what}: {exc}; " + _("nothing was saved")) from None


def _round_answer(ws: Workspace, grant: Grant, kind: str, item_id: str, value: dict[str, Any] | None) -> dict[str, Any]:
    current = ws.rounds.current(grant.session_id, grant.role, grant.participant)
    if current is None or not current.covers(kind, item_id):
        raise ConflictError(_("no open round asks this item; nothing was saved"))
    item = next((x for x in _items(ws.sessions.load(grant.session_id, grant.role, grant.participant), kind)
                 if x.id == item_id), None)
    if item is None:
        raise NotFound(_("{kind} '{item}' is not one you may answer").format(kind=kind, item=item_id))
    data = None if value is None else check_value(kind, item.model_dump(mode="json"), grant.role, value)
    sid, party, who, member = grant.session_id, grant.role, grant.actor, grant.participant
    if kind == "goal":
        ws.items.rate(sid, item_id, party, None if data is None else data["importance"],
                      None if data is None else data["stance"], role=who, participant=member)
    elif kind == "issue":
        ws.items.set_position(sid, item_id, party, None if data is None else data["ideal"],
                              None if data is None else data["walk_away"], role=who, participant=member)
    else:
        ws.items.set_option_scores(sid, item_id, party, scores=None if data is None else data["scores"],
                                   clear=data is None, role=who, participant=member)
    return {"round": current.round_id}


def _items(session: Any, kind: str) -> list[Any]:
    return list({"goal": session.goals, "issue": session.issues, "option_issue": session.option_issues}[kind])


def _question(kind: str, item: dict[str, Any], value: dict[str, Any] | None) -> dict[str, Any]:
    v = value or {}
    q: dict[str, Any] = {"kind": kind, "id": item["id"], "title": item.get("title", item["id"]),
                         "description": item.get("description", ""), "unit": item.get("unit", ""),
                         "importance": v.get("importance"), "stance": v.get("stance", "neutral"),
                         "ideal": editable(v.get("ideal")), "walk_away": editable(v.get("walk_away")),
                         "options": [{"id": o["id"], "label": o["label"],
                                      "score": editable(v.get("scores", {}).get(o["id"]))}
                                     for o in item.get("options", [])]}
    return q


def _questions(mine: Any) -> list[dict[str, Any]]:
    if mine is None:
        return []
    out = [_question(q.kind, q.item, mine.answers.get((q.kind, q.item_id))) for q in mine.asked]
    titles = {q.item_id: q.item.get("title", q.item_id) for q in mine.asked}
    for a, b in mine.pairs:
        key = "/".join(sorted((a, b)))
        first, second = key.split("/")
        value = (mine.answers.get((PAIR, key)) or {}).get("value")
        out.append({"kind": PAIR, "id": key, "title": titles[first], "other": titles[second],
                    "choices": [{"value": repr(v), "label": label, "chosen": value is not None and
                                 abs(v - value) < 1e-9} for v, label in SAATY]})
    return out


def _sent(mine: Any) -> list[tuple[str, str]]:
    """What the person sent, in words (shown once the window is closed)."""
    if mine is None:
        return []
    out = []
    for q in _questions(mine):
        v = mine.answers.get((q["kind"], q["id"]))
        if v is None:
            continue
        if q["kind"] == "goal":
            words = _("importance {importance}, {stance}").format(importance=v["importance"],
                                                                  stance=_(_STANCES.get(v["stance"], v["stance"])))
        elif q["kind"] == "issue":
            words = (_("ideal {ideal}").format(ideal=number(v["ideal"])) if v.get("walk_away") is None else
                     _("ideal {ideal}, walk-away {walk_away}").format(ideal=number(v["ideal"]),
                                                                      walk_away=number(v["walk_away"])))
        elif q["kind"] == "option_issue":
            words = ", ".join(f"{o['label']} {o['score']}" for o in q["options"] if o["score"] != "")
        else:
            words = next((c["label"] for c in q["choices"] if c["chosen"]), "")
            q["title"] = _("{title} against {other}").format(title=q["title"], other=q["other"])
        out.append((str(q["title"]), words))
    return out


def _round_questions(current: Any, session: Any, party: str) -> list[dict[str, Any]]:
    if current is None or session is None:
        return []
    out = []
    for kind, ids in (("goal", current.goals), ("issue", current.issues), ("option_issue", current.option_issues)):
        items = {x.id: x for x in _items(session, kind)}
        for item_id in ids:
            if item_id not in items:
                continue
            given = current.answer(party, kind, item_id)
            value = None
            if given is not None and given.rating is not None:
                value = given.rating.model_dump()
            elif given is not None and given.position is not None:
                value = given.position.model_dump()
            elif given is not None and given.option_scores is not None:
                value = given.option_scores.model_dump()
            out.append(_question(kind, items[item_id].model_dump(mode="json"), value))
    return out


PATHS = (("/prepare", PageHandler), ("/prepare/state", StateHandler), ("/prepare/answer", AnswerHandler),
         ("/prepare/submit", SubmitHandler), ("/prepare/round", RoundHandler))


def handlers(base_url: str, ws: Workspace) -> list[tuple[str, type[tornado.web.RequestHandler], dict[str, Any]]]:
    """The light page's routes under ``base_url``, sharing the server's workspace, one
    limiter and one store worker."""
    from jupyter_server.utils import url_path_join

    kwargs = {"ws": ws, "limiter": Limiter(), "worker": StoreWorker(ws)}
    return [(url_path_join(base_url, path), cls, kwargs) for path, cls in PATHS]
