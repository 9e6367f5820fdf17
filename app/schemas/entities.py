"""Request and response bodies for organizations, people, places and events."""

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from app.models.vocabulary import EntityKind, NameKind, RelationshipStatus, RelationshipType
from app.schemas.common import (
    Certainty,
    CitationIn,
    Cited,
    EntityRef,
    EntitySummary,
    LongText,
    Schema,
    Slug,
    Text,
    TimeSpanIn,
    TimeSpanRead,
    Timestamps,
)

Citations = Annotated[
    list[CitationIn],
    Field(min_length=1, max_length=100, description="At least one citation: nothing is uncited."),
]


class NameIn(Schema):
    """A name the entity is known by."""

    name: Text
    language: Annotated[str, Field(max_length=35, examples=["ar"])] | None = None
    script: Annotated[str, Field(pattern=r"^[A-Z][a-z]{3}$", examples=["Arab"])] | None = None
    kind: NameKind = NameKind.VARIANT
    citations: Citations


class PeriodIn(Schema):
    """A period in which an organization operated."""

    label: Text | None = Field(default=None, examples=["main group"])
    period: TimeSpanIn
    citations: Citations


class AttributeIn(Schema):
    """A time-bounded value: ideology, size, ..."""

    name: Annotated[str, Field(min_length=1, max_length=100, examples=["size"])]
    value: Text = Field(examples=["200"])
    value_number: Decimal | None = Field(default=None, max_digits=20, decimal_places=4)
    period: TimeSpanIn | None = None
    note: LongText | None = None
    citations: Citations


NAMES = (
    "The names the entity is known by. The display name is always one of them: when missing, it"
    " is added as the official name, with the entity's citations."
)


class EntityCreate(Schema):
    """Fields every kind of entity takes when created."""

    name: Text
    slug: Slug | None = Field(default=None, description="Minted from the name when omitted.")
    description: LongText | None = None
    names: list[NameIn] = Field(default_factory=list, max_length=200, description=NAMES)
    attributes: list[AttributeIn] = Field(default_factory=list, max_length=500)
    citations: Citations


class EntityUpdate(Schema):
    """A partial update; a list given replaces the whole list, each item cited."""

    name: Text | None = None
    description: LongText | None = None
    names: list[NameIn] | None = Field(default=None, max_length=200, description=NAMES)
    attributes: list[AttributeIn] | None = Field(default=None, max_length=500)
    citations: Citations | None = None


class OrganizationCreate(EntityCreate):
    """A new organization."""

    organization_type: Text | None = Field(default=None, examples=["militia"])
    periods: list[PeriodIn] = Field(default_factory=list, max_length=100)


class OrganizationUpdate(EntityUpdate):
    """Changes to an organization."""

    organization_type: Text | None = None
    periods: list[PeriodIn] | None = Field(default=None, max_length=100)


class PersonCreate(EntityCreate):
    """A new person."""


class PersonUpdate(EntityUpdate):
    """Changes to a person."""


class PlaceCreate(EntityCreate):
    """A new place."""

    place_type: Text | None = Field(default=None, examples=["refugee camp"])


class PlaceUpdate(EntityUpdate):
    """Changes to a place."""

    place_type: Text | None = None


class EventCreate(EntityCreate):
    """A new event; add its participants through /relationships (type `participant`)."""

    event_type: Text | None = Field(default=None, examples=["battle"])
    date: TimeSpanIn | None = None
    place: EntityRef | None = Field(default=None, description="The place's id or slug.")


class EventUpdate(EntityUpdate):
    """Changes to an event."""

    event_type: Text | None = None
    date: TimeSpanIn | None = None
    place: EntityRef | None = None


class NameRead(Cited):
    """A name with its citations."""

    id: int
    name: str
    language: str | None
    script: str | None
    kind: NameKind


class PeriodRead(Cited):
    """An operating period with its citations."""

    id: int
    label: str | None
    period: TimeSpanRead | None
    certainty: Certainty | None = Field(
        default=None,
        description="With `as_of`: `certain` when the dates require the moment, "
        "`possible` when they only allow it.",
    )


class AttributeRead(Cited):
    """An attribute with its citations."""

    id: int
    name: str
    value: str
    value_number: Decimal | None
    period: TimeSpanRead | None
    note: str | None
    certainty: Certainty | None = Field(
        default=None,
        description="With `as_of`: `certain` when the dates require the moment, "
        "`possible` when they only allow it.",
    )


class LinkRead(Cited):
    """A relationship seen from one entity, with a summary of the entity on the other side."""

    id: int
    type: RelationshipType
    direction: Literal["outgoing", "incoming"] = Field(
        description="`outgoing`: this entity is the subject; `incoming`: it is the object."
    )
    status: RelationshipStatus
    role: str | None
    note: str | None
    other: EntitySummary
    period: TimeSpanRead | None
    certainty: Certainty | None = Field(
        default=None,
        description="With `as_of`: `certain` when the dates require the moment, "
        "`possible` when they only allow it.",
    )


class EventInvolvement(Cited):
    """An event an entity took part in, with the citations of the event and of the part taken."""

    id: int
    slug: str
    name: str
    event_type: str | None
    date: TimeSpanRead | None
    place: EntitySummary | None
    role: str | None
    relationship_id: int
    certainty: Certainty | None = Field(
        default=None,
        description="With `as_of`: `certain` when the dates require the moment, "
        "`possible` when they only allow it.",
    )


class EntitySummaryRead(Timestamps):
    """An entity in a list."""

    id: int
    kind: EntityKind
    slug: str
    name: str
    description: str | None


class EntityRead(EntitySummaryRead, Cited):
    """An entity with every fact about it, each with its citations."""

    names: list[NameRead]
    attributes: list[AttributeRead]
    relationships: list[LinkRead]
    events: list[EventInvolvement]


class OrganizationRead(EntityRead):
    """The organization profile: names, periods, attributes, relationships and events, cited."""

    organization_type: str | None
    periods: list[PeriodRead]


class PersonRead(EntityRead):
    """A person with every fact about them."""


class PlaceRead(EntityRead):
    """A place with every fact about it."""

    place_type: str | None


class EventRead(EntityRead):
    """An event with its date, place and participants (as incoming `participant` relationships)."""

    event_type: str | None
    date: TimeSpanRead | None
    place: EntitySummary | None


KIND_READ: dict[EntityKind, type[EntityRead]] = {
    EntityKind.ORGANIZATION: OrganizationRead,
    EntityKind.PERSON: PersonRead,
    EntityKind.PLACE: PlaceRead,
    EntityKind.EVENT: EventRead,
}
