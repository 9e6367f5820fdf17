"""Who is calling: an API key from ``Authorization: Bearer`` or ``X-API-Key``, and its scopes.

One dependency, applied to every route by the app: writes need the ``write`` scope, reads are
public unless ``KB_REQUIRE_KEY_FOR_READS`` is set. 401 and 403 say nothing about which keys exist.
"""

from dataclasses import dataclass
from functools import partial
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from app.api.deps import SAFE_METHODS, SettingsDep, in_request_thread
from app.errors import ForbiddenError, UnauthorizedError
from app.services.keys import Scope, authenticate, granted

PUBLIC_PATHS = (
    "/healthz",
    "/readyz",
    "/docs",
    "/redoc",
    "/openapi.json",
    "/static-offline-docs",
    "/explore",
)

bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer kb_…`")
header_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="`X-API-Key: kb_…`")


@dataclass(frozen=True)
class Caller:
    """The key behind a request (None when anonymous) and what it may do."""

    key_id: int | None
    scopes: frozenset[Scope]


async def authorize(
    request: Request,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    x_api_key: Annotated[str | None, Depends(header_key)],
) -> Caller:
    """Identify the caller and refuse what its scopes do not allow.

    On the event loop: only a presented key costs a query (in the thread pool, on a session of
    its own), so an anonymous read goes straight on.
    """
    presented = credentials.credentials if credentials else x_api_key
    caller = ANONYMOUS
    if presented:
        # A write's in the writes' threads: never behind reads (in_write_threads).
        identify = partial(_identify, request.app.state.session_factory, presented)
        caller = await in_request_thread(request, identify)
    request.state.caller = caller
    if request.url.path.startswith(PUBLIC_PATHS):
        return caller
    needed = None
    if request.method not in SAFE_METHODS:
        needed = Scope.WRITE
    elif settings.require_key_for_reads:
        needed = Scope.READ
    if needed is not None:
        demand(caller, needed)
    return caller


ANONYMOUS = Caller(key_id=None, scopes=frozenset())


def _identify(session_factory: sessionmaker[Session], presented: str) -> Caller:
    with session_factory() as session:
        key = authenticate(session, presented)
        if key is None:
            raise UnauthorizedError("The API key is not valid.")
        return Caller(key_id=key.id, scopes=frozenset(granted(key)))


def demand(caller: Caller, needed: Scope) -> None:
    """401 for an anonymous caller, 403 for a key without the scope ``needed``."""
    if needed in caller.scopes:
        return
    if caller.key_id is None:
        raise UnauthorizedError(f"This request needs an API key with the {needed} scope.")
    raise ForbiddenError(f"This key lacks the {needed} scope this request needs.")


CallerDep = Annotated[Caller, Depends(authorize)]


async def require_admin(caller: CallerDep) -> Caller:
    """Let only callers whose key has the admin scope through."""
    demand(caller, Scope.ADMIN)
    return caller
