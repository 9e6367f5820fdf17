"""Point-in-time filtering that respects uncertain dates.

A fact *possibly* held at a moment when its bounds allow it (it may have started by the moment's
end and may have ended after its start); it *certainly* held when its bounds require it (it had
certainly started by the moment's start and certainly not ended before the moment's end).
Unknown bounds allow anything and require nothing.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, true

from app.models.base import TimeSpanMixin
from app.schemas.common import Certainty


@dataclass(frozen=True)
class AsOf:
    """The moment asked about (a day, or an EDTF date's range) and the certainty wanted."""

    first: date
    last: date
    certainty: Certainty = "possible"


def holds(model: Any, as_of: AsOf | None) -> ColumnElement[bool]:
    """SQL: the model's dated facts that held at the moment (all of them when no moment)."""
    if as_of is None:
        return true()
    if as_of.certainty == "certain":
        return and_(model.start_upper <= as_of.first, model.end_lower >= as_of.last)
    return and_(
        or_(model.start_lower.is_(None), model.start_lower <= as_of.last),
        or_(model.end_upper.is_(None), model.end_upper >= as_of.first),
    )


def certainty_of(fact: TimeSpanMixin, as_of: AsOf | None) -> Certainty | None:
    """How sure it is that ``fact`` held at the moment; None when no moment was asked about."""
    if as_of is None:
        return None
    started = fact.start_upper is not None and fact.start_upper <= as_of.first
    lasted = fact.end_lower is not None and fact.end_lower >= as_of.last
    return "certain" if started and lasted else "possible"
