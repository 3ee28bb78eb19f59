"""Evidence spans: where in a mention's title or text a tag was found, as offsets into the text as written."""

from __future__ import annotations

from collections.abc import Iterable

from janmat.core.mention import Evidence, TextField
from nlp.normalize import FoldedText

MAX_EVIDENCE = 20
"""Spans kept per tag, first in text order: enough to show why a tag was given, and bounded for a book-length text
(the most any tag of the reference and benchmark texts needs is 9)."""


def evidence_spans(folded: FoldedText, spans: Iterable[tuple[int, int]], body_offset: int) -> list[Evidence]:
    """Evidence for folded ``[start, end)`` spans of ``title + "\\n" + text`` (``body_offset`` is where the text
    begins, 0 without a title), in text order, at most ``MAX_EVIDENCE``."""
    full = folded.original
    evidence = []
    for start, end in sorted(spans)[:MAX_EVIDENCE]:
        ostart, oend = folded.to_original(start, end)
        field_name: TextField = "title" if ostart < body_offset else "text"
        shift = 0 if field_name == "title" else body_offset
        evidence.append(Evidence(field=field_name, start=ostart - shift, end=oend - shift, text=full[ostart:oend]))
    return evidence
