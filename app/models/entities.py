"""Entities: the shared identity of organizations, people, places and events."""

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimeSpanMixin, TimestampMixin, str_enum
from app.models.vocabulary import EntityKind

if TYPE_CHECKING:
    from app.models.facts import Attribute, EntityName, OperatingPeriod


class Entity(TimestampMixin, Base):
    """Anything facts can be about; ``slug`` is stable once minted, even when the name changes."""

    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EntityKind] = mapped_column(str_enum(EntityKind, "entity_kind", 20))
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(500), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    names: Mapped[list["EntityName"]] = relationship(
        back_populates="entity",
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="EntityName.id",
    )
    attributes: Mapped[list["Attribute"]] = relationship(
        back_populates="entity",
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Attribute.id",
    )

    # A kind's list in each order it offers, the id breaking ties, read from an index in order.
    __table_args__: tuple[Index, ...] = (
        Index("ix_entities_kind", "kind", "id"),
        Index("ix_entities_kind_name", "kind", "name", "id"),
        Index("ix_entities_kind_created_at", "kind", "created_at", "id"),
    )
    __mapper_args__ = {"polymorphic_on": "kind", "version_id_col": version}


class Organization(Entity):
    """An armed group, party, government force or any other organised body."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True)
    organization_type: Mapped[str | None] = mapped_column(String(100))

    periods: Mapped[list["OperatingPeriod"]] = relationship(
        back_populates="organization",
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="OperatingPeriod.id",
    )

    __mapper_args__ = {"polymorphic_identity": EntityKind.ORGANIZATION}


class Person(Entity):
    """A named individual."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True)

    __mapper_args__ = {"polymorphic_identity": EntityKind.PERSON}


class Place(Entity):
    """A named place: a country, region, city, camp or crossing."""

    __tablename__ = "places"

    id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True)
    place_type: Mapped[str | None] = mapped_column(String(100))

    __mapper_args__ = {"polymorphic_identity": EntityKind.PLACE}


class Event(TimeSpanMixin, Entity):
    """Something that happened at a time, perhaps at a place; participants are relationships."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True)
    event_type: Mapped[str | None] = mapped_column(String(100))
    place_id: Mapped[int | None] = mapped_column(
        ForeignKey("places.id", ondelete="RESTRICT"), index=True
    )

    place: Mapped["Place | None"] = relationship(foreign_keys=[place_id], lazy="raise")

    __table_args__ = (Index("ix_events_start_lower", "start_lower", "id"),)
    __mapper_args__ = {"polymorphic_identity": EntityKind.EVENT}
