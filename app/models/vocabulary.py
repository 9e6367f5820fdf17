"""Controlled vocabularies shared by models, schemas and the seed loader."""

from enum import StrEnum


class EntityKind(StrEnum):
    """What an entity is."""

    ORGANIZATION = "organization"
    PERSON = "person"
    PLACE = "place"
    EVENT = "event"


class NameKind(StrEnum):
    """How a name relates to the entity it names."""

    OFFICIAL = "official"
    NATIVE = "native"
    ROMANIZED = "romanized"
    VARIANT = "variant"
    TRANSLATION = "translation"
    ALIAS = "alias"
    ABBREVIATION = "abbreviation"


class RelationshipType(StrEnum):
    """The typed links between entities, read as "subject <type> object"."""

    ALLY = "ally"
    OPPONENT = "opponent"
    LEADER = "leader"  # person leads organization
    MEMBER = "member"
    ALLEGIANCE = "allegiance"  # organization owes allegiance to organization
    AFFILIATE = "affiliate"
    PART_OF = "part_of"
    FOUNDED_BY = "founded_by"
    ABSORBED_INTO = "absorbed_into"
    SPLINTER_OF = "splinter_of"
    PARTICIPANT = "participant"  # entity took part in event
    LOCATED_IN = "located_in"
    HEADQUARTERED_IN = "headquartered_in"
    ACTIVE_IN = "active_in"
    FOUGHT_IN = "fought_in"  # organization fought in a war or conflict


class RelationshipStatus(StrEnum):
    """How far a relationship is accepted: disagreement is data."""

    ASSERTED = "asserted"
    DISPUTED = "disputed"
    DENIED = "denied"
    ENDED = "ended"


class SourceKind(StrEnum):
    """What kind of thing a source is."""

    ARTICLE = "article"
    WEB = "web"
    NEWS = "news"
    REPORT = "report"
    BOOK = "book"
    VIDEO = "video"
    OTHER = "other"
