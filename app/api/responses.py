"""OpenAPI descriptions of the problem responses, and the ETag helpers for item reads."""

from decimal import Decimal
from typing import Annotated, Any

import orjson
from fastapi import Depends, Header, Request, Response
from pydantic import BaseModel

from app.errors import PROBLEM_MEDIA_TYPE, PreconditionFailedError, PreconditionRequiredError

Responses = dict[int | str, dict[str, Any]]


def _problem(description: str, status: int, slug: str, title: str, detail: str) -> dict[str, Any]:
    example = {
        "type": f"/problems/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": "/organizations/no-such-group",
    }
    return {
        "description": description,
        "content": {
            PROBLEM_MEDIA_TYPE: {
                "schema": {"$ref": "#/components/schemas/Problem"},
                "example": example,
            }
        },
    }


NOT_FOUND: Responses = {
    404: _problem(
        "No such item.",
        404,
        "not-found",
        "Not found",
        "No organization with id or slug 'no-such-group'.",
    )
}
CONFLICT: Responses = {
    409: _problem(
        "Conflicts with the stored data.",
        409,
        "conflict",
        "Conflict",
        "The slug 'aknaf-bait-al-maqdis' is already taken.",
    )
}
INVALID: Responses = {
    422: _problem(
        "The request is invalid; `errors` lists the fields.",
        422,
        "validation-error",
        "Invalid request",
        "These fields are invalid: citations.",
    )
}


def etag_of(kind: str, item_id: int, version: int) -> str:
    """A strong ETag that changes with every change of the item."""
    return f'"{kind}-{item_id}-v{version}"'


def not_modified(request: Request, response: Response, etag: str) -> bool:
    """Set the ETag; True when the client's ``If-None-Match`` already holds it (answer 304)."""
    response.headers["ETag"] = etag
    wanted = request.headers.get("if-none-match")
    if wanted is None:
        return False
    return wanted.strip() == "*" or etag in {tag.strip() for tag in wanted.split(",")}


def require_match(if_match: str, current: str) -> None:
    """Refuse a change whose ``If-Match`` does not name the current version (412)."""
    tags = {tag.strip() for tag in if_match.split(",")}
    if "*" not in tags and current not in tags:
        raise PreconditionFailedError(
            "The item has changed since you read it; read it again (its ETag is "
            f"{current}) and retry.",
            current_etag=current,
        )


# RFC 9110's If-Match: `*`, or one or more entity tags, each quoted and perhaps weak.
ENTITY_TAGS = r'^[ \t]*(\*|(W/)?"[^"]*"([ \t]*,[ \t]*(W/)?"[^"]*")*)[ \t]*$'


async def if_match_header(
    if_match: Annotated[
        str | None,
        Header(
            description="The ETag of the version you read (or `*`); required for changes.",
            pattern=ENTITY_TAGS,
            max_length=1000,
        ),
    ] = None,
) -> str:
    """The ``If-Match`` header of a change, which is required (428 without it)."""
    if not if_match:
        raise PreconditionRequiredError(
            "Send If-Match with the ETag of the version you read, so that no change is lost."
        )
    return if_match


IfMatchDep = Annotated[str, Depends(if_match_header)]
PRECONDITIONS: Responses = {
    412: _problem(
        "The item changed since it was read.",
        412,
        "precondition-failed",
        "Precondition failed",
        "The item has changed since you read it.",
    ),
    428: _problem(
        "If-Match is missing.",
        428,
        "precondition-required",
        "Precondition required",
        "Send If-Match with the ETag of the version you read.",
    ),
}
AUTH: Responses = {
    401: _problem(
        "No valid API key.",
        401,
        "unauthorized",
        "Unauthorized",
        "This request needs an API key with the write scope.",
    ),
    403: _problem(
        "The key lacks the scope needed.",
        403,
        "forbidden",
        "Forbidden",
        "This key lacks the write scope this request needs.",
    ),
}
GENERIC_PROBLEMS: Responses = {
    400: _problem(
        "The body could not be read.", 400, "bad-request", "Bad Request", "The body is not JSON."
    ),
    413: _problem(
        "The body is too large.",
        413,
        "body-too-large",
        "Content too large",
        "The body is larger than 1000000 bytes.",
    ),
    429: _problem(
        "Too many requests from this address or key; `Retry-After` says when to retry.",
        429,
        "rate-limited",
        "Too many requests",
        "At most 1200 requests a minute from one address; retry later.",
    ),
    503: _problem(
        "The database is unreachable or the request took too long; retry later.",
        503,
        "service-unavailable",
        "Service unavailable",
        "The database is unavailable; retry shortly.",
    ),
    **NOT_FOUND,
    **INVALID,
    **AUTH,
}


def json_response(
    model: BaseModel, headers: dict[str, str] | None = None, status_code: int = 200
) -> Response:
    """A response model as JSON, serialised once by pydantic.

    Returned as is, FastAPI would validate the model again and encode it twice over (about a
    third of a profile's time), and do it in a worker thread of its own: a write would wait
    for one holding its row locks, while the threads wait for those locks (a deadlock found
    with 20 racing writers). Routes keep their ``response_model`` for the OpenAPI document.
    """
    body = model.__pydantic_serializer__.to_json(model)
    return Response(body, status_code, headers, media_type="application/json")


def json_data_response(body: Any, headers: dict[str, str] | None = None) -> Response:
    """A body built as plain data (dicts, lists, strings, numbers, dates, enums) as JSON, once.

    The hot reads build their bodies so, skipping a pydantic model per fact; orjson writes the
    same bytes pydantic would for the routes' ``response_model``: decimals as strings, datetimes
    in UTC with ``Z``, those without an offset taken as UTC (SQLite stores them so).
    """
    content = orjson.dumps(
        body, default=_decimal_text, option=orjson.OPT_NAIVE_UTC | orjson.OPT_UTC_Z
    )
    return Response(content, media_type="application/json", headers=headers)


def _decimal_text(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
