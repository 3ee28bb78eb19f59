"""The user's search language, parsed once and translated by each store.

Words are ANDed; ``"quoted words"`` form a phrase; ``OR`` between two items makes them alternatives; a leading
``-`` excludes. Every word goes through the same normalization and stemming as the index
(``nlp.normalize.search_terms``), so ``किसानों`` finds ``किसान`` and ``गुड़गाँव`` finds ``गुडगांव``. Every word
also gets its cross-script key (``nlp.crossscript.search_keys``), which the stores match against the keys they
index, so पेंशन finds pension and penshan, and kisan finds किसान ([docs/search.md](../../docs/search.md)).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from janmat.core.errors import InputError
from nlp.crossscript import OWN_SPELLING, search_key, search_keys
from nlp.normalize import normalize_text, search_terms, stem, words

_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')
# A word as written, zero-width joiners and nukta included, so highlights keep the original spelling.
_ORIGINAL_WORD = re.compile("[0-9A-Za-z\u00c0-\u024f\u0900-\u0963\u0966-\u097f\u200c\u200d]+")


@dataclass(frozen=True)
class Phrase:
    """A word or a quoted phrase, as written, as index terms and as cross-script keys (one per term; empty when
    no word of it has a key of its own, so it matches only in its own spelling)."""

    raw: str
    terms: tuple[str, ...]
    keys: tuple[str, ...] = ()


@dataclass
class ParsedQuery:
    """AND of groups; each group is an OR of phrases; ``excluded`` phrases must not match."""

    groups: list[list[Phrase]] = field(default_factory=list)
    excluded: list[Phrase] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """True when the query has nothing positive to look for."""
        return not self.groups

    def all_terms(self) -> set[str]:
        """Every positive index term, for highlighting."""
        return {term for group in self.groups for phrase in group for term in phrase.terms}

    def all_keys(self) -> set[str]:
        """Every positive cross-script key, for highlighting the other spellings."""
        return {key for group in self.groups for phrase in group for key in phrase.keys
                if not key.startswith(OWN_SPELLING)}


def parse_query(text: str | None) -> ParsedQuery:
    """Parse the user's query text; raise InputError with a clear reason when it cannot mean anything."""
    parsed = ParsedQuery()
    if text is None or not text.strip():
        return parsed
    if text.count('"') % 2:
        raise InputError(f"unbalanced quote in query: {text!r}")
    pending_or = False
    for match in _TOKEN.finditer(text):
        negated, quoted, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None and bare == "OR":
            if not parsed.groups or pending_or:
                raise InputError(f"OR needs a word on each side: {text!r}")
            pending_or = True
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            negated, bare = "-", bare[1:]
        raw = quoted if quoted is not None else bare
        terms = tuple(search_terms(raw or ""))
        if not terms:
            if pending_or:
                raise InputError(f"OR needs a word on each side: {text!r}")
            continue
        phrase = Phrase(raw=raw or "", terms=terms, keys=_keys(raw or "", terms))
        if negated:
            parsed.excluded.append(phrase)
        elif pending_or:
            parsed.groups[-1].append(phrase)
        else:
            parsed.groups.append([phrase])
        pending_or = False
    if pending_or:
        raise InputError(f"OR needs a word on each side: {text!r}")
    if not parsed.groups and parsed.excluded:
        raise InputError(f"a query cannot only exclude words: {text!r}")
    if not parsed.groups:  # e.g. "!!!" or "—": nothing to look for, and matching everything would mislead
        raise InputError(f"the query has no words to search for: {text[:100]!r}")
    return parsed


def _keys(raw: str, terms: tuple[str, ...]) -> tuple[str, ...]:
    keys = tuple(search_keys(raw))
    if len(keys) != len(terms) or all(key.startswith(OWN_SPELLING) for key in keys):
        return ()
    return keys


def is_match(written: str, terms: set[str], keys: set[str] | frozenset[str] = frozenset()) -> bool:
    """True when a word as written in a text matched the query: its index term is one of ``terms`` (its own
    spelling, any inflection) or its cross-script key is one of ``keys`` (``ParsedQuery.all_keys``: its other
    spellings, e.g. पेंशन for pension or penshan). The stores' highlights and the web snippets both mark by it."""
    return any(stem(word.lower()) in terms or (keys and search_key(word.lower()) in keys)
               for word in words(normalize_text(written)))


def highlight(
    text: str, terms: set[str], *, width: int = 160, most: int = 3, mark: tuple[str, str] = ("«", "»"),
    keys: set[str] | frozenset[str] = frozenset(),
) -> list[str]:
    """Passages of ``text`` around the words whose index term is in ``terms`` (or whose cross-script key is in
    ``keys``), with those words marked."""
    if not terms or not text:
        return []
    hits = [found.span() for found in _ORIGINAL_WORD.finditer(text) if is_match(found.group(0), terms, keys)]
    passages: list[str] = []
    covered = -1
    for start, _end in hits:
        if start < covered or len(passages) >= most:
            continue
        lo = max(0, start - width // 2)
        hi = min(len(text), lo + width)
        chunk_hits = [(s, e) for s, e in hits if s >= lo and e <= hi]
        out, pos = [], lo
        for s, e in chunk_hits:
            out += [text[pos:s], mark[0], text[s:e], mark[1]]
            pos = e
        out.append(text[pos:hi])
        prefix = "…" if lo > 0 else ""
        suffix = "…" if hi < len(text) else ""
        passages.append(prefix + "".join(out).replace("\n", " ") + suffix)
        covered = hi
    return passages
