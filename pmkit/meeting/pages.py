"""The server's open pages: how many each link may have, how many the server runs, and
the kernels of pages that are gone.

Every meeting page is a kernel (about 100 MB). The server keeps one record per page from
the moment its link is accepted (before any kernel starts) to the moment its kernel stops:

* **Caps.** A link (a role's, or a member's own) may have ``pages_per_link`` open pages; the
  server runs at most ``kernels_per_server`` pages. Beyond either, :meth:`Pages.admit`
  refuses (HTTP 429 for the link, 503 for the server) and no kernel starts. The
  facilitator's link is never refused and not counted against the server.
* **Pages that are gone.** A page talks to its kernel over one websocket (jupyter_server
  counts them per kernel). Once a page that was connected has had no connection for
  ``page_gone_seconds`` — closed, reloaded, crashed, its device asleep or gone, with or
  without ``beforeunload`` — its kernel is shut down; a page that was served but never
  connected gets 30 s more. A page that went away no longer counts against its link. (A
  page's own unload request stops its kernel first, when it gets through: see "Why a page's
  kernel could outlive it" in docs/security.md.)
* **Revoked links.** Every ``revoke_check_seconds`` the server checks each page's link
  generation (:func:`pmkit.meeting.links.revoked`); the kernel of a revoked link's page,
  which shows the page that the link was revoked (:mod:`pmkit.meeting.revocation`), is
  shut down a moment later.
* **What is open.** The server writes its open pages, per link, to
  ``<workspace>/.pages/<pid>.json`` (no tokens: session, role, member, since when);
  ``pmkit open-pages SESSION`` reads them, and the server's log says when each opens and closes.

Relies on (check on upgrade): jupyter_server's ``MappingKernelManager._kernel_connections``
(kernel id -> open websockets), kept by its ``notify_connect`` / ``notify_disconnect``.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pmkit.formats.files import atomic_write
from pmkit.i18n import _
from pmkit.meeting.links import Grant, revoked
from pmkit.model import FACILITATOR
from pmkit.store import Workspace

__all__ = ["CURRENT", "NEVER_CONNECTED_EXTRA", "Full", "Page", "Pages", "open_pages", "snapshot_dir",
           "watch_kernels"]

NEVER_CONNECTED_EXTRA = 30.0  # a served page that never connects gets this much longer
REVOKED_GRACE = 2.0  # the revoked page's kernel shows its message before it is shut down
log = logging.getLogger("pmkit.serve")
# the record of the page whose request is being handled (set by the server's link check)
CURRENT: contextvars.ContextVar[Page | None] = contextvars.ContextVar("pmkit_page", default=None)


class Full(Exception):  # noqa: N818 - an answer, not a failure
    """A page refused for a cap: ``status`` (429 or 503) and a one-line ``message``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Page:
    grant: Grant
    since: float = field(default_factory=time.time)
    kernel_id: str | None = None
    served: float | None = None  # when its HTML was complete (monotonic)
    connected: bool = False  # has had a websocket
    last_seen: float = field(default_factory=time.monotonic)  # last time it had one
    revoked_at: float | None = None
    gone: bool = False  # connected once, now without a connection

    @property
    def link(self) -> str:
        g = self.grant
        return f"{g.role}:{g.participant}" if g.participant else g.role

    @property
    def facilitator(self) -> bool:
        return self.grant.role == FACILITATOR


def snapshot_dir(workspace: Path) -> Path:
    return workspace / ".pages"


class Pages:
    """The open pages of one server (the tornado thread only)."""

    def __init__(self, per_link: int, per_server: int, gone_seconds: float, folder: Path | None = None) -> None:
        self.per_link, self.per_server, self.gone_seconds = per_link, per_server, gone_seconds
        self.pages: list[Page] = []
        self.file = snapshot_dir(folder) / f"{os.getpid()}.json" if folder is not None else None

    def _live(self) -> list[Page]:
        return [p for p in self.pages if not p.gone]

    def admit(self, grant: Grant) -> Page:
        """A record for a new page of ``grant``'s link, or :class:`Full` (no kernel may start)."""
        page = Page(grant)
        if not page.facilitator:
            same = [p for p in self._live() if p.grant.session_id == grant.session_id and p.link == page.link]
            if len(same) >= self.per_link:
                log.warning("page refused: session %s, link %s already has %d open pages", grant.session_id,
                            page.link, len(same))
                raise Full(429, _("This link already has {count} pages open, the most one link may have. Close "
                                  "one (its place frees within seconds) or ask the facilitator for a link of your "
                                  "own.").format(count=len(same)))
            if sum(not p.facilitator for p in self.pages) >= self.per_server:
                log.warning("page refused: the server runs %d pages, its limit", self.per_server)
                raise Full(503, _("The meeting server is full. Try again in a minute, or ask the facilitator."))
        self.pages.append(page)
        log.info("page opened: session %s as %s (%d open on this link, %d on the server)", grant.session_id,
                 page.link, sum(p.link == page.link and p.grant.session_id == grant.session_id
                                for p in self._live()), len(self.pages))
        self.write()
        return page

    def bind(self, page: Page, kernel_id: str) -> None:
        if page.kernel_id is None:
            page.kernel_id = kernel_id
            self.write()

    def connected(self, kernel_id: str) -> None:
        for page in self.pages:
            if page.kernel_id == kernel_id:
                page.connected, page.last_seen, page.gone = True, time.monotonic(), False

    def served(self, page: Page) -> None:
        """The page's request ended: its HTML is complete, or it never got a kernel."""
        if page.kernel_id is None:
            self._drop(page, "no kernel started")
        else:
            page.served = time.monotonic()

    def _drop(self, page: Page, why: str) -> None:
        if page in self.pages:
            self.pages.remove(page)
            log.info("page closed: session %s as %s (%s)", page.grant.session_id, page.link, why)
            self.write()

    def tick(self, kernels: Iterable[str], connections: dict[str, int],
             revoked: Callable[[Grant], bool] | None = None) -> list[str]:
        """Look at every page once; returns the kernels to shut down now (their records are dropped)."""
        now, alive, stop = time.monotonic(), set(kernels), []
        checked: dict[tuple[str, str, str | None, int, int | None], bool] = {}
        for page in list(self.pages):
            kid = page.kernel_id
            if kid is None:
                continue
            if kid not in alive:
                self._drop(page, "its kernel stopped")
                continue
            if connections.get(kid, 0) > 0:
                page.connected, page.last_seen, page.gone = True, now, False
            elif page.connected:
                page.gone = True
            why = None
            if revoked is not None:
                g = page.grant
                key = (g.session_id, g.role, g.participant, g.link_epoch, g.member_epoch)
                if key not in checked:
                    checked[key] = revoked(g)
                if checked[key] and page.revoked_at is None:
                    page.revoked_at = now
            if page.revoked_at is not None and now - page.revoked_at >= REVOKED_GRACE:
                why = "its link was revoked"
            elif page.gone and now - page.last_seen >= self.gone_seconds:
                why = "the page is gone"
            elif not page.connected and page.served is not None \
                    and now - page.served >= self.gone_seconds + NEVER_CONNECTED_EXTRA:
                why = "the page never connected"
            if why is not None:
                stop.append(kid)
                self._drop(page, why)
        return stop

    def write(self) -> None:
        """The open pages per link, for ``pmkit open-pages`` (no tokens in it)."""
        if self.file is None:
            return
        rows = [{"session": p.grant.session_id, "role": p.grant.role, "participant": p.grant.participant,
                 "since": p.since, "connected": p.connected and not p.gone} for p in self.pages]
        try:
            self.file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            atomic_write(self.file, json.dumps({"pid": os.getpid(), "pages": rows}))
        except OSError as exc:
            log.warning("could not write the list of open pages: %s", exc)

    def remove_file(self) -> None:
        if self.file is not None:
            self.file.unlink(missing_ok=True)


def watch_kernels(km: Any, pages: Pages, ws: Workspace, every: float) -> None:
    """Tie each page's record to its kernel as it starts (the page handler's context carries
    the record), and look at every page each ``every`` seconds: shut down the kernels of
    pages that are gone or whose link was revoked (:meth:`Pages.tick`)."""
    import asyncio
    import inspect

    import tornado.ioloop

    start_kernel = km.start_kernel
    rendered = getattr(km, "get_rendered_notebook", None)

    async def start(*args: Any, **kwargs: Any) -> Any:
        kernel_id = start_kernel(*args, **kwargs)
        kernel_id = await kernel_id if inspect.isawaitable(kernel_id) else kernel_id
        page = CURRENT.get()
        if page is not None and "QUERY_STRING" in (kwargs.get("env") or {}):  # a page's, not the pool's
            pages.bind(page, kernel_id)
        return kernel_id

    async def from_pool(*args: Any, **kwargs: Any) -> Any:
        assert rendered is not None
        result = await rendered(*args, **kwargs)
        page = CURRENT.get()
        if page is not None:
            pages.bind(page, result[2])
        return result

    notify_connect = km.notify_connect

    def connected(kernel_id: str) -> None:  # seen at once, however short the connection
        notify_connect(kernel_id)
        pages.connected(kernel_id)

    km.start_kernel = start
    km.notify_connect = connected
    if rendered is not None:
        km.get_rendered_notebook = from_pool
    last_check = [0.0]

    def check(grant: Grant) -> bool:
        try:
            return revoked(ws, grant)
        except Exception as exc:  # noqa: BLE001 - a database hiccup: look again next time
            log.warning("could not check a page's link: %s", exc)
            return False

    def tick() -> None:
        now = time.monotonic()
        look = now - last_check[0] >= every
        if look:
            last_check[0] = now
        connections = dict(getattr(km, "_kernel_connections", {}))
        for kernel_id in pages.tick(list(km.list_kernel_ids()), connections, check if look else None):
            result = km.shutdown_kernel(kernel_id)
            if inspect.isawaitable(result):
                asyncio.ensure_future(result)

    tornado.ioloop.PeriodicCallback(tick, 500).start()
    log.info("open pages: at most %d per link, %d on the server; kernels of pages gone for %g s are shut down",
             pages.per_link, pages.per_server, pages.gone_seconds)


def open_pages(workspace: Path, session_id: str) -> list[dict[str, Any]]:
    """The open pages of ``session_id`` on every running server of this workspace."""
    rows: list[dict[str, Any]] = []
    where = snapshot_dir(workspace)
    for path in sorted(where.glob("*.json")) if where.is_dir() else []:
        try:
            data = json.loads(path.read_text())
            pid = int(data["pid"])
            os.kill(pid, 0)  # a server that stopped without cleaning up: not running
        except (OSError, ValueError, KeyError, TypeError):
            continue
        rows += [{**r, "server": pid} for r in data.get("pages", []) if r.get("session") == session_id]
    return rows
