"""Search results: the entity, the name of it that matched, and how well."""

from typing import Literal

from pydantic import BaseModel, Field

from app.schemas.common import EntitySummary, Page

Match = Literal["exact", "transliteration", "prefix", "contains", "similar"]
MAX_RANKED = 200  # entities a search ranks at most (app/services/search.py)


class MatchedName(BaseModel):
    """The name that matched, as stored."""

    name: str = Field(examples=["أكناف بيت المقدس"])
    language: str | None = Field(examples=["ar"])
    script: str | None = Field(examples=["Arab"])
    kind: str = Field(examples=["native"])


class SearchHit(BaseModel):
    """One entity found by one of its names."""

    entity: EntitySummary
    matched: MatchedName
    match: Match = Field(
        description="How the name matched: `exact` (after folding case, marks and articles), "
        "`transliteration` (spelling variants of Arabic), `prefix`, `contains`, or `similar` "
        "(typos).",
        examples=["transliteration"],
    )
    score: float = Field(ge=0, le=1, description="1 for an exact match; hits come best first.")


class SearchHitPage(Page[SearchHit]):
    """One page of search hits; ``Link`` headers carry the neighbouring pages."""

    total: int = Field(
        description="How many entities match. A broad query (a common word such as `Liwa`, or "
        "a letter or two) matches more names than a search ranks: it then counts the "
        f"entities it ranked, at most {MAX_RANKED}, and pages stop there; a longer query "
        "narrows it. `X-Total-Count` says the same."
    )
