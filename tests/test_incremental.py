"""Incremental builds: adding documents to an existing output equals a full rebuild."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from plankg.api import build

FIXTURES = Path(__file__).parent / "fixtures"


def snapshot(graph: nx.MultiDiGraph) -> tuple:
    nodes = sorted((n, d["label"], tuple(d["aliases"]), tuple(d["docs"])) for n, d in graph.nodes(data=True))
    edges = sorted(
        (u, v, k, tuple(d["docs"]), d.get("title", "")) for u, v, k, d in graph.edges(keys=True, data=True)
    )
    return nodes, edges


def test_update_equals_full_rebuild(tmp_path: Path) -> None:
    texts = sorted(FIXTURES.glob("*.txt"))
    full = build(texts, out_dir=tmp_path / "full").graph
    build(texts[:1], out_dir=tmp_path / "inc")
    updated = build(texts[1:], out_dir=tmp_path / "inc", update=True)
    assert updated.documents == len(texts) - 1  # only the new ones were read
    assert snapshot(updated.graph) == snapshot(full)
    assert (tmp_path / "inc" / "graph.graphml").read_bytes() == (
        tmp_path / "full" / "graph.graphml"
    ).read_bytes()


def test_re_adding_a_document_replaces_its_facts(tmp_path: Path) -> None:
    doc = tmp_path / "news.txt"
    doc.write_text("2024年3月1日，杭州市萧山区召开会议，提出今年地区生产总值增长6%。", encoding="utf-8")
    build([doc], out_dir=tmp_path / "out")
    doc.write_text("2024年3月1日，杭州市萧山区召开会议，提出今年地区生产总值增长7%。", encoding="utf-8")
    graph = build([doc], out_dir=tmp_path / "out", update=True).graph
    values = sorted(d["value"] for _, d in graph.nodes(data=True) if d["type"] == "Target")
    assert values == [7.0]


def test_full_build_starts_a_new_store(tmp_path: Path) -> None:
    texts = sorted(FIXTURES.glob("*.txt"))
    build(texts[:2], out_dir=tmp_path)
    graph = build(texts[2:], out_dir=tmp_path).graph
    docs = {doc for _, d in graph.nodes(data=True) for doc in d["docs"]}
    assert docs == {texts[2].stem}


def test_traditional_chinese_is_analysed_in_simplified_form(tmp_path: Path) -> None:
    """A Big5 page in Traditional characters: names come out Simplified, the original sentence stays."""
    page = tmp_path / "xiaoshan_big5.txt"
    page.write_bytes(
        "2024年2月25日，杭州市蕭山區召開高質量發展推進大會。蕭山區委書記林則安在會上講話。".encode("big5")
    )
    graph = build([page]).graph
    labels = {d["label"] for _, d in graph.nodes(data=True)}
    assert {"萧山区", "林则安", "高质量发展推进大会"} <= labels
    originals = [d.get("sentence_original", "") for *_, d in graph.edges(data=True)]
    assert any("蕭山區委書記林則安" in s for s in originals)


def test_a_build_reads_the_texts_back_from_its_store_one_at_a_time(tmp_path: Path) -> None:
    from plankg.store import StoredTexts

    result = build([FIXTURES], out_dir=tmp_path / "out")
    assert isinstance(result.texts, StoredTexts)  # not a dict of the whole corpus
    texts = dict(result.texts)
    assert texts == build([FIXTURES]).texts  # the texts as analysed, as a build without a folder gives them
    some_id = next(iter(texts))
    assert result.texts[some_id] == texts[some_id] and result.texts.get("no such document") is None


def test_documents_out_of_id_order_give_the_same_graph(tmp_path: Path) -> None:
    """The graph grows while documents arrive in id order and is rebuilt from the store when they do
    not: either way it is the graph of the documents, whatever order they came in."""
    from plankg.sources import Document

    texts = sorted(FIXTURES.glob("*.txt"))
    docs = [Document(f"d{i}", path.read_text(encoding="utf-8")) for i, path in enumerate(texts)]
    build(documents=docs, out_dir=tmp_path / "in-order")
    build(documents=docs[::-1], out_dir=tmp_path / "reversed")
    one, other = ((tmp_path / d / "graph.graphml").read_bytes() for d in ("in-order", "reversed"))
    assert one == other
