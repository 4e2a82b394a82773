"""Benchmark: full build throughput against bare segmentation on the same text.

    python bench/bench_build.py [--docs 100 1000 10000] [--chars 2000] [--jobs 1]

Synthetic corpora are made by recombining the paragraphs of the bundled sample and the
test fixtures (about `--chars` characters a document), so the numbers are reproducible
without any external data. Reports chars/s and docs/s of `plankg.build` (NLP + graph +
GraphML + Turtle), peak RSS of the process, and the bare pkuseg tokenizer speed (and
jieba's, when installed) on the same text.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [
    ROOT / "plankg" / "sample" / "sample_plan_news.txt",
    *sorted((ROOT / "tests" / "fixtures").glob("*.txt")),
]


def paragraphs() -> list[str]:
    out = []
    for path in SOURCES:
        out += [p.strip() for p in path.read_text(encoding="utf-8").split("\n") if len(p.strip()) > 20]
    return out


def make_corpus(folder: Path, n_docs: int, chars: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    pool = paragraphs()
    texts = []
    for i in range(n_docs):
        parts, size = [], 0
        while size < chars:
            p = rng.choice(pool)
            parts.append(p)
            size += len(p)
        text = "\n\n".join(parts)
        (folder / f"doc{i:06d}.txt").write_text(text, encoding="utf-8")
        texts.append(text)
    return texts


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bare_segmentation(texts: list[str]) -> dict[str, float]:
    from nlp.pipeline import load

    tokenizer = load().tokenizer
    chars = sum(len(t) for t in texts)
    t0 = time.perf_counter()
    for text in texts:
        tokenizer(text)
    speeds = {"pkuseg_chars_per_s": chars / (time.perf_counter() - t0)}
    try:
        import jieba  # optional comparison

        jieba.initialize()
        t0 = time.perf_counter()
        for text in texts:
            list(jieba.cut(text))
        speeds["jieba_chars_per_s"] = chars / (time.perf_counter() - t0)
    except ImportError:
        pass
    return speeds


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, nargs="+", default=[100])
    parser.add_argument("--chars", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=1, help="worker processes for the extraction map")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    import plankg

    print(
        f"{'docs':>7} {'chars':>10} {'build s':>8} {'chars/s':>9} {'docs/s':>7} {'seg chars/s':>12} "
        f"{'build/seg':>9} {'jieba chars/s':>13} {'peak RSS MB':>11}"
    )
    for n in args.docs:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "corpus"
            corpus.mkdir()
            texts = make_corpus(corpus, n, args.chars)
            chars = sum(len(t) for t in texts)
            seg = bare_segmentation(texts)
            t0 = time.perf_counter()
            plankg.build([corpus], out_dir=Path(tmp) / "out", n_process=args.jobs)
            elapsed = time.perf_counter() - t0
            speed = chars / elapsed
            jieba = seg.get("jieba_chars_per_s")
            print(
                f"{n:>7} {chars:>10} {elapsed:>8.1f} {speed:>9.0f} {n / elapsed:>7.1f} "
                f"{seg['pkuseg_chars_per_s']:>12.0f} {speed / seg['pkuseg_chars_per_s']:>9.2f} "
                f"{(f'{jieba:.0f}' if jieba else '-'):>13} {peak_rss_mb():>11.0f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
