"""Numbers, amounts and years in a text, as values: ``3,500`` = ``3500`` = ``३५००``, ``2.67 लाख`` = ``2,67,000``,
``5 lakh`` = ``पांच लाख`` = ``500000``, ``20 हजार`` = ``20,000``. A claim's amount is its identity: a mention
that says ₹3,800 where the claim says ₹3,500 is another claim."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from nlp.normalize import fold, normalize_text

_MULTIPLIERS = {
    "hundred": 100, "sau": 100, "सौ": 100,
    "thousand": 1_000, "hazar": 1_000, "hajar": 1_000, "hazaar": 1_000, "हजार": 1_000,
    "lakh": 100_000, "lakhs": 100_000, "lac": 100_000, "लाख": 100_000,
    "million": 1_000_000,
    "crore": 10_000_000, "crores": 10_000_000, "karod": 10_000_000, "करोड": 10_000_000, "करोडों": 10_000_000,
}
# number words count only before a multiplier ("दो करोड़", "five lakh"): alone, दो and "do" are verbs
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "twenty": 20, "fifty": 50, "एक": 1, "दो": 2, "तिन": 3, "चार": 4, "पांच": 5, "छह": 6, "सात": 7, "आठ": 8,
    "नौ": 9, "दस": 10, "बिस": 20, "पचास": 50, "ek": 1, "teen": 3, "char": 4, "panch": 5, "paanch": 5, "das": 10,
    "bees": 20, "pachas": 50,
}
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{2,3})+|\d+)(?:\.(\d+))?(?![\w])")
_YEARS = range(1990, 2040)
_MONEY_BEFORE = re.compile(r"(?:₹|rs\.?|inr|रु\.?)\s*$", re.IGNORECASE)
_MONEY_WORDS = frozenset(fold(word) for word in ("rupees", "rupee", "rupaye", "rupay", "rupye", "rs", "रुपये", "रुपए",
                                                 "रूपये", "रुपया", "₹"))
SALIENT = 100
"""Numbers from this value up are amounts or counts that identify a claim; smaller ones are dates and times."""


@dataclass(frozen=True, slots=True)
class Numbers:
    """The values a text states: ``amounts`` (every number that is not a year) and ``years``."""

    amounts: frozenset[int]
    years: frozenset[int]

    @property
    def salient(self) -> frozenset[int]:
        """The amounts of at least ``SALIENT``."""
        return frozenset(value for value in self.amounts if value >= SALIENT)


def numbers(text: str) -> Numbers:
    """The amounts and years written in a text, in digits or as number words before lakh, crore, हजार…"""
    normal = normalize_text(text)
    amounts: set[int] = set()
    years: set[int] = set()
    for found in _NUMBER.finditer(normal):
        whole, fraction = found.group(1).replace(",", ""), found.group(2)
        value = float(f"{whole}.{fraction}") if fraction else float(whole)
        multiplier = _multiplier_after(normal, found.end())
        if (multiplier == 1 and fraction is None and int(whole) in _YEARS and "," not in found.group(1)
                and not _is_money(normal, found.start(), found.end())):
            years.add(int(whole))
            continue
        amounts.add(round(value * multiplier))
    words = fold(normal).split()
    for word, following in pairwise(words):
        if word in _NUMBER_WORDS and following in _FOLDED_MULTIPLIERS:
            amounts.add(_NUMBER_WORDS[word] * _FOLDED_MULTIPLIERS[following])
    return Numbers(frozenset(amounts), frozenset(years))


_FOLDED_MULTIPLIERS = {fold(word): value for word, value in _MULTIPLIERS.items()}
_NUMBER_WORDS = {fold(word): value for word, value in _NUMBER_WORDS.items()}


def _is_money(text: str, start: int, end: int) -> bool:
    """Whether a currency sign or word is written right before or after the number (₹2000, 2000 रुपये)."""
    following = fold(text[end:end + 12]).split()
    return bool(_MONEY_BEFORE.search(text[max(0, start - 5):start])) or bool(following and following[0] in _MONEY_WORDS)


def _multiplier_after(text: str, end: int) -> int:
    """The multiplier word right after a number (``5 lakh``, ``2.67 लाख``), else 1."""
    following = fold(text[end:end + 16]).split()
    return _FOLDED_MULTIPLIERS.get(following[0], 1) if following else 1
