"""The meeting page's own charts as SVG, with no drawing library: the overlap chart and the
alignment gauge.

The page shows them on every change, for every role, so they must be quick to make and
light to hold: a few hundred elements written as text (a millisecond or two for 200 goals)
instead of a matplotlib figure drawn and encoded as PNG, and a meeting kernel that never
imports matplotlib until a tab with a matplotlib chart is opened. The picture follows the
matplotlib chart of :mod:`pmkit.charts.board` (the same geometry, palette, markers, type
sizes and positions, from :mod:`pmkit.charts.layout`), and the browser draws its text crisp
at any size. Every session text is escaped: it is shown, never interpreted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from xml.sax.saxutils import escape

from pmkit.analytics.overlap import HIGH, LOW_PRIORITY, SHARED, Overview, driven
from pmkit.charts.layout import CATEGORIES, goal_overlap_title, numbered_goals, quadrant_label, spread, stance_category
from pmkit.charts.style import PALETTE, Style, style
from pmkit.i18n import _
from pmkit.text import alignment, shorten

__all__ = ["gauge_svg", "overlap_svg"]

_PX = 100 / 72  # points to pixels at the charts' 100 dpi
_FONT = "DejaVu Sans, Bitstream Vera Sans, sans-serif"  # matplotlib's default family


_UNIT = 10  # user units per pixel: every length is a whole number of tenths of a pixel


def _t(x: float) -> str:
    """A length in the drawing's whole units. Whole numbers only: a decimal in the picture
    could read as a session's number to anyone searching the page for one (the leak tests
    do), and tenths of a pixel are finer than any screen shows."""
    return str(round(x * _UNIT))


def _text(x: float, y: float, s: str, size: float, colour: str, *, anchor: str = "start",
          base: str = "auto", extra: str = "") -> str:
    return (f'<text x="{_t(x)}" y="{_t(y)}" font-size="{_t(size)}" fill="{colour}" text-anchor="{anchor}" '
            f'dominant-baseline="{base}"{extra}>{escape(s)}</text>')


def _marker(kind: str, x: float, y: float, r: float, colour: str, st: Style) -> str:
    """One goal's marker: ``o`` same stance, ``X`` opposed, ``s`` one neutral (filled, with
    an edge of the background), ``D`` not rated by both (open)."""
    if kind == "o":
        return f'<circle cx="{_t(x)}" cy="{_t(y)}" r="{_t(r)}" fill="{colour}" stroke="{st.bg}" stroke-width="8"/>'
    if kind == "s":
        a = r * 1.1
        return (f'<rect x="{_t(x - a)}" y="{_t(y - a)}" width="{_t(2 * a)}" height="{_t(2 * a)}" fill="{colour}" '
                f'stroke="{st.bg}" stroke-width="8"/>')
    if kind == "D":
        a = r * 1.45
        pts = f"{_t(x)},{_t(y - a)} {_t(x + a)},{_t(y)} {_t(x)},{_t(y + a)} {_t(x - a)},{_t(y)}"
        return f'<polygon points="{pts}" fill="none" stroke="{colour}" stroke-width="19"/>'
    w, a = r * 0.38, r * 1.15  # a thick X
    arm = (f"M{_t(x - a)},{_t(y - a + w)} L{_t(x - a + w)},{_t(y - a)} L{_t(x)},{_t(y - w)} "
           f"L{_t(x + a - w)},{_t(y - a)} L{_t(x + a)},{_t(y - a + w)} L{_t(x + w)},{_t(y)} "
           f"L{_t(x + a)},{_t(y + a - w)} L{_t(x + a - w)},{_t(y + a)} L{_t(x)},{_t(y + w)} "
           f"L{_t(x - a + w)},{_t(y + a)} L{_t(x - a)},{_t(y + a - w)} L{_t(x - w)},{_t(y)} Z")
    return f'<path d="{arm}" fill="{colour}" stroke="{st.bg}" stroke-width="8"/>'


def overlap_svg(
    overview: Overview,
    names: Mapping[str, str] | None = None,
    *,
    theme: str = "light",
    presenter: bool = False,
    labels: int | None = None,
) -> bytes:
    """The overlap chart (without its key: the page lists the numbered goals beside it) as
    SVG: every goal by its importance to the pair, quadrants shaded and counted, the most
    important goals numbered, and a legend of the stances with their counts."""
    st = style(theme, presenter)
    scale = 1.35 if presenter else 1.0
    width, height = 760 * scale, 520 * scale
    font, small, title = st.font * _PX, st.small * _PX, st.title * _PX
    left = st.font * 3.0 * _PX + 15
    bottom = st.font * 3.2 * _PX + 10
    top = st.title * 2.0 * _PX + 5
    side = height - bottom - top

    def px(v: float) -> float:
        return left + (v + 1.0) / 7.0 * side

    def py(v: float) -> float:
        return top + (6.0 - v) / 7.0 * side

    a, b = overview.pair
    na, nb = (names or {}).get(a, a), (names or {}).get(b, b)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{round(width)}" height="{round(height)}" '
           f'viewBox="0 0 {_t(width)} {_t(height)}" font-family="{_FONT}">',
           f'<rect width="100%" height="100%" fill="{st.bg}"/>']
    cut = HIGH - 0.5
    shade = 0.16 if st.theme == "dark" else 0.09
    counts = dict(overview.quadrant_counts)
    quads = ((cut, cut, 6.0, 6.0, SHARED, PALETTE["agree"], "end", "top"),
             (cut, -1.0, 6.0, cut, driven(a), PALETTE["customer"], "end", "bottom"),
             (-1.0, cut, cut, 6.0, driven(b), PALETTE["management"], "start", "top"),
             (-1.0, -1.0, cut, cut, LOW_PRIORITY, st.muted, "start", "bottom"))
    for x0, y0, x1, y1, _q, colour, _h, _v in quads:
        out.append(f'<rect x="{_t(px(x0))}" y="{_t(py(y1))}" width="{_t(px(x1) - px(x0))}" '
                   f'height="{_t(py(y0) - py(y1))}" fill="{colour}" fill-opacity="{shade}"/>')
    out.append(f'<line x1="{_t(px(cut))}" y1="{_t(py(6))}" x2="{_t(px(cut))}" y2="{_t(py(-1))}" '
               f'stroke="{st.grid}" stroke-width="17"/>')
    out.append(f'<line x1="{_t(px(-1))}" y1="{_t(py(cut))}" x2="{_t(px(6))}" y2="{_t(py(cut))}" '
               f'stroke="{st.grid}" stroke-width="17"/>')
    pad = 0.08
    for x0, y0, x1, y1, quad, _c, anchor, va in quads:
        x = px(x1 - pad) if anchor == "end" else px(x0 + pad)
        y = py(y1 - pad) if va == "top" else py(y0 + pad)
        label = shorten(quadrant_label(quad, (a, b), names), 30)
        out.append(_text(x, y, f"{label} ({counts.get(quad, 0)})", small, st.muted, anchor=anchor,
                         base="hanging" if va == "top" else "auto", extra=' font-style="italic"'))
    out.append(f'<rect x="{_t(px(-1))}" y="{_t(py(6))}" width="{_t(side)}" height="{_t(side)}" fill="none" '
               f'stroke="{st.muted}" stroke-width="11"/>')
    for v in range(6):  # ticks and their labels
        x, y = px(v), py(v)
        out.append(f'<line x1="{_t(x)}" y1="{_t(py(-1))}" x2="{_t(x)}" y2="{_t(py(-1) + 4.9)}" stroke="{st.fg}" '
                   'stroke-width="10"/>')
        out.append(f'<line x1="{_t(px(-1) - 4.9)}" y1="{_t(y)}" x2="{_t(px(-1))}" y2="{_t(y)}" stroke="{st.fg}" '
                   'stroke-width="10"/>')
        out.append(_text(x, py(-1) + 7, str(v), small, st.fg, anchor="middle", base="hanging"))
        out.append(_text(px(-1) - 7, y, str(v), small, st.fg, anchor="end", base="central"))
    x_label, y_label = (_("importance to {party}").format(party=shorten(n, 40)) for n in (na, nb))
    out.append(_text(px(-1) + side / 2, height - 10, x_label, font, st.fg, anchor="middle"))
    ylab_x = px(-1) - small * 1.6 - 8
    out.append(_text(ylab_x, py(-1) - side / 2, y_label, font, st.fg, anchor="middle",
                     extra=f' transform="rotate(-90 {_t(ylab_x)} {_t(py(-1) - side / 2)})"'))
    points = overview.points
    out.append(_text(px(-1), top - 6, goal_overlap_title(len(points)), title, st.fg))

    xy, outward = spread(points)
    r = math.sqrt((70.0 if presenter else 42.0) * (0.6 if len(points) > 60 else 1.0)) * _PX / 2
    cats = [stance_category(p) for p in points]
    legend: list[tuple[str, str, str]] = []
    for cat, (label, colour_key, kind, _filled) in CATEGORIES.items():
        idx = [i for i, c in enumerate(cats) if c == cat]
        if not idx:
            continue
        colour = PALETTE[colour_key]
        out.extend(_marker(kind, px(xy[i, 0]), py(xy[i, 1]), r, colour, st) for i in idx)
        legend.append((kind, colour, f"{_(label)} ({len(idx)})"))
    index = {p.goal_id: i for i, p in enumerate(points)}
    for n, p in enumerate(numbered_goals(overview, labels, presenter=presenter), start=1):
        i = index[p.goal_id]
        dx, dy = outward[i] * (small * 0.8)
        out.append(_text(px(xy[i, 0]) + dx, py(xy[i, 1]) - dy, str(n), small, st.fg, anchor="middle",
                         base="central", extra=' font-weight="bold"'))
    if legend:
        x = px(6) + 0.03 * width
        y = top + small
        out.append(_text(x + 40 * scale, y, _("stances"), small, st.muted, anchor="middle"))
        for kind, colour, label in legend:
            y += small * 1.45
            out.append(_marker(kind, x + 12, y - small * 0.35, r * 0.9, colour, st))
            out.append(_text(x + 28, y, label, small, st.fg))
    if not points:
        out.append(_text(px(2.5), py(2.5), _("no goals yet"), font, st.muted, anchor="middle", base="central"))
    out.append("</svg>")
    return "".join(out).encode("utf-8")


def _arc(cx: float, cy: float, radius: float, start: float, end: float) -> str:
    """Points of a circular arc from angle ``start`` to ``end`` (degrees, counter-clockwise)."""
    steps = max(2, int(abs(end - start) / 4) + 1)
    return " ".join(
        f"{_t(cx + radius * math.cos(math.radians(start + (end - start) * k / steps)))},"
        f"{_t(cy - radius * math.sin(math.radians(start + (end - start) * k / steps)))}"
        for k in range(steps + 1)
    )


def _band(cx: float, cy: float, outer: float, inner: float, start: float, end: float, colour: str,
          opacity: float | int) -> str:
    outside = _arc(cx, cy, outer, start, end)
    inside = _arc(cx, cy, inner, end, start)
    return f'<polygon points="{outside} {inside}" fill="{colour}" fill-opacity="{opacity}"/>'


def gauge_svg(score: float | None, *, theme: str = "light", presenter: bool = False) -> bytes:
    """The alignment gauge as SVG: a half-dial from 0 to 100 with the score in its middle
    ("n/a" for None), bands red below 40, orange below 70, green above."""
    st = style(theme, presenter)
    scale = 1.35 if presenter else 1.0
    width, height = 300 * scale, 190 * scale
    unit = min(width / 2.3, height / 1.42)
    cx, cy = width / 2, (height - 1.42 * unit) / 2 + 1.1 * unit

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{round(width)}" height="{round(height)}" '
           f'viewBox="0 0 {_t(width)} {_t(height)}" font-family="{_FONT}">',
           f'<rect width="100%" height="100%" fill="{st.bg}"/>']
    for lo, hi, key in ((0, 40, "conflict"), (40, 70, "management"), (70, 100, "agree")):
        out.append(_band(cx, cy, unit, unit * 0.72, 180 - hi * 1.8, 180 - lo * 1.8, PALETTE[key], 0.35))
    if score is not None:
        s = min(max(float(score), 0.0), 100.0)
        colour = PALETTE["conflict"] if s < 40 else PALETTE["management"] if s < 70 else PALETTE["agree"]
        out.append(_band(cx, cy, unit, unit * 0.72, 180 - s * 1.8, 180, colour, 1))
        angle = math.radians(180 - s * 1.8)
        out.append(f'<line x1="{_t(cx)}" y1="{_t(cy)}" x2="{_t(cx + 0.78 * unit * math.cos(angle))}" '
                   f'y2="{_t(cy - 0.78 * unit * math.sin(angle))}" stroke="{st.fg}" stroke-width="30" '
                   f'stroke-linecap="round"/>')
        out.append(f'<circle cx="{_t(cx)}" cy="{_t(cy)}" r="{_t(0.06 * unit)}" fill="{st.fg}"/>')
        shown = alignment(s)
    else:
        shown = "n/a"
    big, small = st.title * 1.5 * _PX, st.small * _PX
    out.append(_text(cx, cy - 0.22 * unit, shown, big, st.fg, anchor="middle", extra=' font-weight="bold"'))
    for x, label in ((cx, _("alignment")), (cx - unit, "0"), (cx + unit, "100")):
        out.append(_text(x, cy + 0.08 * unit, label, small, st.muted, anchor="middle", base="hanging"))
    out.append("</svg>")
    return "".join(out).encode("utf-8")
