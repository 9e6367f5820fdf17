"""The one pagination helper: a page body plus RFC 8288 ``Link`` and ``X-Total-Count`` headers."""

from collections.abc import Sequence
from typing import Any, TypeVar

from fastapi import Request, Response

from app.api.deps import PageWindow
from app.api.responses import json_data_response
from app.schemas.common import Page

T = TypeVar("T")


def paginate(
    request: Request,
    response: Response,
    items: Sequence[T],
    total: int | None,
    window: PageWindow,
) -> Page[T]:
    """Wrap a page of items and set headers pointing to the first, previous, next and last pages.

    ``total`` is None when more match than were counted (``bounded_count``), which is more than
    this page reaches: there is a next page, but neither a last one nor a count to send.
    """
    links = {"first": 0}
    if window.offset > 0:
        links["prev"] = max(window.offset - window.limit, 0)
    if total is None or window.offset + window.limit < total:
        links["next"] = window.offset + window.limit
    if total is not None:
        links["last"] = max((total - 1) // window.limit * window.limit, 0)
        response.headers["X-Total-Count"] = str(total)
    response.headers["Link"] = ", ".join(
        f'<{request.url.include_query_params(limit=window.limit, offset=offset)}>; rel="{rel}"'
        for rel, offset in links.items()
    )
    return Page[T](items=list(items), total=total, limit=window.limit, offset=window.offset)


def json_page(
    request: Request,
    response: Response,
    items: Sequence[Any],
    total: int | None,
    window: PageWindow,
) -> Response:
    """``paginate`` for items built as plain data: the page written once with orjson, with its
    headers (the route's ``response_model`` still describes it)."""
    paginate(request, response, items, total, window)
    body = {"items": items, "total": total, "limit": window.limit, "offset": window.offset}
    return json_data_response(body, dict(response.headers))
