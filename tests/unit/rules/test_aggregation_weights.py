"""The side's stance does not depend on the scale of its members' weights: weights of
1e-12 or 1e-300 (accepted, as every weight above 0 is) decide as weights of 1 do."""

from __future__ import annotations

import pytest

from pmkit.rules.aggregation import aggregate_rating, check_weight, weighted_majority

SCALES = (1.0, 1e-6, 1e-12, 1e-15, 1e-300, 1000.0 / 3)


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize(("stances", "expected"), [
    ([("support", 2), ("oppose", 1)], "support"),
    ([("oppose", 3), ("support", 1), ("support", 1)], "oppose"),
    ([("support", 1), ("oppose", 1)], "neutral"),  # a tie between the top two
    ([("oppose", 0.5), ("support", 0.3), ("support", 0.2)], "neutral"),  # a tie, float noise aside
    ([("oppose", 0.6), ("support", 0.3), ("support", 0.2)], "oppose"),
])
def test_the_majority_is_the_same_at_every_scale(scale: float, stances: list[tuple[str, float]],
                                                   expected: str) -> None:
    assert weighted_majority([(s, w * scale) for s, w in stances]) == expected


@pytest.mark.parametrize("weight", [1e-12, 1e-13, 1e-300])
def test_members_with_tiny_weights_still_make_a_stance(weight: float) -> None:
    assert check_weight(weight) == weight  # accepted, as documented: any weight above 0
    ratings = [(5, "support", check_weight(weight)), (4, "support", weight), (1, "oppose", weight)]
    assert aggregate_rating(ratings) == (4, "support")
