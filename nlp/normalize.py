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
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain, count
from operator import itemgetter, sub

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
_VISARGA_RUN = re.compile("\u0903[\u0903:]+")

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
        if "\u0903:" in text:  # indic-nlp turns only the first colon of a run after a letter into a visarga
            text = _VISARGA_RUN.sub(lambda run: "\u0903" * len(run.group()), text)
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
            if not word.endswith(group):  # one C-level test for the whole group; most words skip most groups
                continue
            for suffix in group:
                if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
                    return word[: -len(suffix)]
        return word
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def search_terms(text: str) -> list[str]:
    """The terms the search index stores and the query parser looks for: normalized, lower-cased, stemmed."""
    return list(chain.from_iterable(map(_FIRST, _token_entries(text))))


def index_terms(text: str) -> tuple[str, list[str]]:
    """What a search document holds for ``text`` in one pass: its ``search_terms`` joined by spaces, and its
    distinct normalized, lower-cased (unstemmed) words in order of first appearance (for word clouds)."""
    entries = _token_entries(text)
    terms = " ".join(chain.from_iterable(map(_FIRST, entries)))
    return terms, list(dict.fromkeys(chain.from_iterable(map(_SECOND, entries))))


# Every normalization step acts inside one whitespace-separated token, so the index entry of a token (its terms
# and its words) is memoized: indexing a million mentions normalizes the same few thousand words over and over.
# A plain dict, emptied when full, rather than functools.lru_cache: the look-ups run as one C-level map over the
# tokens and skip the LRU bookkeeping (the bulk-indexing path does ~100 per mention).
_FIRST, _SECOND = itemgetter(0), itemgetter(1)
_ENTRY_CACHE_SIZE = 200_000
_entries: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _token_entries(text: str) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    tokens = text.split()
    entries = list(map(_entries.get, tokens))
    if None in entries:
        # a word new to the cache may come again later in the same text: look it up again before normalizing
        entries = [entry or _entries.get(token) or _new_entry(token) for entry, token in zip(entries, tokens,
                                                                                             strict=True)]
    return entries  # type: ignore[return-value]


def _new_entry(token: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    lowered = tuple(word.lower() for word in words(normalize_text(token)))
    entry = tuple(stem(word) for word in lowered), lowered
    if len(_entries) >= _ENTRY_CACHE_SIZE:
        _entries.clear()
    _entries[token] = entry
    return entry


# --- Folding for dictionary matching (gazetteer, scheme catalogue, cue lexicons) -------------------------------
# Matching folds further than ``normalize_text``: vowel length (ि/ी, ु/ू) is dropped because Hindi press spells
# place and scheme names both ways (गुरुग्राम/गुरूग्राम), Latin is lower-cased, and every run of punctuation or
# space becomes one space so that "बेटी बचाओ-बेटी पढ़ाओ" meets "बेटी बचाओ, बेटी पढ़ाओ". Folding keeps a map back
# to the original offsets, so evidence spans always point into the text as written.
_FOLD_TABLE: dict[int, int | None] = {
    **_ZERO_WIDTH,
    **_DIGITS,
    0x093C: None,  # nukta
    0x0901: 0x0902,  # chandrabindu -> anusvara
    0x0940: 0x093F,  # ी -> ि
    0x0942: 0x0941,  # ू -> ु
    0x0908: 0x0907,  # ई -> इ
    0x090A: 0x0909,  # ऊ -> उ
    0x0949: 0x094B,  # ॉ -> ो
    0x0911: 0x0913,  # ऑ -> ओ
    0x0945: 0x0947,  # ॅ -> े
    0x0904: 0x090F,  # ऄ -> ए
    **{0x0958 + i: ord(base) for i, base in enumerate("कखगजडढफय")},  # precomposed nukta letters
}
_FOLD_PAIRS = tuple((chr(code), "" if value is None else chr(value)) for code, value in _FOLD_TABLE.items())
_DROPPED = frozenset(code for code, value in _FOLD_TABLE.items() if value is None)
_WORD_CHARS = "0-9A-Za-z\u00c0-\u024f\u0900-\u0963\u0966-\u097f\u200b\u200c\u200d\u2060\ufeff\u00ad"
_FOLD_WORD = re.compile(f"[{_WORD_CHARS}]+")
# a run of non-word characters, except a lone space (which becomes what it is): the runs that folding turns into one
# space, without a match for every space between two words
_NON_WORD_RUN = re.compile(f"[^{_WORD_CHARS}](?:(?<! )[^{_WORD_CHARS}]*|[^{_WORD_CHARS}]+)")
# Original characters that folding drops: zero-width and nukta, the virama of a half-nasal, and every
# non-word character that follows another one (runs collapse to a single space). Each kind is found by a pattern
# that starts with a character class, which the regex engine skips to quickly.
_DROPPED_MARK = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u093c]")
_NON_WORD_PAIR = re.compile(f"[^{_WORD_CHARS}]{{2,}}")


def _dropped_characters(original: str) -> list[int]:
    """Sorted offsets of the original characters that folding drops."""
    dropped = [position for found in _NON_WORD_PAIR.finditer(original)
               for position in range(found.start() + 1, found.end())]
    marks = [found.start() for found in _DROPPED_MARK.finditer(original)]
    if _VIRAMA in original:
        marks += [found.start() + 1 for found in _NASAL_CLUSTER.finditer(original)]
    return sorted(dropped + marks) if marks else dropped


class FoldedText:
    """Text folded for matching, with a map from each folded character back to its offset in the original."""

    __slots__ = ("_dropped", "_shift", "original", "text")

    _dropped: Sequence[int]
    _shift: Sequence[int]

    def __init__(self, original: str) -> None:
        self.original = original
        # folded position p maps to original p + (number of dropped characters before it): with
        # shift[i] = dropped[i] - i that count is bisect_right(shift, p)
        if len(original) > _PIECE:
            # a long text's offsets as machine integers: 8 bytes each instead of 36
            self.text, self._dropped = _fold_in_pieces(original)
            self._shift = array("q", map(sub, self._dropped, count()))
        else:
            self.text, self._dropped = _fold_piece(original)
            self._shift = [position - i for i, position in enumerate(self._dropped)]

    def part(self, start: int, end: int) -> FoldedText:
        """The fold of ``original[start:end]``, cut out of this one (no second fold). ``start`` and ``end`` must
        be 0, the text's length or offsets from ``next_cut``, where the fold of the whole is the folds of the
        two sides joined."""
        if start == 0 and end == len(self.original):
            return self
        low, high = bisect_left(self._dropped, start), bisect_left(self._dropped, end)
        part = object.__new__(FoldedText)
        part.original = self.original[start:end]
        part.text = self.text[start - low:end - high]
        part._dropped = [position - start for position in self._dropped[low:high]]
        part._shift = [position - i for i, position in enumerate(part._dropped)]
        return part

    def to_folded(self, pos: int) -> int:
        """Folded offset of original offset ``pos`` (a dropped character maps to where it would have been)."""
        return pos - bisect_left(self._dropped, pos)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[start, end)`` offsets of the folded span ``[start, end)``."""
        orig_end = self._orig(end - 1) + 1
        # a trailing nukta or zero-width character belongs to the last letter matched
        while orig_end < len(self.original) and ord(self.original[orig_end]) in _DROPPED:
            orig_end += 1
        return self._orig(start), orig_end

    def _orig(self, pos: int) -> int:
        return pos + bisect_right(self._shift, pos)


_SHORT_FOLD = 12
"""Up to this many characters (a word), str.translate beats one str.replace per mapped character. The two agree:
no character the table maps to is itself mapped."""


def _fold_letters(original: str) -> str:
    """The folded text as ``_fold_fast`` makes it, before checking it against the dropped characters."""
    folded = _NASAL_CLUSTER.sub("\u0902", original) if _VIRAMA in original else original
    if len(folded) <= _SHORT_FOLD:
        folded = folded.translate(_FOLD_TABLE)
    else:
        # str.replace per mapped character is several times faster than str.translate on Devanagari
        for source, target in _FOLD_PAIRS:
            if source in folded:
                folded = folded.replace(source, target)
    return _NON_WORD_RUN.sub(" ", folded).lower()


def _dropped_count(original: str) -> int:
    """``len(_dropped_characters(original))``, without listing the offsets."""
    runs = _NON_WORD_PAIR.findall(original)
    count = sum(map(len, runs)) - len(runs) + len(_DROPPED_MARK.findall(original))
    if _VIRAMA in original:
        count += len(_NASAL_CLUSTER.findall(original))
    return count


def _fold_piece(original: str) -> tuple[str, list[int]]:
    """The folded text and the offsets of the dropped characters."""
    return _fold_fast(original) or _fold_slowly(original)


def _fold_fast(original: str) -> tuple[str, list[int]] | None:
    """``_fold_piece`` all in C: fold the whole text at once and record which original characters were dropped;
    None when the two do not add up (odd zero-width placements), which ``_fold_slowly`` handles, and for a
    text with a capital dotted I, the one letter that lower-cases to two (which a sum could hide)."""
    if "\u0130" in original:
        return None
    folded = _fold_letters(original)
    dropped = _dropped_characters(original)
    return (folded, dropped) if len(folded) == len(original) - len(dropped) else None


_PIECE = 1 << 16
"""A text longer than this is folded piece by piece (the regex substitutions of one pass over ten million
characters hold millions of pieces at once)."""
# a letter (not a zero-width character or a nukta, which folding drops) right after a non-word character
_WORD_START = re.compile(f"(?<=[^{_WORD_CHARS}])[0-9A-Za-z\u00c0-\u024f\u0900-\u093b\u093d-\u0963\u0966-\u097f]")


def next_cut(text: str, pos: int) -> int:
    """The first offset at or after ``pos`` where ``text`` can be cut without changing its fold (a letter right
    after a non-word character), or the text's length."""
    found = _WORD_START.search(text, pos)
    return found.start() if found else len(text)


def _fold_in_pieces(original: str) -> tuple[str, Sequence[int]]:
    """``_fold_piece`` on pieces cut where a letter follows a non-word character. Every folding rule reads at
    most a run of non-word characters or a half-nasal with its next letter, and neither spans such a cut, so the
    pieces folded one by one join into the fold of the whole text. A piece that needs the slow fold sends the
    whole text there, as folding it at once would."""
    texts: list[str] = []
    dropped = array("q")
    start = 0
    while start < len(original):
        end = next_cut(original, start + _PIECE) if start + _PIECE < len(original) else len(original)
        piece = _fold_fast(original[start:end])
        if piece is None:
            text, gone = _fold_slowly(original)
            return text, array("q", gone)
        texts.append(piece[0])
        dropped.extend(position + start for position in piece[1])
        start = end
    return "".join(texts), dropped


def _fold_slowly(original: str) -> tuple[str, list[int]]:
    """Character-by-character fold for the rare texts the fast path cannot map (odd zero-width placements)."""
    out: list[str] = []
    dropped: list[int] = []
    previous_space = True
    i = 0
    while i < len(original):
        ch = original[i]
        if _NASAL_CLUSTER.match(original, i):
            out.append("\u0902")
            dropped.append(i + 1)
            previous_space = False
            i += 2
            continue
        mapped = _FOLD_TABLE.get(ord(ch), ord(ch))
        if mapped is None:
            dropped.append(i)
        elif not _FOLD_WORD.match(ch):
            if previous_space:
                dropped.append(i)
            else:
                out.append(" ")
                previous_space = True
        else:
            lowered = chr(mapped).lower()
            out.append(lowered if len(lowered) == 1 else chr(mapped))
            previous_space = False
        i += 1
    return "".join(out), dropped


def fold_word(word: str) -> str:
    """Fold one word for matching: normalized Devanagari without vowel length, lower-cased Latin."""
    folded = word.translate(_FOLD_TABLE)
    if _VIRAMA in folded:
        folded = _NASAL_CLUSTER.sub("\u0902", folded)
    return folded.lower()


def fold(text: str) -> str:
    """Fold a phrase for matching: each word folded, words joined by one space, punctuation dropped."""
    # FoldedText(text).text without the offset map, which a phrase's fold does not need (the taggers fold
    # every new token and clause this way); the same check decides when the slow fold is needed
    if len(text) <= _PIECE and "\u0130" not in text:
        folded = _fold_letters(text)
        if len(folded) == len(text) - _dropped_count(text):
            return folded.strip()
    return FoldedText(text).text.strip()


FOLD_CACHE_SIZE = 512
"""Folded texts kept: two of the enricher's batches (``nlp.enrich.BATCH``), so that the district, scheme and
misinformation taggers, each passing over a whole batch in turn, fold every text once."""


@lru_cache(maxsize=FOLD_CACHE_SIZE)
def folded_text(text: str) -> FoldedText:
    """``FoldedText(text)``, cached: the taggers of one mention all read the same folded text."""
    return FoldedText(text)
