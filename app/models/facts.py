"""Facts about entities: names, operating periods, relationships and attributes. Each is cited."""

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.models.base import Base, TimeSpanMixin, TimestampMixin, str_enum
from app.models.vocabulary import NameKind, RelationshipStatus, RelationshipType
from app.names import name_key, name_skeleton

if TYPE_CHECKING:
    from app.models.entities import Entity, Organization


class EntityName(Base):
    """A name an entity is known by, in a language and script (BCP 47 / ISO 15924 codes)."""

    __tablename__ = "entity_names"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(500), index=True)
    language: Mapped[str | None] = mapped_column(String(35))
    script: Mapped[str | None] = mapped_column(String(4))
    kind: Mapped[NameKind] = mapped_column(str_enum(NameKind, "name_kind", 20))
    key: Mapped[str] = mapped_column(String(500), index=True)
    skeleton: Mapped[str] = mapped_column(String(500), index=True)

    entity: Mapped["Entity"] = relationship(back_populates="names", lazy="raise")

    @validates("name")
    def _derive_keys(self, _field: str, name: str) -> str:
        # The keys search and matching compare by, kept in step with the name (see app/names.py).
        self.key = name_key(name)
        self.skeleton = name_skeleton(name)
        return name


class OperatingPeriod(TimeSpanMixin, Base):
    """A period in which an organization (or one of its factions) operated."""

    __tablename__ = "operating_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str | None] = mapped_column(String(200))

    organization: Mapped["Organization"] = relationship(back_populates="periods", lazy="raise")


class Relationship(TimeSpanMixin, TimestampMixin, Base):
    """A typed, time-bounded link read as "subject <type> object", with a status."""

    __tablename__ = "relationships"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="RESTRICT"))
    object_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="RESTRICT"))
    type: Mapped[RelationshipType] = mapped_column(
        str_enum(RelationshipType, "relationship_type", 30)
    )
    status: Mapped[RelationshipStatus] = mapped_column(
        str_enum(RelationshipStatus, "relationship_status", 20), default=RelationshipStatus.ASSERTED
    )
    role: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    subject: Mapped["Entity"] = relationship(foreign_keys=[subject_id], lazy="raise")
    object: Mapped["Entity"] = relationship(foreign_keys=[object_id], lazy="raise")

    __table_args__ = (
        CheckConstraint("subject_id <> object_id", name="not_self"),
        # The id too, for the network's ranking from the index alone (SQLite's end with it).
        Index("ix_relationships_subject_type", "subject_id", "type", postgresql_include=["id"]),
        Index("ix_relationships_object_type", "object_id", "type", postgresql_include=["id"]),
        # Lists in order of start and of type, the id breaking ties.
        Index("ix_relationships_start_lower", "start_lower", "id"),
        Index("ix_relationships_type", "type", "id"),
    )
    __mapper_args__ = {"version_id_col": version}


class Attribute(TimeSpanMixin, Base):
    """A time-bounded value that is not a link: ideology, size as of a date, status, ..."""

    __tablename__ = "attributes"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100), index=True)
    value: Mapped[str] = mapped_column(String(1000))
    value_number: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    note: Mapped[str | None] = mapped_column(Text)

    entity: Mapped["Entity"] = relationship(back_populates="attributes", lazy="raise")
