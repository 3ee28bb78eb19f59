"""Devanagari normalization, word tokenization and light Hindi stemming.

One normalization serves the taggers, the embedded search index and the query parser, so that a word written
with or without nukta, with chandrabindu or anusvara, with a half-nasal consonant or an anusvara, with zero-width
joiners or Devanagari digits always meets itself.

The indic-nlp-library normalizer handles nukta removal, chandra vowels and chandrabindu. Two rules are our own,
because that library does not apply them for Hindi (its nasal modes leave ``हिन्दी`` unchanged): half-nasal
consonants before a consonant of a stop class become anusvara (``हिन्दी`` -> ``हिंदी``, ``अम्बाला`` -> ``अंबाला``),
and zero-width characters are dropped before anything else.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from indicnlp.normalize.indic_normalize import IndicNormalizerFactory

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_DIGITS = {0x0966 + i: ord("0") + i for i in range(10)}
_VIRAMA = "\u094d"
# Half nasal (ङ ञ ण न म + virama) before a stop or sibilant is written as anusvara in modern Hindi.
_NASAL_CLUSTER = re.compile(
    "[\u0919\u091e\u0923\u0928\u092e]\u094d"
    "(?=[\u0915-\u0918\u091a-\u091d\u091f-\u0922\u0924-\u0927\u092a-\u092d\u0936-\u0938])"
)
_WORD = re.compile(r"[0-9A-Za-z\u00c0-\u024f\u0900-\u0963\u0966-\u097f]+")
_DEVANAGARI = re.compile("[\u0900-\u097f]")

_indic = IndicNormalizerFactory().get_normalizer(
    "hi", remove_nuktas=True, nasals_mode="do_nothing", do_normalize_chandras=True
)

# Hindi inflectional suffixes, longest first (after Ramanathan & Rao's light stemmer, 2003).
_HINDI_SUFFIXES: tuple[tuple[str, ...], ...] = (
    ("ाएंगी", "ाएंगे", "ाऊंगी", "ाऊंगा", "ाइयां", "ाइयों"),
    ("ाएगी", "ाएगा", "ाओगी", "ाओगे", "एंगी", "ेंगी", "एंगे", "ेंगे", "ूंगी", "ूंगा", "ातीं", "नाओं", "नाएं",
     "ताओं", "ताएं", "ियां", "ियों", "ियें"),
    ("ाकर", "ाइए", "ाईं", "ाया", "ेगी", "ेगा", "ोगी", "ोगे", "ाने", "ाना", "ाते", "ाती", "ाता", "तीं", "ाओं",
     "ाएं", "ुओं", "ुएं", "ुआं"),
    ("कर", "ाओ", "िए", "ाई", "ाए", "ने", "नी", "ना", "ते", "ीं", "ती", "ता", "ां", "ों", "ें"),
    ("ो", "े", "ू", "ु", "ी", "ि", "ा"),
)
_MIN_STEM = 2


def normalize_text(text: str) -> str:
    """Canonical form of any text: NFC, no zero-width characters, no nukta, anusvara for nasals, ASCII digits."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH)
    if _DEVANAGARI.search(text):
        text = _indic.normalize(text)
        text = _NASAL_CLUSTER.sub("\u0902", text)
        text = text.translate(_DIGITS)
    return text


def words(text: str) -> list[str]:
    """Split normalized text into words, keeping Devanagari vowel signs inside their word."""
    return _WORD.findall(text)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Light stem of one normalized, lower-cased word: Hindi inflections and English plural ``s`` removed."""
    if _DEVANAGARI.match(word):
        for group in _HINDI_SUFFIXES:
            for suffix in group:
                if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
                    return word[: -len(suffix)]
        return word
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def search_terms(text: str) -> list[str]:
    """The terms the search index stores and the query parser looks for: normalized, lower-cased, stemmed."""
    return [stem(word.lower()) for word in words(normalize_text(text))]
