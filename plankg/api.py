"""The public entry point: documents in, one knowledge graph out."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from plankg.exports import write_all
from plankg.graph.builder import GraphBuilder, summary
from plankg.graph.filtering import filter_by_confidence, limit_evidence, parse_evidence
from plankg.graph.model import DocumentFacts
from plankg.nlp.handover import doc_to_facts
from plankg.nlp.pipeline import load

from .sources import Document, InputError, InputWarning, iter_documents
from .store import STORE_NAME, FactStore

SAMPLE = Path(__file__).parent / "sample" / "sample_plan_news.txt"


@dataclass
class BuildResult:
    graph: nx.MultiDiGraph
    documents: int
    skipped: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict, repr=False)  # doc id -> text as analysed
    encodings: dict[str, int] = field(default_factory=dict)  # how the documents read were encoded

    @property
    def summary(self) -> dict[str, dict[str, int]]:
        return summary(self.graph)


def analyse(documents: Iterable[Document], batch_size: int | None = None, n_process: int = 1):
    """Run the NLP pipeline over documents, yielding per-document facts in input order.

    With `n_process` other than 1, spaCy's `nlp.pipe(n_process=...)` runs the pipeline in
    worker processes (see plankg.distributed); the facts are the same.
    """
    from .distributed import analyse_in_processes, context

    if n_process != 1:
        yield from analyse_in_processes(documents, n_process, batch_size)
        return
    nlp = load()
    docs = ((context(d).apply(nlp.make_doc(d.text)), d.source) for d in documents)
    for doc, source in nlp.pipe(docs, as_tuples=True, batch_size=batch_size or 16):
        yield doc_to_facts(doc, source)


class _Reader:
    """Documents from the inputs as a stream: unique ids, skipped inputs and encodings noted on the way.

    Nothing holds the whole corpus: each text goes to the pipeline and into the fact store, and
    only the texts still in flight are kept (`texts`, emptied by `take_text`)."""

    def __init__(self, items: Iterable[Document | InputError], keep_texts: bool) -> None:
        self.items = iter(items)
        self.keep_texts = keep_texts
        self.skipped: list[str] = []
        self.notes: list[str] = []  # warnings about documents that were read
        self.encodings: Counter[str] = Counter()
        self.count = 0
        self.texts: dict[str, str] = {}
        self.seen: dict[str, int] = {}
        self.first = self._next()

    def _next(self) -> Document | None:
        for item in self.items:
            if isinstance(item, InputWarning):  # read all the same
                self.notes.append(str(item))
                continue
            if isinstance(item, InputError):
                self.skipped.append(str(item))
                continue
            n = self.seen.get(item.doc_id, 0) + 1  # a.txt in two folders becomes a, a-2
            self.seen[item.doc_id] = n
            if n > 1:
                item.doc_id = f"{item.doc_id}-{n}"
            return item
        return None

    def __iter__(self) -> Iterator[Document]:
        doc = self.first
        while doc is not None:
            self.count += 1
            self.encodings[
                doc.encoding + (" (Traditional, analysed as Simplified)" if doc.original else "")
            ] += 1
            self.texts[doc.doc_id] = doc.text
            yield doc
            doc = self._next()

    def take_text(self, doc_id: str) -> str | None:
        return self.texts.get(doc_id) if self.keep_texts else self.texts.pop(doc_id, None)

    def report(self, on_skip: Callable[[str], None] | None) -> None:
        """Hand the warnings (documents read with a caveat, then inputs skipped) to the caller."""
        for message in self.notes + self.skipped:
            if on_skip:
                on_skip(message)

    def nothing_readable(self) -> InputError:
        if len(self.skipped) == 1:
            return InputError(self.skipped[0])
        return InputError(
            f"no readable documents ({len(self.skipped)} inputs skipped: {'; '.join(self.skipped[:3])}"
            + (" ..." if len(self.skipped) > 3 else "")
            + ")"
        )


def relative_source(source: str, root: Path) -> str:
    """dcterms:source as a path relative to the input given (a folder: the path inside it, a file: its
    name), in / form; JSON Lines keep their ":line". The same file then gives the same triples whatever
    the working directory, and no path of the building machine is written."""
    prefix = str(root)
    if not source.startswith(prefix):
        return source
    rest = source[len(prefix) :]
    if root.is_dir():
        return Path(rest.lstrip("/\\")).as_posix() if rest.strip("/\\") else root.name
    return root.name + rest  # the file itself, or file.jsonl:12, file.txt#chars=...


def _documents_under(paths: list[Path]) -> Iterator[Document | InputError]:
    """iter_documents, one input at a time, with each document's source relative to its input."""
    for root in paths:
        for item in iter_documents([root]):
            if isinstance(item, Document):
                item.source = relative_source(item.source, root)
            yield item


def _select(graph: nx.MultiDiGraph, min_confidence: float | None, keep: int | None) -> nx.MultiDiGraph:
    """The part of the graph the researcher asked for (plankg.graph.filtering)."""
    if min_confidence is not None:
        graph = filter_by_confidence(graph, min_confidence)
    return graph if keep is None else limit_evidence(graph, keep)


def build(
    inputs: Iterable[str | Path] | None = None,
    out_dir: str | Path | None = None,
    formats: Iterable[str] = ("graphml", "ttl"),
    progress: Callable[[Iterable, int | None], Iterable] | None = None,
    on_skip: Callable[[str], None] | None = None,
    documents: list[Document] | None = None,
    update: bool = False,
    n_process: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    min_confidence: float | None = None,
    evidence: str | int = "all",
) -> BuildResult:
    """Build one graph from .txt files, folders and JSONL files (the sample document by default).

    Unreadable documents are skipped with a message; an InputError is raised only when
    nothing at all could be read. With an output folder, per-document facts are kept in
    DIR/facts.sqlite; `update=True` adds the inputs to that store (replacing documents seen
    again) and rebuilds the graph from it, without reading the earlier texts. Documents are
    read, analysed and stored one after another; only the graph grows with the corpus.

    `min_confidence` leaves out nodes and edges below it, `evidence` ("all", "first", "none" or a number)
    caps the supporting sentences kept per fact; both shape what is returned and written, while the
    fact store keeps everything.
    """
    keep_evidence = parse_evidence(evidence)  # a bad choice fails before any work
    paths = [Path(p) for p in inputs] if inputs else [SAMPLE]
    items = list(documents) if documents is not None else _documents_under(paths)
    reader = _Reader(items, keep_texts=out_dir is None)
    if reader.first is None:  # fail before loading the pipeline
        raise reader.nothing_readable()
    if engine == "dask":
        from .distributed import analyse_on_dask

        facts: Iterable[DocumentFacts] = analyse_on_dask(
            list(reader), scheduler=scheduler, workers=max(n_process, 2)
        )
    else:
        facts = analyse(reader, n_process=n_process)
    if progress is not None:
        facts = progress(facts, len(documents) if documents is not None else None)
    if out_dir is None:
        graph = _select(GraphBuilder().build(facts), min_confidence, keep_evidence)
        reader.report(on_skip)
        return BuildResult(
            graph, reader.count, reader.skipped, texts=reader.texts, encodings=dict(reader.encodings)
        )
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stored, pending = out / STORE_NAME, out / (STORE_NAME + ".tmp")
    pending.unlink(missing_ok=True)
    if update and stored.exists():
        shutil.copyfile(stored, pending)
    store = FactStore(pending)
    try:
        store.put_all(facts, reader.take_text)
        reader.report(on_skip)
        # the graph is always rebuilt from the store, in document-id order, so an update and
        # a full build of the same documents give the same graph
        graph = _select(GraphBuilder().build(store), min_confidence, keep_evidence)
        texts = store.texts()
    finally:
        store.close()
    result = BuildResult(graph, reader.count, reader.skipped, texts=texts, encodings=dict(reader.encodings))
    result.written = write_all(graph, out, tuple(formats), texts=texts)
    os.replace(pending, stored)  # the store moves last: a failed build leaves the old one
    return result
