"""How likely a found candidate name is a government programme, read from its words and the words around it.

The finder's rules (``nlp.scheme_candidates``) find programme-like names and reject the look-alike classes they know;
each new writer's text brings look-alikes no rule has seen (another party's campaign, another shop's offer, a
coaching batch). A logistic regression trained on the project's labelled rows — their programme names as positives,
their look-alike decoys as negatives (``nlp.train_scheme_candidates``) — reads a name's words, the words just before
and after it, the rest of its sentence and the classes of the rules' word lists those words fall in (a party, a
business, a film …), and a candidate scoring below the model's threshold is dropped.

The weights are stored as JSON (feature → weight), so scoring needs no scikit-learn at run time: a sum of dictionary
lookups over a few dozen features, for the few spans a text holds.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from janmat.core.errors import InputError
from nlp import scheme_candidate_words as vocab
from nlp.normalize import fold

MODEL = Path(__file__).parent / "models" / "scheme_candidates.json"
WINDOW = 4
"""Words read on each side of a name (inside its sentence); the rest of the sentence counts as a bag of words."""
SENTENCE_WEIGHT = 0.5
"""A sentence word outside the window counts half: it says less about the name than a neighbour does."""
_SENTENCE_END = re.compile(r"[.!?।|\n]")
_QUOTES = "‘’'\"“”"
_LATIN = re.compile(r"[A-Za-z]")
WORD_CLASSES: dict[str, frozenset[str]] = {
    "government": vocab.GOVERNMENT_BEFORE | vocab.GOVERNMENT, "under": vocab.UNDER | vocab.PROGRAMME_AFTER,
    "party": vocab.PARTY, "business": vocab.BUSINESS | vocab.PRIVATE | vocab.STAFF, "state": vocab.STATE,
    "scope": vocab.SCOPE, "title": vocab.CHIEF_MINISTER | vocab.PRIME_MINISTER, "military": vocab.MILITARY,
    "work": vocab.SCREEN | vocab.WORK, "course": vocab.COURSE, "fake": vocab.FAKE, "negation": vocab.NEGATION,
    "drive": vocab.DRIVE_ACTIVITY | vocab.ACTIVITY, "free": vocab.COST_FREE, "sold": vocab.SOLD,
    "event": vocab.EVENT, "pay": vocab.PAY, "document": vocab.DOCUMENT_CARD, "not_programme": vocab.NOT_PROGRAMME,
    "money": vocab.MONEY, "generic": vocab.GENERIC, "works": vocab.WORKS, "institution": vocab.INSTITUTION}
"""The rules' word lists as classes: a word the training rows never held still counts by its class (a party, a
business, a film), which is what lets the scorer judge a new writer's look-alikes."""


def candidate_features(text: str, start: int, end: int) -> dict[str, float]:
    """The features of the name ``text[start:end]``: its words, its neighbours in its sentence, its sentence."""
    name = text[start:end]
    left, right = text[:start], text[end:]
    sentence_start = max((m.end() for m in _SENTENCE_END.finditer(left)), default=0)
    sentence_end = _SENTENCE_END.search(right)
    before = fold(left[sentence_start:]).split()
    after = fold(right[: sentence_end.start() if sentence_end else len(right)]).split()
    words = fold(name).split()
    latin = bool(_LATIN.search(name))
    features: dict[str, float] = {"script=" + ("latn" if latin else "deva"): 1.0, f"len={min(len(words), 5)}": 1.0}
    if words:
        features["last=" + words[-1]] = 1.0
        features["first=" + words[0]] = 1.0
    for word in words[:-1]:
        features["n=" + word] = 1.0
    near_before, near_after = before[-WINDOW:], after[:WINDOW]
    for word in near_before:
        features["l=" + word] = 1.0
    for word in near_after:
        features["r=" + word] = 1.0
    if near_before:
        features["l1=" + near_before[-1]] = 1.0
    if near_after:
        features["r1=" + near_after[0]] = 1.0
    for word in set(before[:-WINDOW] + after[WINDOW:]):
        features["s=" + word] = SENTENCE_WEIGHT
    opening = left.rstrip()[-1:]
    if opening and opening in _QUOTES:
        features["quoted"] = 1.0
    if latin and name[:1].isupper():
        features["capitalised"] = 1.0
    features.update(_classes(words, "nc="))
    features.update(_classes(before + after, "sc="))
    return features


def _classes(words: list[str], prefix: str) -> dict[str, float]:
    return {prefix + name: 1.0 for name, members in WORD_CLASSES.items() if any(w in members for w in words)}


class CandidateScorer:
    """A trained scorer: the probability that a found name is a programme, and whether it is kept."""

    def __init__(self, model: dict[str, Any]) -> None:
        self.name = f"{model['name']}-{model['version']}"
        self.threshold = float(model["threshold"])
        self.intercept = float(model["intercept"])
        self.weights: dict[str, float] = model["weights"]

    def score(self, text: str, start: int, end: int) -> float:
        """The probability that ``text[start:end]`` names a government programme."""
        z = self.intercept + sum(value * self.weights.get(feature, 0.0)
                                 for feature, value in candidate_features(text, start, end).items())
        return 1.0 / (1.0 + math.exp(-z))

    def keeps(self, text: str, start: int, end: int) -> bool:
        """Whether the name at ``text[start:end]`` scores at least the model's threshold."""
        return self.score(text, start, end) >= self.threshold


def load_scorer(path: Path = MODEL) -> CandidateScorer:
    """Read a scorer file (``janmat train scheme-candidates`` writes one)."""
    try:
        model = json.loads(path.read_text(encoding="utf-8"))
        return CandidateScorer(model)
    except FileNotFoundError as exc:
        raise InputError(f"scheme candidate scorer {path} is missing: run `janmat train scheme-candidates`") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"scheme candidate scorer {path} is not a scorer file: {exc}") from exc


@lru_cache(maxsize=1)
def get_candidate_scorer() -> CandidateScorer:
    """The shipped scorer, loaded once per process."""
    return load_scorer()
