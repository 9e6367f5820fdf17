"""OpenAPI descriptions of the problem responses, and the ETag helpers for item reads."""

from typing import Any

from fastapi import Request, Response

from app.errors import PROBLEM_MEDIA_TYPE

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
