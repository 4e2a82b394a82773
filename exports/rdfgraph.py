"""rdflib views of the RDF export, for Python users and pyshacl: the same statements the files are written
from (exports/rdf.py), converted to rdflib terms. The files themselves never go through rdflib.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx
import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef

from .rdf import quads, rdf_statements, triples
from .terms import PREFIXES, XSD

_XSD_STRING = XSD.string.value


def rdflib_term(term: Any) -> URIRef | Literal:
    """A pyoxigraph IRI or literal as the rdflib term (plain literals stay plain: no xsd:string)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def to_rdf(graph: nx.MultiDiGraph, texts: Mapping[str, str] | None = None) -> Graph:
    """The graph as an rdflib Graph (data only; the ontology is the separate ontology.ttl)."""
    rdf = Graph(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        rdf.bind(prefix, namespace)
    for t in triples(rdf_statements(graph, texts)):
        rdf.add((rdflib_term(t.subject), rdflib_term(t.predicate), rdflib_term(t.object)))
    return rdf


def to_dataset(graph: nx.MultiDiGraph, texts: Mapping[str, str] | None = None) -> Dataset:
    """The graph as an rdflib Dataset: the quads of the N-Quads file, one named graph per document."""
    data = Dataset()
    for prefix, namespace in PREFIXES.items():
        data.bind(prefix, namespace)
    graphs: dict[str, Graph] = {}
    for q in quads(rdf_statements(graph, texts)):
        triple = (rdflib_term(q.subject), rdflib_term(q.predicate), rdflib_term(q.object))
        if isinstance(q.graph_name, ox.DefaultGraph):
            data.add(triple)
            continue
        name = q.graph_name.value
        if name not in graphs:
            graphs[name] = data.graph(URIRef(name))
        graphs[name].add(triple)
    return data
