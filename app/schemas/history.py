"""Revisions: who changed what, when, with the values before and after."""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.schemas.common import UtcDateTime


class RevisionRead(BaseModel):
    """One recorded change; a `delete` is the item's tombstone (`after` is null)."""

    model_config = ConfigDict(from_attributes=True)

    id: int = Field(description="Increases with every change: use it as `since` in /changes.")
    resource: str = Field(examples=["organization"])
    item_id: int
    action: Literal["create", "update", "delete"]
    version: int | None = Field(description="The item's version after the change.")
    key_id: int | None = Field(description="The API key that made the change.")
    at: UtcDateTime
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class ChangeFeed(BaseModel):
    """Changes after `since`, in order; ask again with `since=next_since` to stay in sync."""

    items: list[RevisionRead]
    next_since: int
