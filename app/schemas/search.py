"""Search results: the entity, the name of it that matched, and how well."""

from typing import Literal

from pydantic import BaseModel, Field

from app.schemas.common import EntitySummary

Match = Literal["exact", "transliteration", "prefix", "contains", "similar"]


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
