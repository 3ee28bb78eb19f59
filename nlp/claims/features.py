"""What the scorer compares: a text's profile (keys, character n-grams, near-duplicate shingles, numbers, scheme
and district tags) and the features of one mention–claim pair."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from nlp.claims.keys import text_keys
from nlp.claims.numbers import Numbers, numbers
from nlp.neardup import shingles

FEATURES: tuple[str, ...] = (
    "claim_cover", "mention_cover", "shared_weight", "margin", "char_sim", "shingle_jaccard", "negation",
    "amount_match", "amount_conflict", "year_match", "year_conflict",
    "scheme_match", "scheme_conflict", "district_match", "district_conflict",
)
"""The pair features, in the order of the scorer's weights."""
_GRAM = 3
# a mention that says the claim's words with "not", "nothing to do with" or "old video" is a rebuttal
_NEGATION = re.compile(r"(?<![^\s])(?:not|no|never|nothing|neither|nor|didn't|doesn't|isn't|wasn't|nahi|nahin|"
                       r"नहीं|नही|ना|मत|old|पुराना|पुरानी|पुराने|original|actually|दरअसल|असल)(?![^\s])")


@dataclass(frozen=True, slots=True)
class TextProfile:
    """A text reduced to what matching compares."""

    keys: dict[str, float]
    """Each key with what it says (1.0 for a rare word, less for a common one)."""
    grams: frozenset[str]
    shingles: frozenset[str]
    numbers: Numbers
    schemes: frozenset[str]
    districts: frozenset[str]
    negated: bool


# a fact-checker's verdict appended to a claim ("Fact: this is a scam", "#PIBFactCheck: यह दावा फर्जी है") is not
# part of the claim; it is cut when it comes after the first 40 % of the text
_VERDICT = re.compile(r"(?i)\bfact\s*:|#?pib\s*fact\s*check|▶️|\bbeware\b|this (?:claim|message|headline) (?:is|made)"
                      r"|यह (?:दावा|वीडियो|मैसेज|संदेश) #?(?:फर्जी|फ़र्ज़ी|भ्रामक|गलत)")
_VERDICT_AFTER = 0.4


def claim_text(text: str) -> str:
    """A claim's text without a fact-checker's verdict appended to it."""
    found = _VERDICT.search(text, int(len(text) * _VERDICT_AFTER))
    return text[:found.start()] if found else text


def profile(text: str, schemes: Iterable[str] = (), districts: Iterable[str] = ()) -> TextProfile:
    """The profile of a text, with the scheme ids and district keys tagged on it."""
    keys = text_keys(text)
    found = numbers(text)
    keys.update((f"#{value}", 1.0) for value in found.salient)
    return TextProfile(
        keys=keys,
        grams=frozenset(_char_grams(key for key in keys if key[0] not in "@~#")),
        shingles=frozenset(shingles(text)),
        numbers=found,
        schemes=frozenset(schemes),
        districts=frozenset(districts),
        negated=bool(_NEGATION.search(text.lower())),
    )


def _char_grams(keys: Iterable[str]) -> set[str]:
    grams = set()
    for key in keys:
        padded = f"<{key}>"
        grams.update(padded[i:i + _GRAM] for i in range(max(1, len(padded) - _GRAM + 1)))
    return grams


def _agreement(left: frozenset, right: frozenset) -> tuple[float, float]:
    """(match, conflict): both sides say something, and they share a value / share none."""
    if not left or not right:
        return 0.0, 0.0
    return (1.0, 0.0) if left & right else (0.0, 1.0)


def shared_weight(mention: TextProfile, claim: TextProfile, weight: Callable[[str], float]) -> float:
    """The weight of the keys a mention and a claim share: idf times what the key says on both sides."""
    # in the mention's key order (a set's order would change the float sum from run to run)
    return sum(weight(key) * min(says, claim.keys[key]) for key, says in mention.keys.items() if key in claim.keys)


def total_weight(profile: TextProfile, weight: Callable[[str], float]) -> float:
    """The weight of all a text's keys (at least 1)."""
    return sum(weight(key) * says for key, says in profile.keys.items()) or 1.0


def pair_features(mention: TextProfile, claim: TextProfile, weight: Callable[[str], float],
                  runner_up: float = 0.0, totals: tuple[float, float] | None = None) -> list[float]:
    """The features of a mention–claim pair, in ``FEATURES`` order; ``weight`` gives a key's idf,
    ``runner_up`` the shared weight of the mention's best other candidate claim and ``totals`` the mention's and
    the claim's ``total_weight`` when already known."""
    shared = shared_weight(mention, claim, weight)
    mention_total, claim_total = totals or (total_weight(mention, weight), total_weight(claim, weight))
    grams = len(mention.grams) + len(claim.grams)
    union = len(mention.shingles | claim.shingles)
    return [
        shared / claim_total,
        shared / mention_total,
        math.log1p(shared),
        math.log1p(shared) - math.log1p(runner_up),
        2 * len(mention.grams & claim.grams) / grams if grams else 0.0,
        len(mention.shingles & claim.shingles) / union if union else 0.0,
        float(mention.negated and not claim.negated),
        *_agreement(mention.numbers.salient, claim.numbers.salient),
        *_agreement(mention.numbers.years, claim.numbers.years),
        *_agreement(mention.schemes, claim.schemes),
        *_agreement(mention.districts, claim.districts),
    ]
