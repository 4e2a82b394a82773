"""`plankg view`: the self-contained HTML page, checked as data and in headless Chromium.

The browser tests use Debian's `chromium` package (.ci/run installs it). Without it they skip, unless
PLANKG_REQUIRE_CHROMIUM is set (as CI does), in which case they fail.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import networkx as nx
import pytest
from click.testing import CliRunner
from graphs import DOC_A, DOC_B, SENT_A2, SENT_B1, build_graph

from plankg.cli import cli
from plankg.exports import write_gexf, write_graphml, write_nodelink
from plankg.exports.style import TYPE_COLORS, hex_color
from plankg.view import load_graph, payload, render

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--enable-logging=stderr",
    "--v=0",
    "--virtual-time-budget=5000",
    "--window-size=1280,800",
]


@pytest.fixture
def kg() -> nx.MultiDiGraph:
    return build_graph()


def embedded_data(page: str) -> dict:
    match = re.search(r'<script id="graph-data" type="application/json">(.*?)</script>', page, re.S)
    assert match, "graph data not found"
    return json.loads(match.group(1))


# ---------------------------------------------------------------- the page as data


def test_page_is_self_contained_and_carries_the_graph(kg: nx.MultiDiGraph, tmp_path: Path) -> None:
    page = render(load_graph(write_graphml(kg, tmp_path / "g.graphml")), title="g.graphml")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page), "no network resources"
    assert "default-src 'none'" in page  # the browser refuses any request the page might make
    data = embedded_data(page)
    by_id = {n["id"]: n for n in data["nodes"]}
    assert set(by_id) == set(kg.nodes)
    tianhe = by_id["District:天河区"]
    assert (tianhe["label"], tianhe["type"], tianhe["aliases"]) == ("天河区", "District", ["天河"])
    assert tianhe["color"] == hex_color(TYPE_COLORS["District"])
    assert {t["type"]: t["count"] for t in data["types"]}["District"] == 3
    gdp = by_id["Target:天河区|经济总量|7000亿元|2024|target"]
    assert ["value", 7000] in gdp["facts"] and ["year", 2024] in gdp["facts"]
    assert gdp["evidence"][0]["doc"] == DOC_A
    cbd = data["nodes"].index(by_id["Platform:天河中央商务区"])
    into_cbd = [e for e in data["edges"] if e["t"] == cbd]
    assert [(e["relation"], e["evidence"]) for e in into_cbd] == [
        ("has_platform", [{"doc": DOC_A, "sentence": SENT_A2}])
    ]


def test_names_cannot_break_out_of_the_page(kg: nx.MultiDiGraph) -> None:
    evil = "</script><script>alert(1)</script>"
    kg.add_node("Project:" + evil, type="Project", label=evil, aliases=[], docs=[DOC_A])
    page = render(kg, title="<b>t</b>")
    assert page.count("</script>") == 2  # the data block and the code block, nothing injected
    assert "<title><b>" not in page and html.escape("<b>t</b>") in page
    assert evil in [n["label"] for n in embedded_data(page)["nodes"]]


def test_json_keeps_every_sentence_and_gexf_its_colours(kg: nx.MultiDiGraph, tmp_path: Path) -> None:
    from_json = payload(load_graph(write_nodelink(kg, tmp_path / "g.json")))
    index = {n["id"]: i for i, n in enumerate(from_json["nodes"])}
    part_of = next(
        e
        for e in from_json["edges"]
        if (e["s"], e["t"], e["relation"]) == (index["District:天河区"], index["District:广州市"], "part_of")
    )
    assert [ev["doc"] for ev in part_of["evidence"]] == [DOC_B, DOC_A]
    assert part_of["evidence"][0]["sentence"] == SENT_B1
    from_gexf = payload(load_graph(write_gexf(kg, tmp_path / "g.gexf")))
    assert {n["type"]: n["color"] for n in from_gexf["nodes"]}["Official"] == hex_color(
        TYPE_COLORS["Official"]
    )
    assert len(from_gexf["edges"]) == kg.number_of_edges()


def test_view_command(kg: nx.MultiDiGraph, tmp_path: Path) -> None:
    graph = write_graphml(kg, tmp_path / "g.graphml")
    result = CliRunner().invoke(cli, ["view", str(graph)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "g.html").exists() and "wrote" in result.output
    result = CliRunner().invoke(cli, ["view", str(graph), "--out", str(tmp_path / "sub" / "page.html")])
    assert result.exit_code == 0 and (tmp_path / "sub" / "page.html").exists()
    bad = tmp_path / "bad.graphml"
    bad.write_text("<graphml><node", encoding="utf-8")
    result = CliRunner().invoke(cli, ["view", str(bad)])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert result.output.strip().splitlines()[-1].startswith("Error:")


# ---------------------------------------------------------------- in headless Chromium


class _PageText(HTMLParser):
    """Text of the elements inside #node-list and #details of a dumped DOM."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.labels: list[str] = []
        self.details: list[str] = []
        self.ready = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "body" and a.get("data-ready") == "true":
            self.ready = True
        if tag in ("br", "meta", "input", "link", "img"):
            return
        self.stack.append(a.get("id") or a.get("class") or tag)

    def handle_endtag(self, tag: str) -> None:
        if self.stack and tag not in ("br", "meta", "input", "link", "img"):
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if "node-list" in self.stack and self.stack[-1] == "label":
            self.labels.append(data)
        if "details" in self.stack:
            self.details.append(data)


def chromium(url: str, tmp_path: Path) -> tuple[str, list[str]]:
    """(DOM after the scripts ran, console messages) of `url` in a fresh headless Chromium profile."""
    if not CHROMIUM:
        if os.environ.get("PLANKG_REQUIRE_CHROMIUM"):
            pytest.fail("chromium is not installed but PLANKG_REQUIRE_CHROMIUM is set")
        pytest.skip("chromium not installed (apt-get install chromium)")
    profile = tmp_path / "chromium-profile"
    proc = subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, HOME=str(tmp_path)),
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    # Chromium logs every console message (log, warn, error, uncaught exceptions, CSP refusals) as
    # "...:INFO:CONSOLE(...)] "message", source: ..."; the page itself logs nothing.
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    return proc.stdout, console


def test_console_capture_sees_errors(tmp_path: Path) -> None:
    """The capture below must notice a broken page, or a clean result would prove nothing."""
    page = tmp_path / "broken.html"
    page.write_text(
        "<!DOCTYPE html><html><body><p>x</p><script>console.error('planted'); null.f();</script></body></html>",
        encoding="utf-8",
    )
    dom, console = chromium(page.as_uri(), tmp_path)
    assert "<p>x</p>" in dom
    assert any("planted" in line for line in console), console
    assert any("Uncaught TypeError" in line for line in console), console


@pytest.fixture(scope="module")
def sample_graphml(tmp_path_factory: pytest.TempPathFactory, pipeline_dir: Path) -> Path:
    """The GraphML of the bundled sample, as `plankg build` writes it."""
    from plankg.api import build

    out = tmp_path_factory.mktemp("sample")
    build(None, out, formats=("graphml",))
    return out / "graph.graphml"


def test_sample_page_in_headless_chromium(sample_graphml: Path, tmp_path: Path) -> None:
    page = tmp_path / "sample.html"
    result = CliRunner().invoke(cli, ["view", str(sample_graphml), "--out", str(page)])
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(sample_graphml, force_multigraph=True)
    labels = sorted(d["label"] for _, d in graph.nodes(data=True))
    assert len(labels) >= 10

    dom, console = chromium(page.as_uri(), tmp_path)
    assert console == [], "console messages: " + "\n".join(console)
    text = _PageText()
    text.feed(dom)
    assert text.ready, "the page script did not finish"
    assert sorted(text.labels) == labels, "node list rendered by the page"

    # #node=<id> opens a node in the side panel: its facts, edges and source sentences
    district, data = max(
        ((n, d) for n, d in graph.nodes(data=True) if d["type"] == "District"),
        key=lambda nd: graph.degree(nd[0]),
    )
    dom, console = chromium(page.as_uri() + "#node=" + quote(district, safe=""), tmp_path)
    assert console == [], "console messages: " + "\n".join(console)
    text = _PageText()
    text.feed(dom)
    details = "".join(text.details)
    assert data["label"] in details and data["code"] in details
    assert f"Edges ({graph.degree(district)})" in details
    edges = list(graph.out_edges(district, data=True)) + list(graph.in_edges(district, data=True))
    for u, v, d in edges:
        assert d["relation"] in details
        assert d["sentence"] in details
        other = v if u == district else u
        assert graph.nodes[other]["label"] in details


def unsure_page(tmp_path: Path) -> tuple[Path, nx.MultiDiGraph]:
    """The hand-built graph with confidences set by hand (the platform 0.4, the AI edge 0.6), as a page."""
    graph = build_graph()
    for _, data in graph.nodes(data=True):
        data["confidence"] = 1.0
    for *_, data in graph.edges(data=True):
        data["confidence"] = 0.9
    graph.nodes["Platform:天河中央商务区"]["confidence"] = 0.4
    graph.edges["District:天河区", "Industry:人工智能", "develops_industry"]["confidence"] = 0.6
    source = write_graphml(graph, tmp_path / "unsure.graphml")
    page = tmp_path / "unsure.html"
    assert CliRunner().invoke(cli, ["view", str(source), "--out", str(page)]).exit_code == 0
    return page, graph


def test_page_carries_confidence(tmp_path: Path) -> None:
    page, _ = unsure_page(tmp_path)
    data = embedded_data(page.read_text(encoding="utf-8"))
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id["Platform:天河中央商务区"]["confidence"] == 0.4
    assert sorted({e["confidence"] for e in data["edges"]}) == [0.6, 0.9]
    assert all(f[0] != "confidence" for n in data["nodes"] for f in n["facts"])  # shown on its own line
    assert 'id="min-confidence" type="range"' in page.read_text(encoding="utf-8")
    # files without confidences (older builds) show none and hide nothing
    plain = payload(build_graph())
    assert {n["confidence"] for n in plain["nodes"]} == {None}


def test_confidence_slider_in_headless_chromium(tmp_path: Path) -> None:
    """#min-confidence=0.7 sets the slider: the platform (0.4) leaves the node list, 天河区's panel shows
    each edge's confidence and no longer lists the 人工智能 edge (0.6) nor the platform's."""
    page, graph = unsure_page(tmp_path)
    tianhe = "District:天河区"
    dom, console = chromium(f"{page.as_uri()}#node={quote(tianhe, safe='')}&min-confidence=0.7", tmp_path)
    assert console == [], "console messages: " + "\n".join(console)
    text = _PageText()
    text.feed(dom)
    assert text.ready
    details = "".join(text.details)
    assert "confidence1.00" in details and "confidence0.90" in details
    assert f"Edges ({graph.degree(tianhe) - 2})" in details
    assert "develops_industry 数字经济" in details and "develops_industry 人工智能" not in details
    assert "has_platform 天河中央商务区" not in details
    assert re.search(r'<li [^>]*title="Platform:天河中央商务区" class="unsure">', dom)  # out of the list
    assert "below 0.70 hidden" in dom
