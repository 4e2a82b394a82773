"""Train, prune and evaluate the pkuseg word-segmentation model that ships with plankg.

No pretrained pkuseg model can be downloaded at run time, so the project trains its own
on gold-segmented news text (one sentence a line, words separated by spaces) and prunes
the feature table to a size budget before shipping it.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import srsly

MODEL_FILES = ("features.msgpack", "weights.npz")


def model_size_mb(model_dir: Path) -> float:
    return sum((model_dir / name).stat().st_size for name in MODEL_FILES) / 1e6


def concatenate(corpora: Iterable[Path], out: Path) -> int:
    """Write all training corpora into one file, normalising word separators; return lines."""
    n = 0
    with out.open("w", encoding="utf-8") as writer:
        for path in corpora:
            with Path(path).open(encoding="utf-8") as reader:
                for line in reader:
                    words = line.split()
                    if words:
                        writer.write(" ".join(words) + "\n")
                        n += 1
    return n


def train(
    corpora: Iterable[Path],
    out_dir: Path,
    *,
    dev_file: Path | None = None,
    iterations: int = 5,
    budget_mb: float | None = 12.0,
) -> Path:
    """Train a pkuseg CRF on gold-segmented corpora and prune it to `budget_mb`."""
    import spacy_pkuseg

    corpora = [Path(p) for p in corpora]
    for path in corpora:
        if not path.is_file():
            raise FileNotFoundError(f"training corpus not found: {path}")
    out_dir = Path(out_dir)
    with tempfile.TemporaryDirectory(prefix="plankg-seg-") as tmp:
        train_file = Path(tmp) / "train.txt"
        concatenate(corpora, train_file)
        if dev_file is None:
            dev_file = Path(tmp) / "dev.txt"
            with train_file.open(encoding="utf-8") as reader, dev_file.open("w", encoding="utf-8") as writer:
                for i, line in enumerate(reader):
                    if i >= 500:
                        break
                    writer.write(line)
        raw_dir = Path(tmp) / "raw"
        spacy_pkuseg.train(str(train_file), str(dev_file), str(raw_dir), train_iter=iterations)
        if budget_mb is None:
            out_dir.mkdir(parents=True, exist_ok=True)
            for name in MODEL_FILES:
                shutil.copy(raw_dir / name, out_dir / name)
        else:
            prune_to_budget(raw_dir, out_dir, budget_mb)
    return out_dir


def prune(model_dir: Path, out_dir: Path, threshold: float) -> None:
    """Drop features whose largest absolute weight is <= threshold, and the unused bigram list."""
    data = srsly.read_msgpack(Path(model_dir) / "features.msgpack")
    npz = np.load(Path(model_dir) / "weights.npz")
    n_tag, n_feature = (int(x) for x in npz["sizes"])
    w = npz["w"]
    node = w[: n_feature * n_tag].reshape(n_feature, n_tag)
    trans = w[n_feature * n_tag :]
    keep = np.abs(node).max(axis=1) > threshold
    new_index = np.cumsum(keep) - 1
    feature_to_idx = {f: int(new_index[i]) for f, i in data["feature_to_idx"].items() if keep[i]}
    new_w = np.concatenate([node[keep].reshape(-1), trans])
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    srsly.write_msgpack(
        out_dir / "features.msgpack",
        {
            "unigram": data["unigram"],
            "bigram": [],
            "feature_to_idx": feature_to_idx,
            "tag_to_idx": data["tag_to_idx"],
        },
    )
    np.savez_compressed(out_dir / "weights.npz", sizes=np.array([n_tag, int(keep.sum())]), w=new_w)


def prune_to_budget(model_dir: Path, out_dir: Path, budget_mb: float) -> float:
    """Raise the pruning threshold until the model fits the size budget; return the threshold."""
    threshold = 0.0
    while True:
        prune(model_dir, out_dir, threshold)
        if model_size_mb(Path(out_dir)) <= budget_mb:
            return threshold
        threshold = 0.01 if threshold == 0 else threshold * 1.5


@dataclass
class SegmentationScore:
    precision: float
    recall: float
    f1: float
    chars: int


def _spans(words: list[str]) -> set[tuple[int, int]]:
    spans, start = set(), 0
    for word in words:
        spans.add((start, start + len(word)))
        start += len(word)
    return spans


def evaluate(segment: callable, gold_file: Path) -> SegmentationScore:
    """Word-level P/R/F1 of `segment(text) -> words` against a gold-segmented file."""
    tp = n_pred = n_gold = chars = 0
    for gold_words in _read_gold(gold_file):
        text = "".join(gold_words)
        chars += len(text)
        pred = [w for w in segment(text) if w.strip()]
        gold, guess = _spans(gold_words), _spans(pred)
        tp += len(gold & guess)
        n_pred += len(guess)
        n_gold += len(gold)
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return SegmentationScore(p, r, f, chars)


def _read_gold(path: Path) -> Iterator[list[str]]:
    with Path(path).open(encoding="utf-8") as reader:
        for line in reader:
            words = line.split()
            if words:
                yield words


def load_segmenter(model_dir: Path, user_dict: Path | None = None):
    """A bare spacy_pkuseg segmenter (no default dictionary merge), for evaluation."""
    import spacy_pkuseg

    return spacy_pkuseg.pkuseg(str(model_dir), user_dict=str(user_dict) if user_dict else None)


def main(argv: list[str] | None = None) -> int:
    """python -m training.segmenter CORPUS... --out DIR [--dev GOLD] [--iterations N] [--budget-mb MB]"""
    import argparse

    parser = argparse.ArgumentParser(description="Train the pkuseg segmenter on gold-segmented corpora.")
    parser.add_argument(
        "corpora", nargs="+", type=Path, help="one sentence a line, words separated by spaces"
    )
    parser.add_argument("--out", type=Path, required=True, help="folder for features.msgpack and weights.npz")
    parser.add_argument("--dev", type=Path, help="gold-segmented file scored after training")
    parser.add_argument("--iterations", type=int, default=5)
    parser.add_argument("--budget-mb", type=float, default=12.0, help="prune features until the model fits")
    args = parser.parse_args(argv)
    try:
        model = train(
            args.corpora, args.out, dev_file=args.dev, iterations=args.iterations, budget_mb=args.budget_mb
        )
    except FileNotFoundError as exc:
        parser.exit(2, f"error: {exc}\n")
    print(
        f"model: {model} ({model_size_mb(model):.1f} MB); package it with python -m training.package --segmenter {model}"
    )
    if args.dev:
        print(evaluate(load_segmenter(model).cut, args.dev))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
