"""The write routes every resource shares: create, update, delete and history.

One place makes every change follow the same rules: a key with the write scope (app/api/auth.py),
``If-Match`` naming the current version for updates and deletes, an ``ETag`` on the result, and
a revision recorded in the same transaction.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.api.auth import CallerDep
from app.api.deps import PageDep, SessionDep, in_write_threads
from app.api.pagination import paginate
from app.api.responses import (
    AUTH,
    CONFLICT,
    INVALID,
    NOT_FOUND,
    PRECONDITIONS,
    IfMatchDep,
    etag_of,
    json_response,
    require_match,
)
from app.schemas.common import Page
from app.schemas.facts import FactRead
from app.schemas.history import RevisionRead
from app.services.entities import as_id
from app.services.history import count_history, item_history, record

CASCADE = (
    "Also delete what would otherwise be left uncited or dangling (the facts that rest on this "
    "source alone; the relationships that name this entity). Without it such a delete is a 409 "
    "that names them."
)


class Versioned(Protocol):
    """What a stored item offers the write routes: its id and version."""

    id: Any
    version: Any


@dataclass(frozen=True)
class WriteSpec:
    """How one resource is found, read, created, changed and deleted."""

    resource: str  # "organization": in ETags and history
    path: str  # "/organizations": for Location
    singular: str  # "Organization": in operationIds
    ref: Any  # the path parameter's annotated type
    create_model: type[BaseModel]
    update_model: type[BaseModel]
    read_model: type[BaseModel]
    get: Callable[[Session, Any], Versioned]
    read: Callable[[Session, Any], BaseModel]
    create: Callable[[Session, Any], Versioned]
    update: Callable[[Session, int, Any], Versioned]
    # Deletes the item (cascading if asked) and returns what went with it, if anything did.
    delete: Callable[[Session, int, bool], Sequence[FactRead] | None]


def _locked(session: Session, item: Versioned) -> Versioned:
    """The item read again under a row lock, so that concurrent changes to it queue here.

    The version compared with ``If-Match`` is then the one the change is made on: ``*`` never
    fails because another change committed in between, and a named ETag fails with 412 before
    anything is written. (On PostgreSQL; SQLite's writers are serialised already, app/db.py.)
    """
    session.refresh(item, with_for_update=True)
    return item


def add_write_routes(router: APIRouter, spec: WriteSpec) -> None:
    """Add POST, PATCH, DELETE and GET …/history for ``spec`` to ``router``."""
    name = spec.singular
    lower = name.lower()

    def tag(item: Versioned) -> str:
        return etag_of(spec.resource, item.id, item.version)

    @router.post(
        "",
        name=f"create{name}",
        summary=f"Create a {lower}",
        status_code=status.HTTP_201_CREATED,
        response_model=spec.read_model,
        responses={**CONFLICT, **INVALID, **AUTH},
    )
    @in_write_threads
    def create(
        session: SessionDep,
        caller: CallerDep,
        payload: spec.create_model,  # type: ignore[name-defined]
    ) -> Any:
        item = spec.create(session, payload)
        after = spec.read(session, item)
        record(session, spec.resource, item.id, "create", caller.key_id, item.version, None, after)
        headers = {"Location": f"{spec.path}/{item.id}", "ETag": tag(item)}
        return json_response(after, headers, status.HTTP_201_CREATED)

    @router.patch(
        "/{ref}",
        name=f"update{name}",
        summary=f"Update a {lower}",
        response_model=spec.read_model,
        responses={**NOT_FOUND, **INVALID, **PRECONDITIONS, **AUTH},
    )
    @in_write_threads
    def update(
        session: SessionDep,
        caller: CallerDep,
        ref: spec.ref,  # type: ignore[name-defined]
        payload: spec.update_model,  # type: ignore[name-defined]
        if_match: IfMatchDep,
    ) -> Any:
        current = _locked(session, spec.get(session, ref))
        require_match(if_match, tag(current))
        before = spec.read(session, current)
        item = spec.update(session, current.id, payload)
        after = spec.read(session, item)
        record(
            session, spec.resource, item.id, "update", caller.key_id, item.version, before, after
        )
        return json_response(after, {"ETag": tag(item)})

    @router.delete(
        "/{ref}",
        name=f"delete{name}",
        summary=f"Delete a {lower}",
        status_code=status.HTTP_204_NO_CONTENT,
        responses={**NOT_FOUND, **CONFLICT, **PRECONDITIONS, **AUTH},
    )
    @in_write_threads
    def delete(
        session: SessionDep,
        caller: CallerDep,
        ref: spec.ref,  # type: ignore[name-defined]
        if_match: IfMatchDep,
        cascade: Annotated[bool, Query(description=CASCADE)] = False,
    ) -> Response:
        current = _locked(session, spec.get(session, ref))
        require_match(if_match, tag(current))
        item_id = current.id
        before = spec.read(session, current)
        for fact in spec.delete(session, item_id, cascade) or ():
            if fact.type in ("entity", "relationship"):  # a resource of its own: a tombstone
                resource = fact.about.kind.value if fact.type == "entity" else fact.type
                record(session, resource, fact.id, "delete", caller.key_id, None, fact, None)
        record(session, spec.resource, item_id, "delete", caller.key_id, None, before, None)
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    @router.get(
        "/{ref}/history",
        name=f"get{name}History",
        summary=f"Every change of a {lower}, oldest first; a tombstone last if deleted",
        response_model=Page[RevisionRead],
        responses={**NOT_FOUND},
    )
    def history(
        request: Request,
        response: Response,
        session: SessionDep,
        window: PageDep,
        ref: spec.ref,  # type: ignore[name-defined]
    ) -> Any:
        item_id = as_id(ref)
        if item_id is None:  # a slug: only a living item has one
            item_id = spec.get(session, ref).id
        total = count_history(session, spec.resource, item_id)
        if not total:
            spec.get(session, item_id)  # a 404 for what never existed
        revisions = item_history(
            session, spec.resource, item_id, limit=window.limit, offset=window.offset
        )
        items = [RevisionRead.model_validate(revision) for revision in revisions]
        return paginate(request, response, items, total, window)
