"""The learned recogniser: a character CRF that decides, for all seven entity types, which
names the document holds, with the rules' candidates among its features.

The rule components before it propose candidates (overlapping, from suffix grammars,
gazetteers, titles, lexicons); this component tags every character (BIO) with a CRF trained on
annotated articles (training/learn.py) and keeps the spans it finds. A span the rules also
proposed keeps the rule mention (its canonical name, division code, posts); a new span gets a
mention of its own, keyed the way the rules would key it. Each mention carries the model's
confidence: the mean marginal probability of its characters' labels.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from plankg.graph.divisions import Division, divisions
from plankg.graph.model import Level, NodeType

from .charfeatures import FILES, CharFeatures, bio_spans
from .component import KnowledgeComponent
from .facts import LEADING, Mention, text_of
from .industries import sector_name
from .lexicon import Lexicon
from .resolve import choose

MODEL_FILE = "crf.model"
CALIBRATION_FILE = "calibration.json"  # [[raw, calibrated], ...]: isotonic steps from training/learn.py
LEVEL_RANK = {level: rank for rank, level in enumerate(Level)}
# the level of a place the gazetteer does not list (villages, communities), from its last characters
LEVEL_BY_SUFFIX = (
    ("省", Level.PROVINCE),
    ("市", Level.CITY),
    ("州", Level.CITY),
    ("盟", Level.CITY),
    ("县", Level.COUNTY),
    ("区", Level.COUNTY),
    ("旗", Level.COUNTY),
)


# a learned span that runs over one of these marks joins two clauses: only what follows the last is a name
# (省农业农村厅牵头，县交通运输局 -> 县交通运输局); gold names hold none but the list mark 、
CLAUSE_MARKS = frozenset("，,。；;：:！!？?")
NESTS_PLACES = (NodeType.PLATFORM, NodeType.PROJECT, NodeType.EVENT)  # not organisations (长沙晚报)


def read_calibration(folder: Path) -> list[list[float]]:
    file = Path(folder) / CALIBRATION_FILE
    return json.loads(file.read_text(encoding="utf-8")) if file.exists() else []


def division_attrs(surface: str) -> tuple[str, dict]:
    """Canonical name, code and level of a place written `surface`: the highest-level division of
    that full name or short form in the gazetteer; else the surface itself, its level guessed
    from its suffix (a village or community is below the gazetteer's towns: town)."""
    index = divisions()
    options = (
        index.by_name.get(surface)
        or index.by_short.get(surface)
        or inner_division(surface)
        or (index.by_short.get(surface[1:]) if surface.startswith("大") else None)  # 大成都: 成都 writ large
    )
    if options:
        best = min(options, key=lambda d: (LEVEL_RANK[d.level], d.code))
        return best.name, {"code": best.code, "level": best.level}
    level = next((lv for suffix, lv in LEVEL_BY_SUFFIX if surface.endswith(suffix)), Level.TOWN)
    return surface, {"code": "", "level": level}


def inner_division(surface: str) -> list[Division]:
    """The division a place written behind one containing it names (四川武侯区: 武侯区 of 四川), as
    a name or short form; [] unless the split is unique."""
    index = divisions()
    found = []
    for n in range(2, len(surface) - 1):
        outer = index.by_name.get(surface[:n]) or index.by_short.get(surface[:n]) or []
        inner = index.by_name.get(surface[n:]) or index.by_short.get(surface[n:]) or []
        found += [d for d in inner if any(index.is_inside(d, o) for o in outer)]
    return found if len({d.code for d in found}) == 1 else []


def abbreviated_places(mentions: list[Mention]) -> None:
    """A place the gazetteer does not know, written as the first characters of one the document names
    and its level character (克市 for 克拉玛依市 in a text naming 克拉玛依市), is that place: it takes
    its name, code and level when exactly one place of the document fits."""
    named = {m.canonical: m for m in mentions if m.label == NodeType.DISTRICT and m.attrs.get("code")}
    for m in mentions:
        if m.label != NodeType.DISTRICT or m.attrs.get("code") or len(m.canonical) < 2:
            continue
        head, level_char = m.canonical[:-1], m.canonical[-1]
        fits = [
            p
            for name, p in named.items()
            if len(name) > len(m.canonical) and name.startswith(head) and name.endswith(level_char)
        ]
        if len(fits) == 1:
            m.canonical = fits[0].canonical
            m.attrs = {**m.attrs, "code": fits[0].attrs["code"], "level": fits[0].attrs["level"]}


def mean_marginal(tagger, labels: list[str], start: int, end: int) -> float:
    """The raw confidence of the span [start, end) read as `labels`: the mean marginal probability the
    CRF gives each of its characters' label."""
    return sum(tagger.marginal(labels[i], i) for i in range(start, end)) / (end - start)


def after_clause_marks(text: str, start: int, end: int) -> int:
    """Where the name in text[start:end] starts: after the span's last clause mark, if any."""
    for i in range(end - 1, start - 1, -1):
        if text[i] in CLAUSE_MARKS:
            return i + 1
    return start


class LearnedRecognizer(KnowledgeComponent):
    files = (*FILES, "name_stop_verbs.txt")

    def __init__(
        self,
        name: str,
        enabled: bool,
        use_candidates: bool,
        keep_candidates: bool,
        keep_threshold: float,
        line_break_confidence: float,
        posterior_types: list[str],
        posterior_o_weight: float,
    ) -> None:
        super().__init__(name)
        self.enabled = enabled
        self.use_candidates = use_candidates
        self.keep_candidates = keep_candidates
        self.keep_threshold = keep_threshold
        self.line_break_confidence = line_break_confidence
        self.posterior_types = frozenset(NodeType(t) for t in posterior_types)
        self.posterior_o_weight = posterior_o_weight
        self.model: bytes | None = None
        self.calibration: list[list[float]] = []
        self._tagger = None
        self._steps: tuple | None = None  # the calibration as arrays (see calibrated)

    # -- knowledge and weights ------------------------------------------------------------
    def prepare(self, lexicon: Lexicon) -> None:
        self.features = CharFeatures(lexicon)
        # verbs that follow a name and cannot end one (许某陪同, 白某讲话): a learned name stops before them
        self.name_verbs = lexicon.matcher("name_stop_verbs.txt")

    def initialize(
        self, get_examples=None, *, nlp=None, data_dir: str | None = None, model: str | None = None
    ):
        """Read the data files and the trained CRF (`model`: a crf.model file or a folder with one;
        a folder without one leaves the component without a model: it passes the candidates on)."""
        super().initialize(get_examples, nlp=nlp, data_dir=data_dir)
        file = Path(model) / MODEL_FILE if model and Path(model).is_dir() else Path(model) if model else None
        self.set_model(file.read_bytes() if file is not None and file.exists() else None)
        self.calibration = read_calibration(file.parent) if file is not None else []

    def set_model(self, model: bytes | None) -> None:
        self.model = model
        self._tagger = None

    def to_disk(self, path: str | Path, *, exclude=()) -> None:
        super().to_disk(path, exclude=exclude)
        if self.model is not None:
            (Path(path) / MODEL_FILE).write_bytes(self.model)
        if self.calibration:
            (Path(path) / CALIBRATION_FILE).write_text(json.dumps(self.calibration), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude=()) -> LearnedRecognizer:
        super().from_disk(path, exclude=exclude)
        file = Path(path) / MODEL_FILE
        self.set_model(file.read_bytes() if file.exists() else None)
        self.calibration = read_calibration(Path(path))
        return self

    def calibrated(self, raw: float) -> float:
        """The probability that a span of this raw confidence is a right name (isotonic steps fitted on
        cross-fitted training articles); the raw value without a calibration."""
        if not self.calibration:
            return raw
        steps = self._steps
        if steps is None or steps[0] is not self.calibration:  # the steps as arrays, once per calibration
            xs, ys = zip(*self.calibration, strict=True)
            steps = self._steps = (self.calibration, numpy.asarray(xs), numpy.asarray(ys))
        return float(numpy.interp(raw, steps[1], steps[2]))

    def tagger(self):
        """The crfsuite tagger, opened from the model bytes (once per process)."""
        if self._tagger is None:
            import tempfile

            import pycrfsuite

            with tempfile.NamedTemporaryFile(suffix=".crf") as tmp:  # crfsuite opens files only
                tmp.write(self.model)
                tmp.flush()
                tagger = pycrfsuite.Tagger()
                tagger.open(tmp.name)  # the model is read into memory here
            self._tagger = tagger
        return self._tagger

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_tagger"] = None  # a crfsuite tagger does not pickle; reopened in the worker
        return state

    # -- the component --------------------------------------------------------------------------
    def annotate(self, doc: Doc) -> Doc:
        if not self.enabled or self.model is None:
            return doc
        text = text_of(doc)
        candidates = doc._.mentions or []
        if not text:
            return doc
        tokens = [(t.idx, t.idx + len(t.text)) for t in doc]
        tagger = self.tagger()
        labels = tagger.tag(self.features(text, tokens, candidates if self.use_candidates else []))
        rule = {(m.start, m.end, m.label): m for m in candidates}
        mentions = []
        taken = bytearray(len(text))
        for start, end, kind in bio_spans(labels):
            cut = after_clause_marks(text, start, end)
            if cut > start and end - cut < 2:
                continue
            start = cut
            confidence = mean_marginal(tagger, labels, start, end)
            label = NodeType(kind)
            if label == NodeType.OFFICIAL and end - start == 3 and self.verb_at(text, end - 1):
                end -= 1
            m = rule.get((start, end, label)) or self.new_mention(text, start, end, label, candidates)
            m.confidence = self.calibrated(confidence)
            mentions.append(m)
            taken[start:end] = b"\1" * (end - start)
        if self.keep_candidates:
            mentions += self.kept_candidates(tagger, candidates, taken)
        mentions += self.across_lines(text, candidates, taken)
        mentions += self.posterior_names(tagger, text, candidates, taken)
        abbreviated_places(mentions)
        doc._.mentions = mentions + self.leading_places(mentions, candidates)
        return doc

    def posterior_names(
        self, tagger, text: str, candidates: list[Mention], taken: bytearray
    ) -> list[Mention]:
        """Names of `posterior_types` the best label sequence leaves out but each character's most
        probable label finds once O counts `posterior_o_weight` of its probability: the likelier
        name where the CRF hesitates. Officials and industries gain by it on held-out articles
        (the names so found are right about three times in four and one time in three); other
        types lose (one in five), so only the chosen types are read. Where O has more than
        1 / (1 + weight) of a character's probability, no other label can win, so only the
        characters below that are read label by label."""
        if not self.posterior_types or self.posterior_o_weight >= 1.0:
            return []
        marginal = tagger.marginal
        others = [y for y in tagger.labels() if y != "O"]
        weight = self.posterior_o_weight
        ceiling = 1.0 / (1.0 + weight)
        decoded = ["O"] * len(text)
        # most characters are surely O: one call each, in a comprehension, finds the few that are not
        p_o = [marginal("O", i) for i in range(len(text))]
        for i in [i for i, p in enumerate(p_o) if p < ceiling]:
            best, label = weight * p_o[i], "O"
            for other in others:
                if (p := marginal(other, i)) > best:
                    best, label = p, other
            previous = decoded[i - 1] if i else "O"
            if label.startswith("I-") and previous[2:] != label[2:]:
                label = "B-" + label[2:]  # a name begins where its type does
            decoded[i] = label
        found = []
        for start, end, kind in bio_spans(decoded):
            label = NodeType(kind)
            if label not in self.posterior_types or end - start < 2 or any(taken[start:end]):
                continue
            if after_clause_marks(text, start, end) > start:
                continue
            m = self.new_mention(text, start, end, label, candidates)
            m.confidence = self.calibrated(mean_marginal(tagger, decoded, start, end))
            found.append(m)
            taken[start:end] = b"\1" * (end - start)
        return found

    def verb_at(self, text: str, i: int) -> bool:
        """A verb of two or more characters starts at i (陪同, 讲话, 致辞)."""
        return self.name_verbs.match_at(text, i) is not None

    @staticmethod
    def leading_places(mentions: list[Mention], candidates: list[Mention]) -> list[Mention]:
        """The gazetteer places a platform, project or meeting name starts with (西宁高新区 -> 西宁):
        the guidelines make them Districts of the text (the owner of the platform unless the text
        names another), though the CRF, which tags one name per character, keeps only the whole."""
        places: dict[int, dict[int, Mention]] = {}  # start -> end -> the place (one lookup a name)
        for c in candidates:
            if c.label == NodeType.DISTRICT:
                places.setdefault(c.start, {})[c.end] = c
        found = {(m.start, m.end) for m in mentions if m.label == NodeType.DISTRICT}
        out = []
        for m in mentions:
            if m.label not in NESTS_PLACES or m.start not in places:
                continue
            ends = [e for e in places[m.start] if e < m.end and (m.start, e) not in found]
            if not ends:
                continue
            place = places[m.start][max(ends)]
            place.confidence = m.confidence
            place.attrs = {**place.attrs, LEADING: True}  # see Mention.leading
            out.append(place)
            found.add((place.start, place.end))
        return out

    def across_lines(self, text: str, candidates: list[Mention], taken: bytearray) -> list[Mention]:
        """Rule names broken over lines (a work report's heading: 在某区第十九届\\n人民代表大会第四次会议上)
        and officials' names typeset with spaces (its byline: 区长 某 某) where the CRF found nothing:
        it never saw a name with a line break or a space inside (gold names have none), so the rules'
        reading stands. The CRF's probability says nothing about such a name, so it gets
        `line_break_confidence`: how often such names were right in the training articles."""
        broken = [
            c
            for c in candidates
            if "\n" in text[c.start : c.end]
            or c.label == NodeType.OFFICIAL
            and any(ch.isspace() for ch in text[c.start : c.end].strip())
        ]
        return self.keep_untagged(broken, taken, lambda m: self.line_break_confidence)

    def kept_candidates(self, tagger, candidates: list[Mention], taken: bytearray) -> list[Mention]:
        """Rule candidates where the CRF found nothing, unless it rejects them firmly: the mean
        probability it gives their characters' labels is below `keep_threshold`. (Clean text the
        training articles do not resemble keeps what the rules find there.)"""

        def confidence(m: Mention) -> float | None:
            score = (
                tagger.marginal("B-" + m.label, m.start)
                + sum(tagger.marginal("I-" + m.label, i) for i in range(m.start + 1, m.end))
            ) / (m.end - m.start)
            return self.calibrated(score) if score >= self.keep_threshold else None

        return self.keep_untagged(candidates, taken, confidence)

    @staticmethod
    def keep_untagged(
        candidates: list[Mention], taken: bytearray, confidence: Callable[[Mention], float | None]
    ) -> list[Mention]:
        """The chosen candidates on characters no kept name covers, each with its `confidence`
        (None: not kept); their characters are taken as they are kept."""
        kept = []
        for m in choose(candidates):
            if any(taken[m.start : m.end]):
                continue
            c = confidence(m)
            if c is None:
                continue
            m.confidence = c
            kept.append(m)
            taken[m.start : m.end] = b"\1" * (m.end - m.start)
        return kept

    @staticmethod
    def new_mention(text: str, start: int, end: int, label: NodeType, candidates: list[Mention]) -> Mention:
        """A mention for a span the rules did not propose, keyed as the rules would key it."""
        surface = text[start:end]
        canonical, aliases, attrs = surface, (), {}
        if label == NodeType.DISTRICT:
            canonical, attrs = division_attrs(surface)
        elif label == NodeType.OFFICIAL:
            # a rule official overlapping the span (苏明 for 苏明远) lends it the posts before it
            posts = next(
                (
                    c.attrs["posts"]
                    for c in candidates
                    if c.label == label and c.start < end and c.end > start and c.attrs.get("posts")
                ),
                [],
            )
            attrs = {"posts": posts}
        elif label == NodeType.INDUSTRY:
            canonical, aliases = sector_name(surface)
        return Mention(
            start, end, label, surface, canonical=canonical, aliases=aliases, source="learned", attrs=attrs
        )


@Language.factory(
    "plankg_recognizer",
    assigns=["doc._.mentions"],
    requires=["doc._.mentions"],
    default_config={
        "enabled": True,
        "use_candidates": True,
        "keep_candidates": False,
        "keep_threshold": 0.05,
        "line_break_confidence": 0.91,
        "posterior_types": ["Official", "Industry"],
        "posterior_o_weight": 0.5,
    },
)
def make_recognizer(
    nlp: Language,
    name: str,
    enabled: bool,
    use_candidates: bool,
    keep_candidates: bool,
    keep_threshold: float,
    line_break_confidence: float,
    posterior_types: list[str],
    posterior_o_weight: float,
) -> LearnedRecognizer:
    """enabled: false leaves the rule candidates as they are (the rules-only pipeline); use_candidates:
    false reads no rule candidates (for a CRF trained without them: the ablation of README "Quality");
    keep_candidates: also keep the rule candidates the CRF did not tag unless it gives them less than
    keep_threshold (off: on held-out articles it cost 0.01-0.03 F1; it helps on clean, short text
    unlike the training articles); line_break_confidence: the confidence of a rule name broken over
    lines or typeset with spaces, which the CRF cannot judge (in the 402 training articles all 9 such
    names kept were gold: 7 sessions, 2 bylines; (9 + 1) / (9 + 2) = 0.91); posterior_types and
    posterior_o_weight: the types whose names the best label sequence missed are also read from each
    character's likeliest label, O weighted so (see `posterior_names`; weight 1 or no types: off)."""
    return LearnedRecognizer(
        name,
        enabled,
        use_candidates,
        keep_candidates,
        keep_threshold,
        line_break_confidence,
        posterior_types,
        posterior_o_weight,
    )
