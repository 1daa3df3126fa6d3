"""Export one role's view of a session to a file: the role's report as HTML, Markdown or PDF,
or the session itself as YAML.

Where files go: ``<workspace>/exports/<session>-<role>.<ext>`` unless a path is given.
Nothing is ever written inside a folder the meeting app serves (the notebooks folder) or
inside pmkit's own templates: such a path is refused with :class:`~pmkit.errors.InputError`.
Files are written atomically (a crash never leaves half a file) and readable by their
owner only, since a facilitator's record or a brief is confidential. A report is written in
the current language (:mod:`pmkit.i18n`; ``pmkit export --lang`` sets it). Markdown writes its
charts beside the ``.md`` file as ``<name>-overlap.png`` (and, in the facilitator's record,
``<name>-frontier.png``).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from pmkit.errors import InputError, StorageError
from pmkit.formats.files import atomic_write
from pmkit.formats.yaml_file import dump_session
from pmkit.i18n import _
from pmkit.model import FACILITATOR, Session
from pmkit.reports.render import ReportContext, build_context, render_html, render_markdown, render_pdf
from pmkit.reports.spreadsheets import sheet_bytes
from pmkit.resources import notebooks_dir, templates_dir
from pmkit.store import Workspace
from pmkit.text import safe_name
from pmkit.views.participants import side_divisions

__all__ = [
    "EXPORT_FORMATS",
    "SHEET_FORMATS",
    "Export",
    "check_destination",
    "default_path",
    "export",
    "exports_dir",
    "protected_dirs",
    "report_context",
]

EXPORT_FORMATS = ("html", "md", "pdf", "yaml")
SHEET_FORMATS = ("xlsx", "csv")  # the role's view as tables (pmkit.formats.sheets)
_MEDIA = {"html": "text/html", "md": "text/markdown", "pdf": "application/pdf",
          "yaml": "application/yaml", "csv": "text/csv",
          "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass(frozen=True)
class Export:
    """What one export wrote: the main file first, then any file beside it (a chart)."""

    fmt: str
    role: str
    files: tuple[Path, ...]

    @property
    def path(self) -> Path:
        return self.files[0]

    @property
    def media_type(self) -> str:
        return _MEDIA[self.fmt]


def exports_dir(ws: Workspace) -> Path:
    """``<workspace>/exports``: the default folder for exports."""
    return ws.folder / "exports"


def default_path(ws: Workspace, session_id: str, role: str, fmt: str) -> Path:
    """``<workspace>/exports/<session>-<role>.<ext>``."""
    return exports_dir(ws) / f"{safe_name(f'{session_id}-{role}')}.{fmt}"


def protected_dirs() -> list[Path]:
    """Folders no export may be written into: the folder the meeting app serves and pmkit's
    own templates."""
    return [notebooks_dir().resolve(), templates_dir().resolve()]


def check_destination(path: str | os.PathLike[str]) -> Path:
    """The resolved ``path`` if an export may be written there, else :class:`InputError`."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise InputError(_("{path} is a folder; give a file name, e.g. {example}").format(
            path=target, example=target / "minutes.html"))
    resolved = target.resolve()
    for folder in protected_dirs():
        if resolved == folder or folder in resolved.parents:
            raise InputError(
                _("refusing to write {path}: it is inside {folder}, which the meeting app "
                  "serves or pmkit ships; choose a path outside it (default: {default})").format(
                    path=target, folder=folder, default="<workspace>/exports")
            )
    return resolved


def report_context(ws: Workspace, session: Session, session_id: str, role: str, *,
                   generated: dt.datetime | None = None, file_stem: str | None = None) -> ReportContext:
    """``role``'s report of ``session`` (``role``'s own view, loaded by the caller), with the
    disclosure plan's clock and, for the facilitator, where each side's members stand."""
    return build_context(session, role, session_id=session_id, generated=generated, file_stem=file_stem,
                         withheld_since=ws.disclosure_plan.withheld_since(session_id, role),
                         divisions=side_divisions(ws, session_id) if role == FACILITATOR else (),
                         agenda=ws.agenda.items(session_id, role))


def export(ws: Workspace, session_id: str, role: str, fmt: str,
           output: str | os.PathLike[str] | None = None, *,
           generated: dt.datetime | None = None, participant: str | None = None) -> Export:
    """Write ``role``'s export of a session as ``fmt`` (html, md, pdf, yaml, or the
    spreadsheets xlsx and csv).

    The session is loaded for ``role`` alone, so the file holds only what ``role`` may see
    (with ``participant``, a member's own page: what that member may see of their side).
    Writes to ``output`` or :func:`default_path`; returns what was written.
    """
    if fmt not in (*EXPORT_FORMATS, *SHEET_FORMATS):
        raise InputError(_("unknown export format '{format}'; use one of {formats}").format(
            format=fmt, formats=", ".join(EXPORT_FORMATS)))
    if output is None:
        folder = exports_dir(ws)
        check_destination(folder / "probe")
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise StorageError(_("cannot create {folder}: {reason}").format(
                folder=folder, reason=exc.strerror)) from None
        output = default_path(ws, session_id, role, fmt)
    target = check_destination(output)
    if not target.parent.is_dir():
        raise InputError(_("{folder}: no such folder; create it or choose another path").format(folder=target.parent))
    if fmt in SHEET_FORMATS:
        atomic_write(target, sheet_bytes(ws, session_id, role, fmt, participant))
        return Export(fmt, role, (target,))
    session = ws.sessions.load(session_id, role, participant)
    if fmt == "yaml":
        atomic_write(target, dump_session(session).encode("utf-8"))
        return Export(fmt, role, (target,))
    ctx = report_context(ws, session, session_id, role, generated=generated, file_stem=safe_name(target.stem))
    if fmt == "html":
        atomic_write(target, render_html(ctx, ws.folder).encode("utf-8"))
        return Export(fmt, role, (target,))
    if fmt == "pdf":
        atomic_write(target, render_pdf(ctx, ws.folder))
        return Export(fmt, role, (target,))
    text = render_markdown(ctx, ws.folder)
    files = [target]
    for image in ctx.charts:
        chart = target.parent / image.file_name
        atomic_write(chart, image.png)
        files.append(chart)
    atomic_write(target, text.encode("utf-8"))
    return Export(fmt, role, tuple(files))
