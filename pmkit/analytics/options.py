"""Where the parties stand on an option issue: common ground and conflict, option by option.

For one :class:`~pmkit.model.OptionIssue` and the parties of a session:

* a party **can accept** an option unless it marked it *cannot accept* (its
  :class:`~pmkit.model.OptionScores`; a party with several members: any member's mark, the
  least flexible member, :mod:`pmkit.rules.aggregation`);
* an option is **common ground** when every party has given its input on the issue and none
  of them cannot accept it;
* it is a **conflict** when some parties can accept it and some cannot;
* it is **ruled out** when no party can accept it.

Until every party has given its input, nothing is common ground (a party that has said
nothing has not said it can accept anything): :attr:`OptionStanding.complete` is false and
the options are listed as *open*. A view computes this from what it holds: a party's own
view holds only its own input, so only the facilitator's view (and the store's narrow read
for the room, :meth:`pmkit.store.meeting.Meeting.common_options`) has every side's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pmkit.i18n import N_
from pmkit.model import OptionIssue

__all__ = ["COMMON", "CONFLICT", "OPEN", "RULED_OUT", "OptionStanding", "common_ids", "standing"]

# keys, and the words shown: _(COMMON)
COMMON, CONFLICT, RULED_OUT, OPEN = N_("common ground"), N_("conflict"), N_("ruled out"), N_("open")


@dataclass(frozen=True)
class OptionStanding:
    """The standing of each option of one issue among ``parties`` (in session order)."""

    issue_id: str
    parties: tuple[str, ...]
    scored_by: tuple[str, ...]  # the parties that gave their input, in session order
    accepted_by: dict[str, tuple[str, ...]]  # option id -> the parties (of scored_by) that can accept it
    verdict: dict[str, str]  # option id -> COMMON, CONFLICT, RULED_OUT or OPEN

    @property
    def complete(self) -> bool:
        """Whether every party has given its input on the issue."""
        return len(self.scored_by) == len(self.parties) > 0

    @property
    def common(self) -> tuple[str, ...]:
        """The options every party can accept (none until every party has given its input)."""
        return tuple(o for o, v in self.verdict.items() if v == COMMON)

    @property
    def conflict(self) -> tuple[str, ...]:
        return tuple(o for o, v in self.verdict.items() if v == CONFLICT)


def common_ids(option_ids: Sequence[str], unacceptable: Sequence[Sequence[str]]) -> tuple[str, ...]:
    """The options (in their order) that none of the given inputs (one list of unacceptable
    options per party) rules out."""
    out = set().union(*map(set, unacceptable)) if unacceptable else set()
    return tuple(o for o in option_ids if o not in out)


def standing(issue: OptionIssue, parties: Sequence[str]) -> OptionStanding:
    """Each option's standing among ``parties`` from the scores ``issue`` holds."""
    scored = tuple(p for p in parties if p in issue.scores)
    accepted = {o: tuple(p for p in scored if o not in issue.scores[p].unacceptable) for o in issue.option_ids}
    complete = len(scored) == len(parties) > 0
    verdict: dict[str, str] = {}
    for o, who in accepted.items():
        if scored and not who:
            verdict[o] = RULED_OUT
        elif len(who) < len(scored):
            verdict[o] = CONFLICT
        else:
            verdict[o] = COMMON if complete else OPEN
    return OptionStanding(issue.id, tuple(parties), scored, accepted, verdict)
