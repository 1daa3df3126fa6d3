"""The printable pieces every report is made of: a line of a section and an embedded chart,
with the few formatting rules all reports share (dates, audience markers, the words for an
item's kind, a stance and an action's status; numbers and short text follow :mod:`pmkit.text`).
Everything is worded in the current language (:mod:`pmkit.i18n`); what users typed stays as
entered.

Part of the reports (:mod:`pmkit.reports.render`): :mod:`pmkit.reports.record` words the
facilitator's own sections with these, :mod:`pmkit.reports.context` the rest.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt

from pmkit.i18n import _, pgettext
from pmkit.model import FACILITATOR, JOINT, Session
from pmkit.text import day

__all__ = ["Chart", "ItemLine", "audience_marker", "date_text", "kind_label", "rating_text", "stance_text",
           "status_text"]


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
    """A day as the reader writes it (:func:`pmkit.text.day`), "—" for none."""
    return day(value) if value else "—"


def audience_marker(session: Session, audience: str) -> str:
    """"" for a joint item, else who alone may see it ("Programme management only")."""
    if audience == JOINT:
        return ""
    if audience == FACILITATOR:
        label = _("facilitator only")
    else:
        label = _("{party} only").format(party=session.party_name(audience))
    return label[:1].upper() + label[1:]


def kind_label(kind: str) -> str:
    """An item's kind as a report names it: ``Goal``, ``Issue``, ``Agreement``…"""
    labels = {
        "goal": _("Goal"),
        "issue": _("Issue"),
        "option_issue": _("Option issue"),
        "agreement": _("Agreement"),
        "decision": _("Decision"),
        "action": _("Action"),
        "note": _("Note"),
        "position": _("Position"),
    }
    return labels.get(kind) or kind[:1].upper() + kind[1:].replace("_", " ")


def stance_text(stance: str | None) -> str:
    """A stance in words: ``support``, ``neutral``, ``oppose``."""
    words = {"support": pgettext("stance", "support"), "neutral": pgettext("stance", "neutral"),
             "oppose": pgettext("stance", "oppose")}
    return words.get(str(stance), str(stance))


def rating_text(importance: object, stance: str | None) -> str:
    """A rating as the reports print it: ``4 support``."""
    return f"{importance} {stance_text(stance)}"


def status_text(status: str) -> str:
    """An action's status in words: ``open``, ``done``, ``dropped``."""
    words = {"open": pgettext("action status", "open"), "done": pgettext("action status", "done"),
             "dropped": pgettext("action status", "dropped")}
    return words.get(status, status)
