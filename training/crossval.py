"""Cross-validation of the whole pipeline: `plankg eval --cv K GOLD_DIR`.

The documents are split into K folds (by a stable hash of their ids, training/gold.py); for each
fold every learned layer is trained on the other folds (training/learn.py) and the fold is
analysed by the pipeline built with those models. Each fold is scored on its own, and all the
held-out documents' facts, merged into one graph, are scored against the whole gold: every
document is then scored by models that never saw it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from plankg.evaluate import Report, load_gold, read_graph, score
from plankg.exports import write_graphml
from plankg.graph.builder import GraphBuilder
from plankg.graph.model import DocumentFacts
from plankg.nlp.handover import doc_to_facts
from plankg.nlp.pipeline import SHIPPED_SEGMENTER, create

from . import learn
from .gold import GoldDocument, folds, read_gold


def scored(docs: list[GoldDocument], facts: list[DocumentFacts]) -> Report:
    """The score of the facts of `docs`, merged into one graph and read back from its GraphML file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph.graphml"
        write_graphml(GraphBuilder().build(sorted(facts, key=lambda f: f.doc_id)), path)
        return score(load_gold([d.path for d in docs]), read_graph(path))


def cross_validate(gold_dir: Path, k: int, log: Callable[[str], None] = print, seed: int = 0) -> Report:
    """`seed` picks the partition into folds (training/gold.py `folds`)."""
    docs = read_gold([gold_dir])
    held_out_facts: list[DocumentFacts] = []
    for i, held in enumerate(folds(docs, k, seed)):
        with tempfile.TemporaryDirectory() as tmp:
            learn.train([d for d in docs if d not in held], Path(tmp), log=lambda m: None)
            models = {name: {"model": str(Path(tmp) / name)} for name in learn.LEARNED}
            nlp = create(SHIPPED_SEGMENTER, models=models)
        facts = []
        for gold in held:
            doc = nlp.make_doc(gold.text)
            doc._.doc_id = gold.id
            facts.append(doc_to_facts(nlp(doc)))
        held_out_facts += facts
        r = scored(held, facts)
        log(
            f"fold {i + 1}/{k} ({len(held)} documents): entity F1 {r.entities['all']['f1']:.3f} | "
            f"relation F1 {r.relations['all']['f1']:.3f} | target F1 {r.targets['f1']:.3f}"
        )
    log(f"all {len(docs)} documents, each scored by models trained without it:")
    return scored(docs, held_out_facts)
