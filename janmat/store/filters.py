"""Turning what a user types (names in any script, dates, labels) into a MentionQuery — shared by CLI and API."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from janmat.core.errors import InputError
from janmat.core.i18n import MESSAGES, message
from janmat.core.mention import IST, Platform, date_out_of_range
from janmat.store.base import MentionQuery
from janmat.store.query_parser import parse_query
from nlp.normalize import normalize_text

SENTIMENTS = ("positive", "negative", "neutral")
_RELATIVE = re.compile(r"^(\d+)\s*([hdw])$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")


_DAY_WORDS = {"today": 0, "आज": 0, "yesterday": 1, "कल": 1}
"""Day names a user may type for a date filter; in a filter, कल means yesterday (the future has no mentions)."""
MAX_RESULT_WINDOW = 10_000
"""Results beyond this many cannot be paged (the engines' ``index.max_result_window``); SQLite keeps the same limit."""
LANGS = ("hi", "en", "hi-Latn", "mixed", "pa", "ur", "bn", "gu", "or", "ta", "te", "kn", "ml",
         "fr", "de", "es", "pt", "it", "nl")
"""The language tags the language tagger (``nlp/language.py``) gives a mention: Hindi, English, romanised Hindi and
mixed; the other Indian scripts and Urdu; the European languages it tells apart in Latin script."""
_PLATFORM_ALIASES = {"twitter": "x", "ट्विटर": "x"}
"""Other names a user may type for a platform, beside its value and its label in either language (``platform_*``)."""


def parse_when(value: str | None, *, end_of_day: bool = False) -> datetime | None:
    """A point in time from what a user types: ``YYYY-MM-DD`` (an IST day), ``YYYY-MM`` (a month), an ISO datetime,
    ``today`` / ``yesterday`` / ``आज`` / ``कल``, or a relative ``24h`` / ``7d`` / ``2w`` before now (Devanagari digits
    are fine). With ``end_of_day`` a day or month means its last moment, for ``--until``."""
    if not value:
        return None
    text = normalize_text(value).strip().lower()
    now = datetime.now(IST)
    if text in _DAY_WORDS:
        day = now.date() - timedelta(days=_DAY_WORDS[text])
        return datetime.combine(day, time.max if end_of_day else time.min, tzinfo=IST)
    relative = _RELATIVE.match(text)
    try:
        if relative:
            amount, unit = int(relative.group(1)), relative.group(2)
            try:
                delta = {"h": timedelta(hours=amount), "d": timedelta(days=amount), "w": timedelta(weeks=amount)}
                moment = now - delta[unit]
            except OverflowError:
                raise InputError(f"bad date {value!r}: too far back") from None
        elif _MONTH.match(text):
            first = datetime.strptime(text, "%Y-%m").replace(tzinfo=IST)
            following = (first + timedelta(days=32)).replace(day=1)
            moment = following - timedelta(microseconds=1) if end_of_day else first
        elif len(text) == 10:
            day = datetime.strptime(text, "%Y-%m-%d").date()
            moment = datetime.combine(day, time.max if end_of_day else time.min, tzinfo=IST)
        else:
            moment = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
            moment = moment if moment.tzinfo else moment.replace(tzinfo=IST)
        problem = date_out_of_range(moment) if moment < now else None
    except (ValueError, OverflowError):
        raise InputError(
            f"bad date {value!r}: use YYYY-MM-DD, YYYY-MM, an ISO datetime, today / yesterday / आज / कल, "
            "or 24h / 7d / 2w"
        ) from None
    if problem:
        raise InputError(f"bad date {value!r}: {problem}")
    return moment


def sentiment_label(value: str) -> str:
    """``positive`` / ``negative`` / ``neutral`` from the label in English or Hindi (as the CLI and web print it)."""
    label = value.strip().lower()
    if label in SENTIMENTS:
        return label
    for english in SENTIMENTS:
        if normalize_text(value.strip()) == normalize_text(message(english, "hi")):
            return english
    raise InputError(f"bad sentiment {value!r}: use positive, negative or neutral (सकारात्मक, नकारात्मक, तटस्थ)")


def _folded(value: str) -> str:
    return normalize_text(value.strip()).casefold()


def _by_name(keys: list[str], label_prefix: str, aliases: dict[str, str] | None = None) -> dict[str, str]:
    """Each key under its folded self, its English and Hindi labels (``{label_prefix}{key}``) and any alias."""
    names = {_folded(alias): key for alias, key in (aliases or {}).items()}
    for key in keys:
        for lang in ("en", "hi"):
            label = f"{label_prefix}{key}"
            if label in MESSAGES:
                names.setdefault(_folded(message(label, lang)), key)
        names[_folded(key)] = key
    return names


def resolve_platforms(values: list[str]) -> list[str]:
    """Platform values (``news``, ``x``, …) for what a user typed: the value in any case, its label in English or
    Hindi (``YouTube``, ``यूट्यूब``, ``समाचार``) or ``twitter`` for ``x``; an unknown one is an input error."""
    names = _by_name([p.value for p in Platform], "platform_", _PLATFORM_ALIASES)
    found: list[str] = []
    for value in values:
        platform = names.get(_folded(str(value)))
        if platform is None:
            listed = ", ".join("x (twitter)" if p is Platform.x else p.value for p in Platform)
            raise InputError(f"unknown platform {value!r}: use one of {listed}")
        if platform not in found:
            found.append(platform)
    return found


def resolve_langs(values: list[str]) -> list[str]:
    """Language tags as the language tagger writes them (``hi``, ``en``, ``hi-Latn``, ``mixed``, …) for what a user
    typed: the tag in any case, or its name in English or Hindi (``Hindi``, ``हिंदी``, ``रोमन हिंदी``); an unknown one
    is an input error listing the tags."""
    names = _by_name(list(LANGS), "lang_")
    found: list[str] = []
    for value in values:
        lang = names.get(_folded(str(value)))
        if lang is None:
            raise InputError(f"unknown language {value!r}: use one of {', '.join(LANGS)} (or Hindi / हिंदी, "
                             "English / अंग्रेज़ी, Romanised Hindi / रोमन हिंदी, Mixed / मिश्रित)")
        if lang not in found:
            found.append(lang)
    return found


def resolve_districts(names: list[str]) -> list[str]:
    """Canonical district keys for names in any script or spelling; unknown names are an input error."""
    if not names:
        return []
    from nlp.districts import resolve_district

    keys: list[str] = []
    for name in names:
        found = resolve_district(name)
        if not found:
            raise InputError(f"unknown district {name!r} (try its English or Hindi name, e.g. Hisar / हिसार)")
        keys.extend(k for k in found if k not in keys)
    return keys


def resolve_schemes(names: list[str]) -> list[str]:
    """Scheme ids for names, aliases or ids; unknown names are an input error."""
    if not names:
        return []
    from nlp.schemes import resolve_scheme

    ids: list[str] = []
    for name in names:
        scheme_id = resolve_scheme(name)
        if not scheme_id:
            raise InputError(f"unknown scheme {name!r} (try its id, English or Hindi name, e.g. pm-kisan / पीएम किसान)")
        ids.append(scheme_id)
    return ids


def build_query(
    text: str | None = None,
    *,
    districts: list[str] | None = None,
    schemes: list[str] | None = None,
    sentiments: list[str] | None = None,
    platforms: list[str] | None = None,
    sources: list[str] | None = None,
    langs: list[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    misinformation: bool | None = None,
    min_confidence: float | None = None,
    limit: int = 20,
    offset: int = 0,
) -> MentionQuery:
    """A validated MentionQuery from user-typed values; raises InputError naming the bad value."""
    if limit < 1 or limit > MAX_RESULT_WINDOW:
        raise InputError(f"bad limit {limit}: use 1 to {MAX_RESULT_WINDOW}")
    if offset < 0 or offset + limit > MAX_RESULT_WINDOW:
        raise InputError(f"bad offset {offset}: only the first {MAX_RESULT_WINDOW} results can be paged; "
                         "narrow the query (dates, district, scheme)")
    if text and text.strip():
        parse_query(text)  # refuses an empty, punctuation-only or malformed query with its reason
    if min_confidence is not None and not 0.0 <= min_confidence <= 1.0:
        raise InputError(f"bad minimum confidence {min_confidence}: use a probability from 0 to 1, e.g. 0.6")
    since_moment, until_moment = parse_when(since), parse_when(until, end_of_day=True)
    if since_moment and until_moment and since_moment > until_moment:
        raise InputError(f"--since {since} is after --until {until}")
    return MentionQuery(
        text=text or None,
        districts=resolve_districts(districts or []),
        schemes=resolve_schemes(schemes or []),
        sentiments=[sentiment_label(label) for label in sentiments or []],
        platforms=resolve_platforms(platforms or []),
        sources=sources or [],
        langs=resolve_langs(langs or []),
        since=since_moment,
        until=until_moment,
        misinformation=misinformation,
        min_confidence=min_confidence,
        limit=limit,
        offset=offset,
    )
