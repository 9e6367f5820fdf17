"""Request and response bodies for relationships."""

from pydantic import Field

from app.models.vocabulary import RelationshipStatus, RelationshipType
from app.schemas.common import (
    Certainty,
    Cited,
    EntityRef,
    EntitySummary,
    LongText,
    Schema,
    Text,
    TimeSpanIn,
    TimeSpanRead,
    Timestamps,
)
from app.schemas.entities import Citations


class RelationshipCreate(Schema):
    """A new relationship, read as "subject <type> object"."""

    subject: EntityRef
    object: EntityRef
    type: RelationshipType
    status: RelationshipStatus = RelationshipStatus.ASSERTED
    role: Text | None = None
    note: LongText | None = None
    period: TimeSpanIn | None = None
    citations: Citations


class RelationshipUpdate(Schema):
    """Changes to a relationship; citations given replace the old ones."""

    type: RelationshipType | None = None
    status: RelationshipStatus | None = None
    role: Text | None = None
    note: LongText | None = None
    period: TimeSpanIn | None = None
    citations: Citations | None = None


class RelationshipRead(Timestamps, Cited):
    """A relationship with both ends summarised and its citations."""

    id: int
    subject: EntitySummary
    object: EntitySummary
    type: RelationshipType
    status: RelationshipStatus
    role: str | None
    note: str | None
    period: TimeSpanRead | None = Field(description="Null when the article gives no dates.")
    certainty: Certainty | None = Field(
        default=None,
        description="With `as_of`: `certain` when the dates require the moment, "
        "`possible` when they only allow it.",
    )
