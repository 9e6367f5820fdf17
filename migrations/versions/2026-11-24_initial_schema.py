"""Initial schema: entities and their kinds, names, periods, relationships, attributes, sources
and the citations that tie each fact to a source.

Revision ID: 0001
Revises:
Create Date: 2026-11-24 23:55:01.267541+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "entities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "organization",
                "person",
                "place",
                "event",
                name="entity_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entities")),
        sa.UniqueConstraint("slug", name=op.f("uq_entities_slug")),
    )
    op.create_index(op.f("ix_entities_kind"), "entities", ["kind"], unique=False)
    op.create_index(op.f("ix_entities_name"), "entities", ["name"], unique=False)
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "article",
                "web",
                "news",
                "report",
                "book",
                "video",
                "other",
                name="source_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=1000), nullable=False),
        sa.Column("translated_title", sa.String(length=1000), nullable=True),
        sa.Column("language", sa.String(length=35), nullable=True),
        sa.Column("authors", sa.JSON(), nullable=False),
        sa.Column("publisher", sa.String(length=500), nullable=True),
        sa.Column("published_text", sa.String(length=100), nullable=True),
        sa.Column("published_date", sa.Date(), nullable=True),
        sa.Column("archived_date", sa.Date(), nullable=True),
        sa.Column("retrieved_date", sa.Date(), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("archive_url", sa.String(length=2000), nullable=True),
        sa.Column("format", sa.String(length=50), nullable=True),
        sa.Column("license", sa.String(length=200), nullable=True),
        sa.Column("license_url", sa.String(length=2000), nullable=True),
        sa.Column("attribution", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
        sa.UniqueConstraint("slug", name=op.f("uq_sources_slug")),
    )
    op.create_table(
        "attributes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("value", sa.String(length=1000), nullable=False),
        sa.Column("value_number", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("date_text", sa.String(length=200), nullable=True),
        sa.Column("start_edtf", sa.String(length=100), nullable=True),
        sa.Column("end_edtf", sa.String(length=100), nullable=True),
        sa.Column("start_lower", sa.Date(), nullable=True),
        sa.Column("start_upper", sa.Date(), nullable=True),
        sa.Column("end_lower", sa.Date(), nullable=True),
        sa.Column("end_upper", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_attributes_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attributes")),
    )
    op.create_index(op.f("ix_attributes_entity_id"), "attributes", ["entity_id"], unique=False)
    op.create_index(op.f("ix_attributes_name"), "attributes", ["name"], unique=False)
    op.create_table(
        "entity_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=True),
        sa.Column("script", sa.String(length=4), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "official",
                "native",
                "romanized",
                "variant",
                "translation",
                "alias",
                "abbreviation",
                name="name_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("key", sa.String(length=500), nullable=False),
        sa.Column("skeleton", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_entity_names_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_names")),
    )
    op.create_index(op.f("ix_entity_names_entity_id"), "entity_names", ["entity_id"], unique=False)
    op.create_index(op.f("ix_entity_names_key"), "entity_names", ["key"], unique=False)
    op.create_index(op.f("ix_entity_names_name"), "entity_names", ["name"], unique=False)
    op.create_index(op.f("ix_entity_names_skeleton"), "entity_names", ["skeleton"], unique=False)
    op.create_table(
        "organizations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_type", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["id"], ["entities.id"], name=op.f("fk_organizations_id_entities"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["id"], ["entities.id"], name=op.f("fk_people_id_entities"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
    )
    op.create_table(
        "places",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("place_type", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["id"], ["entities.id"], name=op.f("fk_places_id_entities"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_places")),
    )
    op.create_table(
        "relationships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column(
            "type",
            sa.Enum(
                "ally",
                "opponent",
                "leader",
                "member",
                "allegiance",
                "affiliate",
                "part_of",
                "founded_by",
                "absorbed_into",
                "splinter_of",
                "participant",
                "located_in",
                "headquartered_in",
                "active_in",
                "fought_in",
                name="relationship_type",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "asserted",
                "disputed",
                "denied",
                "ended",
                name="relationship_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("role", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("date_text", sa.String(length=200), nullable=True),
        sa.Column("start_edtf", sa.String(length=100), nullable=True),
        sa.Column("end_edtf", sa.String(length=100), nullable=True),
        sa.Column("start_lower", sa.Date(), nullable=True),
        sa.Column("start_upper", sa.Date(), nullable=True),
        sa.Column("end_lower", sa.Date(), nullable=True),
        sa.Column("end_upper", sa.Date(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint("subject_id <> object_id", name=op.f("ck_relationships_not_self")),
        sa.ForeignKeyConstraint(
            ["object_id"],
            ["entities.id"],
            name=op.f("fk_relationships_object_id_entities"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["entities.id"],
            name=op.f("fk_relationships_subject_id_entities"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relationships")),
    )
    op.create_index(
        "ix_relationships_object_type", "relationships", ["object_id", "type"], unique=False
    )
    op.create_index("ix_relationships_start_lower", "relationships", ["start_lower"], unique=False)
    op.create_index(
        "ix_relationships_subject_type", "relationships", ["subject_id", "type"], unique=False
    )
    op.create_table(
        "source_references",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("locator", sa.String(length=200), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["sources.id"],
            name=op.f("fk_source_references_article_id_sources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_source_references_source_id_sources"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_references")),
        sa.UniqueConstraint(
            "article_id", "number", name=op.f("uq_source_references_article_id_number")
        ),
    )
    op.create_index(
        op.f("ix_source_references_source_id"), "source_references", ["source_id"], unique=False
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=True),
        sa.Column("place_id", sa.Integer(), nullable=True),
        sa.Column("date_text", sa.String(length=200), nullable=True),
        sa.Column("start_edtf", sa.String(length=100), nullable=True),
        sa.Column("end_edtf", sa.String(length=100), nullable=True),
        sa.Column("start_lower", sa.Date(), nullable=True),
        sa.Column("start_upper", sa.Date(), nullable=True),
        sa.Column("end_lower", sa.Date(), nullable=True),
        sa.Column("end_upper", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["id"], ["entities.id"], name=op.f("fk_events_id_entities"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["place_id"], ["places.id"], name=op.f("fk_events_place_id_places"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    op.create_index(op.f("ix_events_place_id"), "events", ["place_id"], unique=False)
    op.create_index("ix_events_start_lower", "events", ["start_lower"], unique=False)
    op.create_table(
        "operating_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=True),
        sa.Column("date_text", sa.String(length=200), nullable=True),
        sa.Column("start_edtf", sa.String(length=100), nullable=True),
        sa.Column("end_edtf", sa.String(length=100), nullable=True),
        sa.Column("start_lower", sa.Date(), nullable=True),
        sa.Column("start_upper", sa.Date(), nullable=True),
        sa.Column("end_lower", sa.Date(), nullable=True),
        sa.Column("end_upper", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_operating_periods_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operating_periods")),
    )
    op.create_index(
        op.f("ix_operating_periods_organization_id"),
        "operating_periods",
        ["organization_id"],
        unique=False,
    )
    op.create_table(
        "citations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("reference_number", sa.Integer(), nullable=True),
        sa.Column("locator", sa.String(length=200), nullable=True),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("name_id", sa.Integer(), nullable=True),
        sa.Column("period_id", sa.Integer(), nullable=True),
        sa.Column("relationship_id", sa.Integer(), nullable=True),
        sa.Column("attribute_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(CASE WHEN entity_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN name_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN period_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN relationship_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN attribute_id IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_citations_exactly_one_fact"),
        ),
        sa.ForeignKeyConstraint(
            ["attribute_id"],
            ["attributes.id"],
            name=op.f("fk_citations_attribute_id_attributes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_citations_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["name_id"],
            ["entity_names.id"],
            name=op.f("fk_citations_name_id_entity_names"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["operating_periods.id"],
            name=op.f("fk_citations_period_id_operating_periods"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["relationship_id"],
            ["relationships.id"],
            name=op.f("fk_citations_relationship_id_relationships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_citations_source_id_sources"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citations")),
    )
    op.create_index(op.f("ix_citations_attribute_id"), "citations", ["attribute_id"], unique=False)
    op.create_index(op.f("ix_citations_entity_id"), "citations", ["entity_id"], unique=False)
    op.create_index(op.f("ix_citations_name_id"), "citations", ["name_id"], unique=False)
    op.create_index(op.f("ix_citations_period_id"), "citations", ["period_id"], unique=False)
    op.create_index(
        op.f("ix_citations_relationship_id"), "citations", ["relationship_id"], unique=False
    )
    op.create_index(op.f("ix_citations_source_id"), "citations", ["source_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_citations_source_id"), table_name="citations")
    op.drop_index(op.f("ix_citations_relationship_id"), table_name="citations")
    op.drop_index(op.f("ix_citations_period_id"), table_name="citations")
    op.drop_index(op.f("ix_citations_name_id"), table_name="citations")
    op.drop_index(op.f("ix_citations_entity_id"), table_name="citations")
    op.drop_index(op.f("ix_citations_attribute_id"), table_name="citations")
    op.drop_table("citations")
    op.drop_index(op.f("ix_operating_periods_organization_id"), table_name="operating_periods")
    op.drop_table("operating_periods")
    op.drop_index("ix_events_start_lower", table_name="events")
    op.drop_index(op.f("ix_events_place_id"), table_name="events")
    op.drop_table("events")
    op.drop_index(op.f("ix_source_references_source_id"), table_name="source_references")
    op.drop_table("source_references")
    op.drop_index("ix_relationships_subject_type", table_name="relationships")
    op.drop_index("ix_relationships_start_lower", table_name="relationships")
    op.drop_index("ix_relationships_object_type", table_name="relationships")
    op.drop_table("relationships")
    op.drop_table("places")
    op.drop_table("people")
    op.drop_table("organizations")
    op.drop_index(op.f("ix_entity_names_skeleton"), table_name="entity_names")
    op.drop_index(op.f("ix_entity_names_name"), table_name="entity_names")
    op.drop_index(op.f("ix_entity_names_key"), table_name="entity_names")
    op.drop_index(op.f("ix_entity_names_entity_id"), table_name="entity_names")
    op.drop_table("entity_names")
    op.drop_index(op.f("ix_attributes_name"), table_name="attributes")
    op.drop_index(op.f("ix_attributes_entity_id"), table_name="attributes")
    op.drop_table("attributes")
    op.drop_table("sources")
    op.drop_index(op.f("ix_entities_name"), table_name="entities")
    op.drop_index(op.f("ix_entities_kind"), table_name="entities")
    op.drop_table("entities")
