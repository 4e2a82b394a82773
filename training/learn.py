"""Train plankg's learned layers on gold annotation files.

    python -m training.learn GOLD_DIR... --out MODELS_DIR
    python -m training.package --models MODELS_DIR --out NEW_PIPELINE

1. The rule components of the shipped pipeline propose candidates for each gold text.
2. The recogniser's CRF (nlp/recognizer.py) is trained on per-character features of the text
   and the candidates (nlp/charfeatures.py) against the projected gold names (training/gold.py).
3. The decision layers learn from what the recogniser will really give them: each document is
   tagged by a CRF trained on the other folds (cross-fitting), analysed through the rule linker,
   and every (item, possible owner) pair labelled from the gold relations. A logistic model per
   layer (nlp/linear.py) is fitted, calibrated on out-of-fold probabilities and given the
   decision thresholds that maximise F1 there.
Writes MODELS_DIR/<component>/ (crf.model, owners.json).
"""

from __future__ import annotations

import argparse
import itertools
import json
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from plankg.evaluate import base_figure
from plankg.nlp import attribution, speakers, target_subjects
from plankg.nlp.charfeatures import bio_labels
from plankg.nlp.pairs import CATEGORIES, FEATURES, LOGS
from plankg.nlp.pipeline import read
from plankg.nlp.recognizer import MODEL_FILE as CRF_FILE

from . import logistic
from .gold import GoldDocument, GoldNames, folds, projected_spans, read_gold

CRF_PARAMS = {"c1": 0.1, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}
CROSS_FOLDS = 4  # folds of the cross-fitted CRF whose output the decision layers learn from
LEARNED = ("plankg_recognizer", "plankg_attribution", "plankg_speakers", "plankg_target_subjects")
Log = Callable[[str], None]


def rule_pipeline() -> Language:
    """The shipped pipeline; its learned layers get the models being trained."""
    return read()


def run_until(nlp: Language, text: str, stop: str) -> Doc:
    """The Doc after the components before `stop`."""
    doc = nlp.make_doc(text)
    for name, component in nlp.pipeline:
        if name == stop:
            break
        doc = component(doc)
    return doc


# -- the recogniser -------------------------------------------------------------------------------
def crf_examples(
    nlp: Language, docs: Iterable[GoldDocument], candidates: bool = True
) -> Iterator[tuple[list[list[str]], list[str]]]:
    """Features and gold labels per document (`candidates`: false leaves the rule candidates out)."""
    recognizer = nlp.get_pipe("plankg_recognizer")
    recognizer._ready()
    for gold in docs:
        doc = run_until(nlp, gold.text, "plankg_recognizer")
        tokens = [(t.idx, t.idx + len(t.text)) for t in doc]
        x = recognizer.features(gold.text, tokens, (doc._.mentions or []) if candidates else [])
        y = bio_labels(len(gold.text), [(s, e, kind) for s, e, kind, _ in projected_spans(gold)])
        yield x, y


def train_crf(examples: list[tuple[list[list[str]], list[str]]]) -> bytes:
    import pycrfsuite

    if not any(any(y != "O" for y in labels) for _, labels in examples):
        # crfsuite would write a model that crashes its tagger
        raise ValueError("no gold names to learn from")
    trainer = pycrfsuite.Trainer(verbose=False)
    for x, y in examples:
        trainer.append(x, y)
    trainer.set_params(CRF_PARAMS)
    with tempfile.TemporaryDirectory() as tmp:
        trainer.train(str(Path(tmp) / CRF_FILE))
        return (Path(tmp) / CRF_FILE).read_bytes()


# -- the decision layers -------------------------------------------------------------------------------
def analysed(
    nlp: Language, docs: list[GoldDocument], examples: dict[str, tuple], log: Log
) -> Iterator[tuple]:
    """(gold, Doc) for every document, tagged by a CRF that never saw it, through the rule linker."""
    recognizer = nlp.get_pipe("plankg_recognizer")
    recognizer.calibration = []  # the decision layers and the calibration learn from raw confidences
    for k, held_out in enumerate(folds(docs, CROSS_FOLDS)):
        t0 = time.process_time()
        rest = [examples[d.id] for d in docs if d not in held_out]
        recognizer.set_model(train_crf(rest) if held_out and rest else None)
        log(f"  cross-fitted CRF {k + 1}/{CROSS_FOLDS}: {time.process_time() - t0:.0f} CPU s")
        with nlp.select_pipes(disable=[n for n in LEARNED[1:] if n in nlp.pipe_names]):
            for gold in held_out:
                yield gold, nlp(gold.text)


def mention_texts(doc: Doc) -> dict:
    """Entity key -> the forms the document writes it in (gold names may match any of them)."""
    texts: dict = {}
    for m in doc._.mentions or []:
        texts.setdefault(m.key, set()).add(m.text)
    return texts


def owner_examples(pairs: Iterable[tuple[GoldDocument, Doc]]) -> tuple[list, list, list]:
    """Rows, labels and document ids of every (item, possible owner) pair."""
    rows, labels, groups = [], [], []
    for gold, doc in pairs:
        names = GoldNames(gold)
        texts = mention_texts(doc)
        for item, unit, row in attribution.owner_rows(doc):
            g_item = names.entity(item.type, item.name, *texts.get(item, ()))
            g_unit = names.entity(unit.type, unit.name, *texts.get(unit, ()))
            relation = attribution.RELATION_OF[item.type]
            label = bool(g_item and g_unit and (g_unit, relation, g_item) in names.relations)
            rows.append(row)
            labels.append(int(label))
            groups.append(f"{gold.id}|{item.type}:{item.name}")
    return rows, labels, groups


def speaker_examples(pairs: Iterable[tuple[GoldDocument, Doc]]) -> tuple[list, list, list]:
    """Rows, labels and document ids of every (official, meeting) pair: right when the gold has
    that spoke_at (a meeting matches a gold one whose name contains its name or the reverse,
    as the scorer matches meetings)."""
    rows, labels, groups = [], [], []
    cues = speakers.cue_words()
    for gold, doc in pairs:
        names = GoldNames(gold)
        texts = mention_texts(doc)
        spoke = [(h, names.forms("Event", t)) for h, r, t in names.relations if r == "spoke_at"]
        for official, event, row in speakers.speaker_rows(doc, cues):
            g_official = names.entity("Official", official.name, *texts.get(official, ()))
            forms = {event.name, *texts.get(event, ())}
            label = any(
                h == g_official and any(f in n or n in f for f in forms for n in meeting)
                for h, meeting in spoke
            )
            rows.append(row)
            labels.append(int(label))
            groups.append(gold.id)
    return rows, labels, groups


def f1_of(right: int, predicted: int, gold: int) -> float:
    """F1 of `predicted` decisions of which `right` are right, against `gold` facts (the threshold
    searches below all choose by it)."""
    precision, recall = right / max(1, predicted), right / max(1, gold)
    return 2 * precision * recall / max(1e-9, precision + recall)


def pair_threshold(p, labels: list[int], gold_count: int) -> dict:
    """The probability above which a pair is kept, best for F1 on out-of-fold scores."""
    best = (-1.0, {})
    for threshold in [x / 20 for x in range(1, 19)]:
        kept = [y for pi, y in zip(p, labels, strict=True) if pi > threshold]
        f1 = f1_of(sum(kept), len(kept), gold_count)
        if f1 > best[0]:
            best = (f1, {"threshold": threshold, "oof_f1": round(f1, 4)})
    return best[1]


def target_examples(pairs: Iterable[tuple[GoldDocument, Doc]]) -> tuple[list, list, list]:
    """Rows, labels and figure ids of every (figure, possible subject) pair: a pair is right when the
    document's gold has a target of that figure (value in base units) with that subject."""
    rows, labels, groups = [], [], []
    for gold, doc in pairs:
        names = GoldNames(gold)
        texts = mention_texts(doc)
        wanted = {(t["subject"], base_figure(t["value"], t["unit"])) for t in gold.targets}
        targets = doc._.targets or []
        for i, unit, row in target_subjects.subject_rows(doc):
            t = targets[i]
            subject = names.entity(unit.type, unit.name, *texts.get(unit, ()))
            rows.append(row)
            labels.append(int((subject, base_figure(t.value, t.unit)) in wanted))
            groups.append(f"{gold.id}|{i}")
    return rows, labels, groups


def target_threshold(
    groups: list[str], rows: list[dict], p, rank, labels: list[int], gold_count: int
) -> dict:
    """The settings of `TargetSubjects` with the best F1 on out-of-fold scores: the threshold below
    which figures are left out, and whether a figure takes its first-ranked subject (`switch_margin`
    -1), the likelier of that and the grammar's subject (0) or the grammar's where it has one (a
    large margin), as `TargetSubjects` decides."""
    first: dict[str, tuple[float, float, int]] = {}  # figure -> (rank, p, label) of its first-ranked subject
    ruled: dict[str, tuple[float, int]] = {}  # figure -> (p, label) of the grammar's subject
    for g, row, pi, ri, y in zip(groups, rows, p, rank, labels, strict=True):
        if g not in first or ri > first[g][0]:
            first[g] = (float(ri), float(pi), y)
        if row.get("rule_subject"):
            ruled[g] = (float(pi), y)
    best = (-1.0, {})
    for margin in (-1.0, 0.0, 10.0):  # the first-ranked subject; the likelier one; the grammar's
        chosen = {}  # figure -> (p, label)
        for g, (_, pi, y) in first.items():
            rule = ruled.get(g)
            chosen[g] = rule if rule is not None and pi - rule[0] <= margin else (pi, y)
        for threshold in [0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5]:
            kept = [(pi, y) for pi, y in chosen.values() if pi > threshold]
            f1 = f1_of(sum(y for _, y in kept), len(kept), gold_count)
            if f1 > best[0]:
                best = (f1, {"threshold": threshold, "switch_margin": margin, "oof_f1": round(f1, 4)})
    return best[1]


def mention_calibration(pairs: Iterable[tuple[GoldDocument, Doc]]) -> list[list[float]]:
    """Isotonic steps from a recognised name's raw confidence to the share of such names that are gold
    names of their type, over the cross-fitted documents."""
    from sklearn.isotonic import IsotonicRegression

    raw, right = [], []
    for gold, doc in pairs:
        names = GoldNames(gold)
        for m in doc._.mentions or []:
            raw.append(m.confidence)
            right.append(int(names.entity(m.label, m.canonical, m.text) is not None))
    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(raw, right)
    knots = sorted(set(round(float(x), 4) for x in iso.X_thresholds_))
    return [[k, round(float(iso.predict([k])[0]), 4)] for k in knots]


def owner_thresholds(groups: list[str], rank, p, labels: list[int], gold_count: int) -> dict:
    """The (first, more) thresholds of `attribution.choose` with the best F1 on out-of-fold scores
    (`rank` orders each item's owners, `p` says whether to keep them)."""
    by_item: dict[str, list[tuple[float, float, int]]] = {}
    for g, ri, pi, y in zip(groups, rank, p, labels, strict=True):
        by_item.setdefault(g, []).append((float(ri), float(pi), y))
    best = (-1.0, {})
    for options in by_item.values():
        options.sort(key=lambda o: -o[0])
    for first, more in itertools.product([0.05, 0.1, 0.15, 0.2, 0.3, 0.4], [0.3, 0.4, 0.5, 0.6, 0.7, 0.8]):
        tp = fp = 0
        for options in by_item.values():
            if options[0][1] <= first:
                continue
            for k, (_, pi, y) in enumerate(options):
                if k == 0 or pi > more:
                    tp += y
                    fp += 1 - y
        f1 = f1_of(tp, tp + fp, gold_count)
        if f1 > best[0]:
            best = (f1, {"first": first, "more": more, "oof_f1": round(f1, 4)})
    return best[1]


def train(docs: list[GoldDocument], out_dir: Path, log: Log = print, candidates: bool = True) -> Path:
    """Every learned layer from `docs`, into out_dir (one folder per component). `candidates`: false
    trains the recogniser without the rule candidates among its features (an ablation)."""
    nlp = rule_pipeline()
    nlp.get_pipe("plankg_recognizer").use_candidates = candidates
    t0 = time.process_time()
    examples = dict(zip((d.id for d in docs), crf_examples(nlp, docs, candidates), strict=True))
    crf = train_crf(list(examples.values()))
    (out_dir / "plankg_recognizer").mkdir(parents=True, exist_ok=True)
    (out_dir / "plankg_recognizer" / CRF_FILE).write_bytes(crf)
    log(f"recogniser CRF on {len(docs)} documents: {time.process_time() - t0:.0f} CPU s")

    pairs = list(analysed(nlp, docs, examples, log))
    calibration = mention_calibration(pairs)
    (out_dir / "plankg_recognizer" / "calibration.json").write_text(json.dumps(calibration), encoding="utf-8")
    rows, labels, groups = owner_examples(pairs)
    documents = [g.split("|")[0] for g in groups]
    model, oof = logistic.fit(rows, labels, documents, FEATURES, LOGS, CATEGORIES)
    rank = logistic.fit_choice(model, rows, labels, documents, groups)
    owned = {"has_platform", "has_project", "develops_industry", "held_event"}
    gold_count = sum(1 for d in docs for r in d.relations if r["relation"] in owned)
    model.settings = owner_thresholds(groups, rank, oof, labels, gold_count)
    (out_dir / "plankg_attribution").mkdir(parents=True, exist_ok=True)
    model.write(out_dir / "plankg_attribution" / attribution.MODEL_FILE)
    log(f"owners: {len(rows)} pairs, {sum(labels)} positive; settings {json.dumps(model.settings)}")

    rows, labels, groups = speaker_examples(pairs)
    model, oof = logistic.fit(rows, labels, groups, speakers.SPEAKER_FEATURES, speakers.SPEAKER_LOGS, {})
    model.settings = pair_threshold(
        oof, labels, sum(1 for d in docs for r in d.relations if r["relation"] == "spoke_at")
    )
    (out_dir / "plankg_speakers").mkdir(parents=True, exist_ok=True)
    model.write(out_dir / "plankg_speakers" / speakers.MODEL_FILE)
    log(f"speakers: {len(rows)} pairs, {sum(labels)} positive; settings {json.dumps(model.settings)}")

    rows, labels, groups = target_examples(pairs)
    documents = [g.split("|")[0] for g in groups]
    model, oof = logistic.fit(
        rows,
        labels,
        documents,
        target_subjects.TARGET_FEATURES,
        target_subjects.TARGET_LOGS,
        target_subjects.TARGET_CATEGORIES,
    )
    rank = logistic.fit_choice(model, rows, labels, documents, groups)
    model.settings = target_threshold(groups, rows, oof, rank, labels, sum(len(d.targets) for d in docs))
    (out_dir / "plankg_target_subjects").mkdir(parents=True, exist_ok=True)
    model.write(out_dir / "plankg_target_subjects" / target_subjects.MODEL_FILE)
    log(f"target subjects: {len(rows)} pairs, {sum(labels)} positive; settings {json.dumps(model.settings)}")
    log(f"all layers: {time.process_time() - t0:.0f} CPU s")
    return out_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", nargs="+", type=Path, help="folders of gold *.json files")
    parser.add_argument("--out", type=Path, required=True, help="folder for the trained models")
    parser.add_argument(
        "--no-candidates",
        action="store_true",
        help="train the recogniser without the rule candidates (ablation)",
    )
    args = parser.parse_args(argv)
    train(read_gold(args.gold), args.out, candidates=not args.no_candidates)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
