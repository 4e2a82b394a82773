"""Fitting the learned decision layers' logistic models (nlp/linear.py) with scikit-learn.

Out-of-fold probabilities (documents grouped, so one article never informs its own scores) give
the isotonic calibration map and the decision thresholds, chosen for F1.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy

from plankg.nlp.linear import LogisticModel, design


def fit(
    rows: Sequence[dict],
    labels: Sequence[int],
    groups: Sequence[str],
    features: list[str],
    logs: list[str],
    categories: dict[str, list[float]],
    c: float = 1.0,
    folds: int = 5,
) -> tuple[LogisticModel, numpy.ndarray]:
    """The model fitted on all rows, calibrated on out-of-fold probabilities; and those probabilities."""
    from sklearn.isotonic import IsotonicRegression
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    x = design(rows, features, logs, categories)
    y = numpy.asarray(labels)
    if len(set(y.tolist())) < 2:  # too little data to learn anything: a model of the base rate
        rate = float(y.mean()) if len(y) else 0.0
        z = numpy.log(max(rate, 1e-6) / max(1 - rate, 1e-6))
        model = LogisticModel(
            list(features),
            list(logs),
            {k: list(v) for k, v in categories.items()},
            [0.0] * x.shape[1],
            [1.0] * x.shape[1],
            [0.0] * x.shape[1],
            float(z),
        )
        return model, numpy.full(len(y), rate)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    xs = (x - mean) / scale
    oof = numpy.zeros(len(y))
    splits = min(folds, len(set(groups)))
    for train, test in GroupKFold(n_splits=splits).split(xs, y, groups) if splits >= 2 else []:
        if len(set(y[train].tolist())) < 2:
            oof[test] = y[train].mean()
            continue
        model = LogisticRegression(C=c, max_iter=3000).fit(xs[train], y[train])
        oof[test] = model.predict_proba(xs[test])[:, 1]
    final = LogisticRegression(C=c, max_iter=3000).fit(xs, y)
    if splits < 2:
        oof = final.predict_proba(xs)[:, 1]
    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(oof, y)
    knots = sorted(set(numpy.round(iso.X_thresholds_, 4).tolist()))
    calibration = [[k, float(iso.predict([k])[0])] for k in knots]
    model = LogisticModel(
        features=list(features),
        logs=list(logs),
        categories={k: list(v) for k, v in categories.items()},
        mean=mean.tolist(),
        scale=scale.tolist(),
        coef=final.coef_[0].tolist(),
        intercept=float(final.intercept_[0]),
        calibration=calibration,
    )
    return model, model.calibrate(oof)
