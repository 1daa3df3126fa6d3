"""The meeting app's export panel: one button per format, for the page's own role only.

The role is fixed when the panel is built (from the signed link, never from a widget), so
whatever messages the browser sends, a click exports that role's view and nothing else.
Files go to ``<workspace>/exports/`` (see :mod:`pmkit.exports`), outside every folder the
app serves, and are offered back to the page as a download link. Failures show one short
line; no traceback reaches the page.
"""

from __future__ import annotations

import base64
import html
import io
import threading
import zipfile
from collections.abc import Callable

import ipywidgets as widgets

from pmkit.errors import PmkitError
from pmkit.model import FACILITATOR
from pmkit.reports.exports import Export, export
from pmkit.reports.render import report_kind
from pmkit.store import Workspace

__all__ = ["ExportPanel"]

_BUTTONS = (("html", "HTML"), ("pdf", "PDF"), ("md", "Markdown"), ("yaml", "YAML"))
_REPORT_NAMES = {"record": "the facilitator's record (confidential)",
                 "brief": "the management brief", "minutes": "the minutes"}


class ExportPanel:
    """Export buttons for ``role`` on session ``session_id``; display ``.widget``."""

    def __init__(self, store: Workspace, session_id: str, role: str) -> None:
        self._store = store
        self._session_id = session_id
        self._role = role
        self._lock = threading.Lock()
        self._exported_version: int | None = None
        self.last: Export | None = None
        self.buttons: dict[str, widgets.Button] = {}
        for fmt, label in _BUTTONS:
            button = widgets.Button(description=f"Export {label}", icon="download",
                                    tooltip=f"Save {label} for your role and offer it here")
            button.on_click(self._on_click(fmt))
            self.buttons[fmt] = button
        self.intro = widgets.HTML()
        self.status = widgets.HTML()
        self.link = widgets.HTML()
        self.widget = widgets.VBox(
            [self.intro, widgets.HBox(list(self.buttons.values())), self.status, self.link])
        self.widget.add_class("pmkit-export")
        self.refresh()

    def _on_click(self, fmt: str) -> Callable[[widgets.Button], None]:
        def handler(_button: widgets.Button) -> None:
            self.export(fmt)

        return handler

    def refresh(self) -> None:
        """Say what this role's export holds, and whether the session changed since the
        last export (then the offered file is out of date)."""
        what = _REPORT_NAMES[report_kind(self._role)]
        self.intro.value = (f"<b>Export</b> — HTML, PDF and Markdown give {html.escape(what)}; "
                            "YAML gives the session. Each holds only what your role may see.")
        if self._exported_version is None:
            return
        try:
            current = self._store.version(self._session_id)
        except PmkitError as exc:
            self._say(str(exc), error=True)
            return
        if current != self._exported_version:
            self._say("The session changed since this export; export again for the newest.")

    def export(self, fmt: str) -> Export | None:
        """Export ``fmt`` for the panel's role; returns what was written, or None on error
        (the message is shown in the panel)."""
        if not self._lock.acquire(blocking=False):
            self._say("An export is already running; wait for it to finish.")
            return None
        try:
            self._set_busy(True)
            self._say("Exporting…")
            version = self._store.version(self._session_id)
            done = export(self._store, self._session_id, self._role, fmt)
            self.link.value = self._download_link(done)
            self.last, self._exported_version = done, version
            where = (str(done.path.parent) if self._role == FACILITATOR
                     else "the workspace's exports folder")
            self._say(f"Saved {done.path.name} in {where}.")
            return done
        except PmkitError as exc:
            self._say(f"Export failed: {exc}", error=True)
        except Exception as exc:  # noqa: BLE001 - the edge: no traceback reaches the page
            self._say(f"Export failed ({type(exc).__name__}); nothing was offered. Try again or "
                      "use `pmkit export` on the command line.", error=True)
        finally:
            self._set_busy(False)
            self._lock.release()
        self.link.value = ""
        return None

    def _set_busy(self, busy: bool) -> None:
        for button in self.buttons.values():
            button.disabled = busy

    def _say(self, text: str, *, error: bool = False) -> None:
        colour = "#B00020" if error else "#1A1A1A"
        self.status.value = f'<span style="color:{colour}">{html.escape(text)}</span>'

    @staticmethod
    def _download_link(done: Export) -> str:
        if len(done.files) > 1:  # Markdown and its chart: offered together as one zip
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
                for path in done.files:
                    zf.write(path, arcname=path.name)
            data, name, media = buf.getvalue(), done.path.stem + ".zip", "application/zip"
        else:
            data, name, media = done.path.read_bytes(), done.path.name, done.media_type
        uri = f"data:{media};base64,{base64.b64encode(data).decode('ascii')}"
        return (f'<a class="pmkit-download" download="{html.escape(name)}" '
                f'href="{uri}">Download {html.escape(name)}</a>')
