"""The plankg spaCy pipeline: pkuseg segmentation plus the plankg recognisers.

The shipped pipeline lives in nlp/models/plankg_zh (written with `nlp.to_disk`, read with
`spacy.load`); its tokenizer carries the project's own pkuseg model, trained by
`plankg train-segmenter`.
"""

from __future__ import annotations

import os
import tempfile
from functools import cache
from pathlib import Path

import spacy
from spacy.language import Language

from . import context, districts, industries, names, officials, relations, resolve, structure, targets  # noqa: F401
from plankg.graph.divisions import divisions
from plankg.graph.model import Level

from .lexicon import DATA_DIR
from .lexicon import industries as industry_words
from .statistical import available as statistical_available

PIPELINE_DIR = Path(__file__).parent / "models" / "plankg_zh"
COMPONENTS = (
    "plankg_structure",
    "plankg_districts",
    "plankg_officials",
    "plankg_names",
    "plankg_industries",
    "plankg_resolve",
    "plankg_context",
    "plankg_relations",
    "plankg_targets",
)


def user_dictionary(path: Path) -> Path:
    """Write gazetteer names as a pkuseg user dictionary, so names stay whole words.

    Towns (40,000 names) are left out: they are matched on characters anyway and would make
    the saved tokenizer several MB larger.
    """
    words = {d.name for d in divisions().by_code.values() if d.level != Level.TOWN} | set(industry_words())
    path.write_text("\n".join(sorted(w for w in words if len(w) >= 2)) + "\n", encoding="utf-8")
    return path


def create(pkuseg_model: Path | None) -> Language:
    """A fresh pipeline; with `pkuseg_model` the tokenizer segments words, else characters."""
    if pkuseg_model is not None:
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
        with tempfile.TemporaryDirectory() as tmp:
            nlp.tokenizer.initialize(
                pkuseg_model=str(pkuseg_model),
                pkuseg_user_dict=str(user_dictionary(Path(tmp) / "user_dict.txt")),
            )
        # spacy-pkuseg merges words from its bundled general dictionary after segmenting; that
        # costs about 1 F1 on news text, so the merge is switched off (and not saved).
        post = nlp.tokenizer.pkuseg_seg.postprocesser
        post.do_process, post.common_words, post.other_words = False, set(), set()
    else:
        nlp = spacy.blank("zh")
    for name in COMPONENTS:
        if name == "plankg_resolve" and statistical_available():
            nlp.add_pipe("plankg_statistical")  # optional layer (nlp/statistical.py); rules win overlaps
        nlp.add_pipe(name)
    return nlp


def package(pkuseg_model: Path, out_dir: Path = PIPELINE_DIR) -> Path:
    """Save the pipeline with the trained segmenter inside it (`spacy.load`-able)."""
    nlp = create(pkuseg_model)
    nlp.meta.update(
        {
            "name": "plankg_zh",
            "version": "0.1.0",
            "license": "MIT",
            "description": "plankg: Chinese plan news to knowledge graph",
        }
    )
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out_dir)
    return out_dir


class PipelineMissing(RuntimeError):
    """The trained pipeline is not where it should be."""


def read(path: str | None = None) -> Language:
    """A new copy of the shipped pipeline, for callers that add components to theirs."""
    target = Path(path or os.environ.get("PLANKG_PIPELINE") or PIPELINE_DIR)
    if not (target / "config.cfg").exists():
        raise PipelineMissing(
            f"no trained pipeline at {target}; run `plankg train-segmenter --package` to build one"
        )
    return spacy.load(target)


@cache
def load(path: str | None = None) -> Language:
    """The shipped pipeline (cached per process)."""
    return read(path)


__all__ = ["create", "load", "read", "package", "COMPONENTS", "DATA_DIR", "PipelineMissing"]
