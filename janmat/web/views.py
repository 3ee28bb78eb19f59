"""Small pieces the templates need: evidence spans in a mention's text, input errors in the UI language, and
links that can only be http(s) or the app's own paths."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from janmat.core.errors import InputError
from janmat.core.i18n import error_kind
from janmat.core.mention import Mention
from janmat.web.display import Words
from janmat.web.snippets import Piece

HTTP_ERROR_KINDS = {401: "err_forbidden", 403: "err_forbidden", 404: "err_not_found", 411: "err_too_large",
                    413: "err_too_large", 429: "err_too_many", 500: "err_server", 503: "err_store_down"}
"""The message key that says an HTTP error in Hindi, by status; any other is ``err_request``."""
_REQUEST_PARTS = ("query", "path", "header", "cookie", "body")


def input_error_text(error: InputError, w: Words) -> str:
    """The error as one line in the UI language (Hindi: the Hindi sentence, then the English detail)."""
    detail = str(error)
    if w.lang == "en":
        return detail
    return f"{w(error_kind(detail) or 'err_input')} ({detail})"


def request_problem(errors: Sequence[Any]) -> InputError:
    """FastAPI's request-validation problems (a parameter missing or of the wrong type, a body that is not JSON) as
    one InputError naming each parameter, like the ones the routes raise themselves."""
    parts = []
    for error in errors[:3]:
        loc = [str(part) for part in error.get("loc", ())]
        kind, value = error.get("type"), error.get("input")
        if kind == "json_invalid":
            reason = (error.get("ctx") or {}).get("error") or error.get("msg", "")
            at = f" at character {loc[1]}" if len(loc) > 1 else ""
            parts.append(f"the request body is not valid JSON: {reason}{at}")
            continue
        name = ".".join(loc[1:] if loc[:1] and loc[0] in _REQUEST_PARTS else loc)
        if not name:
            name = "the request body" if loc[:1] == ["body"] else "the request"
        if kind == "missing":
            parts.append(f"missing {name}: this request needs it")
        elif loc == ["body"] and kind == "dict_type":
            parts.append("the request body must be one JSON object (Content-Type: application/json)")
        else:
            shown = f" {value!r}" if isinstance(value, str | int | float) and len(repr(value)) <= 80 else ""
            parts.append(f"bad value for {name}{shown}: {error.get('msg', 'not valid')}")
    more = len(errors) - len(parts)
    return InputError("; ".join(parts or ["the request is not valid"]) + (f"; and {more} more" if more > 0 else ""))


def http_error_text(status: int, detail: str, w: Words) -> str:
    """An HTTP error's detail in the UI language (Hindi: a Hindi sentence for the status, then the detail)."""
    if w.lang == "en":
        return detail
    return f"{w(HTTP_ERROR_KINDS.get(status, 'err_request'))} ({detail})"


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
