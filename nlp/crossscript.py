"""Cross-script keys: one phonetic key for a word written in Devanagari, romanised Hindi or English.

A word is folded (``nlp.normalize.fold_word``), romanised (Devanagari through ``indic-transliteration``'s ITRANS)
and reduced to a **phonetic key**: aspiration and doubled letters dropped, ``sh``/``s``, ``w``/``v``, ``z``/``j``,
``ph``/``f``, soft ``c``/``g`` and ``-tion`` merged, long and short vowels merged, nasals as ``n`` and the inherent
``a`` dropped. So पेंशन, pension and penshan all give ``pensn``; योजना, yojana and yojna give ``yojn``; किसान
and kisan give ``kisn``, while भारत (``brt``) and भर्ती (``brti``) stay apart. ``word_key`` is that key; the
claim matcher (``nlp.claims.keys``) and the search stores both use it.

For search, ``search_key`` is stricter: a key of fewer than four letters stays in its own spelling, because short
keys meet false friends (door = दूर ``dur``, sir = सिर, log = लोग, mail = मेला, chain = चैन). A short list of
English words that do not sound like their Hindi equivalent (farmer = किसान, scheme = योजना) gets the Hindi word's
key, and the few false friends with longer keys found in a scan of common words (across = आक्रोश, wrist =
वरिष्ठ) keep their own spelling (both in ``nlp/resources/cross_script_equivalents.tsv``). An English word (common
in English, ``wordfreq``) needs a key of five letters.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import chain
from pathlib import Path

from indic_transliteration import sanscript
from wordfreq import zipf_frequency

from nlp.normalize import fold_word, normalize_text, stem, words

EQUIVALENTS = Path(__file__).resolve().parent / "resources" / "cross_script_equivalents.tsv"
MIN_SEARCH_KEY = 4
"""Keys shorter than this are not matched across scripts (see the module docstring)."""
MIN_ENGLISH_SEARCH_KEY = 5
"""An English word needs a longer key: at four letters most English-Hindi collisions are false friends (skull =
स्कूल, dairy = देरी, tent = तैनात), at five most are loan words (pension = पेंशन, portal = पोर्टल)."""
NEVER = "-"
"""The equivalence list's Hindi column for English words that keep their own spelling (false friends)."""
OWN_SPELLING = "0"
"""Prefix of a search key that is the word's own index term: never equal to a phonetic key (which has no digit
in front), so such a word matches only its own spelling."""

_DEVANAGARI = re.compile("[\u0900-\u097f]")
# Hindi plural, oblique and inflection endings, read off the romanised word (Devanagari or not, never English):
# बेटियों = betiyon -> beti, युवाओं = yuvaon -> yuv, किसानों = kisano -> kisan, योजना = yojana -> yojan. A final
# -i stays: it tells भर्ती (bharti) from भारत (bharat) and ladki from ladka.
_HINDI_ENDINGS = (("iyon", "i"), ("iyan", "i"), ("iyen", "i"), ("aon", ""), ("on", ""), ("en", ""), ("ein", ""),
                  ("ain", ""), ("a", ""), ("e", ""), ("o", ""))
_ENGLISH_ZIPF = 3.0


@lru_cache(maxsize=100_000)
def romanise(word: str) -> str:
    """One folded word in lower-case Latin letters: Devanagari through ITRANS, Latin as it is."""
    if not _DEVANAGARI.search(word):
        return word.lower()
    latin = sanscript.transliterate(word, sanscript.DEVANAGARI, sanscript.ITRANS)
    return latin.replace("M", "n").replace(".N", "n").replace("H", "").replace("~N", "n").lower()


_SKELETON_RULES = (
    (re.compile(r"tion|ssion|sion"), "sn"),
    (re.compile(r"ck"), "k"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"g(?=e$|i)"), "j"),
    (re.compile(r"chh|ch"), "\x01"),
    (re.compile(r"c"), "k"),
    (re.compile("\x01"), "c"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"sh"), "s"),
    (re.compile(r"(?<=[bcdgjkpt])h"), ""),
    (re.compile(r"x"), "ks"),
    (re.compile(r"q"), "k"),
    (re.compile(r"w"), "v"),
    (re.compile(r"z"), "j"),
    (re.compile(r"ee|ii"), "i"),
    (re.compile(r"oo|uu"), "u"),
    (re.compile(r"ai|ay"), "e"),
    (re.compile(r"au|ou"), "o"),
    (re.compile(r"(?<=[^aeiou])y(?=[^aeiou]|$)"), "i"),
    (re.compile(r"(?<=.)a"), ""),
    (re.compile(r"(.)\1+"), r"\1"),
)


@lru_cache(maxsize=100_000)
def skeleton(latin: str) -> str:
    """The phonetic key of one romanised word (see the module docstring)."""
    key = latin
    for pattern, replacement in _SKELETON_RULES:
        key = pattern.sub(replacement, key)
    return key


def is_english(word: str) -> bool:
    """True for a Latin word common enough in English (``wordfreq``) to be read as English, not romanised Hindi."""
    return zipf_frequency(word, "en") >= _ENGLISH_ZIPF


_SHORT_RULES = ((re.compile(r"ee"), "i"), (re.compile(r"oo"), "u"), (re.compile(r"ph"), "f"), (re.compile(r"w"), "v"),
                (re.compile(r"z"), "j"), (re.compile(r"(.)\1+"), r"\1"))
_MIN_SKELETON = 3


@lru_cache(maxsize=200_000)
def word_key(word: str) -> str:
    """The key of one folded word: romanised, Hindi endings (or an English plural) dropped, reduced to its phonetic
    skeleton. A skeleton shorter than three letters says too little (ko, ki, rs, राशि): such a word keeps its
    vowels instead."""
    if _DEVANAGARI.search(word):
        latin = romanise(word)
    else:
        latin = stem(word)
        if is_english(latin):
            return _key(_english_stem(latin))
    for ending, replacement in _HINDI_ENDINGS:
        if latin.endswith(ending) and len(latin) - len(ending) >= 3:
            latin = latin[: -len(ending)] + replacement
            break
    return _key(latin)


def _key(latin: str) -> str:
    key = skeleton(latin)
    if len(key) >= _MIN_SKELETON:
        return key
    for pattern, replacement in _SHORT_RULES:
        latin = pattern.sub(replacement, latin)
    return latin


_ENGLISH_ENDINGS = ("ing", "ed", "es", "e")


def _english_stem(word: str) -> str:
    """An English word without -ing, -ed, -es or a final e (calling = call, updated = update = updat)."""
    for ending in _ENGLISH_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


@lru_cache(maxsize=1)
def equivalents() -> dict[str, str]:
    """Each listed spelling (and its Hindi word), stemmed, to the Hindi word's key ("" for a false friend)."""
    table: dict[str, str] = {}
    for line in EQUIVALENTS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        hindi, spellings = line.split("\t")
        key = "" if hindi == NEVER else word_key(fold_word(normalize_text(hindi)))
        for spelling in (() if hindi == NEVER else (hindi,)) + tuple(spellings.split("|")):
            for word in words(normalize_text(spelling)):
                table[stem(word.lower())] = key
    return table


@lru_cache(maxsize=200_000)
def search_key(word: str) -> str:
    """The cross-script search key of one normalized, lower-cased word: its phonetic key when that has at least
    ``MIN_SEARCH_KEY`` letters (or the listed equivalent's key), else ``OWN_SPELLING`` + its index term."""
    term = stem(word)
    listed = equivalents().get(term)
    if listed:
        return listed
    if listed is None and not any(char.isdigit() for char in word):
        key = word_key(fold_word(word))
        shortest = MIN_SEARCH_KEY if _DEVANAGARI.search(word) or not is_english(term) else MIN_ENGLISH_SEARCH_KEY
        if len(key) >= shortest and key.isalpha() and key.isascii():
            return key
    return OWN_SPELLING + term


# Keys per whitespace token in a plain dict, looked up as one C-level map over a text's tokens, as
# ``nlp.normalize`` does for the terms (the bulk-indexing path runs ~100 tokens per mention).
_TOKEN_CACHE_SIZE = 200_000
_token_keys: dict[str, tuple[str, ...]] = {}


def _new_token_keys(token: str) -> tuple[str, ...]:
    keys = tuple(search_key(word.lower()) for word in words(normalize_text(token)))
    if len(_token_keys) >= _TOKEN_CACHE_SIZE:
        _token_keys.clear()
    _token_keys[token] = keys
    return keys


def search_keys(text: str) -> list[str]:
    """One search key per index term of ``text`` (``nlp.normalize.search_terms``), in the same order, so a phrase
    of terms is also a phrase of keys."""
    tokens = text.split()
    found = list(map(_token_keys.get, tokens))
    if None in found:
        found = [keys if keys is not None else _token_keys.get(token) or _new_token_keys(token)
                 for keys, token in zip(found, tokens, strict=True)]
    return list(chain.from_iterable(found))  # type: ignore[arg-type]
