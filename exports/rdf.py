"""The graph as RDF statements, streamed: the mapping of the model to the terms of ontology.ttl.

This module only states triples (pyoxigraph terms, see exports/terms.py) with the documents behind each;
IRIs come from exports/iris.py, the files are written by exports/rdfwrite.py, rdflib views are in
exports/rdfgraph.py.

Mapping
* Each node: rdf:type pkg:<Type>, skos:prefLabel and rdfs:label its label, skos:altLabel its aliases (@zh),
  pkg:confidence (xsd:decimal, 4 places) when the node has one, pkg:mentionedIn the documents it was seen in. Target nodes add pkg:indicator, pkg:value (xsd:decimal),
  pkg:unit, pkg:comparator, pkg:year (xsd:gYear) and pkg:status.
* Each edge: one direct triple (subject pkg:partOf object, ...), so plain queries need no provenance.
  holds_post follows W3C ORG: person org:holds an org:Post, which is org:postIn the district/organization
  and has an org:role (a skos:Concept named by the title); without a title it is just org:memberOf. Each
  holds_post is also an org:Membership (org:member, org:organization, org:role) whose org:memberDuring is an
  OWL-Time time:Interval from the edge's `first_seen` to its `last_seen` (time:hasBeginning / time:hasEnd, a
  time:Instant each, time:inXSDDate): when the documents saw the post held.
  held_event's date becomes schema:startDate of the event.
* Provenance without RDF reification: each fact that has documents or evidence (an edge, or a Target node)
  is described by a resource: Targets themselves, and for edges one pkg:Assertion (a prov:Entity pointing at
  the triple with pkg:assertedSubject / pkg:assertedProperty / pkg:assertedObject, and the edge's
  pkg:confidence). The fact is
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
* Targets get pkg:hasUnit, an IRI from the unit vocabulary (exports/units.py, base units declared in
  ontology.ttl), and pkg:valueInBaseUnit (value x pkg:conversionMultiplier, e.g. 35.5 亿元 -> 3550000000 元).
  Every unit used is also described in the data (a base unit's declaration is copied from ontology.ttl),
  so graph.ttl passes the shapes without the ontology.
* Officials are also schema:Person, Districts schema:AdministrativeArea and Platforms schema:Place, each
  with schema:name, so schema.org-only consumers need no reasoner.
* Per-document named graphs (N-Quads): every triple is filed under the documents that support it (entity
  descriptions under each document that mentions the entity, facts and their provenance under their
  supporting documents); the build activity, its prov:used links and the software agent are in a graph
  named by the build activity's IRI, so the default graph is empty and a store's union of named graphs
  (Fuseki's unionDefaultGraph leaves the default graph out) holds every triple. Document graph IRIs are
  <base>graph/<document id>.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from functools import cache
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import networkx as nx
import pyoxigraph as ox

from plankg.graph.model import NodeType, Relation
from plankg.graph.quantity import split_scale

from . import iris
from . import units as unitvocab
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
from .terms import (
    CLASSES,
    DCT,
    INSTANT_PROPERTIES,
    LANG,
    OA,
    ORG,
    OWL,
    PKG,
    PROV,
    RDF,
    RDFS,
    SCHEMA_TYPES,
    SDO,
    SKOS,
    TIME,
    XSD,
    canonical_decimal,
    confidence,
    date,
    decimal,
    plain,
    relation_property,
    typed,
    zh,
)

CONTEXT_CHARS = 32  # characters of prefix / suffix in a TextQuoteSelector


@cache
def base_unit_declarations() -> dict[str, list[tuple[ox.NamedNode, Any]]]:
    """unit IRI -> (property, object) of its declaration in ontology.ttl, for the base units."""
    source = resources.files(__package__).joinpath("ontology.ttl").read_bytes()
    found: dict[str, list[tuple[ox.NamedNode, Any]]] = {}
    for t in ox.parse(source, format=ox.RdfFormat.TURTLE):
        if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(unitvocab.UNIT_BASE):
            found.setdefault(t.subject.value, []).append((t.predicate, t.object))
    return found


def software_version() -> str:
    """plankg's installed version, for the build activity (read from the package metadata, so that
    exports/ needs nothing from the command-line package)."""
    try:
        return version("plankg")
    except PackageNotFoundError:  # running from a source tree
        return "0.0.0"


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


# s, p, o, supporting documents (or the name of the graph, for the build's own statements), and whether the
# triple was stated before (then only new documents)
Statement = tuple[ox.NamedNode, ox.NamedNode, Any, tuple[str | ox.NamedNode, ...], bool]


class _Builder:
    """Turns the graph into statements; keeps the per-fact provenance code in one place.

    Statements are produced node by node and edge by edge (`take` hands over each batch), so the
    writers stream them and memory does not grow with the number of triples. Each triple is stated
    once: entity, fact and evidence triples are unique by construction, and the few kinds shared
    between facts (posts, roles, units, event dates) go through `once`.
    """

    def __init__(
        self, graph: nx.MultiDiGraph, texts: Mapping[str, str] | None = None, version: str | None = None
    ) -> None:
        self.source = graph
        self.texts = texts or {}
        self.buffer: list[Statement] = []
        # evidence already described, by (document, start, end, sentence): one sentence often
        # supports several facts
        self.described: set[tuple] = set()
        self.stated: set[tuple] = set()  # (s, p, o, doc) of the shared kinds
        self.documents: set[str] = set(str(d) for d in (graph.graph.get("documents") or {}))
        self.documents |= self._cited_docs()
        self.version = version or software_version()
        self.build = ox.NamedNode(iris.build_iri(self.version, self.documents))
        self.ctx: tuple[str | ox.NamedNode, ...] = ()

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
        self.add(fact, PROV.wasGeneratedBy, self.build)
        for doc in docs:
            self.add(fact, PROV.wasDerivedFrom, ox.NamedNode(iris.document_iri(doc)), (doc,))
        cited = [(ox.NamedNode(iris.evidence_iri(ev)), ev) for ev in evidence if ev.get("doc")]
        for node, ev in cited:  # all the fact's own triples first: Turtle then writes one block
            self.add(fact, PKG.hasEvidence, node, (ev["doc"],))
        for node, ev in cited:
            self.evidence(node, ev)

    def evidence(self, node: ox.NamedNode, ev: Mapping[str, Any]) -> None:
        key = (ev["doc"], ev.get("start"), ev.get("end"), ev.get("sentence"))
        if key in self.described:
            return
        self.described.add(key)
        doc = ev["doc"]
        ctx = (doc,)
        source = ox.NamedNode(iris.document_iri(doc))
        self.add(node, RDF.type, PKG.Evidence, ctx)
        self.add(node, RDF.type, PROV.Entity, ctx)
        self.add(node, RDF.type, OA.SpecificResource, ctx)
        self.add(node, PROV.wasDerivedFrom, source, ctx)
        self.add(node, OA.hasSource, source, ctx)
        sentence = clean_text(ev.get("sentence") or "")
        if sentence:
            self.add(node, PKG.sentence, ox.Literal(sentence, language=LANG), ctx)
        for name in ("start", "end"):
            if ev.get(name) is not None:
                self.add(node, PKG[name], typed(ev[name], XSD.integer), ctx)
        text = self.texts.get(doc)
        span = sentence_span(ev, text)
        quote_sel = ox.NamedNode(f"{node.value}/quote") if sentence else None
        position = ox.NamedNode(f"{node.value}/position") if span is not None else None
        self.add(node, OA.hasSelector, quote_sel, ctx)
        self.add(node, OA.hasSelector, position, ctx)
        if quote_sel is not None:
            self.add(quote_sel, RDF.type, OA.TextQuoteSelector, ctx)
            self.add(quote_sel, OA.exact, ox.Literal(sentence), ctx)
            if span is not None and text is not None:
                a, b = span
                prefix, suffix = text[max(0, a - CONTEXT_CHARS) : a], text[b : b + CONTEXT_CHARS]
                if prefix:  # none at the very start / end of the document
                    self.add(quote_sel, OA.prefix, plain(prefix), ctx)
                if suffix:
                    self.add(quote_sel, OA.suffix, plain(suffix), ctx)
        if position is not None and span is not None:
            self.add(position, RDF.type, OA.TextPositionSelector, ctx)
            self.add(position, OA.start, typed(span[0], XSD.nonNegativeInteger), ctx)
            self.add(position, OA.end, typed(span[1], XSD.nonNegativeInteger), ctx)

    def unit(self, iri: ox.NamedNode, unit: unitvocab.Unit) -> None:
        """Every unit a target uses is described in the data, so that graph.ttl validates on its own: base
        units with their declaration copied from ontology.ttl, scaled ones (亿元) with pkg:baseUnit and
        pkg:conversionMultiplier (and their base unit), unknown ones with a label."""
        if unit.base is None:
            self.once(iri, RDF.type, PKG.Unit)
            self.once(iri, SKOS.prefLabel, zh(unit.text))
            self.once(iri, RDFS.label, zh(unit.text))
            return
        base = ox.NamedNode(unitvocab.base_unit_iri(unit.base))
        declared = base_unit_declarations().get(base.value, [])
        for p, o in declared:
            self.once(base, p, o)
        if unit.multiplier == 1:
            return
        scale, _ = split_scale(unit.text)
        # one label per IRI: 万平方公里 and 万平方千米 are one unit, named by the base unit's preferred label
        base_label = next((o.value for p, o in declared if p == SKOS.prefLabel), unit.text)
        label = (scale.word if scale is not None else "") + base_label
        self.once(iri, RDF.type, PKG.Unit)
        self.once(iri, SKOS.prefLabel, zh(label))
        self.once(iri, RDFS.label, zh(label))
        self.once(iri, PKG.baseUnit, base)
        self.once(iri, PKG.conversionMultiplier, canonical_decimal(Decimal(unit.multiplier)))

    def node(self, node: Any, data: Mapping[str, Any]) -> None:
        iri = ox.NamedNode(iris.entity_iri(node, data))
        node_type, _ = split_node_id(node, data)
        label = node_label(node, data)
        evidence = node_evidence(data)
        docs = supporting_docs(data, evidence)
        self.ctx = tuple(docs)
        self.add(iri, RDF.type, CLASSES.get(node_type, OWL.Thing))
        self.add(iri, SKOS.prefLabel, zh(label))
        self.add(iri, RDFS.label, zh(label))
        if node_type in SCHEMA_TYPES:
            self.add(iri, RDF.type, SCHEMA_TYPES[node_type])
            self.add(iri, SDO.name, zh(label))
        for alias in str_list(data.get("aliases")):
            if alias != label:
                self.add(iri, SKOS.altLabel, zh(alias))
        self.add(iri, PKG.confidence, confidence(data.get("confidence")))
        if node_type != NodeType.TARGET:
            for doc in docs:
                self.add(iri, PKG.mentionedIn, ox.NamedNode(iris.document_iri(doc)), (doc,))
            return
        if data.get("indicator"):
            self.add(iri, PKG.indicator, zh(data["indicator"]))
        self.add(iri, PKG.value, decimal(data.get("value")))
        for name in ("unit", "comparator", "status"):
            if data.get(name) not in (None, ""):
                self.add(iri, PKG[name], plain(data[name]))
        if data.get("unit") not in (None, ""):
            unit = unitvocab.parse_unit(clean_text(data["unit"]))
            unit_node = ox.NamedNode(unit.iri)
            self.add(iri, PKG.hasUnit, unit_node)
            self.unit(unit_node, unit)
            value = as_float(data.get("value"))
            if value is not None and unit.base is not None:
                self.add(iri, PKG.valueInBaseUnit, canonical_decimal(unitvocab.in_base_unit(value, unit)))
        year = as_int(data.get("year"))
        if year is not None:
            self.add(iri, PKG.year, typed(f"{year:04d}", XSD.gYear))
        self.provenance(iri, docs, evidence)

    def edge(self, u: Any, v: Any, key: Any, data: Mapping[str, Any]) -> None:
        nodes = self.source.nodes
        relation = edge_relation(key, data)
        s, o = ox.NamedNode(iris.entity_iri(u, nodes[u])), ox.NamedNode(iris.entity_iri(v, nodes[v]))
        title = clean_text(data.get("title") or "").strip()
        evidence = sorted_evidence(data.get("evidence"))
        docs = supporting_docs(data, evidence)
        self.ctx = tuple(docs)
        if relation == Relation.HOLDS_POST and title:
            post, role = ox.NamedNode(iris.post_iri(v, nodes[v], title)), ox.NamedNode(iris.role_iri(title))
            self.once(post, RDF.type, ORG.Post)
            self.once(post, ORG.heldBy, s)
            self.once(post, ORG.postIn, o)
            self.once(post, ORG.role, role)
            self.once(post, RDFS.label, zh(f"{node_label(v, nodes[v])} {title}"))
            self.once(role, RDF.type, ORG.Role)
            self.once(role, RDF.type, SKOS.Concept)
            self.once(role, SKOS.prefLabel, zh(title))
            self.once(role, RDFS.label, zh(title))
            predicate, obj = ORG.holds, post
        elif relation == Relation.HOLDS_POST:
            predicate, obj = ORG.memberOf, o
        else:
            predicate, obj = relation_property(relation), o
        self.add(s, predicate, obj)
        if relation == Relation.HOLDS_POST:
            self.membership(u, v, s, o, title, data)
        if relation == Relation.HELD_EVENT:
            self.once(o, SDO.startDate, date(data.get("date")))
        if docs or evidence:
            fact = ox.NamedNode(iris.assertion_iri(u, relation, v))
            self.add(fact, RDF.type, PKG.Assertion)
            self.add(fact, RDF.type, PROV.Entity)
            self.add(fact, PKG.assertedSubject, s)
            self.add(fact, PKG.assertedProperty, predicate)
            self.add(fact, PKG.assertedObject, obj)
            self.add(fact, PKG.confidence, confidence(data.get("confidence")))
            if relation == Relation.HELD_EVENT:  # merged events keep each organiser's date on its own fact
                self.add(fact, PKG.onDate, date(data.get("date")))
            self.provenance(fact, docs, evidence)

    def membership(
        self, u: Any, v: Any, person: ox.NamedNode, body: ox.NamedNode, title: str, data: Mapping[str, Any]
    ) -> None:
        """The post as an org:Membership, held during the interval its documents saw it (first to last)."""
        node = ox.NamedNode(iris.membership_iri(u, v))
        self.add(node, RDF.type, ORG.Membership)
        self.add(node, ORG.member, person)
        self.add(node, ORG.organization, body)
        if title:
            self.add(node, ORG.role, ox.NamedNode(iris.role_iri(title)))
        ends = [(TIME.hasBeginning, date(data.get("first_seen"))), (TIME.hasEnd, date(data.get("last_seen")))]
        ends = [(p, d) for p, d in ends if d is not None and d.datatype.value in INSTANT_PROPERTIES]
        if not ends:
            return
        interval = ox.NamedNode(f"{node.value}/during")
        self.add(node, ORG.memberDuring, interval)
        self.add(interval, RDF.type, TIME.Interval)
        for prop, day in ends:
            instant = ox.NamedNode(f"{interval.value}/{'beginning' if prop == TIME.hasBeginning else 'end'}")
            self.add(interval, prop, instant)
            self.add(instant, RDF.type, TIME.Instant)
            self.add(instant, INSTANT_PROPERTIES[day.datatype.value], day)

    def document_nodes(self) -> None:
        known: Mapping[str, Any] = self.source.graph.get("documents") or {}
        for doc in sorted(self.documents):
            iri = ox.NamedNode(iris.document_iri(doc))
            meta = known.get(doc) or {}
            self.ctx = (doc,)
            self.add(iri, RDF.type, PKG.Document)
            self.add(iri, RDF.type, PROV.Entity)
            self.add(iri, DCT.identifier, ox.Literal(doc))
            if isinstance(meta, Mapping):
                self.add(iri, DCT.date, date(meta.get("date")))
                if meta.get("source"):
                    self.add(iri, DCT.source, plain(meta["source"]))
                chars = as_int(meta.get("chars"))
                if chars is not None:
                    self.add(iri, PKG.characters, typed(chars, XSD.integer))
            self.add(self.build, PROV.used, iri, (self.build,))

    def activity(self) -> None:
        """The build and the software that ran it, in the named graph named by the build's IRI."""
        agent = ox.NamedNode(iris.agent_iri(self.version))
        self.ctx = (self.build,)  # a named graph of its own: every triple of the N-Quads is in a named graph
        self.add(self.build, RDF.type, PROV.Activity)
        self.add(
            self.build,
            RDFS.label,
            ox.Literal(f"plankg build ({len(self.documents)} documents)", language="en"),
        )
        self.add(self.build, PROV.wasAssociatedWith, agent)
        self.add(agent, RDF.type, PROV.SoftwareAgent)
        self.add(agent, RDFS.label, ox.Literal(f"plankg {self.version}", language="en"))
        self.add(agent, SDO.name, ox.Literal("plankg"))
        self.add(agent, SDO.softwareVersion, ox.Literal(self.version))


def rdf_statements(
    graph: nx.MultiDiGraph, texts: Mapping[str, str] | None = None, version: str | None = None
) -> Iterator[Statement]:
    """Every triple of `graph` once, with the documents it belongs to, as a stream. `texts` (document
    id -> text, as analysed) adds oa:prefix / oa:suffix and sentence positions to the evidence selectors;
    `version` (default: the installed plankg's) names the software of the build activity."""
    builder = _Builder(graph, texts, version)
    for node, data in sorted_nodes(graph):
        builder.node(node, data)
        yield from builder.take()
    for u, v, key, data in sorted_edges(graph):
        builder.edge(u, v, key, data)
        yield from builder.take()
    builder.document_nodes()
    builder.activity()
    yield from builder.take()


def quads(statements: Iterable[Statement]) -> Iterator[ox.Quad]:
    """Each triple in the named graph of every document behind it (the build's provenance in the build's
    graph); a triple with no document (none is written so) in the default graph."""
    graphs: dict[str, ox.NamedNode] = {}
    for s, p, o, docs, _ in statements:
        if not docs:
            yield ox.Quad(s, p, o)
        for doc in docs:
            if isinstance(doc, ox.NamedNode):
                yield ox.Quad(s, p, o, doc)
                continue
            name = graphs.get(doc)
            if name is None:
                name = graphs[doc] = ox.NamedNode(iris.graph_iri(doc))
            yield ox.Quad(s, p, o, name)


def triples(statements: Iterable[Statement]) -> Iterator[ox.Triple]:
    """Each triple once (statements that only file a triple under more documents are left out)."""
    return (ox.Triple(s, p, o) for s, p, o, _, again in statements if not again)
