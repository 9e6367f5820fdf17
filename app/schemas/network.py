"""The network around an entity, shaped as Cytoscape.js elements.

Lean by design: an edge carries its citations as references (source id, reference number,
locator), and the network carries each cited source's summary once, in ``sources``. The quotes
are left out; ``GET /relationships/{id}`` has them.
"""

from pydantic import BaseModel, Field

from app.models.vocabulary import EntityKind, RelationshipStatus, RelationshipType
from app.schemas.common import Certainty, Evidence, SourceSummary, TimeSpanRead


class NodeData(BaseModel):
    """A node: an entity, with its distance from the centre."""

    id: str = Field(description="`e<entity id>`, unique among nodes and edges.", examples=["e1"])
    entity_id: int
    kind: EntityKind
    slug: str
    label: str
    depth: int = Field(description="Hops from the centre (0 for the centre itself).")


class EdgeCitation(BaseModel):
    """A citation of an edge's relationship; its source is in the network's `sources`."""

    id: int
    source_id: int = Field(description="The source's id, its key in the network's `sources`.")
    reference_number: int | None = Field(
        description="The reference's number in the article; null where the article itself is cited."
    )
    locator: str | None = Field(examples=["p. 345"])


class EdgeData(BaseModel):
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
    citations: list[EdgeCitation] = Field(
        description="References only (no quotes); the sources are in the network's `sources`."
    )
    evidence: Evidence


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
    """The entities linked to one entity within a depth, as a graph.

    The walk is breadth-first; within a hop the closest kinds of tie come first (alliances,
    rivalries and allegiances between groups, then leaders and members, then events and places),
    and it stops where a cap is reached.
    """

    center: str = Field(description="The centre's node id.")
    elements: Elements
    sources: dict[str, SourceSummary] = Field(
        description="Every source the edges cite, once, keyed by its id (`source_id`)."
    )
    limits: NetworkLimits
