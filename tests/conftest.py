"""Shared fixtures: one plankg pipeline per test session, and a helper that analyses a text.

The shipped pipeline (nlp/models/plankg_zh, with the trained pkuseg segmenter) is used when it
exists; otherwise a fresh pipeline with character segmentation stands in for it. The plankg
recognisers match on characters, so the tests expect the same facts either way.
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


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The plankg pipeline, loaded once for the whole session."""
    if shipped_pipeline_exists():
        return pipeline.load()
    return pipeline.create(None)


Analyse = Callable[..., Doc]


@pytest.fixture(scope="session")
def analyse(nlp: Language) -> Analyse:
    """`analyse(text, date=None)`: run the pipeline over `text` as a document dated `date` (ISO)."""

    def run(text: str, date: str | None = None) -> Doc:
        doc = nlp.make_doc(text)
        doc._.date = date
        return nlp(doc)

    return run


@pytest.fixture(scope="session")
def pipeline_dir(nlp: Language, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A directory `plankg build` can load its pipeline from (PLANKG_PIPELINE), in and out of process.

    Without the shipped pipeline, the character-segmenting one is saved to a temporary folder
    so that the CLI tests run anyway.
    """
    if shipped_pipeline_exists():
        yield pipeline.PIPELINE_DIR
        return
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
