"""Colours, themes and type sizes shared by every chart.

The palette is Okabe & Ito's colour-blind-safe set; meaning never rests on colour alone
(markers and labels carry it too). ``presenter=True`` enlarges all type for projection.
Every figure is a :class:`~pmkit.charts.text.LiteralFigure`: session text is never maths.
The colours and sizes need no matplotlib (the page's own charts are drawn without it);
matplotlib is imported when a figure is made.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "PALETTE",
    "SCREEN_COMPRESS",
    "SPACING_PX",
    "TEXT_TONES",
    "THEMES",
    "TYPE_SCALE_PX",
    "Style",
    "contrast",
    "new_figure",
    "rgba_to_png",
    "style",
    "to_png",
    "to_svg",
]

Theme = Literal["light", "dark"]

# Okabe-Ito colour-blind-safe palette
PALETTE = {
    "customer": "#0072B2",  # blue
    "management": "#E69F00",  # orange
    "agree": "#009E73",  # bluish green
    "conflict": "#D55E00",  # vermillion
    "neutral": "#999999",  # grey
    "accent": "#CC79A7",  # reddish purple
    "sky": "#56B4E9",
    "yellow": "#F0E442",
}
SERIES = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")

THEMES: dict[str, dict[str, str]] = {
    "light": {"bg": "#FFFFFF", "fg": "#1A1A1A", "muted": "#6B6B6B", "grid": "#DDDDDD", "panel": "#F4F4F4"},
    "dark": {"bg": "#1E1E1E", "fg": "#F0F0F0", "muted": "#A8A8A8", "grid": "#3A3A3A", "panel": "#2A2A2A"},
}

# The palette's colours as text on each theme's background and panel: mixed towards black
# (light) or white (dark) just enough for a contrast of at least 4.5:1 (WCAG 2.1 AA). The
# meeting page's stylesheet uses these values (a test holds the two equal).
TEXT_TONES: dict[str, dict[str, str]] = {
    "light": {
        "customer": "#0072B2",
        "management": "#936600",
        "agree": "#007E5C",
        "conflict": "#B55000",
        "accent": "#995B7D",
        "muted": "#6B6B6B",
    },
    "dark": {
        "customer": "#4A9BC8",
        "management": "#E69F00",
        "agree": "#14A67E",
        "conflict": "#DC7829",
        "accent": "#CC79A7",
        "muted": "#A8A8A8",
    },
}

# The page's type scale and spacing, in CSS pixels. ``md`` is the charts' base size (10.5 pt
# drawn at 100 dpi is 14.6 px), ``sm`` their small text, ``lg`` their titles; presenter mode
# scales both the charts and the page by the same factor (17 / 10.5, about 1.6).
TYPE_SCALE_PX: dict[str, float] = {"sm": 13, "md": 15, "lg": 18, "xl": 22, "2xl": 26}
SPACING_PX: tuple[int, ...] = (4, 8, 12, 16, 24, 32)


def _luminance(colour: str) -> float:
    """Relative luminance of ``#RRGGBB`` (WCAG 2.1)."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG 2.1 contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@dataclass(frozen=True)
class Style:
    theme: str
    presenter: bool
    bg: str
    fg: str
    muted: str
    grid: str
    panel: str
    font: float
    small: float
    title: float

    def party_colour(self, index: int) -> str:
        return SERIES[index % len(SERIES)]


def style(theme: str = "light", presenter: bool = False) -> Style:
    """The style for ``theme`` ('light' or 'dark'); presenter mode uses larger type."""
    colours = THEMES.get(theme)
    if colours is None:
        raise ValueError(f"unknown theme {theme!r}; use 'light' or 'dark'")
    base = 17.0 if presenter else 10.5
    return Style(theme, presenter, font=base, small=base * 0.85, title=base * 1.25, **colours)


def new_figure(st: Style, width: float = 7.0, height: float = 5.0) -> tuple[Figure, Axes]:
    """A figure with one axes in the given style (no pyplot: no global state, no leaks)."""
    from pmkit.charts.text import LiteralFigure

    scale = 1.35 if st.presenter else 1.0
    fig = LiteralFigure(figsize=(width * scale, height * scale), dpi=100, facecolor=st.bg, layout="constrained")
    ax = fig.add_subplot()
    ax.set_facecolor(st.bg)
    for spine in ax.spines.values():
        spine.set_color(st.muted)
    ax.tick_params(colors=st.fg, labelsize=st.small)
    ax.xaxis.label.set_color(st.fg)
    ax.yaxis.label.set_color(st.fg)
    ax.xaxis.label.set_fontsize(st.font)
    ax.yaxis.label.set_fontsize(st.font)
    ax.title.set_color(st.fg)
    ax.title.set_fontsize(st.title)
    return fig, ax


# zlib level for PNGs sent to a page: level 1 encodes a board chart in about two thirds of
# the time of the default (6) for a file about a tenth larger, which the local network
# carries in no time. Files written to disk (reports) keep the default.
SCREEN_COMPRESS = 1


def to_png(fig: Figure, dpi: int = 100, *, compress: int = 6) -> bytes:
    """``fig`` as PNG bytes; ``compress`` is the zlib level (1 fastest, 9 smallest)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor=fig.get_facecolor(), pil_kwargs={"compress_level": compress})
    return buf.getvalue()


def rgba_to_png(rgba: Any, size: tuple[int, int], *, compress: int = SCREEN_COMPRESS) -> bytes:
    """An RGBA pixel buffer (a canvas's ``buffer_rgba()``) of ``size`` (width, height) as an
    opaque PNG: the charts' background is never transparent, so the alpha channel is dropped."""
    from PIL import Image

    image = Image.frombuffer("RGBA", size, rgba, "raw", "RGBA", 0, 1).convert("RGB")
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=compress)
    return buf.getvalue()


def to_svg(fig: Figure) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", facecolor=fig.get_facecolor())
    return buf.getvalue()
