"""A logistic model over named features, kept as plain JSON: what the learned decision layers
(owners, target subjects) ship, evaluated with numpy alone.

Features are dicts of numbers; `transform` lists which are counts or distances (log1p) and
which are categories (one-hot over the values seen in training). Scaling, weights and a
calibration map (isotonic steps fitted on held-out articles) come from training/learn.py.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy


@dataclass
class LogisticModel:
    features: list[str]  # raw feature names, in order
    logs: list[str]  # raw features read as log1p(min(x, 5000))
    categories: dict[str, list[float]]  # raw feature -> the values that get a one-hot column each
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    calibration: list[list[float]] = field(default_factory=list)  # [[p_raw, p_calibrated], ...] increasing
    settings: dict = field(default_factory=dict)  # decision thresholds and the like
    # weights of a conditional logit over the same scaled columns, trained to rank one item's candidates
    # against each other (which owner, which subject); empty: candidates are ranked by probability
    choice: list[float] = field(default_factory=list)

    # -- features -------------------------------------------------------------------------------
    def matrix(self, rows: Sequence[Mapping[str, float]] | Columns) -> numpy.ndarray:
        """The design matrix (before scaling) of feature rows, or of a table of feature columns."""
        raw = rows.raw(self.features) if isinstance(rows, Columns) else raw_matrix(rows, self.features)
        return transform(raw, self.features, self.logs, self.categories)

    def scaled(self, rows: Sequence[Mapping[str, float]] | Columns) -> numpy.ndarray:
        return (self.matrix(rows) - numpy.asarray(self.mean)) / numpy.asarray(self.scale)

    def probabilities(self, rows: Sequence[Mapping[str, float]] | Columns) -> numpy.ndarray:
        return self.decide(rows)[0]

    def decide(self, rows: Sequence[Mapping[str, float]] | Columns) -> tuple[numpy.ndarray, numpy.ndarray]:
        """(calibrated probability that each pair is right, rank score among its item's candidates):
        a pair's probability says whether to keep it, the rank score which of an item's candidates
        comes first (the probability itself when the model has no choice weights)."""
        if not len(rows):
            return numpy.zeros(0), numpy.zeros(0)
        x = self.scaled(rows)
        z = x @ numpy.asarray(self.coef) + self.intercept
        p = self.calibrate(1.0 / (1.0 + numpy.exp(-numpy.clip(z, -60.0, 60.0))))  # no overflow
        return p, (x @ numpy.asarray(self.choice) if self.choice else p)

    def calibrate(self, p: numpy.ndarray) -> numpy.ndarray:
        if not self.calibration:
            return p
        xs, ys = zip(*self.calibration, strict=True)
        return numpy.interp(p, xs, ys)

    # -- storage ----------------------------------------------------------------------------------
    def to_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, indent=0, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> LogisticModel:
        return cls(**json.loads(text))

    def write(self, path: Path) -> None:
        Path(path).write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> LogisticModel:
        return cls.from_json(Path(path).read_text(encoding="utf-8"))


@runtime_checkable
class Columns(Protocol):
    """Features kept as columns (nlp/pairs.py PairTable): what `raw` gives for a list of names."""

    def __len__(self) -> int: ...

    def raw(self, features: list[str]) -> numpy.ndarray: ...


def raw_matrix(rows: Sequence[Mapping[str, float]], features: list[str]) -> numpy.ndarray:
    """Feature rows (dicts; a missing feature is 0) as a matrix, one column per feature."""
    zeros = (0.0,) * len(features)
    return numpy.array([tuple(map(r.get, features, zeros)) for r in rows], dtype=float).reshape(
        len(rows), len(features)
    )


def design(
    rows: Sequence[Mapping[str, float]],
    features: list[str],
    logs: list[str],
    categories: dict[str, list[float]],
) -> numpy.ndarray:
    """Raw rows -> columns: every feature (log1p for counts and distances), then one-hot columns."""
    return transform(raw_matrix(rows, features), features, logs, categories)


def transform(
    raw: numpy.ndarray, features: list[str], logs: list[str], categories: dict[str, list[float]]
) -> numpy.ndarray:
    """log1p for counts and distances, then one one-hot column per category value seen in training."""
    raw = numpy.array(raw, dtype=float)
    for j, f in enumerate(features):
        if f in logs:
            raw[:, j] = numpy.log1p(numpy.clip(raw[:, j], 0, 5000))
    onehot = [
        (raw[:, features.index(f)][:, None] == numpy.asarray(values)[None, :]).astype(float)
        for f, values in sorted(categories.items())
    ]
    return numpy.hstack([raw, *onehot]) if onehot else raw


class LinearComponent:
    """A pipeline component deciding with one LogisticModel, saved in its folder of the pipeline as
    MODEL_FILE (the owner and target-subject layers); without a model it passes Docs through."""

    MODEL_FILE = "model.json"

    def __init__(self, name: str, enabled: bool) -> None:
        self.name = name
        self.enabled = enabled
        self.model: LogisticModel | None = None

    def initialize(self, get_examples=None, *, nlp=None, model: str | None = None) -> None:
        """Read the trained model (`model`: a model file or a folder with one)."""
        file = (
            Path(model) / self.MODEL_FILE
            if model and Path(model).is_dir()
            else Path(model)
            if model
            else None
        )
        self.model = LogisticModel.read(file) if file is not None and file.exists() else None

    def to_disk(self, path: str | Path, *, exclude=()) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)
        if self.model is not None:
            self.model.write(Path(path) / self.MODEL_FILE)

    def from_disk(self, path: str | Path, *, exclude=()):
        file = Path(path) / self.MODEL_FILE
        self.model = LogisticModel.read(file) if file.exists() else None
        return self

    @property
    def active(self) -> bool:
        return self.enabled and self.model is not None
