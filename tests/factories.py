"""Plain functions that add rows to the test's session (no commits of their own but
``add_many``'s)."""

import uuid
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.models import EntityKind, Organization, Source, SourceKind
from app.schemas.common import CitationIn
from app.schemas.entities import OrganizationCreate
from app.services.entities import create_entity
from app.services.slugs import unique_slug


def add_source(session: Session, title: str = "A report", **fields: object) -> Source:
    """A source with a unique slug."""
    source = Source(
        slug=fields.pop("slug", None) or unique_slug(session, Source.slug, title),
        title=title,
        kind=fields.pop("kind", SourceKind.WEB),
        authors=fields.pop("authors", []),
        extra={},
        **fields,
    )
    session.add(source)
    session.flush()
    return source


def cite(
    source: Source, number: int | None = 1, quote: str | None = "A sentence."
) -> dict[str, object]:
    """A citation body for requests."""
    return {"source_id": source.id, "reference_number": number, "quote": quote}


def add_organization(session: Session, name: str, source: Source, **fields: object) -> Organization:
    """An organization created through the service, cited to ``source``."""
    payload = OrganizationCreate.model_validate(
        {"name": name, "citations": [cite(source)], **fields}
    )
    entity = create_entity(session, EntityKind.ORGANIZATION, payload)
    assert isinstance(entity, Organization)
    return entity


def add_many(session: Session, count: int, row: Callable[[Organization], object]) -> None:
    """``count`` bare organizations, each with the row ``row`` makes for it (a tie, a
    citation), added in bulk and committed: the crowd a cost test grows."""
    for index in range(count):
        organization = Organization(name=f"Crowd {index}", slug=f"crowd-{uuid.uuid4().hex}")
        session.add(organization)
        session.flush()
        session.add(row(organization))
    session.commit()


def every_page(client: TestClient, url: str) -> list[dict[str, Any]]:
    """Every page of a list from ``url`` on, followed by its ``next`` links: each page's body
    with its ``headers`` and ``links``."""
    pages = []
    next_url: str | None = url
    while next_url is not None:
        response = client.get(next_url)
        assert response.status_code == 200, response.text
        pages.append({**response.json(), "headers": response.headers, "links": response.links})
        next_url = response.links.get("next", {}).get("url")
    return pages


def current(client: TestClient, path: str) -> dict[str, str]:
    """The ``If-Match`` header naming the item's current version, as an editor would send it."""
    return {"If-Match": client.get(path).headers["etag"]}


__all__ = [
    "CitationIn",
    "add_many",
    "add_organization",
    "add_source",
    "cite",
    "current",
    "every_page",
]
