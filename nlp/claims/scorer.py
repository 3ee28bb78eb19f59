"""The pair scorer: a logistic regression over the pair features (``nlp.claims.features.FEATURES``), trained on
the dev split only (``nlp.claims.train``) and committed as ``scorer.json`` (weights, threshold, how it was
made). Reading a weight tells what a feature is worth; scoring is one dot product per candidate.

One rule stands above the weights: a claim's amount is its identity, so a pair whose amounts disagree (both
state amounts of 100 or more and share none: ₹3,800 against ₹3,500) scores 0 whatever else they share."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from nlp.claims.features import FEATURES

SCORER_FILE = Path(__file__).resolve().parent / "scorer.json"
VETOES: tuple[str, ...] = ("amount_conflict",)
"""Features that, when set, make a pair no match."""
_VETO_POSITIONS = tuple(FEATURES.index(name) for name in VETOES)


@dataclass(frozen=True, slots=True)
class Scorer:
    """Weights per feature, an intercept and the operating threshold on the resulting probability."""

    weights: dict[str, float]
    intercept: float
    threshold: float
    card: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        missing = set(FEATURES) - set(self.weights)
        if missing:
            raise ValueError(f"scorer has no weight for {', '.join(sorted(missing))}")

    def probability(self, features: list[float]) -> float:
        """The probability that the pair is a match (0 when a veto feature is set)."""
        if any(features[position] for position in _VETO_POSITIONS):
            return 0.0
        z = self.intercept + sum(self.weights[name] * value for name, value in zip(FEATURES, features, strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self) -> str:
        """The committed form."""
        return json.dumps({"features": list(FEATURES), "vetoes": list(VETOES), "weights": self.weights,
                           "intercept": self.intercept, "threshold": self.threshold, "card": self.card},
                          indent=1, ensure_ascii=False) + "\n"

    @classmethod
    def load(cls, path: Path = SCORER_FILE) -> Scorer:
        """Read a scorer file."""
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(weights=data["weights"], intercept=data["intercept"], threshold=data["threshold"],
                   card=data.get("card", {}))


@lru_cache(maxsize=1)
def default_scorer() -> Scorer:
    """The committed scorer."""
    return Scorer.load()
