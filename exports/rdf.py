"""Turtle export: the graph as linked data, using the terms declared in ontology.ttl.

IRIs are minted under https://w3id.org/plankg/id/ from the node id alone ("<Type>/<percent-encoded
canonical name>", Targets included), so the same entity gets the same IRI in every build and links made by
others keep working. No blank nodes are used: every resource has a stable IRI, which also keeps the
serialisation byte-identical from one run to the next.

Mapping
* Each node: rdf:type pkg:<Type>, skos:prefLabel and rdfs:label its label, skos:altLabel its aliases (@zh),
  pkg:mentionedIn the documents it was seen in. Target nodes add pkg:indicator, pkg:value (xsd:decimal),
  pkg:unit, pkg:comparator, pkg:year (xsd:gYear) and pkg:status.
* Each edge: one direct triple (subject pkg:partOf object, ...), so plain queries need no provenance.
  holds_post follows W3C ORG: person org:holds an org:Post, which is org:postIn the district/organization
  and has an org:role (a skos:Concept named by the title); without a title it is just org:memberOf.
  held_event's date becomes schema:startDate of the event.
* Provenance without RDF reification: each fact that has documents or evidence (an edge, or a Target node)
  is described by a resource: Targets themselves, and for edges one pkg:Assertion (a prov:Entity pointing at
  the triple with pkg:assertedSubject / pkg:assertedProperty / pkg:assertedObject). The fact is
  prov:wasDerivedFrom each supporting pkg:Document and pkg:hasEvidence each pkg:Evidence, which keeps the
  sentence text (pkg:sentence, pkg:start, pkg:end) and is prov:wasDerivedFrom its document. Evidence IRIs
  are keyed by document and character span, so a sentence that supports several facts is stated once.
* Documents (graph.graph["documents"] plus any document cited by evidence) are pkg:Document / prov:Entity
  with dcterms:identifier and, when known, dcterms:date (xsd:date) and dcterms:source.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

import networkx as nx
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

from graph.model import NODE_TYPES

from .atomic import atomic_write_bytes
from .common import (
    as_float,
    as_int,
    clean_text,
    edge_relation,
    node_evidence,
    node_label,
    sorted_edges,
    sorted_evidence,
    sorted_nodes,
    split_node_id,
    str_list,
    supporting_docs,
)

PKG = Namespace("https://w3id.org/plankg/ontology#")
ID_BASE = "https://w3id.org/plankg/id/"
LANG = "zh"

RELATION_PROPERTIES: dict[str, URIRef] = {
    "part_of": PKG.partOf,
    "has_platform": PKG.hasPlatform,
    "has_project": PKG.hasProject,
    "develops_industry": PKG.developsIndustry,
    "held_event": PKG.heldEvent,
    "spoke_at": PKG.spokeAt,
    "sets_target": PKG.setsTarget,
}
CLASSES: dict[str, URIRef] = {node_type: PKG[node_type] for node_type in NODE_TYPES}

_DATE_TYPES = (
    (re.compile(r"\d{4}-\d{2}-\d{2}"), XSD.date),
    (re.compile(r"\d{4}-\d{2}"), XSD.gYearMonth),
    (re.compile(r"\d{4}"), XSD.gYear),
)


def _enc(text: Any) -> str:
    """Percent-encode one IRI path segment (injective: distinct names never share an IRI)."""
    return quote(str(text), safe="")


def _digest(*parts: Any) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:20]


def entity_iri(node: Any, data: Mapping[str, Any] | None = None) -> URIRef:
    """Stable IRI of a graph node: <base><Type>/<percent-encoded name>, from the node id."""
    node_type, name = split_node_id(node, data or {})
    return URIRef(f"{ID_BASE}{_enc(node_type)}/{_enc(name)}")


def document_iri(doc_id: str) -> URIRef:
    return URIRef(f"{ID_BASE}document/{_enc(doc_id)}")


def role_iri(title: str) -> URIRef:
    return URIRef(f"{ID_BASE}role/{_enc(title)}")


def post_iri(tail: Any, tail_data: Mapping[str, Any], title: str) -> URIRef:
    """A post (e.g. 天河区 区委书记) is shared by whoever holds it: it depends on place and title only."""
    node_type, name = split_node_id(tail, tail_data)
    return URIRef(f"{ID_BASE}post/{_enc(node_type)}/{_enc(name)}/{_enc(title)}")


def assertion_iri(u: Any, relation: str, v: Any) -> URIRef:
    return URIRef(f"{ID_BASE}assertion/{_digest(u, relation, v)}")


def evidence_iri(ev: Mapping[str, Any]) -> URIRef:
    if ev.get("start") is not None and ev.get("end") is not None:
        return URIRef(f"{ID_BASE}evidence/{_enc(ev['doc'])}/{ev['start']}-{ev['end']}")
    return URIRef(f"{ID_BASE}evidence/{_enc(ev['doc'])}/{_digest(ev.get('sentence', ''))}")


def relation_property(relation: str) -> URIRef:
    """pkg: property of a relation; unknown relations get a camelCase pkg: name rather than being dropped."""
    if relation in RELATION_PROPERTIES:
        return RELATION_PROPERTIES[relation]
    head, *rest = [p for p in re.split(r"[^0-9A-Za-z]+", relation) if p] or ["relatedTo"]
    return PKG[head.lower() + "".join(p.capitalize() for p in rest)]


def _zh(text: Any) -> Literal:
    return Literal(clean_text(text), lang=LANG)


def _date(value: Any) -> Literal | None:
    text = clean_text(value or "").strip()
    if not text:
        return None
    for pattern, datatype in _DATE_TYPES:
        if pattern.fullmatch(text):
            return Literal(text, datatype=datatype)
    return Literal(text)


def _decimal(value: Any) -> Literal | None:
    number = as_float(value)
    if number is None:
        return None
    return Literal(format(Decimal(repr(number)), "f"), datatype=XSD.decimal)


class _Builder:
    """Accumulates triples; keeps the per-fact provenance code in one place."""

    def __init__(self, graph: nx.MultiDiGraph) -> None:
        self.source = graph
        self.rdf = Graph(bind_namespaces="core")
        for prefix, namespace in (
            ("pkg", PKG),
            ("org", ORG),
            ("prov", PROV),
            ("skos", SKOS),
            ("schema", SDO),
            ("dcterms", DCTERMS),
            ("owl", OWL),
        ):
            self.rdf.bind(prefix, namespace)
        self.documents: set[str] = set()

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal | None) -> None:
        if o is not None:
            self.rdf.add((s, p, o))

    def provenance(self, fact: URIRef, docs: list[str], evidence: list[dict[str, Any]]) -> None:
        """fact prov:wasDerivedFrom its documents; fact pkg:hasEvidence each sentence span."""
        for doc in docs:
            self.add(fact, PROV.wasDerivedFrom, document_iri(doc))
            self.documents.add(doc)
        for ev in evidence:
            if not ev.get("doc"):
                continue
            node = evidence_iri(ev)
            self.add(fact, PKG.hasEvidence, node)
            self.add(node, RDF.type, PKG.Evidence)
            self.add(node, RDF.type, PROV.Entity)
            self.add(node, PROV.wasDerivedFrom, document_iri(ev["doc"]))
            if ev.get("sentence"):
                self.add(node, PKG.sentence, _zh(ev["sentence"]))
            for name in ("start", "end"):
                if ev.get(name) is not None:
                    self.add(node, PKG[name], Literal(ev[name], datatype=XSD.integer))
            self.documents.add(ev["doc"])

    def node(self, node: Any, data: Mapping[str, Any]) -> None:
        iri = entity_iri(node, data)
        node_type, _ = split_node_id(node, data)
        label = node_label(node, data)
        self.add(iri, RDF.type, CLASSES.get(node_type, OWL.Thing))
        self.add(iri, SKOS.prefLabel, _zh(label))
        self.add(iri, RDFS.label, _zh(label))
        for alias in str_list(data.get("aliases")):
            if alias != label:
                self.add(iri, SKOS.altLabel, _zh(alias))
        evidence = node_evidence(data)
        docs = supporting_docs(data, evidence)
        if node_type != "Target":
            for doc in docs:
                self.add(iri, PKG.mentionedIn, document_iri(doc))
                self.documents.add(doc)
            return
        if data.get("indicator"):
            self.add(iri, PKG.indicator, _zh(data["indicator"]))
        self.add(iri, PKG.value, _decimal(data.get("value")))
        for name in ("unit", "comparator", "status"):
            if data.get(name) not in (None, ""):
                self.add(iri, PKG[name], Literal(clean_text(data[name])))
        year = as_int(data.get("year"))
        if year is not None:
            self.add(iri, PKG.year, Literal(f"{year:04d}", datatype=XSD.gYear))
        self.provenance(iri, docs, evidence)

    def edge(self, u: Any, v: Any, key: Any, data: Mapping[str, Any]) -> None:
        nodes = self.source.nodes
        relation = edge_relation(key, data)
        s, o = entity_iri(u, nodes[u]), entity_iri(v, nodes[v])
        title = clean_text(data.get("title") or "").strip()
        if relation == "holds_post" and title:
            post, role = post_iri(v, nodes[v], title), role_iri(title)
            self.add(s, ORG.holds, post)
            self.add(post, RDF.type, ORG.Post)
            self.add(post, ORG.heldBy, s)
            self.add(post, ORG.postIn, o)
            self.add(post, ORG.role, role)
            self.add(post, RDFS.label, _zh(f"{node_label(v, nodes[v])} {title}"))
            self.add(role, RDF.type, ORG.Role)
            self.add(role, RDF.type, SKOS.Concept)
            self.add(role, SKOS.prefLabel, _zh(title))
            predicate, obj = ORG.holds, post
        elif relation == "holds_post":
            predicate, obj = ORG.memberOf, o
        else:
            predicate, obj = relation_property(relation), o
        self.add(s, predicate, obj)
        if relation == "held_event":
            self.add(o, SDO.startDate, _date(data.get("date")))
        evidence = sorted_evidence(data.get("evidence"))
        docs = supporting_docs(data, evidence)
        if docs or evidence:
            fact = assertion_iri(u, relation, v)
            self.add(fact, RDF.type, PKG.Assertion)
            self.add(fact, RDF.type, PROV.Entity)
            self.add(fact, PKG.assertedSubject, s)
            self.add(fact, PKG.assertedProperty, predicate)
            self.add(fact, PKG.assertedObject, obj)
            self.provenance(fact, docs, evidence)

    def document_nodes(self) -> None:
        known: Mapping[str, Any] = self.source.graph.get("documents") or {}
        for doc in sorted(self.documents | {str(d) for d in known}):
            iri = document_iri(doc)
            meta = known.get(doc) or {}
            self.add(iri, RDF.type, PKG.Document)
            self.add(iri, RDF.type, PROV.Entity)
            self.add(iri, DCTERMS.identifier, Literal(doc))
            if isinstance(meta, Mapping):
                self.add(iri, DCTERMS.date, _date(meta.get("date")))
                if meta.get("source"):
                    self.add(iri, DCTERMS.source, Literal(clean_text(meta["source"])))
                chars = as_int(meta.get("chars"))
                if chars is not None:
                    self.add(iri, PKG.characters, Literal(chars, datatype=XSD.integer))


def to_rdf(graph: nx.MultiDiGraph) -> Graph:
    """The graph as an rdflib Graph (data only; the ontology is the separate ontology.ttl)."""
    builder = _Builder(graph)
    for node, data in sorted_nodes(graph):
        builder.node(node, data)
    for u, v, key, data in sorted_edges(graph):
        builder.edge(u, v, key, data)
    builder.document_nodes()
    return builder.rdf


def write_turtle(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> Path:
    """Write `graph` as Turtle atomically; return the path."""
    data = to_rdf(graph).serialize(format="turtle", encoding="utf-8")
    return atomic_write_bytes(path, data)
