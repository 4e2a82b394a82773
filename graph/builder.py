"""Merge per-document facts into one corpus graph, resolving names across documents.

Input is plain data (`DocumentFacts`), so the graph knows nothing of spaCy: the NLP side
converts its Doc extensions into these records. Merging is associative: the graph of
A+B equals merging the graph of B into the graph of A.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from .model import node_id, target_id

QUOTES = "\"'“”‘’「」『』《》〈〉"


def clean_name(name: str) -> str:
    """Names keep their quotes and spaces out: “百千万工程” -> 百千万工程."""
    name = unicodedata.normalize("NFC", name)
    return "".join(ch for ch in name if ch not in QUOTES and not ch.isspace())


@dataclass
class EntityRecord:
    type: str
    name: str
    aliases: list[str] = field(default_factory=list)
    attrs: dict = field(default_factory=dict)
    # an external identity (a division code): records with one merge by it alone, so that
    # namesakes in different cities (two 鼓楼区) stay apart and 鼓楼 never merges them
    identity: str = ""


@dataclass
class RelationRecord:
    head: tuple[str, str]
    relation: str
    tail: tuple[str, str]
    sentence: str
    start: int
    end: int
    attrs: dict = field(default_factory=dict)


@dataclass
class TargetRecord:
    subject: tuple[str, str]
    indicator: str
    value: float
    unit: str
    comparator: str
    year: int | None
    status: str
    sentence: str
    start: int
    end: int


@dataclass
class DocumentFacts:
    doc_id: str
    date: str | None
    chars: int
    source: str
    entities: list[EntityRecord]
    relations: list[RelationRecord]
    targets: list[TargetRecord]


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
    def resolve(self, etype: str, name: str) -> str:
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
            g.add_node(nid, type=record.type, label=name, aliases=[], docs=[])
        data = g.nodes[nid]
        # the canonical label is the fullest form seen (广州国际金融城 over 国际金融城)
        names = set(data["aliases"]) | {data["label"], name} | aliases
        label = data["label"]
        if len(name) > len(label) and record.type not in ("District",):
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
    def add_edge(self, u: str, v: str, relation: str, doc_id: str, evidence: dict, attrs: dict) -> None:
        g = self.graph
        if g.has_edge(u, v, key=relation):
            data = g.edges[u, v, relation]
        else:
            g.add_edge(u, v, key=relation, relation=relation, docs=[], evidence=[])
            data = g.edges[u, v, relation]
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
        ids: dict[tuple[str, str], str] = {}
        for record in facts.entities:
            ids[(record.type, record.name)] = self.add_entity(record, facts.doc_id)
        for rel in facts.relations:
            u = ids.get(rel.head) or self.resolve(*rel.head)
            v = ids.get(rel.tail) or self.resolve(*rel.tail)
            if u == v or u not in g or v not in g:
                continue
            evidence = self.evidence(facts.doc_id, rel.sentence, rel.start, rel.end)
            self.add_edge(u, v, rel.relation, facts.doc_id, evidence, rel.attrs)
        for t in facts.targets:
            subject = ids.get(t.subject) or self.resolve(*t.subject)
            if subject not in g:
                continue
            tid = target_id(subject, clean_name(t.indicator), t.value, t.unit, t.year, t.status)
            evidence = self.evidence(facts.doc_id, t.sentence, t.start, t.end)
            if tid not in g:
                g.add_node(
                    tid,
                    type="Target",
                    label=_target_label(t),
                    aliases=[],
                    docs=[],
                    indicator=clean_name(t.indicator),
                    value=float(t.value),
                    unit=t.unit,
                    comparator=t.comparator,
                    year=t.year,
                    status=t.status,
                    sentence=t.sentence,
                    doc=facts.doc_id,
                    start=t.start,
                    end=t.end,
                )
            data = g.nodes[tid]
            add_sorted(data["docs"], facts.doc_id)
            self.add_edge(subject, tid, "sets_target", facts.doc_id, evidence, {})

    def build(self, documents: Iterable[DocumentFacts]) -> nx.MultiDiGraph:
        for facts in documents:
            self.add_document(facts)
        return self.graph


def add_sorted(items: list[str], item: str) -> None:
    """Insert into a sorted list unless present (document lists grow with the corpus)."""
    at = bisect_left(items, item)
    if at == len(items) or items[at] != item:
        items.insert(at, item)


def _target_label(t: TargetRecord) -> str:
    cmp = {">": "超", ">=": "不低于", "~": "约", "<=": "不超过", "<": "低于"}.get(t.comparator, "")
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


__all__ = [
    "GraphBuilder",
    "DocumentFacts",
    "EntityRecord",
    "RelationRecord",
    "TargetRecord",
    "summary",
    "clean_name",
    "re",
]
