"""Query parameters several routers share: dates read as EDTF, and the point in time."""

from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Query

from app.dates import DateParseError, span_from_edtf
from app.errors import InvalidRequestError
from app.schemas.common import Certainty, Id
from app.services.asof import AsOf

# A year, a month or a day as EDTF writes them, each part in its range (2014, 2014-06, 2014-06-15):
# the schema says what the server accepts (all but 29 February of common years, a 422).
DAY_PATTERN = (
    r"^(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})"
    r"(-((0[13578]|1[02])(-(0[1-9]|[12][0-9]|3[01]))?"
    r"|(0[469]|11)(-(0[1-9]|[12][0-9]|30))?|02(-(0[1-9]|1[0-9]|2[0-9]))?))?$"
)


def day_query(description: str, *, alias: str | None = None) -> Any:
    """A query parameter holding a year, month or day (EDTF), as DAY_PATTERN states it."""
    return Query(
        alias=alias, max_length=10, pattern=DAY_PATTERN, description=description, examples=["2014"]
    )


def parse_query_day(value: str, field: str, *, last: bool = False) -> date:
    """The first (or ``last``) day of an EDTF date in a query (`2014`, `2014-06`, `2014-06-15`)."""
    try:
        span = span_from_edtf(value)
    except DateParseError as error:
        span, reason = None, str(error)
    else:
        reason = "it has no bounded day"
    day: date | None = None
    if span is not None:
        day = span.end_upper if last else span.start_lower
    if day is None or day == date.max:
        raise InvalidRequestError(
            f"{field} must be an EDTF date such as 2014, 2014-06 or 2014-06-15.",
            errors=[{"field": field, "in": "query", "message": reason, "code": "date"}],
        )
    return day


async def as_of_param(
    as_of: Annotated[
        str | None,
        day_query(
            "Keep only what held at this moment: an EDTF date such as `2014`, "
            "`2015-06` or `2015-06-15` (a year or month is taken as the whole period)."
        ),
    ] = None,
    certainty: Annotated[
        Certainty,
        Query(
            description="`possible`: facts whose uncertain dates allow the moment; "
            "`certain`: only those whose dates require it.",
        ),
    ] = "possible",
) -> AsOf | None:
    """The moment asked about, or None when the client asked about all time."""
    if as_of is None:
        return None
    first = parse_query_day(as_of, "as_of")
    last = parse_query_day(as_of, "as_of", last=True)
    return AsOf(first=first, last=last, certainty=certainty)


def optional_day(value: str | None, field: str, *, last: bool = False) -> date | None:
    """``parse_query_day`` for a parameter that may be absent."""
    return None if value is None else parse_query_day(value, field, last=last)


AsOfDep = Annotated[AsOf | None, Depends(as_of_param)]


async def ids_param(
    ids: Annotated[
        list[Id] | None,
        Query(
            alias="id",
            description="Fetch these items in one call: repeat `id` (up to 200).",
            examples=[[1, 2, 3]],
        ),
    ] = None,
) -> list[int] | None:
    """Item ids asked for by a batch fetch, at most 200 of them."""
    if ids is not None and len(ids) > MAX_IDS:
        raise InvalidRequestError(
            f"At most {MAX_IDS} ids per call.",
            errors=[{"field": "id", "in": "query", "message": "too many", "code": "too_long"}],
        )
    return ids


MAX_IDS = 200
IdsDep = Annotated[list[int] | None, Depends(ids_param)]
