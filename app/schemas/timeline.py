"""The timeline of an entity: dated moments in order, each cited."""

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from app.models.vocabulary import RelationshipType
from app.schemas.common import Cited, EntitySummary

MomentKind = Literal[
    "event", "relationship_start", "relationship_end", "period_start", "period_end"
]


class MomentDate(BaseModel):
    """When a moment happened: as written, as EDTF, and its earliest and latest possible days."""

    text: str | None = Field(description="As written in the source, for the whole fact.")
    edtf: str | None = Field(description="EDTF of this moment (`..` for an open end).")
    lower: date | None = Field(description="The earliest possible day; null if unknown.")
    upper: date | None = Field(description="The latest possible day; null if unknown or open.")


class Moment(Cited):
    """One entry of a timeline: an event, or the start or end of a relationship or period."""

    kind: MomentKind
    date: MomentDate
    title: str = Field(examples=["Ally: Hay'at Tahrir al-Sham (start)"])
    event: EntitySummary | None = None
    relationship_id: int | None = None
    relationship_type: RelationshipType | None = None
    other: EntitySummary | None = None
    period_id: int | None = None


class Timeline(BaseModel):
    """Dated moments in order of their earliest possible day; undated facts are listed apart."""

    entity: EntitySummary
    moments: list[Moment]
    undated: list[Moment] = Field(description="Relationships the sources give no dates for.")
