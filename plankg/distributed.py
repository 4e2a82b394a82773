"""Run the per-document extraction in parallel: in spaCy worker processes or on a Dask cluster.

Extraction is a pure map (document -> DocumentFacts) and merging facts into a graph is
associative, so the map can run anywhere.

`--jobs N` runs spaCy's own `nlp.pipe(..., as_tuples=True, n_process=N)` over a copy of the
shipped pipeline between two components registered here:

- spaCy ships every analysed Doc back to the parent with `doc.to_bytes()` (msgpack of
  `doc.user_data`), which cannot carry plankg's Doc extensions (Mention, Section ...
  objects). So `plankg_pack`, last, turns the Doc into its DocumentFacts with `doc_to_facts`,
  exactly as in process, and hands on an empty Doc with only those facts, pickled (tuples and
  attribute values come back unchanged); the parent unpickles them.
- With `as_tuples`, spaCy makes the Docs, that is segments the texts, in the parent before
  sending them to the workers; segmentation is about half of the work. So the parent sends
  empty Docs carrying the text, and `plankg_segment`, first, segments it in the worker (with
  `nlp.make_doc`, as in process) and sets the document's id, date and original from its
  `as_tuples` context (a DocumentContext, which spaCy keeps on `doc._context`).

The component classes live in this module, so workers started by spawn or forkserver (which
unpickle the pipeline) find them as well as forked ones.

`--engine dask` maps batches of documents over a Dask cluster: an existing one
(`--scheduler ADDRESS`) or a LocalCluster started for the build. Workers load the shipped
pipeline once each.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from plankg.graph.builder import DocumentFacts
from plankg.nlp.pipeline import read

from .extract import doc_to_facts
from .sources import Document

BATCH = 32  # documents per Dask task
PROCESS_BATCH = 4  # documents per nlp.pipe batch: small, so that every worker starts at once
TEXT = "plankg_text_in"  # user_data key of the text an empty carrier Doc takes to a worker
FACTS = "plankg_facts"  # the Doc extension `plankg_pack` leaves the pickled DocumentFacts in

if not Doc.has_extension(FACTS):
    Doc.set_extension(FACTS, default=None)


@dataclass(frozen=True)
class DocumentContext:
    """What the pipeline needs to know of a document besides its text."""

    doc_id: str
    date: str | None
    source: str
    original: str | None = None  # the Traditional text, when its offsets are those of the text

    @classmethod
    def of(cls, document: Document) -> DocumentContext:
        original = document.original
        if original is not None and len(original) != len(document.text):
            original = None
        return cls(document.doc_id, document.date, document.source, original)

    def apply(self, doc: Doc) -> Doc:
        """Set the document's extensions on a Doc about to go through the pipeline."""
        doc._.doc_id = self.doc_id
        doc._.date = self.date
        if self.original is not None:
            doc.user_data["plankg_original"] = self.original  # same offsets: provenance in the original
        return doc


def context_of(doc: Doc) -> DocumentContext:
    context = doc._context  # set by nlp.pipe(as_tuples=True), in process and in its workers
    if not isinstance(context, DocumentContext):
        raise TypeError(
            "the plankg packing pipeline runs under nlp.pipe(..., as_tuples=True) "
            f"with DocumentContext contexts, not {type(context).__name__}"
        )
    return context


class Segment:
    """First in the worker pipeline: the carried text segmented into a Doc (as `nlp.make_doc`
    does in process), with the document's id, date and original from its context."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp

    def __call__(self, carrier: Doc) -> Doc:
        text = carrier.user_data.pop(TEXT, None)
        doc = carrier if text is None else self.nlp.make_doc(text)  # a text spaCy segmented already
        doc._context = carrier._context
        return context_of(doc).apply(doc)


class Pack:
    """Last in the worker pipeline: the Doc's facts, on an empty Doc that `to_bytes` can carry."""

    def __call__(self, doc: Doc) -> Doc:
        packed = Doc(doc.vocab)  # the tokens and the Mention, Section ... objects stay here
        packed._context = doc._context
        packed._.set(FACTS, pickle.dumps(doc_to_facts(doc, context_of(doc).source), pickle.HIGHEST_PROTOCOL))
        return packed


@Language.factory("plankg_segment")
def make_segment(nlp: Language, name: str) -> Segment:
    return Segment(nlp)


@Language.factory("plankg_pack")
def make_pack(nlp: Language, name: str) -> Pack:
    return Pack()


def carrier(vocab: Vocab, text: str) -> Doc:
    """An empty Doc carrying an unsegmented text to `plankg_segment`."""
    doc = Doc(vocab)
    doc.user_data[TEXT] = text
    return doc


def unpack(doc: Doc) -> DocumentFacts:
    """The DocumentFacts `plankg_pack` left on a Doc."""
    packed = doc._.get(FACTS)
    if packed is None:
        raise ValueError("the Doc was not analysed by the plankg packing pipeline")
    return pickle.loads(packed)  # written by our own worker processes


@cache
def packing_pipeline(path: str | None = None) -> Language:
    """The shipped pipeline between `plankg_segment` and `plankg_pack` (cached per process).

    A copy of its own: the cached in-process pipeline (`nlp.pipeline.load`) stays as it is.
    """
    nlp = read(path)
    nlp.add_pipe("plankg_segment", first=True)
    nlp.add_pipe("plankg_pack", last=True)
    return nlp


def analyse_in_processes(
    documents: Iterable[Document], processes: int, batch_size: int | None = None
) -> Iterator[DocumentFacts]:
    """Facts in input order, from spaCy's `nlp.pipe(n_process=processes)` (-1: one per CPU)."""
    if processes < 1 and processes != -1:
        raise ValueError(f"n_process must be positive or -1, not {processes}")  # 0 would yield nothing
    nlp = packing_pipeline()
    docs = ((carrier(nlp.vocab, d.text), DocumentContext.of(d)) for d in documents)
    for doc, _ in nlp.pipe(docs, as_tuples=True, batch_size=batch_size or PROCESS_BATCH, n_process=processes):
        yield unpack(doc)


def analyse_batch(documents: list[Document]) -> list[DocumentFacts]:
    """Runs on a Dask worker: the pipeline is cached per worker process by nlp.pipeline.load."""
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
