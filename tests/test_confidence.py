"""Confidence everywhere: on the hand-built graph (tests/graphs.py) with confidences set by hand, through
--min-confidence, GraphML, GEXF, node-link JSON, RDF, the shapes and the facts-above-confidence query."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from graphs import build_graph
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

import plankg.api
from plankg import exports
from plankg import linkeddata as ld
from plankg.cli import cli
from plankg.exports import iris
from plankg.graph.filtering import filter_by_confidence
from plankg.graph.model import Relation

PKG = "https://w3id.org/plankg/ontology#"
CHEN, TIANHE, CBD, AI = "Official:陈加猛", "District:天河区", "Platform:天河中央商务区", "Industry:人工智能"
GDP = "Target:天河区|经济总量|7000亿元|2024|target"


def unsure_graph() -> nx.MultiDiGraph:
    """The hand-built graph, everything sure (1.0) except: the platform 0.4, the AI edge 0.6, the GDP
    target 0.5, the official's post 0.95."""
    g = build_graph()
    for _, data in g.nodes(data=True):
        data["confidence"] = 1.0
    for *_, data in g.edges(data=True):
        data["confidence"] = 1.0
    g.nodes[CBD]["confidence"] = 0.4
    g.nodes[GDP]["confidence"] = 0.5
    g.edges[TIANHE, AI, Relation.DEVELOPS_INDUSTRY]["confidence"] = 0.6
    g.edges[CHEN, TIANHE, Relation.HOLDS_POST]["confidence"] = 0.95
    return g


def test_filter_leaves_out_what_is_below_the_minimum() -> None:
    g = unsure_graph()
    kept = filter_by_confidence(g, 0.7)
    # a node below it goes with its edges: the platform and has_platform, the target and sets_target
    assert CBD not in kept and GDP not in kept
    assert not kept.has_edge(TIANHE, CBD) and not kept.has_edge(TIANHE, GDP)
    # an edge below it goes alone: 人工智能 stays, without the edge that brought it
    assert AI in kept and not kept.has_edge(TIANHE, AI) and kept.degree(AI) == 0
    assert kept.has_edge(CHEN, TIANHE, Relation.HOLDS_POST)
    assert kept.number_of_nodes() == g.number_of_nodes() - 2
    assert kept.number_of_edges() == g.number_of_edges() - 3
    assert kept.graph["documents"] == g.graph["documents"]
    # pure: the input is unchanged, and 0 keeps everything
    assert CBD in g and g.has_edge(TIANHE, AI)
    assert nx.utils.graphs_equal(filter_by_confidence(g, 0.0), g)
    # graphs without confidences (read back from older files) keep everything
    assert filter_by_confidence(build_graph(), 0.99).number_of_edges() == build_graph().number_of_edges()


def test_graphml_gexf_and_json_carry_confidence_as_a_double(tmp_path: Path) -> None:
    g = unsure_graph()
    g.nodes[TIANHE]["confidence"] = 1  # an int from upstream is still written as a double
    exports.write_all(g, tmp_path, formats=("graphml", "gexf", "json"))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    keys = ET.parse(tmp_path / "graph.graphml").getroot().findall("g:key", ns)
    typed = {(k.get("for"), k.get("attr.type")) for k in keys if k.get("attr.name") == "confidence"}
    assert typed == {("node", "double"), ("edge", "double")}
    back = nx.read_graphml(tmp_path / "graph.graphml", force_multigraph=True)
    assert back.nodes[CBD]["confidence"] == 0.4 and back.nodes[TIANHE]["confidence"] == 1.0
    assert sorted(d["confidence"] for *_, d in back.edges(data=True))[:2] == [0.6, 0.95]
    gexf = (tmp_path / "graph.gexf").read_text(encoding="utf-8")
    assert gexf.count('<attribute id="confidence" title="confidence" type="double" />') == 2
    data = json.loads((tmp_path / "graph.json").read_text(encoding="utf-8"))
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes[GDP]["confidence"] == 0.5
    assert {link["confidence"] for link in data["links"]} == {0.6, 0.95, 1.0}


def test_rdf_states_confidence_on_entities_assertions_and_targets(tmp_path: Path) -> None:
    g = unsure_graph()
    g.nodes[CHEN]["confidence"] = 0.123456  # rounded to 4 places
    ttl = exports.write_turtle(g, tmp_path / "graph.ttl")
    rdf = Graph().parse(ttl)
    conf = URIRef(PKG + "confidence")

    def value(iri: str) -> Literal:
        return rdf.value(URIRef(iri), conf)

    assert value(iris.entity_iri(CHEN)) == Literal("0.1235", datatype=XSD.decimal)
    assert value(iris.entity_iri(GDP)) == Literal("0.5", datatype=XSD.decimal)
    assert value(iris.assertion_iri(TIANHE, Relation.DEVELOPS_INDUSTRY, AI)) == Literal(
        "0.6", datatype=XSD.decimal
    )
    assert value(iris.assertion_iri(TIANHE, Relation.PART_OF, "District:广州市")).eq(
        Literal("1.0", datatype=XSD.decimal)
    )
    conforms, violations = ld.validate(ttl)
    assert conforms, ld.format_violations(violations)
    # the shapes catch a confidence outside 0..1 or of the wrong type
    rdf.set((URIRef(iris.entity_iri(CHEN)), conf, Literal("1.5", datatype=XSD.decimal)))
    rdf.set((URIRef(iris.entity_iri(CBD)), conf, Literal("high")))
    broken = tmp_path / "broken.ttl"
    broken.write_bytes(rdf.serialize(format="turtle", encoding="utf-8"))
    conforms, violations = ld.validate(broken)
    assert not conforms
    assert {(v.focus, v.path) for v in violations} == {
        ("id:Official/陈加猛", "pkg:confidence"),
        ("id:Platform/天河中央商务区", "pkg:confidence"),
    }


def test_the_ontology_declares_confidence_in_english_and_chinese() -> None:
    onto = Graph().parse(data=exports.ontology_bytes(), format="turtle")
    prop = URIRef(PKG + "confidence")
    assert {
        lbl.language for lbl in onto.objects(prop, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
    } == {
        "en",
        "zh",
    }
    comments = {
        c.language: str(c) for c in onto.objects(prop, URIRef("http://www.w3.org/2000/01/rdf-schema#comment"))
    }
    assert "calibrated on annotated articles" in comments["en"] and "校准" in comments["zh"]


def test_query_facts_above_confidence(tmp_path: Path) -> None:
    ttl = exports.write_turtle(unsure_graph(), tmp_path / "graph.ttl")
    store = ld.load_store(ttl)
    query = ld.example_queries()["facts-above-confidence"].read_text(encoding="utf-8")

    def rows(**params: str) -> list[tuple[str, str, float]]:
        found = ld.run_query(store, ld.bind(query, {k: [v] for k, v in params.items()})).values()
        return [(r["subject"], r["relation"].rsplit("#", 1)[-1], float(r["confidence"])) for r in found]

    default = rows()  # minimum 0.9: the post (0.95) and the sure facts, not the AI edge (0.6)
    assert ("陈加猛", "holds", 0.95) in default
    assert min(c for *_, c in default) == 0.95
    assert default[0][2] == 1.0 and default[-1][2] == 0.95  # surest first
    assert ("天河区", "developsIndustry", 0.6) in rows(minimum="0.5")
    assert len(rows(minimum="0")) == unsure_graph().number_of_edges()


def test_build_min_confidence_writes_only_what_is_sure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`plankg build --min-confidence`: the graph written leaves the unsure facts out; facts.sqlite keeps all
    the documents' facts, so a rebuild with another threshold needs no new analysis."""

    class HandBuilt:  # the graph the store would give, with confidences set by hand
        def build(self, facts):
            list(facts)
            return unsure_graph()

        def add_document(self, facts) -> None:  # the graph growing as the facts are stored
            pass

        def finish(self):
            return unsure_graph()

    monkeypatch.setattr(plankg.api, "GraphBuilder", HandBuilt)
    monkeypatch.setattr(plankg.api, "analyse", lambda reader, **_: iter(()))
    text = tmp_path / "news.txt"
    text.write_text("天河区召开会议。", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["build", str(text), "--out", str(out), "--min-confidence", "0.7", "--format", "graphml"]
    )
    assert result.exit_code == 0, result.output
    assert "min confidence: 0.7" in result.output
    written = nx.read_graphml(out / "graph.graphml", force_multigraph=True)
    assert CBD not in written and GDP not in written and AI in written
    assert min(d["confidence"] for _, d in written.nodes(data=True)) >= 0.7
    assert (out / "facts.sqlite").exists()
    bad = CliRunner().invoke(cli, ["build", str(text), "--out", str(out), "--min-confidence", "2"])
    assert bad.exit_code == 2 and "0<=x<=1" in bad.output
