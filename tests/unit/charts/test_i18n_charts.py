"""Every chart in the reader's language: its words and its text alternative are all marked
for translation (the pseudo-language leaves nothing unmarked), German and French read the
glossary's terms, and the numbers in a chart are written as the language writes them."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from pmkit.analytics import followup
from pmkit.analytics.bargaining import bargaining_ranges
from pmkit.analytics.disclosure_plan import plan_lines
from pmkit.analytics.overlap import analyze, ranking
from pmkit.analytics.packages import packages
from pmkit.charts.alt import alignment_alt, frontier_alt, overlap_alt, ranges_alt, weight_alt
from pmkit.charts.board import alignment_gauge, ground_chart, overlap_chart, weight_chart
from pmkit.charts.disclosure_plan import plan_timeline_chart
from pmkit.charts.followup import alignment_trend_chart, movement_chart, series_chart
from pmkit.charts.negotiation import frontier_chart, ranges_chart
from pmkit.charts.svg import gauge_svg, overlap_svg
from pmkit.i18n import PSEUDO, use
from pmkit.model import Session
from tests.support.i18n import unmarked, user_texts
from tests.support.starters import starter

TODAY = dt.date(2026, 11, 29)


def figure_texts(fig: Figure) -> list[str]:
    """What a chart shows in words, once drawn: figure text, axes titles, axis labels, tick
    labels, the axes' texts and annotations, and every legend's title and entries."""
    FigureCanvasAgg(fig).draw()  # tick labels exist once drawn
    out = [t.get_text() for t in fig.texts]
    for legend in fig.legends:
        out += [legend.get_title().get_text(), *(t.get_text() for t in legend.get_texts())]
    for ax in fig.axes:
        out += [ax.get_title(loc) for loc in ("left", "center", "right")]
        out += [ax.get_xlabel(), ax.get_ylabel()]
        out += [t.get_text() for t in (*ax.get_xticklabels(), *ax.get_yticklabels())]
        out += [t.get_text() for t in ax.texts]
        legend = ax.get_legend()
        if legend is not None:
            out += [legend.get_title().get_text(), *(t.get_text() for t in legend.get_texts())]
    assert all(isinstance(t, str) for t in out)
    return [t for t in out if t]


def svg_texts(svg: bytes) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]


def every_chart(session: Session) -> dict[str, list[str]]:
    """Each chart's words and text alternative, for ``session`` (the facilitator's)."""
    ov = analyze(session)
    names = {p.id: p.name for p in session.parties}
    later = session.model_copy(deep=True)
    later.goals[0].ratings["customer"].importance = 1
    sessions = [("a", session), ("b", later)]
    ranges = bargaining_ranges(session.issues)
    result = packages(session, points=4)
    lines = plan_lines(session, TODAY)
    frame = pd.DataFrame({"meeting": [1, 2], "alignment": [40.0, 55.5], "open_conflicts": [3, 1],
                          "late_actions": [0, 2], "days_withheld": [10, 17]})
    a, b = session.party_ids[:2]
    pair = (names[a], names[b])
    return {
        "overlap": figure_texts(overlap_chart(ov, names=names, key=True)) + [overlap_alt(ov, names)],
        "ground": figure_texts(ground_chart(ov, names=names)),
        "gauge": figure_texts(alignment_gauge(ov.alignment)) + [alignment_alt(ov.alignment), alignment_alt(None)],
        "whom": figure_texts(weight_chart(session, weight=0.25))
        + [weight_alt(ranking(session, 0.25), ranking(session, 1.0), ranking(session, 0.0), pair, 0.25)],
        "frontier": figure_texts(frontier_chart(result, names)) + [frontier_alt(result, names)],
        "ranges": figure_texts(ranges_chart(ranges, names)) + [ranges_alt(ranges, names), ranges_alt([], names)],
        "empty": figure_texts(ranges_chart([], names)) + figure_texts(plan_timeline_chart((), TODAY)),
        "plan": figure_texts(plan_timeline_chart(lines, TODAY)),
        "trend": figure_texts(alignment_trend_chart(followup.series(sessions))),
        "moved": figure_texts(movement_chart(followup.what_moved(*sessions), names=names)),
        "series": figure_texts(series_chart(frame)),
        "svg": svg_texts(overlap_svg(ov, names)) + svg_texts(gauge_svg(ov.alignment)),
    }


def typed(session: Session) -> list[str]:
    """What people typed (and its shortened forms), and the texts of other parts that the charts show as they get them
    (a decision's words, a range's reason): none of them is a chart's own."""
    out = user_texts(session) + [line.decision_text for line in plan_lines(session, TODAY)]
    out += [r.reason for r in bargaining_ranges(session.issues) if r.reason]
    # a chart cuts a long title short ("Integration test environmen…")
    return out + [t[:n].rstrip() + "…" for t in out for n in range(3, len(t))]


@pytest.mark.parametrize("name", ["undisclosed-risk", "budget-overrun"])
def test_every_chart_is_marked_in_the_pseudo_language(name: str) -> None:
    session = starter(name)
    with use(PSEUDO):
        charts = every_chart(session)
        left = {chart: unmarked(texts, typed(session)) for chart, texts in charts.items()}
    assert {chart: words for chart, words in left.items() if words} == {}
    assert any("[Óvéŕláp çháŕt" in t for t in charts["overlap"])  # the text alternative went through it too


def test_the_charts_in_german() -> None:
    session = starter("undisclosed-risk")
    with use("de"):
        charts = every_chart(session)
    words = " ".join(t for texts in charts.values() for t in texts)
    for term in ("Gemeinsame Basis", "Blinde Flecken", "Konflikte", "Wichtigkeit für", "Übereinstimmung",
                 "Wen zufriedenstellen", "Offenlegungsplan", "Schmerzgrenze", "Idealwert", "gleiche Haltung"):
        assert term in words, term
    for english in ("Common ground", "Blind spots", "importance to", "Whom to please", "walk away",
                    "Disclosure plan", "same stance", "no goals yet", "Alignment over time"):
        assert english not in words, english
    assert "Bei Gewicht 0,25:" in charts["whom"][-1]


def test_the_charts_in_french() -> None:
    session = starter("undisclosed-risk")
    with use("fr"):
        charts = every_chart(session)
    words = " ".join(t for texts in charts.values() for t in texts)
    for term in ("Terrain d'entente", "Angles morts", "Conflits", "importance pour", "alignement",
                 "Qui satisfaire", "Plan de divulgation", "seuil de rupture", "valeur idéale"):
        assert term in words, term
    for english in ("Common ground", "Blind spots", "importance to", "Whom to please", "walk-away",
                    "Disclosure plan", "nothing moved", "Open conflicts"):
        assert english not in words, english
    assert "Au poids 0,25 :" in charts["whom"][-1]


@pytest.mark.parametrize(("lang", "written"), [("en", "12345.75"), ("de", "12.345,75"), ("fr", "12\u202f345,75")])
def test_a_chart_writes_its_numbers_as_the_language_does(lang: str, written: str) -> None:
    session = starter("undisclosed-risk")
    data = session.model_dump(mode="json")
    data["issues"][0]["positions"]["customer"]["ideal"] = 12345.75
    changed = Session.model_validate(data)
    ranges = bargaining_ranges(changed.issues)
    names = {p.id: p.name for p in changed.parties}
    with use(lang):
        alt = ranges_alt(ranges, names)
        texts = figure_texts(ranges_chart(ranges, names))
    assert written in alt
    assert any(written in t for t in texts)  # the range, written on the chart
    if lang == "de":
        assert "12.000" in texts  # and the axis's ticks
