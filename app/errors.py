"""The service's errors and the one place that renders them as RFC 9457 problem details."""

import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

logger = logging.getLogger("app.errors")

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "/problems/"


class ProblemError(Exception):
    """An error a client can act on, rendered as problem+json with a stable ``type``."""

    status: int = HTTPStatus.BAD_REQUEST
    slug: str = "bad-request"
    title: str = "Bad request"

    def __init__(self, detail: str, **extensions: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extensions = extensions


class UnauthorizedError(ProblemError):
    """No valid API key was presented where one is needed."""

    status = HTTPStatus.UNAUTHORIZED
    slug = "unauthorized"
    title = "Unauthorized"


class ForbiddenError(ProblemError):
    """The key is valid but lacks the scope the request needs."""

    status = HTTPStatus.FORBIDDEN
    slug = "forbidden"
    title = "Forbidden"


class NotFoundError(ProblemError):
    """The requested item does not exist."""

    status = HTTPStatus.NOT_FOUND
    slug = "not-found"
    title = "Not found"


class ConflictError(ProblemError):
    """The request conflicts with the current state (duplicate key, item still referenced)."""

    status = HTTPStatus.CONFLICT
    slug = "conflict"
    title = "Conflict"


class InvalidRequestError(ProblemError):
    """The request is well formed but its values are not acceptable."""

    status = HTTPStatus.UNPROCESSABLE_ENTITY
    slug = "validation-error"
    title = "Invalid request"


class PreconditionRequiredError(ProblemError):
    """A change was sent without ``If-Match``: lost updates are refused, not risked."""

    status = HTTPStatus.PRECONDITION_REQUIRED
    slug = "precondition-required"
    title = "Precondition required"


class PreconditionFailedError(ProblemError):
    """``If-Match`` names a version that is no longer current."""

    status = HTTPStatus.PRECONDITION_FAILED
    slug = "precondition-failed"
    title = "Precondition failed"


class ServiceUnavailableError(ProblemError):
    """The database cannot be reached right now."""

    status = HTTPStatus.SERVICE_UNAVAILABLE
    slug = "service-unavailable"
    title = "Service unavailable"


def problem_response(
    status: int,
    slug: str,
    title: str,
    detail: str | None = None,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    """A problem+json response; the one constructor every error goes through."""
    body: dict[str, Any] = {"type": PROBLEM_BASE + slug, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    body.update(extensions)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _allowed_methods(request: Request) -> str:
    """Every method some route serves at this path (a path's GET and POST may be two routes)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches({**request.scope, "method": "GET"})
        if match != Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    return ", ".join(sorted(methods))


def _field_errors(errors: Sequence[Any]) -> list[dict[str, Any]]:
    fields = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        fields.append(
            {
                "field": ".".join(location[1:]) if len(location) > 1 else ".".join(location),
                "in": location[0] if location else "body",
                "message": error.get("msg", "invalid"),
                "code": error.get("type", "invalid"),
            }
        )
    return fields


def install_error_handlers(app: FastAPI) -> None:
    """Route every exception a request can raise to a problem+json response."""

    @app.exception_handler(ProblemError)
    async def on_problem(request: Request, exc: ProblemError) -> JSONResponse:
        headers = {"WWW-Authenticate": 'Bearer realm="kb"'} if exc.status == 401 else None
        return problem_response(
            exc.status,
            exc.slug,
            exc.title,
            exc.detail,
            request.url.path,
            headers=headers,
            **exc.extensions,
        )

    @app.exception_handler(RequestValidationError)
    async def on_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _field_errors(exc.errors())
        names = ", ".join(sorted({e["field"] or e["in"] for e in errors}))
        return problem_response(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "validation-error",
            "Invalid request",
            f"These fields are invalid: {names}." if names else "The request is invalid.",
            request.url.path,
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        phrase = HTTPStatus(exc.status_code).phrase
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != phrase else None
        headers = getattr(exc, "headers", None)
        if exc.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
            headers = {**(headers or {}), "Allow": _allowed_methods(request)}
        return problem_response(
            exc.status_code,
            phrase.lower().replace(" ", "-"),
            phrase,
            detail,
            request.url.path,
            headers=headers,
        )

    @app.exception_handler(StaleDataError)
    async def on_stale(request: Request, exc: StaleDataError) -> JSONResponse:
        # Another request changed the item between our read and our write.
        return problem_response(
            HTTPStatus.PRECONDITION_FAILED,
            "precondition-failed",
            "Precondition failed",
            "The item was changed by another request; read it again and retry.",
            request.url.path,
        )

    @app.exception_handler(OperationalError)
    async def on_database_down(request: Request, exc: OperationalError) -> JSONResponse:
        logger.error(
            "database unavailable on %s %s: %s", request.method, request.url.path, exc.orig
        )
        return problem_response(
            HTTPStatus.SERVICE_UNAVAILABLE,
            "service-unavailable",
            "Service unavailable",
            "The database is not reachable; try again shortly.",
            request.url.path,
            headers={"Retry-After": "5"},
        )

    @app.exception_handler(DataError)
    async def on_bad_value(request: Request, exc: DataError) -> JSONResponse:
        # The database refused a value the client sent (a NUL character, a number too large).
        return problem_response(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "validation-error",
            "Invalid request",
            "A value in the request cannot be stored or compared, such as a NUL character "
            "or a number out of range.",
            request.url.path,
            errors=[],
        )

    @app.exception_handler(IntegrityError)
    async def on_integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        logger.info("integrity error on %s %s: %s", request.method, request.url.path, exc.orig)
        return problem_response(
            HTTPStatus.CONFLICT,
            "conflict",
            "Conflict",
            "The request conflicts with the stored data: a duplicate, or a missing or "
            "still-used reference.",
            request.url.path,
        )

    @app.exception_handler(DBAPIError)
    async def on_database_error(request: Request, exc: DBAPIError) -> JSONResponse:
        logger.exception("database error on %s %s", request.method, request.url.path)
        return _internal_error(request)

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        logger.exception("unhandled error on %s %s", request.method, request.url.path)
        return _internal_error(request)


def _internal_error(request: Request) -> JSONResponse:
    return problem_response(
        HTTPStatus.INTERNAL_SERVER_ERROR,
        "internal-error",
        "Internal server error",
        "The server could not complete the request; it has been logged.",
        request.url.path,
    )
