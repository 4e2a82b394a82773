"""The base of plankg's pipeline components: knowledge from data files, saved with the pipeline.

spaCy's own components keep what they learned or were given (an EntityRuler's patterns, a
tagger's weights) inside the pipeline folder. plankg's recognisers know data files instead
(titles, suffix grammars, word lists in nlp/data); a component names the files it reads, reads
them in `initialize` (`nlp.initialize()`, when a pipeline is built), writes them into its folder
of a saved pipeline with `to_disk` and reads them back with `from_disk` (`spacy.load`), so the
packaged pipeline is self-contained. A component added to a blank pipeline and used without
`nlp.initialize()` reads the shipped files on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ClassVar

from spacy.tokens import Doc

from .lexicon import DATA_DIR, Lexicon


class KnowledgeComponent:
    files: ClassVar[tuple[str, ...]] = ()  # the data files this component reads (names in nlp/data)

    def __init__(self, name: str) -> None:
        self.name = name
        self.lexicon: Lexicon | None = None

    # -- knowledge ----------------------------------------------------------------------------
    def initialize(
        self, get_examples: Callable[[], Iterable] | None = None, *, nlp=None, data_dir: str | None = None
    ) -> None:
        """Read the component's data files from `data_dir` (default: the shipped nlp/data)."""
        self.load(Lexicon.read(Path(data_dir) if data_dir else DATA_DIR, self.files))

    def load(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.prepare(lexicon)

    def prepare(self, lexicon: Lexicon) -> None:
        """Build matchers and tables from the lexicon (subclasses)."""

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        self._ready().write(Path(path))

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> KnowledgeComponent:
        self.load(Lexicon.read(Path(path), self.files))
        return self

    def _ready(self) -> Lexicon:
        if self.lexicon is None:
            self.initialize()
        assert self.lexicon is not None
        return self.lexicon

    # -- the component ------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        self._ready()
        return self.annotate(doc)

    def annotate(self, doc: Doc) -> Doc:  # pragma: no cover - every component defines it
        raise NotImplementedError
