"""The changes feed across every resource."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from app.api.deps import SessionDep, SettingsDep, capped_limit
from app.schemas.history import ChangeFeed, RevisionRead
from app.services.history import changes_since

router = APIRouter(tags=["History"])


@router.get(
    "/changes",
    name="listChanges",
    summary="Every change since a revision, in order",
    response_model=ChangeFeed,
)
def changes(
    session: SessionDep,
    settings: SettingsDep,
    since: Annotated[int, Query(ge=0, le=2**62, description="The last revision id you saw.")] = 0,
    limit: Annotated[int | None, Query(ge=1, description="At most this many (capped).")] = None,
) -> Any:
    size = capped_limit(settings, limit)
    items = [RevisionRead.model_validate(r) for r in changes_since(session, since, limit=size)]
    return ChangeFeed(items=items, next_since=items[-1].id if items else since)
