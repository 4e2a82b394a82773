"""Run the per-document extraction in parallel: in spaCy worker processes or on a Dask cluster.

Extraction is a pure map (document -> DocumentFacts) and merging facts into a graph is
associative, so the map can run anywhere.

`--jobs N` forks N workers once the parent has loaded the pipeline (a warm pool: no worker loads
it again); batches of texts go out, and the facts come back as the fact store's JSON records, which
the parent stores as they are. Where fork is not available or not safe (Windows, threads running),
spaCy's own `nlp.pipe(..., as_tuples=True, n_process=N)` runs over a copy of the pipeline between
`plankg_segment` and `plankg_pack` (plankg.nlp.workers), so that workers segment the texts and send
back plain facts.

`--engine dask` maps batches of documents over a Dask cluster: an existing one
(`--scheduler ADDRESS`) or a LocalCluster started for the build. Workers load the shipped
pipeline once each.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice

from plankg.exports.parallel import can_fork  # fork copies the loaded pipeline for free; unsafe with threads
from plankg.graph.model import DocumentFacts
from plankg.nlp.pipeline import load
from plankg.nlp.workers import DocumentContext, carrier, packing_pipeline, unpack

from .sources import Document
from .store import Record, from_json, to_json

BATCH = 32  # documents per Dask task
INFLIGHT = 3  # Dask batches submitted ahead per worker: enough to keep it busy, few to hold
PROCESS_BATCH = 4  # documents per nlp.pipe batch: small, so that every worker starts at once


def context(document: Document) -> DocumentContext:
    return DocumentContext.of(
        document.doc_id, document.text, document.date, document.source, document.original
    )


def analyse_in_processes(
    documents: Iterable[Document], processes: int, batch_size: int | None = None, records: bool = False
) -> Iterator[DocumentFacts | Record]:
    """Facts in input order from `processes` worker processes (-1: one per CPU): a forked warm pool
    where fork is safe, else spaCy's `nlp.pipe(n_process=...)`. With `records`, the facts come as the
    store's JSON records (plankg.store.Record), as the workers made them."""
    if processes < 1 and processes != -1:
        raise ValueError(f"n_process must be positive or -1, not {processes}")  # 0 would yield nothing
    if processes == -1:
        processes = os.cpu_count() or 1
    if can_fork():
        yield from _analyse_in_pool(documents, processes, batch_size or PROCESS_BATCH, records)
        return
    for facts in _analyse_in_spacy_processes(documents, processes, batch_size):
        yield Record(facts.doc_id, to_json(facts)) if records else facts


def _ignore_interrupt() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the pool


def _analyse_records(documents: list[Document]) -> list[Record]:
    """Runs in a pool worker, with the pipeline it inherited from the parent."""
    from .api import analyse

    return [Record(f.doc_id, to_json(f)) for f in analyse(documents)]


def _analyse_in_pool(
    documents: Iterable[Document], processes: int, batch: int, records: bool
) -> Iterator[DocumentFacts | Record]:
    """The warm pool: workers forked once, after the parent loaded the pipeline (so none loads it
    again); batches of texts go out and JSON records come back, at most INFLIGHT batches per worker
    at a time, in input order."""
    load()  # in the parent, before the fork: every worker inherits it
    gc.freeze()  # and no collection in a worker touches (so copies) the pages it shares with the parent
    pool = multiprocessing.get_context("fork").Pool(processes, initializer=_ignore_interrupt)
    try:
        pending: deque = deque()
        window = INFLIGHT * processes
        for chunk in batched(documents, batch):
            pending.append(pool.apply_async(_analyse_records, (list(chunk),)))
            while len(pending) >= window:
                yield from _results(pending.popleft().get(), records)
        while pending:
            yield from _results(pending.popleft().get(), records)
        pool.close()
    finally:
        pool.terminate()
        pool.join()


def _results(batch: list[Record], records: bool) -> Iterator[DocumentFacts | Record]:
    return iter(batch) if records else (from_json(r.json) for r in batch)


def _analyse_in_spacy_processes(
    documents: Iterable[Document], processes: int, batch_size: int | None = None
) -> Iterator[DocumentFacts]:
    """spaCy's own multiprocessing (where fork is not available): each worker loads the pipeline."""
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
