"""Request and response bodies for sources."""

from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field, HttpUrl

from app.models.vocabulary import SourceKind
from app.schemas.common import LongText, Schema, Slug, Text, Timestamps


class SourceFields(Schema):
    """What is known of a source, as parsed from a reference."""

    kind: SourceKind = SourceKind.WEB
    title: Text
    translated_title: Text | None = None
    language: Annotated[str, Field(max_length=35)] | None = Field(default=None, examples=["ar"])
    authors: list[Text] = Field(default_factory=list, max_length=100)
    publisher: Text | None = Field(default=None, examples=["Long War Journal"])
    published_text: Annotated[str, Field(max_length=100)] | None = Field(
        default=None, examples=["5 April 2015"]
    )
    published_date: date | None = None
    archived_date: date | None = None
    retrieved_date: date | None = None
    url: HttpUrl | None = None
    archive_url: HttpUrl | None = None
    format: Annotated[str, Field(max_length=50)] | None = Field(default=None, examples=["PDF"])
    license: Text | None = None
    license_url: HttpUrl | None = None
    attribution: LongText | None = None


class SourceCreate(SourceFields):
    """A new source."""

    slug: Slug | None = Field(default=None, description="Minted from the title when omitted.")


class SourceUpdate(Schema):
    """Changes to a source."""

    kind: SourceKind | None = None
    title: Text | None = None
    translated_title: Text | None = None
    language: Annotated[str, Field(max_length=35)] | None = None
    authors: list[Text] | None = Field(default=None, max_length=100)
    publisher: Text | None = None
    published_text: Annotated[str, Field(max_length=100)] | None = None
    published_date: date | None = None
    archived_date: date | None = None
    retrieved_date: date | None = None
    url: HttpUrl | None = None
    archive_url: HttpUrl | None = None
    format: Annotated[str, Field(max_length=50)] | None = None
    license: Text | None = None
    license_url: HttpUrl | None = None
    attribution: LongText | None = None


class ReferenceRead(BaseModel):
    """Where an article lists this source: the article's id, the reference number and its text."""

    article_id: int
    number: int
    locator: str | None
    text: str


class SourceRead(Timestamps):
    """A source with every parsed field and the article references that point to it."""

    id: int
    slug: str
    kind: SourceKind
    title: str
    translated_title: str | None
    language: str | None
    authors: list[str]
    publisher: str | None
    published_text: str | None
    published_date: date | None
    archived_date: date | None
    retrieved_date: date | None
    url: str | None
    archive_url: str | None
    format: str | None
    license: str | None
    license_url: str | None
    attribution: str | None
    references: list[ReferenceRead]
    citation_count: int = Field(description="How many facts cite this source.")
