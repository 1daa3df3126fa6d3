"""Finding text that was not marked for translation: render in the pseudo-language
(:data:`pmkit.i18n.PSEUDO`, every marked string becomes ``[Ádd ĝóál]``) and look for English
words outside those brackets, once what users typed is taken out."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import ipywidgets as widgets

from pmkit.model import Session
from pmkit.widgets.common import iter_widgets

_TAG = re.compile(r"<[^>]*>")
_BRACKETED = re.compile(r"\[[^\[\]]*\]")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]{2,}")
# words that stay the same in every language: names, units and formats
ALLOWED = {"pmkit", "PDF", "HTML", "CSV", "YAML", "XLSX", "GENIUS", "AHP", "SMTP", "JSON", "URL", "ICS", "iCalendar",
           "Markdown", "xlsx", "csv", "yaml", "ics", "pdf", "html", "docx", "Voila", "JupyterLab", "Nash", "Kalai",
           "Smorodinsky", "Raiffa", "Saaty", "Pareto", "Zeuthen", "ANAC", "ZOPA", "BATNA", "max", "min", "n/a"}


def user_texts(session: Session) -> list[str]:
    """Every text people typed into ``session``: titles, names, descriptions, labels, units."""
    out: list[str] = [session.title, session.joint_title, session.description]
    out += [p.name for p in session.parties]
    for field in ("goals", "issues", "agreements", "actions", "notes", "option_issues"):
        for item in getattr(session, field):
            for attr in ("title", "text", "description", "raised_by", "owner", "unit", "reason"):
                value = getattr(item, attr, None)
                if isinstance(value, str):
                    out.append(value)
            for o in getattr(item, "options", []) or []:
                out.append(o.label)
    return sorted({t for t in out if t}, key=len, reverse=True)


def unmarked(texts: Iterable[str], typed: Iterable[str] = ()) -> list[str]:
    """The English words in ``texts`` (HTML or plain) outside the pseudo-language's brackets,
    once ``typed`` (what users entered) is taken out: each is text nobody marked."""
    typed = sorted(set(typed), key=len, reverse=True)
    found: list[str] = []
    for text in texts:
        plain = html.unescape(_TAG.sub(" ", str(text)))
        for t in typed:
            plain = plain.replace(t, " ")
        while True:
            stripped = _BRACKETED.sub(" ", plain)
            if stripped == plain:
                break
            plain = stripped
        found += [w for w in _WORD.findall(plain) if w not in ALLOWED]
    return list(dict.fromkeys(found))


def widget_texts(root: widgets.Widget) -> list[str]:
    """What a page shows in text: HTML and labels, descriptions, tooltips, placeholders, the
    options of every choice and the titles of every tab."""
    out: list[str] = []
    for w in iter_widgets(root):
        for attr in ("value", "description", "tooltip", "placeholder"):
            if attr == "value" and not isinstance(w, (widgets.HTML, widgets.Label, widgets.HTMLMath)):
                continue
            v = getattr(w, attr, None)
            if isinstance(v, str) and v:
                out.append(v)
        if isinstance(w, (widgets.Dropdown, widgets.Select, widgets.SelectMultiple, widgets.ToggleButtons,
                          widgets.RadioButtons)):
            out += [str(label) for label in w._options_labels]
        if isinstance(w, widgets.Tab):
            out += [str(t) for t in w.titles if t]
    return out
