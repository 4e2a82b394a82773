"""Gephi-ready exports (issue 5): GraphML by Gephi's importer rules, read again by igraph; GEXF; node-link JSON.

The hand-built graph of tests/graphs.py covers every node type and relation, two relations between one
pair of nodes, aliases containing "|" and a Target without a year.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from graphs import DOC_A, DOC_B, build_graph, edge_facts, reversed_copy

from plankg.exports import write_all, write_gexf, write_graphml, write_nodelink
from plankg.exports.style import TYPE_COLORS, hex_color, node_size

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
GEXF = "{http://gexf.net/1.3}"
VIZ = "{http://gexf.net/1.3/viz}"
# What the scorer and the README's output contract rely on.
NODE_ATTRS = {"type", "label", "aliases", "docs", "r", "g", "b", "size"}
TARGET_ATTRS = {
    "indicator",
    "value",
    "unit",
    "comparator",
    "year",
    "status",
    "sentence",
    "doc",
    "start",
    "end",
}
EDGE_ATTRS = {"relation", "label", "weight", "docs", "sentence", "doc", "start", "end", "title", "date"}


@pytest.fixture
def kg() -> nx.MultiDiGraph:
    return build_graph()


def graphml_keys(root: ET.Element) -> dict[str, tuple[str, str, str]]:
    return {
        k.get("id"): (k.get("for"), k.get("attr.name"), k.get("attr.type"))
        for k in root.iter(f"{GRAPHML}key")
    }


def element_data(element: ET.Element, keys: dict[str, tuple[str, str, str]]) -> dict[str, str]:
    return {keys[d.get("key")][1]: d.text or "" for d in element.findall(f"{GRAPHML}data")}


# ---------------------------------------------------------------- GraphML, by Gephi's importer rules


def test_graphml_follows_gephi_importer_rules(kg: nx.MultiDiGraph, tmp_path: Path) -> None:
    root = ET.parse(write_graphml(kg, tmp_path / "g.graphml")).getroot()
    keys = graphml_keys(root)
    assert {scope for scope, _, _ in keys.values()} == {"node", "edge"}, "no for='all' or graph keys"
    names = [(scope, name) for scope, name, _ in keys.values()]
    assert len(names) == len(set(names))
    types = {(scope, name): t for scope, name, t in keys.values()}
    assert all(types["node", c] == "int" for c in "rgb")
    assert types["node", "size"] == "double" and types["edge", "weight"] == "int"

    node_ids = set()
    for node in root.iter(f"{GRAPHML}node"):
        node_ids.add(node.get("id"))
        data = element_data(node, keys)
        assert node.get("id") and data["label"], "Gephi skips a node with an empty id"
        rgb = tuple(int(data[c]) for c in "rgb")  # Integer.parseInt, as Gephi does
        assert all(re.fullmatch(r"\d{1,3}", data[c]) and 0 <= int(data[c]) <= 255 for c in "rgb")
        assert rgb == TYPE_COLORS[data["type"]]
        assert float(data["size"]) == node_size(kg.degree(node.get("id")))
        for value in data.values():
            assert not value.startswith(("[", "{")), "only scalars (lists are joined with |)"

    edges = list(root.iter(f"{GRAPHML}edge"))
    assert len(edges) == kg.number_of_edges()
    ids = [e.get("id") for e in edges]
    assert all(ids) and len(set(ids)) == len(ids), "Gephi drops a repeated edge id"
    by_pair: dict[tuple[str, str], list[str]] = {}
    for edge in edges:
        data = element_data(edge, keys)
        assert edge.get("source") in node_ids and edge.get("target") in node_ids
        # the edge type Gephi uses to keep parallel edges apart is the XML attribute, not the data key
        assert edge.get("label") == data["relation"] == data["label"]
        assert int(data["weight"]) >= 1, "Gephi removes an edge of weight 0"
        by_pair.setdefault((edge.get("source"), edge.get("target")), []).append(edge.get("label"))
    pair = by_pair["Organization:荔湾区人大常委会", "District:荔湾区"]
    assert sorted(pair) == ["has_project", "part_of"]
    assert all(len(set(labels)) == len(labels) for labels in by_pair.values())


def test_graphml_size_grows_with_degree(kg: nx.MultiDiGraph, tmp_path: Path) -> None:
    back = nx.read_graphml(write_graphml(kg, tmp_path / "g.graphml"), force_multigraph=True)
    assert back.nodes["District:天河区"]["size"] > back.nodes["Industry:数字经济"]["size"] >= 10.0


def test_igraph_reads_every_attribute(kg: nx.MultiDiGraph, tmp_path: Path) -> None:
    """A second GraphML reader (igraph's C reader) sees every node and edge attribute networkx sees."""
    igraph = pytest.importorskip("igraph")
    path = write_graphml(kg, tmp_path / "g.graphml")
    ig = igraph.Graph.Read_GraphML(str(path))
    nxg = nx.read_graphml(path, force_multigraph=True)
    assert ig.is_directed()
    assert (ig.vcount(), ig.ecount()) == (kg.number_of_nodes(), kg.number_of_edges())
    node_names = {name for _, d in nxg.nodes(data=True) for name in d}
    edge_names = {name for _, _, d in nxg.edges(data=True) for name in d}
    assert NODE_ATTRS | TARGET_ATTRS <= node_names <= set(ig.vs.attributes())
    assert EDGE_ATTRS <= edge_names <= set(ig.es.attributes())

    def same(a, b) -> bool:
        return a == b or (isinstance(a, float | int) and isinstance(b, float | int) and float(a) == float(b))

    vertices = {v["id"]: v.attributes() for v in ig.vs}
    for node, data in nxg.nodes(data=True):
        for name, value in data.items():
            assert same(vertices[node][name], value), (node, name, vertices[node][name], value)
    igraph_edges = sorted(
        (ig.vs[e.source]["id"], ig.vs[e.target]["id"], e["relation"], e["label"], e["weight"], e["sentence"])
        for e in ig.es
    )
    networkx_edges = sorted(
        (u, v, d["relation"], d["label"], d["weight"], d["sentence"]) for u, v, d in nxg.edges(data=True)
    )
    assert igraph_edges == networkx_edges
    gdp = vertices["Target:天河区|经济总量|7000亿元|2024|target"]
    assert (gdp["value"], gdp["year"], gdp["unit"], gdp["r"]) == (
        7000.0,
        2024,
        "亿元",
        TYPE_COLORS["Target"][0],
    )


# ---------------------------------------------------------------- GEXF


def test_gexf_reads_back_with_integer_viz_colours(kg: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = write_gexf(kg, tmp_path / "g.gexf")
    back = nx.read_gexf(path)
    assert isinstance(back, nx.MultiDiGraph)  # two relations between one pair
    assert set(back.nodes) == set(kg.nodes)
    for node, data in kg.nodes(data=True):
        got = back.nodes[node]
        assert got["label"] == data["label"] and got["type"] == data["type"]
        color = got["viz"]["color"]
        assert (color["r"], color["g"], color["b"]) == TYPE_COLORS[data["type"]]
        assert got["viz"]["size"] == node_size(kg.degree(node))
    gdp = back.nodes["Target:天河区|经济总量|7000亿元|2024|target"]
    assert (gdp["indicator"], gdp["value"], gdp["year"], gdp["status"]) == (
        "经济总量",
        7000.0,
        2024,
        "target",
    )
    assert back.nodes["Platform:天河中央商务区"]["aliases"] == "a｜b|天河CBD"
    facts = sorted(
        (u, v, d["label"], d.get("title", ""), d.get("date", "")) for u, v, d in back.edges(data=True)
    )
    assert facts == edge_facts(kg)
    assert all(d["weight"] >= 1 and d["relation"] == d["label"] for _, _, d in back.edges(data=True))

    root = ET.parse(path).getroot()
    for color in root.iter(f"{VIZ}color"):
        assert all(re.fullmatch(r"\d{1,3}", color.get(c)) for c in "rgb"), "non-integer colours abort Gephi"
    edges = list(root.iter(f"{GEXF}edge"))
    assert len({e.get("id") for e in edges}) == len(edges) == kg.number_of_edges()
    assert all(e.get("kind") == e.get("label") for e in edges)


# ---------------------------------------------------------------- node-link JSON


def node_link_graph(data: dict) -> nx.MultiDiGraph:
    try:
        return nx.node_link_graph(data, edges="links")
    except TypeError:  # networkx < 3.4
        return nx.node_link_graph(data)


def test_node_link_json_reads_back_with_all_evidence(kg: nx.MultiDiGraph, tmp_path: Path) -> None:
    data = json.loads(write_nodelink(kg, tmp_path / "g.json").read_text(encoding="utf-8"))
    back = node_link_graph(data)
    assert isinstance(back, nx.MultiDiGraph) and back.is_directed()
    assert set(back.nodes) == set(kg.nodes)
    assert edge_facts(back) == edge_facts(kg)
    assert set(back.edges(keys=True)) == set(kg.edges(keys=True)), "keyed by relation, as the model"
    tianhe = back.nodes["District:天河区"]
    assert tianhe["aliases"] == ["天河"] and tianhe["docs"] == [DOC_B, DOC_A]
    assert tianhe["color"] == hex_color(TYPE_COLORS["District"]) and tianhe["r"] == 31
    both = back.edges["District:天河区", "District:广州市", "part_of"]
    assert [e["doc"] for e in both["evidence"]] == [DOC_B, DOC_A], "every sentence, in a stable order"
    assert both["weight"] == 2 and both["id"].startswith("e")
    assert data["graph"]["documents"][DOC_A]["date"] == "2024-02-20"
    gdp = back.nodes["Target:天河区|经济总量|7000亿元|2024|target"]
    assert gdp["value"] == 7000.0 and gdp["evidence"][0]["doc"] == DOC_A


# ---------------------------------------------------------------- write_all, determinism


def test_write_all_gephi_and_d3_formats(kg: nx.MultiDiGraph, tmp_path: Path) -> None:
    written = write_all(kg, tmp_path, formats=("gexf", "json", "graphml"))
    assert [p.name for p in written] == ["graph.gexf", "graph.json", "graph.graphml"]
    assert [p.name for p in write_all(kg, tmp_path / "default")] == [
        "graph.graphml",
        "graph.ttl",
        "ontology.ttl",
    ]


@pytest.mark.parametrize("write", [write_gexf, write_nodelink], ids=["gexf", "json"])
def test_gephi_and_d3_output_is_byte_identical(kg: nx.MultiDiGraph, tmp_path: Path, write) -> None:
    a = write(kg, tmp_path / "a").read_bytes()
    b = write(reversed_copy(kg), tmp_path / "b").read_bytes()
    assert a == b


# ---------------------------------------------------------------- the CLI


@pytest.mark.usefixtures("pipeline_dir")
def test_build_format_is_repeatable_and_default_unchanged(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from plankg.cli import cli

    result = CliRunner().invoke(
        cli, ["build", "--out", str(tmp_path / "a"), "--format", "gexf", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    written = {p.name for p in (tmp_path / "a").iterdir() if p.name.startswith("graph.")}
    assert written == {"graph.gexf", "graph.json"}
    assert nx.read_gexf(tmp_path / "a" / "graph.gexf").number_of_nodes() > 10
    result = CliRunner().invoke(cli, ["build", "--out", str(tmp_path / "b"), "--quiet"])
    assert result.exit_code == 0, result.output
    written = {p.name for p in (tmp_path / "b").iterdir() if p.name.startswith("graph.")}
    assert written == {"graph.graphml", "graph.ttl"}
