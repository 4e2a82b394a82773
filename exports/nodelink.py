"""networkx node-link JSON export, for d3 and other JavaScript tools.

    {"directed": true, "multigraph": true, "graph": {"documents": {...}},
     "nodes": [{"id": ..., "label": ..., "type": ..., "r", "g", "b", "size", "color": "#1f77b4", ...}],
     "links": [{"source": ..., "target": ..., "key": relation, "id": "e0", "relation": ..., ...}]}

`networkx.node_link_graph(data, edges="links")` reads it back into a MultiDiGraph keyed by relation, as
the model is. Fields are those of the GraphML file (see exports/graphml.py) except that JSON keeps lists:
`aliases` and `docs` are arrays, and `evidence` lists every supporting sentence ({"doc", "sentence",
"start", "end"}), not only the first. Nodes and links come in the GraphML order, so the bytes are stable.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import networkx as nx

from .atomic import atomic_write_bytes
from .common import clean_text, node_evidence, sorted_edges, sorted_evidence, str_list, supporting_docs
from .graphml import to_plain_graph
from .style import hex_color


def _documents(graph: nx.MultiDiGraph) -> dict[str, Any]:
    docs = graph.graph.get("documents") or {}
    out: dict[str, Any] = {}
    for doc_id in sorted(docs, key=str):
        meta = docs[doc_id] if isinstance(docs[doc_id], dict) else {}
        out[clean_text(doc_id)] = {str(k): meta[k] for k in sorted(meta, key=str) if meta[k] is not None}
    return out


def node_link_data(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """The node-link dictionary of the model graph (what write_nodelink writes)."""
    plain = to_plain_graph(graph)
    model_nodes = dict(graph.nodes(data=True))
    nodes = []
    for (node, attrs), original in zip(plain.nodes(data=True), sorted(model_nodes, key=str), strict=True):
        data = model_nodes[original]
        item: dict[str, Any] = {"id": node, **attrs}
        item["aliases"] = [a for a in str_list(data.get("aliases")) if a != attrs.get("label")]
        evidence = node_evidence(data)
        item["docs"] = supporting_docs(data, evidence)
        if evidence:
            item["evidence"] = evidence
        if all(isinstance(attrs.get(c), int) for c in "rgb"):
            item["color"] = hex_color((attrs["r"], attrs["g"], attrs["b"]))
        nodes.append(item)
    links = []
    for (u, v, key, attrs), (_, _, model_key, data) in zip(
        plain.edges(keys=True, data=True), sorted_edges(graph), strict=True
    ):
        evidence = sorted_evidence(data.get("evidence"))
        item = {"source": u, "target": v, "key": attrs.get("relation") or str(model_key), "id": key, **attrs}
        item["docs"] = supporting_docs(data, evidence)
        item["evidence"] = evidence
        links.append(item)
    return {
        "directed": True,
        "multigraph": True,
        "graph": {"documents": _documents(graph)},
        "nodes": nodes,
        "links": links,
    }


def write_nodelink(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> Path:
    """Write `graph` as node-link JSON atomically; return the path."""
    text = json.dumps(node_link_data(graph), ensure_ascii=False, indent=1, default=str)
    return atomic_write_bytes(path, (text + "\n").encode("utf-8"))


def read_nodelink(path: str | os.PathLike[str]) -> nx.MultiDiGraph:
    """A node-link JSON file as a MultiDiGraph."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    try:
        return nx.node_link_graph(data, directed=True, multigraph=True, edges="links")
    except TypeError:  # networkx < 3.4 has no `edges` argument; "links" is its default
        return nx.node_link_graph(data, directed=True, multigraph=True)
