"""One node per real thing, across documents: the resolution corpus (tests/resolution/corpus.jsonl).

The corpus is short articles written for these tests (invented people, real district names): officials of
one name in unrelated districts, one official titled here and untitled there, meetings of one name held by
different districts or in different years, bodies named by their level only (县发改局) in several counties.
The graph is built exactly as `plankg build corpus.jsonl` builds it; B-cubed scores of its merges are in
tests/bcubed.py (and `python bench/bench_resolution.py` prints them).
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from bcubed import CORPUS, bcubed, load_corpus

from plankg.api import build
from plankg.graph.resolve import is_generic_body


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return load_corpus()


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return build([CORPUS]).graph


def nodes(graph: nx.MultiDiGraph, node_type: str, label: str) -> dict[str, dict]:
    return {n: d for n, d in graph.nodes(data=True) if d["type"] == node_type and d["label"] == label}


def test_merges_reach_the_bar(graph: nx.MultiDiGraph, corpus: list[dict]) -> None:
    """B-cubed F1 of the merges: >= 0.95 for Officials and Events, >= 0.9 for bodies named by level only."""
    assert bcubed(graph, corpus, "Official").f1 >= 0.95
    assert bcubed(graph, corpus, "Event").f1 >= 0.95
    by_level = bcubed(graph, corpus, "Organization", only=is_generic_body)
    assert by_level.mentions >= 10 and by_level.f1 >= 0.9


def test_namesakes_in_unrelated_districts_are_two_people(graph: nx.MultiDiGraph) -> None:
    """王伟 of 成华区 (Sichuan) and 王伟 of 道里区 (Heilongjiang): two Officials, each keyed by the body of
    their first post; the untitled 王伟表示 of a 成华区 article is the first, that of a 天河区 article
    neither."""
    wang = nodes(graph, "Official", "王伟")
    assert set(wang) == {"Official:王伟@成华区", "Official:王伟@道里区", "Official:王伟"}
    assert "chenghua-2024-01-09" in wang["Official:王伟@成华区"]["docs"]  # untitled there
    assert wang["Official:王伟"]["docs"] == ["tianhe-2024-04-02"]
    posts = {(u, v) for u, v, k in graph.edges(keys=True) if k == "holds_post" and u in wang}
    assert posts == {("Official:王伟@成华区", "District:成华区"), ("Official:王伟@道里区", "District:道里区")}


def test_meetings_of_one_name_are_apart_by_organiser_and_year(graph: nx.MultiDiGraph) -> None:
    """Two districts' 经济工作会议 are two meetings, as are 成华区's of 2024 and 2025; a report without a
    date three days later is the 2024 one."""
    meetings = nodes(graph, "Event", "经济工作会议")
    assert set(meetings) == {
        "Event:经济工作会议@成华区@2024-01-04",
        "Event:经济工作会议@成华区@2025-01-05",
        "Event:经济工作会议@道里区@2024-01-07",
    }
    assert meetings["Event:经济工作会议@成华区@2024-01-04"]["docs"] == [
        "chenghua-2024-01-05",
        "chenghua-2024-01-09",
    ]
    spoke = {(u, v) for u, v, k in graph.edges(keys=True) if k == "spoke_at" and v in meetings}
    assert ("Official:王伟@道里区", "Event:经济工作会议@道里区@2024-01-07") in spoke
    assert {v for u, v in spoke if u == "Official:王伟@成华区"} == {
        "Event:经济工作会议@成华区@2024-01-04",
        "Event:经济工作会议@成华区@2025-01-05",
    }


def test_a_numbered_session_is_one_meeting_per_organiser(graph: nx.MultiDiGraph) -> None:
    sessions = nodes(graph, "Event", "第三届人民代表大会第四次会议")
    assert set(sessions) == {
        "Event:第三届人民代表大会第四次会议@江夏区",
        "Event:第三届人民代表大会第四次会议@吴江区",
    }
    assert sessions["Event:第三届人民代表大会第四次会议@江夏区"]["docs"] == [
        "jiangxia-2024-01-10",
        "jiangxia-2024-01-13",
    ]


def test_bodies_named_by_level_are_keyed_by_their_county(graph: nx.MultiDiGraph) -> None:
    """县发改局 is a different body in every county: labelled with its full name, the text's form an alias."""
    bureaus = {
        d["label"]: d
        for _, d in graph.nodes(data=True)
        if d["type"] == "Organization" and "县发改局" in d["aliases"]
    }
    assert set(bureaus) == {"长丰县发展和改革局", "仙游县发展和改革局", "蒲江县发展和改革局"}
    assert bureaus["长丰县发展和改革局"]["docs"] == ["changfeng-2024-02-20", "changfeng-2024-06-15"]
    assert "仙游县发改局" in bureaus["仙游县发展和改革局"]["aliases"]  # named in full in one article
    zone_body = nodes(graph, "Organization", "长子经济技术开发区党工委")
    ((data),) = zone_body.values()
    assert data["docs"] == ["changzi-2024-04-10", "changzi-2024-05-08"]  # 经开区党工委 of a 长子县 article


def test_posts_carry_when_they_were_seen(graph: nx.MultiDiGraph) -> None:
    """A post's first and last sightings are the dates of its first and last documents."""
    edge = graph.edges["Official:王伟@成华区", "District:成华区", "holds_post"]
    assert (edge["first_seen"], edge["last_seen"]) == ("2024-01-05", "2025-01-06")
    career = {
        v: (d["title"], d["first_seen"])
        for _, v, k, d in graph.out_edges("Official:沈国华@吴江区", keys=True, data=True)
        if k == "holds_post"
    }
    assert career == {"District:吴江区": ("区长", "2022-04-11"), "District:苏州市": ("副市长", "2024-10-15")}


def test_update_gives_the_graph_of_a_full_build(tmp_path: Path) -> None:
    """Ids and graph do not depend on which documents came first: half the corpus, then the rest with
    --update, writes the same GraphML as one full build."""
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    first, later = tmp_path / "first.jsonl", tmp_path / "later.jsonl"
    first.write_text("\n".join(lines[1::2]) + "\n", encoding="utf-8")  # every other article, then the rest
    later.write_text("\n".join(lines[0::2]) + "\n", encoding="utf-8")
    build([CORPUS], out_dir=tmp_path / "full", formats=("graphml",))
    build([first], out_dir=tmp_path / "inc", formats=("graphml",))
    build([later], out_dir=tmp_path / "inc", formats=("graphml",), update=True)
    assert (tmp_path / "inc" / "graph.graphml").read_bytes() == (
        tmp_path / "full" / "graph.graphml"
    ).read_bytes()


def test_the_corpus_is_well_formed(corpus: list[dict]) -> None:
    """Every gold name is written in its article; ids are unique."""
    assert len({d["id"] for d in corpus}) == len(corpus)
    for d in corpus:
        for names in d["gold"].values():
            assert all(name in d["text"] for name in names), d["id"]
