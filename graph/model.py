"""The knowledge-graph model shared by graph building and the exporters.

One `networkx.MultiDiGraph` holds the whole corpus. This module fixes its vocabulary so
that `nlp/` (which produces facts) and `exports/` (which serialises them) never need to
know about each other.

Nodes
    id          "<Type>:<canonical name>" (Targets: "Target:<subject>|<indicator>|<value><unit>|<year>|<status>")
    type        one of NODE_TYPES
    label       canonical (fullest) name
    aliases     sorted list of other names (never contains `label`)
    docs        sorted list of document ids the node was seen in
    Target nodes also carry indicator, value (float), unit, comparator, year (int|None),
    status ("target" | "actual"), and sentence/doc/start/end of their evidence.

Edges (key = relation)
    relation    one of RELATIONS
    docs        sorted list of supporting document ids
    evidence    list of {"doc", "sentence", "start", "end"} dicts (character offsets into the document)
    title       holds_post only: the office, e.g. 区委书记
    date        held_event only: ISO date of the meeting, when known

Documents are kept in graph.graph["documents"]: {doc_id: {"date": iso-date|None, "chars": int, "source": str}}.
"""

from __future__ import annotations

NODE_TYPES = ("Official", "District", "Platform", "Project", "Industry", "Organization", "Event", "Target")
ENTITY_TYPES = NODE_TYPES[:-1]

RELATIONS = (
    "holds_post",
    "part_of",
    "has_platform",
    "has_project",
    "develops_industry",
    "held_event",
    "spoke_at",
    "sets_target",
)

COMPARATORS = (">", ">=", "=", "~", "<=", "<")
STATUSES = ("target", "actual")


def node_id(node_type: str, name: str) -> str:
    """Stable node id from type and canonical name."""
    return f"{node_type}:{name}"


def target_id(subject_id: str, indicator: str, value: float, unit: str, year: int | None, status: str) -> str:
    number = f"{value:g}"
    return f"Target:{subject_id.split(':', 1)[1]}|{indicator}|{number}{unit}|{year if year is not None else ''}|{status}"
