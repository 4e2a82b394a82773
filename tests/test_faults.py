"""Faults, measured (issue 12): damaged bytes, wrong folders, clashing names, two builds at once,
Ctrl-C, SIGKILL and a full disk in the middle of an export, a damaged fact store, unwritable folders.

Every case ends one of two ways: plankg reads what can be read and says what it did, or it stops with
one clear line and leaves the previous output byte for byte. Where a build was cut short, running it
again gives the graph a clean build gives.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from plankg import sources
from plankg.api import build
from plankg.cli import cli
from plankg.exports import atomic
from plankg.nlp.pipeline import PIPELINE_DIR

pytestmark = pytest.mark.usefixtures("pipeline_dir")  # the CLI loads its pipeline from disk

XIAOSHAN = (
    "2月25日，杭州市萧山区召开全区高质量发展大会。萧山区委书记林则安作讲话。"
    "萧山区将加快建设湘湖未来科技城，今年力争固定资产投资突破900亿元。"
)
JIANGXIA = "武汉市江夏区召开经济工作会议。江夏区委书记杜明川指出，要加快建设庙山大健康产业园。"
YUHANG = "杭州市余杭区召开全区数字经济大会。余杭区委书记刘颖作讲话，要加快建设未来科技城。"
SCRIPT = Path(sys.executable).with_name("plankg")


def run(*args: str) -> Result:
    """`plankg <args>` in this process."""
    return CliRunner().invoke(cli, [str(a) for a in args])


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of an output folder, by name: what "left as it was" compares."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def graph_of(folder: Path) -> bytes:
    return (folder / "graph.graphml").read_bytes()


def doc_ids(folder: Path) -> set[str]:
    text = graph_of(folder).decode("utf-8")
    import networkx as nx

    graph = nx.parse_graphml(text, force_multigraph=True)
    return {doc for _, d in graph.nodes(data=True) for doc in d.get("docs", "").split("|") if doc}


def labels(folder: Path, node_type: str | None = None) -> set[str]:
    import networkx as nx

    graph = nx.read_graphml(folder / "graph.graphml", force_multigraph=True)
    return {d["label"] for _, d in graph.nodes(data=True) if node_type in (None, d["type"])}


def assert_built(result: Result) -> None:
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def assert_one_line_error(result: Result, *words: str) -> str:
    """Non-zero exit, no traceback, and the error is the last line of stderr (warnings may come before)."""
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert lines and lines[-1].startswith("Error:"), result.stderr
    assert all(line.startswith("plankg: warning:") for line in lines[:-1]), result.stderr
    for word in words:
        assert word in lines[-1], lines[-1]
    return lines[-1]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def news(tmp_path: Path) -> Path:
    """A folder of two news texts."""
    folder = tmp_path / "news"
    write(folder, "xiaoshan.txt", XIAOSHAN)
    write(folder, "jiangxia.txt", JIANGXIA)
    return folder


@pytest.fixture
def clean(tmp_path: Path, news: Path) -> bytes:
    """The GraphML of a clean build of `news`."""
    out = tmp_path / "clean"
    assert_built(run("build", news, "--out", out, "--quiet"))
    return graph_of(out)


def temporary_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# -- 1. one damaged byte does not lose the file -----------------------------------------------------------
def test_a_damaged_byte_is_replaced_and_the_file_kept(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    data = XIAOSHAN.encode("utf-8")
    start = len("2月25日，杭州市".encode())  # 萧's first byte gone bad: its other two cannot be read either
    (folder / "damaged.txt").write_bytes(data[:start] + b"\xff" + data[start + 1 :])
    cut = (JIANGXIA * 3).encode("utf-8")
    (folder / "cut.txt").write_bytes(cut[: len(cut) - 2])  # `head -c`: the last character cut in two
    out = tmp_path / "out"
    result = run("build", folder, "--out", out)
    assert_built(result)
    warnings = [line for line in result.stderr.splitlines() if "damaged byte" in line]
    assert any("damaged.txt" in w and "3 damaged bytes" in w for w in warnings), result.stderr
    assert any("cut.txt" in w and "1 damaged byte " in w for w in warnings), result.stderr
    assert doc_ids(out) == {"damaged", "cut"}
    assert {"林则安", "湘湖未来科技城", "江夏区", "杜明川"} <= labels(out)  # 萧山区 is the damaged name


# -- 2. --update only into a build; a new build says what it replaces ---------------------------------------
def test_update_of_a_folder_that_does_not_exist_is_refused(tmp_path: Path, news: Path) -> None:
    typo = tmp_path / "graphs" / "2042"
    assert_one_line_error(run("build", "--update", typo, news), "not a plankg build", "facts.sqlite")
    assert not typo.exists()


def test_update_of_a_folder_without_a_fact_store_is_refused(tmp_path: Path, news: Path) -> None:
    folder = tmp_path / "graphs"
    assert_built(run("build", "--out", folder, "--quiet"))  # the bundled sample
    (folder / "facts.sqlite").unlink()  # graph files of another kind of build
    before = snapshot(folder)
    assert_one_line_error(run("build", "--update", folder, news), "not a plankg build")
    assert snapshot(folder) == before


def test_a_new_build_says_that_it_replaces_other_documents(tmp_path: Path, news: Path) -> None:
    out = tmp_path / "out"
    assert_built(run("build", "--out", out, "--quiet"))  # the bundled sample
    result = run("build", news, "--out", out)
    assert_built(result)
    assert "replaced the earlier build" in result.stderr and "1 of them not in this build" in result.stderr
    again = run("build", news, "--out", out)  # the same documents again: nothing to say
    assert_built(again)
    assert "replaced" not in again.stderr


# -- 3. --update DIR --out OTHER writes OTHER and leaves DIR ---------------------------------------------
def test_update_with_out_writes_the_result_there(tmp_path: Path, news: Path, clean: bytes) -> None:
    base, other = tmp_path / "base", tmp_path / "other"
    assert_built(run("build", news / "xiaoshan.txt", "--out", base, "--quiet"))
    before = snapshot(base)
    result = run("build", "--update", base, news / "jiangxia.txt", "--out", other)
    assert_built(result)
    assert snapshot(base) == before  # untouched
    assert graph_of(other) == clean  # the same graph as one build of both
    assert "the graph now holds 2" in result.stdout


# -- 4. ids stable and unique; re-added documents replace only themselves ---------------------------------
def test_same_file_names_in_two_folders_stay_two_documents(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write(corpus, "a/report.txt", XIAOSHAN)
    write(corpus, "b/report.txt", JIANGXIA)
    out = tmp_path / "out"
    assert_built(run("build", corpus, "--out", out, "--quiet"))
    assert doc_ids(out) == {"a/report", "b/report"}

    write(corpus, "b/report.txt", YUHANG)  # b's report changes; re-added as a single file
    result = run("build", "--update", out, corpus / "b" / "report.txt")
    assert_built(result)
    assert "1 read, 0 added, 1 replaced; the graph now holds 2" in result.stdout
    assert doc_ids(out) == {"a/report", "b/report"}
    assert {"林则安", "刘颖"} <= labels(out, "Official") and "杜明川" not in labels(out)

    full = tmp_path / "full"  # the update equals a full build of the corpus as it is now
    assert_built(run("build", corpus, "--out", full, "--quiet"))
    assert graph_of(out) == graph_of(full)


def test_a_different_file_never_takes_over_an_id(tmp_path: Path) -> None:
    first, second = write(tmp_path, "a/report.txt", XIAOSHAN), write(tmp_path, "b/report.txt", JIANGXIA)
    out = tmp_path / "out"
    assert_built(run("build", first, "--out", out, "--quiet"))
    result = run("build", "--update", out, second)
    assert_built(result)
    assert "'report' is taken by" in result.stderr and "'b/report'" in result.stderr
    assert "1 read, 1 added, 0 replaced; the graph now holds 2" in result.stdout
    assert doc_ids(out) == {"report", "b/report"}
    assert {"林则安", "杜明川"} <= labels(out, "Official")
    both = tmp_path / "both"  # one build of both files gives the same ids and graph
    assert_built(run("build", first, second, "--out", both, "--quiet"))
    assert graph_of(both) == graph_of(out)


def test_a_long_document_re_added_shorter_leaves_no_old_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "PART_CHARS", 200)
    doc = write(tmp_path, "long.txt", "\n".join([XIAOSHAN, JIANGXIA, YUHANG, XIAOSHAN]))
    out = tmp_path / "out"
    assert_built(run("build", doc, "--out", out, "--quiet"))
    assert doc_ids(out) == {"long", "long.p2"}
    write(tmp_path, "long.txt", YUHANG)
    assert_built(run("build", "--update", out, doc, "--quiet"))
    assert doc_ids(out) == {"long"} and "林则安" not in labels(out)


# -- 5. two builds into one folder ------------------------------------------------------------------------
def test_a_second_build_into_a_busy_folder_fails_in_one_line(
    tmp_path: Path, news: Path, clean: bytes
) -> None:
    out = tmp_path / "out"
    assert_built(run("build", "--out", out, "--quiet"))
    before = snapshot(out)
    with atomic.locked_folder(out):  # another build is writing there
        result = run("build", news, "--out", out)
    assert_one_line_error(result, "another plankg build is writing there")
    assert snapshot(out) == before
    assert_built(run("build", news, "--out", out, "--quiet"))  # once it has finished
    assert graph_of(out) == clean


@pytest.mark.slow
def test_two_builds_at_once_never_show_a_traceback(tmp_path: Path, news: Path, clean: bytes) -> None:
    out = tmp_path / "out"
    procs = [
        subprocess.Popen(
            [str(SCRIPT), "build", str(news), "--out", str(out), "--quiet"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    for code, err in results:
        assert "Traceback" not in err
        assert code == 0 or err.strip().splitlines()[-1].startswith("Error:"), err
    assert any(code == 0 for code, _ in results)
    assert graph_of(out) == clean and temporary_files(out) == []


# -- 6. training never replaces the shipped pipeline ------------------------------------------------------
def test_the_shipped_pipeline_is_not_trained_from_the_command_line() -> None:
    """`plankg train-segmenter --package` is gone (training/ is not installed); `python -m
    training.package` refuses to replace the shipped pipeline without --force
    (tests/test_segmenter.py::test_packaging_refuses_to_replace_the_shipped_pipeline)."""
    before = (PIPELINE_DIR / "config.cfg").read_bytes() if (PIPELINE_DIR / "config.cfg").exists() else None
    result = run("train-segmenter", "--package")
    assert result.exit_code != 0 and "No such command" in result.output
    after = (PIPELINE_DIR / "config.cfg").read_bytes() if (PIPELINE_DIR / "config.cfg").exists() else None
    assert after == before


# -- 7. warnings as each file is read, progress through a long file ---------------------------------------
def test_warnings_are_told_as_the_files_are_read(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    for i in range(40):
        write(folder, f"n{i:02d}.txt", f"萧山区召开第{i}次项目推进会，加快建设湘湖未来科技城。")
    (folder / "n05.txt").write_bytes(b"")  # empty: skipped
    events: list[str] = []

    def progress(facts, total):
        for f in facts:
            events.append(f"fact {f.doc_id}")
            yield f

    build([folder], out_dir=tmp_path / "out", progress=progress, on_skip=lambda m: events.append(m))
    told = next(i for i, e in enumerate(events) if "n05.txt" in e)
    assert told < events.index("fact n39"), events  # not only once everything is analysed


def test_a_long_file_reports_its_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "PART_CHARS", 200)
    monkeypatch.setattr(sources, "LARGE_BYTES", 1000)
    doc = write(tmp_path, "dump.txt", "\n".join([XIAOSHAN, JIANGXIA, YUHANG] * 4))
    result = run("build", doc, "--out", tmp_path / "out")
    assert_built(result)
    lines = result.stderr.splitlines()
    assert "large file" in lines[0] and "as 4 parts" in lines[0], lines
    assert [line for line in lines if " of 4 analysed" in line] == [
        f"plankg: {doc.name}: part {n} of 4 analysed"
        for n in range(1, 5)  # the source, relative to its input
    ]


# -- 8. Ctrl-C ---------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_ctrl_c_exits_130_and_keeps_the_previous_output(tmp_path: Path, pipeline_dir: Path) -> None:
    out = tmp_path / "out"
    env = {**os.environ, "PLANKG_PIPELINE": str(pipeline_dir)}
    subprocess.run([str(SCRIPT), "build", "--out", str(out), "--quiet"], env=env, check=True, timeout=300)
    before = snapshot(out)
    big = write(tmp_path, "big.txt", ("\n".join([XIAOSHAN, JIANGXIA, YUHANG]) + "\n") * 4000)  # ~40 parts
    proc = subprocess.Popen(
        [str(SCRIPT), "build", str(big), "--out", str(out)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # a test run started in the background (`make test &`) ignores SIGINT, and so would the child
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    for line in proc.stderr:  # interrupt once the analysis is under way
        if "part 1 of" in line:
            proc.send_signal(signal.SIGINT)
            break
    err = proc.stderr.read()
    assert proc.wait(timeout=300) == 130
    assert "Traceback" not in err and "Aborted" not in err
    assert err.strip().splitlines()[-1] == "plankg: interrupted; previous output kept"
    assert snapshot(out) == before and temporary_files(out) == []


# -- 9. web pages: the article only --------------------------------------------------------------------------
PAGE = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>市委书记李明调研_某某市人民政府</title>
<meta name="PubDate" content="2024-02-26 10:30"></head>
<body>
<div class="top"><a href="/">首页</a> <a href="/zwgk">政务公开</a> <a href="/hd">互动交流</a></div>
<h1>市委书记李明调研</h1>
<div class="info">发布时间：2024-02-26 10:30  来源：某某市发展和改革委员会  浏览次数：1234</div>
<div class="article"><p>{XIAOSHAN}</p></div>
<p>责任编辑：张三</p>
<div class="bottom-wrap">主办：某某市人民政府办公室 承办：某某市大数据中心 网站标识码：1234567890</div>
</body></html>"""


def test_a_web_page_gives_its_article_only(tmp_path: Path) -> None:
    page = write(tmp_path, "page.html", PAGE)
    out = tmp_path / "out"
    assert_built(run("build", page, "--out", out))
    found = labels(out)
    assert {"林则安", "湘湖未来科技城", "萧山区"} <= found
    for leak in (
        "李明调",
        "李明",
        "某某市人民政府",
        "某某市人民政府办公室",
        "某某市发展和改革委员会",
        "张三",
    ):
        assert leak not in found, leak
    text = (out / "graph.ttl").read_text(encoding="utf-8")
    assert "2024-02-25" in text  # the page's date dates the meeting


# -- 10. messages that say what is wrong -------------------------------------------------------------------
def test_view_of_a_turtle_file_names_the_formats_it_reads(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert_built(run("build", "--out", out, "--quiet"))
    assert_one_line_error(run("view", out / "graph.ttl"), "RDF", "graphml", "gexf", "json")
    (tmp_path / "broken.graphml").write_text("<graphml", encoding="utf-8")
    assert_one_line_error(run("view", tmp_path / "broken.graphml"), "graphml (.graphml")


@contextlib.contextmanager
def unwritable(folder: Path) -> Iterator[None]:
    """Make `folder` unwritable: chmod for a user, the immutable flag for root (who ignores modes)."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o555)
    flagged = False
    if os.geteuid() == 0 and shutil.which("chattr"):
        flagged = subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0
    try:
        probe = folder / ".probe"
        try:
            probe.touch()
        except OSError:
            pass
        else:
            probe.unlink()
            pytest.skip("cannot make a folder unwritable here")
        yield
    finally:
        if flagged:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)


def test_an_unwritable_output_folder_says_so(tmp_path: Path, news: Path) -> None:
    out = tmp_path / "out"
    with unwritable(out):
        line = assert_one_line_error(
            run("build", news, "--out", out), "cannot write output", "cannot be written"
        )
    assert "fact store" not in line


def test_a_store_that_cannot_be_opened_is_an_output_problem(
    tmp_path: Path, news: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    def refuse(*args, **kwargs):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(sqlite3, "connect", refuse)
    line = assert_one_line_error(run("build", news, "--out", tmp_path / "out"), "cannot write output")
    assert "not a plankg fact store" not in line


def test_a_jsonl_text_that_is_not_a_string_says_so(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "a", "text": XIAOSHAN}, ensure_ascii=False),
        json.dumps({"id": "b", "text": 5}),
    ]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("build", feed, "--out", tmp_path / "out")
    assert_built(result)
    assert (
        'feed.jsonl:2: skipped bad line (TypeError: the field "text" is not a string but int' in result.stderr
    )


# -- faults during the export -------------------------------------------------------------------------------
def test_a_full_disk_during_the_export_keeps_every_previous_file(
    tmp_path: Path, news: Path, clean: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert_built(run("build", "--out", out, "--quiet"))
    before = snapshot(out)
    from plankg.exports import rdfwrite

    real = rdfwrite.atomic_open

    @contextlib.contextmanager
    def full_disk(path, *args, **kwargs):  # graph.graphml is written; graph.ttl runs out of space
        with real(path, *args, **kwargs) as fh:
            fh.write(b"@prefix")
            raise OSError(errno.ENOSPC, "No space left on device")
            yield fh

    with monkeypatch.context() as patch:
        patch.setattr(rdfwrite, "atomic_open", full_disk)
        assert_one_line_error(run("build", news, "--out", out), "No space left on device")
    assert snapshot(out) == before  # graph.graphml too: the files are replaced together or not at all
    assert_built(run("build", news, "--out", out, "--quiet"))
    assert graph_of(out) == clean and temporary_files(out) == []


@pytest.mark.slow
def test_sigkill_in_the_middle_of_the_export(
    tmp_path: Path, news: Path, clean: bytes, pipeline_dir: Path
) -> None:
    out = tmp_path / "out"
    assert_built(run("build", "--out", out, "--quiet"))
    before = snapshot(out)
    killer = textwrap.dedent(
        """
        import os, signal, sys
        from plankg.exports import graphml
        def half_then_die(graph, fh, **kwargs):
            fh.write(b"<?xml version='1.0'?><graphml>")
            fh.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        graphml.serialise = half_then_die
        from plankg.cli import main
        sys.argv = ["plankg", "build", *sys.argv[1:]]
        main()
        """
    )
    env = {**os.environ, "PLANKG_PIPELINE": str(pipeline_dir)}
    proc = subprocess.run(
        [sys.executable, "-c", killer, str(news), "--out", str(out)],
        env=env,
        capture_output=True,
        timeout=300,
    )
    assert proc.returncode == -signal.SIGKILL
    left = snapshot(out)
    assert {k: v for k, v in left.items() if not k.endswith(".tmp")} == before  # nothing replaced
    assert temporary_files(out)  # what the killed build left ...
    assert_built(run("build", news, "--out", out, "--quiet"))
    assert temporary_files(out) == [] and graph_of(out) == clean  # ... the next one clears


def test_a_damaged_fact_store_stops_an_update_in_one_line(tmp_path: Path, news: Path, clean: bytes) -> None:
    out = tmp_path / "out"
    assert_built(run("build", news / "xiaoshan.txt", "--out", out, "--quiet"))
    store = out / "facts.sqlite"
    data = bytearray(store.read_bytes())
    data[100:4096] = b"\x42" * (4096 - 100)  # the first page's schema, overwritten
    store.write_bytes(bytes(data))
    before = snapshot(out)
    assert_one_line_error(run("build", "--update", out, news / "jiangxia.txt"), "facts.sqlite")
    assert snapshot(out) == before
    result = run("build", news, "--out", out)  # a full build starts anew, and says what it replaced
    assert_built(result)
    assert "could not be read" in result.stderr
    assert graph_of(out) == clean


def test_a_store_that_is_not_sqlite_at_all(tmp_path: Path, news: Path) -> None:
    out = tmp_path / "out"
    assert_built(run("build", news / "xiaoshan.txt", "--out", out, "--quiet"))
    (out / "facts.sqlite").write_bytes(b"this is not a database" * 100)
    assert_one_line_error(run("build", "--update", out, news / "jiangxia.txt"), "facts.sqlite")


def test_a_store_written_before_documents_knew_their_files_is_updated(tmp_path: Path, news: Path) -> None:
    """facts.sqlite of an earlier plankg (no document/origin columns): --update reads it, adds the columns."""
    import sqlite3

    out = tmp_path / "out"
    assert_built(run("build", news / "xiaoshan.txt", "--out", out, "--quiet"))
    store = out / "facts.sqlite"
    with sqlite3.connect(store) as db:
        rows = db.execute("SELECT doc_id, facts, text FROM documents").fetchall()
        db.execute("DROP TABLE documents")
        db.execute("CREATE TABLE documents (doc_id TEXT PRIMARY KEY, facts TEXT NOT NULL, text TEXT)")
        db.executemany("INSERT INTO documents VALUES (?, ?, ?)", rows)
    db.close()
    result = run("build", "--update", out, news / "xiaoshan.txt", news / "jiangxia.txt")
    assert_built(result)
    assert "2 read, 1 added, 1 replaced; the graph now holds 2" in result.stdout
    assert doc_ids(out) == {"xiaoshan", "jiangxia"}
