"""Claims from fact-check records: each ``factcheck`` mention carrying ``meta.claim_review`` (ClaimReview markup read
by the fact-check collector) becomes a ``StoredClaim``.

Publishers fill ClaimReview loosely: no ``claimReviewed``, a rating only as a number or only in Hindi, a date that
is not one, a URL that is not one. Whatever is missing or malformed is kept as what it has (the record's text for
the claim, the page URL for the rebuttal, "unverified" for a rating nobody can read), noted on the claim's
``problems`` and logged; nothing raises.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from janmat.core.mention import Mention, Platform
from janmat.store.claims import StoredClaim
from nlp.normalize import fold

log = logging.getLogger(__name__)

# A rating's words (whole words of folded text) by the status they mean, tried in this order: "partly false" is
# misleading and "not true" false before "false" and "true" alone are read.
_RATING_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("misleading", ("misleading", "partly false", "partially false", "partly true", "partially true", "half true",
                    "half truth", "mixture", "mixed", "out of context", "missing context", "lacks context",
                    "exaggerated", "distorted", "manipulated", "altered", "edited", "misattributed", "satire",
                    "भ्रामक", "आंशिक", "अधूरा", "अधूरी", "आधा सच", "तोड़ मरोड़", "संदर्भ से बाहर", "एडिटेड")),
    ("false", ("not true", "false", "fake", "incorrect", "wrong", "fabricated", "hoax", "scam", "baseless",
               "pants on fire", "फर्जी", "फेक", "झूठ", "झूठा", "झूठी", "झूठे", "गलत", "असत्य", "बेबुनियाद",
               "निराधार", "सच नहीं", "सही नहीं")),
    ("unverified", ("unverified", "unproven", "unsubstantiated", "no evidence", "cannot be verified", "अपुष्ट",
                    "असत्यापित", "पुष्टि नहीं")),
    ("true", ("true", "correct", "accurate", "real", "सही", "सच", "सत्य")),
)
_RATING_PATTERNS = tuple(
    (status, re.compile(r"(?<![^ ])(?:" + "|".join(re.escape(fold(word)) for word in words) + r")(?![^ ])"))
    for status, words in _RATING_WORDS
)


def status_of_rating(rating: str | None, value: Any, best: Any, worst: Any) -> tuple[str | None, list[str]]:
    """The status a ClaimReview rating means, from its words, else from its number on the reviewer's scale
    (default 1–5); None when neither can be read. Also the problems found on the way."""
    problems: list[str] = []
    if rating:
        folded = fold(rating)
        for status, pattern in _RATING_PATTERNS:
            if pattern.search(folded):
                return status, problems
        problems.append(f"rating {rating!r} is not a rating Janmat knows")
    if value is None or value == "":
        return None, problems
    numbers = [_number(x) for x in (value, best if best not in (None, "") else 5, worst if worst not in (None, "")
                                    else 1)]
    if any(n is None for n in numbers) or numbers[1] == numbers[2]:
        problems.append(f"rating value {value!r} (best {best!r}, worst {worst!r}) is not a number on a scale")
        return None, problems
    position = (numbers[0] - numbers[2]) / (numbers[1] - numbers[2])
    return ("false" if position <= 0.25 else "misleading" if position < 0.75 else "true"), problems


def _number(value: Any) -> float | None:
    try:
        return float(str(value).strip())
    except (TypeError, ValueError):
        return None


def _http_url(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    parts = urlsplit(value.strip())
    return value.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _day(value: Any) -> date | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def claim_from_record(mention: Mention) -> StoredClaim | None:
    """The claim of one fact-check record, or None when the record carries no ClaimReview (an explainer)."""
    review = mention.meta.get("claim_review")
    if mention.platform != Platform.factcheck or review is None:
        return None
    problems: list[str] = []
    if not isinstance(review, Mapping):
        problems.append(f"claim_review is a {type(review).__name__}, not an object: only the record is kept")
        review = {}
    text = _text(review.get("claim"))
    if text is None:
        text = mention.text
        problems.append("claimReviewed is missing: the record's text (summary or headline) is the claim")
    status, rating_problems = status_of_rating(_text(review.get("rating")), review.get("rating_value"),
                                               review.get("best_rating"), review.get("worst_rating"))
    problems += rating_problems
    if status is None:
        problems.append("no readable rating: status unverified")
    url = _http_url(review.get("url"))
    if url is None and review.get("url") not in (None, ""):
        problems.append(f"url {review.get('url')!r} is not an http(s) URL: the page URL is kept")
    day = _day(review.get("claim_date"))
    if day is None and review.get("claim_date") not in (None, ""):
        problems.append(f"claim date {review.get('claim_date')!r} is not a date: left out")
    appearances = review.get("appearances") if isinstance(review.get("appearances"), list) else []
    claim = StoredClaim(
        id=f"fc-{mention.id}", text=text, status=status or "unverified", url=url or _http_url(mention.url),
        lang=mention.lang, date=day, source=_text(mention.meta.get("feed")) or mention.source.name,
        reviewer=_text(review.get("reviewed_by")) or mention.source.name,
        rating=_text(review.get("rating")) or (str(review["rating_value"]) if review.get("rating_value") else None),
        schemes=mention.scheme_ids, districts=mention.tagged_district_keys, record_id=mention.id,
        appearances=[found for a in appearances if (found := _http_url(a))], problems=problems,
    )
    for problem in problems:
        log.warning("fact-check %s: %s", mention.url or mention.id, problem)
    return claim


def claims_from_records(mentions: Iterable[Mention]) -> list[StoredClaim]:
    """The claims of the fact-check records among ``mentions`` (records without ClaimReview give none)."""
    return [claim for mention in mentions if (claim := claim_from_record(mention)) is not None]
