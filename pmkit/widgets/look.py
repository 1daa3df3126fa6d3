"""The board's visual language and accessibility, as small helpers every panel uses.

The look itself lives in pmkit's Voila template (``templates/voila/templates/pmkit``): a
type scale, spacing and colours taken from the chart palette (:mod:`pmkit.charts.style`),
in light and dark, keyed by the CSS classes below. ipywidgets cannot set an element's
role or ``alt``; the template's page script gives them from these classes, so a panel gets
landmarks, a live status line and chart text alternatives by using the classes alone:

* :data:`BANNER`, :data:`MAIN`: the board's header and body (``role=banner``, ``role=main``);
* :data:`REGION`: a titled part of the page (``role=region``, named by its first heading);
* :data:`CHART`: a chart image; its ``tooltip`` (set by :func:`show_chart`) becomes the
  image's ``alt``;
* :data:`SR_ONLY`: text for screen readers only (a panel's heading, shown as its tab);
* :data:`MUTED`, :data:`LIST`, :data:`TABLE`: quieter text, a compact list, a data table;
* :data:`GOOD`, :data:`WARN`, :data:`BAD`: text in the palette's green, orange and
  vermillion, darkened (light) or lightened (dark) to a contrast of at least 4.5:1. Meaning
  never rests on colour alone: the words say it too.

Headings run in order: the session title is ``h1``; the overview and every panel start with
an ``h2`` (:func:`panel_heading`); their parts use ``h3`` (:func:`heading`).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import traitlets

from pmkit.i18n import current
from pmkit.widgets.edge import esc

__all__ = [
    "BAD",
    "BANNER",
    "CHART",
    "GOOD",
    "LIST",
    "MAIN",
    "MUTED",
    "REGION",
    "SR_ONLY",
    "TABLE",
    "WARN",
    "ChartImage",
    "chart_image",
    "heading",
    "labelled",
    "panel_heading",
    "show_chart",
]

BANNER = "pmkit-banner"
MAIN = "pmkit-main"
REGION = "pmkit-region"
CHART = "pmkit-chart"
SR_ONLY = "pmkit-sr-only"
MUTED = "pmkit-muted"
LIST = "pmkit-list"
TABLE = "pmkit-table"
GOOD = "pmkit-good"
WARN = "pmkit-warn"
BAD = "pmkit-bad"


def speaks(widget: widgets.DOMWidget) -> None:
    """Mark a page's root with the language it is written in (``pmkit-lang-de``): the page's
    script sets the document's ``lang`` from it, for screen readers and hyphenation."""
    widget.add_class(f"pmkit-lang-{current()}")


def heading(text: str, level: int = 3, *, hidden: bool = False) -> str:
    """An ``h{level}`` holding ``text`` (escaped); ``hidden`` shows it to screen readers only."""
    if not 1 <= level <= 6:
        raise ValueError(f"heading level {level} is not 1-6")
    css = f' class="{SR_ONLY}"' if hidden else ""
    return f"<h{level}{css}>{esc(text)}</h{level}>"


def panel_heading(title: str) -> widgets.HTML:
    """A panel's ``h2``, for screen readers only (its tab already shows the title): put it
    first in the panel so headings run in order and the panel is named."""
    return widgets.HTML(heading(title, 2, hidden=True))


class ChartImage(widgets.Image):
    """An image whose ``tooltip`` reaches the page as its ``title`` (the template turns it
    into ``alt``). ipywidgets' view reads a ``description`` before it shows a tooltip, and a
    plain Image has none: its view then fails to render."""

    description = traitlets.Unicode("").tag(sync=True)


def chart_image(*classes: str, max_width: str | None = None, format: str = "png") -> ChartImage:
    """An empty image for a chart (``format`` ``png`` or ``svg+xml``), scaled to its column
    (never wider than ``max_width``), with the class :data:`CHART` and ``classes``. Fill it
    with :func:`show_chart`."""
    layout: dict[str, Any] = {"width": "100%", "height": "auto"}
    if max_width is not None:
        layout["max_width"] = max_width
    image = ChartImage(format=format, layout=widgets.Layout(**layout))
    for css in (CHART, *classes):
        image.add_class(css)
    return image


def show_chart(image: widgets.Image, picture: bytes, alt: str) -> None:
    """Show ``picture`` (PNG or SVG bytes, as the image's format says) in ``image`` with
    ``alt`` as its text alternative. The text first, so a screen reader never meets the new
    picture with the old words."""
    if image.tooltip != alt:
        image.tooltip = alt
    image.value = picture


def labelled(widget: widgets.Widget, name: str) -> widgets.Widget:
    """Give a control without a visible description an accessible name (its ``title``)."""
    widget.tooltip = name
    return widget
