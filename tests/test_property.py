"""Property: whatever bytes arrive, a build never crashes and every export parses back."""

from __future__ import annotations

import tempfile
from pathlib import Path

import networkx as nx
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plankg.api import build
from plankg.sources import InputError

CHINESE = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
PLAN_WORDS = st.sampled_from(
    [
        "区委书记",
        "区长",
        "召开",
        "大会",
        "增长",
        "突破",
        "亿元",
        "%",
        "以上",
        "今年",
        "开发区",
        "项目",
        "“",
        "”",
        "，",
        "。",
        "\n",
        "@",
        "2024年",
        "1月9日",
        "产业园",
        "、",
        "<p>",
        "</p>",
        "<script>x</script>",
        "第",
        "等",
    ]
)
TEXT = st.lists(st.one_of(CHINESE, PLAN_WORDS, st.characters()), max_size=300).map("".join)


def utf8(text: str) -> bytes:
    """The text as a file would hold it: a lone surrogate (st.characters() draws them) cannot be
    written in UTF-8, so it becomes U+FFFD as any editor would write it."""
    return text.encode("utf-8", errors="surrogatepass").decode("utf-8", errors="replace").encode("utf-8")


def build_bytes(data: bytes, suffix: str = ".txt") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"doc{suffix}"
        path.write_bytes(data)
        out = Path(tmp) / "out"
        try:
            build([path], out_dir=out)
        except InputError:
            assert not (out / "graph.graphml").exists()  # refused cleanly, wrote nothing
            return
        graph = nx.read_graphml(out / "graph.graphml", force_multigraph=True)
        assert all(d.get("label") for _, d in graph.nodes(data=True))
        rdflib.Graph().parse(out / "graph.ttl", format="turtle")


FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(TEXT)
def test_random_text(text: str) -> None:
    build_bytes(utf8(text))


@FAST
@given(TEXT)
def test_random_markup(text: str) -> None:
    page = f"<html><body><div>当前位置：首页</div><p>{text}</p><footer>版权所有</footer></body></html>"
    build_bytes(utf8(page), ".html")


@FAST
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    build_bytes(data)
