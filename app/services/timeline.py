"""Timelines: an entity's events and the starts and ends of its relationships, in date order.

Built, like the profile it is read off, as plain data in the JSON shape of ``Timeline``.
"""

from datetime import date

from sqlalchemy.orm import Session

from app.models import Entity, EntityKind, RelationshipType
from app.schemas.timeline import MomentKind
from app.services.citations import Body, cited
from app.services.entities import entity_summary, profile_body


def build_timeline(session: Session, entity: Entity) -> Body:
    """The entity's timeline, read off its profile so both always agree."""
    profile = profile_body(session, entity)
    moments: list[Body] = []
    undated: list[Body] = []
    for event in profile["events"]:
        (moments if event["date"] else undated).append(_event_moment(event))
    for link in profile["relationships"]:
        (moments if link["period"] else undated).extend(_relationship_moments(link))
    for period in profile.get("periods", []):
        moments += _period_moments(period)
    moments.sort(key=_order)
    summary = entity_summary(entity.id, entity.kind, entity.slug, entity.name)
    return {"entity": summary, "moments": moments, "undated": undated}


def _event_moment(event: Body) -> Body:
    """An event the entity took part in."""
    summary = entity_summary(event["id"], EntityKind.EVENT, event["slug"], event["name"])
    return _moment(event["citations"], "event", _start(event["date"]), event["name"], event=summary)


def _relationship_moments(link: Body) -> list[Body]:
    """The start and end of a dated relationship; one undated moment for an undated one."""
    relationship_type: RelationshipType = link["type"]
    label = f"{relationship_type.value.replace('_', ' ').capitalize()}: {link['other']['name']}"
    period = link["period"]

    def moment(kind: MomentKind, when: Body, title: str) -> Body:
        return _moment(
            link["citations"],
            kind,
            when,
            title,
            relationship_id=link["id"],
            relationship_type=relationship_type,
            other=link["other"],
        )

    if period is None:
        return [moment("relationship_start", _start(None), label)]
    moments = []
    if period["start"] is not None:
        moments.append(moment("relationship_start", _start(period), f"{label} (start)"))
    if period["end"] not in (None, ".."):
        moments.append(moment("relationship_end", _end(period), f"{label} (end)"))
    return moments


def _period_moments(period: Body) -> list[Body]:
    """The start and end of an organization's dated operating period."""
    span = period["period"]
    if span is None:
        return []
    label = "Operating period" + (f" ({period['label']})" if period["label"] else "")
    moments = [
        _moment(
            period["citations"],
            "period_start",
            _start(span),
            f"{label} begins",
            period_id=period["id"],
        )
    ]
    if span["end"] not in (None, ".."):
        moments.append(
            _moment(
                period["citations"],
                "period_end",
                _end(span),
                f"{label} ends",
                period_id=period["id"],
            )
        )
    return moments


def _moment(
    citations: list[Body],
    kind: MomentKind,
    when: Body,
    title: str,
    *,
    event: Body | None = None,
    relationship_id: int | None = None,
    relationship_type: RelationshipType | None = None,
    other: Body | None = None,
    period_id: int | None = None,
) -> Body:
    """A moment as Moment writes it."""
    return cited(
        citations,
        {
            "kind": kind,
            "date": when,
            "title": title,
            "event": event,
            "relationship_id": relationship_id,
            "relationship_type": relationship_type,
            "other": other,
            "period_id": period_id,
        },
    )


def _start(span: Body | None) -> Body:
    """When a fact began, as MomentDate writes it."""
    if span is None:
        return {"text": None, "edtf": None, "lower": None, "upper": None}
    return {
        "text": span["text"],
        "edtf": span["start"],
        "lower": span["start_lower"],
        "upper": span["start_upper"],
    }


def _end(span: Body) -> Body:
    """When a fact ended, as MomentDate writes it (an open end has no latest day)."""
    upper = None if span["end_upper"] == date.max else span["end_upper"]
    return {"text": span["text"], "edtf": span["end"], "lower": span["end_lower"], "upper": upper}


def _order(moment: Body) -> tuple[date, date, str]:
    when = moment["date"]
    return (when["lower"] or date.min, when["upper"] or date.max, moment["title"])
