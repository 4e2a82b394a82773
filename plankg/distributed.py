"""Run the per-document extraction on a Dask cluster.

Extraction is a pure map (document -> DocumentFacts) and merging facts into a graph is
associative, so the map can run anywhere: on an existing cluster (`--scheduler ADDRESS`) or
on a LocalCluster started for the build. Workers load the shipped pipeline once each.
"""

from __future__ import annotations

from collections.abc import Iterator

from graph.builder import DocumentFacts

from .sources import Document

BATCH = 32


def analyse_batch(documents: list[Document]) -> list[DocumentFacts]:
    """Runs on a worker: the pipeline is cached per worker process by nlp.pipeline.load."""
    from .api import analyse

    return list(analyse(documents))


def analyse_on_dask(
    documents: list[Document], scheduler: str | None = None, workers: int = 2
) -> Iterator[DocumentFacts]:
    """Facts of `documents`, in input order, computed on a Dask cluster."""
    from dask.distributed import Client, LocalCluster

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    try:
        batches = [documents[i : i + BATCH] for i in range(0, len(documents), BATCH)]
        futures = client.map(analyse_batch, batches, pure=False)
        for future in futures:  # in order, so the store and the graph see the same sequence
            yield from future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def analyse_in_processes(documents: list[Document], processes: int) -> Iterator[DocumentFacts]:
    """Facts in input order from a pool of worker processes.

    spaCy's own `nlp.pipe(n_process=...)` ships Docs back to the parent through msgpack,
    which cannot carry plankg's Doc extensions; the workers here return the plain records
    the graph needs instead.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    batches = [documents[i : i + BATCH] for i in range(0, len(documents), BATCH)]
    context = multiprocessing.get_context("spawn")  # no forked copies of a half-used spaCy
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        for facts in pool.map(analyse_batch, batches):
            yield from facts
