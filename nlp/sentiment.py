"""Tone of a mention (positive / negative / neutral) from the project's own linear model.

The model (trained by ``nlp.train_sentiment``) is two multinomial logistic regressions behind one ``predict``:
one for Devanagari text (Hindi reviews, Hindi civic news), one for Latin-script text (Hinglish tweets and
comments, English civic news). Each reads sparse TF-IDF features over word unigrams, word bigrams and
word-bounded character n-grams of normalized text, with negation scope marked, plus dense lexicon features
(Hindi SentiWordNet, VADER's English lexicon and the project's civic-tone lexicon).

Featurization is our own rather than scikit-learn's ``TfidfVectorizer`` because the shipped model must load
with plain numpy/scipy (no pickled estimator classes tied to one scikit-learn version) and must run at thousands
of documents per second: character n-grams are computed once per distinct word and cached, not once per
occurrence. Training and prediction share exactly this code, so what is evaluated is what ships.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, islice, pairwise
from pathlib import Path
from typing import Any, ClassVar

import joblib
import numpy as np
from scipy import sparse

from janmat.core.errors import ConfigError
from janmat.core.mention import Mention, Sentiment, SentimentLabel
from janmat.core.settings import get_settings
from nlp.normalize import normalize_text, stem
from nlp.tagger import BatchModelTagger, MissingModelError, register_tagger

log = logging.getLogger(__name__)

MODELS_DIR = Path(__file__).resolve().parent / "models"
MODEL_FILE = "sentiment.joblib"
OPEN_MODEL_FILE = "sentiment-open.joblib"
MODEL_FILES: dict[str, tuple[str, str]] = {
    "research": ("janmat-tone", MODEL_FILE),
    "open": ("janmat-tone-open", OPEN_MODEL_FILE),
}
"""The committed tone models by kind: their name and file in ``nlp/models``. ``janmat-tone`` is trained on
research-only public sets; ``janmat-tone-open`` only on data the project may redistribute (MODEL_CARD.md)."""
DEFAULT_MODEL = "janmat-tone"
LABELS: tuple[SentimentLabel, ...] = ("negative", "neutral", "positive")
FORMAT_VERSION = 3
"""Bumped whenever the featurization changes (2: character 3–4-grams, chunk-cached tokens; 3: Haryanvi negators,
dialect forms read as standard Hindi, reporting verbs without weight, lead-weighted terms, calibrated
probabilities), so that a model file built for other features is refused at load instead of read wrongly."""

MAX_CHARS = 1500
"""Only the first characters of a text are read: a news story's headline and lead set its tone, and the
featurization cost grows with length (see benchmarks/nlp.py)."""
CHAR_NGRAMS = (3, 4)
"""Character n-gram lengths (of each word padded with a space on both sides). Bigrams were dropped in favour
of speed: a third fewer look-ups per new word, with equal held-out scores (MODEL_CARD.md)."""
_GRAM_SIZES = tuple(range(CHAR_NGRAMS[0], CHAR_NGRAMS[1] + 1))
_NEGATION_WINDOW_AFTER = 2
_NEGATION_WINDOW_BEFORE_HI = 1
_WORD_CACHE_SIZE = 200_000

_CLAUSE_BREAK = re.compile(r"[।॥.!?;:,\n|…]+")
_TOKEN = re.compile(
    r"[0-9a-z\u00c0-\u024f\u0900-\u0963\u0966-\u097f']+"
    r"|[\u2600-\u27bf\U0001f300-\U0001faff]"
)
# a run of clause-break characters (group 1) or one token, read from a normalized, lower-cased chunk
_PIECE = re.compile(f"({_CLAUSE_BREAK.pattern})|{_TOKEN.pattern}")
_APOSTROPHES = str.maketrans("’‘‚´", "''''")
_ELONGATION = re.compile(r"([a-z])\1{2,}")
_DEVANAGARI = re.compile("[\u0900-\u097f]")
_LATIN = re.compile("[a-z]", re.IGNORECASE)

# Words that flip the polarity of their neighbours. Hindi puts the negator after the adjective and before the
# verb ("अच्छा नहीं है", "काम नहीं हुआ"), so Devanagari negators also reach one word back.
HARYANVI_NEGATORS = {"कोनी": "नहीं", "कोन्या": "नहीं", "कोणी": "नहीं", "कोन्नी": "नहीं"}
"""Haryanvi negators, read as नहीं: stemmed as written, कोनी would become को, the commonest postposition."""
NEGATORS_HI = frozenset({"नहीं", "नही", "न", "ना", "मत", "बिना", "नहिं", *HARYANVI_NEGATORS})
NEGATORS_LATN = frozenset({
    "not", "no", "never", "nothing", "without", "cannot", "cant", "dont", "didnt", "doesnt", "isnt", "wasnt",
    "wont", "arent", "werent", "havent", "hasnt", "neither", "nor", "nahi", "nahin", "nhi", "nai", "mat",
    "bina", "na", "koni", "konya",
})


def script_of(text: str) -> str:
    """``deva`` when Devanagari letters outnumber Latin ones in the text, else ``latn``."""
    sample = text[:MAX_CHARS]
    return "deva" if len(_DEVANAGARI.findall(sample)) >= len(_LATIN.findall(sample)) else "latn"


def _clean(token: str) -> str:
    """A lower-cased word as the lexicons and negation lists spell it: ``n't`` → ``not``, no elongation."""
    token = token.strip("'")
    if token.endswith("n't"):
        return "not"
    if _DEVANAGARI.match(token):
        return token
    token = token.replace("'", "")
    # most words are not elongated, and a substitution with a template costs several searches
    return _ELONGATION.sub(r"\1\1", token) if _ELONGATION.search(token) else token


_clean_token = lru_cache(maxsize=200_000)(_clean)


def _feature_token(token: str) -> str:
    """The form a word takes in the features: Devanagari words lightly stemmed so inflections share weights."""
    return stem(token) if _DEVANAGARI.match(token) else token


_NEGATOR_FEATURES = frozenset({_feature_token(HARYANVI_NEGATORS.get(word, word)) for word in NEGATORS_HI}
                               | NEGATORS_LATN)


_Piece = tuple[str, str, int]
_chunk_cache: dict[str, tuple[_Piece | None, ...]] = {}
_chunk_cache_emptied = 0  # times the cache was emptied
"""The words of each whitespace-free chunk seen, emptied when full: (clean word, feature token, negator kind) for
a word, None for a clause break. Normalization acts inside a chunk, so chunks are cached: a stream of posts
repeats the same few thousand of them, and normalizing and stemming each once is most of the featurization
cost."""


def _new_pieces(chunks: list[str]) -> dict[str, tuple[_Piece | None, ...]]:
    """The pieces of chunks new to ``_chunk_cache`` (normalized together), which also go into it."""
    new = list(dict.fromkeys(chunks))
    made = dict(zip(new, _pieces(_normalized(new)), strict=True))
    if len(_chunk_cache) + len(made) > _WORD_CACHE_SIZE:
        global _chunk_cache_emptied  # a count that ``_tone_tokens_many`` compares
        _chunk_cache.clear()
        _chunk_cache_emptied += 1
    _chunk_cache.update(made)
    return made


_CHUNK_BLOCK = 256
"""Texts whose new chunks ``ToneFeatures.transform`` normalizes together (``_tone_tokens_many``): one indic-nlp
call per block instead of one per text."""


def _normalized(chunks: list[str]) -> list[str]:
    """``normalize_text`` of each chunk, lower-cased, with typographic apostrophes as the indic normalizer writes
    them (in Latin-only chunks too: don’t -> not); ASCII is already normal. The Devanagari chunks are normalized
    in one call joined by line breaks: no normalization step reads or writes across a line break, and one call
    per chunk cost more than the normalization itself."""
    normal = [chunk if chunk.isascii() else "" for chunk in chunks]
    devanagari = [i for i, chunk in enumerate(chunks) if not normal[i] and _DEVANAGARI.search(chunk)]
    if len(devanagari) > 1:
        joined = normalize_text("\n".join([chunks[i] for i in devanagari])).split("\n")
        if len(joined) == len(devanagari):
            for i, text in zip(devanagari, joined, strict=True):
                normal[i] = text.translate(_APOSTROPHES)
    return [(text or normalize_text(chunk).translate(_APOSTROPHES)).lower()
            for chunk, text in zip(chunks, normal, strict=True)]


def _pieces(normals: list[str]) -> list[tuple[_Piece | None, ...]]:
    """The pieces of each normalized, lower-cased chunk: a word's piece, or None for a clause break. The chunks
    are read in one scan, joined by spaces: neither a word nor a clause break holds a space."""
    pieces: list[list[_Piece | None]] = [[] for _ in normals]
    ends = list(accumulate(len(normal) + 1 for normal in normals))
    chunk = 0
    for found in _PIECE.finditer(" ".join(normals)):
        while found.start() >= ends[chunk]:
            chunk += 1
        if found.lastindex:
            pieces[chunk].append(None)
            continue
        piece = _word_piece(found.group())
        if piece is not None:
            pieces[chunk].append(piece)
    return list(map(tuple, pieces))


@lru_cache(maxsize=_WORD_CACHE_SIZE)
def _word_piece(token: str) -> _Piece | None:
    """(clean word, feature token, negator kind) of one token; None when nothing of it is left once cleaned.

    The word is cleaned without ``_clean_token``'s cache: this one cache serves the whole piece."""
    word = _clean(token)
    if not word:
        return None
    negator = 1 if word in NEGATORS_HI else 2 if word in NEGATORS_LATN else 0
    form = HARYANVI_NEGATORS.get(word, word)
    return word, _feature_token(form), negator


def tone_tokens(text: str) -> list[list[str]]:
    """Clauses of normalized, stemmed, lower-cased tokens; words in a negation's scope carry a ``NOT_`` prefix."""
    chunked = [line.split() for line in text[:MAX_CHARS].split("\n")]
    get = _chunk_cache.get
    lines = [list(map(get, chunks)) for chunks in chunked]
    if any(None in line for line in lines):
        made = _new_pieces([chunk for chunks, line in zip(chunked, lines, strict=True)
                            for chunk, pieces in zip(chunks, line, strict=True) if pieces is None])
        lines = [[made[chunk] if pieces is None else pieces for chunk, pieces in zip(chunks, line, strict=True)]
                 for chunks, line in zip(chunked, lines, strict=True)]
    return _clauses(lines)


def _tone_tokens_many(texts: list[str]) -> list[list[list[str]]]:
    """``tone_tokens`` of each text, with the chunks new to ``_chunk_cache`` normalized together first."""
    chunked = [[line.split() for line in text[:MAX_CHARS].split("\n")] for text in texts]
    cache, emptied = _chunk_cache, _chunk_cache_emptied
    new = [chunk for lines in chunked for chunks in lines for chunk in chunks if chunk not in cache]
    if new:
        _new_pieces(new)
        if _chunk_cache_emptied != emptied:  # emptied to make room: some chunks looked up above are gone
            return list(map(tone_tokens, texts))
    get = cache.get
    return [_clauses([list(map(get, chunks)) for chunks in lines]) for lines in chunked]


def _clauses(lines: list[list[tuple[_Piece | None, ...]]]) -> list[list[str]]:
    """The clauses of a text from the pieces of its lines' chunks."""
    clauses: list[list[str]] = []
    for line in lines:
        features: list[str] = []
        negators: list[int] = []
        for pieces in line:
            for piece in pieces:
                if piece is not None:
                    features.append(piece[1])
                    negators.append(piece[2])
                elif features:
                    clauses.append(_mark_negation(features, negators))
                    features, negators = [], []
        if features:
            clauses.append(_mark_negation(features, negators))
    return clauses


def _mark_negation(features: list[str], negators: list[int]) -> list[str]:
    """The feature tokens of one clause (its words' negator kinds alongside), with ``NOT_`` on the words in a
    negator's scope."""
    if not any(negators):
        return features
    marked = list(features)
    for i, negator in enumerate(negators):
        if not negator:
            continue
        before = _NEGATION_WINDOW_BEFORE_HI if negator == 1 else 0
        for j in range(max(0, i - before), min(len(features), i + 1 + _NEGATION_WINDOW_AFTER)):
            if j != i and not negators[j]:
                marked[j] = "NOT_" + marked[j].removeprefix("NOT_")
    return marked


@lru_cache(maxsize=300_000)
def _char_grams(word: str) -> tuple[str, ...]:
    return tuple(["c:" + gram for gram in _grams(word)])


def _grams(word: str) -> list[str]:
    """The character n-grams of a word padded with a space on both sides (without the ``c:`` of their terms)."""
    padded = f" {word} "
    return [padded[i : i + n] for n in _GRAM_SIZES for i in range(len(padded) - n + 1)]


def feature_terms(clauses: list[list[str]]) -> list[str]:
    """The sparse feature names of a text: word unigrams, word bigrams and character n-grams of each word."""
    terms: list[str] = []
    for tokens in clauses:
        terms.extend("w:" + t for t in tokens)
        terms.extend(f"b:{a} {b}" for a, b in pairwise(tokens))
        for token in tokens:
            terms.extend(_char_grams(token.removeprefix("NOT_")))
    return terms


@dataclass
class ToneLexicon:
    """Prior polarity of words from several lexicons: word -> (positive, negative) strength in [0, 1]."""

    sources: dict[str, dict[str, tuple[float, float]]] = field(default_factory=dict)

    @property
    def width(self) -> int:
        """How many dense features the lexicon adds (positive and negative per source, plus negation count)."""
        return 2 * len(self.sources) + 1

    def __getstate__(self) -> dict[str, object]:
        return {"sources": self.sources}

    def token_values(self, token: str) -> tuple[float, ...] | None:
        """One token's contribution to the dense features (positive and negative strength per source, flipped
        under negation, then 1 for a negator), or None when it carries no polarity or negation."""
        negated = token.startswith("NOT_")
        base = token[4:] if negated else token
        values: list[float] = []
        for words in self.sources.values():
            polarity = words.get(base, (0.0, 0.0))
            values.extend((polarity[1], polarity[0]) if negated else polarity)
        values.append(1.0 if token in _NEGATOR_FEATURES else 0.0)
        return tuple(values) if any(values) else None


_TokenEntry = tuple[tuple[int, ...], tuple[tuple[int, float], ...], int]
"""A token's vocabulary ids, its (lexicon column, value) pairs and its bigram word id."""
_TermTables = tuple[dict[str, int], "_GramIndex", frozenset[str]]
"""Word term columns by word; the n-gram terms' index; the words of the lexicon."""


def _gram_key(gram: str, alphabet: np.ndarray) -> int:
    """A character n-gram as one integer: its length, then each character's rank in ``alphabet`` plus one (0 for
    a character outside it), as digits in base ``len(alphabet) + 1``."""
    base = len(alphabet) + 1
    key = len(gram)
    for ch in gram:
        rank = int(np.searchsorted(alphabet, ord(ch)))
        key = key * base + (rank + 1 if rank < len(alphabet) and alphabet[rank] == ord(ch) else 0)
    return key


_HASH_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


class _GramIndex:
    """The character n-gram terms as integer keys (``_gram_key``) in an open-addressing hash table (linear probing,
    at most a quarter full), so that a batch's new words find all their n-grams in a few vectorized probes; and a
    table from code point to ``_gram_key`` digit (its rank in the alphabet plus one, 0 outside it)."""

    def __init__(self, alphabet: np.ndarray, keys: np.ndarray, columns: np.ndarray) -> None:
        self.base = len(alphabet) + 1
        self.top = int(alphabet.max()) + 1 if len(alphabet) else 0
        self.digits = np.zeros(self.top + 1, dtype=np.int64)  # the last entry: any code point past the alphabet
        self.digits[alphabet] = np.arange(1, len(alphabet) + 1)
        bits = max(4, (4 * len(keys)).bit_length())
        self._shift = np.uint64(64 - bits)
        self._mask = (1 << bits) - 1
        self._keys = np.full(1 << bits, -1, dtype=np.int64)  # -1: an empty slot (every key is positive)
        self._columns = np.zeros(1 << bits, dtype=np.int64)
        slot = self._slots(keys)
        pending = np.arange(len(keys))
        while len(pending):
            at = slot[pending]
            free = self._keys[at] == -1
            _, first = np.unique(at[free], return_index=True)  # one key per free slot a round; the others move on
            placed = pending[free][first]
            self._keys[slot[placed]] = keys[placed]
            self._columns[slot[placed]] = columns[placed]
            done = np.zeros(len(keys), dtype=bool)
            done[placed] = True
            pending = pending[~done[pending]]
            moved = pending[self._keys[slot[pending]] != -1]
            slot[moved] = (slot[moved] + 1) & self._mask

    def _slots(self, keys: np.ndarray) -> np.ndarray:
        """Each key's first slot (Fibonacci hashing)."""
        return ((keys.astype(np.uint64) * _HASH_MULTIPLIER) >> self._shift).astype(np.int64)

    def columns(self, keys: np.ndarray) -> np.ndarray:
        """The column of each key, or -1 for a key that is no term."""
        found = np.full(len(keys), -1, dtype=np.int64)
        slot = self._slots(keys)
        active = np.arange(len(keys))
        while len(active):
            at = slot[active]
            held = self._keys[at]
            hit = held == keys[active]
            found[active[hit]] = self._columns[at[hit]]
            active = active[(held != -1) & ~hit]  # probe on past other keys, until an empty slot
            slot[active] = (slot[active] + 1) & self._mask
        return found


def _gram_columns(words: list[str], index: _GramIndex) -> list[tuple[int, ...]]:
    """For each word, the columns of its character n-grams (``_grams`` order) that are terms of ``index``. All the
    words' n-grams are looked up at once."""
    if not words:
        return []
    padded = "".join([f" {word} " for word in words])
    # the code points of the whole string at once (UTF-32 is one unit per code point)
    points = np.frombuffer(padded.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.int64)
    codes = index.digits[np.minimum(points, index.top)]
    lengths = np.array([len(word) + 2 for word in words], dtype=np.int64)
    offsets = np.cumsum(lengths) - lengths
    base = index.base
    gram_keys, owners = [], []
    for n in _GRAM_SIZES:
        counts = np.maximum(lengths - n + 1, 0)
        owner = np.repeat(np.arange(len(words)), counts)
        starts = offsets[owner] + np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
        key = np.full(len(owner), n, dtype=np.int64)
        for i in range(n):
            key = key * base + codes[starts + i]
        gram_keys.append(key)
        owners.append(owner)
    key = np.concatenate(gram_keys)
    owner = np.concatenate(owners)
    order = np.argsort(owner, kind="stable")  # each word's n-grams together, shorter n-grams first, in order
    key, owner = key[order], owner[order]
    found = index.columns(key)
    hit = found >= 0
    per_word = np.bincount(owner[hit], minlength=len(words)).tolist()
    hits = iter(found[hit].tolist())
    return [tuple(islice(hits, count)) for count in per_word]


_BigramTable = tuple[dict[str, int], np.ndarray, np.ndarray, int]


@dataclass
class ToneFeatures:
    """Fitted featurizer: vocabulary and IDF weights of the sparse terms, plus the lexicon's dense features.

    ``word_forms`` maps a feature token to the form it is read as (a Haryanvi word to its standard Hindi form,
    पाणी → पानी), or to ``""`` for a word that carries no tone of its own (reporting verbs: कहा, बताया, said), which
    is then left out. In a text longer than ``2 * lead_chars``, the terms of its first ``lead_chars`` characters
    (headline and lead) count ``lead_weight`` times."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    lexicon: ToneLexicon
    lexicon_scale: float = 1.0
    word_forms: dict[str, str] = field(default_factory=dict)
    lead_chars: int = 0
    lead_weight: float = 1.0

    @classmethod
    def fit(
        cls, texts: Sequence[str], lexicon: ToneLexicon, min_df: int = 2, max_terms: int = 150_000,
        lexicon_scale: float = 1.0, word_forms: dict[str, str] | None = None, lead_chars: int = 0,
        lead_weight: float = 1.0,
    ) -> ToneFeatures:
        """Learn the vocabulary (terms in at least ``min_df`` texts, the ``max_terms`` most frequent) and IDF."""
        features = cls(vocabulary={}, idf=np.zeros(0, dtype=np.float32), lexicon=lexicon,
                       lexicon_scale=lexicon_scale, word_forms=dict(word_forms or {}), lead_chars=lead_chars,
                       lead_weight=lead_weight)
        document_frequency: Counter[str] = Counter()
        for text in texts:
            document_frequency.update({term for clauses, _ in features.segments(text)
                                       for term in feature_terms(features.read(clauses))})
        kept = sorted(
            (term for term, df in document_frequency.items() if df >= min_df),
            key=lambda term: (-document_frequency[term], term),
        )[:max_terms]
        kept.sort()
        features.vocabulary = {term: i for i, term in enumerate(kept)}
        n = len(texts)
        features.idf = np.array([math.log((1 + n) / (1 + document_frequency[t])) + 1.0 for t in kept],
                                dtype=np.float32)
        return features

    @property
    def width(self) -> int:
        """Number of columns of the feature matrix."""
        return len(self.vocabulary) + self.lexicon.width

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        for cache in ("_token_entries", "_bigrams", "_word_ids", "_term_tables"):
            state.pop(cache, None)
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)

    def form(self, token: str) -> str | None:
        """The form a token is read as (``word_forms``, keeping a ``NOT_`` mark), or None when it is left out."""
        negated = token.startswith("NOT_")
        form = self.word_forms.get(token[4:] if negated else token)
        if form is None:
            return token
        if not form:
            return None
        return "NOT_" + form if negated else form

    def read(self, clauses: list[list[str]]) -> list[list[str]]:
        """Clauses with every token in the form it is read as (words without tone left out)."""
        return [[form for form in map(self.form, tokens) if form is not None] for tokens in clauses]

    def segments(self, text: str) -> list[tuple[list[list[str]], float]]:
        """The text's clauses, as one segment of weight 1, or as its lead (weight ``lead_weight``) and the rest."""
        return [(tone_tokens(part), weight) for part, weight in self._parts(text)]

    def _parts(self, text: str) -> list[tuple[str, float]]:
        """The text of each of ``segments``, with its weight."""
        if self.lead_weight == 1.0 or not self.lead_chars or len(text) <= 2 * self.lead_chars:
            return [(text, 1.0)]
        cut = text.rfind(" ", 0, self.lead_chars)
        cut = cut if cut > 0 else self.lead_chars
        return [(text[:cut], self.lead_weight), (text[cut:MAX_CHARS], 1.0)]

    def _bigram_table(self) -> _BigramTable:
        """The word-bigram terms as integer pairs: an id for each word that starts or ends a bigram, the sorted
        keys ``first * n + second`` and their columns, so that a batch's bigrams are looked up in one
        ``searchsorted`` instead of one string and one dict look-up per word pair."""
        table: _BigramTable | None = self.__dict__.get("_bigrams")
        if table is None:
            words: dict[str, int] = {}
            pairs = []
            for term, column in self.vocabulary.items():
                if term.startswith("b:"):
                    first, second = term[2:].split(" ")
                    pairs.append((words.setdefault(first, len(words)), words.setdefault(second, len(words)), column))
            n = max(1, len(words))
            keys = np.array([first * n + second for first, second, _ in pairs], dtype=np.int64)
            columns = np.array([column for _, _, column in pairs], dtype=np.int64)
            order = np.argsort(keys)
            table = self.__dict__["_bigrams"] = (words, keys[order], columns[order], n)
        return table

    def _term_ids(self) -> _TermTables:
        """The columns of the word terms keyed without their ``w:``, and the character n-gram terms as integer
        keys (``_gram_key``) with their columns in a ``_GramIndex``: a batch's new words then find all their
        n-grams in a few vectorized probes instead of one string and one dict look-up per n-gram."""
        tables: _TermTables | None = self.__dict__.get("_term_tables")
        if tables is None:
            words: dict[str, int] = {}
            grams: list[tuple[str, int]] = []
            for term, column in self.vocabulary.items():
                if term.startswith("w:"):
                    words[term[2:]] = column
                elif term.startswith("c:"):
                    grams.append((term[2:], column))
            alphabet = np.array(sorted({ord(ch) for gram, _ in grams for ch in gram}), dtype=np.int64)
            if (max(_GRAM_SIZES) + 1) * (len(alphabet) + 1) ** max(_GRAM_SIZES) >= 2**63:
                raise ValueError(f"{len(alphabet)} characters in the n-gram terms: too many for 64-bit n-gram keys")
            keys = np.array([_gram_key(gram, alphabet) for gram, _ in grams], dtype=np.int64)
            columns = np.array([column for _, column in grams], dtype=np.int64)
            lexical = frozenset().union(*self.lexicon.sources.values())
            tables = self.__dict__["_term_tables"] = (words, _GramIndex(alphabet, keys, columns), lexical)
        return tables

    def _new_entries(self, tokens: list[str]) -> dict[str, _TokenEntry | None]:
        """Each token's vocabulary ids (unigram, then character n-grams in ``_grams`` order), its non-zero lexicon
        columns, and its bigram word id (-1 when it is in no bigram term); None for a word that is left out."""
        words, index, lexical = self._term_ids()
        bigram_words = self._bigram_table()[0]
        forms = {token: self.form(token) for token in tokens}
        kept = [form for form in forms.values() if form is not None]
        bases = [form.removeprefix("NOT_") for form in kept]
        grams = iter(_gram_columns(bases, index))
        known: dict[str, _TokenEntry] = {}
        for form, base in zip(kept, bases, strict=True):
            found = next(grams)
            word = words.get(form)
            # a word in no lexicon and no negator has no lexicon values (most words)
            values = self.lexicon.token_values(form) if base in lexical or form in _NEGATOR_FEATURES else None
            known[form] = ((word, *found) if word is not None else found,
                           tuple([(k, value) for k, value in enumerate(values or ()) if value]),
                           bigram_words.get(form, -1))
        return {token: None if form is None else known[form] for token, form in forms.items()}

    def transform(self, texts: Iterable[str]) -> sparse.csr_matrix:
        """Feature matrix: L2-normalized sublinear TF-IDF of the (lead-weighted) terms, then the scaled lexicon
        features (damped sums of each lexicon column over the text's tokens)."""
        vocabulary = self.vocabulary
        entries: dict[str, _TokenEntry | None] | None = self.__dict__.get("_token_entries")
        if entries is None or len(entries) > _WORD_CACHE_SIZE:
            entries = self.__dict__["_token_entries"] = {}
        texts = list(texts)
        # The batch as one stream of tokens, None after each clause; each segment's length, row and weight.
        stream: list[str | None] = []
        segment_lengths: list[int] = []
        segment_rows: list[int] = []
        segment_weights: list[float] = []
        # block by block (the segments of ``segments``), so that a training corpus does not hold all its new
        # chunks at once; each block's new chunks are normalized together
        for start in range(0, len(texts), _CHUNK_BLOCK):
            parts = [(row, part, weight) for row, text in enumerate(texts[start:start + _CHUNK_BLOCK], start)
                     for part, weight in self._parts(text)]
            for (row, _, weight), clauses in zip(parts, _tone_tokens_many([part for _, part, _ in parts]),
                                                 strict=True):
                before = len(stream)
                for tokens in clauses:
                    stream.extend(tokens)
                    stream.append(None)
                segment_lengths.append(len(stream) - before)
                segment_rows.append(row)
                segment_weights.append(weight)
        distinct = dict.fromkeys(stream)
        distinct.pop(None, None)
        new = [token for token in distinct if token not in entries]
        if new:
            entries.update(self._new_entries(new))
        # Each distinct token once (the clause end last): its term columns, bigram word id and lexicon pairs laid
        # end to end. Every occurrence then takes its token's run by index, in the stream's order, which is the
        # order the terms had when they were gathered token by token (so sums are made in the same order).
        slot = dict(zip(distinct, range(len(distinct)), strict=True))
        slot[None] = len(distinct)  # type: ignore[index]
        id_counts: list[int] = []
        flat_ids: list[int] = []
        word_ids: list[int] = []
        lexicon_counts: list[int] = []
        flat_lexicon_columns: list[int] = []
        flat_lexicon_values: list[float] = []
        kept: list[bool] = []
        for token in distinct:
            entry = entries[token]
            if entry is None:
                id_counts.append(0)
                word_ids.append(-1)
                lexicon_counts.append(0)
                kept.append(False)
                continue
            ids, lexical, word = entry
            id_counts.append(len(ids))
            flat_ids.extend(ids)
            word_ids.append(word)
            lexicon_counts.append(len(lexical))
            for k, value in lexical:
                flat_lexicon_columns.append(k)
                flat_lexicon_values.append(value)
            kept.append(True)
        id_counts.append(0)  # the clause end: no terms, -1 in the bigram sequence
        word_ids.append(-1)
        lexicon_counts.append(0)
        kept.append(True)
        codes = np.fromiter(map(slot.__getitem__, stream), dtype=np.int64, count=len(stream))
        occurrence_rows = np.repeat(np.asarray(segment_rows, dtype=np.int64), segment_lengths)
        occurrence_weights = np.repeat(np.asarray(segment_weights, dtype=np.float64), segment_lengths)
        n_docs, n_terms = len(texts), len(vocabulary)
        counts = np.asarray(id_counts, dtype=np.int64)[codes]
        columns = np.asarray(flat_ids, dtype=np.int64)[_runs(np.cumsum(id_counts) - id_counts, codes, counts)]
        term_rows = np.repeat(occurrence_rows, counts)
        term_weights = np.repeat(occurrence_weights, counts).astype(np.float32)
        in_sequence = np.asarray(kept, dtype=bool)[codes]  # words left out are not in the bigram sequence
        words = np.asarray(word_ids, dtype=np.int64)[codes[in_sequence]]
        word_rows = occurrence_rows[in_sequence]
        word_weights = occurrence_weights[in_sequence].astype(np.float32)
        lexicon_per = np.asarray(lexicon_counts, dtype=np.int64)[codes]
        lexicon_at = _runs(np.cumsum(lexicon_counts) - lexicon_counts, codes, lexicon_per)
        lexicon_rows = np.repeat(occurrence_rows, lexicon_per)
        lexicon_columns = np.asarray(flat_lexicon_columns, dtype=np.int64)[lexicon_at]
        lexicon_values = (np.asarray(flat_lexicon_values, dtype=np.float64)[lexicon_at]
                          * np.repeat(occurrence_weights, lexicon_per)).astype(np.float32)
        _, keys, key_columns, n_words = self._bigram_table()
        first, second = words[:-1], words[1:]
        pair = (first >= 0) & (second >= 0)
        wanted = first[pair] * n_words + second[pair]
        found = np.minimum(np.searchsorted(keys, wanted), max(0, len(keys) - 1))
        known = keys[found] == wanted if len(keys) else np.zeros(len(wanted), dtype=bool)
        rows = np.concatenate([term_rows, word_rows[:-1][pair][known]])
        all_columns = np.concatenate([columns, key_columns[found[known]]])
        tfidf = _summed(rows, all_columns, np.concatenate([term_weights, word_weights[:-1][pair][known]]),
                        (n_docs, n_terms))
        tfidf.data = (1.0 + np.log(tfidf.data)) * self.idf[tfidf.indices]
        norms = np.sqrt(np.asarray(tfidf.multiply(tfidf).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        tfidf = sparse.diags((1.0 / norms).astype(np.float32)) @ tfidf
        lexicon = sparse.csr_matrix(
            (lexicon_values, (lexicon_rows, lexicon_columns)),
            shape=(n_docs, self.lexicon.width),
        )
        lexicon.sum_duplicates()
        lexicon.data = np.log1p(lexicon.data) * np.float32(self.lexicon_scale)
        return sparse.hstack([tfidf, lexicon], format="csr", dtype=np.float32)


def _summed(rows: np.ndarray, columns: np.ndarray, weights: np.ndarray, shape: tuple[int, int]) -> sparse.csr_matrix:
    """The matrix of the (row, column) pairs' summed weights (float32), with sorted column indexes: that of
    ``csr_matrix((weights, (rows, columns)))``. When the weights are whole numbers (1, and a whole lead weight)
    each sum is a count, the same in any order of adding, so it is counted from the sorted pairs, which is
    several times faster than scipy's conversion; other weights go through scipy."""
    whole = weights.astype(np.int64)
    if len(weights) and (whole.min() < 1 or whole.max() > 8 or not np.array_equal(whole, weights)
                         or int(whole.sum()) >= 1 << 24):
        matrix = sparse.csr_matrix((weights, (rows, columns)), shape=shape)
        matrix.sum_duplicates()
        return matrix
    n_rows, n_columns = shape
    # one integer per pair, in row order then column order (32 bits when they fit: a faster sort)
    dtype = np.int32 if n_rows * n_columns < 1 << 31 else np.int64
    keys = rows.astype(dtype) * dtype(n_columns) + columns.astype(dtype)
    if len(keys) and whole.max() > 1:
        keys = np.repeat(keys, whole)  # a pair of weight w counts w times
    keys.sort()
    firsts = np.flatnonzero(np.concatenate([keys[:1] >= 0, keys[1:] != keys[:-1]]))
    counts = np.diff(np.append(firsts, len(keys)))
    distinct = keys[firsts]
    row_starts = np.arange(n_rows + 1, dtype=np.int64) * n_columns
    indptr = np.searchsorted(distinct, row_starts)
    indices = distinct - np.repeat(row_starts[:-1], np.diff(indptr)).astype(dtype)
    return sparse.csr_matrix((counts.astype(np.float32), indices, indptr), shape=shape)


def _runs(starts: np.ndarray, codes: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Indexes into a flat table of runs laid end to end (run ``i`` begins at ``starts[i]``): run ``codes[j]``'s
    first ``counts[j]`` indexes for each ``j``, one after the other."""
    total = int(counts.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(counts)
    return np.repeat(np.asarray(starts, dtype=np.int64)[codes] - (ends - counts), counts) + np.arange(total)


@dataclass
class ToneClassifier:
    """One script's featurizer and linear weights (multinomial logistic regression, softmax probabilities)."""

    features: ToneFeatures
    coef: np.ndarray
    """Shape (n_features, 3), columns in ``LABELS`` order."""
    intercept: np.ndarray
    temperature: float = 1.0
    """Scores are divided by it before the softmax (temperature scaling, fitted on out-of-fold predictions), so
    that the probabilities are calibrated; it never changes which label wins."""

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Raw linear scores (logits), one row per text."""
        return self.features.transform(texts) @ self.coef + self.intercept

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated class probabilities, one row per text, columns in ``LABELS`` order."""
        if not texts:
            return np.zeros((0, len(LABELS)), dtype=np.float32)
        return softmax(self.scores(texts), self.temperature)


def softmax(scores: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Row-wise softmax of ``scores / temperature``."""
    scores = scores / temperature
    scores = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)


@dataclass
class SentimentModel:
    """Janmat's tone model: a Devanagari and a Latin-script classifier behind one ``predict``."""

    classifiers: dict[str, ToneClassifier]
    name: str = "janmat-tone"
    version: str = "0"
    format_version: int = FORMAT_VERSION
    meta: dict[str, object] = field(default_factory=dict)

    @property
    def model_id(self) -> str:
        """Name and version, as stored on every mention's ``sentiment.model``."""
        return f"{self.name}-{self.version}"

    def route(self, text: str, lang: str | None) -> str:
        """Which classifier reads a text: by its language tag when it names one script, else by its letters."""
        if lang == "hi":
            return "deva"
        if lang in ("en", "hi-Latn"):
            return "latn"
        return script_of(text)

    def probabilities(self, texts: Sequence[str], langs: Sequence[str | None]) -> np.ndarray:
        """Class probabilities in ``LABELS`` order for each text, each routed to its script's classifier."""
        if len(texts) != len(langs):
            raise ValueError(f"predict needs one language per text: got {len(texts)} texts, {len(langs)} langs")
        result = np.zeros((len(texts), len(LABELS)), dtype=np.float64)
        groups: dict[str, list[int]] = {}
        for i, (text, lang) in enumerate(zip(texts, langs, strict=True)):
            groups.setdefault(self.route(text or "", lang), []).append(i)
        for script, rows in groups.items():
            result[rows] = self.classifiers[script].probabilities([texts[i] or "" for i in rows])
        return result

    def predict(self, texts: list[str], langs: list[str | None]) -> list[Sentiment]:
        """Tone of each text: the most probable label and its probability."""
        probabilities = self.probabilities(texts, langs)
        best = probabilities.argmax(axis=1)
        model = self.model_id
        return [
            Sentiment(label=LABELS[k], score=round(float(probabilities[i, k]), 4), model=model)
            for i, k in enumerate(best)
        ]

    def save(self, path: Path) -> Path:
        """Write the model as one compressed joblib file (numpy arrays, dicts and these dataclasses only)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(self, path, compress=("xz", 6))
        return path


class ModelMissingError(MissingModelError):
    """The trained sentiment model is not where Janmat looks for it."""


def model_path(model: Path | str | None = None) -> Path:
    """Where a tone model is: ``model`` (default: the ``JANMAT_SENTIMENT_MODEL`` setting) is a committed model's
    name (``janmat-tone``, ``janmat-tone-open``), a model file, a folder holding ``sentiment.joblib``, or a local
    Hugging Face model folder (``config.json``; ``nlp.tone_transformer``)."""
    if model is None:
        model = get_settings().nlp.sentiment_model
    for name, file_name in MODEL_FILES.values():
        if str(model) == name:
            return MODELS_DIR / file_name
    target = Path(model)
    if not target.exists() and "/" not in str(model) and not target.suffix:
        # a bare word that is no shipped model's name is a typo in the setting, not a model still to be trained
        names = ", ".join(name for name, _ in MODEL_FILES.values())
        raise ConfigError(f"unknown tone model {str(model)!r} (JANMAT_SENTIMENT_MODEL): use {names}, a model file "
                          f"or a model folder (अज्ञात भावना मॉडल; {names} में से एक, या मॉडल फ़ाइल/फ़ोल्डर दें)")
    if target.is_dir() and not (target / "config.json").exists():  # a Hugging Face folder is the model itself
        return target / MODEL_FILE
    return target


def load_sentiment_model(path: Path | str | None = None) -> SentimentModel:
    """A tone model (``model_path``; by default the one the settings name), loaded once per process and path."""
    return _load_model_file(model_path(path))


@lru_cache(maxsize=4)
def _load_model_file(target: Path) -> SentimentModel:
    if target.is_dir():
        from nlp.tone_transformer import TransformerToneModel

        return TransformerToneModel.load(target)  # type: ignore[return-value]  # same predict interface
    if not target.exists():
        raise ModelMissingError(
            f"sentiment model not found at {target}; rebuild it with `janmat train sentiment` "
            f"(भावना मॉडल नहीं मिला; `janmat train sentiment` से फिर से बनाएं)"
        )
    model = joblib.load(target)
    if not isinstance(model, SentimentModel) or model.format_version != FORMAT_VERSION:
        raise ValueError(f"{target} is not a Janmat sentiment model of format {FORMAT_VERSION}; rebuild it with "
                         f"`janmat train sentiment` (भावना मॉडल पुराना है; फिर से बनाएं)")
    log.debug("loaded sentiment model %s from %s", model.model_id, target)
    return model


@register_tagger("sentiment")
class SentimentComponent(BatchModelTagger):
    """Sets ``sentiment`` once per batch; reads ``lang`` to route each text to its script's classifier."""

    assigns: ClassVar[tuple[str, ...]] = ("sentiment",)
    requires: ClassVar[tuple[str, ...]] = ("lang",)

    def __init__(self, model: str | None = None) -> None:
        """``model``: a committed model's name, a model file or a folder (default: ``JANMAT_SENTIMENT_MODEL``)."""
        self.model = load_sentiment_model(model)

    def predict(self, mentions: list[Mention]) -> list[Sentiment]:
        """The tone of each mention's title and text."""
        return self.model.predict([m.full_text() for m in mentions], [m.lang for m in mentions])

    @staticmethod
    def columns(mention: Mention) -> dict[str, Any]:
        """``sentiment`` (the label) and ``sentiment_score`` (its probability, 4 decimals)."""
        sentiment = mention.sentiment
        return {"sentiment": sentiment.label if sentiment else None,
                "sentiment_score": round(sentiment.score, 4) if sentiment else None}


__all__ = [
    "LABELS",
    "ModelMissingError",
    "SentimentComponent",
    "SentimentModel",
    "ToneClassifier",
    "ToneFeatures",
    "ToneLexicon",
    "load_sentiment_model",
    "model_path",
    "script_of",
    "tone_tokens",
]
