"""Small pieces the templates need: evidence spans in a mention's text, input errors in the UI language, and
links that can only be http(s) or the app's own paths."""

from __future__ import annotations

from urllib.parse import urlsplit

from janmat.core.errors import InputError
from janmat.core.mention import Mention
from janmat.web.display import Words
from janmat.web.snippets import Piece

# What an input error is about, by the start of its (English) message, and the message key that says it in Hindi.
ERROR_KINDS = (
    ("bad date", "err_date"),
    ("unknown district", "err_district"),
    ("unknown scheme", "err_scheme"),
    ("bad sentiment", "err_sentiment"),
    ("unbalanced quote", "err_query"),
    ("OR needs", "err_query"),
    ("a query cannot only exclude", "err_query"),
    ("the query has no words", "err_query"),
    ("bad limit", "err_paging"),
    ("bad offset", "err_paging"),
    ("bad page", "err_paging"),
    ("--since", "err_since_until"),
    ("bad sort", "err_sort"),
    ("bad period", "err_period"),
    ("bad misinformation", "err_misinformation"),
)


def input_error_text(error: InputError, w: Words) -> str:
    """The error as one line in the UI language (Hindi: the Hindi sentence, then the English detail)."""
    detail = str(error)
    if w.lang == "en":
        return detail
    key = next((key for start, key in ERROR_KINDS if detail.startswith(start)), "err_input")
    return f"{w(key)} ({detail})"


def safe_link(url: str | None) -> str | None:
    """``url`` if it may be a link: absolute http(s) or a path of this app; None for ``javascript:``, ``data:``
    and anything else, which templates then show as plain text."""
    if not url:
        return None
    url = url.strip()
    if url.startswith("/") and not url.startswith("//"):
        return url
    parts = urlsplit(url)
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def evidence_pieces(mention: Mention, field: str) -> list[Piece]:
    """The title or text cut into pieces, with every district and scheme evidence span in it marked."""
    text = (mention.title or "") if field == "title" else mention.text
    spans = sorted({
        (e.start, e.end) for tag in [*mention.districts, *mention.schemes] for e in tag.evidence
        if e.field == field and 0 <= e.start < e.end <= len(text)
    })
    pieces, position = [], 0
    for start, end in spans:
        if start < position:
            continue  # overlapping evidence: the first span wins
        pieces += [Piece(text[position:start]), Piece(text[start:end], hit=True)]
        position = end
    pieces.append(Piece(text[position:]))
    return [piece for piece in pieces if piece.text]
