"""The page's own charts as SVG: the same goals, counts and numbers as the matplotlib
chart, every session text escaped, and a meeting page that never loads matplotlib."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from pmkit.analytics.overlap import analyze
from pmkit.charts.layout import numbered_goals
from pmkit.charts.svg import gauge_svg, overlap_svg
from pmkit.model import Session
from pmkit.rules.visibility import view_for
from tests.support.paths import ROOT
from tests.support.starters import starter

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: bytes) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{NS}text")]


@pytest.mark.parametrize(("theme", "presenter"), [("light", False), ("dark", True)])
def test_the_overlap_svg_shows_every_goal_count_and_number(theme: str, presenter: bool) -> None:
    view = view_for(starter("undisclosed-risk"), "facilitator")
    ov = analyze(view)
    root = parse(overlap_svg(ov, {p.id: p.name for p in view.parties}, theme=theme, presenter=presenter))
    shown = texts(root)
    assert "Goal overlap (9 goals)" in shown
    assert {"shared priority (4)", "customer-driven (1)", "management-driven (4)", "low priority (0)"} <= set(shown)
    assert {"same stance (2)", "opposed stances (1)", "one neutral (2)", "not rated by both (4)"} <= set(shown)
    numbered = len(numbered_goals(ov, presenter=presenter))  # 8, or 6 in presenter mode
    assert [t for t in shown if t.isdigit() and int(t) > 5] == [str(n) for n in range(6, numbered + 1)]
    assert "importance to Alder Logistics (customer)" in shown
    markers = [e for e in root.iter() if e.tag in (f"{NS}circle", f"{NS}polygon", f"{NS}path")
               or (e.tag == f"{NS}rect" and e.get("width", "").replace(".", "").isdigit()
                   and float(e.get("width", "0")) < 200)]  # tenths of a pixel: a marker, not a quadrant
    assert len(markers) == 9 + 4  # one per goal, one per legend row


def test_session_text_in_the_svg_is_text() -> None:
    session = Session.model_validate({
        "title": "t",
        "parties": [{"id": "customer", "name": "<script>alert(1)</script> & Co"}, {"id": "management", "name": "M"}],
        "goals": [{"title": "g", "raised_by": "customer",
                   "ratings": {"customer": {"importance": 4, "stance": "support"}}}],
    })
    svg = overlap_svg(analyze(session), {p.id: p.name for p in session.parties})
    assert b"<script>" not in svg and b"&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in svg
    assert "importance to <script>alert(1)</script> & Co" in texts(parse(svg))


def test_an_empty_session_says_so() -> None:
    assert "no goals yet" in texts(parse(overlap_svg(analyze(Session(title="e")))))


@pytest.mark.parametrize(("score", "shown"), [(65.0, "65"), (None, "n/a"), (140.0, "100")])
def test_the_gauge_svg_prints_the_score(score: float | None, shown: str) -> None:
    root = parse(gauge_svg(score))
    assert shown in texts(root) and "alignment" in texts(root)


@pytest.mark.slow
def test_a_meeting_page_opens_without_matplotlib() -> None:
    """The board's first panels draw SVG: a kernel whose page opens no tab with a matplotlib
    chart never imports matplotlib (it is most of a kernel's memory)."""
    code = (
        "import sys, tempfile\n"
        "from pmkit.resources import starter_path\n"
        "from pmkit.store import Workspace\n"
        "from pmkit.widgets.board import MeetingBoard\n"
        "ws = Workspace(tempfile.mkdtemp())\n"
        "sid = ws.sessions.import_file(starter_path('undisclosed-risk'))\n"
        "board = MeetingBoard(ws, sid, 'customer')\n"
        "board.panel('Goals')\n"
        "assert 'matplotlib' not in sys.modules, sorted(m for m in sys.modules if 'matplotlib' in m)[:5]\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_the_svg_holds_no_decimal_a_session_could_have() -> None:
    """Lengths are whole tenths of a pixel: no coordinate reads like a session's number
    (the leak tests search every frame for each rendering of a hidden value)."""
    import re

    view = view_for(starter("undisclosed-risk"), "facilitator")
    for theme in ("light", "dark"):
        svg = overlap_svg(analyze(view), theme=theme, presenter=theme == "dark") + gauge_svg(61.5, theme=theme)
        assert set(re.findall(rb"\d+\.\d+", svg)) <= {b"0.09", b"0.16", b"0.35"}
