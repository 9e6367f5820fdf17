"""API keys as the admin endpoints show them: never their secret, except once at creation."""

from pydantic import BaseModel, ConfigDict, Field

from app.schemas.common import Schema, Text, UtcDateTime
from app.services.keys import Scope


class KeyCreate(Schema):
    """A key to mint: who it is for and what it may do."""

    name: Text = Field(examples=["newsroom frontend"])
    scopes: list[Scope] = Field(min_length=1, max_length=3, examples=[["write"]])


class KeyRead(BaseModel):
    """A key without its secret: the prefix names it in the CLI and in `DELETE /keys/{prefix}`."""

    model_config = ConfigDict(from_attributes=True)

    prefix: str
    name: str
    scopes: list[Scope]
    created_at: UtcDateTime
    revoked_at: UtcDateTime | None


class KeyCreated(KeyRead):
    """A new key with its secret, which is shown this once: store it now."""

    secret: str = Field(examples=["kb_1a2b3c4d_…"])
