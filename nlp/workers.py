"""Worker-side pipeline components for `nlp.pipe(n_process=N)`: Docs that cross processes.

spaCy ships every analysed Doc back to the parent with `doc.to_bytes()` (msgpack of
`doc.user_data`), which cannot carry plankg's Doc extensions (Mention, Section ... objects).
So `plankg_pack`, last, turns the Doc into its DocumentFacts with `doc_to_facts`, exactly as in
process, and hands on an empty Doc with only those facts, pickled; the parent unpickles them.

With `as_tuples`, spaCy makes the Docs, that is segments the texts, in the parent before
sending them to the workers; segmentation is about half of the work. So the parent sends
empty Docs carrying the text (`carrier`), and `plankg_segment`, first, segments it in the
worker (with `nlp.make_doc`, as in process) and sets the document's id, date and original from
its `as_tuples` context (a DocumentContext, which spaCy keeps on `doc._context`).

The component classes live in this module, so workers started by spawn or forkserver (which
unpickle the pipeline) find them as well as forked ones.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from plankg.graph.model import DocumentFacts

from .handover import doc_to_facts
from .pipeline import read

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
    def of(
        cls, doc_id: str, text: str, date: str | None, source: str, original: str | None = None
    ) -> DocumentContext:
        """The context of a document; its original is kept only when offsets carry over."""
        if original is not None and len(original) != len(text):
            original = None
        return cls(doc_id, date, source, original)

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
