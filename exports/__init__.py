"""Serialise the plankg knowledge graph (a networkx MultiDiGraph, see graph/model.py) to files.

This package only reads the graph: it knows nothing of the NLP that built it. Every file is written
atomically, so an interrupted build leaves the previous export in place.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path

import networkx as nx

from .atomic import atomic_open, atomic_write_bytes
from .gexf import write_gexf
from .graphml import to_plain_graph, write_graphml
from .nodelink import node_link_data, write_nodelink
from .rdf import (
    entity_iri,
    rdf_triples,
    to_dataset,
    to_rdf,
    write_jsonld,
    write_nquads,
    write_ntriples,
    write_rdf,
    write_turtle,
)

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
    "write_gexf",
    "write_nodelink",
    "node_link_data",
    "write_turtle",
    "to_dataset",
    "rdf_triples",
    "write_rdf",
    "write_jsonld",
    "write_nquads",
    "write_ntriples",
]

GRAPH_STEM = "graph"
ONTOLOGY_FILE = "ontology.ttl"
# format name -> file suffix; "turtle" is accepted as another name for "ttl".
FORMATS = {"graphml": ".graphml", "ttl": ".ttl", "turtle": ".ttl"}
# Linked-data formats (issue 4): JSON-LD, N-Triples, N-Quads (one named graph per document).
FORMATS.update({"jsonld": ".jsonld", "nt": ".nt", "nq": ".nq"})
# Gephi and d3 (issue 5): GEXF 1.3 with viz colours/sizes, networkx node-link JSON.
FORMATS.update({"gexf": ".gexf", "json": ".json"})
GRAPH_WRITERS = {"gexf": write_gexf, "json": write_nodelink}


def ontology_bytes() -> bytes:
    """The ontology shipped with the package (exports/ontology.ttl)."""
    return resources.files(__package__).joinpath(ONTOLOGY_FILE).read_bytes()


def write_all(
    graph: nx.MultiDiGraph,
    out_dir: str | os.PathLike[str],
    formats: Iterable[str] = ("graphml", "ttl"),
    stem: str = GRAPH_STEM,
    texts: Mapping[str, str] | None = None,
) -> list[Path]:
    """Write `graph` to out_dir/<stem>.<suffix> for each format; Turtle also gets ontology.ttl beside it.

    Returns the written paths in the order written. Unknown formats fail before anything is written.
    Every RDF format (ttl, jsonld, nt, nq) gets ontology.ttl beside it; `texts` (document id -> text)
    adds oa:prefix/oa:suffix context to the evidence selectors.
    """
    wanted = [f.lower().lstrip(".") for f in formats]
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown export format(s) {unknown}; choose from {sorted(FORMATS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    rdf_paths: dict[str, Path] = {}
    for fmt in dict.fromkeys("ttl" if f == "turtle" else f for f in wanted):
        path = out / f"{stem}{FORMATS[fmt]}"
        if fmt == "graphml":
            written.append(write_graphml(graph, path))
        elif fmt in GRAPH_WRITERS:
            written.append(GRAPH_WRITERS[fmt](graph, path))
        else:
            rdf_paths[fmt] = path  # all RDF syntaxes come from one pass over the graph
    if rdf_paths:
        written += write_rdf(graph, rdf_paths, texts)
        written.append(atomic_write_bytes(out / ONTOLOGY_FILE, ontology_bytes()))
    return written
