"""Stable, readable slugs minted once from a name."""

import hashlib
import re
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

_APOSTROPHES = re.compile(r"['’ʼʿʾ`]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = 80) -> str:
    """Lower-case ASCII words joined by hyphens; apostrophes vanish rather than split a word."""
    folded = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", text))
    ascii_text = folded.encode("ascii", "ignore").decode().lower()
    slug = _NON_ALNUM.sub("-", ascii_text).strip("-")[:max_length].strip("-")
    if not slug:  # a name in a script without a Latin reading
        slug = "x-" + hashlib.sha1(text.encode()).hexdigest()[:10]
    return slug


def unique_slug(session: Session, column: InstrumentedAttribute[str], text: str) -> str:
    """A slug for ``text`` not yet used in ``column``: ``name``, then ``name-2``, ``name-3``, …"""
    base = slugify(text)
    taken = set(session.scalars(select(column).where((column == base) | column.like(f"{base}-%"))))
    if base not in taken:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"
