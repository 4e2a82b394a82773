"""Building one graph from many documents: merging, alias folding, evidence and targets.

Documents go through the pipeline (`analyse`), become plain records (`doc_to_facts`) and are
merged by `GraphBuilder`, exactly as `plankg.build` does.
"""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx
import pytest
from spacy.tokens import Doc

from plankg.graph.builder import GraphBuilder
from plankg.graph.model import DocumentFacts, EntityRecord, RelationRecord
from plankg.nlp.handover import doc_to_facts

DATE = "2024-02-26"
Analyse = Callable[..., Doc]


def facts_of(analyse: Analyse, doc_id: str, text: str, date: str | None = DATE) -> DocumentFacts:
    doc = analyse(text, date)
    doc._.doc_id = doc_id
    return doc_to_facts(doc, source=f"{doc_id}.txt")


def graph_of(analyse: Analyse, texts: dict[str, str]) -> nx.MultiDiGraph:
    """The graph of several documents, keyed by document id."""
    return GraphBuilder().build(facts_of(analyse, doc_id, text) for doc_id, text in texts.items())


def node_by_label(graph: nx.MultiDiGraph, node_type: str, label: str) -> str:
    found = [n for n, d in graph.nodes(data=True) if d["type"] == node_type and d["label"] == label]
    assert len(found) == 1, f"{node_type} {label}: {found}"
    return found[0]


# -- merging across documents ---------------------------------------------------------------------
def test_same_entity_in_two_documents_is_one_node(analyse: Analyse) -> None:
    graph = graph_of(
        analyse,
        {
            "xs-1": "萧山区将加快建设湘湖未来科技城，培育壮大集成电路、生物医药等新兴产业。",
            "xs-2": "萧山区委书记林则安在湘湖未来科技城调研时指出，要加快发展。",
        },
    )
    for node_type, label in (("District", "萧山区"), ("Platform", "湘湖未来科技城")):
        assert graph.nodes[node_by_label(graph, node_type, label)]["docs"] == ["xs-1", "xs-2"]
    assert graph.nodes[node_by_label(graph, "Industry", "集成电路")]["docs"] == ["xs-1"]
    assert set(graph.graph["documents"]) == {"xs-1", "xs-2"}


def test_edge_seen_in_two_documents_keeps_both(analyse: Analyse) -> None:
    graph = graph_of(
        analyse,
        {
            "a": "萧山区委书记林则安出席会议。",
            "b": "萧山区委书记林则安调研企业。",
        },
    )
    edge = graph.edges["Official:林则安@萧山区", "District:萧山区", "holds_post"]
    assert edge["docs"] == ["a", "b"]
    assert edge["title"] == "区委书记"
    assert [e["doc"] for e in edge["evidence"]] == ["a", "b"]


def test_hand_built_records_merge_by_alias() -> None:
    """GraphBuilder needs no spaCy: records with a shared alias land on one node."""

    def doc(doc_id: str, name: str, aliases: list[str]) -> DocumentFacts:
        sentence = f"萧山区加快建设{name}。"
        return DocumentFacts(
            doc_id,
            DATE,
            len(sentence),
            "",
            [EntityRecord("District", "萧山区"), EntityRecord("Platform", name, aliases)],
            [
                RelationRecord(
                    ("District", "萧山区"), "has_platform", ("Platform", name), sentence, 0, len(sentence)
                )
            ],
            [],
        )

    graph = GraphBuilder().build([doc("a", "湘湖金融城", []), doc("b", "杭州湘湖金融城", ["湘湖金融城"])])
    platforms = [d for _, d in graph.nodes(data=True) if d["type"] == "Platform"]
    assert len(platforms) == 1
    assert platforms[0]["label"] == "杭州湘湖金融城"  # the fullest name becomes the label
    assert platforms[0]["aliases"] == ["湘湖金融城"]
    assert platforms[0]["docs"] == ["a", "b"]


def test_evidence_is_kept_once_per_document_and_span() -> None:
    """A fact stated twice by one sentence, or a document merged twice, adds no duplicate evidence;
    the same fact from a second document adds its own."""
    sentence = "萧山区加快建设湘湖金融城。"
    relation = RelationRecord(
        ("District", "萧山区"), "has_platform", ("Platform", "湘湖金融城"), sentence, 0, len(sentence)
    )

    def doc(doc_id: str) -> DocumentFacts:
        entities = [EntityRecord("District", "萧山区"), EntityRecord("Platform", "湘湖金融城")]
        return DocumentFacts(doc_id, DATE, len(sentence), "", entities, [relation, relation], [])

    graph = GraphBuilder().build([doc("a"), doc("b"), doc("a")])
    edge = graph.edges["District:萧山区", "Platform:湘湖金融城", "has_platform"]
    assert [e["doc"] for e in edge["evidence"]] == ["a", "b"]
    assert edge["docs"] == ["a", "b"]


# -- alias folding within a text ------------------------------------------------------------------
def test_short_name_folds_into_the_full_name_in_one_text(analyse: Analyse) -> None:
    """杭州湘湖金融城 … 湘湖金融城: one Platform, labelled with the full name."""
    graph = graph_of(analyse, {"a": "萧山区将加快建设杭州湘湖金融城。湘湖金融城要加快提速。"})
    platforms = {n: d for n, d in graph.nodes(data=True) if d["type"] == "Platform"}
    assert list(platforms) == ["Platform:杭州湘湖金融城"]
    assert platforms["Platform:杭州湘湖金融城"]["aliases"] == ["湘湖金融城"]


@pytest.mark.parametrize("order", [("full", "short"), ("short", "full")])
def test_short_name_in_another_document_joins_the_same_node(analyse: Analyse, order: tuple[str, str]) -> None:
    """Whichever document comes first, 湘湖金融城 and 杭州湘湖金融城 end up as one node."""
    texts = {
        "full": "萧山区将加快建设杭州湘湖金融城。湘湖金融城要加快提速。",
        "short": "萧山区湘湖金融城今年新引进企业20家。",
    }
    graph = graph_of(analyse, {key: texts[key] for key in order})
    platforms = [d for _, d in graph.nodes(data=True) if d["type"] == "Platform"]
    assert len(platforms) == 1
    assert platforms[0]["label"] == "杭州湘湖金融城"
    assert platforms[0]["docs"] == ["full", "short"]


# -- evidence ----------------------------------------------------------------------------------------
def test_evidence_offsets_point_at_the_sentence(analyse: Analyse, fixture_text: Callable[[str], str]) -> None:
    """Every edge's evidence names its document and the sentence's character offsets in that text;
    sets_target evidence points at the figure inside its sentence."""
    texts = {name: fixture_text(name) for name in ("xiaoshan", "jiangxia", "suzhou")}
    graph = graph_of(analyse, texts)
    checked = 0
    for _, _, relation, data in graph.edges(keys=True, data=True):
        assert data["evidence"]
        for ev in data["evidence"]:
            text = texts[ev["doc"]]
            assert ev["sentence"] and ev["sentence"] in text
            if relation == "sets_target":
                # the last copy of the sentence that opens at or before the figure
                opening = text.rfind(ev["sentence"], 0, ev["start"] + len(ev["sentence"]))
                assert opening >= 0 and ev["end"] <= opening + len(ev["sentence"])
            else:
                assert text[ev["start"] : ev["end"]].strip() == ev["sentence"]
            checked += 1
    assert checked > 30


# -- targets ---------------------------------------------------------------------------------------------
def test_targets_hang_off_their_subject(analyse: Analyse) -> None:
    text = "萧山区力争今年地区生产总值增长6.5%以上、总量突破2400亿元，固定资产投资不低于900亿元。"
    graph = graph_of(analyse, {"xs": text})
    targets = {n: d for n, d in graph.nodes(data=True) if d["type"] == "Target"}
    assert len(targets) == 3
    for tid, data in targets.items():
        ((subject, _, relation),) = graph.in_edges(tid, keys=True)
        assert (subject, relation) == ("District:萧山区", "sets_target")
        assert data["docs"] == ["xs"] and data["year"] == 2024 and data["status"] == "target"
    by_value = {d["value"]: d for d in targets.values()}
    assert (by_value[6.5]["indicator"], by_value[6.5]["unit"], by_value[6.5]["comparator"]) == (
        "地区生产总值增速",
        "%",
        ">=",
    )
    assert (by_value[2400.0]["indicator"], by_value[2400.0]["unit"], by_value[2400.0]["comparator"]) == (
        "地区生产总值",
        "亿元",
        ">",
    )
    assert by_value[900.0]["label"] == "固定资产投资不低于900亿元(2024)"


def test_subjects_follow_the_sections(analyse: Analyse, fixture_text: Callable[[str], str]) -> None:
    """Under @吴江区 and @相城区 the figures belong to the district of their section."""
    graph = graph_of(analyse, {"suzhou": fixture_text("suzhou")})
    owners = {graph.nodes[v]["value"]: u for u, v, k in graph.edges(keys=True) if k == "sets_target"}
    assert owners == {5000.0: "District:吴江区", 60.0: "District:相城区"}


# -- events across documents ------------------------------------------------------------------------------
def test_same_name_meetings_of_two_organisers_are_two_events(analyse: Analyse) -> None:
    """An Event is one meeting: two districts' sessions of the same name are two nodes, both labelled with
    the meeting's name, each with its own organiser and date."""
    graph = graph_of(
        analyse,
        {
            "jx": "1月9日，武汉市江夏区第三届人民代表大会第四次会议开幕。",
            "wj": "1月12日，苏州市吴江区第三届人民代表大会第四次会议开幕。",
        },
    )
    events = {n: d for n, d in graph.nodes(data=True) if d["type"] == "Event"}
    assert {d["label"] for d in events.values()} == {"第三届人民代表大会第四次会议"}
    held = {u: (v, d.get("date", "")) for u, v, d in graph.edges(data=True) if d["relation"] == "held_event"}
    assert set(held) == {"District:江夏区", "District:吴江区"}
    assert held["District:江夏区"][0] != held["District:吴江区"][0]
    assert held["District:江夏区"][1].endswith("-01-09") and held["District:吴江区"][1].endswith("-01-12")
