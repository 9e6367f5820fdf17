"""The application factory: routers, middleware, error handlers and the offline docs."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline
from sqlalchemy import Engine
from starlette.types import ASGIApp

from app.api import exports, facts, health, history, keys, relationships, search, sources
from app.api.auth import authorize
from app.api.deps import use_write_threads
from app.api.entities import ENTITY_ROUTERS
from app.api.explorer import mount_explorer
from app.cache import ResponseCache, data_version
from app.config import Settings, get_settings
from app.db import create_db_engine, create_session_factory
from app.errors import install_error_handlers
from app.limits import LimitsMiddleware, RateLimiter
from app.openapi import install_openapi

DESCRIPTION = """
A cited knowledge base of armed groups. Every fact (a name, an operating period, an attribute,
a relationship, an event) comes with its citations: the source, the reference number in the
article it was read from, the page, and the quoted sentence.

Dates are kept as written, as [EDTF](https://www.loc.gov/standards/datetime/), and as their
earliest and latest possible days. Errors are `application/problem+json` (RFC 9457).
"""

TAGS = [
    {
        "name": "Organizations",
        "description": "Armed groups and other organisations; the "
        "profile gathers every cited fact about one.",
    },
    {"name": "People", "description": "Leaders, members and other named individuals."},
    {"name": "Places", "description": "Countries, regions, cities, camps and crossings."},
    {
        "name": "Events",
        "description": "Dated happenings; participants are `participant` relationships.",
    },
    {
        "name": "Relationships",
        "description": "Typed, dated links with a status (asserted, disputed, denied, ended).",
    },
    {
        "name": "Search",
        "description": "Entities by any of their names, in any spelling or script, ranked.",
    },
    {"name": "Sources", "description": "Articles and the works their references name."},
    {
        "name": "Provenance",
        "description": "Which facts a source supports; which rest on the article alone.",
    },
    {
        "name": "History",
        "description": "Every change, who made it and the values before and after; a feed to sync.",
    },
    {"name": "Keys", "description": "API keys, for holders of an admin key; secrets shown once."},
    {"name": "Exports", "description": "The data as JSON Lines, CSV, CSL-JSON and FollowTheMoney."},
    {"name": "Health", "description": "Liveness and readiness probes."},
]


def operation_id(route: APIRoute) -> str:
    """Readable operationIds (``listOrganizations``) taken from each route's name."""
    return route.name


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """Build the API for the given settings (the environment's by default)."""
    settings = settings or get_settings()
    engine = engine or create_db_engine(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # The reads' work is mostly Python, one thread at a time: a few threads serve more than
        # many. The writes mostly wait for locks, in threads of their own (README, Configuration).
        to_thread.current_default_thread_limiter().total_tokens = settings.worker_threads
        use_write_threads(settings.write_threads)
        yield
        engine.dispose()

    app = FastAPIOffline(
        title="Armed groups knowledge base",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_tags=TAGS,
        generate_unique_id_function=operation_id,
        swagger_ui_parameters={"tryItOutEnabled": True, "displayOperationId": True},
        dependencies=[Depends(authorize)],
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = create_session_factory(engine)
    app.state.rate_limiter = RateLimiter()
    app.add_middleware(LimitsMiddleware, settings=settings, limiter=app.state.rate_limiter)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_allow_origins,
        allow_methods=["GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"],
        allow_headers=["*"],
        expose_headers=["ETag", "Link", "Location", "X-Total-Count"],
    )
    install_error_handlers(app)
    for router in [
        *ENTITY_ROUTERS,
        relationships.router,
        search.router,
        facts.router,
        exports.router,
        sources.router,
        history.router,
        keys.router,
        health.router,
    ]:
        app.include_router(router)
    mount_explorer(app)
    install_openapi(app, settings)
    return app


def create_served_app(settings: Settings | None = None) -> ASGIApp:
    """The application as uvicorn serves it: with the response cache in front, when it is on.

    In front of everything, the framework's own layers too, a cache hit costs a dictionary
    lookup and the data-version check (app/cache.py says how the layers behind still apply).
    """
    app = create_app(settings)
    settings = app.state.settings
    version = data_version(app.state.engine) if settings.response_cache else None
    if version is None:
        return app
    return ResponseCache(app, settings, version, app.state.rate_limiter)
