"""Calibration of the tone probabilities: temperature scaling, expected calibration error, reliability diagrams.

A probability is calibrated when, among the mentions labelled with probability about 0.8, about 8 in 10 are right.
The tone model's temperature is fitted by minimizing the negative log-likelihood of out-of-fold predictions
(``scipy.optimize.minimize_scalar``); it divides the scores before the softmax, so it changes how sure the model
says it is, never which label it picks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax

BINS = 10


def fit_temperature(scores: np.ndarray, gold: Sequence[int]) -> float:
    """The temperature T (0.05–20) that minimizes the negative log-likelihood of ``softmax(scores / T)``."""
    scores = np.asarray(scores, dtype=np.float64)
    rows = np.arange(len(gold))
    gold_index = np.asarray(gold, dtype=np.int64)

    def loss(log_t: float) -> float:
        return float(-log_softmax(scores / math.exp(log_t), axis=1)[rows, gold_index].mean())

    found = minimize_scalar(loss, bounds=(math.log(0.05), math.log(20.0)), method="bounded",
                            options={"xatol": 1e-4})
    return round(math.exp(found.x), 4)


def reliability(confidence: Sequence[float], correct: Sequence[bool], bins: int = BINS) -> list[dict[str, float]]:
    """Per equal-width confidence bin: how many predictions, their mean confidence and their accuracy."""
    confidence = np.asarray(confidence, dtype=np.float64)
    correct = np.asarray(correct, dtype=np.float64)
    which = np.minimum((confidence * bins).astype(int), bins - 1)
    table = []
    for k in range(bins):
        chosen = which == k
        n = int(chosen.sum())
        table.append({"low": k / bins, "high": (k + 1) / bins, "n": n,
                      "confidence": round(float(confidence[chosen].mean()), 4) if n else 0.0,
                      "accuracy": round(float(correct[chosen].mean()), 4) if n else 0.0})
    return table


def expected_calibration_error(confidence: Sequence[float], correct: Sequence[bool], bins: int = BINS) -> float:
    """ECE: the gap between confidence and accuracy per bin, averaged with the bins' shares of predictions."""
    table = reliability(confidence, correct, bins)
    total = sum(row["n"] for row in table)
    if not total:
        return 0.0
    return round(sum(row["n"] / total * abs(row["accuracy"] - row["confidence"]) for row in table), 4)


def plot_reliability(curves: dict[str, tuple[Sequence[float], Sequence[bool]]], path: Path, title: str) -> Path:
    """Draw a reliability diagram (accuracy against confidence per bin, one line per curve, with its ECE) as PNG.

    Needs matplotlib (the ``notebooks`` extra)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(5, 5), dpi=100)
    axes.plot([0, 1], [0, 1], linestyle=":", color="grey", label="perfect calibration")
    for name, (confidence, correct) in curves.items():
        table = [row for row in reliability(confidence, correct) if row["n"]]
        ece = expected_calibration_error(confidence, correct)
        axes.plot([row["confidence"] for row in table], [row["accuracy"] for row in table], marker="o",
                  label=f"{name} (ECE {ece:.3f}, n {len(confidence)})")
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.set_xlabel("confidence (probability of the chosen label)")
    axes.set_ylabel("accuracy")
    axes.set_title(title, fontsize=10)
    axes.legend(loc="upper left", fontsize=8)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, metadata={"Software": None})
    pyplot.close(figure)
    return path
