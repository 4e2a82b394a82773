"""Benchmark: full build throughput and memory against bare segmentation of the same text.

    python bench/bench_build.py [--docs 100 1000 10000] [--chars 2000] [--jobs 1 2] [--formats graphml ttl]
                                [--engine local|dask] [--scheduler tcp://127.0.0.1:8786] [--evidence all first none]

Synthetic corpora are made by recombining the paragraphs of the bundled sample and the test
fixtures (about `--chars` characters a document, fixed seed), so the numbers are reproducible
without external data. Each build runs as `plankg build` in a child process (NLP + graph + the
export formats), so its time includes loading the pipeline and its peak memory is its own: the
peak RSS column is the highest sum over the build process and its workers, sampled every 0.1 s.

Next to it, in this process and on the same text: the bare tokenizer of the shipped pipeline
(spaCy + pkuseg) and jieba's default segmentation (`pip install -e '.[bench]'`). Segmenters are
timed on at most `--seg-chars` characters of the corpus (their speed does not depend on size).
The headline ratios: build chars/s over pkuseg chars/s and over jieba, and each row's throughput over
the one-process row of the same corpus (x1). `out MB` is the size of the files the build wrote (the
fact store included); `--evidence` adds, per evidence policy, the size of the GraphML and Turtle the same
graph gives with that policy (re-exported from the fact store, not rebuilt).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
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
    """n_docs files of about `chars` characters, paragraphs drawn at random from the fixtures."""
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


def segmentation_speeds(texts: list[str], max_chars: int) -> dict[str, float]:
    """chars/s of the shipped tokenizer (spaCy + pkuseg) and of jieba, on the first max_chars."""
    sample, size = [], 0
    for text in texts:
        if size >= max_chars:
            break
        sample.append(text)
        size += len(text)
    sys.path.insert(0, str(ROOT))
    from plankg.nlp.pipeline import load

    tokenizer = load().tokenizer
    t0 = time.perf_counter()
    for text in sample:
        tokenizer(text)
    speeds = {"pkuseg": size / (time.perf_counter() - t0)}
    try:
        import jieba
    except ImportError:  # the bench extra is not installed
        return speeds
    jieba.setLogLevel(60)
    jieba.initialize()
    t0 = time.perf_counter()
    for text in sample:
        jieba.lcut(text)
    speeds["jieba"] = size / (time.perf_counter() - t0)
    return speeds


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (0 once it is gone)."""
    import psutil

    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def timed_build(
    corpus: Path,
    out: Path,
    jobs: int,
    formats: list[str],
    engine: str = "local",
    scheduler: str | None = None,
) -> tuple[float, int]:
    """(seconds, peak tree RSS bytes) of `plankg build` in a child process."""
    command = [sys.executable, "-m", "plankg.cli", "build", str(corpus), "--out", str(out), "--quiet"]
    command += ["--jobs", str(jobs), "--engine", engine]
    if scheduler:
        command += ["--scheduler", scheduler]
    for fmt in formats:
        command += ["--format", fmt]
    t0 = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    peak = 0
    while child.poll() is None:
        peak = max(peak, tree_rss(child.pid))
        time.sleep(0.1)
    seconds = time.perf_counter() - t0
    if child.returncode:
        raise SystemExit(f"build failed with exit code {child.returncode}")
    return seconds, peak


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file()) / 2**20


def evidence_sizes(out: Path, policies: list[str]) -> list[str]:
    """Per evidence policy: the MB of graph.graphml and graph.ttl of the graph in `out`'s fact store."""
    sys.path.insert(0, str(ROOT))
    from plankg.exports import write_all
    from plankg.graph.builder import GraphBuilder
    from plankg.graph.filtering import limit_evidence, parse_evidence
    from plankg.store import STORE_NAME, FactStore, StoredTexts

    store = FactStore(out / STORE_NAME)
    graph = GraphBuilder().build(store)
    store.close()
    texts = StoredTexts(out / STORE_NAME)
    lines = []
    for policy in policies:
        keep = parse_evidence(policy)
        chosen = graph if keep is None else limit_evidence(graph, keep)
        with tempfile.TemporaryDirectory() as tmp:
            paths = write_all(chosen, tmp, ("graphml", "ttl"), texts=texts)
            sizes = {p.name.rpartition(".")[2]: p.stat().st_size / 2**20 for p in paths if p.stem == "graph"}
        lines.append(
            f"  evidence {policy:>5}: graphml {sizes['graphml']:8.1f} MB   ttl {sizes['ttl']:8.1f} MB"
        )
    texts.close()
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, nargs="+", default=[100])
    parser.add_argument("--chars", type=int, default=2000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1], help="worker processes (one row each)")
    parser.add_argument("--formats", nargs="+", default=["graphml", "ttl"])
    parser.add_argument("--seg-chars", type=int, default=2_000_000, help="characters the segmenters time")
    parser.add_argument("--engine", choices=["local", "dask"], default="local")
    parser.add_argument(
        "--scheduler", help="Dask scheduler address (--engine dask); a LocalCluster if omitted"
    )
    parser.add_argument("--evidence", nargs="*", default=[], help="evidence policies to report sizes for")
    args = parser.parse_args(argv)
    print(
        f"{'docs':>7} {'engine':>6} {'jobs':>4} {'chars':>11} {'build s':>8} {'chars/s':>8} {'docs/s':>7} "
        f"{'pkuseg c/s':>10} {'jieba c/s':>10} {'/pkuseg':>7} {'/jieba':>7} {'x1':>5} {'peak RSS':>9} {'out MB':>8}",
        flush=True,
    )
    for n in args.docs:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "corpus"
            corpus.mkdir()
            texts = make_corpus(corpus, n, args.chars)
            chars = sum(len(t) for t in texts)
            seg = segmentation_speeds(texts, args.seg_chars)
            del texts
            one = None  # the one-process throughput of this corpus
            for jobs in args.jobs:
                out = Path(tmp) / f"out{jobs}"
                seconds, peak = timed_build(corpus, out, jobs, args.formats, args.engine, args.scheduler)
                speed = chars / seconds
                if jobs == 1 and args.engine == "local":
                    one = speed
                jieba = seg.get("jieba")
                print(
                    f"{n:>7} {args.engine:>6} {jobs:>4} {chars:>11} {seconds:>8.1f} {speed:>8.0f} {n / seconds:>7.1f} "
                    f"{seg['pkuseg']:>10.0f} {(f'{jieba:.0f}' if jieba else '-'):>10} "
                    f"{speed / seg['pkuseg']:>7.2f} {(f'{speed / jieba:.3f}' if jieba else '-'):>7} "
                    f"{(f'{speed / one:.2f}' if one else '-'):>5} {peak / 2**30:>7.2f}GB {folder_mb(out):>8.1f}",
                    flush=True,
                )
                if args.evidence:
                    print("\n".join(evidence_sizes(out, args.evidence)), flush=True)
                shutil.rmtree(out)  # the next row's disk
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
