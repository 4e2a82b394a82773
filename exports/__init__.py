"""Serialise the plankg knowledge graph (a networkx MultiDiGraph, see graph/model.py) to files.

This package only reads the graph: it knows nothing of the NLP that built it, nor of the command line.
Every file is written atomically, so an interrupted build leaves the previous export in place.

    formats.py    the format registry: names, suffixes, media types, writers and readers
    graphml.py    GraphML (the scorer's, networkx's, igraph's and Gephi's file); gexf.py, nodelink.py
    iris.py       IRI minting; terms.py pyoxigraph namespaces and literals
    rdf.py        the graph as a stream of RDF statements; rdfwrite.py the RDF files
    rdfgraph.py   rdflib views (to_rdf, to_dataset) of the same statements

The writers are imported on first use (PEP 562), so that the command line can read the format registry
without importing networkx, rdflib and pyoxigraph.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import formats as registry
from .atomic import atomic_open, atomic_write_bytes

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

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
    "write_rdf",
    "write_jsonld",
    "write_nquads",
    "write_ntriples",
]

# public name -> the module that defines it, imported when the name is first used
_LAZY = {
    "entity_iri": ".iris",
    "to_plain_graph": ".graphml",
    "write_graphml": ".graphml",
    "write_gexf": ".gexf",
    "write_nodelink": ".nodelink",
    "node_link_data": ".nodelink",
    "to_rdf": ".rdfgraph",
    "to_dataset": ".rdfgraph",
    "write_rdf": ".rdfwrite",
    "write_turtle": ".rdfwrite",
    "write_jsonld": ".rdfwrite",
    "write_nquads": ".rdfwrite",
    "write_ntriples": ".rdfwrite",
}

GRAPH_STEM = "graph"
ONTOLOGY_FILE = "ontology.ttl"
# format name (and alias) -> file suffix, a view of the registry (exports/formats.py)
FORMATS: dict[str, str] = {name: f.suffix for f in registry.writable() for name in f.names}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


def ontology_bytes() -> bytes:
    """The ontology shipped with the package (exports/ontology.ttl)."""
    return resources.files(__package__).joinpath(ONTOLOGY_FILE).read_bytes()


def write_all(
    graph: nx.MultiDiGraph,
    out_dir: str | os.PathLike[str],
    formats: Iterable[str] = registry.defaults(),
    stem: str = GRAPH_STEM,
    texts: Mapping[str, str] | None = None,
    workers: int = 1,
) -> list[Path]:
    """Write `graph` to out_dir/<stem>.<suffix> for each format (a name or alias of the registry).

    Returns the written paths in the order written: graph formats first, then RDF ones. Unknown formats
    fail before anything is written. Every RDF format (ttl, jsonld, nt, nq) gets ontology.ttl beside it;
    `texts` (document id -> text) adds oa:prefix/oa:suffix context to the evidence selectors. With
    `workers` > 1 the files are written by that many processes at once (exports/parallel.py).
    """
    wanted = [(name, registry.find(name)) for name in formats]
    unknown = [name.lower().lstrip(".") for name, fmt in wanted if fmt is None or fmt.writer is None]
    if unknown:
        raise ValueError(f"unknown export format(s) {unknown}; choose from {sorted(FORMATS)}")
    chosen = list(dict.fromkeys(fmt for _, fmt in wanted if fmt is not None))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    rdf = [fmt for fmt in chosen if fmt.kind == registry.RDF]
    jobs = [(fmt, out / f"{stem}{fmt.suffix}") for fmt in [f for f in chosen if f.kind != registry.RDF] + rdf]
    from .parallel import can_fork, write_parallel

    if workers > 1 and len(jobs) > 1 and can_fork():
        written += write_parallel(graph, jobs, texts, workers)
    else:
        written += [fmt.write(graph, path, texts) for fmt, path in jobs]
    if rdf:
        written.append(atomic_write_bytes(out / ONTOLOGY_FILE, ontology_bytes()))
    return written
