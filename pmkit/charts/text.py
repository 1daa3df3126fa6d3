"""Text helpers shared by the charts: session text is drawn literally, never as maths."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matplotlib.axes import Axes
from matplotlib.text import Text

__all__ = ["draw_text", "party_label", "shorten"]


def shorten(text: str, limit: int = 42) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def party_label(names: Mapping[str, str] | None, party: str) -> str:
    """The display name of ``party`` from ``names``, else its id."""
    return (names or {}).get(party, party)


def draw_text(ax: Axes, x: float, y: float, s: str, **kw: Any) -> Text:
    """``ax.text`` with ``parse_math=False``: a ``$`` in a title stays a dollar sign."""
    return ax.text(x, y, s, parse_math=False, **kw)
