"""Language of a mention: ``hi``, ``en``, ``hi-Latn`` (romanised Hindi), ``mixed``, or another ISO 639-1 code.

Rules (the labelling rules of the dev set, ``docs/eval.md``):

* mostly Devanagari is ``hi`` — Latin proper nouns, acronyms, short SEO headlines and bracketed glosses
  (``सोहना (Sohna)``) do not change that; English words used inside Hindi sentences (``Govt लोगों को``) or a
  good share of English words alongside the Hindi make it ``mixed``;
* mostly Latin is ``en``, ``hi-Latn`` when romanised-Hindi grammar words are dense (``hai``, ``nahi``, ``bhi``),
  and ``mixed`` when an English text carries a few of them (a Hinglish comment under an English post);
* other scripts name their language; Latin text that is neither English nor Hinglish goes to lingua, loaded
  lazily with a handful of languages so that the common path stays a few regex scans.

The word lists come from ``scripts/build_language_lexicon.py`` (SentiMix word-level tags and wordfreq).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from janmat.core.mention import Mention
from nlp.tagger import register_tagger

RESOURCE = Path(__file__).resolve().parent / "resources" / "language_lexicon.json"

_TOKEN = re.compile(r"[\u0900-\u0963\u0966-\u097f]+|[A-Za-z][A-Za-z'’]*|[()]")
# "[@#]|https?:|www\." written to start with one character class, which the regex engine skips to (a pattern that
# starts with alternatives is tried at every position of a text that holds none)
_URL_HINT = re.compile(r"[@#hw](?:(?<=[@#])|(?<=h)ttps?:|(?<=w)ww\.)")
_URLISH = re.compile(r"https?://\S+|www\.\S+|[@#]\w+")
_OTHER_SCRIPTS = (
    (re.compile("[\u0a00-\u0a7f]"), "pa"), (re.compile("[\u0600-\u06ff]"), "ur"), (re.compile("[\u0980-\u09ff]"), "bn"),
    (re.compile("[\u0a80-\u0aff]"), "gu"), (re.compile("[\u0b00-\u0b7f]"), "or"), (re.compile("[\u0b80-\u0bff]"), "ta"),
    (re.compile("[\u0c00-\u0c7f]"), "te"), (re.compile("[\u0c80-\u0cff]"), "kn"), (re.compile("[\u0d00-\u0d7f]"), "ml"),
)
_ANY_OTHER_SCRIPT = re.compile("[\u0600-\u06ff\u0980-\u0d7f]")
_DEVANAGARI_LETTER = re.compile("[\u0900-\u0963\u0966-\u097f]")
_LATIN_LETTER = re.compile("[A-Za-z]")

# Thresholds, chosen by reasoning about the rules above with margin rather than fitted to the dev rows:
MIXED_EMBEDDED = 2  # English words sitting between Hindi words ("Govt लोगों को")
MIXED_EMBEDDED_WITH_SHARE = (1, 0.03)  # or one such word when English words are >= 3 % of all words
MIXED_ENGLISH_SHARE = 0.08  # English (lexicon) words among all words of a Devanagari text
HINGLISH_DENSITY = 0.15  # romanised-Hindi grammar words among Latin words: Hinglish is far denser than this
HINGLISH_SHARE_MIXED = 0.1  # or romanised-Hindi words (lower-case, so not names) making up a tenth of the text
HINGLISH_IN_ENGLISH = 3  # that many lower-case romanised-Hindi grammar words inside an English text -> mixed
ENGLISH_FLOOR = 0.25  # below this share of known English words, Latin text may be another language
SAMPLE = 100_000
"""Characters read to decide a text's language: a long article is a few thousand; a book-length text is decided
by its first hundred thousand, in bounded time and memory."""


class LanguageTagger:
    """Decides a text's language from scripts and two word lists; lingua only for unusual Latin text."""

    def __init__(self, lexicon: dict) -> None:
        self.english = frozenset(lexicon["en"])
        self.hinglish = frozenset(lexicon["hi_latn"])
        self.hinglish_core = frozenset(lexicon["hi_latn_core"])

    def detect(self, text: str) -> str | None:
        """The language code of one text, or None when it has no letters. A text longer than ``SAMPLE``
        characters is read up to the last space before that."""
        if len(text) > SAMPLE:
            space = text.rfind(" ", 0, SAMPLE)
            text = text[:space if space > 0 else SAMPLE]
        if _ANY_OTHER_SCRIPT.search(text):
            other = _other_script(text)
            if other is not None:
                return other
        read = _URLISH.sub(" ", text) if _URL_HINT.search(text) else text
        if not _LATIN_LETTER.search(read):
            # no Latin word, so every word is Devanagari (most Hindi news): no need to list them
            return "hi" if _DEVANAGARI_LETTER.search(read) else None
        words, depths = _words(read)
        latin_count = sum(map(str.isascii, words))
        deva_count = len(words) - latin_count
        if not words:
            return None
        if latin_count == 0:
            return "hi"
        if deva_count >= latin_count:
            return self._devanagari_text(words, depths)
        return self._latin_text([w for w in words if w.isascii()], text)

    def _devanagari_text(self, words: list[str], depths: list[int]) -> str:
        english = [w for w, depth in zip(words, depths, strict=True) if depth == 0 and w.isascii()
                   and not w.isupper() and w.lower() in self.english]
        share = len(english) / max(1, len(words))
        embedded = 0
        last = len(words) - 1
        for i, (word, depth) in enumerate(zip(words, depths, strict=True)):
            if depth or not word.isascii() or not 0 < i < last or word.isupper() or word.lower() not in self.english:
                continue
            if not words[i - 1].isascii() and not words[i + 1].isascii():
                embedded += 1
        least, with_share = MIXED_EMBEDDED_WITH_SHARE
        if embedded >= MIXED_EMBEDDED or (embedded >= least and share >= with_share) or share >= MIXED_ENGLISH_SHARE:
            return "mixed"
        return "hi"

    def _latin_text(self, latin_words: list[str], text: str) -> str:
        lowered = [w.lower() for w in latin_words]
        core = sum(1 for w, low in zip(latin_words, lowered, strict=True)
                   if low in self.hinglish_core and w[0].islower())
        hinglish = sum(1 for low in lowered if low in self.hinglish)
        english = sum(1 for low in lowered if low in self.english)
        total = max(1, len(latin_words))
        if hinglish >= english and max(core, hinglish) / total >= HINGLISH_DENSITY:
            return "hi-Latn"
        lower_hinglish = sum(1 for w, low in zip(latin_words, lowered, strict=True)
                             if low in self.hinglish and w[0].islower())
        if core >= HINGLISH_IN_ENGLISH or (lower_hinglish >= 2 and lower_hinglish / total >= HINGLISH_SHARE_MIXED):
            return "mixed"
        if english / total >= ENGLISH_FLOOR:
            return "en"
        if hinglish:
            return "hi-Latn"  # short romanised Hindi whose other words are spelt beyond the word list
        return _lingua_code(text) or "en"


def _other_script(text: str) -> str | None:
    """The language of a text written mostly in another Indian script or in Arabic script, if it is one."""
    letters = len(_DEVANAGARI_LETTER.findall(text)) + len(_LATIN_LETTER.findall(text))
    best, best_count = None, 0
    for pattern, code in _OTHER_SCRIPTS:
        count = len(pattern.findall(text))
        if count > best_count:
            best, best_count = code, count
    return best if best_count > letters else None


def _words(text: str) -> tuple[list[str], list[int]]:
    """Words and their bracket depths (glosses in brackets do not make a Hindi text mixed)."""
    tokens = _TOKEN.findall(text)
    if "(" not in tokens and ")" not in tokens:
        return tokens, [0] * len(tokens)
    words: list[str] = []
    depths: list[int] = []
    depth = 0
    for token in tokens:
        if token == "(":
            depth += 1
        elif token == ")":
            depth = max(0, depth - 1)
        else:
            words.append(token)
            depths.append(depth)
    return words, depths


@lru_cache(maxsize=1)
def _lingua_detector():
    from lingua import Language, LanguageDetectorBuilder

    # European languages only: Tagalog, Indonesian or Swahili models claim misspelt Hinglish far more often than
    # a Haryana news monitor meets those languages
    languages = [Language.ENGLISH, Language.FRENCH, Language.GERMAN, Language.SPANISH, Language.PORTUGUESE,
                 Language.ITALIAN, Language.DUTCH]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def _lingua_code(text: str) -> str | None:
    found = _lingua_detector().detect_language_of(text)
    return found.iso_code_639_1.name.lower() if found is not None else None


@lru_cache(maxsize=1)
def get_language_tagger() -> LanguageTagger:
    """The process-wide language tagger."""
    return LanguageTagger(json.loads(RESOURCE.read_text(encoding="utf-8")))


def detect_language(text: str) -> str | None:
    """Language code of a text: ``hi``, ``en``, ``hi-Latn``, ``mixed`` or another ISO 639-1 code."""
    return get_language_tagger().detect(text)


@register_tagger("language")
class LanguageComponent:
    """Sets ``lang`` from title and text; a text without letters keeps the language it arrived with."""

    assigns: ClassVar[tuple[str, ...]] = ("lang",)
    requires: ClassVar[tuple[str, ...]] = ()

    def __init__(self) -> None:
        self.detector = get_language_tagger()

    def tag_many(self, mentions: list[Mention]) -> None:
        """Detect each mention's language."""
        detect = self.detector.detect
        for mention in mentions:
            lang = detect(mention.full_text())
            if lang is not None:
                mention.lang = lang

    @staticmethod
    def columns(mention: Mention) -> dict[str, Any]:
        """``lang``."""
        return {"lang": mention.lang}
