"""The declarative base: one metadata with a constraint naming convention; shared columns."""

from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import Date, DateTime, Enum, MetaData, String, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware, for timestamps set in Python."""
    return datetime.now(UTC)


def str_enum(kind: type[StrEnum], name: str, length: int) -> Enum:
    """A vocabulary stored as its values in a string column with a CHECK constraint."""
    return Enum(
        kind,
        name=name,
        native_enum=False,
        length=length,
        create_constraint=True,
        values_callable=lambda members: [member.value for member in members],
    )


class Base(DeclarativeBase):
    """Base of every model; its metadata names constraints predictably for migrations."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    """When a row was created and last changed."""

    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), onupdate=utcnow
    )


class TimeSpanMixin:
    """A date or period as written, as EDTF, and as the earliest and latest possible days.

    A None bound is unknown; an open end ("present") is stored as ``date.max``; see app/dates.py.
    """

    date_text: Mapped[str | None] = mapped_column(String(200))
    start_edtf: Mapped[str | None] = mapped_column(String(100))
    end_edtf: Mapped[str | None] = mapped_column(String(100))
    start_lower: Mapped[date | None] = mapped_column(Date)
    start_upper: Mapped[date | None] = mapped_column(Date)
    end_lower: Mapped[date | None] = mapped_column(Date)
    end_upper: Mapped[date | None] = mapped_column(Date)
