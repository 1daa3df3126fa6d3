"""How pmkit writes numbers and short text for people: one rule each, used by every surface
(command line, board, charts, reports, exports), in the reader's language
(:func:`pmkit.i18n.current`).

**Languages.** English is written as described below. German and French write the same
digits the way their readers do, with Babel's symbols for the locale: ``12.345,75`` (de) and
``12 345,75`` (fr, a narrow no-break space between groups): the decimal comma, and groups of
three in the whole part (from ``1.234`` in German and ``1 234`` in French); an ASCII minus.
Dates are ISO in English (``2026-12-11``), ``11. Dez. 2026`` in German and ``11 déc. 2026``
in French (:func:`day`); a moment adds the time of day, ``14:05`` (:func:`moment`).
:func:`read_number` reads a number as the reader types it, and refuses what two languages
would read differently.

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
* :func:`count`: a whole number of things (rows, bytes) with thousands separators, ``12,345``;
* :func:`percent`: a share of a whole as a percentage, a whole number, ``25%`` (``25 %`` in
  German and French).

**Rounding** (:func:`rounded`) happens only here, only for display: every analysis keeps
and compares the exact value (the risk read-out's "alignment below 70" scores 69.95). A
number is rounded on the decimal people read (:func:`number`'s: ``56.25``, ``43.75``,
``2.675``), never on its binary approximation, *half away from zero*: ``56.25`` to one
decimal is ``56.3``, ``43.75`` is ``43.8``, ``-43.75`` is ``-43.8``, ``2.675`` to two is
``2.68``; a result of zero is written without a minus.

:func:`renderings` lists every way a number may appear on a page or in a file, for the
leak checks (:func:`pmkit.rules.visibility.hidden_texts`), and :func:`date_renderings` every way
a date may, in every language; :func:`quantity` adds a unit.

**Short text**: :func:`shorten` folds text onto one line and cuts it with an ellipsis;
:func:`shorten_list` cuts a list of titles to its first few and counts the rest.

**File names**: :func:`safe_name` turns any text into a name safe on every file system.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.dates import format_date, format_time
from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol

from pmkit.i18n import DEFAULT, _, locale, use

__all__ = [
    "SCIENTIFIC_ABOVE",
    "SCIENTIFIC_BELOW",
    "alignment",
    "clean",
    "count",
    "date_renderings",
    "day",
    "editable",
    "long_day",
    "moment",
    "number",
    "percent",
    "priority",
    "quantity",
    "read_number",
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
        return _local(_scientific(x))
    if x.is_integer():
        return _local(str(int(x)))
    return _local(format(Decimal(repr(x)), "f"))


def _local(english: str) -> str:
    """An English plain decimal (``-12345.75``, ``2.5e-7``) as the current language writes it."""
    loc = locale()
    if loc == "en":
        return english
    mantissa, e, exponent = english.partition("e")
    if e:
        return mantissa.replace(".", get_decimal_symbol(loc)) + e + exponent
    places = len(mantissa.partition(".")[2])
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return str(format_decimal(Decimal(mantissa), format=pattern, locale=loc))


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
    text = _local(str(out))
    return f"+{text}" if signed and out > 0 else text


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
    """A whole number of things (rows, bytes) with thousands separators: ``12,345``
    (``12.345`` in German, ``12 345`` in French)."""
    loc = locale()
    return f"{int(value):,}" if loc == "en" else str(format_decimal(int(value), locale=loc))


def percent(value: float) -> str:
    """A share of a whole (0 to 1) as a whole percentage: ``25%`` (``25 %`` in German and
    French); rounded half away from zero like every other number here."""
    x = float(value)
    if not math.isfinite(x):
        return number(x)
    whole = rounded(x * 100, 0)
    loc = locale()
    return f"{whole}%" if loc == "en" else str(format_percent(whole / 100, locale=loc))


def day(value: dt.date | None, missing: str = "—") -> str:
    """A day as the reader writes it: ``2026-12-11`` (en), ``11. Dez. 2026`` (de),
    ``11 déc. 2026`` (fr)."""
    if value is None:
        return missing
    if isinstance(value, dt.datetime):
        value = value.date()
    loc = locale()
    if loc == "en":
        return value.isoformat()
    return str(format_date(value, "d. MMM y" if loc == "de" else "d MMM y", locale=loc))


def long_day(value: dt.date) -> str:
    """A day written out, for a title: ``24 November 2026`` (en), ``24. November 2026`` (de),
    ``24 novembre 2026`` (fr)."""
    loc = locale()
    if loc == "en":
        return f"{value.day} {value:%B %Y}"
    return str(format_date(value, "d. MMMM y" if loc == "de" else "d MMMM y", locale=loc))


def moment(value: dt.datetime | None, missing: str = "—") -> str:
    """A moment as the reader writes it, to the minute: ``2026-12-11 14:05`` (en),
    ``11. Dez. 2026, 14:05`` (de), ``11 déc. 2026, 14:05`` (fr); in the moment's own time zone."""
    if value is None:
        return missing
    loc = locale()
    clock = f"{value:%H:%M}" if loc == "en" else str(format_time(value, "HH:mm", locale=loc))
    return f"{day(value)} {clock}" if loc == "en" else f"{day(value)}, {clock}"


def editable(value: float | None) -> str:
    """A number for a box people type in, as the reader's language writes it, in a form
    :func:`read_number` reads back: a whole number German writes with one group (``12.345``,
    which may also be read as twelve) is written without it (``12345``); ``None`` is empty."""
    if value is None:
        return ""
    text = number(value, missing="")
    try:
        read_number(text)
    except ValueError:
        return "".join(c for c in text if c.isdigit() or c == "-")
    return text


def read_number(text: str) -> float | None:
    """A number as the reader typed it (empty: ``None``). English reads ``12345.75`` and
    ``12,345.75``; German ``12345,75``, ``12.345,75`` and ``12.5``; French ``12345,75``,
    ``12 345,75`` and ``12.5``; each also ``2.5e-7``. One ``.`` or ``,`` that is not the
    reader's decimal sign and has three digits after one to three digits (``12.345`` in
    German, ``12,345`` in English) is refused: it may be a thousands separator or another
    language's decimal sign. Raises :class:`ValueError` with a one-line reason."""
    raw = " ".join(str(text).replace("\u202f", " ").replace("\u00a0", " ").split()).replace("−", "-")
    if not raw:
        return None
    loc = locale()
    point, group = get_decimal_symbol(loc), get_group_symbol(loc).replace("\u202f", " ").replace("\u00a0", " ")
    sign, body = ("-", raw[1:]) if raw[:1] == "-" else ("", raw[1:] if raw[:1] == "+" else raw)
    if not body or any(c not in "0123456789.,' eE+-" for c in body) or not body[0].isdigit() and body[0] not in ".,":
        raise ValueError(_("'{typed}' is not a number").format(typed=raw[:40]))
    mantissa, e, exponent = body.lower().partition("e")
    seps = [c for c in mantissa if c in ".,' "]
    if e or len(seps) == 1 and seps[0] in ".,":
        sep = seps[0] if seps else "."
        whole, _sep, frac = mantissa.partition(sep)
        if sep != point and not e and len(frac) == 3 and 1 <= len(whole) <= 3:
            raise ValueError(_("'{typed}' may mean {whole} or {decimal}: write {whole}, or the decimals with "
                               "'{point}'").format(typed=raw[:40], whole=whole + frac, decimal=whole + point + frac,
                                                   point=point))
        plain = f"{whole}.{frac}" + (f"e{exponent}" if e else "")
    else:
        last = max(mantissa.rfind("."), mantissa.rfind(","))
        decimal = last >= 0 and mantissa[last] == point
        whole, frac = (mantissa[:last], mantissa[last + 1:]) if decimal else (mantissa, "")
        groups = whole.replace(group, "|").replace(" ", "|").replace("'", "|").split("|")
        grouped = len(groups) > 1  # a whole part without separators (12345) has any length
        if (not groups[0] or grouped and (len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]))
                or not "".join(groups).isdigit() or frac and not frac.isdigit()):
            raise ValueError(_("'{typed}' is not a number as written here: write it like {example}").format(
                typed=raw[:40], example=_local("12345.75")))
        plain = "".join(groups) + (f".{frac}" if frac else "")
    try:
        value = float(Decimal(sign + plain))
    except (InvalidOperation, ValueError):
        raise ValueError(_("'{typed}' is not a number").format(typed=raw[:40])) from None
    if not math.isfinite(value):
        raise ValueError(_("'{typed}' is not a finite number").format(typed=raw[:40]))
    return value



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

    Then every one of those as German and French write it (``12.345,75``, ``12 345,75`` with
    a space, a no-break space or a narrow no-break space, ``12'345,75``): a hidden number must
    not reach a page in any language.
    """
    with use(DEFAULT):
        return _renderings(float(value))


def _renderings(x: float) -> list[str]:
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
    # the same digits as German and French write them: decimal comma; groups with ".", a space,
    # a no-break space or a narrow no-break space
    local = [f.translate(table) for f in out for table in _LOCAL_FORMS]
    out += [f for f in dict.fromkeys(local) if f not in out and ("," in f or any(g in f for g in _GROUPS))]
    if own not in out[:1]:
        out.insert(0, own)
    return list(dict.fromkeys(out))


_GROUPS = (".", " ", "\u00a0", "\u202f", "'")
_LOCAL_FORMS = [str.maketrans({".": ",", ",": g}) for g in _GROUPS]


def date_renderings(day: dt.date) -> list[str]:
    """Every way ``day`` may be printed, ISO first: ``2026-12-04``, ``4 December 2026``,
    ``December 4, 2026``, ``4 Dec 2026``, ``Dec 4, 2026``, ``04/12/2026``, ``12/04/2026``,
    ``04.12.2026``, ``2026/12/04`` (and ``04 December 2026``); then every way German and
    French write it (``4. Dez. 2026``, ``4. Dezember 2026``, ``4 déc. 2026``, ``4 décembre 2026``,
    Babel's short to full forms). Never without its year: a day and month alone are on too
    many pages to prove anything."""
    d, m, y, month, mon = day.day, day.month, day.year, f"{day:%B}", f"{day:%b}"
    forms = [day.isoformat(), f"{d} {month} {y}", f"{month} {d}, {y}", f"{d} {mon} {y}", f"{mon} {d}, {y}",
             f"{d:02d}/{m:02d}/{y}", f"{m:02d}/{d:02d}/{y}", f"{d:02d}.{m:02d}.{y}", f"{y}/{m:02d}/{d:02d}",
             f"{d:02d} {month} {y}"]
    for loc in ("de", "fr"):
        forms += [str(format_date(day, f, locale=loc)) for f in ("d. MMM y", "d MMM y", "d. MMMM y", "d MMMM y",
                                                                   "short", "medium", "long", "full", "dd.MM.y")]
    return [f for f in dict.fromkeys(forms) if str(y) in f or f"{y % 100:02d}" in f]


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
    rest = "; " + _("and {n} more").format(n=count(more)) if more > 0 else ""
    return "; ".join(titles[:shown]) + rest


def safe_name(text: str, fallback: str = "export") -> str:
    """``text`` as a file name: letters, digits, ``_``, ``.`` and ``-`` only (every other run
    becomes ``-``), no leading or trailing ``-`` or ``.``; ``fallback`` when nothing is left."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.") or fallback
