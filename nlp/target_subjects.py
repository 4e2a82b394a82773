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

from spacy.language import Language
from spacy.tokens import Doc

from plankg.graph.model import Comparator, NodeType, Status
from plankg.graph.quantity import split_scale

from .facts import TargetFact, text_of
from .linear import LinearComponent
from .pairs import CATEGORIES, FEATURES, LOGS, DocumentView, PairFeatures, PairTable

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
TARGET_FEATURES = [*FEATURES, *FIGURE_FEATURES]
TARGET_LOGS = [*LOGS, "indicator_chars", "sentence_figures"]
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
    ruled = [float(targets[i].subject == unit) for i, unit in zip(table.items, table.units, strict=True)]
    table.add("rule_subject", ruled)
    table.add("rule", ruled)
    return table


def subject_rows(doc: Doc) -> list[tuple[int, object, dict]]:
    """(index of the target in doc._.targets, subject key, features) for every figure and subject."""
    table = subject_table(doc)
    return list(zip(table.items, table.units, table.rows(), strict=True))


class TargetSubjects(LinearComponent):
    MODEL_FILE = MODEL_FILE

    def __call__(self, doc: Doc) -> Doc:
        if not self.active:
            return doc
        targets = doc._.targets or []
        table = subject_table(doc)
        p = self.model.probabilities(table)
        best: dict[int, tuple[float, object]] = {}
        ruled: dict[int, float] = {}  # the probability of the grammar's own subject
        for i, unit, pi in zip(table.items, table.units, p.tolist(), strict=True):
            if i not in best or pi > best[i][0]:
                best[i] = (float(pi), unit)
            if targets[i].subject == unit:
                ruled[i] = float(pi)
        threshold = self.model.settings.get("threshold", 0.5)
        margin = self.model.settings.get("switch_margin", 0.0)
        kept = []
        for i, t in enumerate(targets):
            if i not in best:
                continue
            p_best, unit = best[i]
            if i in ruled and p_best - ruled[i] <= margin:
                p_best, unit = (
                    ruled[i],
                    t.subject,
                )  # the grammar's subject, unless another is clearly likelier
            if p_best > threshold:
                t.subject, t.confidence = unit, p_best
                kept.append(t)
        doc._.targets = kept
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
