"""Benchmark: where the one-process analysis spends its time, component by component.

    python bench/bench_components.py [--docs 200] [--chars 1000] [--repeat 1]

The same synthetic corpus as bench_build.py (paragraphs of the bundled sample and the test
fixtures recombined, fixed seed). The corpus goes through the shipped pipeline 64 documents at
a time, one step at a time: the tokenizer (pkuseg) over the 64 documents, then each component
over them (in batches where it has a `pipe`, as `nlp.pipe` runs it), each step timed with a
monotonic clock. The table gives each step's seconds, its share of the analysis and its time
against the tokenizer's. The build adds reading, the fact store, the graph and the exports to this
(bench_build.py measures the whole).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import make_corpus  # noqa: E402

CHUNK = 64  # documents taken through the steps together (nlp.pipe streams them in batches of 16)


def component_times(texts: list[str], repeat: int) -> tuple[dict[str, float], int]:
    from plankg.distributed import context
    from plankg.nlp.pipeline import load as load_pipeline
    from plankg.sources import Document

    nlp = load_pipeline()
    times = {"tokenizer (pkuseg)": 0.0, **{name: 0.0 for name in nlp.pipe_names}}
    chars = 0
    for _ in range(repeat):
        for lo in range(0, len(texts), CHUNK):  # a chunk at a time, so that few documents are alive
            chunk = texts[lo : lo + CHUNK]
            t0 = time.perf_counter()
            docs = [
                context(Document(doc_id=f"doc{lo + k}", text=text, source=f"doc{lo + k}.txt")).apply(
                    nlp.make_doc(text)
                )
                for k, text in enumerate(chunk)
            ]
            times["tokenizer (pkuseg)"] += time.perf_counter() - t0
            for name, proc in nlp.pipeline:  # step by step, batched where the component has a pipe
                t0 = time.perf_counter()
                docs = list(proc.pipe(docs)) if hasattr(proc, "pipe") else [proc(doc) for doc in docs]
                times[name] += time.perf_counter() - t0
            chars += sum(len(text) for text in chunk)
    return times, chars


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--chars", type=int, default=1000)
    parser.add_argument(
        "--repeat", type=int, default=1, help="passes over the corpus (after one warm-up document)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        texts = make_corpus(Path(tmp), args.docs, args.chars)
    component_times(texts[:1], 1)  # load the pipeline and warm its caches outside the timing
    times, chars = component_times(texts, args.repeat)
    total = sum(times.values())
    seg = times["tokenizer (pkuseg)"]
    print(
        f"{args.docs} documents x {args.repeat}, {chars} characters: analysis {total:.2f} s, {chars / total:.0f} chars/s, "
        f"{seg / total:.2f}x the speed of the tokenizer alone"
    )
    print(f"{'step':<28}{'s':>8}{'share':>8}{'/ pkuseg':>10}")
    for name, t in sorted(times.items(), key=lambda kv: -kv[1]):
        print(f"{name:<28}{t:>8.2f}{100 * t / total:>7.1f}%{t / seg:>10.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
