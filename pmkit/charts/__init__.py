"""Matplotlib figures from analysis results. Pure: a result in, a Figure out.

* :mod:`pmkit.charts.style`  palette, themes, presenter mode, PNG/SVG output
"""

from pmkit.charts.style import PALETTE, Style, new_figure, style, to_png, to_svg

__all__ = ["PALETTE", "Style", "new_figure", "style", "to_png", "to_svg"]
