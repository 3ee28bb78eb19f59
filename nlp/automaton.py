"""Aho-Corasick matching (pyahocorasick) over a text of any length in bounded memory.

pyahocorasick copies the whole string it is given into a buffer of four bytes per character before it matches:
40 MB for a ten-million-character text, on top of the text itself. A long text is therefore matched window by
window; each window starts early enough to hold every key that ends inside it, so the matches are exactly those
of one pass, in the same order.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ahocorasick

WINDOW = 1 << 18
"""Characters matched per window of a long text (1 MB for the library's copy)."""


def iter_matches(automaton: ahocorasick.Automaton, text: str, window: int = WINDOW) -> Iterator[tuple[int, Any]]:
    """``automaton.iter(text)``: (offset of a key's last character in ``text``, the key's value), in text order,
    matching ``window`` characters at a time."""
    if len(text) <= window:
        yield from automaton.iter(text)
        return
    reach = automaton.get_stats()["longest_word"] - 1
    for start in range(0, len(text), window):
        low = max(0, start - reach)
        for end, value in automaton.iter(text[low:start + window]):
            if low + end >= start:  # a key ending before ``start`` was reported by the window before
                yield low + end, value
