"""Session text in charts is drawn literally, never as maths.

Matplotlib reads text between two ``$`` as mathtext: a title such as ``Rate $\\x$ per day``
would be typeset, or fail to draw with a ``ValueError``. Every chart is a
:class:`LiteralFigure`, which draws all of its text literally: titles, axis and tick
labels, legends, annotations and figure text, including tick labels matplotlib creates
while drawing. :func:`draw_text` is ``ax.text`` with the same promise made at creation.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter

from pmkit.i18n import locale
from pmkit.text import number

__all__ = ["LiteralFigure", "draw_text", "literal_text", "local_numbers", "party_label"]


@contextmanager
def literal_text() -> Iterator[None]:
    """Text created while drawing in this block (tick labels) is drawn literally."""
    with mpl.rc_context({"text.parse_math": False}):
        yield


class LiteralFigure(Figure):
    """A figure whose every text is drawn literally (no mathtext), however it was added."""

    @contextmanager
    def _literal(self) -> Iterator[None]:
        with literal_text():  # text created while drawing (ticks)
            for text in self.findobj(Text):
                text.set_parse_math(False)
            yield

    def draw(self, renderer: Any) -> None:
        with self._literal():
            super().draw(renderer)

    def get_tightbbox(self, renderer: Any = None, *args: Any, **kwargs: Any) -> Any:
        with self._literal():
            return super().get_tightbbox(renderer, *args, **kwargs)


def party_label(names: Mapping[str, str] | None, party: str) -> str:
    """The display name of ``party`` from ``names``, else its id."""
    return (names or {}).get(party, party)


def local_numbers(*axes: Any) -> None:
    """Tick labels of each axis (``ax.xaxis``, ``ax.yaxis``) written as the reader's language
    writes numbers (``12.345,75``); English keeps matplotlib's own."""
    if locale() == "en":
        return
    for axis in axes:
        axis.set_major_formatter(FuncFormatter(lambda x, _pos: number(x)))


def draw_text(ax: Axes, x: float, y: float, s: str, **kw: Any) -> Text:
    """``ax.text`` with ``parse_math=False``: a ``$`` in a title stays a dollar sign."""
    return ax.text(x, y, s, parse_math=False, **kw)
