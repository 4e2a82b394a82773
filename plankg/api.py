"""The public entry point: documents in, one knowledge graph out."""

from __future__ import annotations

import os
import shutil
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from exports import write_all
from graph.builder import GraphBuilder, summary
from nlp.pipeline import load

from .extract import doc_to_facts
from .sources import Document, InputError, iter_documents
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
    from .distributed import DocumentContext, analyse_in_processes

    if n_process != 1:
        yield from analyse_in_processes(documents, n_process, batch_size)
        return
    nlp = load()
    docs = ((DocumentContext.of(d).apply(nlp.make_doc(d.text)), d.source) for d in documents)
    for doc, source in nlp.pipe(docs, as_tuples=True, batch_size=batch_size or 16):
        yield doc_to_facts(doc, source)


def build(
    inputs: Iterable[str | Path] | None = None,
    out_dir: str | Path | None = None,
    formats: Iterable[str] = ("graphml", "ttl"),
    progress: Callable[[Iterable, int], Iterable] | None = None,
    on_skip: Callable[[str], None] | None = None,
    documents: list[Document] | None = None,
    update: bool = False,
    n_process: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
) -> BuildResult:
    """Build one graph from .txt files, folders and JSONL files (the sample document by default).

    Unreadable documents are skipped with a message; an InputError is raised only when
    nothing at all could be read. With an output folder, per-document facts are kept in
    DIR/facts.sqlite; `update=True` adds the inputs to that store (replacing documents seen
    again) and rebuilds the graph from it, without reading the earlier texts.
    """
    paths = [Path(p) for p in inputs] if inputs else [SAMPLE]
    skipped: list[str] = []
    readable: list[Document] = list(documents or [])
    for item in [] if documents is not None else iter_documents(paths):
        if isinstance(item, InputError):
            skipped.append(str(item))
        else:
            readable.append(item)
    if not readable:
        if len(skipped) == 1:
            raise InputError(skipped[0])
        raise InputError(
            f"no readable documents ({len(skipped)} inputs skipped: {'; '.join(skipped[:3])}"
            + (" ..." if len(skipped) > 3 else "")
            + ")"
        )
    for message in skipped:
        if on_skip:
            on_skip(message)
    seen: dict[str, int] = {}
    for doc in readable:  # ids must be unique: a.txt in two folders becomes a, a-2
        n = seen.get(doc.doc_id, 0) + 1
        seen[doc.doc_id] = n
        if n > 1:
            doc.doc_id = f"{doc.doc_id}-{n}"
    if engine == "dask":
        from .distributed import analyse_on_dask

        facts = analyse_on_dask(readable, scheduler=scheduler, workers=max(n_process, 2))
    elif n_process > 1:
        facts = analyse(readable, n_process=n_process)
    else:
        facts = analyse(readable)
    if progress is not None:
        facts = progress(facts, len(readable))
    texts = {d.doc_id: d.text for d in readable}
    encodings = dict(
        Counter(
            d.encoding + (" (Traditional, analysed as Simplified)" if d.original else "") for d in readable
        )
    )
    if out_dir is None:
        return BuildResult(
            GraphBuilder().build(facts), len(readable), skipped, texts=texts, encodings=encodings
        )
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stored, pending = out / STORE_NAME, out / (STORE_NAME + ".tmp")
    pending.unlink(missing_ok=True)
    if update and stored.exists():
        shutil.copyfile(stored, pending)
    store = FactStore(pending)
    try:
        for _ in store.put_all(facts, texts):
            pass
        # the graph is always rebuilt from the store, in document-id order, so an update and
        # a full build of the same documents give the same graph
        graph = GraphBuilder().build(store)
        texts = store.texts()
    finally:
        store.close()
    result = BuildResult(graph, len(readable), skipped, texts=texts, encodings=encodings)
    result.written = write_all(graph, out, tuple(formats), texts=texts)
    os.replace(pending, stored)  # the store moves last: a failed build leaves the old one
    return result


def main_error(message: str) -> None:
    print(f"plankg: error: {message}", file=sys.stderr)
