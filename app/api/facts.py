"""Facts of every type: provenance questions across the whole knowledge base."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.api.deps import PageDep, SessionDep
from app.api.pagination import json_page
from app.api.responses import INVALID, NOT_FOUND
from app.schemas.common import Page
from app.schemas.facts import FactRead
from app.services.provenance import Evidence, list_facts
from app.services.sources import get_source

router = APIRouter(tags=["Provenance"])


@router.get(
    "/facts",
    name="listFacts",
    summary="List facts by the evidence behind them",
    response_model=Page[FactRead],
    responses={**INVALID},
)
def facts(
    request: Request,
    response: Response,
    session: SessionDep,
    window: PageDep,
    evidence: Annotated[
        Evidence | None,
        Query(
            description="`article-only`: facts no reference supports, to verify first; "
            "`referenced`: facts at least one reference supports."
        ),
    ] = None,
) -> Response:
    items, total = list_facts(session, evidence=evidence, limit=window.limit, offset=window.offset)
    return json_page(request, response, items, total, window)


@router.get(
    "/sources/{ref}/facts",
    name="listSourceFacts",
    summary="Everything a source supports",
    response_model=Page[FactRead],
    responses={**NOT_FOUND},
)
def source_facts(
    request: Request, response: Response, session: SessionDep, window: PageDep, ref: str
) -> Response:
    source = get_source(session, ref)
    items, total = list_facts(
        session, source_id=source.id, limit=window.limit, offset=window.offset
    )
    return json_page(request, response, items, total, window)
