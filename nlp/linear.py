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

    # -- features -------------------------------------------------------------------------------
    def matrix(self, rows: Sequence[Mapping[str, float]]) -> numpy.ndarray:
        """The design matrix of raw feature rows (before scaling)."""
        return design(rows, self.features, self.logs, self.categories)

    def probabilities(self, rows: Sequence[Mapping[str, float]]) -> numpy.ndarray:
        if not rows:
            return numpy.zeros(0)
        x = (self.matrix(rows) - numpy.asarray(self.mean)) / numpy.asarray(self.scale)
        z = x @ numpy.asarray(self.coef) + self.intercept
        return self.calibrate(1.0 / (1.0 + numpy.exp(-numpy.clip(z, -60.0, 60.0))))  # no overflow

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


def design(
    rows: Sequence[Mapping[str, float]],
    features: list[str],
    logs: list[str],
    categories: dict[str, list[float]],
) -> numpy.ndarray:
    """Raw rows -> columns: every feature (log1p for counts and distances), then one-hot columns."""
    zeros = (0.0,) * len(features)
    raw = numpy.array([tuple(map(r.get, features, zeros)) for r in rows], dtype=float).reshape(
        len(rows), len(features)
    )
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
