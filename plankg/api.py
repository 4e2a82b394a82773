"""The public entry point: documents in, one knowledge graph out."""

from __future__ import annotations

import gc
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from plankg.exports import GRAPH_STEM, write_all
from plankg.exports.atomic import locked_folder, remove_stale, replace_together
from plankg.graph.builder import GraphBuilder, summary
from plankg.graph.filtering import filter_by_confidence, limit_evidence, parse_evidence
from plankg.graph.model import DocumentFacts
from plankg.nlp.handover import doc_to_facts
from plankg.nlp.pipeline import load

from .sources import Document, DocumentIds, InputError, InputWarning, iter_documents
from .store import STORE_NAME, FactStore, Record, Row, StoredTexts, StoreError, from_json

SAMPLE = Path(__file__).parent / "sample" / "sample_plan_news.txt"


@dataclass
class BuildResult:
    graph: nx.MultiDiGraph
    documents: int
    skipped: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    # doc id -> text as analysed (with an output folder: read from its fact store when asked for)
    texts: Mapping[str, str] = field(default_factory=dict, repr=False)
    encodings: dict[str, int] = field(default_factory=dict)  # how the documents read were encoded
    added: int = 0  # documents new to the build in the output folder
    replaced: int = 0  # documents that were in it and were read again
    total: int = 0  # documents the build in the output folder holds now

    @property
    def summary(self) -> dict[str, dict[str, int]]:
        return summary(self.graph)


def analyse(documents: Iterable[Document], batch_size: int | None = None, n_process: int = 1):
    """Run the NLP pipeline over documents, yielding per-document facts in input order.

    With `n_process` other than 1, worker processes run the pipeline (see plankg.distributed); the
    facts are the same.
    """
    from .distributed import analyse_in_processes, context

    if n_process != 1:
        yield from analyse_in_processes(documents, n_process, batch_size)
        return
    nlp = load()
    gc.freeze()  # the pipeline lives as long as the process: collections need not walk it (~3% of analysis)
    docs = ((context(d).apply(nlp.make_doc(d.text)), d.source) for d in documents)
    for doc, source in nlp.pipe(docs, as_tuples=True, batch_size=batch_size or 16):
        yield doc_to_facts(doc, source)


class BuildError(Exception):
    """A build that must not go ahead (an --update folder that holds no build); one line for the user."""


class _Reader:
    """Documents from the inputs as a stream: skipped inputs and encodings noted on the way.

    Nothing holds the whole corpus: each text goes to the pipeline and into the fact store, and
    only the documents still in flight are kept (`inflight`, emptied by `row`). Warnings about an
    input are told as it is read, not after the analysis; those before the first readable document
    wait for it (when there is none, they make the one error instead)."""

    def __init__(
        self,
        items: Iterable[Document | InputError],
        keep_texts: bool,
        on_warning: Callable[[str], None] | None = None,
    ) -> None:
        self.items = iter(items)
        self.keep_texts = keep_texts
        self.on_warning = on_warning
        self.skipped: list[str] = []
        self.held: list[str] | None = []  # warnings waiting for the first document; None once it is read
        self.encodings: Counter[str] = Counter()
        self.count = 0  # whole documents read (a long text analysed in parts counts once)
        self.texts: dict[str, str] = {}
        self.inflight: dict[str, Document] = {}
        self.first = self._next()
        for message in self.held if self.first is not None else []:
            self._tell(message, now=True)
        if self.first is not None:
            self.held = None

    def _tell(self, message: str, now: bool = False) -> None:
        if self.held is not None and not now:
            self.held.append(message)
        elif self.on_warning is not None:
            self.on_warning(message)

    def _next(self) -> Document | None:
        for item in self.items:
            if not isinstance(item, InputWarning) and isinstance(item, InputError):
                self.skipped.append(str(item))
            if isinstance(item, InputError):
                self._tell(str(item))
                continue
            return item
        return None

    def __iter__(self) -> Iterator[Document]:
        doc = self.first
        while doc is not None:
            if doc.part == 1:
                self.count += 1
                self.encodings[
                    doc.encoding + (" (Traditional, analysed as Simplified)" if doc.original else "")
                ] += 1
            if self.keep_texts:
                self.texts[doc.doc_id] = doc.text
            self.inflight[doc.doc_id] = doc
            yield doc
            doc = self._next()

    def row(self, doc_id: str) -> Row:
        """What the store keeps beside a document's facts; the document leaves the reader."""
        doc = self.inflight.pop(doc_id, None)
        if doc is None:
            return Row(None, doc_id, None)
        return Row(doc.text, doc.document, doc.origin)

    def track(
        self, facts: Iterable[DocumentFacts | Record], on_progress: Callable[[str], None] | None
    ) -> Iterator[DocumentFacts | Record]:
        """Pass the facts on, telling how far a text analysed in parts has got (some 20 lines a file)."""
        for f in facts:
            doc = self.inflight.get(f.doc_id)
            if on_progress is not None and doc is not None and doc.parts > 1:
                step = max(1, doc.parts // 20)
                if doc.part % step == 0 or doc.part == doc.parts:
                    name = doc.source.split("#chars=")[0]
                    on_progress(f"{name}: part {doc.part:,} of {doc.parts:,} analysed")
            yield f

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


def _documents_under(paths: list[Path], ids: DocumentIds) -> Iterator[Document | InputError]:
    """iter_documents, one input at a time, with each document's source relative to its input."""
    for root in paths:
        for item in iter_documents([root], ids):
            if isinstance(item, Document):
                item.source = relative_source(item.source, root)
            yield item


def _select(graph: nx.MultiDiGraph, min_confidence: float | None, keep: int | None) -> nx.MultiDiGraph:
    """The part of the graph the researcher asked for (plankg.graph.filtering)."""
    if min_confidence is not None:
        graph = filter_by_confidence(graph, min_confidence)
    return graph if keep is None else limit_evidence(graph, keep)


def _with_ids(documents: Iterable[Document], ids: DocumentIds) -> Iterator[Document | InputError]:
    """Documents given as objects get unique ids the same way files do."""
    for doc in documents:
        note = ids.assign(doc)
        if note is not None:
            yield note
            if not isinstance(note, InputWarning):
                continue
        yield doc


def _analyse(
    reader: _Reader, n_process: int, engine: str, scheduler: str | None, records: bool
) -> Iterable[DocumentFacts | Record]:
    """The facts of the reader's documents; with `records`, workers may hand them over already in the
    fact store's form."""
    if engine == "dask":
        from .distributed import analyse_on_dask

        return analyse_on_dask(reader, scheduler=scheduler, workers=max(n_process, 2))
    if n_process != 1:
        from .distributed import analyse_in_processes

        return analyse_in_processes(reader, n_process, records=records)
    return analyse(reader)


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
    base: str | Path | None = None,
    on_progress: Callable[[str], None] | None = None,
    min_confidence: float | None = None,
    evidence: str | int = "all",
) -> BuildResult:
    """Build one graph from .txt files, folders and JSONL files (the sample document by default).

    Unreadable documents are skipped with a message (`on_skip`, as each input is read); an
    InputError is raised only when nothing at all could be read. With an output folder,
    per-document facts are kept in DIR/facts.sqlite; `update=True` adds the inputs to the build in
    `base` (default: DIR; a BuildError unless it holds a fact store), replacing documents seen
    again, and writes the result to DIR without reading the earlier texts. Documents are read,
    analysed and stored one after another; only the graph grows with the corpus.

    Nothing is replaced until everything is written: the exports are renamed into place together,
    the store last; a build that fails or is interrupted removes its temporary files and leaves the
    previous output as it was. A second build into the same DIR meanwhile fails with FolderBusy.

    `min_confidence` leaves out nodes and edges below it, `evidence` ("all", "first", "none" or a number)
    caps the supporting sentences kept per fact; both shape what is returned and written, while the
    fact store keeps everything.
    """
    keep_evidence = parse_evidence(evidence)  # a bad choice fails before any work
    paths = [Path(p) for p in inputs] if inputs else [SAMPLE]

    def read(ids: DocumentIds, keep_texts: bool) -> _Reader:
        items = _with_ids(documents, ids) if documents is not None else _documents_under(paths, ids)
        reader = _Reader(items, keep_texts=keep_texts, on_warning=on_skip)
        if reader.first is None:  # fail before loading the pipeline
            raise reader.nothing_readable()
        return reader

    def analysed(reader: _Reader, records: bool = False) -> Iterable[DocumentFacts | Record]:
        facts = reader.track(_analyse(reader, n_process, engine, scheduler, records), on_progress)
        return progress(facts, len(documents) if documents is not None else None) if progress else facts

    if out_dir is None:
        reader = read(DocumentIds(), keep_texts=True)
        graph = _select(GraphBuilder().build(analysed(reader)), min_confidence, keep_evidence)
        return BuildResult(
            graph, reader.count, reader.skipped, texts=reader.texts, encodings=dict(reader.encodings)
        )
    out = Path(out_dir)
    previous = Path(base) if update and base is not None else out
    if update and not (previous / STORE_NAME).is_file():
        raise BuildError(
            f"--update {previous}: not a plankg build (no {STORE_NAME} there); nothing was written."
            f" Build it first with --out {previous}"
        )
    created = not out.exists()
    try:
        with locked_folder(out):
            remove_stale(out)  # what a killed build left
            stored, pending = out / STORE_NAME, out / (STORE_NAME + ".tmp")
            pending.unlink(missing_ok=True)
            ids = DocumentIds(_stored_ids(previous / STORE_NAME) if update else None)
            replacing = None if update else _earlier_build(out)
            try:
                _claim(pending)
                reader = read(ids, keep_texts=False)
                if update:
                    shutil.copyfile(previous / STORE_NAME, pending)
                store = FactStore(pending)
                try:
                    # the graph is the store's, in document-id order, so an update and a full build of
                    # the same documents give the same graph; while the documents arrive in that order
                    # it grows as they are stored, else it is rebuilt from the store afterwards
                    growing = None if update else _InOrderGraph()
                    counts = store.put_all(
                        analysed(reader, records=True),
                        reader.row,
                        growing.add if growing is not None else None,
                    )
                    with paused_gc():
                        if growing is not None and growing.in_order and not counts.replaced:
                            built = growing.builder.finish()
                        else:
                            built = GraphBuilder().build(store)
                        graph = _select(built, min_confidence, keep_evidence)
                    total = store.documents()
                finally:
                    store.close()
                texts = StoredTexts(pending)  # read per document by the RDF writers, not all at once
                try:
                    with replace_together(), paused_gc():
                        written = write_all(
                            graph,
                            out,
                            tuple(formats),
                            texts=texts,
                            workers=n_process if n_process > 0 else os.cpu_count() or 1,
                        )
                finally:
                    texts.close()
                os.replace(pending, stored)  # the store moves last: a failed build leaves the old one
            except BaseException:
                pending.unlink(missing_ok=True)
                raise
    except BaseException:
        if created and out.is_dir() and not any(out.iterdir()):
            out.rmdir()  # a failed first build leaves no empty folder behind
        raise
    message = replacing(set(ids.owner)) if replacing is not None else None
    if message and on_skip is not None:
        on_skip(message)
    return BuildResult(
        graph,
        reader.count,
        reader.skipped,
        written,
        StoredTexts(stored),
        dict(reader.encodings),
        added=counts.added,
        replaced=counts.replaced,
        total=total,
    )


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while the graph is resolved and written: those steps make millions
    of small acyclic objects (dicts, tuples, RDF terms), and every collection would walk the whole
    graph again for nothing (about a fifth of the export's time). Collected at the end."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class _InOrderGraph:
    """The graph of the store, grown from each record as it is stored, for as long as the records come
    in the order the store reads them back (document id); the record is decoded from the stored JSON,
    so the builder sees what a rebuild from the store would. Building overlaps the analysis instead of
    waiting for its end (with --jobs, the parent builds while the workers analyse)."""

    def __init__(self) -> None:
        self.builder = GraphBuilder()
        self.last: str | None = None
        self.in_order = True

    def add(self, doc_id: str, record: str) -> None:
        if not self.in_order:
            return
        if self.last is not None and doc_id <= self.last:
            self.in_order, self.builder = False, GraphBuilder()  # rebuilt from the store instead
            return
        self.last = doc_id
        self.builder.add_document(from_json(record))


def _stored_ids(store: Path) -> dict[str, str | None]:
    try:
        return FactStore.index(store)
    except StoreError as exc:
        raise StoreError(f"{exc}; a build without --update starts anew") from None


def _claim(pending: Path) -> None:
    """Create the store's temporary file before any analysis: a folder that cannot be written fails at
    once, and says so (SQLite would only say "unable to open database file")."""
    try:
        pending.touch(exist_ok=False)
    except OSError as exc:
        raise OSError(f"{pending.parent}: the folder cannot be written ({exc.strerror or exc})") from None


def _earlier_build(out: Path) -> Callable[[set[str]], str | None] | None:
    """What a full build into `out` replaces: a message naming it, when it held other documents."""
    store = out / STORE_NAME
    if store.is_file():
        try:
            before = set(FactStore.index(store))
        except StoreError as exc:
            unreadable = f"{out}: replaced an earlier build whose store could not be read ({exc})"
            return lambda _: unreadable

        def message(now: set[str]) -> str | None:
            gone = before - now
            if not gone:
                return None
            return (
                f"{out}: replaced the earlier build there ({len(before):,} documents, {len(gone):,} of them not"
                f" in this build); --update {out} adds documents to a build instead"
            )

        return message
    graphs = sorted(p.name for p in out.glob(f"{GRAPH_STEM}.*") if p.is_file())
    if graphs:
        return lambda _: (
            f"{out}: replaced {', '.join(graphs)}, from a build without a fact store ({STORE_NAME})"
        )
    return None
