"""The printable pieces every report is made of: a line of a section and an embedded chart,
with the few formatting rules all reports share (dates, audience markers; numbers and short
text follow :mod:`pmkit.text`).

Part of the reports (:mod:`pmkit.reports.render`): :mod:`pmkit.reports.record` words the
facilitator's own sections with these, :mod:`pmkit.reports.context` the rest.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt

from pmkit.model import JOINT, Session
from pmkit.rules.visibility import audience_label

__all__ = ["Chart", "ItemLine", "audience_marker", "date_text"]


@dataclasses.dataclass(frozen=True)
class ItemLine:
    """One printable line of a section: a title or text and the details beside it."""

    text: str
    detail: str = ""
    owner: str = ""
    due: str = ""
    status: str = ""
    kind: str = ""
    marker: str = ""  # "" for joint items, else e.g. "Programme management only"
    # per-party columns (goal ratings, issue positions), each a few phrases kept unbroken
    cells: tuple[tuple[str, ...], ...] = ()


@dataclasses.dataclass(frozen=True)
class Chart:
    """A chart as PNG, with its alternative text and the name of its file (Markdown)."""

    alt: str
    png: bytes
    file_name: str

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


def date_text(value: dt.date | None) -> str:
    return value.isoformat() if value else "—"


def audience_marker(session: Session, audience: str) -> str:
    """"" for a joint item, else who alone may see it ("Programme management only")."""
    if audience == JOINT:
        return ""
    label = audience_label(audience, session)
    return label[:1].upper() + label[1:]
