"""`plankg train-segmenter`: train a pkuseg model on segmented text, prune it to a budget, package it."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from plankg.nlp.segmenter import evaluate, load_segmenter, model_size_mb, prune

from plankg.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"


def segmented_corpus(nlp, path: Path) -> Path:
    """A small training file: the fixture texts as segmented by the shipped pipeline."""
    lines = []
    for text_file in sorted(FIXTURES.glob("*.txt")):
        for line in text_file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                lines.append(" ".join(t.text for t in nlp.make_doc(line.strip()) if t.text.strip()))
    path.write_text("\n".join(lines * 3) + "\n", encoding="utf-8")
    return path


def test_train_prune_and_segment(nlp, tmp_path: Path) -> None:
    corpus = segmented_corpus(nlp, tmp_path / "train.seg")
    result = CliRunner().invoke(
        cli,
        [
            "train-segmenter",
            str(corpus),
            "--out",
            str(tmp_path / "model"),
            "--iterations",
            "1",
            "--budget-mb",
            "5",
        ],
    )
    assert result.exit_code == 0, result.output
    model = tmp_path / "model"
    assert (model / "features.msgpack").exists() and (model / "weights.npz").exists()
    assert model_size_mb(model) <= 5
    # the model learnt its own training text well
    score = evaluate(load_segmenter(model).cut, corpus)
    assert score.f1 > 0.8


def test_pruning_shrinks_the_model(nlp, tmp_path: Path) -> None:
    corpus = segmented_corpus(nlp, tmp_path / "train.seg")
    CliRunner().invoke(
        cli,
        [
            "train-segmenter",
            str(corpus),
            "--out",
            str(tmp_path / "full"),
            "--iterations",
            "1",
            "--budget-mb",
            "1000",
        ],
    )
    prune(tmp_path / "full", tmp_path / "small", threshold=0.5)
    assert model_size_mb(tmp_path / "small") < model_size_mb(tmp_path / "full")


def test_missing_corpus_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["train-segmenter", str(tmp_path / "nope.seg"), "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
