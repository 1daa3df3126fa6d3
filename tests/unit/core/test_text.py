"""pmkit.text: the one rule for showing numbers, shortening, safe file names."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmkit.text import clean, number, quantity, renderings, safe_name, shorten, shorten_list


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (480.0, "480"),
        (480, "480"),
        (12345.75, "12345.75"),
        (12.5, "12.5"),
        (0.1, "0.1"),
        (99.6 - 99.45, "0.15"),  # binary noise removed
        (0.1 + 0.2, "0.3"),
        (1 - 0.9, "0.1"),
        (4.35 * 100, "435"),
        (1 / 3, "0.3333333333333333"),  # exact: no noise, nothing cut
        (12345.678901234, "12345.678901234"),  # as typed, 14 significant digits
        (999999999999999.0, "999999999999999"),
        (1e15, "1e15"),
        (-2.5e15, "-2.5e15"),
        (1e308, "1e308"),
        (-1e308, "-1e308"),
        (0.00001, "0.00001"),
        (0.000001, "0.000001"),
        (2.5e-7, "2.5e-7"),
        (5e-324, "5e-324"),
        (-0.0, "0"),
        (0, "0"),
        (-3.5, "-3.5"),
        (math.inf, "∞"),
        (-math.inf, "-∞"),
        (math.nan, "n/a"),
        (None, "—"),
    ],
)
def test_number(value: float | None, shown: str) -> None:
    assert number(value) == shown


def test_number_missing_and_quantity() -> None:
    assert number(None, missing="-") == "-"
    assert quantity(1.5, "weeks") == "1.5 weeks"
    assert quantity(480) == "480"


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_a_number_reads_back_as_itself_unless_it_was_noise(x: float) -> None:
    shown = number(x)
    assert "inf" not in shown and "nan" not in shown and shown.strip() == shown
    assert float(shown) == clean(x)
    assert clean(x) == x or abs(clean(x) - x) <= 1e-12 * abs(x)


@given(st.decimals(min_value=-10**12 + 1, max_value=10**12 - 1, places=2, allow_nan=False, allow_infinity=False))
def test_a_decimal_as_typed_is_shown_as_typed(d: object) -> None:
    """Up to 14 significant digits (here 12 + 2 decimals) a number reads as it was typed."""
    typed = format(d, "f").rstrip("0").rstrip(".") if "." in format(d, "f") else format(d, "f")
    typed = "0" if typed in ("-0", "") else typed
    assert number(float(typed)) == typed


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_renderings_start_with_the_number_and_skip_what_is_short(x: float) -> None:
    forms = renderings(x)
    assert forms[0] == number(x)
    assert len(forms) == len(set(forms))
    assert all(len(f) >= 3 for f in forms[1:])


@pytest.mark.parametrize(
    ("text", "limit", "short"),
    [
        ("short", 10, "short"),
        ("two\n  lines\there", 40, "two lines here"),
        ("a title long enough to be cut", 10, "a title l…"),
        ("a title  long", 9, "a title…"),  # no space before the ellipsis
        ("exactly ten", 11, "exactly ten"),
    ],
)
def test_shorten(text: str, limit: int, short: str) -> None:
    assert shorten(text, limit) == short
    assert len(shorten(text, limit)) <= limit


def test_shorten_list() -> None:
    assert shorten_list(["a", "b"]) == "a; b"
    assert shorten_list(list("abcdef"), 3) == "a; b; c; and 3 more"


@pytest.mark.parametrize(
    ("text", "name"),
    [("demo-facilitator", "demo-facilitator"), ("../../etc/passwd", "etc-passwd"),
     ("Rate $\\x$ per day", "Rate-x-per-day"), ("...", "export"), ("a b.c", "a-b.c")],
)
def test_safe_name(text: str, name: str) -> None:
    assert safe_name(text) == name
