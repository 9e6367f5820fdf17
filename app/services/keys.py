"""API keys: minted with a random secret shown once, stored as a hash, checked in constant time."""

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFoundError
from app.models import ApiKey
from app.models.base import utcnow

KEY_PREFIX = "kb"


class Scope(StrEnum):
    """What a key may do: read (when reads are not public), write facts, manage keys."""

    READ = "read"
    WRITE = "write"
    ADMIN = "admin"


# A write key may read; an admin key may do anything.
IMPLIED = {
    Scope.READ: {Scope.READ},
    Scope.WRITE: {Scope.READ, Scope.WRITE},
    Scope.ADMIN: {Scope.READ, Scope.WRITE, Scope.ADMIN},
}


@dataclass(frozen=True)
class MintedKey:
    """A new key: the stored row, and the secret, which is shown this once and never again."""

    key: ApiKey
    secret: str


def _hash(secret: str) -> str:
    # The secrets are 256 random bits: a fast hash is as safe as a slow one here.
    return hashlib.sha256(secret.encode()).hexdigest()


def mint_key(session: Session, name: str, scopes: Sequence[Scope]) -> MintedKey:
    """Create a key with these scopes; returns its one-time secret."""
    prefix = secrets.token_hex(4)
    secret = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey(
        name=name,
        prefix=prefix,
        secret_hash=_hash(secret),
        scopes=sorted({scope.value for scope in scopes}),
    )
    session.add(key)
    session.flush()
    return MintedKey(key=key, secret=secret)


def authenticate(session: Session, presented: str) -> ApiKey | None:
    """The live key this secret belongs to, or None (unknown, malformed and revoked alike)."""
    parts = presented.split("_")
    if len(parts) < 3 or parts[0] != KEY_PREFIX:
        return None
    key = session.scalars(select(ApiKey).where(ApiKey.prefix == parts[1])).first()
    if key is None or key.revoked_at is not None:
        return None
    return key if hmac.compare_digest(key.secret_hash, _hash(presented)) else None


def granted(key: ApiKey | None) -> set[Scope]:
    """Every scope a key grants, the implied ones included."""
    if key is None:
        return set()
    return set().union(*(IMPLIED[Scope(scope)] for scope in key.scopes))


def list_keys(session: Session) -> Sequence[ApiKey]:
    """Every key, newest first (never their secrets)."""
    return session.scalars(select(ApiKey).order_by(ApiKey.id.desc())).all()


def revoke_key(session: Session, prefix: str) -> ApiKey:
    """Revoke the key with this prefix; it stops working at once."""
    key = session.scalars(select(ApiKey).where(ApiKey.prefix == prefix)).first()
    if key is None:
        raise NotFoundError(f"No key with prefix {prefix!r}.")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
    session.flush()
    return key
