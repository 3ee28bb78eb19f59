"""How the web app shows things in Hindi or English: words, numbers, IST dates, district and scheme names."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

from janmat.core.i18n import MESSAGES, message
from janmat.core.mention import IST, Mention

LANGS = ("hi", "en")
LOCALES = {"hi": "hi_IN", "en": "en_IN"}
"""Babel locales: Hindi month names; both use Indian digit grouping (1,23,456)."""


class Words:
    """The user-facing words and formats of one language, handed to every template as ``w``."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGS else "en"
        self.locale = LOCALES[self.lang]

    def __call__(self, key: str, **values: object) -> str:
        """The message ``key`` in this language."""
        return message(key, self.lang, **values)

    def number(self, value: int | float) -> str:
        """A count with Indian grouping."""
        return format_decimal(value, locale=self.locale)

    def percent(self, share: float | None) -> str:
        """A share as a whole percentage (``35%``), or a dash."""
        return "–" if share is None else f"{round(share * 100)}%"

    def when(self, moment: datetime | None) -> str:
        """Date and time in IST, with the month's name in this language."""
        if moment is None:
            return ""
        return format_datetime(moment.astimezone(IST), "d MMMM y, HH:mm", tzinfo=IST, locale=self.locale)

    def day(self, value: date | str, *, short: bool = False) -> str:
        """A calendar day (``5 दिसंबर 2026``; ``5 दिस॰`` when short)."""
        day = date.fromisoformat(value) if isinstance(value, str) else value
        return format_date(day, "d MMM" if short else "d MMMM y", locale=self.locale)

    def district(self, key: str) -> str:
        """A district key's name (``Hisar`` → ``हिसार``); other states' districts keep their state."""
        state, _, name = key.rpartition(":")
        found = district_names().get(key)
        shown = (found[1] or found[0]) if found and self.lang == "hi" else (found[0] if found else name)
        return f"{shown} ({state})" if state else shown

    def scheme(self, scheme_id: str) -> str:
        """A scheme id's name in this language."""
        names = scheme_names().get(scheme_id)
        return (names[1] if self.lang == "hi" else names[0]) if names else scheme_id

    def sentiment(self, label: str | None) -> str:
        """A tone label in this language."""
        return self(label) if label else "–"

    def mention_districts(self, mention: Mention) -> str:
        """The mention's tagged districts by name, comma-separated."""
        return ", ".join(self.district(key) for key in mention.tagged_district_keys)

    def mention_schemes(self, mention: Mention) -> str:
        """The mention's schemes by name, comma-separated."""
        return ", ".join(self.scheme(scheme_id) for scheme_id in mention.scheme_ids)

    def catalogue(self) -> dict[str, str]:
        """Every message in this language (for the JSON API)."""
        return {key: entry.get(self.lang) or entry["en"] for key, entry in MESSAGES.items()}


@lru_cache(maxsize=1)
def district_names() -> dict[str, tuple[str, str]]:
    """District key -> (English name, Hindi name), from the gazetteer."""
    from nlp.gazetteer import load_gazetteer

    return {key: (d.name, d.name_hi) for key, d in load_gazetteer().districts.items()}


@lru_cache(maxsize=1)
def scheme_names() -> dict[str, tuple[str, str]]:
    """Scheme id -> (English name, Hindi name), from the scheme catalogue."""
    from nlp.schemes import catalogue

    return {s.id: (s.name_en, s.name_hi or s.name_en) for s in catalogue()}


def haryana_districts() -> list[str]:
    """Haryana's district keys, in English alphabetical order."""
    from nlp.gazetteer import load_gazetteer

    return sorted(key for key, d in load_gazetteer().districts.items() if d.state == "Haryana")
