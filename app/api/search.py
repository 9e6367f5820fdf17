"""``GET /search``: entities by any of their names, however they are spelt."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from app.api.deps import PageDep, SessionDep
from app.api.pagination import paginate
from app.models import EntityKind
from app.schemas.common import EntitySummary, Page
from app.schemas.search import MatchedName, SearchHit
from app.services.search import search

router = APIRouter(tags=["Search"])


@router.get(
    "/search",
    name="search",
    summary="Find entities by name: any case, marks, transliteration or script, with typos",
    response_model=Page[SearchHit],
)
def search_names(
    request: Request,
    response: Response,
    session: SessionDep,
    window: PageDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=200,
            pattern=r"^[^\x00]*$",
            description="A name or part of one, as the user writes it.",
            examples=["aknaf beit el-maqdis"],
        ),
    ],
    kind: Annotated[
        list[EntityKind] | None,
        Query(description="Only these kinds (repeat the parameter for several)."),
    ] = None,
) -> Any:
    hits = search(session, q, kinds=kind)
    page = hits[window.offset : window.offset + window.limit]
    items = [
        SearchHit(
            entity=EntitySummary.model_validate(hit.entity),
            matched=MatchedName(
                name=hit.name.name,
                language=hit.name.language,
                script=hit.name.script,
                kind=hit.name.kind.value,
            ),
            match=hit.match,
            score=hit.score,
        )
        for hit in page
    ]
    return paginate(request, response, items, len(hits), window)
