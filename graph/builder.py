"""Merge per-document facts into one corpus graph, resolving names across documents.

Input is plain data (`DocumentFacts`), so the graph knows nothing of spaCy: the NLP side
converts its Doc extensions into these records. Merging is associative: the graph of
A+B equals merging the graph of B into the graph of A.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

import networkx as nx

from .model import (
    Comparator,
    DocumentFacts,
    EntityKey,
    EntityRecord,
    NodeType,
    Relation,
    TargetRecord,
    clean_name,
    node_id,
    target_id,
)


class GraphBuilder:
    """Accumulates documents into one MultiDiGraph."""

    def __init__(self) -> None:
        self.graph = nx.MultiDiGraph()
        self.graph.graph["documents"] = {}
        # alias -> canonical node id, per type, to merge 国际金融城 into 广州国际金融城
        self.alias_index: dict[tuple[str, str], str] = {}
        # evidence already on each edge from the document being added (evidence names its document,
        # so items of different documents never repeat each other): a set, as a popular edge
        # gathers thousands of items and a list scan made merging quadratic
        self.evidence_seen: dict[tuple[str, str, str], set[tuple]] = {}
        # one string object per distinct sentence: several facts of a sentence share it
        self.sentences: dict[str, str] = {}

    # -- nodes ----------------------------------------------------------------------------
    def resolve(self, etype: NodeType, name: str) -> str:
        name = clean_name(name)
        return self.alias_index.get((etype, name), node_id(etype, name))

    def add_entity(self, record: EntityRecord, doc_id: str) -> str:
        name = clean_name(record.name)
        aliases = {clean_name(a) for a in record.aliases} - {name, ""}
        nid = node_id(record.type, record.identity) if record.identity else None
        for candidate in [] if nid else [name, *sorted(aliases)]:
            if (record.type, candidate) in self.alias_index:
                nid = self.alias_index[(record.type, candidate)]
                break
        if nid is None:
            nid = node_id(record.type, name)
        g = self.graph
        if nid not in g:
            g.add_node(nid, type=str(record.type), label=name, aliases=[], docs=[], confidence=0.0)
        data = g.nodes[nid]
        data["confidence"] = max(data["confidence"], record.confidence)
        # the canonical label is the fullest form seen (广州国际金融城 over 国际金融城)
        names = set(data["aliases"]) | {data["label"], name} | aliases
        label = data["label"]
        if len(name) > len(label) and record.type != NodeType.DISTRICT:
            label = name
        data["label"] = label
        data["aliases"] = sorted(n for n in names if n != label)
        add_sorted(data["docs"], doc_id)
        for key, value in record.attrs.items():
            data.setdefault(key, value)
        for n in names:
            self.alias_index.setdefault((record.type, n), nid)
        return nid

    # -- edges ----------------------------------------------------------------------------
    def add_edge(
        self, u: str, v: str, relation: Relation, doc_id: str, evidence: dict, attrs: dict, confidence: float
    ) -> None:
        g = self.graph
        relation = str(relation)  # graph attributes are the contract's plain strings
        if g.has_edge(u, v, key=relation):
            data = g.edges[u, v, relation]
        else:
            g.add_edge(u, v, key=relation, relation=relation, docs=[], evidence=[], confidence=0.0)
            data = g.edges[u, v, relation]
        data["confidence"] = max(data["confidence"], confidence)
        add_sorted(data["docs"], doc_id)
        seen = self.evidence_seen.setdefault((u, v, relation), set())
        key = tuple(evidence.values())
        if key not in seen:
            seen.add(key)
            data["evidence"].append(evidence)
        for key, value in attrs.items():
            if value in (None, ""):
                continue
            if key == "title" and data.get("title") and value not in data["title"].split("、"):
                data["title"] = "、".join(dict.fromkeys([*data["title"].split("、"), *value.split("、")]))
            else:
                data.setdefault(key, value)

    def evidence(self, doc_id: str, sentence: str, start: int, end: int) -> dict:
        """An evidence item; facts of one sentence share its string."""
        sentence = self.sentences.setdefault(sentence, sentence)
        return {"doc": doc_id, "sentence": sentence, "start": start, "end": end}

    # -- documents ------------------------------------------------------------------------
    def add_document(self, facts: DocumentFacts) -> None:
        g = self.graph
        self.evidence_seen = {}
        if facts.doc_id in g.graph["documents"]:  # added again: its evidence may be on the edges
            for u, v, key, data in g.edges(keys=True, data=True):
                for ev in data["evidence"]:
                    if ev["doc"] == facts.doc_id:
                        self.evidence_seen.setdefault((u, v, key), set()).add(tuple(ev.values()))
        g.graph["documents"][facts.doc_id] = {
            "date": facts.date,
            "chars": facts.chars,
            "source": facts.source,
        }
        ids: dict[EntityKey, str] = {}
        for record in facts.entities:
            ids[EntityKey(record.type, record.name)] = self.add_entity(record, facts.doc_id)
        for rel in facts.relations:
            u = ids.get(rel.head) or self.resolve(*rel.head)
            v = ids.get(rel.tail) or self.resolve(*rel.tail)
            if u == v or u not in g or v not in g:
                continue
            evidence = self.evidence(facts.doc_id, rel.sentence, rel.start, rel.end)
            self.add_edge(u, v, rel.relation, facts.doc_id, evidence, rel.attrs, rel.confidence)
        for t in facts.targets:
            subject = ids.get(t.subject) or self.resolve(*t.subject)
            if subject not in g:
                continue
            tid = target_id(subject, clean_name(t.indicator), t.value, t.unit, t.year, t.status)
            evidence = self.evidence(facts.doc_id, t.sentence, t.start, t.end)
            if tid not in g:
                g.add_node(
                    tid,
                    type=str(NodeType.TARGET),
                    label=_target_label(t),
                    aliases=[],
                    docs=[],
                    indicator=clean_name(t.indicator),
                    value=float(t.value),
                    unit=t.unit,
                    comparator=str(t.comparator),
                    year=t.year,
                    status=str(t.status),
                    sentence=t.sentence,
                    doc=facts.doc_id,
                    start=t.start,
                    end=t.end,
                    confidence=0.0,
                )
            data = g.nodes[tid]
            data["confidence"] = max(data["confidence"], t.confidence)
            add_sorted(data["docs"], facts.doc_id)
            self.add_edge(subject, tid, Relation.SETS_TARGET, facts.doc_id, evidence, {}, t.confidence)

    def build(self, documents: Iterable[DocumentFacts]) -> nx.MultiDiGraph:
        for facts in documents:
            self.add_document(facts)
        return self.graph


def add_sorted(items: list[str], item: str) -> None:
    """Insert into a sorted list unless present (document lists grow with the corpus)."""
    at = bisect_left(items, item)
    if at == len(items) or items[at] != item:
        items.insert(at, item)


# how a target's label words its comparator (= is left unsaid)
COMPARATOR_WORDS = {
    Comparator.GT: "超",
    Comparator.GE: "不低于",
    Comparator.APPROX: "约",
    Comparator.LE: "不超过",
    Comparator.LT: "低于",
}


def _target_label(t: TargetRecord) -> str:
    cmp = COMPARATOR_WORDS.get(t.comparator, "")
    year = f"({t.year})" if t.year else ""
    return f"{clean_name(t.indicator)}{cmp}{t.value:g}{t.unit}{year}"


def summary(graph: nx.MultiDiGraph) -> dict[str, dict[str, int]]:
    """Counts of nodes by type and edges by relation, for the CLI report."""
    nodes: dict[str, int] = {}
    for _, data in graph.nodes(data=True):
        nodes[data.get("type", "?")] = nodes.get(data.get("type", "?"), 0) + 1
    edges: dict[str, int] = {}
    for *_, data in graph.edges(data=True):
        edges[data.get("relation", "?")] = edges.get(data.get("relation", "?"), 0) + 1
    return {"nodes": dict(sorted(nodes.items())), "edges": dict(sorted(edges.items()))}


__all__ = ["GraphBuilder", "add_sorted", "summary"]
