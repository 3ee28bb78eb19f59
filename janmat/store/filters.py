"""Turning what a user types (names in any script, dates, labels) into a MentionQuery — shared by CLI and API."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from janmat.core.errors import InputError
from janmat.core.mention import IST
from janmat.store import MentionQuery

SENTIMENTS = ("positive", "negative", "neutral")
_RELATIVE = re.compile(r"^(\d+)\s*([hdw])$")


def parse_when(value: str | None, *, end_of_day: bool = False) -> datetime | None:
    """``YYYY-MM-DD`` (an IST day), an ISO datetime, or a relative ``24h`` / ``7d`` / ``2w`` before now."""
    if not value:
        return None
    text = value.strip()
    relative = _RELATIVE.match(text)
    if relative:
        amount, unit = int(relative.group(1)), relative.group(2)
        delta = {"h": timedelta(hours=amount), "d": timedelta(days=amount), "w": timedelta(weeks=amount)}[unit]
        return datetime.now(IST) - delta
    try:
        if len(text) == 10:
            day = datetime.strptime(text, "%Y-%m-%d").date()
            return datetime.combine(day, time.max if end_of_day else time.min, tzinfo=IST)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"bad date {value!r}: use YYYY-MM-DD, an ISO datetime, or 24h / 7d / 2w") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=IST)


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
    limit: int = 20,
    offset: int = 0,
) -> MentionQuery:
    """A validated MentionQuery from user-typed values; raises InputError naming the bad value."""
    for label in sentiments or []:
        if label not in SENTIMENTS:
            raise InputError(f"bad sentiment {label!r}: use positive, negative or neutral")
    if limit < 0 or limit > 10_000:
        raise InputError(f"bad limit {limit}: use 0 to 10000")
    return MentionQuery(
        text=text or None,
        districts=resolve_districts(districts or []),
        schemes=resolve_schemes(schemes or []),
        sentiments=sentiments or [],
        platforms=platforms or [],
        sources=sources or [],
        langs=langs or [],
        since=parse_when(since),
        until=parse_when(until, end_of_day=True),
        misinformation=misinformation,
        limit=limit,
        offset=max(0, offset),
    )
