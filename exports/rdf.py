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
* Each pkg:Evidence is also a W3C Web Annotation oa:SpecificResource: oa:hasSource its document and
  oa:hasSelector an oa:TextQuoteSelector (oa:exact the sentence; oa:prefix / oa:suffix, up to 32 characters
  of the document around it, when the document texts are passed in) and, when the sentence's position is
  known, an oa:TextPositionSelector (oa:start / oa:end). Selector IRIs are the evidence IRI + /quote, /position.
* The build is a prov:Activity (IRI keyed by plankg's version and the set of documents, so rebuilding the
  same corpus gives the same IRI and bytes) that prov:used every document and prov:wasAssociatedWith a
  prov:SoftwareAgent carrying schema:softwareVersion; every Assertion and Target prov:wasGeneratedBy it.
* Targets get pkg:hasUnit, an IRI from the unit vocabulary (exports/units.py, declared in ontology.ttl), and
  pkg:valueInBaseUnit (value x pkg:conversionMultiplier, e.g. 35.5 亿元 -> 3550000000 元).
* Officials are also schema:Person, Districts schema:AdministrativeArea and Platforms schema:Place, each
  with schema:name, so schema.org-only consumers need no reasoner.
* Per-document named graphs (N-Quads): every triple is filed under the documents that support it (entity
  descriptions under each document that mentions the entity, facts and their provenance under their
  supporting documents); the build activity and software agent stay in the default graph. Graph IRIs are
  <base>graph/<document id>.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

import networkx as nx
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

from graph.model import NODE_TYPES

from . import units as unitvocab
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
OA = Namespace("http://www.w3.org/ns/oa#")
UNIT = Namespace(unitvocab.UNIT_BASE)
QUDT_UNIT = Namespace(unitvocab.QUDT_UNIT)
ID_BASE = "https://w3id.org/plankg/id/"
LANG = "zh"
CONTEXT_CHARS = 32  # characters of prefix / suffix in a TextQuoteSelector

PREFIXES: dict[str, Namespace] = {
    "pkg": PKG,
    "org": ORG,
    "prov": PROV,
    "skos": SKOS,
    "schema": SDO,
    "dcterms": DCTERMS,
    "owl": OWL,
    "oa": OA,
    "unit": UNIT,
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)),
}

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
# schema.org types stated explicitly (not only through rdfs:subClassOf), with schema:name.
SCHEMA_TYPES: dict[str, URIRef] = {
    "Official": SDO.Person,
    "District": SDO.AdministrativeArea,
    "Platform": SDO.Place,
}

_DATE_TYPES = (
    (re.compile(r"\d{4}-\d{2}-\d{2}"), XSD.date),
    (re.compile(r"\d{4}-\d{2}"), XSD.gYearMonth),
    (re.compile(r"\d{4}"), XSD.gYear),
)


def _version() -> str:
    from plankg import __version__

    return __version__


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


def graph_iri(doc_id: str) -> URIRef:
    """Name of the per-document graph in N-Quads output."""
    return URIRef(f"{ID_BASE}graph/{_enc(doc_id)}")


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


def agent_iri(version: str) -> URIRef:
    return URIRef(f"{ID_BASE}agent/plankg/{_enc(version)}")


def build_iri(version: str, docs: Iterable[str]) -> URIRef:
    """The build activity: same software version and same documents -> same IRI."""
    return URIRef(f"{ID_BASE}build/{_digest(version, *sorted(docs))}")


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


def _dec(number: Decimal) -> Literal:
    """xsd:decimal in canonical form (always a point: 100000000.0), so every RDF syntax writes the same."""
    text = format(number.normalize(), "f")
    return Literal(text if "." in text else f"{text}.0", datatype=XSD.decimal)


def _decimal(value: Any) -> Literal | None:
    number = as_float(value)
    if number is None:
        return None
    return Literal(format(Decimal(repr(number)), "f"), datatype=XSD.decimal)


def sentence_span(ev: Mapping[str, Any], text: str | None) -> tuple[int, int] | None:
    """Character offsets of the evidence sentence in its document, or None when they cannot be known.

    Relation evidence is the stripped text of its own span; Target evidence is the whole sentence around
    the figure's span, so with the document text it is looked up around the span.
    """
    sentence, start, end = ev.get("sentence") or "", ev.get("start"), ev.get("end")
    if not sentence:
        return None
    if text is None:
        if start is not None and end is not None and end - start == len(sentence):
            return start, end
        return None
    if start is not None and end is not None:
        raw = text[start:end]
        if raw.strip() == sentence:
            lead = len(raw) - len(raw.lstrip())
            return start + lead, start + lead + len(sentence)
        at = text.find(sentence, max(0, end - len(sentence)), start + len(sentence))
        if at >= 0:
            return at, at + len(sentence)
    at = text.find(sentence)
    return (at, at + len(sentence)) if at >= 0 else None


class Triples:
    """The RDF of one graph: every triple with the set of documents it belongs to (empty: default graph)."""

    def __init__(self) -> None:
        self.contexts: dict[tuple, set[str]] = {}

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal | None, docs: Iterable[str] = ()) -> None:
        if o is not None:
            self.contexts.setdefault((s, p, o), set()).update(docs)

    def __len__(self) -> int:
        return len(self.contexts)

    def to_graph(self) -> Graph:
        rdf = Graph(bind_namespaces="core")
        for prefix, namespace in PREFIXES.items():
            rdf.bind(prefix, namespace)
        for triple in self.contexts:
            rdf.add(triple)
        return rdf

    def to_dataset(self) -> Dataset:
        """Triples with documents go into each document's named graph, the rest into the default graph."""
        data = Dataset()
        for prefix, namespace in PREFIXES.items():
            data.bind(prefix, namespace)
        graphs: dict[str, Graph] = {}
        for triple, docs in self.contexts.items():
            if not docs:
                data.add(triple)
            for doc in sorted(docs):
                if doc not in graphs:
                    graphs[doc] = data.graph(graph_iri(doc))
                graphs[doc].add(triple)
        return data


class _Builder:
    """Accumulates triples; keeps the per-fact provenance code in one place."""

    described: set[URIRef]

    def __init__(self, graph: nx.MultiDiGraph, texts: Mapping[str, str] | None = None) -> None:
        self.source = graph
        self.texts = texts or {}
        self.out = Triples()
        self.described = set()
        self.documents: set[str] = set(str(d) for d in (graph.graph.get("documents") or {}))
        for ev_doc in self._all_docs():
            self.documents.add(ev_doc)
        self.version = _version()
        self.build = build_iri(self.version, self.documents)
        self.ctx: tuple[str, ...] = ()

    def _all_docs(self) -> set[str]:
        docs: set[str] = set()
        for _, data in self.source.nodes(data=True):
            docs.update(supporting_docs(data, node_evidence(data)))
        for _, _, data in self.source.edges(data=True):
            docs.update(supporting_docs(data, sorted_evidence(data.get("evidence"))))
        return docs

    def add(
        self, s: URIRef, p: URIRef, o: URIRef | Literal | None, docs: Iterable[str] | None = None
    ) -> None:
        self.out.add(s, p, o, self.ctx if docs is None else docs)

    def provenance(self, fact: URIRef, docs: list[str], evidence: list[dict[str, Any]]) -> None:
        """fact prov:wasDerivedFrom its documents, prov:wasGeneratedBy the build; pkg:hasEvidence spans."""
        self.add(fact, PROV.wasGeneratedBy, self.build)
        for doc in docs:
            self.add(fact, PROV.wasDerivedFrom, document_iri(doc), (doc,))
        for ev in evidence:
            if ev.get("doc"):
                self.add(fact, PKG.hasEvidence, evidence_iri(ev), (ev["doc"],))
                self.evidence(ev)

    def evidence(self, ev: Mapping[str, Any]) -> None:
        doc = ev["doc"]
        ctx = (doc,)
        node, source = evidence_iri(ev), document_iri(doc)
        if node in self.described:
            return  # one sentence often supports several facts: describe it once
        self.described.add(node)
        self.add(node, RDF.type, PKG.Evidence, ctx)
        self.add(node, RDF.type, PROV.Entity, ctx)
        self.add(node, RDF.type, OA.SpecificResource, ctx)
        self.add(node, PROV.wasDerivedFrom, source, ctx)
        self.add(node, OA.hasSource, source, ctx)
        sentence = clean_text(ev.get("sentence") or "")
        if sentence:
            self.add(node, PKG.sentence, _zh(sentence), ctx)
        for name in ("start", "end"):
            if ev.get(name) is not None:
                self.add(node, PKG[name], Literal(ev[name], datatype=XSD.integer), ctx)
        text = self.texts.get(doc)
        span = sentence_span(ev, text)
        if sentence:
            quote_sel = URIRef(f"{node}/quote")
            self.add(node, OA.hasSelector, quote_sel, ctx)
            self.add(quote_sel, RDF.type, OA.TextQuoteSelector, ctx)
            self.add(quote_sel, OA.exact, Literal(sentence), ctx)
            if span is not None and text is not None:
                a, b = span
                prefix, suffix = text[max(0, a - CONTEXT_CHARS) : a], text[b : b + CONTEXT_CHARS]
                if prefix:  # none at the very start / end of the document
                    self.add(quote_sel, OA.prefix, Literal(clean_text(prefix)), ctx)
                if suffix:
                    self.add(quote_sel, OA.suffix, Literal(clean_text(suffix)), ctx)
        if span is not None:
            position = URIRef(f"{node}/position")
            self.add(node, OA.hasSelector, position, ctx)
            self.add(position, RDF.type, OA.TextPositionSelector, ctx)
            self.add(position, OA.start, Literal(span[0], datatype=XSD.nonNegativeInteger), ctx)
            self.add(position, OA.end, Literal(span[1], datatype=XSD.nonNegativeInteger), ctx)

    def unit(self, iri: URIRef, unit: unitvocab.Unit) -> None:
        """Scaled and unknown units are described in the data; base units live in ontology.ttl."""
        if unit.base is not None and unit.multiplier == 1:
            return
        self.add(iri, RDF.type, PKG.Unit)
        self.add(iri, SKOS.prefLabel, _zh(unit.text))
        self.add(iri, RDFS.label, _zh(unit.text))
        if unit.base is not None:
            self.add(iri, PKG.baseUnit, URIRef(unitvocab.base_unit_iri(unit.base)))
            self.add(iri, PKG.conversionMultiplier, _dec(Decimal(unit.multiplier)))

    def node(self, node: Any, data: Mapping[str, Any]) -> None:
        iri = entity_iri(node, data)
        node_type, _ = split_node_id(node, data)
        label = node_label(node, data)
        evidence = node_evidence(data)
        docs = supporting_docs(data, evidence)
        self.ctx = tuple(docs)
        self.add(iri, RDF.type, CLASSES.get(node_type, OWL.Thing))
        self.add(iri, SKOS.prefLabel, _zh(label))
        self.add(iri, RDFS.label, _zh(label))
        if node_type in SCHEMA_TYPES:
            self.add(iri, RDF.type, SCHEMA_TYPES[node_type])
            self.add(iri, SDO.name, _zh(label))
        for alias in str_list(data.get("aliases")):
            if alias != label:
                self.add(iri, SKOS.altLabel, _zh(alias))
        if node_type != "Target":
            for doc in docs:
                self.add(iri, PKG.mentionedIn, document_iri(doc), (doc,))
            return
        if data.get("indicator"):
            self.add(iri, PKG.indicator, _zh(data["indicator"]))
        self.add(iri, PKG.value, _decimal(data.get("value")))
        for name in ("unit", "comparator", "status"):
            if data.get(name) not in (None, ""):
                self.add(iri, PKG[name], Literal(clean_text(data[name])))
        if data.get("unit") not in (None, ""):
            unit = unitvocab.parse_unit(clean_text(data["unit"]))
            unit_node = URIRef(unit.iri)
            self.add(iri, PKG.hasUnit, unit_node)
            self.unit(unit_node, unit)
            value = as_float(data.get("value"))
            if value is not None and unit.base is not None:
                self.add(iri, PKG.valueInBaseUnit, _dec(unitvocab.in_base_unit(value, unit)))
        year = as_int(data.get("year"))
        if year is not None:
            self.add(iri, PKG.year, Literal(f"{year:04d}", datatype=XSD.gYear))
        self.provenance(iri, docs, evidence)

    def edge(self, u: Any, v: Any, key: Any, data: Mapping[str, Any]) -> None:
        nodes = self.source.nodes
        relation = edge_relation(key, data)
        s, o = entity_iri(u, nodes[u]), entity_iri(v, nodes[v])
        title = clean_text(data.get("title") or "").strip()
        evidence = sorted_evidence(data.get("evidence"))
        docs = supporting_docs(data, evidence)
        self.ctx = tuple(docs)
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
            self.add(role, RDFS.label, _zh(title))
            predicate, obj = ORG.holds, post
        elif relation == "holds_post":
            predicate, obj = ORG.memberOf, o
        else:
            predicate, obj = relation_property(relation), o
        self.add(s, predicate, obj)
        if relation == "held_event":
            self.add(o, SDO.startDate, _date(data.get("date")))
        if docs or evidence:
            fact = assertion_iri(u, relation, v)
            self.add(fact, RDF.type, PKG.Assertion)
            self.add(fact, RDF.type, PROV.Entity)
            self.add(fact, PKG.assertedSubject, s)
            self.add(fact, PKG.assertedProperty, predicate)
            self.add(fact, PKG.assertedObject, obj)
            if relation == "held_event":  # merged events keep each organiser's date on its own fact
                self.add(fact, PKG.onDate, _date(data.get("date")))
            self.provenance(fact, docs, evidence)

    def document_nodes(self) -> None:
        known: Mapping[str, Any] = self.source.graph.get("documents") or {}
        for doc in sorted(self.documents):
            iri = document_iri(doc)
            meta = known.get(doc) or {}
            self.ctx = (doc,)
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
            self.add(self.build, PROV.used, iri, ())

    def activity(self) -> None:
        """The build and the software that ran it, in the default graph."""
        agent = agent_iri(self.version)
        self.ctx = ()
        self.add(self.build, RDF.type, PROV.Activity)
        self.add(
            self.build, RDFS.label, Literal(f"plankg build ({len(self.documents)} documents)", lang="en")
        )
        self.add(self.build, PROV.wasAssociatedWith, agent)
        self.add(agent, RDF.type, PROV.SoftwareAgent)
        self.add(agent, RDFS.label, Literal(f"plankg {self.version}", lang="en"))
        self.add(agent, SDO.name, Literal("plankg"))
        self.add(agent, SDO.softwareVersion, Literal(self.version))


def rdf_triples(graph: nx.MultiDiGraph, texts: Mapping[str, str] | None = None) -> Triples:
    """All triples of `graph`, each with the documents it belongs to. `texts` (document id -> text, as
    analysed) adds oa:prefix / oa:suffix and sentence positions to the evidence selectors."""
    builder = _Builder(graph, texts)
    for node, data in sorted_nodes(graph):
        builder.node(node, data)
    for u, v, key, data in sorted_edges(graph):
        builder.edge(u, v, key, data)
    builder.document_nodes()
    builder.activity()
    return builder.out


def to_rdf(graph: nx.MultiDiGraph, texts: Mapping[str, str] | None = None) -> Graph:
    """The graph as an rdflib Graph (data only; the ontology is the separate ontology.ttl)."""
    return rdf_triples(graph, texts).to_graph()


def to_dataset(graph: nx.MultiDiGraph, texts: Mapping[str, str] | None = None) -> Dataset:
    """The graph as an rdflib Dataset with one named graph per document (see graph_iri)."""
    return rdf_triples(graph, texts).to_dataset()


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted({line for line in data.decode("utf-8").splitlines() if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def _triples_of(graph: nx.MultiDiGraph, texts: Mapping[str, str] | None, triples: Triples | None) -> Triples:
    """The triples a writer was handed (write_all computes them once for all formats), else the graph's."""
    return triples if triples is not None else rdf_triples(graph, texts)


def write_turtle(
    graph: nx.MultiDiGraph,
    path: str | os.PathLike[str],
    texts: Mapping[str, str] | None = None,
    triples: Triples | None = None,
) -> Path:
    """Write `graph` as Turtle atomically; return the path.

    Serialised by pyoxigraph (Rust): rdflib's Turtle writer needs about 1.5 GB and minutes for
    the half-million triples of a thousand articles. Triples are sorted, so the serialiser
    groups each subject's statements and the file is the same in every build."""
    import pyoxigraph as ox

    triples = _triples_of(graph, texts, triples)
    nodes: dict[Any, Any] = {}

    def term(t: Any) -> Any:
        found = nodes.get(t)
        if found is None:
            if isinstance(t, Literal):
                if t.language:
                    found = ox.Literal(str(t), language=t.language)
                else:
                    found = ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype or XSD.string)))
            else:
                found = ox.NamedNode(str(t))
            nodes[t] = found
        return found

    ordered = sorted(triples.contexts, key=lambda spo: (str(spo[0]), str(spo[1]), str(spo[2])))
    data = ox.serialize(
        (ox.Triple(term(s), term(p), term(o)) for s, p, o in ordered),
        format=ox.RdfFormat.TURTLE,
        prefixes={prefix: str(ns) for prefix, ns in PREFIXES.items()},
    )
    return atomic_write_bytes(path, data)


def write_ntriples(
    graph: nx.MultiDiGraph,
    path: str | os.PathLike[str],
    texts: Mapping[str, str] | None = None,
    triples: Triples | None = None,
) -> Path:
    """N-Triples, lines sorted (the same graph always gives the same bytes)."""
    rdf = _triples_of(graph, texts, triples).to_graph()
    return atomic_write_bytes(path, _sorted_lines(rdf.serialize(format="nt", encoding="utf-8")))


def write_nquads(
    graph: nx.MultiDiGraph,
    path: str | os.PathLike[str],
    texts: Mapping[str, str] | None = None,
    triples: Triples | None = None,
) -> Path:
    """N-Quads with one named graph per document (build provenance in the default graph), lines sorted."""
    data = _triples_of(graph, texts, triples).to_dataset()
    return atomic_write_bytes(path, _sorted_lines(data.serialize(format="nquads", encoding="utf-8")))


def write_jsonld(
    graph: nx.MultiDiGraph,
    path: str | os.PathLike[str],
    texts: Mapping[str, str] | None = None,
    triples: Triples | None = None,
) -> Path:
    """JSON-LD, compacted with the prefixes of the Turtle output as its @context."""
    rdf = _triples_of(graph, texts, triples).to_graph()
    context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    data = json.loads(rdf.serialize(format="json-ld", context=context, auto_compact=True))
    # rdflib's JSON-LD order follows its store's hashing: sort nodes and values so bytes never vary
    nodes = data.get("@graph", [])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    nodes.sort(key=lambda n: str(n.get("@id", "")))
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return atomic_write_bytes(path, text.encode("utf-8"))
