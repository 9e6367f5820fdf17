"""Liveness and readiness probes."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.errors import problem_response

router = APIRouter(tags=["Health"])


@router.get("/healthz", name="getHealth", summary="The process is up")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    name="getReadiness",
    summary="The database answers",
    responses={503: {"description": "The database is not reachable."}},
)
def readyz(request: Request) -> Any:
    try:
        with request.app.state.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return problem_response(
            503,
            "service-unavailable",
            "Service unavailable",
            "The database is not reachable.",
            "/readyz",
            headers={"Retry-After": "5"},
        )
    return JSONResponse({"status": "ready", "database": request.app.state.engine.dialect.name})
