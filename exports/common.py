"""Helpers shared by the GraphML and Turtle writers, so both read the graph model the same way.

The exporters only read the graph (see graph/model.py); they never change it and tolerate missing
optional attributes, because a half-finished corpus build should still be inspectable.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

# Characters XML 1.0 forbids (C0 controls other than tab/newline/CR, surrogates, U+FFFE/U+FFFF). Scraped
# news text does contain them, and one would make the whole GraphML file unreadable.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: Any) -> str:
    """str(value) without characters that XML (and so GraphML, and most RDF tools) cannot carry."""
    text = value if type(value) is str else str(value)
    return _XML_INVALID.sub("", text) if _XML_INVALID.search(text) else text


def split_node_id(node: Any, data: Mapping[str, Any]) -> tuple[str, str]:
    """(type, canonical name) of a node: ids are "<Type>:<name>", the `type` attribute wins for the type."""
    text = str(node)
    prefix, sep, name = text.partition(":")
    node_type = str(data.get("type") or (prefix if sep else "") or "Thing")
    if not sep:
        name = text
    return node_type, name


def node_label(node: Any, data: Mapping[str, Any]) -> str:
    """A non-empty display label: Gephi and the scorer both need one on every node."""
    label = clean_text(data.get("label") or "").strip()
    if not label and data.get("indicator"):  # an unlabelled Target: "经济总量 > 7000亿元 2024"
        value = as_float(data.get("value"))
        figure = f"{value:g}{data.get('unit') or ''}" if value is not None else ""
        parts = [data["indicator"], data.get("comparator") or "", figure, as_int(data.get("year")) or ""]
        label = clean_text(" ".join(str(p) for p in parts if p != "")).strip()
    return label or clean_text(split_node_id(node, data)[1]).strip() or clean_text(node)


def as_int(value: Any) -> int | None:
    """int or None; tolerates 2024.0 and "2024" from upstream, never yields the string "None"."""
    if type(value) is int:  # the common case, and bool (a subclass) is not it
        return value
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or number != int(number):
        return None
    return int(number)


def as_float(value: Any) -> float | None:
    """Finite float or None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def str_list(values: Any) -> list[str]:
    """Sorted, de-duplicated, non-empty strings from a list (or a single string)."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return sorted({text for v in values if v is not None and (text := clean_text(v).strip())})


def sorted_evidence(evidence: Any) -> list[dict[str, Any]]:
    """Evidence dicts in a stable order (doc, start, end, sentence), duplicates removed.

    Documents may be processed in any order (or in parallel); sorting keeps "the first sentence"
    and the output bytes independent of that order.
    """
    seen: dict[tuple, dict[str, Any]] = {}
    for item in evidence or []:
        if not isinstance(item, Mapping):
            continue
        ev = {
            "doc": clean_text(item.get("doc") or ""),
            "sentence": clean_text(item.get("sentence") or ""),
            "start": as_int(item.get("start")),
            "end": as_int(item.get("end")),
        }
        key = (
            ev["doc"],
            ev["start"] if ev["start"] is not None else -1,
            ev["end"] if ev["end"] is not None else -1,
            ev["sentence"],
        )
        seen.setdefault(key, ev)
    return [seen[k] for k in sorted(seen)]


def node_evidence(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Evidence of a node: its `evidence` list, else the flat sentence/doc/start/end of Target nodes."""
    if data.get("evidence"):
        return sorted_evidence(data["evidence"])
    if data.get("sentence") or data.get("doc"):
        return sorted_evidence([{k: data.get(k) for k in ("doc", "sentence", "start", "end")}])
    return []


def supporting_docs(data: Mapping[str, Any], evidence: Iterable[Mapping[str, Any]] = ()) -> list[str]:
    """Sorted ids of the documents behind a node or edge (its `docs` plus the docs of its evidence)."""
    return str_list([*str_list(data.get("docs")), *(ev["doc"] for ev in evidence if ev.get("doc"))])


def edge_relation(key: Any, data: Mapping[str, Any]) -> str:
    """The edge's relation; edges are keyed by relation, so the key is the fallback."""
    return clean_text(data.get("relation") or key or "related_to").strip() or "related_to"


def sorted_nodes(graph: nx.MultiDiGraph) -> list[tuple[Any, dict[str, Any]]]:
    """Nodes ordered by id so that the same graph always gives the same bytes."""
    return sorted(graph.nodes(data=True), key=lambda item: str(item[0]))


def sorted_edges(graph: nx.MultiDiGraph) -> list[tuple[Any, Any, Any, dict[str, Any]]]:
    """Edges ordered by (source, target, relation, key, title, date), independent of insertion order."""

    def order(item: tuple[Any, Any, Any, dict[str, Any]]) -> tuple[str, ...]:
        u, v, key, data = item
        return (
            str(u),
            str(v),
            edge_relation(key, data),
            str(key),
            str(data.get("title") or ""),
            str(data.get("date") or ""),
        )

    if graph.is_multigraph():
        edges = list(graph.edges(keys=True, data=True))
    else:
        edges = [(u, v, None, d) for u, v, d in graph.edges(data=True)]
    return sorted(edges, key=order)
