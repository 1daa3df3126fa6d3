"""The language of the pages the server itself writes, and the words of the meeting page's script.

A page the server answers without a kernel (a refused link, a full server, the notice of a
board that did not load) speaks its reader's language (:func:`reader_language`): the link's
language, else the session's, and for a link that is not valid, the browser's
(``Accept-Language``), else English.

The meeting page's script shows a few notices before and after the board is there (the
connection was lost, the board is slow or did not load). It asks ``GET <base>/pmkit-words
?pmk=TOKEN`` (:class:`WordsHandler`) for them in the link's language; until they arrive, or
for a link that is not valid, it keeps its English ones. The answer holds those words and
the language code only: nothing of the session.
"""

from __future__ import annotations

import json
from typing import Any

import tornado.web

from pmkit.errors import AccessDenied, PmkitError
from pmkit.i18n import DEFAULT, LANGUAGES, _, use
from pmkit.meeting.links import Grant, check_query
from pmkit.store import Workspace

__all__ = ["PATH", "WordsHandler", "page_words", "reader_language"]

PATH = "/pmkit-words"


def reader_language(ws: Workspace, handler: Any, grant: Grant | None = None) -> str:
    """The language of a page for this request: the link's, the session's, else the browser's."""
    if grant is not None:
        try:
            return grant.lang or ws.sessions.language(grant.session_id)
        except PmkitError:
            pass
    for part in str(handler.request.headers.get("Accept-Language", "")).split(","):
        code = part.split(";")[0].strip().split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return DEFAULT


def page_words(lang: str) -> dict[str, str]:
    """The meeting page script's notices in ``lang``."""
    with use(lang):
        return {
            "lang": lang,
            "lost": _("The meeting connection was lost. Everything saved so far is kept. "),
            "slow": _("The board is taking long to load. Nothing is lost. "),
            "stalled": _("The board did not finish loading. Nothing is lost. "),
            "reload": _("Reload the page"),
            "page": _("The page"),
        }


class WordsHandler(tornado.web.RequestHandler):
    """``GET <base>/pmkit-words?pmk=TOKEN``: :func:`page_words` in the link's language."""

    def initialize(self, ws: Workspace) -> None:
        self.ws = ws

    def get(self) -> None:
        try:
            grant: Grant | None = check_query(self.ws, self.request.query)
        except AccessDenied:
            grant = None
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(page_words(reader_language(self.ws, self, grant))))
