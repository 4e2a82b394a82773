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
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

import networkx as nx
import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

from plankg.graph.model import NODE_TYPES

from . import units as unitvocab
from .atomic import atomic_open
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


def _entity(node: Any, data: Mapping[str, Any] | None = None) -> str:
    node_type, name = split_node_id(node, data or {})
    return f"{ID_BASE}{_enc(node_type)}/{_enc(name)}"


def _document(doc_id: str) -> str:
    return f"{ID_BASE}document/{_enc(doc_id)}"


def _graph(doc_id: str) -> str:
    return f"{ID_BASE}graph/{_enc(doc_id)}"


def _role(title: str) -> str:
    return f"{ID_BASE}role/{_enc(title)}"


def _post(tail: Any, tail_data: Mapping[str, Any], title: str) -> str:
    node_type, name = split_node_id(tail, tail_data)
    return f"{ID_BASE}post/{_enc(node_type)}/{_enc(name)}/{_enc(title)}"


def _assertion(u: Any, relation: str, v: Any) -> str:
    return f"{ID_BASE}assertion/{_digest(u, relation, v)}"


def _evidence(ev: Mapping[str, Any]) -> str:
    if ev.get("start") is not None and ev.get("end") is not None:
        return f"{ID_BASE}evidence/{_enc(ev['doc'])}/{ev['start']}-{ev['end']}"
    return f"{ID_BASE}evidence/{_enc(ev['doc'])}/{_digest(ev.get('sentence', ''))}"


def _agent(version: str) -> str:
    return f"{ID_BASE}agent/plankg/{_enc(version)}"


def _build(version: str, docs: Iterable[str]) -> str:
    return f"{ID_BASE}build/{_digest(version, *sorted(docs))}"


def entity_iri(node: Any, data: Mapping[str, Any] | None = None) -> URIRef:
    """Stable IRI of a graph node: <base><Type>/<percent-encoded name>, from the node id."""
    return URIRef(_entity(node, data))


def document_iri(doc_id: str) -> URIRef:
    return URIRef(_document(doc_id))


def graph_iri(doc_id: str) -> URIRef:
    """Name of the per-document graph in N-Quads output."""
    return URIRef(_graph(doc_id))


def role_iri(title: str) -> URIRef:
    return URIRef(_role(title))


def post_iri(tail: Any, tail_data: Mapping[str, Any], title: str) -> URIRef:
    """A post (e.g. 天河区 区委书记) is shared by whoever holds it: it depends on place and title only."""
    return URIRef(_post(tail, tail_data, title))


def assertion_iri(u: Any, relation: str, v: Any) -> URIRef:
    return URIRef(_assertion(u, relation, v))


def evidence_iri(ev: Mapping[str, Any]) -> URIRef:
    return URIRef(_evidence(ev))


def agent_iri(version: str) -> URIRef:
    return URIRef(_agent(version))


def build_iri(version: str, docs: Iterable[str]) -> URIRef:
    """The build activity: same software version and same documents -> same IRI."""
    return URIRef(_build(version, docs))


def relation_property(relation: str) -> URIRef:
    """pkg: property of a relation; unknown relations get a camelCase pkg: name rather than being dropped."""
    if relation in RELATION_PROPERTIES:
        return RELATION_PROPERTIES[relation]
    head, *rest = [p for p in re.split(r"[^0-9A-Za-z]+", relation) if p] or ["relatedTo"]
    return PKG[head.lower() + "".join(p.capitalize() for p in rest)]


class _Vocabulary:
    """A namespace whose terms are pyoxigraph NamedNodes, made once: a build states millions of triples."""

    def __init__(self, base: Any) -> None:
        self.base = str(base)
        self.terms: dict[str, ox.NamedNode] = {}

    def __getitem__(self, name: str) -> ox.NamedNode:
        term = self.terms.get(name)
        if term is None:
            term = self.terms[name] = ox.NamedNode(self.base + name)
        return term

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        term = self.__dict__[name] = self[name]  # found without __getattr__ from now on
        return term


_PKG, _OA, _ORG, _PROV = _Vocabulary(PKG), _Vocabulary(OA), _Vocabulary(ORG), _Vocabulary(PROV)
_RDF, _RDFS, _OWL, _XSD = _Vocabulary(RDF), _Vocabulary(RDFS), _Vocabulary(OWL), _Vocabulary(XSD)
_SKOS, _SDO, _DCT = _Vocabulary(SKOS), _Vocabulary(SDO), _Vocabulary(DCTERMS)


def _term(iri: Any) -> ox.NamedNode:
    """An rdflib IRI constant (RELATION_PROPERTIES, CLASSES ...) as a pyoxigraph term."""
    return ox.NamedNode(str(iri))


def _zh(text: Any) -> ox.Literal:
    return ox.Literal(clean_text(text), language=LANG)


def _text(text: Any) -> ox.Literal:
    return ox.Literal(clean_text(text))


def _typed(value: Any, datatype: ox.NamedNode) -> ox.Literal:
    return ox.Literal(str(value), datatype=datatype)


def _date(value: Any) -> ox.Literal | None:
    text = clean_text(value or "").strip()
    if not text:
        return None
    for pattern, datatype in _DATE_TYPES:
        if pattern.fullmatch(text):
            return _typed(text, _term(datatype))
    return ox.Literal(text)


def _dec(number: Decimal) -> ox.Literal:
    """xsd:decimal in canonical form (always a point: 100000000.0), so every RDF syntax writes the same."""
    text = format(number.normalize(), "f")
    return _typed(text if "." in text else f"{text}.0", _XSD.decimal)


def _decimal(value: Any) -> ox.Literal | None:
    number = as_float(value)
    if number is None:
        return None
    return _typed(format(Decimal(repr(number)), "f"), _XSD.decimal)


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
    """The RDF of a (small) graph in memory: every triple with the documents it belongs to (empty: the
    default graph). For Python users and tests; the file writers stream instead (see write_rdf)."""

    def __init__(self) -> None:
        self.contexts: dict[tuple, set[str]] = {}

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: Any, docs: Iterable[str] = ()) -> None:
        self.contexts.setdefault((s, p, o), set()).update(docs)

    def __len__(self) -> int:
        return len(self.contexts)

    def to_graph(self) -> Graph:
        rdf = Graph(bind_namespaces="core")
        for prefix, namespace in PREFIXES.items():
            rdf.bind(prefix, namespace)
        for s, p, o in self.contexts:
            rdf.add((_rdflib(s), _rdflib(p), _rdflib(o)))
        return rdf

    def to_dataset(self) -> Dataset:
        """Triples with documents go into each document's named graph, the rest into the default graph."""
        data = Dataset()
        for prefix, namespace in PREFIXES.items():
            data.bind(prefix, namespace)
        graphs: dict[str, Graph] = {}
        for (s, p, o), docs in self.contexts.items():
            triple = (_rdflib(s), _rdflib(p), _rdflib(o))
            if not docs:
                data.add(triple)
            for doc in sorted(docs):
                if doc not in graphs:
                    graphs[doc] = data.graph(graph_iri(doc))
                graphs[doc].add(triple)
        return data


_PREFIXES = {prefix: str(ns) for prefix, ns in PREFIXES.items()}


def _rdflib(term: Any) -> URIRef | Literal:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


# s, p, o, supporting documents, and whether the triple was stated before (then only new documents)
Statement = tuple[ox.NamedNode, ox.NamedNode, Any, tuple[str, ...], bool]


class _Builder:
    """Turns the graph into statements; keeps the per-fact provenance code in one place.

    Statements are produced node by node and edge by edge (`take` hands over each batch), so the
    writers stream them and memory does not grow with the number of triples. Each triple is stated
    once: entity, fact and evidence triples are unique by construction, and the few kinds shared
    between facts (posts, roles, units, event dates) go through `once`.
    """

    def __init__(self, graph: nx.MultiDiGraph, texts: Mapping[str, str] | None = None) -> None:
        self.source = graph
        self.texts = texts or {}
        self.buffer: list[Statement] = []
        # evidence already described, by (document, start, end, sentence): one sentence often
        # supports several facts
        self.described: set[tuple] = set()
        self.stated: set[tuple] = set()  # (s, p, o, doc) of the shared kinds
        self.documents: set[str] = set(str(d) for d in (graph.graph.get("documents") or {}))
        self.documents |= self._cited_docs()
        self.version = _version()
        self.build = ox.NamedNode(_build(self.version, self.documents))
        self.ctx: tuple[str, ...] = ()

    def _cited_docs(self) -> set[str]:
        docs: set[str] = set()
        items = [d for _, d in self.source.nodes(data=True)] + [d for *_, d in self.source.edges(data=True)]
        for data in items:
            docs.update(str_list(data.get("docs")))
            evidence = data.get("evidence") or ([data] if data.get("doc") else [])
            docs.update(str(ev["doc"]) for ev in evidence if isinstance(ev, Mapping) and ev.get("doc"))
        return {clean_text(d) for d in docs}

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: Any, docs: Iterable[str] | None = None) -> None:
        if o is not None:
            self.buffer.append((s, p, o, self.ctx if docs is None else tuple(docs), False))

    def once(self, s: ox.NamedNode, p: ox.NamedNode, o: Any) -> None:
        """A triple several facts share: stated once per supporting document (and once without)."""
        if o is None:
            return
        new = tuple(d for d in self.ctx if (s, p, o, d) not in self.stated)
        if (s, p, o, None) not in self.stated:
            self.stated.add((s, p, o, None))
            self.buffer.append((s, p, o, self.ctx, False))
        elif new:
            self.buffer.append((s, p, o, new, True))
        self.stated.update((s, p, o, d) for d in self.ctx)

    def take(self) -> list[Statement]:
        batch, self.buffer = self.buffer, []
        return batch

    def provenance(self, fact: ox.NamedNode, docs: list[str], evidence: list[dict[str, Any]]) -> None:
        """fact prov:wasDerivedFrom its documents, prov:wasGeneratedBy the build; pkg:hasEvidence spans."""
        self.add(fact, _PROV.wasGeneratedBy, self.build)
        for doc in docs:
            self.add(fact, _PROV.wasDerivedFrom, ox.NamedNode(_document(doc)), (doc,))
        cited = [(ox.NamedNode(_evidence(ev)), ev) for ev in evidence if ev.get("doc")]
        for node, ev in cited:  # all the fact's own triples first: Turtle then writes one block
            self.add(fact, _PKG.hasEvidence, node, (ev["doc"],))
        for node, ev in cited:
            self.evidence(node, ev)

    def evidence(self, node: ox.NamedNode, ev: Mapping[str, Any]) -> None:
        key = (ev["doc"], ev.get("start"), ev.get("end"), ev.get("sentence"))
        if key in self.described:
            return
        self.described.add(key)
        doc = ev["doc"]
        ctx = (doc,)
        source = ox.NamedNode(_document(doc))
        self.add(node, _RDF.type, _PKG.Evidence, ctx)
        self.add(node, _RDF.type, _PROV.Entity, ctx)
        self.add(node, _RDF.type, _OA.SpecificResource, ctx)
        self.add(node, _PROV.wasDerivedFrom, source, ctx)
        self.add(node, _OA.hasSource, source, ctx)
        sentence = clean_text(ev.get("sentence") or "")
        if sentence:
            self.add(node, _PKG.sentence, ox.Literal(sentence, language=LANG), ctx)
        for name in ("start", "end"):
            if ev.get(name) is not None:
                self.add(node, _PKG[name], _typed(ev[name], _XSD.integer), ctx)
        text = self.texts.get(doc)
        span = sentence_span(ev, text)
        quote_sel = ox.NamedNode(f"{node.value}/quote") if sentence else None
        position = ox.NamedNode(f"{node.value}/position") if span is not None else None
        self.add(node, _OA.hasSelector, quote_sel, ctx)
        self.add(node, _OA.hasSelector, position, ctx)
        if quote_sel is not None:
            self.add(quote_sel, _RDF.type, _OA.TextQuoteSelector, ctx)
            self.add(quote_sel, _OA.exact, ox.Literal(sentence), ctx)
            if span is not None and text is not None:
                a, b = span
                prefix, suffix = text[max(0, a - CONTEXT_CHARS) : a], text[b : b + CONTEXT_CHARS]
                if prefix:  # none at the very start / end of the document
                    self.add(quote_sel, _OA.prefix, _text(prefix), ctx)
                if suffix:
                    self.add(quote_sel, _OA.suffix, _text(suffix), ctx)
        if position is not None and span is not None:
            self.add(position, _RDF.type, _OA.TextPositionSelector, ctx)
            self.add(position, _OA.start, _typed(span[0], _XSD.nonNegativeInteger), ctx)
            self.add(position, _OA.end, _typed(span[1], _XSD.nonNegativeInteger), ctx)

    def unit(self, iri: ox.NamedNode, unit: unitvocab.Unit) -> None:
        """Scaled and unknown units are described in the data; base units live in ontology.ttl."""
        if unit.base is not None and unit.multiplier == 1:
            return
        self.once(iri, _RDF.type, _PKG.Unit)
        self.once(iri, _SKOS.prefLabel, _zh(unit.text))
        self.once(iri, _RDFS.label, _zh(unit.text))
        if unit.base is not None:
            self.once(iri, _PKG.baseUnit, ox.NamedNode(unitvocab.base_unit_iri(unit.base)))
            self.once(iri, _PKG.conversionMultiplier, _dec(Decimal(unit.multiplier)))

    def node(self, node: Any, data: Mapping[str, Any]) -> None:
        iri = ox.NamedNode(_entity(node, data))
        node_type, _ = split_node_id(node, data)
        label = node_label(node, data)
        evidence = node_evidence(data)
        docs = supporting_docs(data, evidence)
        self.ctx = tuple(docs)
        self.add(iri, _RDF.type, _term(CLASSES.get(node_type, OWL.Thing)))
        self.add(iri, _SKOS.prefLabel, _zh(label))
        self.add(iri, _RDFS.label, _zh(label))
        if node_type in SCHEMA_TYPES:
            self.add(iri, _RDF.type, _term(SCHEMA_TYPES[node_type]))
            self.add(iri, _SDO.name, _zh(label))
        for alias in str_list(data.get("aliases")):
            if alias != label:
                self.add(iri, _SKOS.altLabel, _zh(alias))
        if node_type != "Target":
            for doc in docs:
                self.add(iri, _PKG.mentionedIn, ox.NamedNode(_document(doc)), (doc,))
            return
        if data.get("indicator"):
            self.add(iri, _PKG.indicator, _zh(data["indicator"]))
        self.add(iri, _PKG.value, _decimal(data.get("value")))
        for name in ("unit", "comparator", "status"):
            if data.get(name) not in (None, ""):
                self.add(iri, _PKG[name], _text(data[name]))
        if data.get("unit") not in (None, ""):
            unit = unitvocab.parse_unit(clean_text(data["unit"]))
            unit_node = ox.NamedNode(unit.iri)
            self.add(iri, _PKG.hasUnit, unit_node)
            self.unit(unit_node, unit)
            value = as_float(data.get("value"))
            if value is not None and unit.base is not None:
                self.add(iri, _PKG.valueInBaseUnit, _dec(unitvocab.in_base_unit(value, unit)))
        year = as_int(data.get("year"))
        if year is not None:
            self.add(iri, _PKG.year, _typed(f"{year:04d}", _XSD.gYear))
        self.provenance(iri, docs, evidence)

    def edge(self, u: Any, v: Any, key: Any, data: Mapping[str, Any]) -> None:
        nodes = self.source.nodes
        relation = edge_relation(key, data)
        s, o = ox.NamedNode(_entity(u, nodes[u])), ox.NamedNode(_entity(v, nodes[v]))
        title = clean_text(data.get("title") or "").strip()
        evidence = sorted_evidence(data.get("evidence"))
        docs = supporting_docs(data, evidence)
        self.ctx = tuple(docs)
        if relation == "holds_post" and title:
            post, role = ox.NamedNode(_post(v, nodes[v], title)), ox.NamedNode(_role(title))
            self.once(post, _RDF.type, _ORG.Post)
            self.once(post, _ORG.heldBy, s)
            self.once(post, _ORG.postIn, o)
            self.once(post, _ORG.role, role)
            self.once(post, _RDFS.label, _zh(f"{node_label(v, nodes[v])} {title}"))
            self.once(role, _RDF.type, _ORG.Role)
            self.once(role, _RDF.type, _SKOS.Concept)
            self.once(role, _SKOS.prefLabel, _zh(title))
            self.once(role, _RDFS.label, _zh(title))
            predicate, obj = _ORG.holds, post
        elif relation == "holds_post":
            predicate, obj = _ORG.memberOf, o
        else:
            predicate, obj = _term(relation_property(relation)), o
        self.add(s, predicate, obj)
        if relation == "held_event":
            self.once(o, _SDO.startDate, _date(data.get("date")))
        if docs or evidence:
            fact = ox.NamedNode(_assertion(u, relation, v))
            self.add(fact, _RDF.type, _PKG.Assertion)
            self.add(fact, _RDF.type, _PROV.Entity)
            self.add(fact, _PKG.assertedSubject, s)
            self.add(fact, _PKG.assertedProperty, predicate)
            self.add(fact, _PKG.assertedObject, obj)
            if relation == "held_event":  # merged events keep each organiser's date on its own fact
                self.add(fact, _PKG.onDate, _date(data.get("date")))
            self.provenance(fact, docs, evidence)

    def document_nodes(self) -> None:
        known: Mapping[str, Any] = self.source.graph.get("documents") or {}
        for doc in sorted(self.documents):
            iri = ox.NamedNode(_document(doc))
            meta = known.get(doc) or {}
            self.ctx = (doc,)
            self.add(iri, _RDF.type, _PKG.Document)
            self.add(iri, _RDF.type, _PROV.Entity)
            self.add(iri, _DCT.identifier, ox.Literal(doc))
            if isinstance(meta, Mapping):
                self.add(iri, _DCT.date, _date(meta.get("date")))
                if meta.get("source"):
                    self.add(iri, _DCT.source, _text(meta["source"]))
                chars = as_int(meta.get("chars"))
                if chars is not None:
                    self.add(iri, _PKG.characters, _typed(chars, _XSD.integer))
            self.add(self.build, _PROV.used, iri, ())

    def activity(self) -> None:
        """The build and the software that ran it, in the default graph."""
        agent = ox.NamedNode(_agent(self.version))
        self.ctx = ()
        self.add(self.build, _RDF.type, _PROV.Activity)
        self.add(
            self.build,
            _RDFS.label,
            ox.Literal(f"plankg build ({len(self.documents)} documents)", language="en"),
        )
        self.add(self.build, _PROV.wasAssociatedWith, agent)
        self.add(agent, _RDF.type, _PROV.SoftwareAgent)
        self.add(agent, _RDFS.label, ox.Literal(f"plankg {self.version}", language="en"))
        self.add(agent, _SDO.name, ox.Literal("plankg"))
        self.add(agent, _SDO.softwareVersion, ox.Literal(self.version))


def rdf_statements(graph: nx.MultiDiGraph, texts: Mapping[str, str] | None = None) -> Iterator[Statement]:
    """Every triple of `graph` once, with the documents it belongs to, as a stream. `texts` (document
    id -> text, as analysed) adds oa:prefix / oa:suffix and sentence positions to the evidence selectors."""
    builder = _Builder(graph, texts)
    for node, data in sorted_nodes(graph):
        builder.node(node, data)
        yield from builder.take()
    for u, v, key, data in sorted_edges(graph):
        builder.edge(u, v, key, data)
        yield from builder.take()
    builder.document_nodes()
    builder.activity()
    yield from builder.take()


def rdf_triples(graph: nx.MultiDiGraph, texts: Mapping[str, str] | None = None) -> Triples:
    """All triples of `graph` in memory, each with the documents it belongs to."""
    triples = Triples()
    for s, p, o, docs, _ in rdf_statements(graph, texts):
        triples.add(s, p, o, docs)
    return triples


def to_rdf(graph: nx.MultiDiGraph, texts: Mapping[str, str] | None = None) -> Graph:
    """The graph as an rdflib Graph (data only; the ontology is the separate ontology.ttl)."""
    return rdf_triples(graph, texts).to_graph()


def to_dataset(graph: nx.MultiDiGraph, texts: Mapping[str, str] | None = None) -> Dataset:
    """The graph as an rdflib Dataset with one named graph per document (see graph_iri)."""
    return rdf_triples(graph, texts).to_dataset()


RDF_SYNTAXES = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def _quads(statements: Iterable[Statement]) -> Iterator[ox.Quad]:
    """Each triple in the named graph of every document behind it; the rest in the default graph."""
    graphs: dict[str, ox.NamedNode] = {}
    for s, p, o, docs, _ in statements:
        if not docs:
            yield ox.Quad(s, p, o)
        for doc in docs:
            graph = graphs.get(doc)
            if graph is None:
                graph = graphs[doc] = ox.NamedNode(_graph(doc))
            yield ox.Quad(s, p, o, graph)


def write_rdf(
    graph: nx.MultiDiGraph,
    paths: Mapping[str, str | os.PathLike[str]],
    texts: Mapping[str, str] | None = None,
) -> list[Path]:
    """Write the graph in RDF syntaxes (`paths`: "ttl" / "nt" / "nq" / "jsonld" -> file), each atomically.

    Statements stream from the graph into pyoxigraph's serialisers (Rust), so no triple table is held:
    a thousand articles give over a million evidence triples, which as rdflib terms took a gigabyte.
    The order follows the sorted graph, so the same graph always gives the same bytes."""
    unknown = sorted(set(paths) - set(RDF_SYNTAXES))
    if unknown:
        raise ValueError(f"unknown RDF syntax(es) {unknown}; choose from {sorted(RDF_SYNTAXES)}")
    written = []
    for fmt, path in paths.items():
        syntax = RDF_SYNTAXES[fmt]
        statements = rdf_statements(graph, texts)
        if fmt == "nq":
            stream: Iterator[Any] = _quads(statements)
        else:
            stream = (ox.Triple(s, p, o) for s, p, o, _, again in statements if not again)
        prefixes = _PREFIXES if fmt in ("ttl", "jsonld") else None
        with atomic_open(path, "wb") as fh:
            ox.serialize(stream, fh, syntax, prefixes=prefixes)
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
