"""Citations: attaching them to facts, checking their sources, and loading them in one query."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Literal

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from app.errors import InvalidRequestError
from app.models import Citation, Source
from app.models.base import TimeSpanMixin
from app.schemas.common import CitationIn, CitationRead, SourceSummary, TimeSpanIn, TimeSpanRead

FactColumn = Literal["entity_id", "name_id", "period_id", "relationship_id", "attribute_id"]
CitationsByFact = dict[FactColumn, dict[int, list[CitationRead]]]


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


def load_citations(session: Session, wanted: dict[FactColumn, Iterable[int]]) -> CitationsByFact:
    """Every citation of the given facts with its source, in one query."""
    result: CitationsByFact = {column: defaultdict(list) for column in wanted}
    conditions = [getattr(Citation, column).in_(set(ids)) for column, ids in wanted.items() if ids]
    if not conditions:
        return result
    rows = session.execute(
        select(Citation, Source)
        .join(Source, Citation.source_id == Source.id)
        .where(or_(*conditions))
        .order_by(Citation.reference_number.is_(None), Citation.reference_number, Citation.id)
    )
    for citation, source in rows:
        read = CitationRead(
            id=citation.id,
            source=SourceSummary.model_validate(source),
            reference_number=citation.reference_number,
            locator=citation.locator,
            quote=citation.quote,
        )
        for column in wanted:
            fact_id = getattr(citation, column)
            if fact_id is not None:
                result[column][fact_id].append(read)
    return result


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
