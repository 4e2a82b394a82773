"""Linked data (issue 4): RDF formats, SHACL shapes, the example SPARQL queries, a push to a live Oxigraph.

Two graphs: `corpus`, three reports built by hand (tests/graphs.py) with known answers, which the queries
and shapes are checked against row by row; and `built`, the NLP's graph of tests/fixtures/*.txt (萧山, 江夏,
苏州), which checks that what a real build writes parses the same in every format, passes the shapes and
pushes to an `oxigraph serve` process. Both are written in every RDF format.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from importlib import resources
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from graphs import DOC_A, SENT_A1, Corpus, build_graph, corpus, reversed_copy, write_in_process
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib import namespace as ns

import plankg.exports as exports
from plankg import __version__
from plankg import linkeddata as ld
from plankg.api import build
from plankg.cli import cli
from plankg.exports import iris, terms, units
from plankg.exports import rdf as xrdf
from plankg.exports.rdfgraph import to_rdf

FIXTURES = Path(__file__).parent / "fixtures"
PACKAGE = resources.files("plankg.exports")  # ontology.ttl, shapes.ttl, queries/
RDF_FORMATS = ("ttl", "nt", "nq", "jsonld")
OA = ns.Namespace(terms.OA.base)
PKG = ns.Namespace(terms.PKG.base)


@pytest.fixture(scope="module")
def built(pipeline_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture texts built into one graph, written as graph.ttl/.nt/.nq/.jsonld; returns the folder."""
    out = tmp_path_factory.mktemp("linked")
    build(sorted(FIXTURES.glob("*.txt")), out, formats=RDF_FORMATS)
    return out


@pytest.fixture(scope="module")
def reports() -> Corpus:
    return corpus()


@pytest.fixture(scope="module")
def corpus_dir(reports: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-built reports written (with their texts) as graph.ttl/.nt/.nq/.jsonld; returns the folder."""
    out = tmp_path_factory.mktemp("corpus")
    exports.write_all(reports.graph, out, formats=RDF_FORMATS, texts=reports.texts)
    return out


@pytest.fixture(scope="module")
def store(corpus_dir: Path):
    return ld.load_store(corpus_dir / "graph.ttl")


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def oxigraph_count(path: Path) -> int:
    return len(ld.load_store(path))


# ---------------------------------------------------------------- formats and parsers


def test_every_rdf_format_holds_the_same_triples(built: Path) -> None:
    ttl = Graph().parse(built / "graph.ttl", format="turtle")
    nt = Graph().parse(built / "graph.nt", format="nt")
    jsonld = Graph().parse(built / "graph.jsonld", format="json-ld")
    quads = Dataset()
    quads.parse(built / "graph.nq", format="nquads")
    union = {(s, p, o) for s, p, o, _ in quads.quads((None, None, None, None))}
    assert len(ttl) > 1000
    assert set(ttl) == set(nt) == set(jsonld) == union
    assert (built / "ontology.ttl").read_bytes() == exports.ontology_bytes()


def test_turtle_parses_with_a_second_independent_parser(built: Path) -> None:
    """pyoxigraph (Rust, Oxigraph's parser) reads exactly the triples rdflib reads."""
    rdflib_graph = Graph().parse(built / "graph.ttl", format="turtle")
    for fmt, name in ((ox.RdfFormat.TURTLE, "graph.ttl"), (ox.RdfFormat.N_TRIPLES, "graph.nt")):
        triples = list(ox.parse(path=str(built / name), format=fmt))
        assert len(triples) == len(rdflib_graph) == len(set(map(str, triples)))
    assert oxigraph_count(built / "graph.jsonld") == len(rdflib_graph)
    # the ontology and the shapes too
    for name in ("ontology.ttl", "shapes.ttl"):
        source = PACKAGE.joinpath(name).read_bytes()
        assert len(list(ox.parse(source, format=ox.RdfFormat.TURTLE))) == len(Graph().parse(data=source))


def test_nquads_has_one_named_graph_per_document(corpus_dir: Path) -> None:
    store = ld.load_store(corpus_dir / "graph.nq", union=False)
    graphs = {g.value for g in store.named_graphs()}
    build_graph_iri = ld.run_query(store, "SELECT ?g WHERE { GRAPH ?g { ?g a prov:Activity } }").values()
    assert len(build_graph_iri) == 1  # the build's provenance is in the graph named by the build
    build_graph_name = build_graph_iri[0]["g"]
    assert graphs == {iris.graph_iri(d) for d in ("jiangxia", "suzhou", "xiaoshan")} | {build_graph_name}
    assert not list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))  # every triple is named
    # a fact from 萧山 is in the xiaoshan graph only; the build and software agent in the default graph
    rows = ld.run_query(
        store,
        "SELECT ?g WHERE { GRAPH ?g { ?d pkg:hasPlatform ?p . ?p skos:prefLabel '湘湖未来科技城'@zh } }",
    ).values()
    assert rows == [{"g": iris.graph_iri("xiaoshan")}]
    in_build = f"ASK {{ GRAPH <{build_graph_name}> {{ ?b a prov:Activity ; prov:wasAssociatedWith ?a }} }}"
    assert ld.run_query(store, in_build).boolean is True
    # every document graph describes its own document
    for doc in ("jiangxia", "suzhou", "xiaoshan"):
        q = f"ASK {{ GRAPH <{iris.graph_iri(doc)}> {{ <{iris.document_iri(doc)}> a pkg:Document }} }}"
        assert ld.run_query(store, q).boolean is True


def test_rdf_formats_are_byte_identical_across_processes(tmp_path: Path) -> None:
    graph = build_graph()
    outputs = [
        write_in_process(g, tmp_path / seed, seed, RDF_FORMATS)
        for seed, g in (("1", graph), ("2", reversed_copy(graph)))
    ]
    assert outputs[0] == outputs[1]
    assert set(outputs[0]) == {"graph.ttl", "graph.nt", "graph.nq", "graph.jsonld", "ontology.ttl"}


# ---------------------------------------------------------------- vocabularies


def test_provenance_build_activity_and_software_agent(store) -> None:
    rows = ld.run_query(store, (ld.queries_dir() / "build-provenance.rq").read_text()).values()
    assert [(r["software"], r["version"], r["documents"]) for r in rows] == [("plankg", __version__, "3")]
    # every fact is derived from a document and generated by that build
    orphans = ld.run_query(
        store,
        """SELECT ?f WHERE { { ?f a pkg:Assertion } UNION { ?f a pkg:Target }
             FILTER NOT EXISTS { ?f prov:wasDerivedFrom/a pkg:Document ; prov:wasGeneratedBy/a prov:Activity } }""",
    )
    assert orphans.rows == []
    docs = ld.run_query(
        store, "SELECT ?id ?date WHERE { ?d a prov:Entity ; dcterms:identifier ?id ; dcterms:date ?date }"
    )
    dates = {r["id"]: r["date"] for r in docs.values()}
    assert dates == {"jiangxia": "2024-01-10", "suzhou": "2024-02-19", "xiaoshan": "2024-02-26"}
    date_type = ld.run_query(
        store, "SELECT DISTINCT (DATATYPE(?d) AS ?t) WHERE { ?x dcterms:date ?d }"
    ).values()
    assert date_type == [{"t": str(ns.XSD.date)}]


def check_selectors(ttl: Path, doc: str, text: str) -> None:
    """Every evidence of `doc` is an oa:SpecificResource whose selectors find its sentence in `text`."""
    rdf = Graph().parse(ttl, format="turtle")
    evidence = [e for e in rdf.subjects(ns.RDF.type, PKG.Evidence) if f"/{doc}/" in str(e)]
    assert evidence
    for ev in evidence:
        assert (ev, ns.RDF.type, OA.SpecificResource) in rdf
        assert rdf.value(ev, OA.hasSource) == URIRef(iris.document_iri(doc))
        selectors = set(rdf.objects(ev, OA.hasSelector))
        quote = next(s for s in selectors if (s, ns.RDF.type, OA.TextQuoteSelector) in rdf)
        position = next(s for s in selectors if (s, ns.RDF.type, OA.TextPositionSelector) in rdf)
        exact, prefix, suffix = (str(rdf.value(quote, p) or "") for p in (OA.exact, OA.prefix, OA.suffix))
        start, end = (rdf.value(position, p) for p in (OA.start, OA.end))
        assert start.datatype == ns.XSD.nonNegativeInteger
        start, end = int(start), int(end)
        assert text[start:end] == exact == str(rdf.value(ev, PKG.sentence))
        assert text[:start].endswith(prefix) and text[end:].startswith(suffix)
        assert len(prefix) == min(start, xrdf.CONTEXT_CHARS)  # empty prefix (start 0) is left out
        assert len(suffix) == min(len(text) - end, xrdf.CONTEXT_CHARS)


def test_web_annotation_selectors_point_at_the_sentence(
    built: Path, corpus_dir: Path, reports: Corpus
) -> None:
    check_selectors(built / "graph.ttl", "xiaoshan", (FIXTURES / "xiaoshan.txt").read_text(encoding="utf-8"))
    for doc, text in reports.texts.items():
        check_selectors(corpus_dir / "graph.ttl", doc, text)


def test_selectors_without_document_texts() -> None:
    """Graphs exported without the texts (e.g. from a GraphML file) keep exact quotes, no prefix/suffix."""
    rdf = to_rdf(build_graph())
    quotes = set(rdf.subjects(ns.RDF.type, OA.TextQuoteSelector))
    assert quotes and all(rdf.value(q, OA.exact) is not None for q in quotes)
    assert not list(rdf.objects(None, OA.prefix))
    # relation evidence spans are the sentence itself, so their position is known
    ev = iris.evidence_iri({"doc": DOC_A, "start": 0, "end": len(SENT_A1)})
    position = URIRef(f"{ev}/position")
    assert (int(rdf.value(position, OA.start)), int(rdf.value(position, OA.end))) == (0, len(SENT_A1))


def test_schema_org_types_and_typed_literals(store) -> None:
    rows = ld.run_query(
        store,
        "SELECT ?name WHERE { ?p a schema:Person , pkg:Official ; schema:name ?name } ORDER BY ?name",
    ).values()
    assert [r["name"] for r in rows] == ["杜明川", "林则安", "秦志航", "赵欣然", "钱立峰", "顾晓岚"]
    places = ld.run_query(
        store, "SELECT ?n WHERE { ?d a schema:AdministrativeArea ; schema:name ?n }"
    ).values()
    assert {r["n"] for r in places} == {"萧山区", "杭州市", "江夏区", "武汉市", "吴江区", "相城区", "苏州市"}
    types = ld.run_query(
        store,
        """SELECT DISTINCT ?p (DATATYPE(?v) AS ?t) WHERE { ?x a pkg:Target ; ?p ?v
             VALUES ?p { pkg:value pkg:year pkg:valueInBaseUnit } }""",
    ).values()
    assert {(r["p"], r["t"]) for r in types} == {
        (str(PKG.value), str(ns.XSD.decimal)),
        (str(PKG.valueInBaseUnit), str(ns.XSD.decimal)),
        (str(PKG.year), str(ns.XSD.gYear)),
    }


def test_unit_vocabulary() -> None:
    yi = units.parse_unit("亿元")
    assert yi.iri == units.UNIT_BASE + "HundredMillion-YUAN" and yi.multiplier == 10**8
    assert str(units.in_base_unit(35.5, yi)) == "3550000000.0"
    assert units.parse_unit("%").iri == units.UNIT_BASE + "PERCENT"
    assert units.parse_unit("万亿元").multiplier == 10**12
    assert units.parse_unit("万平方米").base.name == "M2"
    assert units.parse_unit("光年").base is None
    # every base unit of exports/units.py is declared in the ontology, with its QUDT match
    onto = Graph().parse(data=exports.ontology_bytes(), format="turtle")
    for base in units.BASE_UNITS.values():
        iri = URIRef(units.base_unit_iri(base))
        assert (iri, ns.RDF.type, PKG.Unit) in onto, base
        assert {lbl.language for lbl in onto.objects(iri, ns.RDFS.label)} == {"en", "zh"}
        if base.qudt:
            assert (iri, ns.SKOS.exactMatch, URIRef(units.QUDT_UNIT + base.qudt)) in onto
    # every unit text the target recogniser knows has a base unit
    known = resources.files("plankg.nlp").joinpath("data", "units.txt").read_text(encoding="utf-8")
    lines = [ln.strip() for ln in known.splitlines()]
    assert all(units.parse_unit(ln).base is not None for ln in lines if ln and not ln.startswith("#"))


# ---------------------------------------------------------------- SHACL


def test_shapes_cover_every_class_written() -> None:
    shapes = Graph().parse(data=PACKAGE.joinpath("shapes.ttl").read_bytes(), format="turtle")
    targeted = set(shapes.objects(None, URIRef("http://www.w3.org/ns/shacl#targetClass")))
    used = set(to_rdf(build_graph()).objects(None, ns.RDF.type))
    assert used - {ns.SKOS.Concept, ns.PROV.Entity, OA.SpecificResource, ns.SDO.Person, ns.SDO.Place} <= (
        targeted | {ns.SDO.AdministrativeArea}
    ), used - targeted


@pytest.mark.parametrize("name", ["graph.ttl", "graph.nq", "graph.jsonld"])
def test_shapes_pass_on_built_graphs(built: Path, corpus_dir: Path, name: str) -> None:
    for folder in (built, corpus_dir):
        conforms, violations = ld.validate(folder / name)
        assert conforms, ld.format_violations(violations)


def pyshacl_command() -> str:
    found = shutil.which("pyshacl") or str(Path(sys.executable).with_name("pyshacl"))
    if not Path(found).exists():
        pytest.skip("the pyshacl command line (installed with pyshacl) is not there")
    return found


@pytest.mark.parametrize("with_ontology", [False, True], ids=["alone", "with ontology and RDFS"])
def test_graph_ttl_validates_with_the_pyshacl_command_line(
    built: Path, corpus_dir: Path, with_ontology: bool
) -> None:
    """A published graph.ttl passes the shipped shapes with the standard tool, without plankg: on its own
    (every unit it uses is described in it), and with the ontology and RDFS inference mixed in."""
    extra = ["-e", str(built / "ontology.ttl"), "-i", "rdfs"] if with_ontology else []
    for folder in (built, corpus_dir):
        done = subprocess.run(
            [pyshacl_command(), "-s", str(ld.shapes_path()), *extra, str(folder / "graph.ttl")],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0 and "Conforms: True" in done.stdout, done.stdout[-3000:]


def test_shapes_pass_on_the_hand_built_graph(tmp_path: Path) -> None:
    path = exports.write_turtle(build_graph(), tmp_path / "g.ttl")
    conforms, violations = ld.validate(path)
    assert conforms, ld.format_violations(violations)


def break_graph(source: Path, target: Path) -> None:
    """A built graph with one mistake of each kind a hand edit or a buggy exporter could make."""
    g = Graph().parse(source, format="turtle")
    pkg = PKG
    target_node = next(t for t in g.subjects(pkg.indicator, Literal("固定资产投资", lang="zh")))
    g.remove((target_node, pkg.value, None))  # a target without a value
    g.set((target_node, pkg.comparator, Literal("≈")))  # not a comparator
    xiaoshan = URIRef(iris.entity_iri("District:萧山区"))
    g.add((xiaoshan, pkg.partOf, URIRef(iris.entity_iri("Industry:生物医药"))))  # partOf an industry
    g.add((xiaoshan, ns.SKOS.prefLabel, Literal("萧山", lang="zh")))  # a second preferred label
    event = URIRef(iris.entity_iri("Event:第三届人民代表大会第四次会议"))
    g.set((event, ns.SDO.startDate, Literal("2024年1月9日")))  # an untyped date
    doc = URIRef(iris.document_iri("suzhou"))
    g.remove((doc, ns.DCTERMS.identifier, None))  # a document without its id
    target.write_bytes(g.serialize(format="turtle", encoding="utf-8"))


def test_shapes_catch_a_broken_graph(corpus_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    break_graph(corpus_dir / "graph.ttl", broken)
    conforms, violations = ld.validate(broken)
    assert not conforms
    found = {(v.focus, v.path) for v in violations}
    fixed = "id:Target/萧山区|固定资产投资|900亿元|2024|target"
    assert {
        (fixed, "pkg:value"),
        (fixed, "pkg:comparator"),
        ("id:District/萧山区", "pkg:partOf"),
        ("id:District/萧山区", "skos:prefLabel"),
        ("id:Event/第三届人民代表大会第四次会议", "schema:startDate"),
        ("id:document/suzhou", "dcterms:identifier"),
    } <= found
    assert all(v.severity == "Violation" and v.message for v in violations)


def test_validate_command(corpus_dir: Path, tmp_path: Path) -> None:
    ok = run("validate", str(corpus_dir / "graph.ttl"))
    assert ok.exit_code == 0 and "conforms" in ok.output
    broken = tmp_path / "broken.ttl"
    break_graph(corpus_dir / "graph.ttl", broken)
    bad = run("validate", str(broken))
    assert bad.exit_code == 1
    assert "Violation: id:Target/萧山区|固定资产投资|900亿元|2024|target" in bad.output
    assert "  path:    pkg:value" in bad.output
    assert "  message: a target has exactly one xsd:decimal value" in bad.output
    missing = run("validate", str(tmp_path / "nope.ttl"))
    assert missing.exit_code == 2
    garbage = tmp_path / "garbage.ttl"
    garbage.write_text("<a> <b> .", encoding="utf-8")
    result = run("validate", str(garbage))
    assert result.exit_code == 1 and "cannot parse" in result.output and "Traceback" not in result.output


# ---------------------------------------------------------------- example queries


def example(store, name: str, **params: str) -> list[dict]:
    """A bundled query's rows, with `params` as `--param name=value` would give them."""
    text = ld.example_queries()[name].read_text(encoding="utf-8")
    text = ld.bind(text, {k: [v] for k, v in params.items()})
    return ld.run_query(store, text).values()


def split(value: str) -> set[str]:
    return set(value.split("、"))


def test_there_are_at_least_ten_example_queries() -> None:
    queries = ld.example_queries()
    assert len(queries) >= 10
    for path in queries.values():
        assert path.read_text(encoding="utf-8").startswith("# "), f"{path.name}: describe the question"


def test_query_officials_and_posts(store) -> None:
    rows = example(store, "officials-and-posts")
    assert [(r["official"], r["title"], r["place"]) for r in rows] == [
        ("钱立峰", "区委书记", "吴江区"),
        ("杜明川", "区委书记", "江夏区"),
        ("秦志航", "区委副书记、代区长", "江夏区"),
        ("赵欣然", "区委书记", "相城区"),
        ("林则安", "区委书记", "萧山区"),
        ("顾晓岚", "区委副书记、区长", "萧山区"),
    ]


def test_query_platforms_per_district(store) -> None:
    rows = example(store, "platforms-per-district")
    got = {r["district"]: (int(r["platforms"]), split(r["names"])) for r in rows}
    assert got == {
        "萧山区": (3, {"萧山经济技术开发区", "湘湖未来科技城", "钱江数智产业园"}),
        "江夏区": (2, {"江夏经济开发区", "庙山大健康产业园"}),
        "吴江区": (2, {"吴江经济技术开发区", "太湖新城"}),
        "相城区": (2, {"相城经济技术开发区", "苏州高铁新城"}),
    }
    assert rows[0]["district"] == "萧山区"  # ordered by count


def test_query_districts_backing_an_industry(store) -> None:
    assert example(store, "districts-backing-industry") == []  # no 人工智能 in the reports
    rows = example(store, "districts-backing-industry", industry="生物医药")
    assert [(r["district"], r["document"]) for r in rows] == [("江夏区", "jiangxia"), ("萧山区", "xiaoshan")]


def test_query_districts_backing_ai_in_the_hand_built_graph(tmp_path: Path) -> None:
    path = exports.write_turtle(build_graph(), tmp_path / "g.ttl")
    rows = example(ld.load_store(path), "districts-backing-industry")
    assert [(r["district"], r["industry"], r["document"]) for r in rows] == [("天河区", "人工智能", DOC_A)]


def test_query_industries_by_district_count(store) -> None:
    rows = example(store, "industries-by-district-count")
    assert [(r["industry"], r["districts"], split(r["backers"])) for r in rows] == [
        ("生物医药", "2", {"萧山区", "江夏区"}),
        ("光电子信息", "1", {"江夏区"}),
        ("新能源汽车", "1", {"江夏区"}),
        ("智能装备", "1", {"萧山区"}),
        ("智能车联网", "1", {"相城区"}),
        ("集成电路", "1", {"萧山区"}),
        ("高端纺织", "1", {"吴江区"}),
    ]


def test_query_targets_of_a_year_by_indicator(store) -> None:
    rows = example(store, "targets-of-year-by-indicator")
    assert [(r["indicator"], r["subject"], r["comparator"], float(r["value"]), r["unit"]) for r in rows] == [
        ("一般公共预算收入", "江夏区", ">", 60.0, "亿元"),
        ("固定资产投资", "萧山区", ">=", 900.0, "亿元"),
        ("地区生产总值", "萧山区", ">", 2400.0, "亿元"),
        ("地区生产总值增速", "江夏区", "~", 7.0, "%"),
        ("地区生产总值增速", "萧山区", ">=", 6.5, "%"),
        ("规上工业总产值", "吴江区", ">", 5000.0, "亿元"),
    ]


def test_query_targets_above_a_value(store) -> None:
    rows = example(store, "targets-above-value")
    assert [(r["subject"], r["indicator"], r["yuan"], r["year"], r["status"]) for r in rows] == [
        ("吴江区", "规上工业总产值", "500000000000", "2024", "target"),
        ("萧山区", "地区生产总值", "240000000000", "2024", "target"),
        ("江夏区", "地区生产总值", "138000000000", "2023", "actual"),
        ("萧山区", "固定资产投资", "90000000000", "2024", "target"),
        ("萧山区", "数字经济核心产业增加值", "80000000000", "2027", "target"),
    ]
    # 60亿元 is below the threshold; lowering it brings it in
    lower = example(store, "targets-above-value", minimum="5000000000")
    assert ("江夏区", "一般公共预算收入") in {(r["subject"], r["indicator"]) for r in lower}


def test_query_documents_supporting_a_fact(store, reports: Corpus) -> None:
    rows = example(store, "documents-supporting-fact")
    assert len(rows) == 1
    row = rows[0]
    text = reports.texts["xiaoshan"]
    assert (row["document"], row["date"]) == ("xiaoshan", "2024-02-26")
    assert row["sentence"] == "杭州市萧山区将做强萧山经济技术开发区、湘湖未来科技城和钱江数智产业园。"
    assert text[int(row["start"]) : int(row["end"])] == row["sentence"]
    assert text.count(row["prefix"] + row["sentence"] + row["suffix"]) == 1


def test_query_speakers_on_a_date(store) -> None:
    rows = example(store, "speakers-on-date")
    assert [(r["official"], r["meeting"], r["organiser"]) for r in rows] == [
        ("林则安", "全区高质量发展大会", "萧山区"),
        ("顾晓岚", "全区高质量发展大会", "萧山区"),
    ]
    # the same-named meeting in 吴江区 a week earlier
    rows = example(store, "speakers-on-date", date="2024-02-18")
    assert [(r["official"], r["organiser"], r["document"]) for r in rows] == [("钱立峰", "吴江区", "suzhou")]


def test_query_districts_with_platform_and_project(store) -> None:
    rows = example(store, "districts-with-platform-and-project")
    got = {r["district"]: (split(r["platforms"]), split(r["projects"])) for r in rows}
    assert got == {
        "江夏区": ({"江夏经济开发区", "庙山大健康产业园"}, {"江夏大道改造工程", "美丽江夏工程"}),
        "萧山区": (
            {"萧山经济技术开发区", "湘湖未来科技城", "钱江数智产业园"},
            {"湘湖蓝工程", "通城大道快速路项目"},
        ),
    }


def test_query_district_hierarchy(store) -> None:
    rows = example(store, "district-hierarchy")
    assert [(r["district"], r["parent"], r["documents"]) for r in rows] == [
        ("萧山区", "杭州市", "1"),
        ("江夏区", "武汉市", "1"),
        ("吴江区", "苏州市", "1"),
        ("相城区", "苏州市", "1"),
    ]


def test_query_meetings_and_organisers(store) -> None:
    rows = example(store, "meetings-and-organisers")
    got = {(r["meeting"], r["organiser"], r["date"]): split(r["speakers"]) for r in rows}
    assert got == {
        ("第三届人民代表大会第四次会议", "江夏区", "2024-01-09"): {"秦志航"},
        ("全区高质量发展大会", "吴江区", "2024-02-18"): {"钱立峰"},
        ("全区高质量发展大会", "萧山区", "2024-02-25"): {"林则安", "顾晓岚"},
        ("经济工作会议", "相城区", None): {"赵欣然"},
    }


def test_query_facts_per_document(store, reports: Corpus) -> None:
    rows = example(store, "facts-per-document")
    assert [(r["document"], r["date"], r["facts"], r["targets"], r["entities"]) for r in rows] == [
        ("jiangxia", "2024-01-10", "16", "4", "12"),
        ("suzhou", "2024-02-19", "15", "1", "13"),
        ("xiaoshan", "2024-02-26", "18", "4", "13"),
    ]
    # the same counts from the networkx graph
    graph = reports.graph
    for r in rows:
        doc = r["document"]
        nodes = [d for _, d in graph.nodes(data=True) if doc in d["docs"]]
        assert int(r["facts"]) == sum(doc in d["docs"] for *_, d in graph.edges(data=True))
        assert int(r["targets"]) == sum(d["type"] == "Target" for d in nodes)
        assert int(r["entities"]) == sum(d["type"] != "Target" for d in nodes)


def test_query_planned_vs_actual(store) -> None:
    rows = example(store, "planned-vs-actual")
    assert [
        (r["district"], r["indicator"], r["actual"], r["actualYear"], r["target"], r["targetYear"])
        for r in rows
    ] == [("江夏区", "地区生产总值增速", "6.8", "2023", "7", "2024")]


def comparable(rows: list[dict]) -> list[str]:
    """Rows in a fixed order, GROUP_CONCAT lists sorted: duplicates stay, so a row twice shows."""
    return sorted(str({k: "、".join(sorted((v or "").split("、"))) for k, v in row.items()}) for row in rows)


def test_every_example_query_runs_on_every_format(built: Path) -> None:
    """The queries do not depend on Turtle: N-Triples, JSON-LD and N-Quads (the union of its graphs, each
    triple once) give the same rows, none twice."""
    names = ("graph.ttl", "graph.nt", "graph.jsonld", "graph.nq")
    stores = {name: ld.load_store(built / name) for name in names}
    for name, path in ld.example_queries().items():
        text = path.read_text(encoding="utf-8")
        results = [comparable(ld.run_query(s, text).values()) for s in stores.values()]
        assert results[0] == results[1] == results[2] == results[3], name
    assert ld.run_query(stores["graph.nq"], text).rows  # the last query found something on quads too


# ---------------------------------------------------------------- plankg query


def test_query_command_table_csv_json(corpus_dir: Path, tmp_path: Path) -> None:
    ttl = str(corpus_dir / "graph.ttl")
    q = "SELECT ?name WHERE { ?d a pkg:District ; skos:prefLabel ?name } ORDER BY ?name"
    table = run("query", ttl, q)
    assert table.exit_code == 0, table.output
    assert table.output.splitlines()[0] == "name" and "(7 rows)" in table.output
    csv_out = run("query", ttl, q, "--format", "csv")
    assert csv_out.output.splitlines() == [
        "name",
        "吴江区",
        "杭州市",
        "武汉市",
        "江夏区",
        "相城区",
        "苏州市",
        "萧山区",
    ]
    as_json = json.loads(run("query", ttl, q, "--format", "json").output)
    assert as_json["head"]["vars"] == ["name"]
    assert as_json["results"]["bindings"][0]["name"] == {
        "type": "literal",
        "value": "吴江区",
        "xml:lang": "zh",
    }
    # a .rq file, a bundled example by name, an ASK, several graph files
    rq = tmp_path / "q.rq"
    rq.write_text("ASK { ?x pkg:partOf ?y }", encoding="utf-8")
    assert run("query", ttl, str(rq)).output.strip() == "true"
    by_name = run("query", ttl, "officials-and-posts", "--format", "csv")
    assert by_name.exit_code == 0 and "林则安,区委书记,萧山区" in by_name.output
    both = run(
        "query", ttl, str(corpus_dir / "ontology.ttl"), "SELECT (COUNT(*) AS ?n) WHERE { ?u a pkg:Unit }"
    )
    assert int(both.output.splitlines()[2]) > 30


def test_query_command_errors_are_one_line(built: Path, tmp_path: Path) -> None:
    bad = run("query", str(built / "graph.ttl"), "SELECT WHERE {")
    assert bad.exit_code == 1 and "SPARQL syntax error" in bad.output and "Traceback" not in bad.output
    typo = run("query", str(built / "graph.ttl"), "officials-and-post")
    assert typo.exit_code == 1 and "syntax error" not in typo.output
    assert "did you mean officials-and-posts?" in typo.output and "speakers-on-date" in typo.output
    missing = run("query", str(tmp_path / "none.ttl"), "ASK {}")
    assert missing.exit_code == 1 and "no such file" in missing.output
    wrong = tmp_path / "g.xyz"
    wrong.write_text("x", encoding="utf-8")
    assert "unknown RDF file type" in run("query", str(wrong), "ASK {}").output


def test_query_command_on_nquads_queries_the_union(corpus_dir: Path) -> None:
    ttl = run("query", str(corpus_dir / "graph.ttl"), "officials-and-posts", "--format", "csv")
    nq = CliRunner().invoke(
        cli, ["query", str(corpus_dir / "graph.nq"), "officials-and-posts", "--format", "csv"]
    )
    assert nq.exit_code == 0, nq.output
    assert "querying the union of the named graphs" in nq.stderr
    assert nq.stdout == ttl.output and len(nq.stdout.splitlines()) == 7  # header + six posts, none twice
    # GRAPH ?g still sees where each fact came from
    where = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?o org:holds ?post } } ORDER BY ?g"
    graphs = run("query", str(corpus_dir / "graph.nq"), where, "--format", "csv").stdout.splitlines()[1:]
    assert graphs == [iris.graph_iri(d) for d in ("jiangxia", "suzhou", "xiaoshan")]


def test_query_parameters_on_the_command_line(corpus_dir: Path) -> None:
    ttl = str(corpus_dir / "graph.ttl")
    args = ["query", ttl, "districts-backing-industry", "--format", "csv"]
    assert run(*args).output.splitlines() == ["district,industry,document"]  # no 人工智能 in these reports
    rows = run(*args, "--param", "industry=生物医药").output.splitlines()
    assert rows == ["district,industry,document", "江夏区,生物医药,jiangxia", "萧山区,生物医药,xiaoshan"]
    both = run(*args, "--param", "industry=生物医药", "--param", "industry=高端纺织").output
    assert "吴江区,高端纺织,suzhou" in both and "萧山区,生物医药" in both
    fact = [
        "query", ttl, "documents-supporting-fact", "--format", "csv",
        "--param", "subject=江夏区", "--param", "property=pkg:hasProject", "--param", "object=美丽江夏工程",
    ]  # fmt: skip
    (row,) = run(*fact).output.splitlines()[1:]
    assert row.startswith("jiangxia,2024-01-10,武汉市江夏区依托江夏经济开发区")
    # values are SPARQL terms, never query text: a quote or a brace is part of the name looked for
    sneaky = run(*args, "--param", 'industry=x" } ?d ?p ?o . { "')
    assert sneaky.exit_code == 0 and sneaky.output.splitlines() == ["district,industry,document"]
    for wrong, message in (
        ("date=25 Feb", "a date is written YYYY-MM-DD"),
        ("place=萧山区", "unknown parameter(s) place; this query takes: date"),
        ("date", "write NAME=VALUE"),
    ):
        result = run("query", ttl, "speakers-on-date", "--param", wrong)
        assert result.exit_code == 1 and message in result.output, result.output
    bad_iri = run(*fact[:-6], "--param", "property=javascript alert")
    assert bad_iri.exit_code == 1 and "an IRI is absolute" in bad_iri.output


def test_query_list_names_every_query_with_its_parameters() -> None:
    listing = run("query", "--list")
    assert listing.exit_code == 0, listing.output
    for name in ld.example_queries():
        assert f"\n{name}\n" in f"\n{listing.output}"
    assert "--param industry (text, default 人工智能)" in listing.output
    assert "--param date (date, default 2024-02-25)" in listing.output
    assert "--param minimum (number, default 0.9)" in listing.output
    for path in ld.example_queries().values():  # every declared parameter has its VALUES default
        for parameter in ld.parameters(path.read_text(encoding="utf-8")):
            assert parameter.default_value


def test_validate_and_query_from_another_directory(corpus_dir: Path, tmp_path: Path) -> None:
    """The shapes, ontology and example queries are package data: found from any working directory."""
    script = Path(sys.executable).with_name("plankg")
    if not script.exists():
        pytest.skip("the plankg console script is not installed")
    ttl = str(corpus_dir / "graph.ttl")
    for args in (["validate", ttl], ["query", ttl, "officials-and-posts", "--format", "csv"]):
        done = subprocess.run(
            [str(script), *args], cwd=tmp_path, capture_output=True, text=True, env=dict(os.environ)
        )
        assert done.returncode == 0, done.stderr
    assert "林则安,区委书记,萧山区" in done.stdout


def test_with_prefixes_adds_only_missing_declarations() -> None:
    q = ld.with_prefixes("PREFIX pkg: <urn:x#>\nSELECT * WHERE { ?a pkg:b ?c ; skos:prefLabel 'a:b' }")
    assert q.count("PREFIX pkg:") == 1 and "PREFIX skos:" in q and "PREFIX a:" not in q
    assert ld.with_prefixes("SELECT * WHERE { ?s ?p ?o }") == "SELECT * WHERE { ?s ?p ?o }"


# ---------------------------------------------------------------- push to a live Oxigraph server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def oxigraph_server(tmp_path: Path):
    """`oxigraph serve` on a free loopback port with a temporary store; yields its base URL."""
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(binary).exists():
        pytest.skip("the oxigraph server binary (PyPI package `oxigraph`) is not installed")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [binary, "serve", "--location", str(tmp_path / "store"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read().decode() if proc.poll() is not None else "timeout"
                    pytest.fail(f"oxigraph serve did not start: {err}")
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def remote_count(base: str, where: str = "{ ?s ?p ?o }") -> int:
    query = urllib.parse.urlencode({"query": f"SELECT (COUNT(*) AS ?n) WHERE {where}"})
    request = urllib.request.Request(
        f"{base}/query?{query}", headers={"Accept": "application/sparql-results+json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        data = json.load(response)
    return int(data["results"]["bindings"][0]["n"]["value"])


def test_push_to_a_live_oxigraph_server(built: Path, oxigraph_server: str) -> None:
    ttl = built / "graph.ttl"
    local = oxigraph_count(ttl)
    result = run("push", str(ttl), "--endpoint", f"{oxigraph_server}/store")
    assert result.exit_code == 0, result.output
    assert "default graph: HTTP 20" in result.output
    assert remote_count(oxigraph_server) == local
    # pushing again adds nothing new (same IRIs, no blank nodes); --replace keeps the count
    run("push", str(ttl), "--endpoint", f"{oxigraph_server}/store")
    assert remote_count(oxigraph_server) == local
    # a named graph
    g = "https://example.org/graphs/plankg"
    result = run(
        "push", str(built / "graph.nt"), "--endpoint", f"{oxigraph_server}/store", "--graph", g, "--replace"
    )
    assert result.exit_code == 0, result.output
    assert remote_count(oxigraph_server, f"{{ GRAPH <{g}> {{ ?s ?p ?o }} }}") == local
    # the same SELECT over HTTP as locally: officials and posts
    query = (ld.queries_dir() / "officials-and-posts.rq").read_text(encoding="utf-8")
    url = f"{oxigraph_server}/query?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        remote_rows = [
            {k: v["value"] for k, v in b.items()} for b in json.load(response)["results"]["bindings"]
        ]
    assert remote_rows == ld.run_query(ld.load_store(ttl), query).values()


def test_push_nquads_keeps_one_graph_per_document(built: Path, oxigraph_server: str) -> None:
    nq = built / "graph.nq"
    result = run("push", str(nq), "--endpoint", f"{oxigraph_server}/store")
    assert result.exit_code == 0, result.output
    local = ld.load_store(nq, union=False)
    for graph in local.named_graphs():
        where = f"{{ GRAPH <{graph.value}> {{ ?s ?p ?o }} }}"
        assert remote_count(oxigraph_server, where) == len(
            list(local.quads_for_pattern(None, None, None, graph))
        )
    assert remote_count(oxigraph_server, "{ ?s ?p ?o }") == 0  # no triple outside a named graph


def remote_rows(base: str, query: str, union: bool = False) -> list[dict]:
    """A SELECT over the SPARQL protocol; `union` asks Oxigraph for the union of the named graphs."""
    params = {"query": query, **({"union-default-graph": ""} if union else {})}
    request = urllib.request.Request(
        f"{base}/query?" + urllib.parse.urlencode(params),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        data = json.load(response)
    names = data["head"]["vars"]
    return [{k: b[k]["value"] if k in b else None for k in names} for b in data["results"]["bindings"]]


def test_bundled_queries_over_http_on_pushed_nquads(built: Path, oxigraph_server: str) -> None:
    """After `plankg push graph.nq`, Oxigraph asked for the union default graph (`union-default-graph`,
    or `oxigraph serve --union-default-graph`) gives every bundled query the rows of the local Turtle,
    none twice, though a triple stated by two documents is in two graphs."""
    assert run("push", str(built / "graph.nq"), "--endpoint", f"{oxigraph_server}/store").exit_code == 0
    local = ld.load_store(built / "graph.ttl")
    officials = ld.example_queries()["officials-and-posts"].read_text(encoding="utf-8")
    assert remote_rows(oxigraph_server, officials) == []  # the default graph is empty: all is named
    for name, path in ld.example_queries().items():
        text = ld.with_prefixes(path.read_text(encoding="utf-8"))
        expected = comparable(ld.run_query(local, text).values())
        assert comparable(remote_rows(oxigraph_server, text, union=True)) == expected, name
    assert remote_rows(oxigraph_server, officials, union=True)


def test_push_errors_are_one_line(built: Path, oxigraph_server: str, tmp_path: Path) -> None:
    refused = run("push", str(built / "graph.ttl"), "--endpoint", f"{oxigraph_server}/nowhere")
    assert refused.exit_code == 1 and "HTTP 404" in refused.output and "Traceback" not in refused.output
    down = run("push", str(built / "graph.ttl"), "--endpoint", f"http://127.0.0.1:{free_port()}/store")
    assert down.exit_code == 1 and "cannot connect" in down.output


def test_push_sends_basic_auth(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []

    class Response:
        status = 204

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def fake_urlopen(request, timeout):
        seen.append(request)
        return Response()

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    done = ld.push(built / "graph.ttl", "http://store.example/ds/data", graph="urn:g", user="u", password="p")
    assert done == [("urn:g", 204)]
    (request,) = seen
    assert request.get_method() == "POST"
    assert request.full_url == "http://store.example/ds/data?graph=urn%3Ag"
    assert request.get_header("Authorization") == "Basic dTpw"
    assert request.get_header("Content-type").startswith("text/turtle")


def test_build_command_writes_the_linked_data_formats(pipeline_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("build", str(FIXTURES / "xiaoshan.txt"), "--out", str(out), "--quiet", "--format", "ttl")
    assert result.exit_code == 0, result.output
    # `plankg build` Turtle, read by pyoxigraph's parser
    assert len(list(ox.parse(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE))) == len(
        Graph().parse(out / "graph.ttl")
    )
    args = ["--format", "jsonld", "--format", "nt", "--format", "nq"]
    result = run("build", str(FIXTURES / "xiaoshan.txt"), "--out", str(out), "--quiet", *args)
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} >= {"graph.jsonld", "graph.nt", "graph.nq", "ontology.ttl"}
    assert (
        oxigraph_count(out / "graph.nt")
        == oxigraph_count(out / "graph.ttl")
        == oxigraph_count(out / "graph.jsonld")
    )
