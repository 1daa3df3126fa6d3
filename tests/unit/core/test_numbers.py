"""Each kind of number is shown by one function of :mod:`pmkit.text`, against reference
values, and no other module formats a number itself."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from pmkit.text import alignment, count, number, priority, rounded, share

PMKIT = Path(__file__).resolve().parents[3] / "pmkit"


@pytest.mark.parametrize(("value", "places", "expected"), [
    (56.25, 1, "56.3"),  # exact halves: away from zero, whatever the binary value
    (43.75, 1, "43.8"),
    (-43.75, 1, "-43.8"),
    (69.95, 1, "70.0"),
    (0.125, 2, "0.13"),
    (2.675, 2, "2.68"),  # the float is 2.67499999...: the decimal people typed decides
    (0.5, 0, "1"),
    (-0.5, 0, "-1"),
    (-0.04, 1, "0.0"),  # no minus zero
    (12345.75, 1, "12345.8"),
    (99.6 - 99.45, 1, "0.2"),  # 0.15 once its binary noise is removed
])
def test_rounded_is_half_away_from_zero_on_the_decimal_shown(value: float, places: int, expected: str) -> None:
    assert str(rounded(value, places)) == expected


@pytest.mark.parametrize(("show", "value", "expected"), [
    (number, 12345.75, "12345.75"),
    (number, 1234567, "1234567"),
    (number, 1234567.0, "1234567"),
    (number, -12345.75, "-12345.75"),
    (number, 69.95, "69.95"),
    (number, 0.1234, "0.1234"),
    (alignment, 69.95, "70"),
    (alignment, 69.4, "69"),
    (alignment, 56.25, "56"),
    (alignment, 56.5, "57"),
    (alignment, 43.75, "44"),
    (alignment, 100.0, "100"),
    (alignment, 0.0, "0"),
    (alignment, None, "n/a"),
    (share, 0.1234, "0.12"),
    (share, 0.125, "0.13"),
    (share, 0.25, "0.25"),
    (share, 1, "1.00"),
    (share, -0.125, "-0.13"),
    (share, -0.001, "0.00"),
    (priority, 0.1234, "0.123"),
    (priority, 0.12345, "0.123"),
    (priority, 0.0625, "0.063"),
    (priority, 0.5, "0.500"),
    (priority, -0.1234, "-0.123"),
    (count, 1234567, "1,234,567"),
    (count, 12, "12"),
    (count, -12345, "-12,345"),
])
def test_each_kind_of_number_against_reference_values(show: object, value: float | None, expected: str) -> None:
    assert show(value) == expected  # type: ignore[operator]


@pytest.mark.parametrize(("show", "value", "expected"), [
    (alignment, 3.4, "+3"),
    (alignment, -2.5, "-3"),
    (alignment, 0.2, "0"),
    (share, 0.125, "+0.13"),
    (share, -0.1234, "-0.12"),
    (share, 0.001, "0.00"),
])
def test_a_change_is_shown_with_its_sign(show: object, value: float, expected: str) -> None:
    assert show(value, signed=True) == expected  # type: ignore[operator]


# Where formatting a number is right outside pmkit.text: (file, what the scan finds) -> why.
ALLOWED = {
    ("meeting/server.py", "%-formatting"): "the request log's line for operators (milliseconds), not shown to people",
    ("charts/svg.py", "round() inside an f-string"): "SVG width and height in whole units: drawing, not a number read",
}
_NUMERIC_SPEC = re.compile(r"[eEfFgGn%]$|[,_]")  # a float or percent type, or thousands grouping
_PERCENT = re.compile(r"%[-+ 0#]*\d*(?:\.\d+)?[dfFeEgG]")
_BRACED = re.compile(r"\{[^{}]*:[^{}]*[eEfFgGn%]\}")


def _is_round(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "round"


def _spec(node: ast.AST) -> str | None:
    """The number format in ``node``, if it has one."""
    if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
        assert isinstance(node.format_spec, ast.JoinedStr)
        spec = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.format_spec.values)
        if _NUMERIC_SPEC.search(spec):
            return f"f-string spec {spec!r}"
    if isinstance(node, ast.FormattedValue) and any(_is_round(n) for n in ast.walk(node.value)):
        return "round() inside an f-string"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        if node.func.id == "format" and len(node.args) == 2:
            return "format()"
        if node.func.id in {"number", "quantity", "share", "alignment", "priority"} and any(map(_is_round, node.args)):
            return f"round() before {node.func.id}()"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) \
            and isinstance(node.left.value, str) and _PERCENT.search(node.left.value):
        return "%-formatting"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format" \
            and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str) \
            and _BRACED.search(node.func.value.value):
        return "str.format spec"
    return None


def test_numbers_are_formatted_only_in_pmkit_text() -> None:
    found = []
    for path in sorted(PMKIT.rglob("*.py")):
        name = path.relative_to(PMKIT).as_posix()
        if name == "text.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            what = _spec(node)
            if what and (name, what) not in ALLOWED:
                found.append(f"pmkit/{name}:{getattr(node, 'lineno', '?')}: {what}")
    assert not found, "numbers formatted outside pmkit.text (use number, share, alignment, priority " \
                      "or count):\n" + "\n".join(sorted(set(found)))


def test_the_scan_finds_what_it_looks_for() -> None:
    for source in ('f"{x:.1f}"', 'f"{x:g}"', 'f"{n:,}"', 'f"{round(x)}"', 'number(round(x, 2))',
                   'format(x, ".2f")', '"%.1f" % x', '"{:.3f}".format(x)'):
        assert any(_spec(n) for n in ast.walk(ast.parse(source))), source
    for source in ('f"{d:%B %Y}"', 'f"{x!r:.40}"', 'f"{x}"', 'number(x)'):
        assert not any(_spec(n) for n in ast.walk(ast.parse(source))), source
