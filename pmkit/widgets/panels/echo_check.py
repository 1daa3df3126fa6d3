"""The disclosure check on the facilitator's pages: which text an audience sees echoes an
item it may not see (:func:`pmkit.rules.echo_check.find_echoes`).

For the facilitator only, since each finding names a withheld item: the panel says so
(``roles``), so a board never builds it for another role, and it refuses to be built for
one. It redraws from the facilitator's view whenever the session changed, so a finding
appears (or goes away) with the edit that caused it.
"""

from __future__ import annotations

import ipywidgets as widgets

from pmkit.errors import AccessDenied
from pmkit.i18n import _, ngettext
from pmkit.model import FACILITATOR, JOINT, Session
from pmkit.rules.echo_check import Echo, find_echoes, item_audience
from pmkit.rules.visibility import audience_label
from pmkit.text import count, shorten
from pmkit.widgets.common import html_table
from pmkit.widgets.context import BoardContext
from pmkit.widgets.edge import esc
from pmkit.widgets.panels.base import PanelBase

__all__ = ["EchoCheckPanel", "SHOWN"]

SHOWN = 40  # findings listed; `pmkit show SESSION` lists them all


def _kind(kind: str) -> str:
    """A withheld item's kind as the reader's language calls it."""
    return {"goal": _("goal"), "issue": _("issue"), "agreement": _("agreement"),
            "action": _("action"), "note": _("note"), "position": _("position")}.get(kind, kind)


def _who(audience: str, session: Session) -> str:
    return _("everyone (the room)") if audience == JOINT else session.party_name(audience)


class EchoCheckPanel(PanelBase):
    """The findings of the disclosure check, one row each: who sees the text, the text,
    the shared words or numbers, and the withheld item with who may see it."""

    roles = (FACILITATOR,)

    def __init__(self, context: BoardContext) -> None:
        if context.role not in self.roles:
            raise AccessDenied(_("the disclosure check is the facilitator's: it names withheld items"))
        super().__init__(context)
        self.summary = widgets.HTML()
        self.summary.add_class("pmkit-disclosure-summary")
        self.findings = widgets.HTML()
        self.findings.add_class("pmkit-disclosure-findings")
        self.widget = widgets.VBox([self.summary, self.findings])
        self.widget.add_class("pmkit-disclosure")
        self.echoes: tuple[Echo, ...] = ()
        self._for: Session | None = None
        self.refresh()

    def refresh(self) -> None:
        session = self.ctx.session()
        if session is self._for:  # the same load: nothing changed
            return
        self.echoes = find_echoes(session)
        self._for = session
        n = len(self.echoes)
        if not n:
            self.summary.value = ("<p><b>" + _("Disclosure check:") + "</b> "
                                  + _("no text an audience sees shares a distinctive word or a number with an item "
                                      "it may not see.") + "</p>")
            self.findings.value = ""
            return
        self.summary.value = (
            "<p><b>" + ngettext("Disclosure check: {n} echo.", "Disclosure check: {n} echoes.", n).format(n=count(n))
            + "</b> " + _("A text an audience sees shares a distinctive word or a number with an item it may not "
                          "see: reword the text (or the item), or change who may see it.") + "</p>")
        rows = [
            [_who(e.audience, session), f"{shorten(e.text, 90)} ({e.text_where})", ", ".join(e.shared),
             f"{_kind(e.item_kind)}: {shorten(e.item_title, 70)} "
             f"({audience_label(item_audience(e, session), session)})"]
            for e in self.echoes[:SHOWN]
        ]
        command = f"<code>pmkit show {esc(self.session_id)}</code>"
        more = ('<p class="pmkit-more">' + _("+{n} more: {command} lists them all").format(
            n=count(n - SHOWN), command=command) + "</p>") if n > SHOWN else ""
        self.findings.value = html_table([_("seen by"), _("text"), _("shared"), _("withheld item")], rows) + more
