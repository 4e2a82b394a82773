"""Shared fixtures: one plankg pipeline per test session, and a helper that analyses a text.

The tests of the rules and of the plumbing (reading, the CLI, the graph, the exports) run on the
shipped pipeline with its learned layers switched off: the rule components, whose behaviour the
hand-written expectations describe, so that retraining a model cannot break them. The learned
layers have tests of their own (tests/test_learned.py) and the shipped pipeline as a whole is
loaded and checked in tests/test_pipeline.py. Without the shipped pipeline, a fresh one with
character segmentation stands in (the recognisers match on characters).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from plankg.nlp import pipeline

FIXTURES = Path(__file__).parent / "fixtures"


def shipped_pipeline_exists() -> bool:
    """True when the trained pipeline is installed (nlp/models/plankg_zh/config.cfg)."""
    return (pipeline.PIPELINE_DIR / "config.cfg").exists()


LEARNED_LAYERS = ("plankg_recognizer", "plankg_attribution", "plankg_speakers", "plankg_target_subjects")
RULES_ONLY = {"components": {name: {"enabled": False} for name in LEARNED_LAYERS}}


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The rule pipeline (the shipped one, learned layers off), loaded once for the whole session."""
    if shipped_pipeline_exists():
        import spacy

        return spacy.load(pipeline.PIPELINE_DIR, config=RULES_ONLY)
    return pipeline.create(None, {f"components.{n}.enabled": False for n in LEARNED_LAYERS})


Analyse = Callable[..., Doc]


@pytest.fixture(scope="session")
def analyse(nlp: Language) -> Analyse:
    """`analyse(text, date=None)`: run the pipeline over `text` as a document dated `date` (ISO)."""

    def run(text: str, date: str | None = None) -> Doc:
        doc = nlp.make_doc(text)
        doc._.date = date
        return nlp(doc)

    return run


@pytest.fixture(scope="session", autouse=True)
def pipeline_dir(nlp: Language, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The directory every build of the session loads its pipeline from (PLANKG_PIPELINE), in and out
    of process: the rule pipeline of the `nlp` fixture, saved. Set before the first test, so that the
    per-process pipeline cache (plankg.nlp.pipeline.load) never holds another."""
    target = tmp_path_factory.mktemp("pipeline") / "plankg_zh"
    nlp.to_disk(target)
    previous = os.environ.get("PLANKG_PIPELINE")
    os.environ["PLANKG_PIPELINE"] = str(target)
    yield target
    if previous is None:
        os.environ.pop("PLANKG_PIPELINE", None)
    else:
        os.environ["PLANKG_PIPELINE"] = previous


@pytest.fixture(scope="session")
def expected() -> dict:
    """Hand-written expectations for the fixture texts (tests/fixtures/expected.json)."""
    return json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def fixture_text() -> Callable[[str], str]:
    """`fixture_text(name)`: the text of tests/fixtures/<name>.txt."""

    def read(name: str) -> str:
        return (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")

    return read
