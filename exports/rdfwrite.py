"""The RDF files: Turtle, N-Triples, N-Quads and JSON-LD, serialised by pyoxigraph from the statement stream.

Statements stream from the graph (exports/rdf.py) into pyoxigraph's serialisers (Rust), so no triple table
is held: a thousand articles give over a million evidence triples, which as rdflib terms took a gigabyte.
The order follows the sorted graph, so the same graph always gives the same bytes. Which pyoxigraph syntax
a format name means, and whether it declares prefixes, is in the format registry (exports/formats.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox

from . import formats
from .atomic import atomic_open
from .rdf import quads, rdf_statements, triples
from .terms import PREFIXES


def write_rdf(
    graph: nx.MultiDiGraph,
    paths: Mapping[str, str | os.PathLike[str]],
    texts: Mapping[str, str] | None = None,
) -> list[Path]:
    """Write the graph in RDF syntaxes (`paths`: "ttl" / "nt" / "nq" / "jsonld" -> file), each atomically."""
    chosen = {name: formats.find(name) for name in paths}
    rdf_names = sorted(f.name for f in formats.writable(formats.RDF))
    unknown = sorted(name for name, fmt in chosen.items() if fmt is None or fmt.kind != formats.RDF)
    if unknown:
        raise ValueError(f"unknown RDF syntax(es) {unknown}; choose from {rdf_names}")
    written = []
    for name, path in paths.items():
        fmt = chosen[name]
        assert fmt is not None
        statements = rdf_statements(graph, texts)
        stream: Iterator[Any] = quads(statements) if fmt.quads else triples(statements)
        with atomic_open(path, "wb") as fh:
            ox.serialize(stream, fh, fmt.rdf_format(), prefixes=PREFIXES if fmt.prefixes else None)
        written.append(Path(path))
    return written


def write_turtle(
    graph: nx.MultiDiGraph, path: str | os.PathLike[str], texts: Mapping[str, str] | None = None
) -> Path:
    """Turtle, serialised by pyoxigraph (each subject's statements in one block)."""
    return write_rdf(graph, {"ttl": path}, texts)[0]


def write_ntriples(
    graph: nx.MultiDiGraph, path: str | os.PathLike[str], texts: Mapping[str, str] | None = None
) -> Path:
    """N-Triples, one triple a line."""
    return write_rdf(graph, {"nt": path}, texts)[0]


def write_nquads(
    graph: nx.MultiDiGraph, path: str | os.PathLike[str], texts: Mapping[str, str] | None = None
) -> Path:
    """N-Quads with one named graph per document (build provenance in the default graph)."""
    return write_rdf(graph, {"nq": path}, texts)[0]


def write_jsonld(
    graph: nx.MultiDiGraph, path: str | os.PathLike[str], texts: Mapping[str, str] | None = None
) -> Path:
    """JSON-LD in expanded form (full IRIs, no @context), streamed like the other syntaxes."""
    return write_rdf(graph, {"jsonld": path}, texts)[0]
