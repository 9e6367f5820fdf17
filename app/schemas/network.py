"""The network around an entity, shaped as Cytoscape.js elements."""

from pydantic import BaseModel, Field

from app.models.vocabulary import EntityKind, RelationshipStatus, RelationshipType
from app.schemas.common import Certainty, Cited, TimeSpanRead


class NodeData(BaseModel):
    """A node: an entity, with its distance from the centre."""

    id: str = Field(description="`e<entity id>`, unique among nodes and edges.", examples=["e1"])
    entity_id: int
    kind: EntityKind
    slug: str
    label: str
    depth: int = Field(description="Hops from the centre (0 for the centre itself).")


class EdgeData(Cited):
    """An edge: a relationship from its subject to its object."""

    id: str = Field(examples=["r12"])
    source: str = Field(description="The subject's node id.")
    target: str = Field(description="The object's node id.")
    relationship_id: int
    type: RelationshipType
    status: RelationshipStatus
    role: str | None
    period: TimeSpanRead | None
    certainty: Certainty | None


class Node(BaseModel):
    """A Cytoscape.js node element."""

    data: NodeData


class Edge(BaseModel):
    """A Cytoscape.js edge element."""

    data: EdgeData


class Elements(BaseModel):
    """Cytoscape.js elements: pass as `elements` to `cytoscape({...})` as they are."""

    nodes: list[Node]
    edges: list[Edge]


class NetworkLimits(BaseModel):
    """How far the network was followed and whether a cap cut it short."""

    depth: int
    max_depth: int
    max_nodes: int
    max_edges: int
    truncated: bool = Field(description="True when a cap left nodes or edges out.")


class Network(BaseModel):
    """The entities linked to one entity within a depth, as a graph."""

    center: str = Field(description="The centre's node id.")
    elements: Elements
    limits: NetworkLimits
