"""Every model, imported here so that the metadata is complete for Alembic and the services."""

from app.models.base import Base
from app.models.entities import Entity, Event, Organization, Person, Place
from app.models.facts import Attribute, EntityName, OperatingPeriod, Relationship
from app.models.history import Revision
from app.models.security import ApiKey
from app.models.sources import Citation, Source, SourceReference
from app.models.vocabulary import (
    EntityKind,
    NameKind,
    RelationshipStatus,
    RelationshipType,
    SourceKind,
)

__all__ = [
    "ApiKey",
    "Attribute",
    "Base",
    "Citation",
    "Entity",
    "EntityKind",
    "EntityName",
    "Event",
    "NameKind",
    "OperatingPeriod",
    "Organization",
    "Person",
    "Place",
    "Relationship",
    "RelationshipStatus",
    "RelationshipType",
    "Revision",
    "Source",
    "SourceKind",
    "SourceReference",
]
