"""What a build writes, chosen by the researcher: `plankg build --min-confidence X --evidence all|first|none|N`.

Every node and edge of the model graph carries `confidence`, the probability that it is right (see
graph/model.py). Researchers who prefer fewer but surer facts set a minimum; the fact store keeps
everything, so the filter runs on the finished graph, just before it is written, and a later build can
choose another threshold.

Evidence (every supporting sentence of every fact) is most of the output: one sentence becomes a Web
Annotation of about 17 triples, so a corpus that repeats its facts gives a Turtle file far larger than its
graph. `limit_evidence` keeps all of it (the default), the first N sentences of each fact, or none; the
documents behind each fact (`docs`) are always kept.
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx


def _sure(data: dict[str, Any], minimum: float) -> bool:
    """A graph item without a usable confidence counts as sure (1.0): older graphs have none."""
    value = data.get("confidence", 1.0)
    try:
        value = float(value)
    except (TypeError, ValueError):
        return True
    return math.isnan(value) or value >= minimum


def filter_by_confidence(graph: nx.MultiDiGraph, minimum: float) -> nx.MultiDiGraph:
    """A copy of `graph` without the nodes and edges whose confidence is below `minimum`.

    A node below the threshold takes its edges with it (a Target below it leaves its sets_target edge
    out); an edge below it goes alone, so its nodes stay even when no other edge is left to them. The
    input graph is not changed; attribute dictionaries are copied, list values are shared."""
    kept = nx.MultiDiGraph()
    kept.graph.update(graph.graph)
    kept.add_nodes_from((n, dict(d)) for n, d in graph.nodes(data=True) if _sure(d, minimum))
    kept.add_edges_from(
        (u, v, k, dict(d))
        for u, v, k, d in graph.edges(keys=True, data=True)
        if u in kept and v in kept and _sure(d, minimum)
    )
    return kept


EVIDENCE_FIELDS = ("sentence", "doc", "start", "end")  # a Target node's own (first) evidence


def _order(item: dict[str, Any]) -> tuple:
    """The exporters' order of evidence (document, start, end, sentence), so "first" is the sentence
    GraphML shows."""
    start, end = item.get("start"), item.get("end")
    return (
        str(item.get("doc") or ""),
        start if isinstance(start, int) else -1,
        end if isinstance(end, int) else -1,
        str(item.get("sentence") or ""),
    )


def parse_evidence(choice: str | int | None) -> int | None:
    """--evidence as a per-fact cap: "all" -> None (no cap), "first" -> 1, "none" -> 0, "3" -> 3."""
    if choice is None:
        return None
    text = str(choice).strip().lower()
    named = {"all": None, "first": 1, "none": 0}
    if text in named:
        return named[text]
    if text.isdigit():
        return int(text)
    raise ValueError(f"evidence must be all, first, none or a number of sentences per fact, not {choice!r}")


def limit_evidence(graph: nx.MultiDiGraph, keep: int | None) -> nx.MultiDiGraph:
    """A copy of `graph` with at most `keep` supporting sentences per node and edge (None: all of them).

    With keep=0 a Target node also loses its own sentence, doc and offsets; `docs` stays everywhere, so
    every fact still names the documents behind it."""
    out = nx.MultiDiGraph()
    out.graph.update(graph.graph)
    for node, data in graph.nodes(data=True):
        out.add_node(node, **_limited(data, keep))
    for u, v, k, data in graph.edges(keys=True, data=True):
        out.add_edge(u, v, key=k, **_limited(data, keep))
    return out


def _limited(data: dict, keep: int | None) -> dict:
    """A node's or edge's attributes with at most `keep` supporting sentences (keep=0: none of its own)."""
    data = dict(data)
    if keep is not None and isinstance(data.get("evidence"), list):
        data["evidence"] = sorted(data["evidence"], key=_order)[:keep]
    if keep == 0:
        for name in EVIDENCE_FIELDS:
            data.pop(name, None)
    return data


def evidence_count(graph: nx.MultiDiGraph) -> tuple[int, int]:
    """(evidence items over all facts, distinct sentence spans): what the build summary reports; the RDF
    files describe each distinct span once (a pkg:Evidence), and link every fact to each of its items."""
    items = 0
    spans: set[tuple] = set()
    every = [d for _, d in graph.nodes(data=True)] + [d for *_, d in graph.edges(data=True)]
    for data in every:
        found = data.get("evidence")
        if not isinstance(found, list):
            found = [{k: data.get(k) for k in EVIDENCE_FIELDS}] if data.get("sentence") else []
        for item in found:
            if isinstance(item, dict):
                items += 1
                spans.add(_order(item))
    return items, len(spans)


__all__ = ["evidence_count", "filter_by_confidence", "limit_evidence", "parse_evidence"]
