"""The side's walk-away rule where it gives the side's ideal, as documented in
:mod:`pmkit.rules.aggregation` and the README: a side without a direction, and a member
walk-away beyond the side's ideal."""

from __future__ import annotations

from pmkit.rules.aggregation import aggregate_position


def test_a_side_whose_ideal_is_the_median_walk_away_has_its_ideal_as_walk_away() -> None:
    # ideals 10 and 5: the median is 5 (an exact split: the lower); walk-aways 5 and 20:
    # the median is 5 too, so the side wants neither more nor less and accepts only 5
    assert aggregate_position([(10, 5, 1), (5, 20, 1)]) == (5, 5)


def test_a_walk_away_beyond_the_sides_ideal_is_cut_to_the_ideal() -> None:
    # ideal 10 (the lower of 10 and 20), walk-aways 8 and 30 (median 8): the side wants
    # more, so its walk-away is the highest, 30, beyond its ideal: cut to 10
    assert aggregate_position([(10, 8, 1), (20, 30, 1)]) == (10, 10)
    # ideal 10 (weight 2 of 3), walk-aways 12 and -5 (median 12): the side wants less, so
    # its walk-away is the lowest, -5, beyond its ideal: cut to 10
    assert aggregate_position([(10, 12, 2), (0, -5, 1)]) == (10, 10)


def test_otherwise_the_least_flexible_members_walk_away() -> None:
    assert aggregate_position([(10, 8, 1), (12, 6, 1), (11, 9, 1)]) == (11, 9)  # wants more: the highest
    assert aggregate_position([(10, 12, 1), (8, 14, 1), (9, 11, 1)]) == (9, 11)  # wants less: the lowest
