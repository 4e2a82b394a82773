"""The plankg spaCy pipeline: pkuseg segmentation plus the plankg recognisers.

The component order and settings are in nlp/pipeline.cfg. The shipped pipeline lives in
nlp/models/plankg_zh (written by `package`, read with `spacy.load`; the factories are found
through plankg's `spacy_factories` entry points, so no plankg import is needed first); its
tokenizer carries the project's own pkuseg model (training/segmenter.py) and each component's
folder its data files and models.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.util import load_config, load_model_from_config

from plankg.graph.divisions import divisions
from plankg.graph.model import Level

from . import (  # noqa: F401  (registers the factories when plankg is imported first)
    attribution,
    context,
    districts,
    industries,
    names,
    officials,
    recognizer,
    relations,
    resolve,
    speakers,
    structure,
    target_subjects,
    targets,
)
from .lexicon import DATA_DIR, Lexicon

CONFIG = Path(__file__).parent / "pipeline.cfg"
PIPELINE_DIR = Path(__file__).parent / "models" / "plankg_zh"
SHIPPED_SEGMENTER = PIPELINE_DIR / "tokenizer" / "pkuseg_model"


def user_dictionary(path: Path) -> Path:
    """Write gazetteer names as a pkuseg user dictionary, so names stay whole words.

    Towns (40,000 names) are left out: they are matched on characters anyway and would make
    the saved tokenizer several MB larger.
    """
    sectors = Lexicon.read(DATA_DIR, ["industries.txt"]).lines("industries.txt")
    words = {d.name for d in divisions().by_code.values() if d.level != Level.TOWN} | set(sectors)
    path.write_text("\n".join(sorted(w for w in words if len(w) >= 2)) + "\n", encoding="utf-8")
    return path


def create(
    pkuseg_model: Path | None,
    overrides: dict[str, Any] | None = None,
    models: dict[str, dict[str, str]] | None = None,
) -> Language:
    """A new pipeline from nlp/pipeline.cfg, initialised from nlp/data and the models.

    With `pkuseg_model` (a folder with features.msgpack and weights.npz) the tokenizer segments
    words, else characters. `overrides` are dotted config paths (spaCy's `spacy.load` style),
    e.g. {"components.plankg_recognizer.enabled": False}. `models` gives components their
    `initialize` settings, e.g. {"plankg_recognizer": {"model": "path/to/models/plankg_recognizer"}}
    (by default each takes the model of the shipped pipeline). Paths given here are used, not
    saved: the saved config keeps no path of the machine that built it.
    """
    config = load_config(CONFIG, overrides=dict(overrides or {}), interpolate=False)
    if pkuseg_model is None:
        config["nlp"]["tokenizer"]["segmenter"] = "char"
    nlp = load_model_from_config(config, auto_fill=True)
    init = nlp.config["initialize"]
    with tempfile.TemporaryDirectory() as tmp:
        if pkuseg_model is not None:
            init["tokenizer"] = {
                "pkuseg_model": str(pkuseg_model),
                "pkuseg_user_dict": str(user_dictionary(Path(tmp) / "dict")),
            }
        init["components"] = dict(models or {})
        nlp.initialize()
    init["tokenizer"] = (
        {"pkuseg_model": None, "pkuseg_user_dict": "default"} if pkuseg_model is not None else {}
    )
    init["components"] = {}
    if pkuseg_model is not None:
        # spacy-pkuseg merges words from its bundled general dictionary after segmenting; that
        # costs about 1 F1 on news text, so the merge is switched off (and not saved).
        post = nlp.tokenizer.pkuseg_seg.postprocesser
        post.do_process, post.common_words, post.other_words = False, set(), set()
    return nlp


def package(
    pkuseg_model: Path = SHIPPED_SEGMENTER,
    out_dir: Path = PIPELINE_DIR,
    models: dict[str, dict[str, str]] | None = None,
) -> Path:
    """Save the pipeline with the segmenter and every component's knowledge inside it
    (`spacy.load`-able). Written to a temporary folder first, then moved into place."""
    out_dir = Path(out_dir)
    with tempfile.TemporaryDirectory(dir=out_dir.parent if out_dir.parent.exists() else None) as tmp:
        source = Path(tmp) / "segmenter"
        shutil.copytree(pkuseg_model, source)  # the source may be inside out_dir
        nlp = create(source, models=models)
        nlp.meta.update(
            {
                "name": "plankg_zh",
                "version": "0.1.0",
                "license": "MIT",
                "description": "plankg: Chinese plan news to knowledge graph",
            }
        )
        staged = Path(tmp) / "pipeline"
        nlp.to_disk(staged)
        if out_dir.exists():
            shutil.rmtree(out_dir)
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staged), out_dir)
    return out_dir


class PipelineMissing(RuntimeError):
    """The trained pipeline is not where it should be."""


def read(path: str | None = None) -> Language:
    """A new copy of the shipped pipeline, for callers that add components to theirs."""
    target = Path(path or os.environ.get("PLANKG_PIPELINE") or PIPELINE_DIR)
    if not (target / "config.cfg").exists():
        raise PipelineMissing(f"no trained pipeline at {target}; see training/README.md to build one")
    return spacy.load(target)


@cache
def load(path: str | None = None) -> Language:
    """The shipped pipeline (cached per process)."""
    return read(path)


__all__ = ["create", "load", "read", "package", "CONFIG", "PIPELINE_DIR", "PipelineMissing"]
