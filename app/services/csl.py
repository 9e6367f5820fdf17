"""Sources as CSL-JSON, the citation format of Zotero, Pandoc and citeproc."""

import re
from datetime import date
from typing import Any

from app.models import SourceKind
from app.schemas.sources import SourceRead

CSL_MEDIA_TYPE = "application/vnd.citationstyles.csl+json"
CSL_TYPES = {
    SourceKind.ARTICLE: "entry-encyclopedia",
    SourceKind.WEB: "webpage",
    SourceKind.NEWS: "article-newspaper",
    SourceKind.REPORT: "report",
    SourceKind.BOOK: "book",
    SourceKind.VIDEO: "motion_picture",
    SourceKind.OTHER: "document",
}


def _date(day: date | None, text: str | None = None) -> dict[str, Any] | None:
    if day is not None:
        return {"date-parts": [[day.year, day.month, day.day]]}
    year = re.search(r"\b(1[5-9]|20)\d\d\b", text or "")
    return {"date-parts": [[int(year.group(0))]]} if year else None


def _author(name: str) -> dict[str, str]:
    parts = name.rsplit(" ", 1)
    if len(parts) == 2 and name.isascii():
        return {"given": parts[0], "family": parts[1]}
    return {"literal": name}


def to_csl(source: SourceRead) -> dict[str, Any]:
    """One source as a CSL-JSON item."""
    item: dict[str, Any] = {
        "id": source.slug,
        "type": CSL_TYPES.get(source.kind, "document"),
        "title": source.title,
    }
    optional = {
        "author": [_author(name) for name in source.authors] or None,
        "container-title": source.publisher if source.kind is not SourceKind.BOOK else None,
        "publisher": source.publisher if source.kind is SourceKind.BOOK else None,
        "issued": _date(source.published_date, source.published_text),
        "accessed": _date(source.retrieved_date),
        "URL": source.url,
        "language": source.language,
        "medium": source.format,
        "note": "; ".join(
            filter(
                None,
                [
                    f"Translated title: {source.translated_title}"
                    if source.translated_title
                    else None,
                    f"Archived {source.archived_date.isoformat()}"
                    if source.archived_date
                    else None,
                    source.archive_url,
                    f"Licence: {source.license}" if source.license else None,
                ],
            )
        )
        or None,
    }
    item.update({key: value for key, value in optional.items() if value})
    return item
