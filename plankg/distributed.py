"""Run the per-document extraction in parallel: in spaCy worker processes or on a Dask cluster.

Extraction is a pure map (document -> DocumentFacts) and merging facts into a graph is
associative, so the map can run anywhere.

`--jobs N` runs spaCy's own `nlp.pipe(..., as_tuples=True, n_process=N)` over a copy of the
shipped pipeline between `plankg_segment` and `plankg_pack` (plankg.nlp.workers), so that
workers segment the texts and send back plain facts.

`--engine dask` maps batches of documents over a Dask cluster: an existing one
(`--scheduler ADDRESS`) or a LocalCluster started for the build. Workers load the shipped
pipeline once each.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice

from plankg.graph.model import DocumentFacts
from plankg.nlp.workers import DocumentContext, carrier, packing_pipeline, unpack

from .sources import Document

BATCH = 32  # documents per Dask task
INFLIGHT = 3  # Dask batches submitted ahead per worker: enough to keep it busy, few to hold
PROCESS_BATCH = 4  # documents per nlp.pipe batch: small, so that every worker starts at once


def context(document: Document) -> DocumentContext:
    return DocumentContext.of(
        document.doc_id, document.text, document.date, document.source, document.original
    )


def analyse_in_processes(
    documents: Iterable[Document], processes: int, batch_size: int | None = None
) -> Iterator[DocumentFacts]:
    """Facts in input order, from spaCy's `nlp.pipe(n_process=processes)` (-1: one per CPU)."""
    if processes < 1 and processes != -1:
        raise ValueError(f"n_process must be positive or -1, not {processes}")  # 0 would yield nothing
    nlp = packing_pipeline()
    docs = ((carrier(nlp.vocab, d.text), context(d)) for d in documents)
    for doc, _ in nlp.pipe(docs, as_tuples=True, batch_size=batch_size or PROCESS_BATCH, n_process=processes):
        yield unpack(doc)


def batched(items: Iterable[Document], size: int) -> Iterator[tuple[Document, ...]]:
    iterator = iter(items)
    while batch := tuple(islice(iterator, size)):
        yield batch


def analyse_batch(documents: list[Document]) -> list[DocumentFacts]:
    """Runs on a Dask worker: the pipeline is cached per worker process by nlp.pipeline.load."""
    from .api import analyse

    return list(analyse(documents))


def analyse_on_dask(
    documents: Iterable[Document], scheduler: str | None = None, workers: int = 2
) -> Iterator[DocumentFacts]:
    """Facts of `documents`, in input order, computed on a Dask cluster.

    The documents stream: batches are submitted as they are read, at most `INFLIGHT` per worker
    at a time, and each is yielded (then dropped) as soon as it and those before it are done, so
    the parent holds a few batches, never the corpus."""
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
        window = INFLIGHT * max(1, len(client.scheduler_info().get("workers", {})) or workers)
        pending: deque = deque()
        for batch in batched(documents, BATCH):
            pending.append(client.submit(analyse_batch, list(batch), pure=False))
            while len(pending) >= window:  # in order, so the store and the graph see the same sequence
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
