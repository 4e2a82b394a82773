"""Tests of the exporters on a small hand-built graph: what score.py, networkx, Gephi and RDF tools read."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from graphs import DOC_A, DOC_B, SENT_A3, SENT_B1, build_graph, edge_facts, reversed_copy, write_in_process
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns

import plankg.exports as exports
from plankg.exports import atomic, graphml, iris, parallel, terms, write_all, write_graphml, write_turtle
from plankg.graph.model import NODE_TYPES, RELATIONS

GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"
PKG = ns.Namespace(terms.PKG.base)


@pytest.fixture
def kg() -> nx.MultiDiGraph:
    return build_graph()


def test_fixture_covers_the_model(kg: nx.MultiDiGraph) -> None:
    assert {d["type"] for _, d in kg.nodes(data=True)} == set(NODE_TYPES)
    assert {d["relation"] for _, _, d in kg.edges(data=True)} == set(RELATIONS)


# ---------------------------------------------------------------- GraphML


def test_graphml_round_trips_through_networkx(kg: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = write_graphml(kg, tmp_path / "g.graphml")
    back = nx.read_graphml(path, force_multigraph=True)
    assert set(back.nodes) == set(kg.nodes)
    for n, d in kg.nodes(data=True):
        got = back.nodes[n]
        assert got["type"] == d["type"]
        assert got["label"] == d["label"]
        aliases = [a for a in got.get("aliases", "").split("|") if a]
        assert aliases == [a.replace("|", "｜") for a in d["aliases"]]
    assert edge_facts(back) == edge_facts(kg)
    gdp = back.nodes[next(n for n, d in kg.nodes(data=True) if d.get("year") == 2024)]
    assert (gdp["indicator"], gdp["value"], gdp["unit"], gdp["comparator"], gdp["year"], gdp["status"]) == (
        "经济总量",
        7000.0,
        "亿元",
        ">",
        2024,
        "target",
    )
    assert gdp["sentence"] == SENT_A3


def test_graphml_edges_have_unique_ids_labels_and_weights(kg: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = write_graphml(kg, tmp_path / "g.graphml")
    edges = ET.parse(path).getroot().iter(f"{GRAPHML_NS}edge")
    ids = [e.get("id") for e in edges]
    assert len(ids) == kg.number_of_edges()
    assert len(set(ids)) == len(ids) and all(i.startswith("e") for i in ids)
    back = nx.read_graphml(path, force_multigraph=True)
    for _, _, d in back.edges(data=True):
        assert d["label"] == d["relation"]
        assert isinstance(d["weight"], int) and d["weight"] >= 1
        assert d["sentence"] and d["doc"] in d["docs"].split("|")
    both = [
        d
        for u, v, d in back.edges(data=True)
        if (u, v, d["relation"]) == ("District:天河区", "District:广州市", "part_of")
    ]
    assert both[0]["weight"] == 2 and both[0]["docs"] == f"{DOC_B}|{DOC_A}"
    # the first supporting sentence is chosen in a stable (doc, start) order, not insertion order
    assert both[0]["doc"] == DOC_B and both[0]["sentence"] == SENT_B1
    assert all(n["label"] for _, n in back.nodes(data=True))


def test_graphml_holds_only_scalars(kg: nx.MultiDiGraph, tmp_path: Path) -> None:
    kg.nodes["District:天河区"]["extra_list"] = ["b", "a"]
    kg.edges["District:天河区", "District:广州市", "part_of"]["extra_dict"] = {"k": [1, 2]}
    path = write_graphml(kg, tmp_path / "g.graphml")
    root = ET.parse(path).getroot()
    keys = list(root.iter(f"{GRAPHML_NS}key"))
    assert {k.get("for") for k in keys} <= {"node", "edge", "graph"}
    names = [(k.get("for"), k.get("attr.name")) for k in keys]
    assert len(names) == len(set(names)), "one key (one type) per attribute name and scope"
    for data in root.iter(f"{GRAPHML_NS}data"):
        assert not (data.text or "").startswith(("[", "(", "{'")), data.text
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.nodes["District:天河区"]["extra_list"] == "a|b"
    for _, d in list(back.nodes(data=True)) + [(None, d) for _, _, d in back.edges(data=True)]:
        assert all(isinstance(v, str | int | float) for v in d.values())


def test_graphml_omits_unknown_year(kg: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = write_graphml(kg, tmp_path / "g.graphml")
    text = path.read_text(encoding="utf-8")
    assert "None" not in text
    values = [d.text for d in ET.parse(path).getroot().iter(f"{GRAPHML_NS}data")]
    assert not {"nan", "NaN", "inf", ""} & set(values)
    back = nx.read_graphml(path, force_multigraph=True)
    cost = next(d for _, d in back.nodes(data=True) if d.get("indicator") == "总投资")
    assert "year" not in cost and cost["value"] == 35.5


def test_graphml_strips_characters_xml_cannot_carry(kg: nx.MultiDiGraph, tmp_path: Path) -> None:
    edge = kg.edges["Official:陈加猛", "Event:高质量发展大会", "spoke_at"]
    edge["evidence"][0]["sentence"] = "讲话\x0b。\x00"
    path = write_graphml(kg, tmp_path / "g.graphml")
    back = nx.read_graphml(path, force_multigraph=True)
    assert [d["sentence"] for _, _, d in back.edges(data=True) if d["relation"] == "spoke_at"] == ["讲话。"]


def test_graphml_is_readable_by_the_scorer(kg: nx.MultiDiGraph, tmp_path: Path) -> None:
    """The gold scorer is not shipped: PLANKG_SCORER names its score.py (`make test` sets it)."""
    score_py = Path(os.environ.get("PLANKG_SCORER") or "")
    if not score_py.is_file():
        pytest.skip("scorer not available (set PLANKG_SCORER to the gold scorer's score.py)")
    import importlib.util

    spec = importlib.util.spec_from_file_location("plankg_score", score_py)
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    nodes, edges = score.load_graph(write_graphml(kg, tmp_path / "g.graphml"))
    assert nodes["District:广州市"]["_names"] == {"广州市", "广州"}
    targets = [nodes[v] for u, v, d in edges if d["relation"] == "sets_target"]
    assert sorted(score.figure(t["value"], t["unit"]) for t in targets) == [(35.5e8, "元"), (7000e8, "元")]


# ---------------------------------------------------------------- Turtle


def parse_turtle(path: Path) -> Graph:
    g = Graph()
    g.parse(path, format="turtle")
    return g


def test_turtle_describes_every_node(kg: nx.MultiDiGraph, tmp_path: Path) -> None:
    rdf = parse_turtle(write_turtle(kg, tmp_path / "g.ttl"))
    for n, d in kg.nodes(data=True):
        iri = URIRef(iris.entity_iri(n, d))
        assert str(iri).startswith(iris.ID_BASE)
        assert (iri, ns.SKOS.prefLabel, Literal(d["label"], lang="zh")) in rdf
        assert (iri, ns.RDF.type, PKG[d["type"]]) in rdf
        for alias in d["aliases"]:
            assert (iri, ns.SKOS.altLabel, Literal(alias, lang="zh")) in rdf
    assert len({URIRef(iris.entity_iri(n, d)) for n, d in kg.nodes(data=True)}) == kg.number_of_nodes()


def test_turtle_relations_literals_and_posts(kg: nx.MultiDiGraph, tmp_path: Path) -> None:
    rdf = parse_turtle(write_turtle(kg, tmp_path / "g.ttl"))
    iri = {n: URIRef(iris.entity_iri(n, d)) for n, d in kg.nodes(data=True)}
    for u, v, d in kg.edges(data=True):
        if d["relation"] != "holds_post":
            assert (iri[u], URIRef(terms.RELATION_PROPERTIES[d["relation"]].value), iri[v]) in rdf
    chen, tianhe = iri["Official:陈加猛"], iri["District:天河区"]
    posts = list(rdf.objects(chen, ns.ORG.holds))
    assert len(posts) == 1
    post = posts[0]
    assert (post, ns.RDF.type, ns.ORG.Post) in rdf and (post, ns.ORG.postIn, tianhe) in rdf
    role = rdf.value(post, ns.ORG.role)
    assert rdf.value(role, ns.SKOS.prefLabel) == Literal("区委书记", lang="zh")
    assert (chen, ns.ORG.memberOf, iri["Organization:荔湾区人大常委会"]) in rdf  # holds_post without a title

    gdp = next(i for n, i in iri.items() if "经济总量" in n)
    value, year = rdf.value(gdp, PKG.value), rdf.value(gdp, PKG.year)
    assert value.datatype == ns.XSD.decimal and float(value) == 7000.0
    assert year.datatype == ns.XSD.gYear and str(year) == "2024"
    cost = next(i for n, i in iri.items() if "总投资" in n)
    assert rdf.value(cost, PKG.year) is None
    date = rdf.value(iri["Event:高质量发展大会"], ns.SDO.startDate)
    assert date.datatype == ns.XSD.date and str(date) == "2024-02-18"


def test_turtle_provenance_reaches_sentences_and_documents(kg: nx.MultiDiGraph, tmp_path: Path) -> None:
    rdf = parse_turtle(write_turtle(kg, tmp_path / "g.ttl"))
    docs = {URIRef(iris.document_iri(d)): d for d in kg.graph["documents"]}
    for doc in docs:
        assert (doc, ns.RDF.type, ns.PROV.Entity) in rdf
    assert str(rdf.value(URIRef(iris.document_iri(DOC_A)), ns.DCTERMS.date)) == "2024-02-20"
    assert rdf.value(URIRef(iris.document_iri(DOC_B)), ns.DCTERMS.date) is None
    iri = {n: URIRef(iris.entity_iri(n, d)) for n, d in kg.nodes(data=True)}
    # every edge: an assertion naming the triple, derived from the documents, with its sentences
    for u, v, d in kg.edges(data=True):
        facts = set(rdf.subjects(PKG.assertedSubject, iri[u]))
        fact = URIRef(iris.assertion_iri(u, d["relation"], v))
        assert fact in facts
        assert {docs[o] for o in rdf.objects(fact, ns.PROV.wasDerivedFrom)} == set(d["docs"])
        sentences = {str(rdf.value(e, PKG.sentence)) for e in rdf.objects(fact, PKG.hasEvidence)}
        assert sentences == {e["sentence"] for e in d["evidence"]}
    # targets carry their own evidence
    gdp = next(i for n, i in iri.items() if "经济总量" in n)
    span = rdf.value(gdp, PKG.hasEvidence)
    assert (rdf.value(span, PKG.start).toPython(), rdf.value(span, PKG.end).toPython()) == (
        300,
        300 + len(SENT_A3),
    )
    assert rdf.value(span, ns.PROV.wasDerivedFrom) == URIRef(iris.document_iri(DOC_A))


def test_ontology_declares_every_term_used(kg: nx.MultiDiGraph, tmp_path: Path) -> None:
    paths = write_all(kg, tmp_path)
    onto = parse_turtle(tmp_path / "ontology.ttl")
    assert (tmp_path / "ontology.ttl").read_bytes() == exports.ontology_bytes()
    assert tmp_path / "ontology.ttl" in paths
    data = parse_turtle(tmp_path / "graph.ttl")
    pkg = str(PKG)
    used = {p for p in data.predicates() if str(p).startswith(pkg)}
    used |= {o for o in data.objects(None, ns.RDF.type) if str(o).startswith(pkg)}
    declared = {s for s in onto.subjects() if str(s).startswith(pkg)}
    assert used and used <= declared, used - declared
    for term in declared:
        langs = {lbl.language for lbl in onto.objects(term, ns.RDFS.label)}
        assert {"en", "zh"} <= langs, term
        assert {c.language for c in onto.objects(term, ns.RDFS.comment)} >= {"en", "zh"}, term
    for node_type in NODE_TYPES:
        assert (PKG[node_type], ns.RDF.type, ns.OWL.Class) in onto


# ---------------------------------------------------------------- determinism and atomicity


def test_iris_are_stable_across_builds(kg: nx.MultiDiGraph, tmp_path: Path) -> None:
    first = parse_turtle(write_turtle(kg, tmp_path / "a.ttl"))
    second = parse_turtle(write_turtle(reversed_copy(kg), tmp_path / "b.ttl"))
    subjects = {s for s in first.subjects() if isinstance(s, URIRef)}
    assert subjects == {s for s in second.subjects() if isinstance(s, URIRef)}
    assert URIRef(iris.entity_iri("District:天河区")) == URIRef(
        "https://w3id.org/plankg/id/District/%E5%A4%A9%E6%B2%B3%E5%8C%BA"
    )


@pytest.mark.parametrize("suffix", [".graphml", ".ttl"])
def test_output_is_byte_identical(kg: nx.MultiDiGraph, tmp_path: Path, suffix: str) -> None:
    write = write_graphml if suffix == ".graphml" else write_turtle
    a = write(kg, tmp_path / f"a{suffix}").read_bytes()
    b = write(kg, tmp_path / f"b{suffix}").read_bytes()
    c = write(reversed_copy(kg), tmp_path / f"c{suffix}").read_bytes()
    assert a == b == c


def test_output_is_byte_identical_across_processes(tmp_path: Path) -> None:
    """Hash randomisation (set iteration order) must not leak into the files."""
    graph = build_graph()
    outputs = [
        write_in_process(g, tmp_path / seed, seed, ("graphml", "ttl"))
        for seed, g in (("1", graph), ("2", reversed_copy(graph)))
    ]
    assert outputs[0] == outputs[1]
    assert set(outputs[0]) == {"graph.graphml", "graph.ttl", "ontology.ttl"}


def test_interrupted_graphml_write_keeps_previous_file(
    kg: nx.MultiDiGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_graphml(kg, tmp_path / "g.graphml")
    before = path.read_bytes()

    def half_then_crash(graph, fh, **kwargs):
        fh.write(b"<?xml version='1.0'?><graphml>")
        raise KeyboardInterrupt

    monkeypatch.setattr(graphml, "serialise", half_then_crash)
    kg.add_node("District:越秀区", type="District", label="越秀区", aliases=[], docs=[])
    with pytest.raises(KeyboardInterrupt):
        write_graphml(kg, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.graphml"], "temporary file left behind"


def test_interrupted_turtle_write_keeps_previous_file(
    kg: nx.MultiDiGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_turtle(kg, tmp_path / "g.ttl")
    before = path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    with monkeypatch.context() as m:
        m.setattr(atomic.os, "replace", crash)
        with pytest.raises(OSError, match="disk full"):
            write_turtle(nx.MultiDiGraph(), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.ttl"]


def test_atomic_open_text_mode_and_permissions(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "x.txt"
    with exports.atomic_open(target, "w") as fh:
        fh.write("天河\n")
    assert target.read_text(encoding="utf-8") == "天河\n"
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's 0600


def test_write_all_formats(kg: nx.MultiDiGraph, tmp_path: Path) -> None:
    assert write_all(kg, tmp_path / "a", formats=("graphml",)) == [tmp_path / "a" / "graph.graphml"]
    assert [p.name for p in write_all(kg, tmp_path / "b")] == ["graph.graphml", "graph.ttl", "ontology.ttl"]
    with pytest.raises(ValueError):
        write_all(kg, tmp_path / "c", formats=("graphml", "xlsx"))
    assert not (tmp_path / "c").exists()


def test_atomic_writes_never_set_the_umask(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading the umask means setting it, which races with other threads: neither import nor write does."""
    import importlib

    def forbidden(mask: int) -> int:
        raise AssertionError("os.umask called")

    monkeypatch.setattr(os, "umask", forbidden)
    importlib.reload(atomic)
    target = atomic.atomic_write_bytes(tmp_path / "x.bin", b"1")
    target.chmod(0o640)
    atomic.atomic_write_bytes(target, b"2")
    assert (
        target.read_bytes() == b"2" and target.stat().st_mode & 0o777 == 0o640
    )  # a replaced file keeps its mode


# ---------------------------------------------------------------- writing in parallel

ALL_FORMATS = ("graphml", "gexf", "json", "ttl", "nt", "nq", "jsonld")


def test_formats_written_by_two_processes_are_the_same_files(kg: nx.MultiDiGraph, tmp_path: Path) -> None:
    if not parallel.can_fork():
        pytest.skip("no fork here: the formats are written one after another")
    one = write_all(kg, tmp_path / "one", ALL_FORMATS)
    two = write_all(kg, tmp_path / "two", ALL_FORMATS, workers=2)
    assert [p.name for p in one] == [p.name for p in two]
    for a, b in zip(one, two, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert not [p for p in (tmp_path / "two").iterdir() if p.name.endswith(".tmp")]


def test_a_format_failing_in_the_other_process_replaces_no_file(
    kg: nx.MultiDiGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not parallel.can_fork():
        pytest.skip("no fork here")
    out = tmp_path / "out"
    before = {p.name: p.read_bytes() for p in write_all(kg, out, ("graphml", "ttl"))}
    from plankg.exports import rdfwrite

    def disk_full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rdfwrite, "write_turtle", disk_full)  # the forked child inherits it
    changed = kg.copy()
    changed.remove_node(next(iter(kg.nodes)))
    with pytest.raises(OSError, match="No space left"), atomic.replace_together():
        write_all(changed, out, ("graphml", "ttl"), workers=2)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.name in before} == before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
