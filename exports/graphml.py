"""GraphML export: the file the scorer (score.py), networkx, igraph and Gephi read.

GraphML can only carry scalar values and Gephi needs a label on everything, so the model graph is first
flattened into a plain copy:

* lists (aliases, docs) are joined with "|" (a "|" inside a name becomes the full-width "｜");
* evidence is flattened to its first supporting sentence (`sentence`, `doc`, `start`, `end`) in a stable
  order; `docs` lists every supporting document and the integer `weight` (>= 1) counts them;
* every node and edge gets a non-empty `label` (edge label = relation);
* nodes get Gephi's visual attributes: integer `r`, `g`, `b` (0-255, one colour per `type`, see
  exports/style.py) and `size` (from the degree);
* edges get unique ids e0, e1, ... in sorted order, so the same graph always gives byte-identical files;
* `year`, `start`, `end`, `weight`, `r`, `g`, `b` are integers, `value`, `size` and `confidence` (the
  probability that the node or fact is right, 0..1) doubles; None is omitted, never written as "None";
* each attribute name has one type per scope (mixed types are widened: int+float -> double, else string).

The XML is written here rather than by networkx because Gephi needs two things networkx cannot write: the
relation in the XML attribute `label` of every <edge> (Gephi's importer takes it as the edge type; parallel
edges of one type between the same nodes are merged into one, so without it a pair's part_of and
has_project would collapse), and edge ids that are unique over the file (networkx writes the multigraph
keys, which repeat). Keys are declared for="node" or for="edge" only (Gephi ignores for="all" keys when it
maps label/size/r/g/b/weight).
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

import networkx as nx

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
from .style import node_size, type_color

SEPARATOR = "|"
_INT_FIELDS = ("year", "start", "end", "weight", "r", "g", "b")
_FLOAT_FIELDS = ("value", "size", "confidence")
# Handled explicitly below; anything else the builder adds is passed through as a scalar.
_NODE_FIELDS = (
    "type",
    "label",
    "aliases",
    "docs",
    "indicator",
    "value",
    "unit",
    "comparator",
    "year",
    "status",
    "confidence",
    "sentence",
    "doc",
    "start",
    "end",
    "evidence",
    "r",
    "g",
    "b",
    "size",
)
_EDGE_FIELDS = (
    "relation",
    "label",
    "weight",
    "title",
    "date",
    "confidence",
    "docs",
    "sentence",
    "doc",
    "start",
    "end",
    "evidence",
)


def _join(values: Any) -> str:
    """Lists of names as one "|"-separated string, as score.py splits them."""
    return SEPARATOR.join(v.replace(SEPARATOR, "｜") for v in str_list(values))


def _scalar(value: Any) -> str | int | float | bool | None:
    """Any attribute value as a GraphML scalar: lists are joined, mappings become JSON text."""
    if value is None:
        return None
    if isinstance(value, bool | int | str):
        return clean_text(value) if isinstance(value, str) else value
    if isinstance(value, float):
        return as_float(value)
    if isinstance(value, list | tuple | set | frozenset) and all(
        isinstance(v, str | int | float) and not isinstance(v, bool) for v in value
    ):
        return _join(value) or None
    return clean_text(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str))


def _put(out: dict[str, Any], name: str, value: Any) -> None:
    """Set a field with its fixed type, dropping None and empty strings."""
    if name in _INT_FIELDS:
        value = as_int(value)
    elif name in _FLOAT_FIELDS:
        value = as_float(value)
    elif value is not None and not isinstance(value, bool | int | float):
        value = clean_text(value).strip()
    if value is not None and value != "":
        out[name] = value


def _evidence_fields(out: dict[str, Any], evidence: list[dict[str, Any]]) -> None:
    if evidence:
        first = evidence[0]
        for name in ("sentence", "doc", "start", "end"):
            _put(out, name, first.get(name))


def _extras(out: dict[str, Any], data: Mapping[str, Any], known: tuple[str, ...]) -> None:
    for name in sorted(str(k) for k in data if str(k) not in known):
        value = _scalar(data[name])
        if value is not None and value != "":
            out[name] = value


def _flat_node(node: Any, data: Mapping[str, Any], degree: int = 0) -> dict[str, Any]:
    out: dict[str, Any] = {}
    node_type, _ = split_node_id(node, data)
    label = node_label(node, data)
    _put(out, "type", node_type)
    _put(out, "label", label)
    _put(out, "aliases", _join(a for a in str_list(data.get("aliases")) if a != label))
    evidence = node_evidence(data)
    _put(out, "docs", _join(supporting_docs(data, evidence)))
    for name in ("indicator", "value", "unit", "comparator", "year", "status", "confidence"):
        _put(out, name, data.get(name))
    _evidence_fields(out, evidence)
    for name, value in zip(("r", "g", "b"), type_color(node_type), strict=True):
        _put(out, name, value)
    _put(out, "size", node_size(degree))
    _extras(out, data, _NODE_FIELDS)
    return out


def _flat_edge(key: Any, data: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    relation = edge_relation(key, data)
    evidence = sorted_evidence(data.get("evidence"))
    docs = supporting_docs(data, evidence)
    _put(out, "relation", relation)
    _put(out, "label", relation)
    _put(out, "weight", max(1, len(docs)))
    _put(out, "title", data.get("title"))
    _put(out, "date", data.get("date"))
    _put(out, "confidence", data.get("confidence"))
    _put(out, "docs", _join(docs))
    _evidence_fields(out, evidence)
    _extras(out, data, _EDGE_FIELDS)
    return out


def _unify_types(items: list[dict[str, Any]]) -> None:
    """One GraphML key per attribute name: widen mixed types in place (int+float -> float, else str)."""
    types: dict[str, set[type]] = defaultdict(set)
    for attrs in items:
        for name, value in attrs.items():
            types[name].add(type(value))
    for name, found in types.items():
        if len(found) < 2:
            continue
        target: type = float if found <= {int, float} else str
        for attrs in items:
            if name in attrs:
                attrs[name] = target(attrs[name])


def _node_id(node: Any) -> str:
    """The node id as written: never empty (Gephi skips such a node and aborts on an edge to it)."""
    return clean_text(node).strip() or "_"


def to_plain_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A scalar-only copy of `graph`, nodes and edges in sorted order, edges keyed e0, e1, ...

    The edge keys become the GraphML edge ids (networkx writes the key as the id of a multigraph edge).
    """
    plain = nx.MultiDiGraph()
    nodes = [(_node_id(n), _flat_node(n, d, graph.degree(n))) for n, d in sorted_nodes(graph)]
    edges = [(_node_id(u), _node_id(v), _flat_edge(k, d)) for u, v, k, d in sorted_edges(graph)]
    _unify_types([attrs for _, attrs in nodes])
    _unify_types([attrs for _, _, attrs in edges])
    plain.add_nodes_from(nodes)
    for index, (u, v, attrs) in enumerate(edges):
        plain.add_edge(u, v, key=f"e{index}", **attrs)
    return plain


_XML_TYPES = {bool: "boolean", int: "int", float: "double", str: "string"}


def _text(value: Any) -> str:
    """A scalar as GraphML text: booleans lower case, floats in Python's shortest round-trip form."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return clean_text(value)


def _attr(value: str) -> str:
    """A double-quoted XML attribute value (newlines and tabs kept as character references)."""
    return '"' + escape(value, {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}) + '"'


def _body(value: str) -> str:
    return escape(value, {"\r": "&#13;"})


def _keys(scope: str, items: list[dict[str, Any]], known: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(key id, attribute name, GraphML type) of a scope: the known fields in order, then the rest sorted."""
    types: dict[str, type] = {}
    for attrs in items:
        for name, value in attrs.items():
            types.setdefault(name, type(value))
    order = [n for n in dict.fromkeys(known) if n in types] + sorted(n for n in types if n not in known)
    return [(f"{scope}_{name}", name, _XML_TYPES.get(types[name], "string")) for name in order]


def serialise(plain: nx.MultiDiGraph, fh: IO[bytes]) -> None:
    """Write the plain graph (see to_plain_graph) as GraphML to a binary file handle."""
    node_known = ("label", "type", "r", "g", "b", "size") + _NODE_FIELDS
    edge_known = ("label", "relation", "weight") + _EDGE_FIELDS
    node_keys = _keys("node", [d for _, d in plain.nodes(data=True)], node_known)
    edge_keys = _keys("edge", [d for _, _, d in plain.edges(data=True)], edge_known)
    lines = [
        "<?xml version='1.0' encoding='utf-8'?>",
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ]
    for scope, keys in (("node", node_keys), ("edge", edge_keys)):
        for key_id, name, xml_type in keys:
            lines.append(
                f"  <key id={_attr(key_id)} for={_attr(scope)} attr.name={_attr(name)} "
                f"attr.type={_attr(xml_type)} />"
            )
    lines.append('  <graph edgedefault="directed">')

    def data_lines(attrs: Mapping[str, Any], keys: list[tuple[str, str, str]]) -> None:
        for key_id, name, _ in keys:
            if name in attrs:
                lines.append(f"      <data key={_attr(key_id)}>{_body(_text(attrs[name]))}</data>")

    for node, attrs in plain.nodes(data=True):
        lines.append(f"    <node id={_attr(node)}>")
        data_lines(attrs, node_keys)
        lines.append("    </node>")
    for u, v, key, attrs in plain.edges(keys=True, data=True):
        lines.append(
            f"    <edge id={_attr(str(key))} source={_attr(u)} target={_attr(v)} "
            f"label={_attr(str(attrs['label']))}>"
        )
        data_lines(attrs, edge_keys)
        lines.append("    </edge>")
    lines += ["  </graph>", "</graphml>", ""]
    fh.write("\n".join(lines).encode("utf-8"))


def write_graphml(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> Path:
    """Write `graph` as GraphML atomically; return the path."""
    plain = to_plain_graph(graph)
    with atomic_open(path, "wb") as fh:
        serialise(plain, fh)
    return Path(path)


def read_graphml(path: str | os.PathLike[str]) -> nx.MultiDiGraph:
    """A GraphML file as a networkx MultiDiGraph (parallel edges of different relations kept apart)."""
    return nx.read_graphml(path, force_multigraph=True)
