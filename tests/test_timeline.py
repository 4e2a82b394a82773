"""Officials over time: each post carries when its documents saw it held (GraphML `first_seen` / `last_seen`,
RDF org:Membership with an OWL-Time org:memberDuring), and two bundled queries read it back: the posts of
one official over time, and who held a post in a district in a year. Built from the resolution corpus."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import networkx as nx
import pytest
from bcubed import CORPUS

import plankg.linkeddata as ld
from plankg.api import build
from plankg.linkeddata.params import bind


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("timeline")
    build([CORPUS], out_dir=out, formats=("graphml", "ttl"))
    return out


def query(built: Path, bundled: str, **params: str) -> list[dict]:
    """A bundled query with its parameters set, as `plankg query G NAME --param k=v` does."""
    text = bind(
        ld.example_queries()[bundled].read_text(encoding="utf-8"), {k: [v] for k, v in params.items()}
    )
    return ld.run_query(ld.load_store(built / "graph.ttl"), text).values()


def test_graphml_posts_have_first_and_last_seen(built: Path) -> None:
    graph = nx.read_graphml(built / "graph.graphml", force_multigraph=True)
    posts = [d for *_, d in graph.edges(data=True) if d["relation"] == "holds_post"]
    assert posts and all(d["first_seen"] <= d["last_seen"] for d in posts)


def test_posts_of_one_official_over_time(built: Path) -> None:
    """Two officials called 王伟: each with the post the documents saw, and when."""
    rows = query(built, "posts-of-an-official-over-time", name="王伟")
    assert [
        (unquote(r["person"].split("/")[-1]), r["place"], r["title"], r["from"], r["to"]) for r in rows
    ] == [
        ("王伟@成华区", "成华区", "区委书记", "2024-01-05", "2025-01-06"),
        ("王伟@道里区", "道里区", "区委副书记、区长", "2024-01-08", "2024-05-10"),
    ]


def test_a_career_reads_in_order(built: Path) -> None:
    rows = query(built, "posts-of-an-official-over-time", name="沈国华")
    assert [(r["place"], r["title"], r["from"]) for r in rows] == [
        ("吴江区", "区长", "2022-04-11"),
        ("苏州市", "副市长", "2024-10-15"),
    ]


@pytest.mark.parametrize(
    ("place", "post", "year", "expected"),
    [
        ("长丰县", "县委书记", "2024", ["李明"]),
        ("长丰县", "县委书记", "2023", []),
        ("道里区", "区长", "2024", ["王伟"]),  # one part of 区委副书记、区长
        ("江夏区", "区长", "2021", ["张建国"]),
    ],
)
def test_who_held_a_post_in_a_district_in_a_year(
    built: Path, place: str, post: str, year: str, expected: list[str]
) -> None:
    rows = query(built, "post-holders-in-a-year", place=place, post=post, year=year)
    assert [r["official"] for r in rows] == expected


def test_memberships_conform_to_the_shapes(built: Path) -> None:
    conforms, violations = ld.validate(built / "graph.ttl")
    assert conforms, ld.format_violations(violations)
