"""The board's visual language: the page's stylesheet takes the charts' colours, every text
colour meets WCAG 2.1 AA (4.5:1), and the helpers give headings, names and text
alternatives the page can use."""

from __future__ import annotations

import re

import pytest

from pmkit.charts.style import TEXT_TONES, THEMES, TYPE_SCALE_PX, contrast, style
from pmkit.resources import templates_dir
from pmkit.widgets.look import CHART, SR_ONLY, chart_image, heading, labelled, show_chart

CSS = templates_dir() / "voila" / "templates" / "pmkit" / "static" / "pmkit.css"


def css_block(selector_end: str) -> dict[str, str]:
    """The custom properties of the rule whose selector ends with ``selector_end``."""
    text = CSS.read_text(encoding="utf-8")
    match = re.search(rf"{re.escape(selector_end)}\s*\{{([^}}]*)\}}", text)
    assert match, f"no rule for {selector_end} in {CSS}"
    return dict(re.findall(r"--(pmkit-[\w-]+):\s*([^;]+);", match.group(1)))


@pytest.mark.parametrize(("theme", "selector"), [("light", ".pmkit-theme-light"), ("dark", ".pmkit-theme-dark")])
def test_the_page_uses_the_charts_colours(theme: str, selector: str) -> None:
    tokens = css_block(selector)
    colours = THEMES[theme]
    tones = TEXT_TONES[theme]
    assert {k: tokens[f"pmkit-{k}"].upper() for k in ("bg", "fg", "grid", "panel")} == {
        k: colours[k].upper() for k in ("bg", "fg", "grid", "panel")}
    assert tokens["pmkit-muted"].upper() == tones["muted"].upper()
    for key in ("customer", "management", "agree", "conflict", "accent"):
        assert tokens[f"pmkit-{key}"].upper() == tones[key].upper(), key


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_text_colour_reads_at_4_5_to_1_on_the_background_and_the_panel(theme: str) -> None:
    back = THEMES[theme]
    for key, colour in [*TEXT_TONES[theme].items(), ("fg", back["fg"])]:
        for ground in ("bg", "panel"):
            assert contrast(colour, back[ground]) >= 4.5, (theme, key, ground, contrast(colour, back[ground]))


def test_contrast_is_wcags_ratio() -> None:
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast("#FFFFFF", "#FFFFFF") == 1.0


def test_the_type_scale_centres_on_the_charts_base_size() -> None:
    chart_px = style().font * 100 / 72  # points drawn at the charts' 100 dpi
    assert abs(TYPE_SCALE_PX["md"] - chart_px) < 1
    assert list(TYPE_SCALE_PX.values()) == sorted(TYPE_SCALE_PX.values())
    text = CSS.read_text(encoding="utf-8")
    for step, px in TYPE_SCALE_PX.items():
        assert f"--pmkit-text-{step}: calc({px:g}px * var(--pmkit-scale));" in text


def test_headings_are_escaped_and_can_be_for_screen_readers_only() -> None:
    assert heading("A <b> title") == "<h3>A &lt;b&gt; title</h3>"
    assert heading("Goals", 2, hidden=True) == f'<h2 class="{SR_ONLY}">Goals</h2>'
    with pytest.raises(ValueError):
        heading("x", 7)


def test_a_chart_image_carries_its_text_alternative() -> None:
    image = chart_image("pmkit-overlap-chart", max_width="700px")
    assert {CHART, "pmkit-overlap-chart"} <= set(image._dom_classes)
    show_chart(image, b"\x89PNG", "Overlap chart of 3 goals.")
    assert image.tooltip == "Overlap chart of 3 goals." and image.value == b"\x89PNG"
    # the view reads a description before it shows a tooltip: the image has one (empty)
    assert "description" in image.keys and image.description == ""
    assert image.layout.max_width == "700px"


def test_a_control_without_a_description_is_named() -> None:
    import ipywidgets as widgets

    assert labelled(widgets.Select(options=["a"]), "Goals").tooltip == "Goals"
