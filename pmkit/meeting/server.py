"""``pmkit serve``: Voila, standalone, on the meeting notebook, hardened.

* binds 127.0.0.1 unless told otherwise; the port is fixed (no silent fallback);
* every page needs a signed link, checked before any kernel starts: by Voila's prelaunch
  hook, or (with ``--preheat``, which Voila cannot combine with that hook) by the page
  handler before a preheated kernel is handed out;
* no tracebacks to the browser, template and theme overrides off, no files served from
  the notebook folder, a Content-Security-Policy on every response, query strings (and so
  links) kept out of the server log;
* a link may have a few open pages and the server a few dozen; the kernels of pages that are
  gone or whose link was revoked are shut down within seconds (:mod:`pmkit.meeting.pages`);
* idle kernels are culled; Ctrl-C or SIGTERM stops the server and shuts its kernels down;
* run by JupyterHub as a service (:mod:`pmkit.meeting.hub`), it serves under the service's
  prefix, and a facilitator's page also needs the hub's login.
"""

from __future__ import annotations

import html
import logging
import os
import sys
import time
from collections.abc import Callable
from typing import Any

from pmkit import settings
from pmkit.errors import AccessDenied, InputError
from pmkit.i18n import N_, _, current, use
from pmkit.meeting.hub import HubLogin, hub_config
from pmkit.meeting.links import check_query, link_url, make_token, secret_key
from pmkit.meeting.pages import CURRENT, Full, Pages, watch_kernels
from pmkit.meeting.words import PATH as WORDS_PATH
from pmkit.meeting.words import WordsHandler, page_words, reader_language
from pmkit.model import FACILITATOR
from pmkit.resources import notebooks_dir, templates_dir
from pmkit.store import Workspace

__all__ = ["CSP", "MEETING_NOTEBOOK", "denied_page", "full_page", "serve"]

MEETING_NOTEBOOK = "meeting.ipynb"
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
log = logging.getLogger("pmkit.serve")


_DENIED, _FULL = N_("Link not accepted"), N_("Too many open pages")


def denied_page(message: str) -> str:
    """The page a missing, forged, expired or revoked link gets: no session data at all."""
    return (
        f"<!doctype html><html lang='{current()}'><head><meta charset='utf-8'><title>pmkit</title></head>"
        "<body style='font-family:sans-serif;margin:4em'>"
        f"<h1>{html.escape(_(_DENIED))}</h1><p class='pmkit-denied'>{html.escape(message)}</p>"
        "</body></html>"
    )


def full_page(message: str) -> str:
    """The page a request beyond a cap gets (HTTP 429 or 503): no kernel, no session data."""
    return (
        f"<!doctype html><html lang='{current()}'><head><meta charset='utf-8'><title>pmkit</title></head>"
        "<body style='font-family:sans-serif;margin:4em'>"
        f"<h1>{html.escape(_(_FULL))}</h1><p class='pmkit-full'>{html.escape(message)}</p>"
        "</body></html>"
    )


def _log_request(handler: Any) -> None:
    """Access log without query strings: links never land in the log."""
    status = handler.get_status()
    req = handler.request
    level = logging.DEBUG if status < 400 else logging.WARNING
    logging.getLogger("pmkit.access").log(
        level, "%d %s %s %.1fms", status, req.method, req.path, 1000.0 * req.request_time()
    )


def _configure_logging() -> None:
    logger = logging.getLogger("pmkit")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("[pmkit] %(levelname)s | %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def _schedule_backups() -> None:
    """A backup at start and every ``backup_minutes`` while serving (never fatal)."""
    import tornado.ioloop

    from pmkit.store.backups import make_backup

    minutes = settings.number("backup_minutes", 0, 7 * 24 * 60)
    if minutes <= 0:
        return

    def run() -> None:
        try:
            log.info("backup written: %s", make_backup().name)
        except Exception as exc:  # noqa: BLE001 - a failed backup must not stop the meeting
            log.warning("backup failed: %s", exc)

    tornado.ioloop.IOLoop.current().add_callback(run)
    tornado.ioloop.PeriodicCallback(run, minutes * 60_000).start()


def _gate(ws: Workspace, handler: Any, hub: HubLogin | None = None, pages: Pages | None = None) -> bool:
    """Check the request's link; answer 403 with :func:`denied_page` when it is not valid.
    Behind JupyterHub, a facilitator's link also needs the hub's login (else: to the login).
    Then the caps (:mod:`pmkit.meeting.pages`): 429 or 503 with :func:`full_page`; an admitted
    page's record goes with the handler (``pmkit_page``), before any kernel starts."""
    try:
        with use(reader_language(ws, handler)):  # a link that is not valid: the browser's language
            grant = check_query(ws, handler.request.query)
    except AccessDenied as exc:
        with use(reader_language(ws, handler)):
            _answer(handler, 403, denied_page(str(exc)))
        return False
    if hub is not None and grant.role == FACILITATOR:
        user = hub.user(handler)
        if user is None:
            hub.send_to_login(handler)
            return False
        log.info("facilitator page: hub user %s", user)
    if pages is not None:
        try:
            with use(reader_language(ws, handler, grant)):
                page = pages.admit(grant)
        except Full as exc:
            with use(reader_language(ws, handler, grant)):
                _answer(handler, exc.status, full_page(exc.message))
            return False
        handler.pmkit_page = page
        CURRENT.set(page)
    # Voila's page shuts its kernel down on unload with a POST that must carry the _xsrf
    # cookie, which nothing else sets (voila issue 1458): set it with the page.
    handler.xsrf_token  # noqa: B018 - reading it sets the cookie
    return True


def _answer(handler: Any, status: int, body: str) -> None:
    handler.set_status(status)
    handler.set_header("Content-Type", "text/html; charset=utf-8")
    handler.finish(body)


def _legacy_header(frame: bytes) -> dict[str, Any] | None:
    """The header of a binary frame in jupyter_server's legacy protocol (a big-endian count,
    big-endian offsets, then the JSON message)."""
    import json
    import struct

    try:
        (n,) = struct.unpack("!I", frame[:4])
        if not 0 < n <= 1024:
            return None
        offsets = struct.unpack(f"!{n}I", frame[4 : 4 + 4 * n])
        end = offsets[1] if n > 1 else len(frame)
        header = json.loads(frame[offsets[0] : end])["header"]
        return header if isinstance(header, dict) else None
    except (struct.error, ValueError, KeyError, TypeError):
        return None


_HEARTBEAT = "<script>window.voila_heartbeat()</script>\n"  # what Voila sends while a page waits
def _stalled(words: dict[str, str]) -> str:
    """Closes the page Voila left open, with pmkit's notice (styled by the template)."""
    return ('</div></div><div id="pmkit-kernel-notice" role="alert" style="display:block">'
            f"<span>{html.escape(words['stalled'])}</span>"
            '<button type="button" onclick="window.location.reload()">'
            f"{html.escape(words['reload'])}</button></div></body></html>")


def _voila_app(ws: Workspace, preheat: int, board_wait: int, hub: HubLogin | None, pages: Pages) -> Any:
    import tornado.web
    from jupyter_server.utils import url_path_join
    from voila.app import Voila
    from voila.tornado.handler import TornadoVoilaHandler
    from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

    from pmkit.meeting.calendar import PATH as CALENDAR_PATH
    from pmkit.meeting.calendar import CalendarHandler
    from pmkit.meeting.prepare_page import handlers as prepare_handlers
    from pmkit.meeting.reminders import watch_reminders

    class KernelWebsocketHandler(VoilaKernelWebsocketHandler):
        """Voila reads every binary frame as the v1 protocol; a client speaking the legacy
        protocol then makes it read a huge offset count and exhaust the server's memory.
        Frames for legacy clients are read here with the legacy layout instead."""

        def write_message(self, message: Any, binary: bool = False) -> Any:
            if isinstance(message, bytes) and self.selected_subprotocol != "v1.kernel.websocket.jupyter.org":
                header = _legacy_header(message)
                if header is not None and header.get("msg_type") == "execute_input":
                    return None
                return super(VoilaKernelWebsocketHandler, self).write_message(message, binary)
            return super().write_message(message, binary)

    class MeetingPageHandler(TornadoVoilaHandler):
        """Voila's page, with two additions: with ``--preheat`` the link is checked here
        (without, Voila's prelaunch hook does it), and a page whose kernel never hands over
        its board (a kernel that died while starting leaves Voila sending heartbeats
        forever) is closed with the reload notice after twice the board wait."""

        async def get(self, path: str | None = None) -> None:
            if preheat and not _gate(ws, self, hub, pages):
                return
            try:
                await self._stream(path)
            finally:
                page = getattr(self, "pmkit_page", None)
                if page is not None:
                    pages.served(page)

        async def _stream(self, path: str | None) -> None:
            last = time.monotonic()
            async for chunk in self.get_generator(path=path):
                if chunk != _HEARTBEAT:
                    last = time.monotonic()
                elif time.monotonic() - last > 2 * board_wait:
                    log.error("a page's board did not come within %d s; the page offers a reload", 2 * board_wait)
                    page = getattr(self, "pmkit_page", None)
                    lang = reader_language(ws, self, page.grant if page is not None else None)
                    self.write(_stalled(page_words(lang)))
                    return
                self.write(chunk)
                self.flush()

    class HubCallbackHandler(tornado.web.RequestHandler):
        """Where the hub sends a facilitator back after logging in (OAuth's redirect)."""

        def get(self) -> None:
            assert hub is not None
            hub.finish_login(self)

    class MeetingVoila(Voila):
        announce: Callable[[], None] | None = None

        def init_handlers(self) -> list[Any]:
            handlers = [
                (h[0], KernelWebsocketHandler, *h[2:]) if h[1] is VoilaKernelWebsocketHandler else h
                for h in super().init_handlers()
            ]
            handlers = [(h[0], MeetingPageHandler, *h[2:]) if h[1] is TornadoVoilaHandler else h for h in handlers]
            handlers = [(url_path_join(self.base_url, CALENDAR_PATH), CalendarHandler),
                        (url_path_join(self.base_url, WORDS_PATH), WordsHandler, {"ws": ws}),
                        *prepare_handlers(self.base_url, ws), *handlers]
            return [(hub.callback_path, HubCallbackHandler), *handlers] if hub is not None else handlers

        def start(self) -> None:
            import signal

            import tornado.ioloop

            # SIGINT stops the server as SIGTERM does (Voila handles only SIGTERM): Ctrl-C, and
            # JupyterHub stopping its service with SIGINT, take the kernels down at once.
            signal.signal(signal.SIGINT, self._handle_signal_stop)
            every = settings.number("revoke_check_seconds", 0.1, 60)
            tornado.ioloop.IOLoop.current().add_callback(  # the kernel manager exists once serving
                lambda: watch_kernels(self.kernel_manager, pages, ws, every))
            tornado.ioloop.IOLoop.current().add_callback(lambda: watch_reminders(ws))
            if self.announce is not None:
                tornado.ioloop.IOLoop.current().add_callback(self.announce)
            super().start()

    def prelaunch(req: Any, notebook: Any, cwd: str) -> None:
        if not _gate(ws, req, hub, pages):
            raise tornado.web.Finish()

    return MeetingVoila, prelaunch


def serve(
    session_id: str | None = None,
    *,
    host: str | None = None,
    port: int | None = None,
    preheat: int | None = None,
    workspace: str | None = None,
    database: str | None = None,
    connection_dir: str | None = None,
    all_roles: bool = False,
    out: Callable[[str], None] = print,
) -> int:
    """Serve the meeting app until Ctrl-C or SIGTERM; returns the exit code."""
    if workspace is not None:
        os.environ["PMKIT_WORKSPACE"] = str(workspace)
    if database is not None:  # the kernels open the same database
        os.environ["PMKIT_DATABASE_URL"] = settings.database_url(database) or ""
    host = host or settings.get("host")
    port = int(port if port is not None else settings.get("port"))
    if not 0 < port < 65536:
        raise InputError(_("port {port} is outside 1-65535").format(port=port))
    if preheat is None:
        preheat = int(settings.number("preheat", 0, 32))
    if preheat < 0 or preheat > 32:
        raise InputError(_("--preheat {count}: use 0 (off) to 32 kernels").format(count=preheat))
    ws = Workspace()
    if session_id is not None:
        ws.sessions.info(session_id)  # a clear error before anything starts
    notebook = notebooks_dir() / MEETING_NOTEBOOK
    if not notebook.is_file():
        raise InputError(_("the meeting notebook is missing: {path}").format(path=notebook))
    # pmkit's Voila template lives in templates/voila/templates/pmkit (Jupyter's data layout).
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(templates_dir()), os.environ.get("JUPYTER_PATH", "")) if p
    )
    cull = int(settings.number("cull_idle_seconds", 0, 7 * 24 * 3600))
    board_wait = int(settings.number("board_wait_seconds", 4, 3600))  # 4 s: nbclient's own default
    argv = [
        str(notebook),
        "--no-browser",
        f"--Voila.ip={host}",
        f"--Voila.port={port}",
        "--Voila.port_retries=0",
        "--Voila.log_level=INFO",
        "--VoilaConfiguration.template=pmkit",
        "--VoilaConfiguration.theme=light",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
        f"--MappingKernelManager.cull_idle_timeout={cull}",
        f"--MappingKernelManager.cull_interval={max(1, min(60, cull // 2))}",
        "--MappingKernelManager.cull_connected=False",
        # The board opens a few hundred widget comms before it is displayed; on a busy
        # machine its display message reaches the server many seconds after the execution
        # reply, and nbclient's default wait (4 s) would drop it: a page with no board.
        f"--VoilaExecutor.iopub_timeout={board_wait}",
    ]
    if preheat:
        argv += ["--VoilaConfiguration.preheat_kernel=True", f"--VoilaConfiguration.default_pool_size={preheat}"]
    if connection_dir:
        argv.append(f"--Voila.connection_dir_root={connection_dir}")

    hub_settings = hub_config()
    hub = HubLogin(hub_settings, secret_key(ws)) if hub_settings is not None else None
    if hub_settings is not None:  # behind the hub's proxy, at the service's prefix
        argv.append(f"--Voila.base_url={hub_settings.prefix}")
    _configure_logging()
    pages = Pages(int(settings.number("pages_per_link", 1, 1000)),
                  int(settings.number("kernels_per_server", 1, 10_000)),
                  settings.number("page_gone_seconds", 1, 3600), settings.workspace_dir())
    app_class, prelaunch = _voila_app(ws, preheat, board_wait, hub, pages)
    app = app_class()
    app.initialize(argv)
    app.voila_configuration.file_allowlist = []  # serve no file from the notebook folder
    app.voila_configuration.file_denylist = [".*"]
    if not preheat:
        app.voila_configuration.prelaunch_hook = prelaunch
    app.tornado_settings = {**app.tornado_settings, "headers": dict(_HEADERS), "log_function": _log_request}
    base = f"http://{'[' + host + ']' if ':' in host else host}:{port}"
    if hub_settings is not None:
        base += hub_settings.prefix.rstrip("/")

    def announce() -> None:
        log.info("sessions in %s", ws.where)
        out(_("serving {url}/ (Ctrl-C stops the server and its kernels)").format(url=base))
        if session_id is not None:
            for role in ws.sessions.link_roles(session_id) if all_roles else ["facilitator"]:
                out(f"{role} {link_url(base, make_token(ws, session_id, role))}")
        else:
            out(_("make links with: pmkit links SESSION"))
        sys.stdout.flush()

    app.announce = announce
    _schedule_backups()
    try:
        app.start()
    finally:
        pages.remove_file()
    ws.close()
    return 0
