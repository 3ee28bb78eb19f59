"""Text to matching keys: every word of Devanagari, romanised Hindi or English reduced to one key space.

A word is folded (``nlp.normalize``: nukta, chandrabindu/anusvara, zero-width joiners, Devanagari digits, vowel
length), lightly stemmed, romanised (Devanagari through ``indic-transliteration``'s ITRANS) and reduced to a
**phonetic key** (``nlp.crossscript.word_key``, shared with cross-script search): aspiration and doubled
letters dropped, ``w``/``v``, ``z``/``j``, ``ph``/``f``, soft ``c``/``g`` and ``-tion`` merged, long and short
vowels merged and the inherent ``a`` dropped.
So पेंशन, pension and penshan all give ``pensn``; योजना, yojana and yojna give ``yojn``; किसान and kisan give
``kisn``, while भारत (``brt``) and भर्ती (``brti``) stay apart. Phrases of the concept lexicon
(``nlp/resources/claim_concepts.tsv``: unemployment allowance = बेरोजगारी भत्ता = berojgari bhatta …) are then
found over the keys with an Aho-Corasick automaton and replaced by one concept key (``@unemployment_allowance``);
its framing words (claim, viral, दावा …) and stop words are dropped.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import ahocorasick
from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP_WORDS
from spacy.lang.hi.stop_words import STOP_WORDS as HI_STOP_WORDS
from wordfreq import zipf_frequency

from nlp.automaton import iter_matches
from nlp.crossscript import word_key
from nlp.normalize import fold

CONCEPTS = Path(__file__).resolve().parents[1] / "resources" / "claim_concepts.tsv"
FRAME = "-"
"""The lexicon's concept of framing words, dropped from the keys."""

_DEVANAGARI = re.compile("[\u0900-\u097f]")
_TOKEN = re.compile(r"[^\s]+")
# romanised-Hindi function words (spaCy has none for hi-Latn); reduced to keys like the rest
_HI_LATN_STOP_WORDS = (
    "hai", "hain", "ha", "ho", "hoga", "hogi", "honge", "tha", "thi", "the", "ka", "ke", "ki", "ko", "se", "me",
    "mein", "main", "mai", "par", "pe", "aur", "ya", "bhi", "hi", "to", "toh", "ye", "yeh", "wo", "woh", "is",
    "iss", "us", "uss", "in", "un", "jo", "kar", "karo", "karein", "karne", "kiya", "diya", "gaya", "gayi", "rahi",
    "raha", "rahe", "liye", "lie", "ek", "sab", "sabhi", "apna", "apne", "apni", "aap", "aapke", "aapka", "koi",
    "kuch", "ab", "abhi", "tak", "wala", "wale", "wali", "ne", "na", "nahi", "nahin", "hua", "hui", "hue",
)
# spaCy's English list holds a few words that carry a claim's content
_EN_STOP = frozenset(EN_STOP_WORDS) - {"bill", "amount", "call", "give", "full", "name", "top", "back", "front",
                                       "empty", "fire", "move", "part", "show", "side", "system", "first", "last"}
_CLOCK = frozenset(("am", "pm"))


def _words(text: str) -> list[str]:
    """The folded words of a text without English stop words, digits, and am/pm after a number (9 PM)."""
    folded = fold(text).split()
    return [word for previous, word in zip(["", *folded], folded, strict=False)
            if word not in _EN_STOP and not word.isdigit() and not (word in _CLOCK and previous.isdigit())]


def word_keys(text: str) -> list[str]:
    """The key of every word of a text, English stop words left out."""
    return [word_key(word) for word in _words(text)]


@lru_cache(maxsize=200_000)
def commonness(word: str) -> float:
    """How much a word says, from its frequency in Hindi or English (``wordfreq``): 1.0 for a rare word, down to
    0.2 for the commonest (सरकार, भारत, government)."""
    zipf = zipf_frequency(word, "hi" if _DEVANAGARI.search(word) else "en")
    return min(1.0, max(0.2, (_COMMON_ZIPF - zipf) / 2.5))


_COMMON_ZIPF = 7.0
FUZZY = "~"
"""Prefix of a word's consonant key (vowels dropped too), which meets English and Hindi spellings of one name
(congress ``~kngrs`` = कांग्रेस; Deepender = दीपेंद्र)."""
_MIN_FUZZY = 4


def _stop_keys() -> frozenset[str]:
    keys = {word_key(fold(word)) for word in (*HI_STOP_WORDS, *_HI_LATN_STOP_WORDS) if fold(word)}
    return frozenset(keys)


_STOP_KEYS = _stop_keys()


class ConceptLexicon:
    """Concept phrases over word keys: finds them in a key sequence, longest first."""

    def __init__(self, path: Path = CONCEPTS) -> None:
        self._automaton = ahocorasick.Automaton()
        self.implies: dict[str, tuple[str, ...]] = {}
        """Concepts a concept also stands for (farmers_protest: farmer and protest)."""
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            concept, spellings, *implied = line.split("\t")
            if implied:
                self.implies[concept] = tuple(implied[0].split(","))
            for spelling in spellings.split("|"):
                phrase = " ".join(word_keys(spelling))
                if phrase:
                    self._add(f" {phrase} ", concept)
        self._automaton.make_automaton()

    def _add(self, phrase: str, concept: str) -> None:
        known = self._automaton.get(phrase, None)
        if known is None or known[1] == FRAME:  # a framing spelling never hides a concept
            self._automaton.add_word(phrase, (phrase.count(" ") - 1, concept, len(phrase)))

    def concepts(self, keys: list[str]) -> list[tuple[int, int, str]]:
        """``(first word, word count, concept)`` for the longest non-overlapping phrases, in text order."""
        line = " " + " ".join(keys) + " "
        starts = {}  # character offset of each word -> its index
        offset = 1
        for index, key in enumerate(keys):
            starts[offset] = index
            offset += len(key) + 1
        found = []
        for end, (length, concept, chars) in iter_matches(self._automaton, line):
            found.append((starts[end - chars + 2], length, concept))
        found.sort(key=lambda item: (-item[1], item[0]))
        taken: set[int] = set()
        kept = []
        for first, length, concept in found:
            span = set(range(first, first + length))
            if not span & taken:
                taken |= span
                kept.append((first, length, concept))
        return sorted(kept)


@lru_cache(maxsize=1)
def concept_lexicon() -> ConceptLexicon:
    """The committed concept lexicon, loaded once."""
    return ConceptLexicon()


def text_keys(text: str) -> dict[str, float]:
    """The matching keys of a text, each with what it says (``commonness`` of its rarest word): concept keys
    (``@name``), word keys and their consonant keys (``~…``); framing and stop words dropped. Digits are left
    out: ``nlp.claims.numbers`` reads the numbers."""
    words = _words(text)
    keys = [word_key(word) for word in words]
    out: dict[str, float] = {}

    def put(key: str, weight: float) -> None:
        if key and weight > out.get(key, 0.0):
            out[key] = weight

    def put_words(first: int, last: int) -> None:
        for word, key in zip(words[first:last], keys[first:last], strict=True):
            if key in _STOP_KEYS:
                continue
            weight = commonness(word)
            put(key, weight)
            consonants = _CONSONANTS.sub("", key)
            if len(consonants) >= _MIN_FUZZY:
                put(FUZZY + consonants, weight)

    position = 0
    lexicon = concept_lexicon()
    for first, length, concept in lexicon.concepts(keys):
        put_words(position, first)
        if concept != FRAME:
            says = max(commonness(word) for word in words[first:first + length])
            for name in (concept, *lexicon.implies.get(concept, ())):
                put("@" + name, says)
        position = first + length
    put_words(position, len(keys))
    return out


_CONSONANTS = re.compile(r"(?<=.)[aeiouy]")
