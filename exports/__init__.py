"""Serialise the plankg knowledge graph (a networkx MultiDiGraph, see graph/model.py) to files.

This package only reads the graph: it knows nothing of the NLP that built it. Every file is written
atomically, so an interrupted build leaves the previous export in place.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import networkx as nx

from .atomic import atomic_open, atomic_write_bytes
from .graphml import to_plain_graph, write_graphml
from .rdf import entity_iri, to_rdf, write_turtle

__all__ = [
    "FORMATS",
    "atomic_open",
    "atomic_write_bytes",
    "entity_iri",
    "ontology_bytes",
    "to_plain_graph",
    "to_rdf",
    "write_all",
    "write_graphml",
    "write_turtle",
]

GRAPH_STEM = "graph"
ONTOLOGY_FILE = "ontology.ttl"
# format name -> file suffix; "turtle" is accepted as another name for "ttl".
FORMATS = {"graphml": ".graphml", "ttl": ".ttl", "turtle": ".ttl"}


def ontology_bytes() -> bytes:
    """The ontology shipped with the package (exports/ontology.ttl)."""
    return resources.files(__package__).joinpath(ONTOLOGY_FILE).read_bytes()


def write_all(
    graph: nx.MultiDiGraph,
    out_dir: str | os.PathLike[str],
    formats: Iterable[str] = ("graphml", "ttl"),
    stem: str = GRAPH_STEM,
) -> list[Path]:
    """Write `graph` to out_dir/<stem>.<suffix> for each format; Turtle also gets ontology.ttl beside it.

    Returns the written paths in the order written. Unknown formats fail before anything is written.
    """
    wanted = [f.lower().lstrip(".") for f in formats]
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown export format(s) {unknown}; choose from {sorted(FORMATS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for fmt in dict.fromkeys("ttl" if f == "turtle" else f for f in wanted):
        path = out / f"{stem}{FORMATS[fmt]}"
        if fmt == "graphml":
            written.append(write_graphml(graph, path))
        else:
            written.append(write_turtle(graph, path))
            written.append(atomic_write_bytes(out / ONTOLOGY_FILE, ontology_bytes()))
    return written
