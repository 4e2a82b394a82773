"""GEXF 1.3 export: Gephi's native format, with colours and sizes in its viz namespace.

The attributes are those of the GraphML file (the same flattened copy, see exports/graphml.py), laid out the
GEXF way:

* node: `id`, `label` (XML attributes), <viz:color r g b> (integers 0-255: a non-integer colour aborts
  Gephi's import), <viz:size>, and every other field (`type`, `aliases`, Target fields, ...) as an attvalue;
* edge: unique `id` (e0, e1, ...), `label` and `kind` = the relation (Gephi keeps parallel edges of
  different kinds apart instead of merging them), `weight` (>= 1), the other fields as attvalues.

Attribute ids are the attribute names, declared once per class with one type. No timestamp is written, so
the same graph always gives the same bytes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

import networkx as nx

from .atomic import atomic_open
from .common import clean_text
from .graphml import to_plain_graph

NS = "http://gexf.net/1.3"
NS_VIZ = "http://gexf.net/1.3/viz"
_GEXF_TYPES = {bool: "boolean", int: "integer", float: "double", str: "string"}
# Written as XML attributes or viz elements, not as attvalues.
_NODE_BUILTIN = ("label", "r", "g", "b", "size")
_EDGE_BUILTIN = ("label", "weight")


def _attr(value: Any) -> str:
    text = "true" if value is True else "false" if value is False else clean_text(value)
    return '"' + escape(text, {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}) + '"'


def _declare(items: list[Mapping[str, Any]], builtin: tuple[str, ...]) -> list[tuple[str, str]]:
    """(name, GEXF type) of every attvalue of a class, in first-seen order (the plain graph is sorted)."""
    types: dict[str, type] = {}
    for attrs in items:
        for name, value in attrs.items():
            if name not in builtin:
                types.setdefault(name, type(value))
    return [(name, _GEXF_TYPES.get(t, "string")) for name, t in types.items()]


def serialise(plain: nx.MultiDiGraph, fh: IO[bytes]) -> None:
    """Write the plain graph (see exports.graphml.to_plain_graph) as GEXF 1.3 to a binary file handle."""
    node_attrs = _declare([d for _, d in plain.nodes(data=True)], _NODE_BUILTIN)
    edge_attrs = _declare([d for _, _, d in plain.edges(data=True)], _EDGE_BUILTIN)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<gexf xmlns="{NS}" xmlns:viz="{NS_VIZ}" version="1.3">',
        "  <meta>",
        "    <creator>plankg</creator>",
        "    <description>Chinese government plan news as a knowledge graph</description>",
        "  </meta>",
        '  <graph defaultedgetype="directed" mode="static">',
    ]
    for cls, declared in (("node", node_attrs), ("edge", edge_attrs)):
        lines.append(f'    <attributes class="{cls}" mode="static">')
        for name, gexf_type in declared:
            lines.append(f"      <attribute id={_attr(name)} title={_attr(name)} type={_attr(gexf_type)} />")
        lines.append("    </attributes>")

    def attvalues(attrs: Mapping[str, Any], declared: list[tuple[str, str]], indent: str) -> None:
        present = [(name, attrs[name]) for name, _ in declared if name in attrs]
        if not present:
            return
        lines.append(f"{indent}<attvalues>")
        for name, value in present:
            lines.append(f"{indent}  <attvalue for={_attr(name)} value={_attr(value)} />")
        lines.append(f"{indent}</attvalues>")

    lines.append("    <nodes>")
    for node, attrs in plain.nodes(data=True):
        lines.append(f"      <node id={_attr(node)} label={_attr(attrs.get('label') or node)}>")
        attvalues(attrs, node_attrs, "        ")
        if all(isinstance(attrs.get(c), int) for c in "rgb"):
            lines.append(f'        <viz:color r="{attrs["r"]}" g="{attrs["g"]}" b="{attrs["b"]}" />')
        if "size" in attrs:
            lines.append(f'        <viz:size value="{attrs["size"]}" />')
        lines.append("      </node>")
    lines.append("    </nodes>")
    lines.append("    <edges>")
    for u, v, key, attrs in plain.edges(keys=True, data=True):
        relation = attrs.get("relation") or attrs.get("label") or "related_to"
        lines.append(
            f"      <edge id={_attr(key)} source={_attr(u)} target={_attr(v)} label={_attr(relation)} "
            f"kind={_attr(relation)} weight={_attr(attrs.get('weight', 1))}>"
        )
        attvalues(attrs, edge_attrs, "        ")
        lines.append("      </edge>")
    lines += ["    </edges>", "  </graph>", "</gexf>", ""]
    fh.write("\n".join(lines).encode("utf-8"))


def write_gexf(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> Path:
    """Write `graph` as GEXF 1.3 atomically; return the path."""
    plain = to_plain_graph(graph)
    with atomic_open(path, "wb") as fh:
        serialise(plain, fh)
    return Path(path)


def read_gexf(path: str | os.PathLike[str]) -> nx.Graph:
    """A GEXF file as the networkx graph it holds (the viz colours and sizes under each node's `viz`)."""
    return nx.read_gexf(path)
