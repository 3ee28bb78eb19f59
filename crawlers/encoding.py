"""Decode page bytes to text even when the site declares the wrong charset.

Hindi pages are UTF-8 almost everywhere, yet servers still send ``charset=iso-8859-1`` (or a stale
``<meta charset=windows-1252>``), and a Latin-1 decode never fails: it silently turns Devanagari into mojibake.
Bytes that decode as strict UTF-8 and contain non-ASCII characters are UTF-8 with near certainty, so that test
wins over any declaration. Otherwise w3lib applies BOM, HTTP header and ``<meta>`` in that order, and
charset-normalizer guesses when nothing is declared.
"""

from __future__ import annotations

import charset_normalizer
from w3lib.encoding import html_to_unicode, read_bom


def _guess(body: bytes) -> str | None:
    best = charset_normalizer.from_bytes(body[:200_000]).best()
    return best.encoding if best else None


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Text of an HTML or XML body and the encoding actually used to decode it."""
    bom_encoding, _ = read_bom(body)
    if bom_encoding is None and not body.isascii():
        try:
            return body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    encoding, text = html_to_unicode(content_type, body, auto_detect_fun=_guess)
    return text, encoding
