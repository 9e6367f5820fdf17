"""The network around an entity: a breadth-first walk over relationships, one query per hop."""

from xml.etree import ElementTree

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.models import Entity, Relationship, RelationshipType
from app.schemas.network import (
    Edge,
    EdgeData,
    Elements,
    Network,
    NetworkLimits,
    Node,
    NodeData,
)
from app.services.asof import AsOf, certainty_of, holds
from app.services.citations import load_citations, span_read


def build_network(
    session: Session,
    center: Entity,
    *,
    depth: int,
    max_depth: int,
    max_nodes: int,
    max_edges: int,
    types: list[RelationshipType] | None = None,
    as_of: AsOf | None = None,
) -> Network:
    """Nodes within ``depth`` hops of ``center`` and the relationships between them."""
    depths = {center.id: 0}
    found: dict[int, Relationship] = {}
    frontier = {center.id}
    truncated = False
    for hop in range(1, depth + 1):
        if not frontier:
            break
        query = (
            select(Relationship)
            .where(or_(Relationship.subject_id.in_(frontier), Relationship.object_id.in_(frontier)))
            .where(holds(Relationship, as_of))
            .order_by(Relationship.id)
            .limit(max_edges + 1)
        )
        if types:
            query = query.where(Relationship.type.in_(types))
        next_frontier: set[int] = set()
        for relationship in session.scalars(query):
            if relationship.id in found:
                continue
            ends = (relationship.subject_id, relationship.object_id)
            new = [end for end in ends if end not in depths]
            if len(found) >= max_edges or len(depths) + len(new) > max_nodes:
                truncated = True
                continue
            found[relationship.id] = relationship
            for end in new:
                depths[end] = hop
                next_frontier.add(end)
        frontier = next_frontier
    return _network(
        session,
        center,
        depths,
        list(found.values()),
        as_of,
        NetworkLimits(
            depth=depth,
            max_depth=max_depth,
            max_nodes=max_nodes,
            max_edges=max_edges,
            truncated=truncated,
        ),
    )


def _network(
    session: Session,
    center: Entity,
    depths: dict[int, int],
    relationships: list[Relationship],
    as_of: AsOf | None,
    limits: NetworkLimits,
) -> Network:
    entities = session.execute(
        select(Entity.id, Entity.kind, Entity.slug, Entity.name).where(Entity.id.in_(depths))
    ).all()
    cited = load_citations(session, {"relationship_id": [r.id for r in relationships]})
    nodes = [
        Node(
            data=NodeData(
                id=f"e{row.id}",
                entity_id=row.id,
                kind=row.kind,
                slug=row.slug,
                label=row.name,
                depth=depths[row.id],
            )
        )
        for row in sorted(entities, key=lambda row: (depths[row.id], row.name, row.id))
    ]
    edges = [
        Edge(
            data=EdgeData(
                id=f"r{r.id}",
                source=f"e{r.subject_id}",
                target=f"e{r.object_id}",
                relationship_id=r.id,
                type=r.type,
                status=r.status,
                role=r.role,
                period=span_read(r),
                certainty=certainty_of(r, as_of),
                citations=cited["relationship_id"].get(r.id, []),
            )
        )
        for r in relationships
    ]
    return Network(
        center=f"e{center.id}", elements=Elements(nodes=nodes, edges=edges), limits=limits
    )


GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"


def to_graphml(network: Network) -> bytes:
    """The network as GraphML, for Gephi, yEd, NetworkX and igraph."""
    ElementTree.register_namespace("", GRAPHML_NS)
    root = ElementTree.Element(f"{{{GRAPHML_NS}}}graphml")
    keys = {
        "label": "node",
        "kind": "node",
        "slug": "node",
        "depth": "node",
        "type": "edge",
        "status": "edge",
        "role": "edge",
        "start": "edge",
        "end": "edge",
        "date_text": "edge",
        "certainty": "edge",
        "references": "edge",
    }
    for name, domain in keys.items():
        ElementTree.SubElement(
            root,
            f"{{{GRAPHML_NS}}}key",
            id=name,
            attrib={
                "for": domain,
                "attr.name": name,
                "attr.type": "int" if name == "depth" else "string",
            },
        )
    graph = ElementTree.SubElement(
        root, f"{{{GRAPHML_NS}}}graph", id="network", edgedefault="directed"
    )

    def data(parent: ElementTree.Element, key: str, value: object) -> None:
        if value is not None:
            ElementTree.SubElement(parent, f"{{{GRAPHML_NS}}}data", key=key).text = str(value)

    for node in network.elements.nodes:
        element = ElementTree.SubElement(graph, f"{{{GRAPHML_NS}}}node", id=node.data.id)
        for key in ("label", "kind", "slug", "depth"):
            data(element, key, getattr(node.data, key))
    for edge in network.elements.edges:
        d = edge.data
        element = ElementTree.SubElement(
            graph, f"{{{GRAPHML_NS}}}edge", id=d.id, source=d.source, target=d.target
        )
        data(element, "type", d.type.value)
        data(element, "status", d.status.value)
        data(element, "role", d.role)
        data(element, "start", d.period.start if d.period else None)
        data(element, "end", d.period.end if d.period else None)
        data(element, "date_text", d.period.text if d.period else None)
        data(element, "certainty", d.certainty)
        numbers = sorted({c.reference_number for c in d.citations if c.reference_number})
        data(element, "references", " ".join(map(str, numbers)) or None)
    return bytes(ElementTree.tostring(root, encoding="utf-8", xml_declaration=True))
