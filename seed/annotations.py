"""The shape of curated annotations: what a parser cannot judge, each resting on a quoted sentence.

An annotation's ``quote`` is a fragment of one sentence (or infobox line) of the article; the
loader finds that sentence, cites the references whose markers stand on it, and fails, naming the
annotation, when the quote is not in the article. No reference number is ever typed here.
"""

from dataclasses import dataclass, field

from app.models import EntityKind, RelationshipStatus, RelationshipType

SUBJECT = "@subject"  # the group the article is about


@dataclass(frozen=True)
class EntityNote:
    """How to read a name: which entity it means, of what kind, and the names it also goes by."""

    name: str
    kind: EntityKind
    quote: str
    canonical: str | None = None
    aliases: tuple[str, ...] = ()
    description: str | None = None
    place_type: str | None = None
    organization_type: str | None = None
    located_in: str | None = None


@dataclass(frozen=True)
class RelationshipNote:
    """A relationship the prose states, or dates and status for one the infobox lists.

    When the infobox already has a relationship of this type between these two entities,
    the note refines it (its period, status, note) and adds its sentence as a citation.
    """

    quote: str
    subject: str
    type: RelationshipType
    object: str
    status: RelationshipStatus | None = None
    role: str | None = None
    note: str | None = None
    date_text: str | None = None
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class EventNote:
    """An event of the History section: its name, type, date, place and who took part."""

    quote: str
    name: str
    event_type: str
    date_text: str | None = None
    start: str | None = None
    end: str | None = None
    place: str | None = None
    participants: tuple[tuple[str, str], ...] = ()  # (entity name, role)
    description: str | None = None
    also_quotes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Annotations:
    """Everything curated for one article."""

    entities: tuple[EntityNote, ...] = ()
    relationships: tuple[RelationshipNote, ...] = ()
    events: tuple[EventNote, ...] = ()
    subject_description: str | None = None
    organization_type: str | None = None
    skip_generic_events: bool = True
    extra: dict[str, str] = field(default_factory=dict)
