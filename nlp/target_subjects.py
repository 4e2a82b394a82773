"""The learned target decisions: which figures are targets, and whose.

The target grammar (nlp/targets.py) reads every figure with its indicator, comparator, year and
status, and guesses a subject. Here a logistic model (nlp/linear.py, trained by
training/learn.py) scores each figure with each possible subject of the document (a district,
a platform, a project): the pair features of nlp/pairs.py plus what the figure itself looks like
(its unit, size, comparator, status, the words around it: 第3名 is a rank, 参会代表200人 a count of
people). A figure keeps its most likely subject when that passes the model's threshold, with
the probability as its confidence; the others are left out. Where the grammar found a subject, it
is kept unless another is likelier by `switch_margin` (training chooses the margin and the
threshold that give the best F1 on held-out articles).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from plankg.graph.model import Comparator, NodeType, Status
from plankg.graph.quantity import in_base_unit, split_scale

from .facts import TargetFact, text_of
from .linear import LinearComponent
from .pairs import (
    CATEGORIES,
    FAR,
    FEATURES,
    LOGS,
    SCOPE_WORD,
    SCOPES,
    TYPE_NUMBER,
    DocumentView,
    PairFeatures,
    PairTable,
)

MODEL_FILE = "subjects.json"
SUBJECTS = (NodeType.DISTRICT, NodeType.PLATFORM, NodeType.PROJECT)
UNIT_CLASS = {"元": 1, "美元": 1, "%": 2, "个百分点": 3}
COUNT_UNITS = frozenset("个家项条座所批宗处只头台辆人户名位次场")
RANK_BEFORE = re.compile(r"(第|排名|位居|位列|居|列)$")
PEOPLE = re.compile(r"(参会|出席|参加|代表|嘉宾|群众|人员|员工|工人|就业|岗位)")
FIGURE_FEATURES = [
    "unit_class",
    "scaled",
    "log_value",
    "comparator_eq",
    "comparator_more",
    "comparator_about",
    "status_target",
    "year_missing",
    "indicator_chars",
    "rank_cue",
    "people_cue",
    "rule_subject",
    "sentence_figures",
    "figure_in_heading",
]
TEXT_FEATURES = [
    "list_between",
    "clauses_between",
    "figure_of_unit",
    "project_near",
    "anaphor",
    "clause_scope_fits",
    "clause_scope_other",
]
TARGET_FEATURES = [*FEATURES, *FIGURE_FEATURES, *TEXT_FEATURES]
TARGET_LOGS = [*LOGS, "indicator_chars", "sentence_figures", "clauses_between"]
# the text between a name and a figure after it that makes the figure a total of a list the name
# opens (某某项目等24个项目,总投资…) rather than the name's own
LIST_TOTAL = re.compile(r"等[^,，。;；]{0,8}?[个项家批条座宗所]|在内的|为代表的|一批")
CLAUSE_MARKS = re.compile(r"[,，;；:：]")
LISTED_AT = re.compile(rf"(?=({LIST_TOTAL.pattern}))")  # every start of a list word, its shortest match
# 总投资80亿元的某某项目: the figure describes the name after it (matched at the figure's end)
OF_AFTER = re.compile(r"[^,，。;；]{0,3}的")
# a sentence that opens by naming its subject with a common noun (项目一期投资…, 该园区…) speaks of the
# project (项目, 工程) or the project or platform (园区, 基地) named last before it
ANAPHOR = re.compile(r"[\s“”\"]*(?:该|这个|此|本|其中|其)?(?:一期)?(项目|工程|园区|产业园|基地)")
TARGET_CATEGORIES = {**CATEGORIES, "unit_class": [0, 1, 2, 3, 4]}


def figure_features(text: str, t: TargetFact, sentence_figures: int) -> dict:
    scale, base = split_scale(t.unit)
    unit_class = UNIT_CLASS.get(base, 4 if base[:1] in COUNT_UNITS else 0)
    before = text[max(t.sent_start, t.start - 4) : t.start]
    return {
        "unit_class": unit_class,
        "scaled": float(scale is not None),
        "log_value": math.log10(abs(t.value) + 1.0),
        "comparator_eq": float(t.comparator == Comparator.EQ),
        "comparator_more": float(t.comparator in (Comparator.GT, Comparator.GE)),
        "comparator_about": float(t.comparator == Comparator.APPROX),
        "status_target": float(t.status == Status.TARGET),
        "year_missing": float(t.year is None),
        "indicator_chars": len(t.indicator),
        "rank_cue": float(bool(RANK_BEFORE.search(before))),
        "people_cue": float(bool(PEOPLE.search(t.indicator))),
        "sentence_figures": sentence_figures,
        "figure_in_heading": float(
            "\n" not in text[t.sent_start : t.sent_end] and t.sent_end - t.sent_start < 30
        ),
    }


def text_features(text: str, targets: list[TargetFact], table: PairTable) -> dict[str, numpy.ndarray]:
    """What the words between a figure and a unit's nearest mention say: a list total, how many
    clauses apart, a figure written before the name it describes, a project in the figure's clause.

    Read once per document, not per pair: clause marks as a running count over the text, list
    words as the spans where LIST_TOTAL matches (its shortest match at each start), the word after
    each figure once per figure."""
    item = numpy.asarray(table.items, dtype=numpy.int64)
    before = table.columns["before"]
    near = before < FAR
    starts = numpy.array([t.start for t in targets], dtype=numpy.int64)[item]
    gap_start = numpy.maximum(0, starts - numpy.where(near, before, 0).astype(numpy.int64))
    marks = numpy.zeros(len(text) + 1, dtype=numpy.int64)  # marks[i]: clause marks in text[:i]
    marks[[m.end() for m in CLAUSE_MARKS.finditer(text)]] = 1
    marks = numpy.cumsum(marks)
    clauses = numpy.where(near, numpy.minimum(marks[starts] - marks[gap_start], 20), 20)
    found = [(m.start(), m.start() + len(m.group(1))) for m in LISTED_AT.finditer(text)]
    found_at = [a for a, _ in found]
    listed = numpy.zeros(len(item), dtype=bool)
    for r in numpy.flatnonzero(near).tolist():
        a, end = int(gap_start[r]), int(starts[r])
        k = bisect_left(found_at, a)
        while k < len(found) and found[k][0] < end:
            if found[k][1] <= end:
                listed[r] = True
                break
            k += 1
    described = numpy.array([bool(OF_AFTER.match(text, t.end)) for t in targets], dtype=bool)
    of_unit = (table.columns["after"] < 6) & described[item] if len(item) else numpy.zeros(0, dtype=bool)
    project = table.columns["unit_type"] == TYPE_NUMBER[NodeType.PROJECT]
    return {
        "list_between": listed.astype(float),
        "clauses_between": clauses.astype(float),
        "figure_of_unit": of_unit.astype(float),
        "project_near": (project & (((clauses <= 1) & ~listed & (before < 40)) | of_unit)).astype(float),
    }


def anaphor_feature(
    text: str, targets: list[TargetFact], view: DocumentView, table: PairTable
) -> numpy.ndarray:
    """1 where the figure's sentence opens with a common noun for its subject (项目一期投资33亿元) and
    the unit is the last project (or, for 园区/基地, project or platform) named before that sentence."""
    named = sorted(
        (m.start, key)
        for key, mentions in view.entities.items()
        if key.type in (NodeType.PROJECT, NodeType.PLATFORM)
        for m in mentions
    )
    starts = [s for s, _ in named]
    referent: list[object] = []
    for t in targets:
        m = ANAPHOR.match(text, t.sent_start, t.end)
        if m is None:
            referent.append(None)
            continue
        kinds = (
            (NodeType.PROJECT,) if m.group(1) in ("项目", "工程") else (NodeType.PROJECT, NodeType.PLATFORM)
        )
        last = bisect_left(starts, t.sent_start)  # the last fitting name before the sentence, read backwards
        referent.append(
            next((named[k][1] for k in range(last - 1, -1, -1) if named[k][1].type in kinds), None)
        )
    return numpy.array(
        [
            float(referent[i] is not None and referent[i] == unit)
            for i, unit in zip(table.items, table.units, strict=True)
        ]
    )


def clause_scope(text: str, targets: list[TargetFact], view: DocumentView, table: PairTable) -> dict:
    """The figure's clause says its reach before it (全县梅花鹿饲养总量达25万只, 全市地区生产总值): the unit
    is a division of that level (`clause_scope_fits`) or of another level or none (`clause_scope_other`)."""
    wanted = []
    for t in targets:
        marks = [m.end() for m in CLAUSE_MARKS.finditer(text, t.sent_start, t.start)]
        found = SCOPE_WORD.search(text, marks[-1] if marks else t.sent_start, t.start)
        wanted.append(SCOPES[found.group(0)] if found else None)
    fits, other = [], []
    for i, unit in zip(table.items, table.units, strict=True):
        if wanted[i] is None:
            fits.append(0.0)
            other.append(0.0)
            continue
        level = view.level(unit)
        fits.append(float(level in wanted[i]))
        other.append(float(level not in wanted[i]))
    return {"clause_scope_fits": numpy.array(fits), "clause_scope_other": numpy.array(other)}


def subject_table(doc: Doc) -> PairTable:
    """Every figure of the document (its index in doc._.targets) with every possible subject: the pair
    features and the figure's own."""
    text = text_of(doc)
    view = DocumentView.of(doc)
    targets = doc._.targets or []
    table = PairFeatures(view, SUBJECTS).table(
        [(NodeType.TARGET, t.indicator, [(t.start, t.end)], None) for t in targets]
    )
    per_sentence: dict[int, int] = {}
    for t in targets:
        per_sentence[t.sent_start] = per_sentence.get(t.sent_start, 0) + 1
    own = [figure_features(text, t, per_sentence[t.sent_start]) for t in targets]
    for name in FIGURE_FEATURES:
        if name != "rule_subject":
            table.add(name, [float(own[i][name]) for i in table.items])
    between = text_features(text, targets, table)
    for name, values in between.items():
        table.add(name, values)
    table.add("anaphor", anaphor_feature(text, targets, view, table))
    for name, values in clause_scope(text, targets, view, table).items():
        table.add(name, values)
    ruled = [float(targets[i].subject == unit) for i, unit in zip(table.items, table.units, strict=True)]
    table.add("rule_subject", ruled)
    table.add("rule", ruled)
    return table


def subject_rows(doc: Doc) -> list[tuple[int, object, dict]]:
    """(index of the target in doc._.targets, subject key, features) for every figure and subject."""
    table = subject_table(doc)
    return list(zip(table.items, table.units, table.rows(), strict=True))


RATES = frozenset({"%", "％", "个百分点"})


def once_per_subject(targets: list[TargetFact]) -> list[TargetFact]:
    """One figure per subject and amount: an article repeats its headline figure (title, lead,
    body) in other words (签约项目19个, 本次共签约19个项目). Rates are left alone: two growth rates
    of one district are often the same 6%. The likeliest copy stays, the first on a tie."""
    best: dict[tuple, TargetFact] = {}
    for t in targets:
        if t.unit in RATES:
            continue
        key = (t.subject, *in_base_unit(t.value, t.unit))
        if key not in best or t.confidence > best[key].confidence:
            best[key] = t
    kept = {id(t) for t in best.values()}
    return [t for t in targets if t.unit in RATES or id(t) in kept]


class TargetSubjects(LinearComponent):
    MODEL_FILE = MODEL_FILE

    def __call__(self, doc: Doc) -> Doc:
        if not self.active:
            return doc
        targets = doc._.targets or []
        table = subject_table(doc)
        p, rank = self.model.decide(table)
        # figure -> its first-ranked subject (rank score, probability, unit)
        best: dict[int, tuple[float, float, object]] = {}
        ruled: dict[int, float] = {}  # the probability of the grammar's own subject
        for i, unit, pi, ri in zip(table.items, table.units, p.tolist(), rank.tolist(), strict=True):
            if i not in best or ri > best[i][0]:
                best[i] = (float(ri), float(pi), unit)
            if targets[i].subject == unit:
                ruled[i] = float(pi)
        threshold = self.model.settings.get("threshold", 0.5)
        margin = self.model.settings.get("switch_margin", 0.0)
        kept = []
        for i, t in enumerate(targets):
            if i not in best:
                continue
            _, p_best, unit = best[i]
            if i in ruled and p_best - ruled[i] <= margin:
                p_best, unit = (
                    ruled[i],
                    t.subject,
                )  # the grammar's subject, unless another is clearly likelier
            if p_best > threshold:
                t.subject, t.confidence = unit, p_best
                kept.append(t)
        doc._.targets = once_per_subject(kept)
        return doc


@Language.factory(
    "plankg_target_subjects",
    assigns=["doc._.targets"],
    requires=["doc._.targets", "doc._.mentions", "doc._.focus"],
    default_config={"enabled": True},
)
def make_target_subjects(nlp: Language, name: str, enabled: bool) -> TargetSubjects:
    """enabled: false keeps the target grammar's own subjects."""
    return TargetSubjects(name, enabled)
