"""Small helpers the board and its panels share: audience choices, HTML tables, forms whose
text is never lost, and walking or closing a tree of widgets.

The browser can set any synced trait and click any button (disabled or not) through comm
messages, so a widget's state is never trusted: every callback checks with
:func:`pmkit.rules.permissions.require` what the board's role may change before it calls the
store. The role is fixed when the board is built; no widget can change it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import ipywidgets as widgets
import traitlets

from pmkit.i18n import _
from pmkit.model import FACILITATOR, JOINT, Session
from pmkit.rules.visibility import audience_label
from pmkit.widgets.edge import esc

__all__ = [
    "FormBoundedFloatText",
    "FormButton",
    "FormFloatText",
    "FormText",
    "FormTextarea",
    "audience_label",
    "audience_options",
    "close_tree",
    "html_table",
    "iter_widgets",
]


def audience_options(session: Session) -> list[tuple[str, str]]:
    return [(audience_label(a, session), a) for a in (JOINT, *session.party_ids, FACILITATOR)]


def html_table(head: Sequence[str], rows: Sequence[Sequence[object]], *, empty: str | None = None) -> str:
    """A small HTML table; every cell is escaped. ``empty``: what to say when there are no rows
    (default: "none", in the reader's language)."""
    if not rows:
        said = _("none") if empty is None else empty
        return f'<p class="pmkit-empty">{esc(said)}</p>'
    th = "".join(f"<th>{esc(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="pmkit-table"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'


def iter_widgets(widget: widgets.Widget) -> Iterator[widgets.Widget]:
    """``widget`` and every widget inside it, depth first."""
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from iter_widgets(child)


def close_tree(widget: widgets.Widget) -> None:
    """Close ``widget`` and every widget inside it (a closed widget leaves the page)."""
    for w in reversed(list(iter_widgets(widget))):
        for part in (getattr(w, "layout", None), getattr(w, "style", None)):
            if isinstance(part, widgets.Widget):
                part.close()
        w.close()


# -- forms: the text typed goes with the click ---------------------------------------------
# ipywidgets' page sends a text box's later states only once the kernel has answered the
# earlier one, but a button's click (or Enter's submit) at once: the click could reach the
# kernel before the last keys. A form's button therefore acts on a click from the page only
# once every box of the form has answered a call sent after the click: the kernel raises the
# button's ``form_call``; a link in the page (``jsdlink``) copies it into each box's
# ``form_answer``, which the box sends on its own channel, behind (or with) every state the
# box had not sent yet. One channel's messages reach the kernel in order, so when all the
# boxes have answered, the kernel has every key typed before the click.


class FormField(widgets.DOMWidget):
    """A box of a form: it answers its button's call (see :class:`FormButton`)."""

    form_answer = traitlets.Int(0).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.submits: FormButton | None = None  # the form's button, which Enter in the box presses
        self.observe(self._answered, names="form_answer")

    def _answered(self, change: dict[str, Any]) -> None:
        if self.submits is not None:
            self.submits.answered(self, int(change["new"]))

    def _handle_string_msg(self, _widget: Any, content: dict[str, Any], _buffers: Any) -> None:
        # Enter in a one-line box: the form's button, as a click from the page
        if content.get("event") == "submit" and self.submits is not None and not self.submits.disabled:
            self.submits.call()


class FormText(FormField, widgets.Text):
    """A one-line text box of a form; Enter in it submits the form."""


class FormTextarea(FormField, widgets.Textarea):
    """A text area of a form."""


class FormFloatText(FormField, widgets.FloatText):
    """A number box of a form."""


class FormBoundedFloatText(FormField, widgets.BoundedFloatText):
    """A number box of a form, between bounds."""


class FormButton(widgets.Button):
    """A form's button: a click from the page (or Enter in one of ``fields``) runs the
    ``on_click`` callbacks once every field has sent what was typed before it. A click made
    in the kernel (:meth:`click`) runs them at once: the kernel's state is the page's."""

    form_call = traitlets.Int(0).tag(sync=True)

    def __init__(self, *, fields: Sequence[FormField], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._links: list[Any] = []
        self._waiting: set[int] = set()  # the fields that have not answered the current call
        self.set_fields(fields)

    def set_fields(self, fields: Sequence[FormField]) -> None:
        """The form's boxes are now ``fields`` (a form whose rows follow the item shown)."""
        for link in self._links:
            link.close()
        self.fields = list(fields)
        self._links = [widgets.jsdlink((self, "form_call"), (f, "form_answer")) for f in self.fields]
        self._waiting = set()
        for f in self.fields:
            f.submits = self

    def _handle_button_msg(self, _widget: Any, content: dict[str, Any], _buffers: Any) -> None:
        if content.get("event") == "click":
            self.call()

    def call(self) -> None:
        """Ask every field for what the page holds; the callbacks run when all have answered."""
        if not self.fields:
            self.click()
            return
        self._waiting = {id(f) for f in self.fields}
        self.form_call += 1

    def answered(self, field: FormField, call: int) -> None:
        """``field`` answered ``call``: when it is the current call and the last field to
        answer, run the callbacks (once)."""
        if call != self.form_call or id(field) not in self._waiting:
            return
        self._waiting.discard(id(field))
        if not self._waiting:
            self.click()

    def close(self) -> None:
        for link in self._links:
            link.close()
        super().close()
