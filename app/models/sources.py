"""Sources and the citations that tie each fact to one of them."""

from datetime import date
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimestampMixin, str_enum
from app.models.vocabulary import SourceKind


class Source(TimestampMixin, Base):
    """Anything that can be cited: an article itself, or a work one of its references names."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[SourceKind] = mapped_column(
        str_enum(SourceKind, "source_kind", 20),
        default=SourceKind.WEB,
    )
    title: Mapped[str] = mapped_column(String(1000))
    translated_title: Mapped[str | None] = mapped_column(String(1000))
    language: Mapped[str | None] = mapped_column(String(35))
    authors: Mapped[list[str]] = mapped_column(JSON, default=list)
    publisher: Mapped[str | None] = mapped_column(String(500))
    published_text: Mapped[str | None] = mapped_column(String(100))
    published_date: Mapped[date | None] = mapped_column(Date)
    archived_date: Mapped[date | None] = mapped_column(Date)
    retrieved_date: Mapped[date | None] = mapped_column(Date)
    url: Mapped[str | None] = mapped_column(String(2000))
    archive_url: Mapped[str | None] = mapped_column(String(2000))
    format: Mapped[str | None] = mapped_column(String(50))
    license: Mapped[str | None] = mapped_column(String(200))
    license_url: Mapped[str | None] = mapped_column(String(2000))
    attribution: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)

    references: Mapped[list["SourceReference"]] = relationship(
        foreign_keys="SourceReference.source_id",
        back_populates="source",
        lazy="raise",
        order_by="SourceReference.number",
    )

    # The list by date of publication, the id breaking ties (not by title: a title of 1,000
    # characters can outgrow what a PostgreSQL index entry may hold, 2,704 bytes); the articles,
    # whose citations the facts resting on an article alone are among.
    __table_args__ = (
        Index("ix_sources_published_date", "published_date", "id"),
        Index("ix_sources_kind", "kind"),
    )
    __mapper_args__ = {"version_id_col": version}


class SourceReference(Base):
    """A numbered reference in an article's reference list, pointing to the source it names."""

    __tablename__ = "source_references"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="RESTRICT"), index=True
    )
    locator: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)

    source: Mapped[Source] = relationship(
        foreign_keys=[source_id], back_populates="references", lazy="raise"
    )

    __table_args__ = (UniqueConstraint("article_id", "number"),)


class Citation(Base):
    """Ties exactly one fact to a source, with the locator and the sentence it was read from."""

    __tablename__ = "citations"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="RESTRICT"), index=True
    )
    reference_number: Mapped[int | None] = mapped_column(Integer)
    locator: Mapped[str | None] = mapped_column(String(200))
    quote: Mapped[str | None] = mapped_column(Text)
    entity_id: Mapped[int | None] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), index=True
    )
    name_id: Mapped[int | None] = mapped_column(
        ForeignKey("entity_names.id", ondelete="CASCADE"), index=True
    )
    period_id: Mapped[int | None] = mapped_column(
        ForeignKey("operating_periods.id", ondelete="CASCADE"), index=True
    )
    relationship_id: Mapped[int | None] = mapped_column(
        ForeignKey("relationships.id", ondelete="CASCADE"), index=True
    )
    attribute_id: Mapped[int | None] = mapped_column(
        ForeignKey("attributes.id", ondelete="CASCADE"), index=True
    )

    source: Mapped[Source] = relationship(lazy="raise")

    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN entity_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN name_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN period_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN relationship_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN attribute_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="exactly_one_fact",
        ),
    )


CITED_FACT_COLUMNS = ("entity_id", "name_id", "period_id", "relationship_id", "attribute_id")
