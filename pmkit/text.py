"""How pmkit writes numbers and short text for people: one rule each, used by every surface
(command line, board, charts, reports, exports). Standard library only.

**Numbers** (:func:`number`): a value is shown exactly as it was entered.

* integers without a decimal point (``480``, not ``480.0``);
* otherwise the shortest decimal that reads back as the same float (``12345.75``, ``0.1``),
  after removing binary noise: a result such as ``99.6 - 99.45`` (``0.15000000000000568``)
  is shown as ``0.15``. Noise is recognised as a run of six or more ``0`` or ``9`` digits
  followed by other digits, inside a decimal of 15 or more significant digits; the value
  is rounded where the run starts. A value typed with up to 14 significant digits is
  never changed;
* magnitudes of :data:`SCIENTIFIC_ABOVE` (10^15) and more, or below
  :data:`SCIENTIFIC_BELOW` (10^-6), in a short scientific form: ``1e15``, ``2.5e-7``;
* no thousands separators, an ASCII minus, ``0`` for minus zero;
* a number that is not finite never reaches a user as ``inf`` or ``nan``: infinities are
  written ``∞`` and ``-∞``, and not-a-number ``n/a`` (the model refuses both on input);
* ``None`` (no value) is written as ``missing`` (``—`` unless the caller says otherwise).

The rule is for values people enter or read as values: positions, range ends and sizes,
steps, what-if values, package values.

**Computed numbers** keep a fixed number of decimals chosen by their kind, one function
each, used by every surface:

* :func:`alignment`: the alignment score (0-100) as a whole number, ``56``; a change of
  it with its sign, ``+3``; ``n/a`` for none;
* :func:`share`: a share of a whole (a weight on a party, a satisfaction or utility, a
  gain) with 2 decimals, ``0.25``, ``+0.10``;
* :func:`priority`: an AHP priority and the consistency measures (λmax, CI, CR) with 3
  decimals, ``0.123``;
* :func:`count`: a whole number of things (rows, bytes) with thousands separators, ``12,345``.

**Rounding** (:func:`rounded`) happens only here, only for display: every analysis keeps
and compares the exact value (the risk read-out's "alignment below 70" scores 69.95). A
number is rounded on the decimal people read (:func:`number`'s: ``56.25``, ``43.75``,
``2.675``), never on its binary approximation, *half away from zero*: ``56.25`` to one
decimal is ``56.3``, ``43.75`` is ``43.8``, ``-43.75`` is ``-43.8``, ``2.675`` to two is
``2.68``; a result of zero is written without a minus.

:func:`renderings` lists every way a number may appear on a page or in a file, for the
leak checks (:func:`pmkit.rules.visibility.hidden_texts`), and :func:`date_renderings` every way
a date may; :func:`quantity` adds a unit. Dates are written ISO (``2026-12-11``).

**Short text**: :func:`shorten` folds text onto one line and cuts it with an ellipsis;
:func:`shorten_list` cuts a list of titles to its first few and counts the rest.

**File names**: :func:`safe_name` turns any text into a name safe on every file system.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "SCIENTIFIC_ABOVE",
    "SCIENTIFIC_BELOW",
    "alignment",
    "clean",
    "count",
    "date_renderings",
    "number",
    "priority",
    "quantity",
    "renderings",
    "rounded",
    "safe_name",
    "share",
    "shorten",
    "shorten_list",
]

SCIENTIFIC_ABOVE = 1e15
SCIENTIFIC_BELOW = 1e-6
_NOISE = re.compile(r"0{6,}|9{6,}")
_NOISY_DIGITS = 15
_SHORTEST_RENDERING = 3
_WHOLE_DIGITS = 4  # a value rounded to a whole number is searched for from 4 digits up


def clean(value: float) -> float:
    """``value`` without binary noise (see the module): ``clean(99.6 - 99.45) == 0.15``."""
    x = float(value)
    if not math.isfinite(x) or x == 0:
        return x
    digits = "".join(map(str, Decimal(repr(x)).normalize().as_tuple().digits))
    if len(digits) < _NOISY_DIGITS:
        return x
    run = _NOISE.search(digits)  # normalized: no leading or trailing zeros
    if run is None or run.end() == len(digits):  # noise ends in a stray digit: 0.30000000000000004
        return x
    return float(f"{x:.{max(run.start(), 1)}g}")


def _scientific(x: float) -> str:
    d = Decimal(repr(x)).normalize()
    sign, digits, _exp = d.as_tuple()
    mantissa = str(digits[0]) + ("." + "".join(map(str, digits[1:])) if len(digits) > 1 else "")
    return f"{'-' if sign else ''}{mantissa}e{d.adjusted()}"


def number(value: float | None, missing: str = "—") -> str:
    """``value`` as pmkit shows a number to people (the rule is in the module docstring)."""
    if value is None:
        return missing
    x = float(value)
    if math.isnan(x):
        return "n/a"
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    x = clean(x)
    if x == 0:
        return "0"
    if abs(x) >= SCIENTIFIC_ABOVE or abs(x) < SCIENTIFIC_BELOW:
        return _scientific(x)
    if x.is_integer():
        return str(int(x))
    return format(Decimal(repr(x)), "f")


def rounded(value: float, places: int = 0) -> Decimal:
    """``value`` rounded to ``places`` decimals for display, half away from zero, on the
    decimal :func:`number` shows (``rounded(43.75, 1) == Decimal("43.8")``); no minus zero."""
    exact = Decimal(repr(clean(float(value))))
    out = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return abs(out) if out == 0 else out


def _fixed(value: float, places: int, signed: bool) -> str:
    x = float(value)
    if not math.isfinite(x):
        return number(x)
    out = rounded(x, places)
    return f"+{out}" if signed and out > 0 else str(out)


def alignment(value: float | None, *, signed: bool = False) -> str:
    """An alignment score (0-100) as shown: a whole number (``56``); ``signed`` for a change
    (``+3``); ``n/a`` for ``None`` (no goal rated by two parties)."""
    return "n/a" if value is None else _fixed(value, 0, signed)


def share(value: float, *, signed: bool = False) -> str:
    """A share of a whole (a weight, a satisfaction, a gain) as shown: 2 decimals (``0.25``);
    ``signed`` for a gain or a change (``+0.10``)."""
    return _fixed(value, 2, signed)


def priority(value: float) -> str:
    """An AHP priority, λmax, CI or CR as shown: 3 decimals (``0.123``)."""
    return _fixed(value, 3, False)


def count(value: int) -> str:
    """A whole number of things (rows, bytes) with thousands separators: ``12,345``."""
    return f"{int(value):,}"


def quantity(value: float | None, unit: str = "") -> str:
    """A number with its unit: ``1.5 weeks``, ``480`` (no unit)."""
    return f"{number(value)} {unit}".strip()


def _group(text: str) -> str:
    """``12345.75`` -> ``12,345.75`` (a plain positional decimal)."""
    sign, body = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, dot, frac = body.partition(".")
    if not whole.isdigit():
        return text
    return f"{sign}{int(whole):,}{dot}{frac}"


def _significant(text: str) -> int:
    digits = "".join(c for c in text.partition("e")[0] if c.isdigit())
    return len(digits.strip("0"))


def renderings(value: float) -> list[str]:
    """Every way ``value`` may be printed: this module's rule, ``str``, ``:g``, rounded to
    0, 1 or 2 decimals (half-even as Python formats, and half-up), cut to an integer, each
    also with thousands separators, and with a typographic minus for negative values.
    ``number(value)`` comes first.

    Some are left out, so that a search for them finds leaks rather than chance matches:
    a rendering shorter than 3 characters unless it is ``number(value)`` itself (a hidden
    ``12.5`` must not make every "12" a leak, a hidden ``12`` does); every other rendering
    of a value whose own is that short (``2.0`` and ``2.00`` say no more than ``2``, and
    "2.0" is on every page in a version number); a rounded rendering with fewer than 3
    significant digits (``99.85`` is searched as ``99.8`` and ``99.9``, not as ``100``); and
    a value rounded to a whole number of fewer than 4 digits (``118.25`` is not searched as
    ``118``: three-digit numbers are on every page, in counts, sizes and ids).
    """
    x = float(value)
    if not math.isfinite(x):
        return [number(x)]
    own = number(x)
    if len(own) < _SHORTEST_RENDERING:
        return [own]
    forms = [own, str(x), repr(x), f"{x:g}", *(f for f in (f"{x:.3g}", f"{x:.4g}") if "e" not in f)]
    forms += [f"{x:.{n}f}" for n in (0, 1, 2)]
    exact = Decimal(repr(clean(x)))
    forms += [str(exact.quantize(Decimal(1).scaleb(-n), rounding=ROUND_HALF_UP)) for n in (0, 1, 2)
              if abs(x) < SCIENTIFIC_ABOVE]
    if abs(x) < 2**63:
        forms.append(str(int(x)))
    forms += [_group(f) for f in list(forms)]
    forms += [f.replace("-", "−", 1) for f in list(forms) if f.startswith("-")]
    out: list[str] = []
    for f in forms:
        if f in out or f != own and len(f) < _SHORTEST_RENDERING:
            continue
        plain = f.replace(",", "").replace("−", "-")
        rounded = float(plain) != x
        whole = plain.lstrip("-").isdigit()
        if f == own or not rounded or (_significant(f) >= _SHORTEST_RENDERING
                                       and not (whole and len(plain.lstrip("-")) < _WHOLE_DIGITS)):
            out.append(f)
    return out


def date_renderings(day: dt.date) -> list[str]:
    """Every way ``day`` may be printed, ISO first: ``2026-12-04``, ``4 December 2026``,
    ``December 4, 2026``, ``4 Dec 2026``, ``Dec 4, 2026``, ``04/12/2026``, ``12/04/2026``,
    ``04.12.2026``, ``2026/12/04`` (and ``04 December 2026``). Never without its year: a day
    and month alone are on too many pages to prove anything."""
    d, m, y, month, mon = day.day, day.month, day.year, f"{day:%B}", f"{day:%b}"
    forms = [day.isoformat(), f"{d} {month} {y}", f"{month} {d}, {y}", f"{d} {mon} {y}", f"{mon} {d}, {y}",
             f"{d:02d}/{m:02d}/{y}", f"{m:02d}/{d:02d}/{y}", f"{d:02d}.{m:02d}.{y}", f"{y}/{m:02d}/{d:02d}",
             f"{d:02d} {month} {y}"]
    return list(dict.fromkeys(forms))


def shorten(text: object, limit: int = 80) -> str:
    """``text`` on one line (runs of white space become one space), cut to at most ``limit``
    characters with an ellipsis."""
    flat = " ".join(str(text).split())
    if len(flat) <= limit:
        return flat
    return flat[: max(limit - 1, 0)].rstrip() + "…"


def shorten_list(titles: Sequence[str], shown: int = 3) -> str:
    """``a; b; c; and 4 more``: a list of titles cut to its first ``shown``."""
    more = len(titles) - shown
    return "; ".join(titles[:shown]) + (f"; and {more} more" if more > 0 else "")


def safe_name(text: str, fallback: str = "export") -> str:
    """``text`` as a file name: letters, digits, ``_``, ``.`` and ``-`` only (every other run
    becomes ``-``), no leading or trailing ``-`` or ``.``; ``fallback`` when nothing is left."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.") or fallback
