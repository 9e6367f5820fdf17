"""Timelines: an entity's events and the starts and ends of its relationships, in date order."""

from datetime import date

from sqlalchemy.orm import Session

from app.models import Entity
from app.schemas.common import EntitySummary, TimeSpanRead
from app.schemas.entities import EntityRead, OrganizationRead
from app.schemas.timeline import Moment, MomentDate, Timeline
from app.services.entities import build_profile


def build_timeline(session: Session, entity: Entity) -> Timeline:
    """The entity's timeline, read off its profile so both always agree."""
    profile = build_profile(session, entity)
    moments: list[Moment] = []
    undated: list[Moment] = []
    for event in profile.events:
        summary = EntitySummary(id=event.id, kind="event", slug=event.slug, name=event.name)
        moment = Moment(
            kind="event",
            date=_start(event.date),
            title=event.name,
            event=summary,
            citations=event.citations,
        )
        (moments if event.date else undated).append(moment)
    for link in profile.relationships:
        label = f"{link.type.value.replace('_', ' ').capitalize()}: {link.other.name}"
        common = {
            "relationship_id": link.id,
            "relationship_type": link.type,
            "other": link.other,
            "citations": link.citations,
        }
        if link.period is None:
            undated.append(
                Moment(kind="relationship_start", date=_start(None), title=label, **common)
            )
            continue
        if link.period.start is not None:
            moments.append(
                Moment(
                    kind="relationship_start",
                    date=_start(link.period),
                    title=f"{label} (start)",
                    **common,
                )
            )
        if link.period.end not in (None, ".."):
            moments.append(
                Moment(
                    kind="relationship_end",
                    date=_end(link.period),
                    title=f"{label} (end)",
                    **common,
                )
            )
    moments += _periods(profile)
    moments.sort(key=_order)
    return Timeline(
        entity=EntitySummary(id=entity.id, kind=entity.kind, slug=entity.slug, name=entity.name),
        moments=moments,
        undated=undated,
    )


def _periods(profile: EntityRead) -> list[Moment]:
    if not isinstance(profile, OrganizationRead):
        return []
    moments = []
    for period in profile.periods:
        if period.period is None:
            continue
        label = f"Operating period{f' ({period.label})' if period.label else ''}"
        moments.append(
            Moment(
                kind="period_start",
                date=_start(period.period),
                title=f"{label} begins",
                period_id=period.id,
                citations=period.citations,
            )
        )
        if period.period.end not in (None, ".."):
            moments.append(
                Moment(
                    kind="period_end",
                    date=_end(period.period),
                    title=f"{label} ends",
                    period_id=period.id,
                    citations=period.citations,
                )
            )
    return moments


def _start(span: TimeSpanRead | None) -> MomentDate:
    if span is None:
        return MomentDate(text=None, edtf=None, lower=None, upper=None)
    return MomentDate(
        text=span.text, edtf=span.start, lower=span.start_lower, upper=span.start_upper
    )


def _end(span: TimeSpanRead) -> MomentDate:
    upper = None if span.end_upper == date.max else span.end_upper
    return MomentDate(text=span.text, edtf=span.end, lower=span.end_lower, upper=upper)


def _order(moment: Moment) -> tuple[date, date, str]:
    return (moment.date.lower or date.min, moment.date.upper or date.max, moment.title)
