"""B-cubed scores of plankg's merges on the resolution corpus (tests/resolution/corpus.jsonl).

The corpus is short articles written for plankg (invented people, real district names), one JSON line each
with `id`, `date`, `text` and `gold`: per node type, each name the article uses -> the real thing it names
(two 王伟 of two districts have two gold ids; one 王伟 titled here and untitled there has one). Each gold
mention (a document's use of a name) is looked up in the built graph: the node of that type whose `docs`
hold the document and whose label or aliases hold the name. B-cubed then compares, mention by mention, the
mentions on the same node with the mentions of the same gold thing:

    precision(m) = |node(m) & gold(m)| / |node(m)|      recall(m) = |node(m) & gold(m)| / |gold(m)|

averaged over the mentions of a type. A gold mention no node carries counts as a node of its own.

Imported as a plain module by tests/test_resolution.py and bench/bench_resolution.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

CORPUS = Path(__file__).parent / "resolution" / "corpus.jsonl"
TYPES = ("Official", "Event", "Organization", "Platform", "Industry")


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    mentions: int

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_corpus(path: Path = CORPUS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def gold_mentions(corpus: list[dict], node_type: str) -> dict[tuple[str, str], str]:
    """(document, name) -> gold id, for one node type."""
    return {(d["id"], name): gid for d in corpus for name, gid in d["gold"].get(node_type, {}).items()}


def node_of(graph: nx.MultiDiGraph, node_type: str, doc: str, name: str) -> str | None:
    """The node a document's use of a name landed on."""
    for n, d in graph.nodes(data=True):
        if d["type"] == node_type and doc in d["docs"] and (name == d["label"] or name in d["aliases"]):
            return n
    return None


def bcubed(
    graph: nx.MultiDiGraph, corpus: list[dict], node_type: str, only: Callable[[str], bool] | None = None
) -> Scores:
    """B-cubed of one type's mentions (`only`: of the mentions whose name passes it)."""
    gold = {m: g for m, g in gold_mentions(corpus, node_type).items() if only is None or only(m[1])}
    predicted = {m: node_of(graph, node_type, *m) or f"missing:{m}" for m in gold}
    by_node: dict[str, set] = {}
    by_gold: dict[str, set] = {}
    for m in gold:
        by_node.setdefault(predicted[m], set()).add(m)
        by_gold.setdefault(gold[m], set()).add(m)
    if not gold:
        return Scores(1.0, 1.0, 0)
    p = r = 0.0
    for m in gold:
        same = len(by_node[predicted[m]] & by_gold[gold[m]])
        p += same / len(by_node[predicted[m]])
        r += same / len(by_gold[gold[m]])
    return Scores(p / len(gold), r / len(gold), len(gold))


def table(graph: nx.MultiDiGraph, corpus: list[dict]) -> dict[str, Scores]:
    """Per type, and for the Organizations the articles name by their level only (县发改局, 经开区党工委)."""
    from plankg.graph.resolve import is_generic_body

    scores = {}
    for t in TYPES:
        scores[t] = bcubed(graph, corpus, t)
        if t == "Organization":
            scores["  by level only"] = bcubed(graph, corpus, t, only=is_generic_body)
    return scores


def format_table(scores: dict[str, Scores]) -> str:
    rows = [f"{'type':<14}{'mentions':>9}{'P':>8}{'R':>8}{'F1':>8}"]
    rows += [
        f"{t:<14}{s.mentions:>9}{s.precision:>8.3f}{s.recall:>8.3f}{s.f1:>8.3f}" for t, s in scores.items()
    ]
    return "\n".join(rows)
