"""`plankg view`: one self-contained HTML page to browse a graph, no network access needed.

The page (template: plankg/view_template.html) carries the graph as JSON and a small hand-written force
layout drawn on a canvas: nodes coloured by type (the palette of exports/style.py, as in Gephi), search by
name or alias, and a side panel with a node's attributes, its edges and their source sentences. It reads the
GraphML, GEXF or node-link JSON written by `plankg build`; the JSON keeps every supporting sentence, the
GraphML and GEXF only the first one of each fact. The panel shows each node's and edge's confidence, and a
slider hides the facts below a chosen confidence (a node below it hides its edges too, as
`plankg build --min-confidence` leaves them out).
"""

from __future__ import annotations

import html
import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from plankg.exports import formats
from plankg.exports.atomic import atomic_write_bytes
from plankg.exports.style import hex_color, node_size, type_color

TEMPLATE = "view_template.html"
# Shown as facts in the side panel in this order; other attributes follow sorted by name.
_NODE_ORDER = ("indicator", "comparator", "value", "unit", "year", "status", "code", "level", "docs")
# Not shown as facts: drawn (colour, size), or shown elsewhere in the panel.
_NODE_HIDDEN = {
    "label",
    "type",
    "r",
    "g",
    "b",
    "size",
    "viz",
    "color",
    "aliases",
    "evidence",
    "id",
    "confidence",
}
_NODE_HIDDEN |= {"sentence", "doc", "start", "end"}
_EDGE_HIDDEN = {"label", "relation", "id", "key", "evidence", "sentence", "doc", "start", "end", "confidence"}


class ViewError(ValueError):
    """The graph file cannot be read."""


def load_graph(path: str | os.PathLike[str]) -> nx.MultiDiGraph:
    """A graph file written by `plankg build`: .graphml (or .xml), .gexf or node-link .json.

    The reader is the format registry's (exports/formats.py) for the suffix; other suffixes are read as
    GraphML."""
    path = Path(path)
    readable = ", ".join(f"{f.name} ({' '.join(f.suffixes)})" for f in formats.all_formats(formats.GRAPH))
    rdf = formats.for_path(path, formats.RDF)
    if rdf is not None:  # a file of the build, but not one view draws
        raise ViewError(f"{path}: {rdf.name} is RDF; plankg view reads {readable} (plankg query reads RDF)")
    fmt = formats.for_path(path, formats.GRAPH) or formats.get("graphml")
    try:
        graph = fmt.read(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise ViewError(f"{path}: cannot read ({exc})") from None
    except Exception as exc:  # noqa: BLE001 - any parse failure is one user-facing message
        raise ViewError(
            f"{path}: not a readable {fmt.name} file ({exc}); plankg view reads {readable}"
        ) from None
    return graph if isinstance(graph, nx.MultiDiGraph) else nx.MultiDiGraph(graph)


def _scalar(value: Any) -> Any:
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, list | tuple):
        return " | ".join(str(v) for v in value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _names(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else str(value).split("|")
    return [str(v).strip() for v in items if str(v).strip()]


def _evidence(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Sentences behind a node or edge: the JSON's `evidence` list, else the flat first sentence."""
    found = data.get("evidence")
    if isinstance(found, list):
        items = [e for e in found if isinstance(e, dict) and e.get("sentence")]
    elif data.get("sentence"):
        items = [data]
    else:
        items = []
    return [{"doc": str(e.get("doc") or ""), "sentence": str(e["sentence"])} for e in items]


def _confidence(data: dict[str, Any]) -> float | None:
    """The probability the node or fact is right, 0..1; None when the file has none (older builds)."""
    try:
        value = float(data["confidence"])
    except (KeyError, TypeError, ValueError):
        return None
    return value if 0 <= value <= 1 else None


def _color(data: dict[str, Any], node_type: str) -> str:
    viz = data.get("viz") if isinstance(data.get("viz"), dict) else {}
    rgb = viz.get("color") if isinstance(viz.get("color"), dict) else data
    try:
        return hex_color(tuple(int(rgb[c]) for c in "rgb"))  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError):
        return hex_color(type_color(node_type))


def payload(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """The JSON the page draws: nodes with facts, edges with relation and sentences, the type legend."""
    index: dict[Any, int] = {}
    nodes = []
    for node in sorted(graph.nodes, key=str):
        data = dict(graph.nodes[node])
        node_id = str(node)
        node_type = str(data.get("type") or (node_id.split(":", 1)[0] if ":" in node_id else "Thing"))
        label = str(data.get("label") or node_id.split(":", 1)[-1] or node_id)
        viz = data.get("viz") if isinstance(data.get("viz"), dict) else {}
        size = data.get("size", viz.get("size"))
        try:
            size = float(size)
        except (TypeError, ValueError):
            size = node_size(graph.degree(node))
        facts = [
            [name, _scalar(data[name])]
            for name in [n for n in _NODE_ORDER if n in data]
            + sorted(n for n in data if n not in _NODE_ORDER and n not in _NODE_HIDDEN)
            if data[name] is not None and data[name] != ""
        ]
        index[node] = len(nodes)
        nodes.append(
            {
                "id": node_id,
                "label": label,
                "type": node_type,
                "color": _color(data, node_type),
                "size": size,
                "aliases": [a for a in _names(data.get("aliases")) if a != label],
                "facts": facts,
                "evidence": _evidence(data),
                "confidence": _confidence(data),
            }
        )
    edges = []
    for u, v, key, data in sorted(
        graph.edges(keys=True, data=True),
        key=lambda e: (str(e[0]), str(e[1]), str(e[3].get("relation") or e[3].get("label") or e[2])),
    ):
        relation = str(data.get("relation") or data.get("label") or key)
        evidence = _evidence(data)
        hidden = set(_EDGE_HIDDEN)
        if set(_names(data.get("docs"))) <= {e["doc"] for e in evidence}:
            hidden.add("docs")  # every supporting document is already shown under its sentence
        facts = [
            [name, _scalar(data[name])]
            for name in sorted(n for n in data if n not in hidden)
            if data[name] is not None and data[name] != ""
        ]
        edges.append(
            {
                "s": index[u],
                "t": index[v],
                "relation": relation,
                "facts": facts,
                "evidence": evidence,
                "confidence": _confidence(data),
            }
        )
    types: dict[str, dict[str, Any]] = {}
    for n in nodes:
        entry = types.setdefault(n["type"], {"type": n["type"], "color": n["color"], "count": 0})
        entry["count"] += 1
    return {"nodes": nodes, "edges": edges, "types": sorted(types.values(), key=lambda t: t["type"])}


def render(graph: nx.MultiDiGraph, title: str = "plankg graph") -> str:
    """The HTML page of `graph`."""
    template = resources.files("plankg").joinpath(TEMPLATE).read_text(encoding="utf-8")
    # "<" as \u003c: the JSON cannot close its <script> element, and JSON.parse reads it back unchanged.
    data = json.dumps(payload(graph), ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return template.replace("__TITLE__", html.escape(title)).replace("__GRAPH_JSON__", data)


def write_view(graph_path: str | os.PathLike[str], out: str | os.PathLike[str] | None = None) -> Path:
    """Read a graph file and write its page (default: beside it, <stem>.html); return the page's path."""
    graph_path = Path(graph_path)
    target = Path(out) if out is not None else graph_path.with_suffix(".html")
    page = render(load_graph(graph_path), title=graph_path.name)
    return atomic_write_bytes(target, page.encode("utf-8"))
