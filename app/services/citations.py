"""Citations: attaching them to facts, checking their sources, and loading them in one query.

The read paths build their responses as plain data (``Body``: dicts and lists in the JSON shape
of the response models, serialised once by ``app.api.responses.json_data_response``) rather than
as pydantic models from ORM objects: loading an object and validating a model for every fact and
citation cost several times more than the queries. Their queries select columns, built once.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from functools import cache
from typing import Any, Literal, NamedTuple, Protocol, cast

from sqlalchemy import Row, Select, delete, or_, select
from sqlalchemy.orm import Session

from app.errors import InvalidRequestError
from app.models import Citation, Source, SourceKind
from app.models.base import TimeSpanMixin
from app.schemas.common import Certainty, CitationIn, CitationRead, TimeSpanIn, TimeSpanRead
from app.services.asof import AsOf, certainty_of
from app.services.id_lists import in_ids

FactColumn = Literal["entity_id", "name_id", "period_id", "relationship_id", "attribute_id"]
FACT_COLUMNS: tuple[FactColumn, ...] = (
    "entity_id",
    "name_id",
    "period_id",
    "relationship_id",
    "attribute_id",
)
CitationsByFact = dict[FactColumn, dict[int, list[CitationRead]]]
Body = dict[str, Any]
"""A response body, or a part of one, as plain data in the JSON shape of its response model."""
CitationBodiesByFact = dict[FactColumn, dict[int, list[Body]]]
Columns = Row[*tuple[Any, ...]]
"""A row of selected columns; unpacked in the order selected (by name it costs ten times more)."""
ColumnsQuery = Select[*tuple[Any, ...]]
"""A query of columns (not of ORM objects), whose rows are ``Columns``."""


class Dated(Protocol):
    """A fact's stored date or period: an ORM object, or a ``Span`` read from a row."""

    @property
    def date_text(self) -> str | None: ...
    @property
    def start_edtf(self) -> str | None: ...
    @property
    def end_edtf(self) -> str | None: ...
    @property
    def start_lower(self) -> date | None: ...
    @property
    def start_upper(self) -> date | None: ...
    @property
    def end_lower(self) -> date | None: ...
    @property
    def end_upper(self) -> date | None: ...


class Span(NamedTuple):
    """A fact's stored date or period, as ``span_columns`` selects it: last, in this order."""

    date_text: str | None
    start_edtf: str | None
    end_edtf: str | None
    start_lower: date | None
    start_upper: date | None
    end_lower: date | None
    end_upper: date | None


def check_sources_exist(session: Session, citations: Iterable[CitationIn]) -> None:
    """Refuse citations of sources that do not exist, naming them."""
    wanted = {citation.source_id for citation in citations}
    if not wanted:
        return
    found = set(session.scalars(select(Source.id).where(Source.id.in_(wanted))))
    missing = sorted(wanted - found)
    if missing:
        raise InvalidRequestError(
            f"Unknown source ids: {', '.join(map(str, missing))}.",
            errors=[
                {
                    "field": "citations.source_id",
                    "in": "body",
                    "message": f"no source {sid}",
                    "code": "unknown_source",
                }
                for sid in missing
            ],
        )


def add_citations(
    session: Session, column: FactColumn, fact_id: int, citations: Sequence[CitationIn]
) -> None:
    """Cite one fact; the sources must already have been checked."""
    session.add_all(
        Citation(
            source_id=citation.source_id,
            reference_number=citation.reference_number,
            locator=citation.locator,
            quote=citation.quote,
            **{column: fact_id},
        )
        for citation in citations
    )


def replace_citations(
    session: Session, column: FactColumn, fact_id: int, citations: Sequence[CitationIn]
) -> None:
    """Swap a fact's citations for new ones (at least one, which the schema guarantees)."""
    check_sources_exist(session, citations)
    session.execute(delete(Citation).where(getattr(Citation, column) == fact_id))
    add_citations(session, column, fact_id, citations)


# A source as its summary beside every fact shows it (SourceSummary): the keys, in its order,
# and the columns they come from (``published`` is stored as ``published_text``).
SOURCE_SUMMARY = {
    "id": Source.id,
    "slug": Source.slug,
    "kind": Source.kind,
    "title": Source.title,
    "translated_title": Source.translated_title,
    "publisher": Source.publisher,
    "published": Source.published_text,
    "published_date": Source.published_date,
    "archived_date": Source.archived_date,
    "retrieved_date": Source.retrieved_date,
    "url": Source.url,
    "archive_url": Source.archive_url,
    "license": Source.license,
    "license_url": Source.license_url,
}


def load_citations(session: Session, wanted: dict[FactColumn, Iterable[int]]) -> CitationsByFact:
    """Every citation of the given facts with its source, in one query, as response models."""
    return {
        column: defaultdict(
            list,
            {
                fact_id: [CitationRead.model_validate(body, by_name=True) for body in bodies]
                for fact_id, bodies in by_fact.items()
            },
        )
        for column, by_fact in citation_bodies(session, wanted).items()
    }


def citation_bodies(
    session: Session, wanted: dict[FactColumn, Iterable[int]]
) -> CitationBodiesByFact:
    """Every citation of the given facts with its source, in one query, as plain data.

    Citations come in the article's reference order; a fact without any has no key. Each
    source's summary is built once and shared by all the citations of it.
    """
    result: CitationBodiesByFact = {column: defaultdict(list) for column in wanted}
    ids_by_column = {column: set(ids) for column, ids in wanted.items()}
    columns = tuple(column for column in FACT_COLUMNS if ids_by_column.get(column))
    if not columns:
        return result
    parameters: dict[str, list[int]] = {column: list(ids_by_column[column]) for column in columns}
    rows = session.connection().execute(_citations_query(columns), parameters)
    sources: dict[int, Body] = {}
    for citation_id, reference_number, locator, quote, *rest in rows:
        fact_ids, source_row = rest[: len(columns)], rest[len(columns) :]
        source = sources.get(source_row[0])
        if source is None:
            source = sources[source_row[0]] = dict(zip(SOURCE_SUMMARY, source_row, strict=True))
        body = {
            "id": citation_id,
            "source": source,
            "reference_number": reference_number,
            "locator": locator,
            "quote": quote,
        }
        for column, fact_id in zip(columns, fact_ids, strict=True):
            if fact_id is not None:
                result[column][fact_id].append(body)
    return result


@cache
def _citations_query(columns: tuple[FactColumn, ...]) -> ColumnsQuery:
    """The citations of the facts whose ids are in the parameters named after their ``columns``,
    with their sources; built once for each set of columns, as making a statement and its cache
    key anew costs more than running it."""
    return (
        select(
            Citation.id,
            Citation.reference_number,
            Citation.locator,
            Citation.quote,
            *(getattr(Citation, column) for column in columns),
            *SOURCE_SUMMARY.values(),
        )
        .join(Source, Citation.source_id == Source.id)
        .where(or_(*(in_ids(getattr(Citation, c), c) for c in columns)))
        .order_by(Citation.reference_number.is_(None), Citation.reference_number, Citation.id)
    )


def cited(citations: list[Body], fields: Body) -> Body:
    """A cited fact as the ``Cited`` models write it: its citations first, then its own fields,
    then the evidence counted from the citations (so it can never disagree with them)."""
    sources = (citation["source"] for citation in citations)
    independent = {source["id"] for source in sources if source["kind"] != SourceKind.ARTICLE}
    evidence = {"sources": len(independent), "article_only": not independent}
    return {"citations": citations, **fields, "evidence": evidence}


def apply_span(target: TimeSpanMixin, span_in: TimeSpanIn | None) -> None:
    """Store a date or period on a fact (None clears it)."""
    span = span_in.to_span() if span_in is not None else None
    target.date_text = span.text if span else None
    target.start_edtf = span.start_edtf if span else None
    target.end_edtf = span.end_edtf if span else None
    target.start_lower = span.start_lower if span else None
    target.start_upper = span.start_upper if span else None
    target.end_lower = span.end_lower if span else None
    target.end_upper = span.end_upper if span else None


def span_read(source: TimeSpanMixin) -> TimeSpanRead | None:
    """A fact's date or period for a response; None when nothing is known."""
    if source.date_text is None and source.start_edtf is None and source.end_edtf is None:
        return None
    return TimeSpanRead(
        text=source.date_text,
        start=source.start_edtf,
        end=source.end_edtf,
        start_lower=source.start_lower,
        start_upper=source.start_upper,
        end_lower=source.end_lower,
        end_upper=source.end_upper,
    )


def span_body(fact: Dated) -> Body | None:
    """A fact's date or period as TimeSpanRead writes it; None when nothing is known."""
    if fact.date_text is None and fact.start_edtf is None and fact.end_edtf is None:
        return None
    return {
        "text": fact.date_text,
        "start": fact.start_edtf,
        "end": fact.end_edtf,
        "start_lower": fact.start_lower,
        "start_upper": fact.start_upper,
        "end_lower": fact.end_lower,
        "end_upper": fact.end_upper,
    }


def span_columns(model: type[TimeSpanMixin]) -> tuple[Any, ...]:
    """The columns of a fact's date or period, to select last among its others and read back
    as a ``Span``."""
    return tuple(getattr(model, field) for field in Span._fields)


def certainty(fact: Dated, as_of: AsOf | None) -> Certainty | None:
    """``certainty_of`` for a ``Span`` as well as an ORM object: it reads only the bounds."""
    return certainty_of(cast(TimeSpanMixin, fact), as_of)
