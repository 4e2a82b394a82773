"""B-cubed scores of plankg's cross-document merges on the resolution corpus, per node type.

    python bench/bench_resolution.py [CORPUS.jsonl]

The corpus (tests/resolution/corpus.jsonl, see tests/bcubed.py) is built as `plankg build` builds it;
each gold mention (an article's use of a name) is looked up on the graph, and B-cubed precision, recall
and F1 compare the mentions sharing a node with the mentions of one real thing. The bar (tests/
test_resolution.py): F1 >= 0.95 for Officials and Events, >= 0.9 for bodies named by their level only.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import bcubed  # noqa: E402

from plankg.api import build  # noqa: E402


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else bcubed.CORPUS
    corpus = bcubed.load_corpus(path)
    graph = build([path]).graph
    print(f"{path.name}: {len(corpus)} articles")
    print(bcubed.format_table(bcubed.table(graph, corpus)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
