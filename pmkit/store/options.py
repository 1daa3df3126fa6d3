"""A party's scores on an option issue, as parts of an edit: what a write gives, and the row.

A party's input on an option issue (:class:`pmkit.model.OptionScores`: a score 0..100 per
option, the issue's weight, the options it cannot accept) is a row of its own, kind
:data:`~pmkit.store.rows.OPTION_SCORES`, id ``<option issue id>/<party>``, whose audience
follows the issue's like a position's (:func:`pmkit.rules.visibility.position_audience`): the
party and the facilitator read it, nobody else's process loads it.

The one method that writes it is :meth:`pmkit.store.items.Items.set_option_scores` (a
party's own write, a member's through :mod:`pmkit.store.participants`, or a private answer
inside an open round on the issue); these are the pieces it and the rounds' reveal share.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from pmkit.errors import InputError, invalid
from pmkit.i18n import _
from pmkit.model import OptionScores
from pmkit.rules.visibility import position_audience
from pmkit.store.db import Row
from pmkit.store.edit import Edit
from pmkit.store.rows import OPTION_SCORES, loads, option_scores_data, position_key

__all__ = ["OptionInput", "checked_scores", "current_scores", "put_option_scores"]


@dataclass(frozen=True)
class OptionInput:
    """What one write gives: each field ``None`` keeps what was there (nothing: the defaults);
    ``clear`` drops the input altogether."""

    scores: Mapping[str, float] | None = None
    weight: float | None = None
    unacceptable: Sequence[str] | None = None
    clear: bool = False

    def applied(self, issue: Mapping[str, Any], who: str, previous: Mapping[str, Any] | None) -> dict[str, Any] | None:
        """The input's data once applied to ``previous`` (checked against ``issue``'s options),
        or ``None`` when it is cleared."""
        if self.clear:
            return None
        data = dict(previous or {})
        if self.scores is not None:
            data["scores"] = dict(self.scores)
        if self.weight is not None:
            data["weight"] = self.weight
        if self.unacceptable is not None:
            data["unacceptable"] = list(self.unacceptable)
        return checked_scores(issue, who, data)


def checked_scores(issue: Mapping[str, Any], who: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` as valid :class:`OptionScores` of ``issue``'s options, or one line naming the
    issue, who, and what is wrong."""
    what = _("scores of {who} on '{issue}'").format(who=who, issue=issue.get('title'))
    fields = {k: v for k, v in data.items() if k not in ("issue", "party")}
    try:
        s = OptionScores.model_validate(fields)
    except ValidationError as exc:
        raise invalid(exc, what, got=repr(exc.errors(include_url=False)[0].get("input"))[:40]) from None
    ids = [str(o["id"]) for o in issue.get("options", [])]
    unknown = sorted({*s.scores, *s.unacceptable} - set(ids))
    if unknown:
        raise InputError(_("{what}: {unknown} is not an option of the issue; use one of {ids}").format(
                           what=what, unknown=', '.join(unknown), ids=', '.join(ids)))
    return s.model_dump(mode="json")


def current_scores(edit: Edit, issue_id: str, party: str) -> dict[str, Any] | None:
    """``party``'s published scores on the option issue (without the row's head), or ``None``."""
    row = edit.row(OPTION_SCORES, position_key(issue_id, party))
    if row is None:
        return None
    return {k: v for k, v in loads(row["data"]).items() if k not in ("issue", "party")}


def put_option_scores(edit: Edit, issue_row: Row, party: str, data: Mapping[str, Any] | None) -> None:
    """Write (or with ``None`` drop) ``party``'s scores on the option issue in ``issue_row``."""
    issue = loads(issue_row["data"])
    key = position_key(issue["id"], party)
    old = edit.row(OPTION_SCORES, key)
    if data is None:
        if old is not None:
            edit.delete(old)
        return
    s = OptionScores.model_validate(checked_scores(issue, party, data))
    after = option_scores_data(issue["id"], party, s)
    aud = position_audience(issue_row["audience"], party)
    if old is None:
        edit.insert(OPTION_SCORES, key, aud, after)
    elif loads(old["data"]) != after:
        edit.update(old, after, aud)
