"""Benchmark: example SPARQL queries on a ~1-million-triple graph, pyoxigraph against rdflib.

    python bench/bench_sparql.py [--triples 1000000] [--queries NAME ...] [--skip-rdflib]

The graph of the bundled sample plus the test fixtures is built once, then its triples are replicated
with renamed resource IRIs (<.../id/...> -> <.../id/r<k>/...>; vocabulary IRIs and literals kept) until
there are about --triples of them, and written as N-Triples. Both engines load that file and run the same
bundled example queries (exports/queries/*.rq); the table gives load and query wall times and checks that
both return the same number of rows.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_QUERIES = (
    "officials-and-posts",
    "platforms-per-district",
    "targets-above-value",
    "speakers-on-date",
    "districts-with-platform-and-project",
)


def base_lines() -> list[str]:
    """N-Triples lines of the sample + fixtures graph."""
    from plankg.api import build
    from plankg.exports.rdfwrite import write_ntriples

    sources = [
        ROOT / "plankg" / "sample" / "sample_plan_news.txt",
        *sorted((ROOT / "tests" / "fixtures").glob("*.txt")),
    ]
    result = build(sources)
    with tempfile.TemporaryDirectory() as tmp:
        data = write_ntriples(result.graph, Path(tmp) / "base.nt", result.texts).read_text(encoding="utf-8")
    return sorted(line for line in data.splitlines() if line.strip())


def write_replicated(path: Path, target: int) -> int:
    from plankg.exports.iris import ID_BASE

    lines = base_lines()
    copies = max(1, round(target / len(lines)))
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for k in range(copies):
            prefix = f"<{ID_BASE}r{k}/"
            for line in lines:
                if f"<{ID_BASE}" in line:  # resource IRIs renamed per copy
                    out.write(line.replace(f"<{ID_BASE}", prefix) + "\n")
                elif k == 0:  # vocabulary-only triples once
                    out.write(line + "\n")
                else:
                    continue
                count += 1
    return count


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--queries", nargs="*", default=list(DEFAULT_QUERIES))
    parser.add_argument("--skip-rdflib", action="store_true")
    args = parser.parse_args()

    import pyoxigraph as ox
    from rdflib import Graph

    from plankg.linkeddata import example_queries, run_query, with_prefixes

    queries = {name: example_queries()[name].read_text(encoding="utf-8") for name in args.queries}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.nt"
        count, seconds = timed(lambda: write_replicated(path, args.triples))
        print(
            f"graph: {count:,} triples, {path.stat().st_size / 1e6:.0f} MB N-Triples ({seconds:.1f} s to make)"
        )

        store = ox.Store()
        _, ox_load = timed(lambda: store.load(path=str(path), format=ox.RdfFormat.N_TRIPLES))
        results = {}
        for name, text in queries.items():
            rows, took = timed(lambda text=text: run_query(store, text).rows)
            results[name] = [len(rows), took, None, None]
        rdf_load = None
        if not args.skip_rdflib:
            graph = Graph()
            _, rdf_load = timed(lambda: graph.parse(path, format="nt"))
            for name, text in queries.items():
                rows, took = timed(lambda text=text: list(graph.query(with_prefixes(text))))
                results[name][2:] = [len(rows), took]

    print()
    print(f"{'step':38} {'pyoxigraph':>12} {'rdflib':>12} {'rows':>12}")
    print(f"{'load N-Triples':38} {ox_load:>11.1f}s {_secs(rdf_load):>12} {'':>12}")
    for name, (ox_rows, ox_s, rdf_rows, rdf_s) in results.items():
        rows = f"{ox_rows}" if rdf_rows is None else f"{ox_rows}/{rdf_rows}"
        print(f"{name:38} {ox_s:>11.2f}s {_secs(rdf_s):>12} {rows:>12}")


def _secs(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}s"


if __name__ == "__main__":
    main()
