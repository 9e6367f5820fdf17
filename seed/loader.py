"""Import articles of the encyclopedia format: every fact with the citations its markers give.

The importer reads a parsed article (seed/parser.py), optionally guided by curated annotations,
and writes through the same services as the API. One article is one transaction: a failure
part-way leaves the database as it was. Importing the same text twice changes nothing.
"""

import hashlib
import logging
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.dates import DateParseError, find_dates, parse_written
from app.db import begin_write
from app.models import (
    Attribute,
    Citation,
    Entity,
    EntityKind,
    EntityName,
    Event,
    NameKind,
    OperatingPeriod,
    Organization,
    Person,
    Place,
    Relationship,
    RelationshipStatus,
    RelationshipType,
    Source,
    SourceKind,
    SourceReference,
)
from app.names import name_key, name_skeleton
from app.schemas.common import CitationIn, TimeSpanIn
from app.schemas.entities import (
    AttributeIn,
    EntityCreate,
    EventCreate,
    NameIn,
    OrganizationCreate,
    PeriodIn,
    PersonCreate,
    PlaceCreate,
)
from app.schemas.relationships import RelationshipCreate
from app.services import entities as entity_service
from app.services.citations import add_citations
from app.services.relationships import create_relationship
from app.services.slugs import slugify, unique_slug
from seed.annotations import SUBJECT, Annotations, EntityNote, EventNote, RelationshipNote
from seed.parser import (
    Article,
    InfoboxField,
    InfoboxItem,
    Qualifier,
    Reference,
    Sentence,
    parse_article,
    resolve_short_citation,
    work_key,
)

logger = logging.getLogger("seed")

SEED_ARTICLE = Path(__file__).resolve().parent / "article.txt"
LICENSE = "CC BY-SA 4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by-sa/4.0/"
NEAR_MISS_RATIO = 0.85
ABBREVIATION = re.compile(r"\(([A-Z][A-Z0-9-]{1,11})\)")

# Which infobox fields link the group to which kind of entity, and how.
LINK_FIELDS: dict[str, tuple[EntityKind, RelationshipType, bool]] = {
    # key: (kind of the other entity, type, whether the group is the subject)
    "leaders": (EntityKind.PERSON, RelationshipType.LEADER, False),
    "leader": (EntityKind.PERSON, RelationshipType.LEADER, False),
    "founders": (EntityKind.PERSON, RelationshipType.FOUNDED_BY, True),
    "founder": (EntityKind.PERSON, RelationshipType.FOUNDED_BY, True),
    "allegiance": (EntityKind.ORGANIZATION, RelationshipType.ALLEGIANCE, True),
    "part_of": (EntityKind.ORGANIZATION, RelationshipType.PART_OF, True),
    "allies": (EntityKind.ORGANIZATION, RelationshipType.ALLY, True),
    "opponents": (EntityKind.ORGANIZATION, RelationshipType.OPPONENT, True),
    "headquarters": (EntityKind.PLACE, RelationshipType.HEADQUARTERED_IN, True),
    "active_regions": (EntityKind.PLACE, RelationshipType.ACTIVE_IN, True),
    "area_of_operations": (EntityKind.PLACE, RelationshipType.ACTIVE_IN, True),
    "battles_and_wars": (EntityKind.EVENT, RelationshipType.PARTICIPANT, True),
    "originated_as": (EntityKind.ORGANIZATION, RelationshipType.SPLINTER_OF, True),
    "became": (EntityKind.ORGANIZATION, RelationshipType.ABSORBED_INTO, True),
}
PERIOD_FIELDS = {"dates_of_operation", "active"}
ATTRIBUTE_FIELDS = {"ideology", "size", "political_position", "motives", "status"}


class AnnotationError(ValueError):
    """A curated annotation does not fit the article (its quote is not there, say)."""


class ArticleConflict(ValueError):
    """The article was imported before from a different text."""


@dataclass
class ImportReport:
    """What an import did: counts, entity matches, near-misses and lines it could not read."""

    title: str
    skipped: bool = False
    created: Counter[str] = field(default_factory=Counter)
    matches: list[str] = field(default_factory=list)
    near_misses: list[str] = field(default_factory=list)
    uninterpreted: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """A human-readable account of the import."""
        if self.skipped:
            return f"{self.title}: already imported from this text; nothing changed."
        counts = ", ".join(f"{count} {what}" for what, count in sorted(self.created.items()))
        lines = [f"{self.title}: created {counts}."]
        lines += [f"  matched: {match}" for match in self.matches]
        lines += [f"  near-miss left apart: {miss}" for miss in self.near_misses]
        lines += [f"  not interpreted: {line}" for line in self.uninterpreted]
        return "\n".join(lines)


@dataclass(frozen=True)
class Located:
    """Where a fact was read: the sentence or infobox line (the quote) and its markers."""

    quote: str
    markers: tuple[int, ...]


class ArticleImporter:
    """Turns one parsed article into entities, facts and citations inside one session."""

    def __init__(
        self,
        session: Session,
        text: str,
        origin: str,
        annotations: Annotations | None = None,
        publisher: str = "Wikipedia",
    ) -> None:
        self.session = session
        self.text = text
        self.origin = origin
        self.article: Article = parse_article(text)
        self.annotations = annotations or Annotations()
        self.publisher = publisher
        self.report = ImportReport(title=self.article.title)
        self.reference_sources: dict[int, Source] = {}
        self.reference_locators: dict[int, str | None] = {}
        self.entities: dict[tuple[EntityKind, str], Entity] = {}
        self.infobox_links: dict[tuple[int, RelationshipType, int], Relationship] = {}
        self.notes_by_name = {name_key(note.name): note for note in self.annotations.entities}
        self.subject: Organization | None = None
        self.matched: set[tuple[int, str]] = set()
        self.located: set[str] = set()  # sentences some annotation rests on
        self.mentioned: dict[str, Entity] = {}  # every name this import resolved, as written

    # -- entry point -------------------------------------------------------------------------

    def run(self) -> ImportReport:
        """Import the whole article; returns the report (``skipped`` when already imported)."""
        self.report.uninterpreted += [
            f"line {line.line_number}: {line.text!r} ({line.reason})"
            for line in self.article.uninterpreted
        ]
        before = _counts(self.session)
        self.article_source = self._article_source()
        if self.report.skipped:
            return self.report
        self._references()
        self.subject = self._subject()
        for infobox_field in self.article.infobox:
            self._infobox_field(infobox_field)
        self._curated_entities()
        self._curated_relationships()
        self._curated_events()
        self._abbreviations()
        self._generic_events()
        self.session.flush()
        after = _counts(self.session)
        self.report.created.update({what: after[what] - before[what] for what in after})
        return self.report

    # -- sources -----------------------------------------------------------------------------

    def _article_source(self) -> Source:
        digest = hashlib.sha256(self.text.encode()).hexdigest()
        slug = f"{slugify(self.publisher)}-{slugify(self.article.title)}"
        existing = self.session.scalars(select(Source).where(Source.slug == slug)).first()
        if existing is not None:
            if existing.extra.get("sha256") == digest:
                self.report.skipped = True
                return existing
            raise ArticleConflict(
                f"{self.article.title!r} was imported before from a different text "
                f"(source {existing.id}); delete that import before loading this one."
            )
        notice = self.article.license_notice
        source = Source(
            slug=slug,
            kind=SourceKind.ARTICLE,
            title=self.article.title,
            publisher=self.publisher,
            language="en",
            authors=[],
            license=LICENSE,
            license_url=LICENSE_URL,
            attribution=(
                f"Text of the {self.publisher} article {self.article.title!r} by its "
                f"contributors, licensed under {LICENSE}; "
                f"{notice or 'licence notice not given'} Imported from {self.origin}."
            ),
            text=self.text,
            extra={"sha256": digest, "origin": self.origin},
        )
        self.session.add(source)
        self.session.flush()
        return source

    def _references(self) -> None:
        by_work: dict[str, Source] = {}
        for reference in self.article.references:
            locator = None
            work = (
                resolve_short_citation(self.article, reference)
                if reference.short_citation
                else None
            )
            if reference.short_citation is not None:
                locator = reference.short_citation.locator
            key = work_key(reference) if work is None else f"work:{work.key}"
            source = by_work.get(key) or self._find_source(key)
            if source is None:
                source = self._new_source(reference, work)
            by_work[key] = source
            self.session.add(
                SourceReference(
                    article_id=self.article_source.id,
                    number=reference.number,
                    source_id=source.id,
                    locator=locator,
                    text=reference.raw,
                )
            )
            self.reference_sources[reference.number] = source
            self.reference_locators[reference.number] = locator
        self.session.flush()

    def _find_source(self, key: str) -> Source | None:
        # Another article may cite the same work: share its source rather than copy it.
        return self.session.scalars(select(Source).where(Source.slug == _source_slug(key))).first()

    def _new_source(self, reference: Reference, work: Any) -> Source:
        key = work_key(reference) if work is None else f"work:{work.key}"
        short = reference.short_citation
        if work is not None:
            title = work.title or work.raw
            authors = list(work.authors)
            publisher = getattr(work, "publisher", None)
            published = getattr(work, "year", None)
            kind = SourceKind.BOOK
        elif short is not None:
            title = f"{short.author} ({short.year})"
            authors = [short.author]
            publisher = None
            published = short.year
            kind = SourceKind.BOOK
        else:
            title = reference.title or reference.raw
            authors = list(reference.authors)
            publisher = reference.work
            published = reference.published
            kind = _source_kind(reference)
        source = Source(
            slug=_source_slug(key),
            kind=kind,
            title=title[:1000],
            translated_title=None if work or short else reference.translated_title,
            language=None if work or short else reference.language,
            authors=authors,
            publisher=publisher,
            published_text=published,
            published_date=None if work or short else reference.published_date,
            archived_date=None if work or short else reference.archived_date,
            retrieved_date=None if work or short else reference.retrieved_date,
            format=None if work or short else reference.format,
            extra={"work_key": key},
        )
        self.session.add(source)
        self.session.flush()
        return source

    # -- citations ---------------------------------------------------------------------------

    def cite(self, where: Located) -> list[CitationIn]:
        """The citations a quote's markers give; the article itself when it has none."""
        citations = [
            CitationIn(
                source_id=self.reference_sources[number].id,
                reference_number=number,
                locator=self.reference_locators.get(number),
                quote=where.quote,
            )
            for number in dict.fromkeys(where.markers)
            if number in self.reference_sources
        ]
        for number in where.markers:
            if number not in self.reference_sources:
                self.report.uninterpreted.append(
                    f"marker [{number}] in {where.quote!r} names no reference"
                )
        return citations or [CitationIn(source_id=self.article_source.id, quote=where.quote)]

    def locate(self, quote: str, what: str) -> Located:
        """The sentence or infobox line holding ``quote``; an AnnotationError naming ``what``."""
        wanted = _spaces(quote)
        for sentence in self.article.sentences():
            if wanted in _spaces(sentence.text) or wanted in _spaces(sentence.plain):
                self.located.add(sentence.text)
                return Located(sentence.text, sentence.markers)
        for item in _all_items(self.article.infobox):
            if wanted in _spaces(item.line):
                return Located(item.line, item.markers)
        raise AnnotationError(f"{what}: the quote {quote!r} is not in the article")

    # -- entities ----------------------------------------------------------------------------

    def _subject(self) -> Organization:
        names = self.article.names
        lead = self.article.lead
        first = lead.sentences[0] if lead and lead.sentences else None
        where = Located(first.text, first.markers) if first else Located(self.article.title, ())
        citations = self.cite(where)
        name_rows: list[NameIn] = []

        def add(name: str | None, kind: NameKind, language: str | None, script: str | None) -> None:
            if name and all(existing.name != name for existing in name_rows):
                name_rows.append(
                    NameIn(
                        name=name, kind=kind, language=language, script=script, citations=citations
                    )
                )

        add(names.title, NameKind.OFFICIAL, "en", "Latn")
        for variant in names.bold_names:
            add(variant, NameKind.VARIANT, "en", "Latn")
        add(names.infobox_name, NameKind.VARIANT, "en", "Latn")
        native_language = names.native_language
        add(names.native, NameKind.NATIVE, native_language, _script_of(names.native))
        add(
            names.infobox_native_name,
            NameKind.NATIVE,
            native_language,
            _script_of(names.infobox_native_name),
        )
        add(
            names.romanized,
            NameKind.ROMANIZED,
            f"{native_language}-Latn" if native_language else None,
            "Latn",
        )
        add(names.literal, NameKind.TRANSLATION, "en", "Latn")

        existing = self._match(
            names.title, EntityKind.ORGANIZATION, also=[n.name for n in name_rows]
        )
        if isinstance(existing, Organization):
            known = {
                n.key
                for n in self.session.scalars(
                    select(EntityName).where(EntityName.entity_id == existing.id)
                )
            }
            entity_service.add_names(
                self.session, existing.id, [n for n in name_rows if name_key(n.name) not in known]
            )
            return existing
        payload = OrganizationCreate(
            name=names.title,
            slug=unique_slug(self.session, Entity.slug, names.title),
            description=self.annotations.subject_description or (first.plain if first else None),
            organization_type=self.annotations.organization_type,
            names=name_rows,
            citations=citations,
        )
        organization = entity_service.create_entity(self.session, EntityKind.ORGANIZATION, payload)
        assert isinstance(organization, Organization)
        self._remember(organization, [n.name for n in name_rows])
        return organization

    def entity(self, name: str, kind: EntityKind, where: Located) -> Entity:
        """The entity a mention means: curated, already imported, or new (cited to ``where``)."""
        if name == SUBJECT:
            assert self.subject is not None
            return self.subject
        note = self.notes_by_name.get(name_key(name))
        if note is not None:
            kind = note.kind
            display = note.canonical or note.name
            aliases = [a for a in (note.name, *note.aliases) if a != display]
        else:
            display, aliases = name, []
        cached = self.entities.get((kind, name_key(display)))
        if cached is not None:
            return cached
        found = self._match(display, kind, also=aliases)
        if found is not None:
            self._remember(found, [display, *aliases])
            return found
        if note is not None:
            where = self.locate(note.quote, f"entity note for {note.name!r}")
        citations = self.cite(where)
        names = [NameIn(name=alias, kind=NameKind.ALIAS, citations=citations) for alias in aliases]
        payload = self._payload(kind, display, names, citations, note)
        entity = entity_service.create_entity(self.session, kind, payload)
        self._remember(entity, [display, *aliases])
        if note is not None and note.located_in:
            container = self.entity(note.located_in, EntityKind.PLACE, where)
            self._link(entity, RelationshipType.LOCATED_IN, container, where)
        return entity

    def _payload(
        self,
        kind: EntityKind,
        name: str,
        names: list[NameIn],
        citations: list[CitationIn],
        note: EntityNote | None,
    ) -> EntityCreate:
        slug = unique_slug(self.session, Entity.slug, name)
        common: dict[str, Any] = {
            "name": name,
            "slug": slug,
            "names": names,
            "citations": citations,
            "description": note.description if note else None,
        }
        if kind is EntityKind.ORGANIZATION:
            return OrganizationCreate(
                **common, organization_type=note.organization_type if note else None
            )
        if kind is EntityKind.PLACE:
            return PlaceCreate(**common, place_type=note.place_type if note else None)
        if kind is EntityKind.EVENT:
            return EventCreate(**common)
        return PersonCreate(**common)

    def _match(self, name: str, kind: EntityKind, also: Sequence[str] = ()) -> Entity | None:
        """An entity of this kind already known by one of these names, exactly or transliterated."""
        candidates = [name, *also]
        keys = {name_key(candidate) for candidate in candidates} - {""}
        skeletons = {name_skeleton(candidate) for candidate in candidates} - {""}
        rows = self.session.execute(
            select(Entity, EntityName.name, EntityName.key)
            .join(EntityName, EntityName.entity_id == Entity.id)
            .where(Entity.kind == kind)
            .where(EntityName.key.in_(keys) | EntityName.skeleton.in_(skeletons))
            .order_by(Entity.id)
        ).all()
        for entity, known_name, key in rows:
            how = "same name" if key in keys else "transliteration"
            if (entity.id, name) not in self.matched:
                self.report.matches.append(
                    f"{name!r} → existing {kind.value} #{entity.id} {entity.name!r} "
                    f"({how}: {known_name!r})"
                )
                self.matched.add((entity.id, name))
            return entity
        self._near_misses(name, kind, keys)
        return None

    def _near_misses(self, name: str, kind: EntityKind, keys: set[str]) -> None:
        key = name_key(name)
        if not key:
            return
        tokens = key.split()
        longest = max(tokens, key=len)
        rows = self.session.execute(
            select(Entity.id, Entity.name, EntityName.name, EntityName.key)
            .join(EntityName, EntityName.entity_id == Entity.id)
            .where(Entity.kind == kind, EntityName.key.contains(longest[:4], autoescape=True))
            .limit(200)
        )
        for entity_id, entity_name, known, known_key in rows:
            ratio = SequenceMatcher(None, key, known_key).ratio()
            if known_key not in keys and ratio >= NEAR_MISS_RATIO:
                self.report.near_misses.append(
                    f"{name!r} resembles {kind.value} #{entity_id} {entity_name!r} "
                    f"(as {known!r}, similarity {ratio:.2f}); kept apart"
                )
                return

    def _remember(self, entity: Entity, names: Iterable[str]) -> None:
        for name in names:
            self.entities[(entity.kind, name_key(name))] = entity
            self.mentioned[name] = entity

    def _abbreviations(self) -> None:
        """Learn "Full Name (ABBR)" from the prose, so another article's "ABBR" finds the entity."""
        for sentence in self.article.sentences():
            for match in ABBREVIATION.finditer(sentence.plain):
                abbreviation = match.group(1)
                for name, entity in list(self.mentioned.items()):
                    if f"{name} ({abbreviation})" not in sentence.plain:
                        continue
                    known = self.session.scalars(
                        select(EntityName.key).where(EntityName.entity_id == entity.id)
                    ).all()
                    if name_key(abbreviation) not in known:
                        entity_service.add_names(
                            self.session,
                            entity.id,
                            [
                                NameIn(
                                    name=abbreviation,
                                    kind=NameKind.ABBREVIATION,
                                    citations=self.cite(Located(sentence.text, sentence.markers)),
                                )
                            ],
                        )
                    self._remember(entity, [abbreviation])

    # -- infobox -----------------------------------------------------------------------------

    def _infobox_field(self, infobox_field: InfoboxField) -> None:
        key = infobox_field.key
        if key in PERIOD_FIELDS:
            for item in infobox_field.items:
                self._period(item)
        elif key in ATTRIBUTE_FIELDS:
            for item in infobox_field.items:
                self._attribute(key, item)
        elif key in LINK_FIELDS:
            kind, type_, subject_first = LINK_FIELDS[key]
            for item in infobox_field.items:
                self._link_item(item, kind, type_, subject_first, parent=None)
        else:
            self.report.uninterpreted.append(
                f"line {infobox_field.line_number}: infobox field {infobox_field.label!r} "
                "has no import rule"
            )

    def _period(self, item: InfoboxItem) -> None:
        assert self.subject is not None
        where = Located(item.line, item.markers)
        span = self._span(item.text, where)
        if span is None:
            return
        label = next((q.raw for q in item.qualifiers if q.kind == "role"), None)
        entity_service.add_periods(
            self.session,
            self.subject.id,
            [PeriodIn(label=label, period=span, citations=self.cite(where))],
        )

    def _attribute(self, key: str, item: InfoboxItem) -> None:
        assert self.subject is not None
        where = Located(item.line, item.markers)
        dated = next((q for q in item.qualifiers if q.kind == "date"), None)
        span = self._span(dated.value or dated.raw, where) if dated else None
        number = re.fullmatch(r"[~c. ]*([\d,]+)\+?", item.text.strip())
        attribute = AttributeIn(
            name=key,
            value=item.text,
            value_number=int(number.group(1).replace(",", "")) if number else None,
            period=span,
            note="; ".join(q.raw for q in item.qualifiers if q.kind != "date") or None,
            citations=self.cite(where),
        )
        entity_service.add_attributes(self.session, self.subject.id, [attribute])

    def _link_item(
        self,
        item: InfoboxItem,
        kind: EntityKind,
        type_: RelationshipType,
        subject_first: bool,
        parent: Entity | None,
    ) -> None:
        assert self.subject is not None
        where = Located(item.line, item.markers)
        names = [item.text] if kind is not EntityKind.PLACE else [item.text.split(",")[0].strip()]
        other = self.entity(names[0], kind, where)
        if kind is EntityKind.PLACE:
            self._place_chain(other, item.text, where)
        status, note, span, role = self._qualify(item.qualifiers, where)
        subject, object_ = (self.subject, other) if subject_first else (other, self.subject)
        relationship = self._link(
            subject, type_, object_, where, status=status, note=note, period=span, role=role
        )
        self.infobox_links[(subject.id, type_, object_.id)] = relationship
        affiliation = next((q for q in item.qualifiers if q.kind == "affiliation"), None)
        if parent is not None or (affiliation and affiliation.value):
            owner = parent or self.entity(affiliation.value or "", kind, where)  # type: ignore[union-attr]
            if owner.id != other.id:
                self._link(
                    other,
                    RelationshipType.AFFILIATE,
                    owner,
                    where,
                    role=affiliation.raw if affiliation else None,
                )
        for child in item.children:
            self._link_item(child, kind, type_, subject_first, parent=other)

    def _qualify(
        self, qualifiers: Sequence[Qualifier], where: Located
    ) -> tuple[RelationshipStatus, str | None, TimeSpanIn | None, str | None]:
        status = RelationshipStatus.ASSERTED
        notes: list[str] = []
        span: TimeSpanIn | None = None
        role: str | None = None
        for qualifier in qualifiers:
            if qualifier.kind == "formerly":
                status = RelationshipStatus.ENDED
                notes.append(f"formerly ({qualifier.raw})")
            elif qualifier.kind == "denied":
                status = RelationshipStatus.DISPUTED
                notes.append(qualifier.raw)
            elif qualifier.kind == "date":
                span = self._span(qualifier.value or qualifier.raw, where)
            elif qualifier.kind == "role":
                role = qualifier.raw
            elif qualifier.kind == "note":
                notes.append(qualifier.raw)
        return status, "; ".join(notes) or None, span, role

    def _place_chain(self, place: Entity, text: str, where: Located) -> None:
        parts = [part.strip() for part in text.split(",") if part.strip()]
        inner = place
        for container_name in parts[1:]:
            container = self.entity(container_name, EntityKind.PLACE, where)
            self._link(inner, RelationshipType.LOCATED_IN, container, where)
            inner = container

    def _link(
        self,
        subject: Entity,
        type_: RelationshipType,
        object_: Entity,
        where: Located,
        *,
        status: RelationshipStatus = RelationshipStatus.ASSERTED,
        note: str | None = None,
        period: TimeSpanIn | None = None,
        role: str | None = None,
    ) -> Relationship:
        """A relationship, or the existing identical one with this citation added."""
        if subject.id == object_.id:
            raise AnnotationError(f"{subject.name!r} cannot be {type_.value} of itself")
        existing = self.session.scalars(
            select(Relationship).where(
                Relationship.subject_id == subject.id,
                Relationship.type == type_,
                Relationship.object_id == object_.id,
                Relationship.role.is_(None) if role is None else Relationship.role == role,
            )
        ).first()
        if existing is not None and period is None and existing.status == status:
            self._add_citations("relationship_id", existing.id, where)
            return existing
        relationship = create_relationship(
            self.session,
            RelationshipCreate(
                subject=subject.id,
                object=object_.id,
                type=type_,
                status=status,
                role=role,
                note=note,
                period=period,
                citations=self.cite(where),
            ),
        )
        return relationship

    def _add_citations(self, column: Any, fact_id: int, where: Located) -> None:
        citations = self.cite(where)
        add_citations(self.session, column, fact_id, citations)

    def _span(
        self, text: str, where: Located, default_year: int | None = None
    ) -> TimeSpanIn | None:
        try:
            parse_written(text, default_year=default_year)
        except DateParseError:
            self.report.uninterpreted.append(f"date {text!r} in {where.quote!r} not understood")
            return None
        return TimeSpanIn(text=text)

    # -- curated layer -----------------------------------------------------------------------

    def _curated_entities(self) -> None:
        for note in self.annotations.entities:
            where = self.locate(note.quote, f"entity note for {note.name!r}")
            self.entity(note.name, note.kind, where)

    def _curated_relationships(self) -> None:
        for note in self.annotations.relationships:
            what = f"relationship note {note.subject!r} {note.type.value} {note.object!r}"
            where = self.locate(note.quote, what)
            subject = self._named(note.subject, where)
            object_ = self._named(note.object, where)
            span = _note_span(note)
            listed = self.infobox_links.get((subject.id, note.type, object_.id))
            if listed is not None:
                self._refine(listed, note, span, where)
                continue
            self._link(
                subject,
                note.type,
                object_,
                where,
                status=note.status or RelationshipStatus.ASSERTED,
                note=note.note,
                period=span,
                role=note.role,
            )

    def _refine(
        self,
        relationship: Relationship,
        note: RelationshipNote,
        span: TimeSpanIn | None,
        where: Located,
    ) -> None:
        """Date or qualify a relationship the infobox lists, citing the sentence that says so."""
        if span is not None:
            stored = span.to_span()
            if relationship.date_text:
                stored_text = f"{relationship.date_text}; {stored.text}" if stored.text else None
            else:
                stored_text = stored.text
            relationship.date_text = stored_text
            for column in ("start_edtf", "start_lower", "start_upper"):
                if getattr(stored, column) is not None:
                    setattr(relationship, column, getattr(stored, column))
            for column in ("end_edtf", "end_lower", "end_upper"):
                if getattr(stored, column) is not None:
                    setattr(relationship, column, getattr(stored, column))
        if note.status is not None:
            relationship.status = note.status
        if note.note:
            relationship.note = "; ".join(filter(None, [relationship.note, note.note]))
        self._add_citations("relationship_id", relationship.id, where)

    def _named(self, name: str, where: Located) -> Entity:
        note = self.notes_by_name.get(name_key(name))
        kind = note.kind if note else EntityKind.ORGANIZATION
        return self.entity(name, kind, where)

    def _curated_events(self) -> None:
        for note in self.annotations.events:
            self._event(note, self.locate(note.quote, f"event note {note.name!r}"))

    def _event(self, note: EventNote, where: Located) -> None:
        citations = self.cite(where)
        for extra in note.also_quotes:
            more = self.locate(extra, f"event note {note.name!r}")
            citations += self.cite(more)
        span = _note_span(note)
        place = self.entity(note.place, EntityKind.PLACE, where) if note.place else None
        payload = EventCreate(
            name=note.name,
            slug=unique_slug(self.session, Entity.slug, note.name),
            event_type=note.event_type,
            description=note.description,
            date=span,
            place=place.id if place else None,
            citations=citations,
        )
        event = entity_service.create_entity(self.session, EntityKind.EVENT, payload)
        for name, role in note.participants:
            participant = self._named(name, where)
            self._link(participant, RelationshipType.PARTICIPANT, event, where, role=role)

    def _generic_events(self) -> None:
        """Each dated sentence of the prose no annotation covers becomes an event of the group."""
        assert self.subject is not None
        year: int | None = None
        section = None
        for sentence in self.article.sentences():
            if sentence.section != section:
                section, year = sentence.section, None
            if sentence.section in {"", "Lead"} or sentence.paragraph < 0:
                continue
            dates = find_dates(sentence.plain, default_year=year)
            if not dates:
                continue
            first_text, first_span = dates[0]
            if first_span.start_lower is not None:
                year = first_span.start_lower.year
            if sentence.text in self.located:
                continue
            if self.annotations.events and self.annotations.skip_generic_events:
                self.report.uninterpreted.append(
                    f"dated sentence no event annotation covers: {sentence.text!r}"
                )
                continue
            self._generic_event(sentence, first_text, year)

    def _generic_event(self, sentence: Sentence, date_text: str, year: int | None) -> None:
        assert self.subject is not None
        where = Located(sentence.text, sentence.markers)
        span = self._span(date_text, where, default_year=year)
        name = _event_name(sentence.plain)
        payload = EventCreate(
            name=name,
            slug=unique_slug(self.session, Entity.slug, name),
            event_type="reported event",
            description=sentence.plain,
            date=span,
            citations=self.cite(where),
        )
        event = entity_service.create_entity(self.session, EntityKind.EVENT, payload)
        self._link(self.subject, RelationshipType.PARTICIPANT, event, where)


COUNTED: dict[str, Any] = {
    "organizations": Organization,
    "people": Person,
    "places": Place,
    "events": Event,
    "names": EntityName,
    "operating periods": OperatingPeriod,
    "attributes": Attribute,
    "relationships": Relationship,
    "sources": Source,
    "references": SourceReference,
    "citations": Citation,
}


def _counts(session: Session) -> dict[str, int]:
    """Rows of each kind, so the report says exactly what an import added."""
    return {
        what: session.scalar(select(func.count()).select_from(model)) or 0
        for what, model in COUNTED.items()
    }


def _spaces(text: str) -> str:
    # Infobox lines separate label and value with a no-break space; quotes are typed with spaces.
    return " ".join(text.split())


def _all_items(fields: Iterable[InfoboxField]) -> Iterable[InfoboxItem]:
    def walk(items: Iterable[InfoboxItem]) -> Iterable[InfoboxItem]:
        for item in items:
            yield item
            yield from walk(item.children)

    for infobox_field in fields:
        yield from walk(infobox_field.items)


def _note_span(note: RelationshipNote | EventNote) -> TimeSpanIn | None:
    if note.date_text is None and note.start is None and note.end is None:
        return None
    return TimeSpanIn(text=note.date_text, start=note.start, end=note.end)


def _source_slug(key: str) -> str:
    return "ref-" + slugify(key, max_length=60) + "-" + hashlib.sha1(key.encode()).hexdigest()[:8]


def _source_kind(reference: Reference) -> SourceKind:
    if reference.format and reference.format.upper() == "PDF":
        return SourceKind.REPORT
    if reference.work and "youtube" in reference.work.lower():
        return SourceKind.VIDEO
    return SourceKind.NEWS if reference.published_date else SourceKind.WEB


def _script_of(text: str | None) -> str | None:
    if not text:
        return None
    if any("\u0600" <= char <= "\u06ff" for char in text):
        return "Arab"
    if any("\u0400" <= char <= "\u04ff" for char in text):
        return "Cyrl"
    return "Latn"


def _plural(kind: EntityKind) -> str:
    return {
        "organization": "organizations",
        "person": "people",
        "place": "places",
        "event": "events",
    }[kind.value]


def _event_name(plain: str, limit: int = 90) -> str:
    text = plain.rstrip(".")
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def import_text(
    session: Session, text: str, origin: str, annotations: Annotations | None = None
) -> ImportReport:
    """Import one article's text inside the caller's transaction."""
    return ArticleImporter(session, text, origin, annotations).run()


def load_into(
    factory: sessionmaker[Session], text: str, origin: str, annotations: Annotations | None = None
) -> ImportReport:
    """Import one article in a transaction of its own: all of it, or nothing."""
    with factory() as session:
        begin_write(session)
        try:
            report = import_text(session, text, origin, annotations)
            session.commit()
        except BaseException:
            session.rollback()
            raise
    return report


def load_seed(factory: sessionmaker[Session]) -> int:
    """Load the seed article with its curated annotations; prints a summary; 0 on success."""
    from seed.curated import ANNOTATIONS

    report = load_into(
        factory,
        SEED_ARTICLE.read_text(encoding="utf-8"),
        "shared/seeds/000_a61b2647d8e311c0.txt",
        ANNOTATIONS,
    )
    print(report.summary())
    return 0


def import_articles(factory: sessionmaker[Session], paths: Sequence[str]) -> int:
    """Import other articles of the format, each atomically; prints what each did."""
    for path in paths:
        report = load_into(factory, Path(path).read_text(encoding="utf-8"), str(path))
        print(report.summary())
    return 0
