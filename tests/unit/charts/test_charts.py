"""The board's charts: they build for every starter, theme and presenter mode, show the
points and labels a facilitator reads, stay readable at 200 goals, and draw text literally."""

from __future__ import annotations

import io
import random
from itertools import combinations

import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from pmkit.analytics.overlap import SHARED, analyze, driven, ranking
from pmkit.charts.board import (
    OverlapRenderer,
    alignment_gauge,
    ground_chart,
    numbered_goals,
    overlap_chart,
    shorten,
    stance_category,
    weight_chart,
)
from pmkit.charts.style import THEMES, to_png
from pmkit.errors import InputError
from pmkit.model import Goal, Rating, Session
from pmkit.rules.visibility import view_for
from tests.support.starters import STARTERS, starter

pytestmark = pytest.mark.slow  # every chart of every starter, both themes: `make test`, not `make test-fast`

THEMES_AND_MODES = [  # two pairings in `make test-fast`, all four in `make test`
    ("light", False), ("dark", True),
    pytest.param("dark", False, marks=pytest.mark.slow), pytest.param("light", True, marks=pytest.mark.slow),
]
PNG = b"\x89PNG\r\n\x1a\n"


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def scatter(fig: Figure) -> dict[str, np.ndarray]:
    """Points drawn on the overlap chart, by stance category (the collection's gid)."""
    return {c.get_gid(): np.asarray(c.get_offsets()) for c in fig.axes[0].collections if isinstance(c, PathCollection)}


def many_goals(n: int, seed: int = 7) -> Session:
    rnd = random.Random(seed)
    stances = ["support", "neutral", "oppose"]
    goals = [
        Goal(
            id=f"g{i}",
            title=f"Goal {i}: a title long enough that it has to be shortened somewhere",
            raised_by=rnd.choice(["customer", "management"]),
            ratings={
                p: Rating(importance=rnd.randint(0, 5), stance=rnd.choice(stances))
                for p in ("customer", "management")
                if rnd.random() > 0.1
            },
        )
        for i in range(n)
    ]
    return Session(title="Many goals", goals=goals)


@pytest.mark.parametrize("name", STARTERS)
@pytest.mark.parametrize(("theme", "presenter"), THEMES_AND_MODES)
def test_every_chart_builds_for_every_starter(name: str, theme: str, presenter: bool) -> None:
    session = starter(name)
    ov = analyze(session)
    names = {p.id: p.name for p in session.parties}
    figures = [
        overlap_chart(ov, theme=theme, presenter=presenter, names=names),
        ground_chart(ov, theme=theme, presenter=presenter, names=names),
        alignment_gauge(ov.alignment, theme=theme, presenter=presenter),
        weight_chart(session, weight=0.5, theme=theme, presenter=presenter),
    ]
    for fig in figures:
        assert fig.get_facecolor()[:3] == pytest.approx(
            tuple(int(THEMES[theme]["bg"][i : i + 2], 16) / 255 for i in (1, 3, 5))
        )
        png = to_png(fig)
        assert png.startswith(PNG) and len(png) > 5000


@pytest.mark.parametrize("name", STARTERS)
def test_overlap_chart_places_every_goal_once_by_its_importance(name: str) -> None:
    session = starter(name)
    ov = analyze(session)
    fig = overlap_chart(ov)
    drawn = scatter(fig)
    assert sum(len(xy) for xy in drawn.values()) == len(session.goals)
    for cat, xy in drawn.items():
        expected = [p for p in ov.points if stance_category(p) == cat]
        assert len(xy) == len(expected)
        # jitter keeps each point inside its goal's cell (importance to each party)
        cells = sorted((round(x), round(y)) for x, y in xy)
        assert cells == sorted(((p.importance_a or 0), (p.importance_b or 0)) for p in expected)
        assert np.all(np.abs(xy - np.round(xy)) < 0.4)
    counts = dict(ov.quadrant_counts)
    shown = texts(fig)
    assert f"{SHARED} ({counts[SHARED]})" in shown
    assert f"{driven('customer')} ({counts[driven('customer')]})" in shown
    assert any(t.startswith("same stance (") for t in shown)


def test_overlap_chart_marks_agreement_and_conflict_differently() -> None:
    session = starter("undisclosed-risk")
    ov = analyze(session)
    drawn = scatter(overlap_chart(ov))
    # extra licences: customer opposes, management supports
    assert len(drawn["conflict"]) == 1
    assert np.allclose(drawn["conflict"][0], (3, 4))
    # cutover date and test environment: both support
    assert len(drawn["agree"]) == 2
    # the facilitator sees the goals only management rated
    assert len(drawn["unrated"]) == 4
    shapes = {
        c.get_gid(): tuple(np.round(c.get_paths()[0].vertices, 3).ravel())
        for c in overlap_chart(ov).axes[0].collections
    }
    assert len(set(shapes.values())) == len(shapes)  # every category has its own marker shape


def test_overlap_chart_names_the_most_important_goals_in_its_key() -> None:
    session = starter("undisclosed-risk")
    ov = analyze(session)
    chosen = numbered_goals(ov)
    assert chosen[0].title == "Keep the March cutover date"  # 5 + 5
    shown = texts(overlap_chart(ov))
    for n, p in enumerate(chosen, start=1):
        assert f"{n}  {shorten(p.title, 42)}" in shown
        assert str(n) in shown
    without_key = texts(overlap_chart(ov, key=False))
    assert not any(p.title[:20] in t for p in chosen for t in without_key)


def test_a_role_chart_shows_only_its_view() -> None:
    session = starter("undisclosed-risk")
    customer = view_for(session, "customer")
    fig = overlap_chart(analyze(customer), key=True)
    assert sum(len(xy) for xy in scatter(fig).values()) == len(customer.goals)
    joined = "\n".join(texts(fig))
    assert "vendor" not in joined.lower()
    assert "penalty" not in joined.lower()


def test_200_goals_stay_readable() -> None:
    session = many_goals(200)
    ov = analyze(session)
    fig = overlap_chart(ov)
    drawn = np.concatenate(list(scatter(fig).values()))
    assert len(drawn) == 200
    # no two goals hide each other: every pair of points is apart
    distances = [np.hypot(*(a - b)) for a, b in combinations(drawn, 2)]
    assert min(distances) > 0.02
    numbers = [t for t in fig.axes[0].texts if t.get_text().isdigit()]
    assert len(numbers) == 8
    key_lines = [t for t in texts(fig) if t[:2].strip().isdigit() and "Goal" in t]
    assert len(key_lines) == 8 and all(len(t) <= 48 for t in key_lines)
    assert to_png(fig).startswith(PNG)
    # the same session always gives the same picture
    again = np.concatenate(list(scatter(overlap_chart(ov)).values()))
    assert np.array_equal(drawn, again)


def test_presenter_mode_uses_larger_type() -> None:
    ov = analyze(starter("scope-vs-deadline"))

    def size(fig: Figure, text: str) -> float:
        return next(t.get_fontsize() for t in fig.findobj(Text) if t.get_text() == text)

    normal, big = overlap_chart(ov), overlap_chart(ov, presenter=True)
    label = f"{SHARED} ({dict(ov.quadrant_counts)[SHARED]})"
    assert size(big, label) > size(normal, label) * 1.4
    assert big.get_size_inches()[0] > normal.get_size_inches()[0]


def test_session_text_is_drawn_literally() -> None:
    session = Session(
        title="t",
        goals=[
            Goal(
                id="g1",
                title="Budget $5k to $ 10k \\frac{a}{",
                raised_by="customer",
                ratings={"customer": Rating(importance=5), "management": Rating(importance=4)},
            )
        ],
    )
    ov = analyze(session)
    for fig in (overlap_chart(ov), ground_chart(ov), weight_chart(session)):
        assert to_png(fig).startswith(PNG)  # an unbalanced "$" would fail in mathtext
        mine = [t for t in fig.findobj(Text) if "Budget" in t.get_text()]
        assert mine and all(not t.get_parse_math() for t in mine)


def test_ground_chart_lists_common_ground_conflicts_and_blind_spots() -> None:
    session = starter("undisclosed-risk")
    ov = analyze(session)
    names = {p.id: p.name for p in session.parties}
    shown = "\n".join(texts(ground_chart(ov, names=names)))
    assert f"Common ground ({len(ov.common_ground)})" in shown
    assert f"Conflicts ({len(ov.conflicts)})" in shown
    assert f"Blind spots ({len(ov.blind_spots)})" in shown
    assert "Keep the March cutover date" in shown
    assert "Customer buys twenty extra warehouse licences" in shown
    assert "Alder Logistics (customer) opposes" in shown
    assert "not rated by Programme management" in shown


def test_ground_chart_says_none_and_more() -> None:
    empty = analyze(Session(title="empty"))
    assert texts(ground_chart(empty)).count("none") == 3
    big = analyze(many_goals(200))
    shown = texts(ground_chart(big, top=5))
    assert f"+{len(big.conflicts) - 5} more" in shown
    assert f"+{len(big.common_ground) - 5} more" in shown


@pytest.mark.parametrize(("score", "shown"), [(None, "n/a"), (0.0, "0"), (64.6, "65"), (100.0, "100")])
def test_alignment_gauge_prints_the_score(score: float | None, shown: str) -> None:
    fig = alignment_gauge(score)
    assert shown in texts(fig)
    assert "alignment" in texts(fig)


def test_weight_chart_names_the_top_goals_at_each_end() -> None:
    session = starter("undisclosed-risk")
    fig = weight_chart(session, weight=0.3, top=5)
    shown = texts(fig)
    for w in (0.0, 1.0):
        for g in ranking(session, w)[:5]:
            assert f"{g.rank}. {shorten(g.title, 32)}" in shown
    lines = {ln.get_gid(): ln for ln in fig.axes[0].lines}
    assert "weight" in lines and lines["weight"].get_xdata()[0] == pytest.approx(0.3)
    # each drawn goal line runs from management's importance (w=0) to the customer's (w=1)
    cutover = lines["cutover-date"]
    assert cutover.get_ydata()[0] == 5 and cutover.get_ydata()[-1] == 5
    licences = lines["extra-licences"]
    assert licences.get_ydata()[0] == 4 and licences.get_ydata()[-1] == 3


def test_weight_chart_draws_only_goals_that_reach_the_top() -> None:
    session = many_goals(200)
    fig = weight_chart(session, top=6, steps=11)
    goal_lines = [ln for ln in fig.axes[0].lines if isinstance(ln, Line2D) and ln.get_gid() != "weight"]
    best = {g: 10**6 for g in (x.id for x in session.goals)}
    for w in np.linspace(0, 1, 11):
        for r in ranking(session, float(w)):
            best[r.goal_id] = min(best[r.goal_id], r.rank)
    assert {ln.get_gid() for ln in goal_lines} == {g for g, r in best.items() if r <= 6}
    assert to_png(fig).startswith(PNG)


def test_weight_chart_refuses_an_unknown_party() -> None:
    with pytest.raises(InputError, match="unknown party 'vendor'"):
        weight_chart(starter("budget-overrun"), pair=("customer", "vendor"))


def pixels(png: bytes) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def test_the_renderer_gives_the_same_picture_as_a_fresh_chart() -> None:
    """The renderer keeps its frame as pixels and moves its artists; every picture is still
    the one a fresh chart draws, whatever came before (more goals, fewer, a category gone)."""
    renderer = OverlapRenderer(theme="dark", presenter=True)
    scope = starter("scope-vs-deadline")
    sessions = [many_goals(40, seed=1), many_goals(40, seed=2), many_goals(200, seed=3), many_goals(200, seed=4),
                scope, view_for(scope, "customer"), Session(title="e"), many_goals(70, seed=5)]
    for session in sessions:
        ov = analyze(session)
        names = {p.id: p.name for p in session.parties}
        fresh = to_png(overlap_chart(ov, theme="dark", presenter=True, names=names, key=False))
        assert np.array_equal(pixels(renderer.png(ov, names)), pixels(fresh))


MATH = "Rate $\\x$ per day"  # mathtext would fail on \x: "Unknown symbol"


def math_session(title: str = MATH) -> Session:
    """A session whose every text a chart may draw is ``$\\x$`` text."""
    from pmkit.model import parse_session

    rating = {"customer": {"importance": 5, "stance": "support"}, "management": {"importance": 4, "stance": "oppose"}}
    return parse_session({
        "title": title,
        "parties": [{"id": "customer", "name": f"Customer {MATH}"}, {"id": "management", "name": f"Board {MATH}"}],
        "goals": [{"id": f"g{n}", "title": f"Goal {n} {MATH}", "raised_by": "customer", "ratings": rating}
                  for n in range(3)],
        "issues": [{"id": "rate", "title": MATH, "unit": "$\\u$", "positions": {
            "customer": {"ideal": 2, "walk_away": 12}, "management": {"ideal": 8, "walk_away": 2}}},
                   {"id": "gap", "title": f"Gap {MATH}", "positions": {
            "customer": {"ideal": 1, "walk_away": 2}, "management": {"ideal": 5, "walk_away": 3}}}],
    })


def every_chart(session: Session, theme: str, presenter: bool) -> list[Figure]:
    from pmkit.analytics import followup
    from pmkit.analytics.bargaining import bargaining_ranges
    from pmkit.analytics.packages import packages
    from pmkit.charts.followup import alignment_trend_chart, movement_chart
    from pmkit.charts.negotiation import frontier_chart, ranges_chart

    ov = analyze(session)
    names = {p.id: p.name for p in session.parties}
    later = session.model_copy(deep=True)
    later.title = f"Later {MATH}"
    later.goals[0].ratings["customer"].importance = 1
    sessions = [("a", session), ("b", later)]
    kw = {"theme": theme, "presenter": presenter}
    return [
        overlap_chart(ov, names=names, key=True, **kw),
        ground_chart(ov, names=names, **kw),
        alignment_gauge(ov.alignment, **kw),
        weight_chart(session, weight=0.5, **kw),
        frontier_chart(packages(session), names, **kw),
        ranges_chart(bargaining_ranges(session.issues), names, **kw),
        alignment_trend_chart(followup.series(sessions), **kw),
        movement_chart(followup.what_moved(*sessions), names=names, **kw),
    ]


@pytest.mark.parametrize(("theme", "presenter"), [("light", False), ("dark", True)])
def test_every_chart_draws_dollar_text_literally(theme: str, presenter: bool) -> None:
    import io

    session = math_session()
    for fig in every_chart(session, theme, presenter):
        assert to_png(fig).startswith(PNG)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", bbox_inches="tight")  # as the notebook's inline backend does
        assert buf.getvalue().startswith(PNG)
        drawn = [t for t in fig.findobj(Text) if "$" in t.get_text()]
        assert all(not t.get_parse_math() for t in drawn)
    ov = analyze(session)
    names = {p.id: p.name for p in session.parties}
    assert OverlapRenderer(theme=theme, presenter=presenter, key=True).png(ov, names).startswith(PNG)


def test_a_dollar_in_session_text_is_drawn_as_a_dollar() -> None:
    from pmkit.analytics.bargaining import bargaining_ranges
    from pmkit.charts.negotiation import ranges_chart

    fig = ranges_chart(bargaining_ranges(math_session().issues))
    to_png(fig)
    assert any(t.get_text().startswith(MATH) for t in fig.findobj(Text))
