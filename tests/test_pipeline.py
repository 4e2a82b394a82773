"""The shipped pipeline is a self-contained spaCy package: loadable alone, ordered by its config,
carrying the data files it was built from."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from spacy.language import Language
from spacy.util import load_config

from plankg.nlp.component import KnowledgeComponent
from plankg.nlp.lexicon import DATA_DIR
from plankg.nlp.pipeline import CONFIG, PIPELINE_DIR, create


def test_spacy_loads_the_pipeline_without_importing_plankg_first() -> None:
    script = (
        "import sys, spacy\n"
        "assert not [m for m in sys.modules if m.startswith('plankg')]\n"
        f"nlp = spacy.load({str(PIPELINE_DIR)!r})\n"
        "doc = nlp('天河区委书记陈加猛主持会议。')\n"
        "print(sorted((e.text, e.label_) for e in doc.ents))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[('天河区', 'District'), ('陈加猛', 'Official')]"


def test_component_order_comes_from_the_config(nlp: Language) -> None:
    assert nlp.pipe_names == load_config(CONFIG)["nlp"]["pipeline"]


def test_every_requirement_is_assigned_earlier(nlp: Language) -> None:
    problems = nlp.analyze_pipes(pretty=False)["problems"]
    assert problems == {name: [] for name in nlp.pipe_names}


def test_shipped_components_carry_the_data_files_they_were_built_from(nlp: Language) -> None:
    """Editing nlp/data without rebuilding the pipeline (python -m training.package) fails here."""
    for name, component in nlp.pipeline:
        if not isinstance(component, KnowledgeComponent):
            continue
        for file in component.files:
            shipped = (PIPELINE_DIR / name / file).read_text(encoding="utf-8")
            assert shipped == (DATA_DIR / file).read_text(encoding="utf-8"), f"{name}/{file} is stale"


def test_thresholds_are_settings_of_the_components() -> None:
    """A component's thresholds are config values: changing one changes what it finds."""
    text = "要加快推进某某某某某某某某某某科技创新产业园建设。"
    default = create(None)
    short = create(None, {"components.plankg_names.max_name_chars": 6})
    platforms = lambda nlp: [m.text for m in nlp(text)._.mentions if m.label == "Platform"]  # noqa: E731
    assert platforms(default) == ["某某某某某某某某某某科技创新产业园"]
    assert platforms(short) == ["某某科技创新产业园"]  # six characters before the suffix 产业园


def test_a_rebuilt_pipeline_gives_the_shipped_facts(tmp_path: Path, fixture_text) -> None:
    """training.package rebuilds the shipped pipeline (learned layers included) from its parts."""
    import spacy

    from plankg.nlp.handover import doc_to_facts
    from training.package import main

    assert main(["--out", str(tmp_path / "rebuilt")]) == 0
    rebuilt, nlp = spacy.load(tmp_path / "rebuilt"), spacy.load(PIPELINE_DIR)
    for name in ("jiangxia", "suzhou", "xiaoshan"):
        text = fixture_text(name)
        assert doc_to_facts(rebuilt(text)) == doc_to_facts(nlp(text))
        assert any(m.source == "learned" or m.confidence < 1 for m in nlp(text)._.mentions)  # the CRF decided
    for part in ("tokenizer/pkuseg_model/weights.npz", "tokenizer/pkuseg_processors"):
        assert (tmp_path / "rebuilt" / part).read_bytes() == (PIPELINE_DIR / part).read_bytes()


def test_the_speaker_layer_keeps_the_cue_words_it_was_trained_with(tmp_path: Path) -> None:
    """Its cue file travels with the pipeline: a saved copy reads its own, not the installed one."""
    import spacy

    from plankg.nlp.speakers import CUES_FILE

    shipped = (PIPELINE_DIR / "plankg_speakers" / CUES_FILE).read_text(encoding="utf-8")
    assert shipped == (DATA_DIR / CUES_FILE).read_text(encoding="utf-8"), "plankg_speakers cues are stale"
    nlp = spacy.load(PIPELINE_DIR)
    nlp.to_disk(tmp_path / "copy")
    saved = tmp_path / "copy" / "plankg_speakers" / CUES_FILE
    saved.write_text("讲话\tspeak\n", encoding="utf-8")
    assert spacy.load(tmp_path / "copy").get_pipe("plankg_speakers").cues == {"讲话": "speak"}


def test_an_empty_or_blank_text_is_a_document_without_facts(nlp: Language) -> None:
    """spaCy users call the pipeline on any string; one with no characters or only blanks gives a
    document with nothing in it, through every component (the build never sends one: it warns)."""
    for text in ("", " ", "\n\n", "\u3000"):
        doc = nlp(text)
        assert (doc._.mentions or []) == [] and (doc._.relations or []) == [] and list(doc.ents) == []
