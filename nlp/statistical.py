"""The statistical recognition layer: a character-level NER that generalises beyond the rules.

The inner model (plankg_statistical/model in the shipped pipeline, trained by
training/statistical.py on rule silver data over People's Daily 1998 plus MSRA person names)
tags the document's characters; its
entities are added to `doc._.mentions` with `source="statistical"`, for the labels switched on
in the component's config, under precision guards:

- a statistical span that overlaps any rule mention is dropped (rules always win, whatever the
  lengths; plankg_resolve would otherwise prefer the longer reading);
- a `Person` (or a model `Official`) becomes an `Official` only when its sentence has a title
  word (nlp/data/titles.txt) or a speech verb (nlp/data/speech_verbs.txt) within `window`
  characters of it, and no reporter / company word (记者, 董事长 ...) is that close; other
  occurrences of a name so accepted in the same document are Officials too;
- spans without a Chinese character, shorter than two characters, or made of one generic word
  (nlp/data/generic_names.txt) are dropped.

The component sits before plankg_resolve. It is added by `nlp.pipeline.create` only when the
model folder exists; `enabled = false` (or `labels = []`) in its config switches it off, e.g.
`spacy.load(path, config={"components": {"plankg_statistical": {"enabled": False}}})`.
With only person labels on, the model reads just the stretches around speech verbs.

Dev ablation (../shared/eval, 10 documents, entity F1; same code, pipelines built side by side):
rules 0.919; + Person 0.919 (every dev official already has a title: nothing added, nothing
false); + Platform / Industry / Organization / Event 0.919 each (every span they find overlaps
a rule mention); + District 0.917 (one false place); + Project 0.892 (11 false: 重大项目,
建项目 ...); all labels 0.889. Silver held-out F1 of the model: District 0.91, Person 0.66
(P 0.78), Project 0.63, Organization 0.47, Event 0.39, Industry 0.13, Platform 0.00.
Hence only `Person` is on by default: it finds untitled speakers the rules miss (赵明辉表示...)
behind its guards; the other labels add nothing measurable and are noisy on silver data.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from plankg.graph.model import NodeType

from .component import KnowledgeComponent
from .facts import Mention, text_of
from .lexicon import Lexicon, LongestMatcher
from .text import CJK, SENT_OR_LINE_END, sentence_around

MODELS_DIR = Path(__file__).parent / "models"
MODEL_FOLDER = "model"  # the inner model's folder inside the component's folder of a saved pipeline
# where a pipeline being built takes the inner model from: the one inside the shipped pipeline
SHIPPED_MODEL = MODELS_DIR / "plankg_zh" / "plankg_statistical" / MODEL_FOLDER
# labels whose statistical mentions are used; chosen by the dev ablation (see above)
DEFAULT_LABELS = ["Person"]
PERSON_LABELS = ("Person", NodeType.OFFICIAL)
CONTEXT = 10  # characters of context on each side (the CNN sees 4, the NER state a few more)
# words that make a nearby name a reporter's, a photographer's or a company executive's
NOT_OFFICIAL = (
    "记者",
    "通讯员",
    "摄影",
    "摄",
    "编辑",
    "作者",
    "责编",
    "实习生",
    "董事长",
    "总经理",
    "总裁",
    "经理",
    "创始人",
    "负责人",
    "教授",
    "院士",
    "村民",
    "市民",
    "居民",
)


def available(model: Path = SHIPPED_MODEL) -> bool:
    """True when the trained statistical model is installed."""
    return (Path(model) / "config.cfg").exists()


class StatisticalRecognizer(KnowledgeComponent):
    files = ("titles.txt", "speech_verbs.txt", "generic_names.txt")

    def __init__(self, name: str, labels: list[str], enabled: bool, window: int) -> None:
        super().__init__(name)
        self.labels = set(labels)
        self.enabled = enabled and bool(self.labels)
        self.window = window
        self.inner: Language | None = None

    def initialize(
        self, get_examples=None, *, nlp=None, data_dir: str | None = None, model: str | None = None
    ) -> None:
        """Read the data files and the inner model (`model`: a trained model's folder, by default
        the one inside the shipped pipeline; `[initialize.components.plankg_statistical]`)."""
        super().initialize(get_examples, nlp=nlp, data_dir=data_dir)
        self.load_inner(Path(model) if model else SHIPPED_MODEL)

    def load_inner(self, path: Path) -> None:
        if not self.enabled:
            return
        if (path / "config.cfg").exists():
            self.inner = spacy.load(path)
        else:
            warnings.warn(f"plankg_statistical: no model at {path}; the layer is off", stacklevel=2)
            self.enabled = False

    def to_disk(self, path: str | Path, *, exclude=()) -> None:
        super().to_disk(path, exclude=exclude)
        if self.inner is not None:
            self.inner.to_disk(Path(path) / MODEL_FOLDER)

    def from_disk(self, path: str | Path, *, exclude=()) -> StatisticalRecognizer:
        super().from_disk(path, exclude=exclude)
        self.load_inner(Path(path) / MODEL_FOLDER)
        return self

    def prepare(self, lexicon: Lexicon) -> None:
        speech = lexicon.lines("speech_verbs.txt")
        self.cues = LongestMatcher([*lexicon.lines("titles.txt"), *speech])
        # where the model reads: a titled name is the rules' (区委书记林则安), so what is left for
        # the model is a name next to a speech verb without a title (林则安表示)
        self.readings = LongestMatcher(speech)
        self.vetoes = LongestMatcher(NOT_OFFICIAL)
        self.generic = lexicon.words("generic_names.txt")

    # -- guards ---------------------------------------------------------------------------------
    def near(self, matcher: LongestMatcher, text: str, start: int, end: int) -> bool:
        """A word of `matcher` within `window` characters of [start, end), in the same sentence."""
        lo, hi = sentence_around(text, start, end)
        lo, hi = max(lo, start - self.window), min(hi, end + self.window)
        for i in range(lo, hi):
            if start <= i < end:
                continue
            word = matcher.match_at(text, i)
            if word and i + len(word) <= hi and (i >= end or i + len(word) <= start):
                return True
        return False

    def is_official(self, text: str, start: int, end: int) -> bool:
        return self.near(self.cues, text, start, end) and not self.near(self.vetoes, text, start, end)

    def plausible(self, name: str, label: str) -> bool:
        if len(name) < 2 or not CJK.search(name) or name in self.generic:
            return False
        if label in PERSON_LABELS:
            return 2 <= len(name) <= 4 and all(CJK.match(c) or c == "·" for c in name)
        return name[0] not in '，。、；：,.;:（）()“”"' and name[-1] not in '，。、；：,.;:（“"'

    # -- the component --------------------------------------------------------------------------
    def segments(self, text: str, speakers: bytearray | None = None) -> list[tuple[int, str]]:
        """(offset, text) pieces the inner model reads. With only person labels on, only the
        stretches around speech verbs are read (plus `CONTEXT` characters on each side for the
        CNN): a name right after a title is found by the rules, so reading around every title
        cost a fifth of the build for nothing on dev. A verb whose speaker slot (the `window`
        characters before it) holds an official the rules found (区委书记林则安表示) is skipped too.
        With other labels on, the whole text."""
        if not self.labels <= set(PERSON_LABELS):
            return [(0, text)]
        spans: list[list[int]] = []
        for i, word in self.readings.starts(text):
            reach = max(0, i - self.window - CONTEXT)  # nothing before this is read
            sent_start = max((text.rfind(end, reach, i) for end in SENT_OR_LINE_END), default=-1) + 1
            slot = max(sent_start, i - self.window)
            if speakers is not None and slot < i and any(speakers[slot:i]):
                continue
            lo = max(sent_start, i - self.window - CONTEXT)
            while lo < i and text[lo].isspace():  # the model never saw leading blanks
                lo += 1
            hi = i + len(word) + self.window + CONTEXT
            stop = next((k for k in range(i, min(hi, len(text))) if text[k] in SENT_OR_LINE_END), None)
            hi = min(hi, len(text)) if stop is None else stop + 1
            if spans and lo <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], hi)
            else:
                spans.append([lo, hi])
        return [(lo, text[lo:hi]) for lo, hi in spans]

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        """Documents a batch at a time: the pieces of all documents of a batch go through the inner
        model together (its network runs on one batch instead of one per document; the same
        entities, the network reads each piece alone)."""
        self._ready()
        for batch in minibatch(docs, batch_size):
            if not self.enabled or self.inner is None:
                yield from batch
                continue
            readings = [self.reading(doc) for doc in batch]
            parsed = iter(self.inner.pipe([p for _, pieces in readings for _, p in pieces]))
            for doc, (taken, pieces) in zip(batch, readings, strict=True):
                yield self.found(doc, taken, pieces, [next(parsed) for _ in pieces])

    def annotate(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def reading(self, doc: Doc) -> tuple[bytearray, list[tuple[int, str]]]:
        """The characters the rules took, and the pieces of the text the inner model reads."""
        text = text_of(doc)
        taken = bytearray(len(text) + 1)
        speakers = bytearray(len(text) + 1)  # characters of the officials the rules found
        for m in doc._.mentions or []:
            for i in range(max(0, m.start), min(len(text), m.end)):
                taken[i] = 1
                if m.label == NodeType.OFFICIAL:
                    speakers[i] = 1
        return taken, self.segments(text, speakers)

    def found(self, doc: Doc, taken: bytearray, pieces: list[tuple[int, str]], parsed: list[Doc]) -> Doc:
        """The document with the inner model's entities in the pieces added under the guards."""
        text = text_of(doc)
        mentions = doc._.mentions if doc._.mentions is not None else []
        persons: list[tuple[int, int, str]] = []
        found: list[Mention] = []
        for (offset, _), piece in zip(pieces, parsed, strict=True):
            for ent in piece.ents:
                start, end, label = offset + ent.start_char, offset + ent.end_char, ent.label_
                name = text[start:end]
                if any(taken[start:end]) or not self.plausible(name, label):
                    continue
                if label in PERSON_LABELS:
                    if self.labels & set(PERSON_LABELS):
                        persons.append((start, end, name))
                elif label in self.labels:
                    found.append(Mention(start, end, NodeType(label), name, source="statistical"))
        # a name accepted once is an official wherever else the document names it
        accepted = {name for start, end, name in persons if self.is_official(text, start, end)}
        for name in sorted(accepted):
            for m in re.finditer(re.escape(name), text):
                if not any(taken[m.start() : m.end()]):
                    found.append(
                        Mention(
                            m.start(),
                            m.end(),
                            NodeType.OFFICIAL,
                            name,
                            source="statistical",
                            attrs={"posts": []},
                        )
                    )
                    for i in range(m.start(), m.end()):
                        taken[i] = 1
        doc._.mentions = mentions + sorted(found, key=lambda m: m.start)
        return doc


@Language.factory(
    "plankg_statistical",
    assigns=["doc._.mentions"],
    requires=["doc._.mentions"],
    default_config={"labels": DEFAULT_LABELS, "enabled": True, "window": 6},
)
def make_statistical(
    nlp: Language, name: str, labels: list[str], enabled: bool, window: int
) -> StatisticalRecognizer:
    """labels: the model labels used; window: how near a title or speech verb a name must be."""
    return StatisticalRecognizer(name, labels, enabled, window)
