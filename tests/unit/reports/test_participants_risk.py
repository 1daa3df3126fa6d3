"""The risk read-out gains a point for each goal where a side is not united and the other
side cares; the facilitator's record lists those goals; no party's report holds them."""

from __future__ import annotations

from pathlib import Path

from pmkit.analytics.participants import Division, MemberRating
from pmkit.analytics.risk import risk_readout
from pmkit.model import FACILITATOR
from pmkit.reports.exports import export
from pmkit.store import Workspace
from pmkit.views.participants import side_divisions
from tests.support.starters import starter

GOAL = "cutover-date"


def _split(importances: tuple[int, int], stances: tuple[str, str], goal: str = GOAL) -> Division:
    rs = tuple(MemberRating(f"u-{n}", f"m{n}", i, s) for n, (i, s) in enumerate(zip(importances, stances, strict=True)))
    spread = abs(importances[0] - importances[1])
    opposed = set(stances) == {"support", "oppose"}
    return Division(goal, "management", rs, spread, opposed, opposed or spread >= 3)


def test_a_split_side_on_a_goal_the_other_cares_about_scores_a_point() -> None:
    s = starter("undisclosed-risk")
    base = risk_readout(s)
    split = risk_readout(s, divisions=[_split((5, 1), ("support", "support"))])
    assert split.score == base.score + 1
    (reason,) = [r for r in split.reasons if r.factor == "not united"]
    assert "Keep the March cutover date" in reason.text and "importances 1 to 5" in reason.text
    assert [d.goal_id for d in split.not_united] == [GOAL]
    # united (spread 2, same side of the fence), or the other side does not care: no point
    assert risk_readout(s, divisions=[_split((5, 3), ("support", "neutral"))]).score == base.score


def test_the_record_lists_split_goals_and_party_reports_hold_no_member(workspace: Workspace, demo: str,
                                                                      tmp_path: Path) -> None:
    ada = workspace.participants.add(demo, "management", "Ada Sponsor").participant_id
    ben = workspace.participants.add(demo, "management", "Ben Delivery").participant_id
    workspace.items.rate(demo, GOAL, "management", 5, "support", role="management", participant=ada)
    workspace.items.rate(demo, GOAL, "management", 4, "oppose", role="management", participant=ben)
    (d,) = side_divisions(workspace, demo)
    assert d.not_united and d.opposed and d.spread == 1
    record = export(workspace, demo, FACILITATOR, "md", str(tmp_path / "record.md")).files[0].read_text()
    assert "not united" in record and "Keep the March cutover date (Programme management: support and oppose)" in record
    for role in ("customer", "management"):
        text = export(workspace, demo, role, "md", str(tmp_path / f"{role}.md")).files[0].read_text()
        assert "Ada" not in text and "Ben" not in text and "not united" not in text
