"""Search-result snippets cut between whole words, so no vowel sign is left on a dotted circle (◌ों).

A window is opened around each matching word, widened to word boundaries, and overlapping windows are merged;
the passages are joined by one " … ", with one "…" at either end only where text was left out there.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from janmat.store.query_parser import is_match

# A word with its combining marks (matras, nukta, virama), digits and zero-width (non-)joiners: never split.
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}\u200c\u200d]+")
ELLIPSIS = "…"


@dataclass(frozen=True)
class Piece:
    """A run of snippet text; ``hit`` when it is a matching word to highlight."""

    text: str
    hit: bool = False


def matching_spans(
    text: str, terms: set[str], keys: set[str] | frozenset[str] = frozenset()
) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` whose index term is one of ``terms`` or whose cross-script key is
    one of ``keys`` (``ParsedQuery.all_keys``), so pension also marks पेंशन and penshan."""
    if not terms:
        return []
    return [found.span() for found in _WORD.finditer(text) if is_match(found.group(0), terms, keys)]


def _word_start(text: str, position: int) -> int:
    """``position`` moved back to the start of the word it falls in (unchanged between words)."""
    while 0 < position < len(text) and _WORD.match(text[position - 1]) and _WORD.match(text[position]):
        position -= 1
    return position


def _word_end(text: str, position: int) -> int:
    """``position`` moved forward to the end of the word it falls in."""
    while 0 < position < len(text) and _WORD.match(text[position - 1]) and _WORD.match(text[position]):
        position += 1
    return position


def snippet(
    text: str, terms: set[str], *, width: int = 160, most: int = 3, keys: set[str] | frozenset[str] = frozenset()
) -> list[Piece]:
    """Passages of ``text`` around up to ``most`` matching words, in any script when ``keys`` are given (or its
    opening when none match)."""
    text = " ".join(text.split())
    spans = matching_spans(text, terms, keys)
    if not spans:
        end = _word_end(text, min(len(text), width * 3 // 2))
        return [Piece(text[:end].rstrip()), *([Piece(ELLIPSIS)] if end < len(text) else [])]
    windows: list[list[int]] = []
    opened = 0  # windows opened so far, merged or not: the snippet stays within ``most`` × ``width``
    for start, end in spans:
        if windows and end <= windows[-1][1]:
            continue  # already inside the last passage
        if opened == most:
            break
        opened += 1
        lo = _word_start(text, max(0, start - width // 2))
        hi = _word_end(text, min(len(text), max(end, lo + width)))
        while text[lo].isspace():
            lo += 1
        while text[hi - 1].isspace():
            hi -= 1
        if windows and lo <= windows[-1][1] + 1:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    pieces: list[Piece] = [Piece(ELLIPSIS + " ")] if windows[0][0] > 0 else []
    for n, (lo, hi) in enumerate(windows):
        if n:
            pieces.append(Piece(f" {ELLIPSIS} "))
        position = lo
        for start, end in spans:
            if lo <= start and end <= hi:
                pieces += [Piece(text[position:start]), Piece(text[start:end], hit=True)]
                position = end
        pieces.append(Piece(text[position:hi]))
    if windows[-1][1] < len(text):
        pieces.append(Piece(" " + ELLIPSIS))
    return [piece for piece in pieces if piece.text]


def marked(pieces: list[Piece], mark: tuple[str, str] = ("«", "»")) -> str:
    """The snippet as one string with the matching words between ``mark`` (the API's ``highlights``)."""
    return "".join(f"{mark[0]}{p.text}{mark[1]}" if p.hit else p.text for p in pieces)
