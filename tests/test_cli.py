"""`plankg build` from the command line: inputs of every kind, encodings, errors and safe outputs.

Most runs use click's CliRunner (same process, pipeline loaded once); one runs the installed
`plankg` script as a subprocess, as a user would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner, Result
from rdflib import Graph

from plankg import sources
from plankg.cli import cli
from plankg.exports import entity_iri

pytestmark = pytest.mark.usefixtures("pipeline_dir")  # the CLI loads its pipeline from disk

XIAOSHAN = (
    "2月25日，杭州市萧山区召开全区高质量发展大会。萧山区委书记林则安作讲话。"
    "萧山区将加快建设湘湖未来科技城，今年力争固定资产投资突破900亿元。"
)
JIANGXIA = "武汉市江夏区召开经济工作会议。江夏区委书记杜明川指出，要加快建设庙山大健康产业园。"


def run(*args: str) -> Result:
    """`plankg <args>` in this process."""
    return CliRunner().invoke(cli, list(args))


def read_graph(out: Path) -> nx.MultiDiGraph:
    return nx.read_graphml(out / "graph.graphml", force_multigraph=True)


def labels(graph: nx.MultiDiGraph, node_type: str | None = None) -> set[str]:
    return {d["label"] for _, d in graph.nodes(data=True) if node_type in (None, d["type"])}


def doc_ids(graph: nx.MultiDiGraph) -> set[str]:
    return {doc for _, d in graph.nodes(data=True) for doc in d.get("docs", "").split("|") if doc}


def evidence_sentences(graph: nx.MultiDiGraph) -> list[str]:
    return [d["sentence"] for *_, d in graph.edges(data=True)]


def assert_one_line_error(result: Result) -> None:
    """A user error: non-zero exit, a one-line "Error: ..." at the end of stderr, no traceback."""
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert lines and lines[-1].startswith("Error:"), result.stderr
    assert not [line for line in lines[:-1] if not line.startswith("plankg: warning:")], result.stderr


def assert_built(result: Result, out: Path) -> nx.MultiDiGraph:
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return read_graph(out)


# -- the bundled sample ---------------------------------------------------------------------------
def test_no_input_builds_the_bundled_sample(tmp_path: Path) -> None:
    """`plankg build --out DIR`: GraphML for networkx, Turtle for rdflib, a resource for every node."""
    out = tmp_path / "out"
    result = run("build", "--out", str(out))
    graph = assert_built(result, out)
    assert "documents: 1" in result.stdout
    assert {"graph.graphml", "graph.ttl"} <= {p.name for p in out.iterdir()}
    assert graph.number_of_nodes() > 10
    assert {"District", "Official", "Platform", "Target"} <= {d["type"] for _, d in graph.nodes(data=True)}

    rdf = Graph().parse(out / "graph.ttl", format="turtle")
    subjects = {str(s) for s in rdf.subjects()}
    missing = [n for n in graph.nodes if entity_iri(n) not in subjects]
    assert not missing


def test_installed_script_as_a_subprocess(tmp_path: Path, pipeline_dir: Path) -> None:
    """The `plankg` console script, run from a fresh working directory."""
    script = Path(sys.executable).with_name("plankg")
    env = {**os.environ, "PLANKG_PIPELINE": str(pipeline_dir)}
    proc = subprocess.run(
        [str(script), "build", "--out", "tmp"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert (tmp_path / "tmp" / "graph.graphml").stat().st_size > 0
    assert (tmp_path / "tmp" / "graph.ttl").stat().st_size > 0
    assert "wrote" in proc.stdout


def test_only_turtle(tmp_path: Path) -> None:
    result = run("build", "--out", str(tmp_path), "--format", "ttl", "--quiet")
    assert result.exit_code == 0 and result.stdout == ""
    assert not (tmp_path / "graph.graphml").exists()
    assert (tmp_path / "graph.ttl").exists()


# -- folders, JSON Lines ------------------------------------------------------------------------------
def test_folder_with_nested_texts(tmp_path: Path) -> None:
    """All .txt files under a folder, at any depth, become documents named by their paths in it."""
    news = tmp_path / "news"
    (news / "zhejiang" / "hangzhou").mkdir(parents=True)
    (news / "hubei").mkdir()
    (news / "zhejiang" / "hangzhou" / "xiaoshan.txt").write_text(XIAOSHAN, encoding="utf-8")
    (news / "hubei" / "jiangxia.txt").write_text(JIANGXIA, encoding="utf-8")
    (news / "hubei" / "notes.csv").write_text("not,a,document\n", encoding="utf-8")
    out = tmp_path / "out"
    graph = assert_built(run("build", str(news), "--out", str(out)), out)
    assert doc_ids(graph) == {"zhejiang/hangzhou/xiaoshan", "hubei/jiangxia"}
    assert {"萧山区", "江夏区", "湘湖未来科技城", "庙山大健康产业园", "林则安", "杜明川"} <= labels(graph)


def test_jsonl_ids_dates_and_a_bad_line(tmp_path: Path) -> None:
    """JSONL ids become document ids, dates date the meetings; a bad line is skipped with a warning."""
    feed = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "xs-2023", "text": XIAOSHAN, "date": "2023-02-26T09:00:00"}, ensure_ascii=False),
        "{this is not json",
        json.dumps({"id": "jx-2024", "text": JIANGXIA, "date": "2024-01-10"}, ensure_ascii=False),
    ]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("build", str(feed), "--out", str(out))
    graph = assert_built(result, out)
    assert "warning" in result.stderr and "feed.jsonl:2" in result.stderr
    assert "documents: 2 (skipped 1)" in result.stdout
    assert doc_ids(graph) == {"xs-2023", "jx-2024"}
    held = [d for *_, d in graph.edges(data=True) if d["relation"] == "held_event" and d["doc"] == "xs-2023"]
    assert [d["date"] for d in held] == ["2023-02-25"]


def test_several_inputs_make_one_graph(tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(XIAOSHAN, encoding="utf-8")
    second.write_text("萧山区委书记林则安在湘湖未来科技城调研时指出，要加快发展。", encoding="utf-8")
    out = tmp_path / "out"
    graph = assert_built(run("build", str(first), str(second), "--out", str(out)), out)
    (platform,) = [d for _, d in graph.nodes(data=True) if d["label"] == "湘湖未来科技城"]
    assert platform["docs"] == "a|b"


# -- encodings and page formats -------------------------------------------------------------------------
def test_gbk_file(tmp_path: Path) -> None:
    source = tmp_path / "xiaoshan-gbk.txt"
    source.write_bytes(XIAOSHAN.encode("gbk"))
    out = tmp_path / "out"
    graph = assert_built(run("build", str(source), "--out", str(out)), out)
    assert {"萧山区", "林则安", "湘湖未来科技城"} <= labels(graph)
    assert any(s.startswith("萧山区将加快建设湘湖未来科技城") for s in evidence_sentences(graph))


def test_big5_file(tmp_path: Path) -> None:
    """Big5 is detected; Traditional text is analysed in Simplified form, the original sentence kept."""
    text = "浙江省杭州市召開經濟工作會議。會議強調，要加快發展數字經濟。"
    source = tmp_path / "hangzhou-big5.txt"
    source.write_bytes(text.encode("big5"))
    out = tmp_path / "out"
    graph = assert_built(run("build", str(source), "--out", str(out)), out)
    assert {"浙江省", "杭州市"} <= labels(graph, "District")
    assert "浙江省杭州市召开经济工作会议。" in evidence_sentences(graph)
    originals = {d.get("sentence_original") for *_, d in graph.edges(data=True)}
    assert "浙江省杭州市召開經濟工作會議。" in originals


def test_html_page_without_boilerplate(tmp_path: Path) -> None:
    """Menus, breadcrumbs and footers of a saved page stay out of the graph."""
    page = f"""<!DOCTYPE html>
<html><head><title>萧山区人民政府</title><script>var menu = "萧山区委书记王大明";</script></head>
<body>
<nav><ul><li>首页</li><li>政务公开</li><li>萧山区人民政府门户网站</li></ul></nav>
<div class="crumb">当前位置：首页 &gt; 新闻中心 &gt; 萧山要闻</div>
<div class="article"><h1>萧山区召开全区高质量发展大会</h1>
<p>{XIAOSHAN}</p></div>
<div>分享到：微信 微博</div>
<footer>版权所有：杭州市萧山区人民政府 浙ICP备00000000号</footer>
<div>版权所有 © 2024 杭州市萧山区人民政府办公室</div>
</body></html>"""
    source = tmp_path / "page.html"
    source.write_text(page, encoding="utf-8")
    out = tmp_path / "out"
    graph = assert_built(run("build", str(source), "--out", str(out)), out)
    assert {"林则安", "湘湖未来科技城"} <= labels(graph)
    assert "王大明" not in labels(graph)
    sentences = evidence_sentences(graph)
    assert sentences
    for junk in ("当前位置", "版权所有", "首页", "分享到", "ICP", "<", "&gt;"):
        assert not [s for s in sentences if junk in s], junk


# -- skipped inputs and errors -----------------------------------------------------------------------------
def test_binary_file_is_skipped_with_a_warning(tmp_path: Path) -> None:
    news = tmp_path / "news"
    news.mkdir()
    (news / "xiaoshan.txt").write_text(XIAOSHAN, encoding="utf-8")
    (news / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    out = tmp_path / "out"
    result = run("build", str(news), "--out", str(out))
    graph = assert_built(result, out)
    assert "warning" in result.stderr and "scan.txt" in result.stderr
    assert "Traceback" not in result.output
    assert doc_ids(graph) == {"xiaoshan"}


@pytest.mark.slow
def test_ten_thousand_files_with_three_broken(tmp_path: Path) -> None:
    """A big folder with a few bad files: one warning per bad file, every other document in the graph."""
    news = tmp_path / "news"
    news.mkdir()
    places = ["萧山区", "江夏区", "天河区", "鼓楼区", "余杭区"]
    for i in range(10_000):
        text = f"{places[i % 5]}召开第{i}次项目推进会，加快建设产业园。"
        (news / f"n{i:05d}.txt").write_text(text, encoding="utf-8")
    (news / "n00017.txt").write_bytes(b"")  # empty
    (news / "n04242.txt").write_bytes(bytes(range(256)) * 8)  # binary
    (news / "n09999.txt").write_bytes(b"\xff\xfe\x00\xd8garbage\x00\x00" * 50)  # undecodable
    out = tmp_path / "out"
    result = run("build", str(news), "--out", str(out), "--format", "graphml", "--quiet")
    graph = assert_built(result, out)
    warnings = [line for line in result.stderr.splitlines() if line.startswith("plankg: warning:")]
    assert len(warnings) == 3, result.stderr
    assert all(any(name in w for w in warnings) for name in ("n00017", "n04242", "n09999"))
    assert len(doc_ids(graph)) == 9_997
    assert labels(graph, "District") == set(places)


@pytest.mark.slow
def test_hundred_megabyte_file_is_read_in_parts_with_a_warning(tmp_path: Path) -> None:
    """A 100 MB text (a dump of many articles) streams out as parts of at most PART_CHARS
    characters, cut at paragraph ends, with one warning that says how it is read."""
    big = tmp_path / "dump.txt"
    paragraph = "萧山区将加快建设湘湖未来科技城，今年力争固定资产投资突破900亿元。\n"
    repeats = 100 * 2**20 // len(paragraph.encode("utf-8")) + 1
    with big.open("w", encoding="utf-8") as fh:
        for _ in range(repeats):
            fh.write(paragraph)
    assert big.stat().st_size >= 100 * 2**20
    items = sources.iter_documents([big])
    warning = next(items)
    assert isinstance(warning, sources.InputWarning)
    assert "dump.txt" in str(warning) and "100 MB" in str(warning) and "JSON Lines" in str(warning)
    chars, ids = 0, []
    for part in items:  # consumed one at a time: the parts are not all held
        assert isinstance(part, sources.Document)
        assert len(part.text) <= sources.PART_CHARS and part.text.endswith("\n")
        chars += len(part.text)
        ids.append(part.doc_id)
    assert chars == repeats * len(paragraph)  # nothing lost at the cuts
    assert ids[:3] == ["dump", "dump.p2", "dump.p3"] and len(set(ids)) == len(ids)
    assert len(ids) >= chars / sources.PART_CHARS


def test_large_file_warning_on_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The large-file warning is printed and the file is analysed with the others."""
    monkeypatch.setattr(sources, "LARGE_BYTES", 100)
    news = tmp_path / "news"
    news.mkdir()
    (news / "xiaoshan.txt").write_text(XIAOSHAN, encoding="utf-8")
    (news / "jiangxia.txt").write_text(JIANGXIA * 3, encoding="utf-8")
    out = tmp_path / "out"
    result = run("build", str(news), "--out", str(out))
    graph = assert_built(result, out)
    assert "plankg: warning:" in result.stderr and "large file" in result.stderr
    assert doc_ids(graph) == {"xiaoshan", "jiangxia"}


def test_empty_file_is_a_one_line_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = run("build", str(empty), "--out", str(tmp_path / "out"))
    assert_one_line_error(result)
    assert "empty" in result.stderr
    assert not (tmp_path / "out" / "graph.graphml").exists()


def test_error_is_printed_once(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = run("build", str(empty), "--out", str(tmp_path / "out"))
    assert result.stderr.count("file is empty") == 1, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_lone_binary_file_is_a_one_line_error(tmp_path: Path) -> None:
    blob = tmp_path / "blob.txt"
    blob.write_bytes(bytes(range(256)) * 4)
    assert_one_line_error(run("build", str(blob), "--out", str(tmp_path / "out")))


def test_folder_without_texts_is_a_one_line_error(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "table.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    result = run("build", str(folder), "--out", str(tmp_path / "out"))
    assert_one_line_error(result)
    assert "data" in result.stderr


def test_missing_path_is_a_one_line_error(tmp_path: Path) -> None:
    result = run("build", str(tmp_path / "nowhere.txt"), "--out", str(tmp_path / "out"))
    assert_one_line_error(result)
    assert "nowhere.txt" in result.stderr


def test_failed_build_keeps_the_previous_output(tmp_path: Path) -> None:
    """Build once, then fail on bad input: the old graph.graphml is still there, byte for byte."""
    out = tmp_path / "out"
    assert_built(run("build", "--out", str(out)), out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert_one_line_error(run("build", str(empty), "--out", str(out)))
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before  # unchanged, and no temporary files left behind


def test_missing_pipeline_is_not_reported_as_an_output_problem(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("plankg")
    env = {**os.environ, "PLANKG_PIPELINE": str(tmp_path / "no-such-pipeline")}
    proc = subprocess.run(
        [str(script), "build", "--out", "out"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "cannot write output" not in proc.stderr
