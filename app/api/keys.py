"""Managing API keys over HTTP, for holders of an ``admin`` key (the CLI does the same)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Response, status

from app.api.auth import require_admin
from app.api.deps import SessionDep, in_write_threads
from app.api.responses import AUTH, INVALID, NOT_FOUND, json_response
from app.schemas.keys import KeyCreate, KeyCreated, KeyRead
from app.services.keys import list_keys, mint_key, revoke_key

KEYS_PREFIX = "/keys"
router = APIRouter(
    prefix=KEYS_PREFIX, tags=["Keys"], dependencies=[Depends(require_admin)], responses={**AUTH}
)


@router.get(
    "", name="listKeys", summary="Every API key, newest first", response_model=list[KeyRead]
)
def list_all(session: SessionDep) -> Any:
    return list_keys(session)


@router.post(
    "",
    name="createKey",
    summary="Mint a key; its secret is in this response only",
    status_code=status.HTTP_201_CREATED,
    response_model=KeyCreated,
    responses={**INVALID},
)
@in_write_threads
def create(session: SessionDep, payload: KeyCreate) -> Any:
    minted = mint_key(session, payload.name, payload.scopes)
    created = KeyCreated.model_validate(
        {**KeyRead.model_validate(minted.key).model_dump(), "secret": minted.secret}
    )
    return json_response(created, status_code=status.HTTP_201_CREATED)


@router.delete(
    "/{prefix}",
    name="revokeKey",
    summary="Revoke a key; it stops working at once",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**NOT_FOUND},
)
@in_write_threads
def revoke(session: SessionDep, prefix: Annotated[str, Path(pattern=r"^[0-9a-f]{8}$")]) -> Response:
    revoke_key(session, prefix)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
