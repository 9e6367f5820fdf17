"""Shapes shared by every resource: dates, citations, summaries and pages."""

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    computed_field,
    field_validator,
    model_validator,
)

from app.dates import DateParseError, TimeSpan, parse_written, span_from_edtf
from app.models.vocabulary import EntityKind, SourceKind

T = TypeVar("T")
Certainty = Literal["possible", "certain"]

UtcDateTime = Annotated[
    datetime,
    AfterValidator(lambda moment: moment if moment.tzinfo else moment.replace(tzinfo=UTC)),
    Field(description="A moment in UTC, with its offset (SQLite stores them without one)."),
]
NO_NUL = r"^[^\x00]*$"  # PostgreSQL cannot store NUL in text; refused alike on every database
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500, pattern=NO_NUL)
]
LongText = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=20_000, pattern=NO_NUL)
]
ShortText = Annotated[str, StringConstraints(max_length=200, pattern=NO_NUL)]
EdtfText = Annotated[str, StringConstraints(max_length=100, pattern=NO_NUL)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=200)]
MAX_ID = 2_147_483_647  # ids are 32-bit integers in every database
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
EntityRef = Annotated[
    Id | Slug, Field(description="An entity's id or slug.", examples=["aknaf-bait-al-maqdis"])
]


class Schema(BaseModel):
    """Base of request bodies: unknown fields are refused, not silently dropped."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        # NUL cannot be stored in PostgreSQL text; refuse it the same way on every database.
        if _has_nul(value):
            raise ValueError("text must not contain NUL characters")
        return value


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(_has_nul(item) for item in value)
    return False


class TimeSpanIn(Schema):
    """A date or period: give EDTF ``start``/``end``, or the ``text`` as written, or both."""

    text: ShortText | None = Field(default=None, examples=["c. 2012/13 – 2015"])
    start: EdtfText | None = Field(
        default=None,
        description="EDTF, e.g. `[2012,2013]`, `2015-04`, `2012~`.",
        examples=["2012~"],
    )
    end: EdtfText | None = Field(
        default=None,
        description="EDTF of the end: omitted for a single date (the end is the start), "
        "`..` for an open end (ongoing), an empty string for an unknown end.",
        examples=["2015"],
    )

    @model_validator(mode="after")
    def _parses(self) -> "TimeSpanIn":
        self.to_span()
        return self

    def to_span(self) -> TimeSpan:
        """The stored form; raises ValueError (a 422) when the dates cannot be read."""
        try:
            if self.start is None and self.end is None:
                if self.text is None:
                    raise ValueError("give at least one of text, start or end")
                return parse_written(self.text)
            if self.end == "":  # EDTF's unknown end: the start is known, the end is not
                span = span_from_edtf(self.start, None, text=self.text)
                return replace(span, end_edtf=None, end_lower=None, end_upper=None)
            return span_from_edtf(self.start, self.end, text=self.text)
        except DateParseError as error:
            raise ValueError(str(error)) from error


class TimeSpanRead(BaseModel):
    """A date or period as written, as EDTF, and as its earliest and latest possible days."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "text": "c. 2012/13 – 2015",
                    "start": "[2012~,2013~]",
                    "end": "2015",
                    "start_lower": "2012-01-01",
                    "start_upper": "2013-12-31",
                    "end_lower": "2015-01-01",
                    "end_upper": "2015-12-31",
                }
            ]
        }
    )

    text: str | None = Field(description="As written in the source.")
    start: str | None = Field(description="EDTF of the start (or of the date); null if unknown.")
    end: str | None = Field(description="EDTF of the end; `..` if open, null if unknown.")
    start_lower: date | None
    start_upper: date | None
    end_lower: date | None
    end_upper: date | None


class CitationIn(Schema):
    """Where a fact comes from: a source, and optionally its reference number, page and quote."""

    source_id: Id = Field(examples=[1])
    reference_number: int | None = Field(default=None, ge=1, le=100_000)
    locator: ShortText | None = Field(default=None, examples=["p. 345"])
    quote: LongText | None = None


class SourceSummary(BaseModel):
    """Enough of a source to show beside a fact."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    slug: str
    kind: SourceKind
    title: str
    translated_title: str | None
    publisher: str | None
    published: str | None = Field(validation_alias="published_text")
    published_date: date | None
    archived_date: date | None
    retrieved_date: date | None
    url: str | None = Field(description="Where the source was published.")
    archive_url: str | None = Field(description="An archived copy, where one was made.")
    license: str | None
    license_url: str | None


class CitationRead(BaseModel):
    """A citation as shown with every fact."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 17,
                    "source": {
                        "id": 12,
                        "slug": "ref-size-palestinians-flee",
                        "kind": "web",
                        "title": "Palestinians flee refugee camp in Damascus as ISIS takes over",
                        "translated_title": None,
                        "publisher": None,
                        "published": None,
                        "published_date": None,
                        "archived_date": None,
                        "retrieved_date": None,
                        "license": None,
                        "license_url": None,
                    },
                    "reference_number": 6,
                    "locator": None,
                    "quote": "Size200 (2015)[6]",
                }
            ]
        }
    )

    id: int
    source: SourceSummary
    reference_number: int | None = Field(
        description="The reference's number in the article; null where the article itself is cited."
    )
    locator: str | None
    quote: str | None


class Evidence(BaseModel):
    """How well a fact is supported, so an editor knows what to verify."""

    sources: int = Field(description="How many distinct sources other than the article cite it.")
    article_only: bool = Field(
        description="True when the fact rests on the article's own text alone, no reference."
    )


class Cited(BaseModel):
    """A fact with its citations and the evidence summary derived from them."""

    citations: list[CitationRead]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def evidence(self) -> Evidence:
        """Counted from the citations, so it can never disagree with them."""
        independent = {c.source.id for c in self.citations if c.source.kind != SourceKind.ARTICLE}
        return Evidence(sources=len(independent), article_only=not independent)


class EntitySummary(BaseModel):
    """Who or what is on the other side of a link."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: EntityKind
    slug: str
    name: str


COUNTED_PAST_OFFSET = 10_000
"""How many matches past a page's offset a list counts before it gives up on a total. Counting
every match costs as much as reading them all: at L (a million relationships), 70 ms for all the
relationships and 1.3 s for those that held in 2014, against a few ms for a page. Past this, the
total is unknown (null), as in GitLab's API, and the link to the next page still leads on."""


class Page(BaseModel, Generic[T]):
    """One page of a list; ``Link`` headers carry the neighbouring pages."""

    items: list[T]
    total: int | None = Field(
        description=f"How many items match the filters; null when more than "
        f"{COUNTED_PAST_OFFSET:,} lie past the page's offset, which would cost more to count than "
        "the page (the `Link` header's `next` then leads on; neither `last` nor `X-Total-Count` "
        "is sent)."
    )
    limit: int
    offset: int

    @classmethod
    def model_parametrized_name(cls, params: tuple[Any, ...]) -> str:
        """`SearchHitPage`, not `Page_SearchHit_`: names generated clients can use."""
        return f"{params[0].__name__}Page"


class Timestamps(BaseModel):
    """When an item was created and changed, and its version (which the ETag carries)."""

    created_at: UtcDateTime
    updated_at: UtcDateTime
    version: int
