"""What a build writes, chosen by the researcher: how much evidence (--evidence), and source paths that do
not depend on the working directory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from graphs import build_graph
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import DCTERMS, RDF

from plankg.api import SAMPLE, relative_source
from plankg.cli import cli
from plankg.exports.terms import PKG as OX_PKG
from plankg.graph.filtering import evidence_count, limit_evidence, parse_evidence
from plankg.linkeddata import shapes_path

FIXTURES = Path(__file__).parent / "fixtures"
PKG = Namespace(OX_PKG.base)


def test_evidence_choices() -> None:
    assert [parse_evidence(c) for c in ("all", "first", "none", "3", "FIRST")] == [None, 1, 0, 3, 1]
    with pytest.raises(ValueError, match="all, first, none or a number"):
        parse_evidence("some")


def test_limit_evidence_keeps_the_first_sentences_and_every_document() -> None:
    g = build_graph()
    part_of = g.edges["District:天河区", "District:广州市", "part_of"]
    assert len(part_of["evidence"]) == 2 and part_of["docs"] == ["liwan-2024", "tianhe-2024"]
    first = limit_evidence(g, 1)
    kept = first.edges["District:天河区", "District:广州市", "part_of"]
    assert [e["doc"] for e in kept["evidence"]] == ["liwan-2024"]  # the exporters' order: by document
    assert kept["docs"] == part_of["docs"]
    assert len(part_of["evidence"]) == 2  # the input graph is not changed
    none = limit_evidence(g, 0)
    assert all(d["evidence"] == [] for *_, d in none.edges(data=True))
    target = none.nodes["Target:天河区|经济总量|7000亿元|2024|target"]
    assert "sentence" not in target and target["docs"] == ["tianhe-2024"]
    assert evidence_count(none) == (0, 0)
    items, spans = evidence_count(g)
    assert (items, spans) == (18, 4)  # 15 edges, one with two sentences, and 2 targets; 4 sentences


@pytest.mark.parametrize("choice", ["all", "first", "none"])
def test_build_with_evidence_choice(pipeline_dir: Path, tmp_path: Path, choice: str) -> None:
    out = tmp_path / choice
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in FIXTURES.glob("*.txt"):  # each fact twice: the same report in two folders' files
        (corpus / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        (corpus / f"again-{path.name}").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    args = ["build", str(corpus), "--out", str(out), "--evidence", choice, "--format", "ttl"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    line = next(ln for ln in result.output.splitlines() if ln.startswith("evidence"))
    rdf = Graph().parse(out / "graph.ttl")
    described = len(set(rdf.subjects(RDF.type, PKG.Evidence)))
    assert line.startswith(f"evidence ({choice}): ") and line.endswith(
        f", {described} distinct sentence spans"
    )
    links = len(list(rdf.triples((None, PKG.hasEvidence, None))))
    assert f": {links} items on the facts" in line
    facts = set(rdf.subjects(RDF.type, PKG.Assertion)) | set(rdf.subjects(RDF.type, PKG.Target))
    assert facts and all(rdf.value(f, DCTERMS.source) is None for f in facts)
    assert all((f, Namespace("http://www.w3.org/ns/prov#").wasDerivedFrom, None) in rdf for f in facts)
    if choice == "none":
        assert described == 0  # the facts and the documents behind them stay
    if choice == "first":
        assert links == len(facts)  # one sentence per fact
    if choice == "all":
        assert links > len(facts)
    # and what is written still passes the shipped shapes with the standard tool
    done = subprocess.run(
        [pyshacl(), "-s", str(shapes_path()), str(out / "graph.ttl")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout[-2000:]


def pyshacl() -> str:
    found = shutil.which("pyshacl") or str(Path(sys.executable).with_name("pyshacl"))
    if not Path(found).exists():
        pytest.skip("the pyshacl command line is not installed")
    return found


def test_relative_source() -> None:
    corpus = FIXTURES
    assert relative_source(str(corpus / "sub" / "a.txt"), corpus) == "sub/a.txt"
    assert relative_source(f"{corpus / 'feed.jsonl'}:12", corpus) == "feed.jsonl:12"
    file = corpus / "xiaoshan.txt"
    assert relative_source(str(file), file) == "xiaoshan.txt"
    assert relative_source(f"{file}#chars=0-100", file) == "xiaoshan.txt#chars=0-100"
    assert relative_source("elsewhere.txt", corpus) == "elsewhere.txt"


def sources(ttl: Path) -> dict[str, str]:
    rdf = Graph().parse(ttl)
    return {str(rdf.value(d, DCTERMS.identifier)): str(o) for d, o in rdf.subject_objects(DCTERMS.source)}


def test_sources_do_not_depend_on_the_working_directory(pipeline_dir: Path, tmp_path: Path) -> None:
    """The same folder built from two working directories (one relative path, one absolute) records the
    same dcterms:source; the bundled sample records its file name, not the machine's install path."""
    script = Path(sys.executable).with_name("plankg")
    if not script.exists():
        pytest.skip("the plankg console script is not installed")
    corpus = tmp_path / "news"
    (corpus / "2024").mkdir(parents=True)
    shutil.copy(FIXTURES / "xiaoshan.txt", corpus / "2024" / "xiaoshan.txt")
    shutil.copy(FIXTURES / "suzhou.txt", corpus / "suzhou.txt")
    env = dict(os.environ)
    runs = {
        "relative": (tmp_path, ["news"]),
        "absolute": (corpus / "2024", [str(corpus)]),
    }
    found = {}
    for name, (cwd, inputs) in runs.items():
        out = tmp_path / f"out-{name}"
        args = [str(script), "build", *inputs, "--out", str(out), "--quiet", "--format", "ttl"]
        subprocess.run(args, cwd=cwd, env=env, check=True, capture_output=True)
        found[name] = sources(out / "graph.ttl")
    assert (
        found["relative"]
        == found["absolute"]
        == {"2024/xiaoshan": "2024/xiaoshan.txt", "suzhou": "suzhou.txt"}
    )
    sample = tmp_path / "out-sample"
    result = CliRunner().invoke(cli, ["build", "--out", str(sample), "--quiet", "--format", "ttl"])
    assert result.exit_code == 0, result.output
    assert set(sources(sample / "graph.ttl").values()) == {SAMPLE.name}
    assert str(tmp_path) not in (sample / "graph.ttl").read_text(encoding="utf-8")
    assert Literal(SAMPLE.name) in set(Graph().parse(sample / "graph.ttl").objects(None, DCTERMS.source))
