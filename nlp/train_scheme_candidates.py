"""Train the scheme candidate scorer (``nlp.scheme_candidate_scorer``) from the project's labelled scheme rows.

Each row of ``nlp/resources/scheme_discovery_rows.jsonl`` lists the out-of-catalogue programme names it holds
(``candidates``: positives) and the phrases that look like one but are not (``decoys``: negatives), as written. A
logistic regression (scikit-learn) over ``candidate_features`` of each phrase in its row's text learns which words,
neighbours and sentences mark a programme. Only the parts in ``TRAINING_PARTS`` are read: the later parts are the
held-out measurement of the shipped scorer (``docs/schemes.md``, "Measured"). The same rows give the same file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from janmat.core.errors import InputError
from nlp.scheme_candidate_scorer import MODEL, candidate_features

ROWS = Path(__file__).parent / "resources" / "scheme_discovery_rows.jsonl"
TRAINING_PARTS = range(1, 11)
"""Parts 1–10 (``dev``/``held_out`` … ``dev10``/``held_out10``), all measured before the scorer existed."""
REGULARIZATION = 1.0
THRESHOLD = 0.3
"""Chosen on development data only (docs/schemes.md, "The scorer"): leaving each writer's part out in turn, 0.3 kept
precision near 0.5's while losing fewer programmes, and on hand-labelled unlabelled news it lost far fewer."""
VERSION = 1


def row_part(row: dict[str, Any]) -> int:
    """The part a row belongs to, from its split (``dev7`` → 7; ``dev`` / ``held_out`` → 1)."""
    digits = re.sub(r"\D", "", row["split"])
    return int(digits) if digits else 1


def labelled_phrases(rows: list[dict[str, Any]]) -> tuple[list[dict[str, float]], list[int]]:
    """Features and labels of every labelled phrase: programme names 1, decoys 0."""
    features: list[dict[str, float]] = []
    labels: list[int] = []
    for row in rows:
        text = row["text"]
        for phrases, label in ((row["candidates"], 1), (row["decoys"], 0)):
            for phrase in phrases:
                start = text.find(phrase)
                if start < 0:
                    raise InputError(f"row {row['id']}: {phrase!r} is not in its text")
                features.append(candidate_features(text, start, start + len(phrase)))
                labels.append(label)
    return features, labels


def training_rows(path: Path = ROWS, parts: range = TRAINING_PARTS) -> list[dict[str, Any]]:
    """The rows of the training parts."""
    with path.open(encoding="utf-8") as handle:
        return [row for row in map(json.loads, handle) if row_part(row) in parts]


def fit_scorer(rows: list[dict[str, Any]], regularization: float = REGULARIZATION) -> dict[str, Any]:
    """A scorer model (the JSON the scorer reads) fitted on ``rows``."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    features, labels = labelled_phrases(rows)
    if len(set(labels)) < 2:
        raise InputError("the scorer needs both programme names and decoys to learn from")
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(features)
    # balanced: the rows hold more decoys than names, and a name lost costs as much as a decoy kept
    model = LogisticRegression(C=regularization, class_weight="balanced", max_iter=3000).fit(matrix, labels)
    weights = {feature: round(float(weight), 5)
               for feature, weight in zip(vectorizer.get_feature_names_out(), model.coef_[0], strict=True)
               if abs(weight) >= 1e-5}
    return {"name": "janmat-scheme-candidates", "version": VERSION, "threshold": THRESHOLD,
            "intercept": round(float(model.intercept_[0]), 5),
            "trained_on": {"rows": len(rows), "programme_names": sum(labels),
                           "decoys": len(labels) - sum(labels)},
            "weights": dict(sorted(weights.items()))}


def train_scheme_scorer(out: Path = MODEL, rows_path: Path = ROWS) -> dict[str, Any]:
    """Fit the scorer on the training parts and write it to ``out``; what it was trained on."""
    model = fit_scorer(training_rows(rows_path))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(model, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    return {"out": str(out), "features": len(model["weights"]), **model["trained_on"]}
