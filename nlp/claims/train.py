"""Train the pair scorer on the dev split only and write ``nlp/claims/scorer.json``.

    .venv/bin/python -m nlp.claims.train --data DIR

The held-out mentions are never read here. The threshold is the one with the best recall among those at
which the dev pairs, scored by models that did not see their claim (grouped cross-validation), keep
``--precision`` (default 0.9: on the dev pairs no threshold keeps 0.95 at a useful recall, see
``docs/claims.md``).
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from datetime import date
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from nlp.claims.dataset import load_claim_set
from nlp.claims.evaluation import candidate_rows, claims_of
from nlp.claims.features import FEATURES
from nlp.claims.matcher import ClaimMatcher
from nlp.claims.scorer import SCORER_FILE, VETOES, Scorer

C = 3.0
FOLDS = 5
_BLANK = Scorer(weights=dict.fromkeys(FEATURES, 0.0), intercept=0.0, threshold=0.5)


def _fit(features: np.ndarray, labels: np.ndarray) -> LogisticRegression:
    return LogisticRegression(C=C, max_iter=1000).fit(features, labels)


def choose_threshold(probabilities: np.ndarray, labels: np.ndarray, positives: int,
                     precision: float) -> tuple[float, float, float]:
    """(threshold, precision, recall) with the best recall among the thresholds whose returned pairs keep
    ``precision``; recall counts the positive mentions (``positives``) whose claim is returned."""
    best = (1.0, 1.0, 0.0)
    for threshold in sorted(set(np.round(probabilities, 4)), reverse=True):
        chosen = probabilities >= threshold
        returned, right = int(chosen.sum()), int((chosen & (labels == 1)).sum())
        if returned and right / returned >= precision and right / positives > best[2]:
            best = (float(threshold), right / returned, right / positives)
    return best


def train(data: Path, precision: float = 0.9) -> Scorer:
    """Fit the scorer on the dev mentions and pick its threshold."""
    claim_set = load_claim_set(data)
    dev = claim_set.mentions_on("dev")
    matcher = ClaimMatcher(claims_of(claim_set), scorer=_BLANK)
    rows = candidate_rows(matcher, dev)
    groups = [group for group, _, _ in rows]
    features = np.array([row for _, row, _ in rows])
    labels = np.array([label for _, _, label in rows])
    out_of_fold = np.zeros(len(rows))
    for train_rows, test_rows in GroupKFold(n_splits=FOLDS).split(features, labels, groups):
        out_of_fold[test_rows] = _fit(features[train_rows], labels[train_rows]).predict_proba(
            features[test_rows])[:, 1]
    out_of_fold[features[:, [FEATURES.index(name) for name in VETOES]].any(axis=1)] = 0.0
    positives = sum(1 for mention in dev if mention.get("claim_id"))
    threshold, cv_precision, cv_recall = choose_threshold(out_of_fold, labels, positives, precision)
    model = _fit(features, labels)
    by_language: dict[str, int] = defaultdict(int)
    for mention in dev:
        by_language[mention.get("lang", "?")] += 1
    card = {
        "trained": date.today().isoformat(), "trained_on": "dev split of the reference claims + project hi-Latn rows",
        "dev_mentions": len(dev), "dev_positive_mentions": positives, "dev_by_language": dict(by_language),
        "candidate_pairs": len(rows), "positive_pairs": int(labels.sum()), "C": C, "folds": FOLDS,
        "target_precision": precision, "cv_precision": round(cv_precision, 4), "cv_recall": round(cv_recall, 4),
        "claims_indexed": len(matcher),
    }
    return Scorer(weights={name: round(float(w), 4) for name, w in zip(FEATURES, model.coef_[0], strict=True)},
                  intercept=round(float(model.intercept_[0]), 4), threshold=round(threshold, 4), card=card)


def main() -> None:
    """Command line: train and write the scorer file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="the reference data folder (holding claims/)")
    parser.add_argument("--precision", type=float, default=0.9)
    parser.add_argument("--out", type=Path, default=SCORER_FILE)
    args = parser.parse_args()
    scorer = train(args.data, args.precision)
    args.out.write_text(scorer.to_json(), encoding="utf-8")
    print(scorer.to_json())


if __name__ == "__main__":
    main()
