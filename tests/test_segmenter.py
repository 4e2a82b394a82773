"""training/segmenter.py: train a pkuseg model on segmented text and prune it to a size budget."""

from __future__ import annotations

from pathlib import Path

import pytest

from training.segmenter import evaluate, load_segmenter, main, model_size_mb, prune

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
    model = tmp_path / "model"
    assert main([str(corpus), "--out", str(model), "--iterations", "1", "--budget-mb", "5"]) == 0
    assert (model / "features.msgpack").exists() and (model / "weights.npz").exists()
    assert model_size_mb(model) <= 5
    # the model learnt its own training text well
    score = evaluate(load_segmenter(model).cut, corpus)
    assert score.f1 > 0.8


def test_pruning_shrinks_the_model(nlp, tmp_path: Path) -> None:
    corpus = segmented_corpus(nlp, tmp_path / "train.seg")
    main([str(corpus), "--out", str(tmp_path / "full"), "--iterations", "1", "--budget-mb", "1000"])
    prune(tmp_path / "full", tmp_path / "small", threshold=0.5)
    assert model_size_mb(tmp_path / "small") < model_size_mb(tmp_path / "full")


def test_missing_corpus_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([str(tmp_path / "nope.seg"), "--out", str(tmp_path)])
    assert exit_info.value.code != 0
    err = capsys.readouterr().err
    assert "nope.seg" in err and "Traceback" not in err


def test_packaging_refuses_to_replace_the_shipped_pipeline(capsys: pytest.CaptureFixture[str]) -> None:
    from plankg.nlp.pipeline import PIPELINE_DIR
    from training.package import main as package_main

    before = (PIPELINE_DIR / "config.cfg").read_bytes()
    with pytest.raises(SystemExit) as exit_info:
        package_main(["--out", str(PIPELINE_DIR)])
    assert exit_info.value.code != 0 and "--force" in capsys.readouterr().err
    assert (PIPELINE_DIR / "config.cfg").read_bytes() == before
