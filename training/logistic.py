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


def fit_choice(
    model: LogisticModel,
    rows: Sequence[dict],
    labels: Sequence[int],
    groups: Sequence[str],
    items: Sequence[str],
    c: float = 1.0,
    folds: int = 5,
) -> numpy.ndarray:
    """Fit `model.choice`: a conditional logit that ranks each item's candidates (`items` names the
    item of every row) against each other, on the model's own scaled columns, and return its
    out-of-fold scores (documents grouped as in `fit`).

    The pointwise model learns how likely a pair is right across all documents, so a unit that is
    often right anywhere (the most-named one) outranks the one this sentence speaks of; the
    conditional logit learns only from the choices within an item, which is the decision to make."""
    from sklearn.model_selection import GroupKFold

    x = model.scaled(rows)
    y = numpy.asarray(labels, dtype=float)
    item = numpy.unique(numpy.asarray(items), return_inverse=True)[1]
    scores = numpy.zeros(len(y))
    splits = min(folds, len(set(groups)))
    for train, test in GroupKFold(n_splits=splits).split(x, y, groups) if splits >= 2 else []:
        scores[test] = x[test] @ conditional_logit(x[train], y[train], item[train], c)
    model.choice = conditional_logit(x, y, item, c).tolist()
    if splits < 2:
        scores = x @ numpy.asarray(model.choice)
    return scores


def conditional_logit(x: numpy.ndarray, y: numpy.ndarray, item: numpy.ndarray, c: float) -> numpy.ndarray:
    """Weights maximising, over the items with a right candidate, the softmax probability of the
    right ones among the item's candidates, with an L2 penalty of 1/(2c) |w|² (L-BFGS)."""
    from scipy.optimize import minimize

    has_right = numpy.bincount(item, weights=y) > 0
    keep = has_right[item]
    x, y = x[keep], y[keep]
    if not len(y):
        return numpy.zeros(x.shape[1])
    item = numpy.unique(item[keep], return_inverse=True)[1]
    n = int(item.max()) + 1

    def loss(w: numpy.ndarray) -> tuple[float, numpy.ndarray]:
        s = x @ w
        top = numpy.full(n, -numpy.inf)
        numpy.maximum.at(top, item, s)
        e = numpy.exp(s - top[item])
        total = numpy.bincount(item, weights=e, minlength=n)
        right = numpy.bincount(item, weights=e * y, minlength=n)
        nll = -(numpy.log(right) - numpy.log(total)).sum() + 0.5 / c * float(w @ w)
        grad = x.T @ (e / total[item] - e * y / right[item]) + w / c
        return nll, grad

    return minimize(loss, numpy.zeros(x.shape[1]), jac=True, method="L-BFGS-B").x
