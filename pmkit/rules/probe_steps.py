"""The probe step of a numeric issue: the grain to which a party's questions are answered.

A party learns about the other side's walk-away only through the cell ``[c, c + s)`` of
the grid of step ``s`` that holds it (:mod:`pmkit.analytics.bargaining`). The step is the
issue's (:attr:`pmkit.model.NumericIssue.probe_step`): the facilitator sets it, or the
store fixes this default the first time a facilitator's edit leaves the issue with the
ideals of two parties and no step (never at a party's edit)::

    spread = highest ideal − lowest ideal          (two parties: |ideal_a − ideal_b|)
    floor  = nice(max(|ideal| of every party, 1) / 100)
    s      = max(nice(spread / 5), floor)           (s = floor when the ideals are equal)

``nice(x)`` is the smallest of 1, 2 or 5 times a power of ten that is at least ``x``. The
floor keeps the grain at 1 % of the largest ideal or more, whatever ideal a party entered
before the step was fixed. This module is the bottom layer: the store (which fixes the
default) and the analytics (which answer with it) both use it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from pmkit.errors import InputError
from pmkit.i18n import _

__all__ = ["STEP_DIVISIONS", "STEP_FLOOR_SHARE", "default_step", "nice_step"]

STEP_DIVISIONS = 5  # the spread between the ideals is cut into about this many steps
STEP_FLOOR_SHARE = 100  # the step is at least 1/100 of the largest ideal (and of 1)


def nice_step(x: float) -> float:
    """The smallest of 1, 2 or 5 times a power of ten that is at least ``x`` (> 0)."""
    if not x > 0 or not math.isfinite(x):
        raise InputError(_("a step must be a positive number, got {value}").format(value=repr(x)))
    exp = math.floor(math.log10(x))
    for e in (exp - 1, exp, exp + 1):
        for m in (1, 2, 5):
            s = float(f"{m}e{e}")
            if s >= x * (1 - 1e-12):
                return s
    return float(f"1e{exp + 2}")  # pragma: no cover - unreachable


def default_step(ideals: Iterable[float]) -> float | None:
    """The default probe step from the parties' ideals (see the module), or ``None`` with
    fewer than two."""
    values = [float(v) for v in ideals]
    if len(values) < 2:
        return None
    floor = nice_step(max(1.0, *(abs(v) for v in values)) / STEP_FLOOR_SHARE)
    part = (max(values) - min(values)) / STEP_DIVISIONS
    return nice_step(part) if part > floor else floor
