"""The format registry (exports/formats.py): one table behind `plankg build --format`, write_all,
`plankg view`, `plankg query`, `validate` and `push`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from graphs import build_graph

from plankg import cli
from plankg import linkeddata as ld
from plankg.exports import formats, write_all
from plankg.view import load_graph


def test_every_cli_choice_has_a_writer() -> None:
    assert cli.FORMATS == formats.choices()
    assert {"graphml", "ttl", "turtle", "jsonld", "nt", "nq", "gexf", "json"} == set(cli.FORMATS)
    assert cli.DEFAULT_FORMATS == formats.defaults() == ("graphml", "ttl")
    for name in cli.FORMATS:
        fmt = formats.get(name)
        assert fmt.writer is not None and callable(formats._load(fmt.writer)), name
        if fmt.kind == formats.GRAPH:
            assert fmt.reader is not None and callable(formats._load(fmt.reader)), name


def test_names_and_suffixes_are_unique() -> None:
    seen_names: dict[str, str] = {}
    seen_suffixes: dict[str, str] = {}
    for fmt in formats.all_formats():
        assert fmt.suffixes and all(s.startswith(".") and s == s.lower() for s in fmt.suffixes), fmt
        for name in fmt.names:
            assert seen_names.setdefault(name, fmt.name) == fmt.name, name
        for suffix in fmt.suffixes:
            assert seen_suffixes.setdefault(suffix, fmt.name) == fmt.name, suffix
    written = [f.suffix for f in formats.writable()]
    assert len(written) == len(set(written))
    with pytest.raises(ValueError, match="already registered"):
        formats.register(formats.Format("nt", formats.RDF, (".nt2",), "text/plain"))
    with pytest.raises(ValueError, match="already registered"):
        formats.register(formats.Format("other", formats.RDF, (".nt",), "text/plain"))
    assert formats.find("nt2") is None and formats.find("other") is None


def test_lookup_by_name_alias_and_suffix() -> None:
    assert formats.get("turtle") is formats.get("TTL") is formats.get(".ttl") is formats.for_path("g.TURTLE")
    assert formats.for_path("g.xml", formats.GRAPH) is formats.get("graphml")
    assert formats.for_path("g.json", formats.RDF) is None and formats.for_path("g.txt") is None
    assert formats.for_path("ontology.owl") is formats.get("rdfxml")
    with pytest.raises(KeyError):
        formats.get("xlsx")


def test_rdf_entries_agree_with_pyoxigraph() -> None:
    for fmt in formats.all_formats(formats.RDF):
        syntax = fmt.rdf_format()
        assert syntax.media_type == fmt.media_type, fmt.name
        assert syntax.supports_datasets or not fmt.quads, fmt.name  # JSON-LD could hold graphs; ours does not
        assert f".{syntax.file_extension}" in fmt.suffixes, fmt.name
        assert fmt.rdflib_name, fmt.name
    read_only = {f.name for f in formats.all_formats() if f.writer is None}
    assert read_only == {"trig", "rdfxml"}


def test_view_and_query_read_what_build_writes(tmp_path: Path) -> None:
    graph = build_graph()
    paths = write_all(graph, tmp_path, formats=formats.choices())
    assert [p.name for p in paths] == [
        "graph.graphml",
        "graph.gexf",
        "graph.json",
        "graph.ttl",
        "graph.jsonld",
        "graph.nt",
        "graph.nq",
        "ontology.ttl",
    ]  # graph formats first; ttl and its alias turtle once
    for fmt in formats.writable(formats.GRAPH):
        back = load_graph(tmp_path / f"graph{fmt.suffix}")
        assert isinstance(back, nx.MultiDiGraph) and set(back.nodes) == set(graph.nodes), fmt.name
        assert back.number_of_edges() == graph.number_of_edges(), fmt.name
    counts = {}
    for fmt in formats.writable(formats.RDF):
        path = tmp_path / f"graph{fmt.suffix}"
        store = ld.load_store(path)
        triples = {(q.subject, q.predicate, q.object) for q in store}
        counts[fmt.name] = len(triples)
        assert len(ld.read_rdflib(path)) == len(triples), fmt.name
    assert len(set(counts.values())) == 1 and counts["ttl"] > 100, counts


def test_read_only_formats_are_read(tmp_path: Path) -> None:
    """TriG and RDF/XML files others write load for query and validate, though the build never writes them."""
    triples = list(
        ox.parse(
            path=str(write_all(build_graph(), tmp_path, formats=("nt",))[0]), format=ox.RdfFormat.N_TRIPLES
        )
    )
    for name in ("trig", "rdfxml"):
        fmt = formats.get(name)
        path = tmp_path / f"other{fmt.suffix}"
        ox.serialize(triples, output=str(path), format=fmt.rdf_format())
        assert len(ld.load_store(path)) == len(triples) == len(ld.read_rdflib(path)), name


def test_exports_need_nothing_from_the_command_line_package() -> None:
    """exports/ imports plankg.graph at most: not plankg.nlp, nor plankg's own modules (cli, api ...)."""
    code = (
        "import sys, pkgutil, importlib, plankg.exports as e\n"
        "for m in pkgutil.iter_modules(e.__path__): importlib.import_module('plankg.exports.' + m.name)\n"
        "print(' '.join(sorted(n for n in sys.modules if n.startswith('plankg'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(done.stdout.split())
    assert {n for n in loaded if not n.startswith(("plankg.exports", "plankg.graph"))} == {"plankg"}, loaded


def test_the_cli_lists_formats_without_importing_the_writers() -> None:
    code = "import sys, plankg.cli\nprint(' '.join(m for m in ('networkx', 'rdflib', 'pyoxigraph') if m in sys.modules))\n"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=dict(os.environ)
    )
    assert done.stdout.split() == []
