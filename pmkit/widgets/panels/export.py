"""The meeting app's export panel: one button per format, for the page's own role only.

The role is fixed when the panel is built (from the signed link, never from a widget), so
whatever messages the browser sends, a click exports that role's view and nothing else.
Files go to ``<workspace>/exports/`` (see :mod:`pmkit.reports.exports`), outside every folder
the app serves, and are offered back to the page as a download link. Failures are one line
in the board's status line; no traceback reaches the page.

The facilitator's panel also has **Send minutes by email**: each audience its own report,
through the ``smtp_url`` setting (:func:`pmkit.reports.mail.send_minutes`); the record goes to
the ``facilitator_email`` setting's address. A party's panel has no such button: the
callback checks the role too, whatever the browser sends.
"""

from __future__ import annotations

import base64
import io
import threading
import zipfile
from collections.abc import Callable

import ipywidgets as widgets

from pmkit.errors import AccessDenied, PmkitError
from pmkit.i18n import N_, _, ngettext
from pmkit.model import FACILITATOR
from pmkit.reports.exports import Export, export
from pmkit.reports.mail import send_minutes
from pmkit.reports.render import report_kind
from pmkit.reports.smtp import smtp_server
from pmkit.text import count
from pmkit.widgets.context import BoardContext
from pmkit.widgets.edge import esc, guarded
from pmkit.widgets.panels.base import PanelBase

__all__ = ["ExportPanel"]

_BUTTONS = (("html", "HTML"), ("pdf", "PDF"), ("md", "Markdown"), ("yaml", "YAML"))
_REPORT_NAMES = {"record": N_("the facilitator's record (confidential)"),
                 "brief": N_("the management brief"), "minutes": N_("the minutes")}


class ExportPanel(PanelBase):
    """Export buttons for the board's role; display ``.widget``. One export runs at a time."""

    def __init__(self, context: BoardContext) -> None:
        super().__init__(context)
        self._busy = threading.Lock()
        self._exported_version: int | None = None
        self.last: Export | None = None
        self.buttons: dict[str, widgets.Button] = {}
        for fmt, label in _BUTTONS:
            button = widgets.Button(description=_("Export {format}").format(format=label), icon="download",
                                    tooltip=_("Save {format} for your role and offer it here").format(format=label))
            button.on_click(self._on_click(fmt))
            self.buttons[fmt] = button
        self.intro = widgets.HTML()
        self.link = widgets.HTML()
        rows: list[widgets.Widget] = [self.intro, widgets.HBox(list(self.buttons.values())), self.link]
        self.mail_button: widgets.Button | None = None
        if self.role == FACILITATOR:
            self.mail_button = widgets.Button(description=_("Send minutes by email"), icon="envelope",
                                              tooltip=_("Mail each audience its own report (HTML and PDF)"))
            self.mail_button.on_click(lambda _b: self.send())
            rows.append(self.mail_button)
        self.widget = widgets.VBox(rows)
        self.widget.add_class("pmkit-export")
        self.refresh()

    def _on_click(self, fmt: str) -> Callable[[widgets.Button], None]:
        def handler(_button: widgets.Button) -> None:
            self.export(fmt)

        return handler

    def refresh(self) -> None:
        """Say what this role's export holds, and whether the session changed since the
        last export (then the offered file is out of date)."""
        what = _(_REPORT_NAMES[report_kind(self.role)])
        text = _("HTML, PDF and Markdown give {report}; YAML gives the session. Each holds only what your role "
                 "may see.").format(report=what)
        self.intro.value = "<b>" + esc(_("Export")) + f"</b> — {esc(text)}"
        if self._exported_version is not None and self.ctx.version() != self._exported_version:
            self.status.ok(_("The session changed since this export; export again for the newest."))

    @guarded
    def export(self, fmt: str) -> Export | None:
        """Export ``fmt`` for the panel's role; returns what was written, or None when it
        failed (the status line says why) or another export is still running."""
        if not self._busy.acquire(blocking=False):
            self.status.ok(_("An export is already running; wait for it to finish."))
            return None
        self.link.value = ""
        try:
            self._set_busy(True)
            self.status.ok(_("Exporting…"))
            version = self.ctx.version()
            done = export(self.store, self.session_id, self.role, fmt, participant=self.ctx.participant)
            self.link.value = self._download_link(done)
            self.last, self._exported_version = done, version
            where = str(done.path.parent) if self.role == FACILITATOR else _("the workspace's exports folder")
            self.status.ok(_("Saved {file} in {folder}.").format(file=done.path.name, folder=where))
            return done
        finally:
            self._set_busy(False)
            self._busy.release()

    @guarded
    def send(self) -> int | None:
        """Mail each audience its own report (the facilitator's alone); returns how many
        messages failed (each journaled), or None when nothing was sent."""
        if self.role != FACILITATOR:
            raise AccessDenied(_("only the facilitator may send the minutes"))
        if not self._busy.acquire(blocking=False):
            self.status.ok(_("An export is already running; wait for it to finish."))
            return None
        try:
            self._set_busy(True)
            self.status.ok(_("Sending the minutes…"))
            try:
                sent = send_minutes(self.store, self.session_id, smtp_server())
            except PmkitError as exc:
                self.status.error(str(exc))
                return None
            failed = [r for r in sent if not r.ok]
            if failed:
                self.status.error(ngettext(
                    "{failed} of {n} message was not delivered (first: {to}: {error}); {command} lists them",
                    "{failed} of {n} messages were not delivered (first: {to}: {error}); {command} lists them",
                    len(sent)).format(failed=count(len(failed)), n=count(len(sent)), to=failed[0].to,
                                      error=failed[0].error, command=f"`pmkit send-minutes {self.session_id} --log`"))
            else:
                self.status.ok(ngettext("Sent the minutes: {n} message, each journaled.",
                                        "Sent the minutes: {n} messages, each journaled.", len(sent)).format(
                    n=count(len(sent))))
            return len(failed)
        finally:
            self._set_busy(False)
            self._busy.release()

    def _set_busy(self, busy: bool) -> None:
        for button in [*self.buttons.values(), *([self.mail_button] if self.mail_button else [])]:
            button.disabled = busy

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
        text = esc(_("Download {file}").format(file=name))
        return f'<a class="pmkit-download" download="{esc(name)}" href="{uri}">{text}</a>'
