"""Publish dates as Indian news sites write them: Hindi months, Devanagari digits, "२ घंटे पहले", IST.

dateparser knows Hindi month names and relative phrases; what it gets wrong on Indian pages is fixed here first:
Devanagari digits become ASCII, labels such as "अपडेटेड:" / "Updated:" are dropped, the "IST" token is removed
(dateparser reads it as Israel or Irish time) because every naive time is IST anyway, numeric dates are read
day-first, and "कल" in a published-at line means yesterday, never tomorrow.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import dateparser

from janmat.core.mention import IST

_DEVANAGARI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
_LABELS = re.compile(
    r"(अपडेटेड|अपडेट|प्रकाशित|पब्लिश्ड|प्रकाशन तिथि|तारीख|दिनांक|updated|published|posted|last updated|"
    r"first published|date)\s*(on|at)?\s*[:：-]?\s*",
    re.I,
)
_IST = re.compile(r"\(?\b(IST|I\.S\.T\.?)\b\)?|\(?भारतीय समय\)?|\+05:?30(?=\s|$)", re.I)
_SEPARATORS = re.compile(r"\s*[|•·]\s*")
_YESTERDAY = re.compile(r"^\s*(कल|बीते कल|yesterday)\b", re.I)
_HINDI_CLOCK = re.compile(r"(सुबह|दोपहर|शाम|रात)\s*(\d{1,2})(?::(\d{2}))?\s*बजे")
_BAJE = re.compile(r"(\d{1,2})(?::(\d{2}))?\s*बजे")

_SETTINGS = {
    "TIMEZONE": "Asia/Kolkata",
    "RETURN_AS_TIMEZONE_AWARE": True,
    "PREFER_DATES_FROM": "past",
    "DATE_ORDER": "DMY",
    "PREFER_DAY_OF_MONTH": "first",
}

# Patterns that locate a date inside a longer line ("punjabkesari.in Friday, Oct 16, 2020 - 07:15 PM (IST)").
_MONTHS = (
    r"जनवरी|फरवरी|फ़रवरी|मार्च|अप्रैल|अप्रेल|मई|जून|जुलाई|अगस्त|सितंबर|सितम्बर|अक्टूबर|अक्तूबर|नवंबर|नवम्बर|"
    r"दिसंबर|दिसम्बर|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_TIME = r"(?:[\s,|-]*(?:at\s*)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:am|pm|AM|PM|बजे)?)?"
_DATE_IN_TEXT = re.compile(
    rf"(?:\d{{1,2}}\s*(?:{_MONTHS})\.?,?\s*\d{{4}}{_TIME})"
    rf"|(?:(?:{_MONTHS})\.?\s*\d{{1,2}},?\s*\d{{4}}{_TIME})"
    rf"|(?:\d{{4}}-\d{{2}}-\d{{2}}(?:[T\s]\d{{2}}:\d{{2}}(?::\d{{2}})?(?:\.\d+)?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?)"
    rf"|(?:\d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{4}}{_TIME})"
    r"|(?:\d+\s*(?:सेकंड|मिनट|घंटे|घंटा|घंटों|दिन|दिनों|हफ्ते|हफ्तों|सप्ताह|महीने|महीनों)\s*पहले)"
    r"|(?:\d+\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s*ago)",
    re.I,
)


def _clean(text: str) -> str:
    text = text.translate(_DEVANAGARI_DIGITS).replace("\u200b", " ").replace("\xa0", " ")
    text = _LABELS.sub(" ", text)
    text = _IST.sub(" ", text)
    text = _SEPARATORS.sub(" ", text)

    def clock(match: re.Match[str]) -> str:
        part, hour, minute = match.group(1), int(match.group(2)), match.group(3) or "00"
        if part in ("दोपहर", "शाम", "रात") and hour < 12:
            hour = hour + 12 if not (part == "रात" and hour < 4) else hour
        return f"{hour:02d}:{minute}"

    text = _HINDI_CLOCK.sub(clock, text)
    text = _BAJE.sub(lambda m: f"{int(m.group(1)):02d}:{m.group(2) or '00'}", text)
    return re.sub(r"\s+", " ", text).strip(" ,-:")


def parse_news_date(text: str | None, now: datetime | None = None) -> datetime | None:
    """A timezone-aware datetime from one date string as news pages write it, or None.

    ``now`` is the fetch time that relative forms ("२ घंटे पहले", "2 hours ago", "कल") count back from.
    """
    if not text or not text.strip():
        return None
    now = (now or datetime.now(UTC)).astimezone(UTC)
    cleaned = _clean(text)
    if not cleaned:
        return None
    yesterday = _YESTERDAY.match(cleaned)
    if yesterday:
        rest = cleaned[yesterday.end():].strip()
        base = now.astimezone(IST) - timedelta(days=1)
        clock = re.search(r"(\d{1,2}):(\d{2})\s*(am|pm)?", rest, re.I)
        if not clock:
            return base
        hour = int(clock.group(1)) % 12 + (12 if (clock.group(3) or "").lower() == "pm" else 0)
        if not clock.group(3):
            hour = int(clock.group(1))
        return base.replace(hour=hour, minute=int(clock.group(2)), second=0, microsecond=0)
    settings = dict(_SETTINGS, RELATIVE_BASE=now.astimezone(IST).replace(tzinfo=None))
    parsed = dateparser.parse(cleaned, languages=["hi", "en"], settings=settings)
    if parsed is None:
        return None
    parsed = parsed.replace(tzinfo=IST) if parsed.tzinfo is None else parsed.astimezone(IST)
    if parsed.year < 1995:  # epoch placeholders such as 1970-01-01 in unfilled templates
        return None
    # A "published" date in the future (beyond clock skew) is a misreading, not news from tomorrow.
    if parsed.astimezone(UTC) > now + timedelta(hours=6):
        return None
    return parsed


def find_news_date(text: str | None, now: datetime | None = None) -> datetime | None:
    """The first date found inside a longer line of text (a byline, a dateline), or None."""
    if not text:
        return None
    normalized = text.translate(_DEVANAGARI_DIGITS)
    for match in _DATE_IN_TEXT.finditer(normalized):
        parsed = parse_news_date(match.group(0), now=now)
        if parsed is not None:
            return parsed
    return None
