"""Facts of every type listed together, for provenance: what a source supports, what lacks one."""

from typing import Literal

from pydantic import Field

from app.schemas.common import Cited, EntitySummary

FactType = Literal["entity", "name", "period", "relationship", "attribute"]


class FactRead(Cited):
    """One fact of any type: what it says, whom it is about, and its citations."""

    type: FactType
    id: int = Field(description="The fact's id within its type (a relationship id, a name id…).")
    about: EntitySummary = Field(
        description="The entity the fact is about (for a relationship, its subject)."
    )
    statement: str = Field(examples=["Aknaf Bait al-Maqdis — ally → Jaysh al-Islam"])
