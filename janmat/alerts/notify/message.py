"""What an alert says, in Hindi (or English by setting): one ``AlertMessage`` that every channel renders.

The district and scheme are named in the message's language from the gazetteer and the scheme catalogue, the
counts are set against the baseline, and only http(s) links of crawled mentions are kept. Crawled text stays text
here; the templates escape it.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import lru_cache
from urllib.parse import quote, urlencode, urlsplit

from babel.dates import format_datetime
from pydantic import BaseModel

from janmat.alerts.model import Alert, AlertMention
from janmat.core.i18n import message as word
from janmat.core.mention import IST
from janmat.core.settings import JanmatSettings
from nlp.gazetteer import load_gazetteer
from nlp.schemes import catalogue, resolve_scheme

SNIPPET_CHARS = 200
TITLE_CHARS = 160
_SPACE = re.compile(r"\s+")


class MessageMention(BaseModel):
    """One of the top mentions as the message shows it."""

    id: str
    title: str
    snippet: str
    source: str | None
    published: str | None
    """When it was published, in IST and the message's language."""
    sentiment: str | None
    """Its tone in the message's language."""
    about: str
    """Source, time and tone joined with `` · `` (what the templates show under the title)."""
    url: str | None
    """The original, only if it is an http(s) URL."""
    web_url: str


class AlertMessage(BaseModel):
    """The words and links of one alert in one language; the webhook sends it as JSON, the templates render it."""

    lang: str
    subject: str
    headline: str
    """What fired, with the counts against the baseline (हिसार × चिरायु हरियाणा: पिछले घंटे 23 उल्लेख, सामान्य 2)."""
    why: str
    """Why it fired, naming the rule."""
    tone: str | None
    """The negative share against its baseline, when the alert has one."""
    window: str
    """The alert's time window in IST."""
    district: str | None
    scheme: str | None
    rule: str
    details: str
    """The rules engine's own one-line reason (English)."""
    top: list[MessageMention]
    search_url: str | None
    """The web app's search for this alert's mentions."""


def compose(alert: Alert, settings: JanmatSettings, now: datetime) -> AlertMessage:
    """The alert in the configured language, as of ``now`` (a late delivery names the window, not "last hour")."""
    lang = settings.notify.language
    web = web_base(settings)
    district = district_name(alert.district, lang) if alert.district else None
    scheme = scheme_name(alert.scheme, lang) if alert.scheme else None
    rule = one_line(alert.rule_name) or alert.rule_id
    place = " × ".join(name for name in (district, scheme) if name) or rule
    values = {"place": place, "count": alert.count, "window": _recent(alert, now, lang),
              "baseline": _number(alert.baseline), "rule": rule, "claim": alert.claim_id or ""}
    kind = "count" if alert.kind == "spike" and alert.baseline is None else alert.kind
    headline = word(f"notify_{kind}_headline", lang, **values)
    return AlertMessage(
        lang=lang,
        subject=word("notify_subject", lang, headline=headline),
        headline=headline,
        why=_why(alert, lang, values),
        tone=_tone(alert, lang),
        window=_window(alert, lang),
        district=district,
        scheme=scheme,
        rule=rule,
        details=one_line(alert.reason),
        top=[_mention(m, lang, web) for m in alert.top[:3]],
        search_url=_search_url(alert, web),
    )


def web_base(settings: JanmatSettings) -> str:
    """Root of the web app the links point to."""
    return (settings.notify.web_base_url or f"http://{settings.web.host}:{settings.web.port}").rstrip("/")


def one_line(text: str | None, limit: int | None = None) -> str:
    """Crawled or user text on one line (no header or layout breaks), cut at a word boundary to ``limit``."""
    text = _SPACE.sub(" ", text or "").strip()
    if limit and len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(" ,.;:।") + "…"
    return text


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) URL, else None (``javascript:``, ``data:`` and the like)."""
    if not url:
        return None
    url = url.strip()
    parts = urlsplit(url)
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc and not _SPACE.search(url) else None


@lru_cache(maxsize=1)
def _districts() -> dict[str, tuple[str, str]]:
    return {key: (d.name, d.name_hi or d.name) for key, d in load_gazetteer().districts.items()}


@lru_cache(maxsize=1)
def _schemes() -> dict[str, tuple[str, str]]:
    return {s.id: (s.name_en, s.name_hi or s.name_en) for s in catalogue()}


def district_name(key: str, lang: str) -> str:
    """A district key (``Hisar``, ``Uttar Pradesh:Lucknow``) by name in ``lang`` (हिसार); the key if unknown."""
    names = _districts().get(key)
    return (names[1] if lang == "hi" else names[0]) if names else key


def scheme_name(scheme: str, lang: str) -> str:
    """A scheme id (``chirayu_haryana``, ``chirayu-haryana``) by its catalogue name in ``lang``; as given if
    unknown."""
    names = _schemes().get(resolve_scheme(scheme) or scheme)
    return (names[1] if lang == "hi" else names[0]) if names else scheme


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def _recent(alert: Alert, now: datetime, lang: str) -> str:
    """"In the last hour" while the window is fresh; the window's own time once the news is older."""
    span = alert.window_end - alert.window_start
    if now - alert.window_end > max(span, timedelta(minutes=15)):
        return word("notify_during", lang, when=_window(alert, lang))
    minutes = round(span.total_seconds() / 60)
    if minutes == 60:
        return word("notify_last_hour", lang)
    if minutes % 60 == 0:
        return word("notify_last_hours", lang, n=minutes // 60)
    return word("notify_last_minutes", lang, n=minutes)


def _window(alert: Alert, lang: str) -> str:
    start = format_datetime(alert.window_start, "d MMM, HH:mm", tzinfo=IST, locale=lang)
    same_day = alert.window_start.astimezone(IST).date() == alert.window_end.astimezone(IST).date()
    end = format_datetime(alert.window_end, "HH:mm" if same_day else "d MMM, HH:mm", tzinfo=IST, locale=lang)
    return f"{start}–{end} IST"


def _why(alert: Alert, lang: str, values: dict[str, object]) -> str:
    if alert.kind == "spike" and alert.baseline:
        return word("notify_why_spike", lang, ratio=_number(alert.count / alert.baseline), **values)
    if alert.kind == "spike":
        return word("notify_why_spike_new", lang, **values)
    return word(f"notify_why_{alert.kind}", lang, **values)


def _tone(alert: Alert, lang: str) -> str | None:
    if alert.negative_share is None:
        return None
    if alert.baseline_negative_share is None:
        return word("notify_tone_only", lang, share=_percent(alert.negative_share))
    return word("notify_tone", lang, share=_percent(alert.negative_share),
                baseline=_percent(alert.baseline_negative_share))


def _mention(mention: AlertMention, lang: str, web: str) -> MessageMention:
    snippet = one_line(mention.snippet, SNIPPET_CHARS)
    title = one_line(mention.title, TITLE_CHARS) or one_line(snippet, 80)
    published = (format_datetime(mention.published_at, "d MMM, HH:mm", tzinfo=IST, locale=lang) + " IST"
                 if mention.published_at else None)
    source = one_line(mention.source) or None
    sentiment = word(mention.sentiment, lang) if mention.sentiment else None
    return MessageMention(
        id=mention.id,
        title=title,
        snippet="" if snippet == title else snippet,
        source=source,
        published=published,
        sentiment=sentiment,
        about=" · ".join(part for part in (source, published, sentiment) if part),
        url=safe_url(mention.url),
        web_url=f"{web}/mentions/{quote(mention.id, safe='')}",
    )


def _search_url(alert: Alert, web: str) -> str:
    window = [alert.window_start.astimezone(IST).isoformat(timespec="seconds"),
              alert.window_end.astimezone(IST).isoformat(timespec="seconds")]
    scheme = alert.scheme and (resolve_scheme(alert.scheme) or alert.scheme)
    params = [("district", alert.district), ("scheme", scheme), ("cluster", alert.cluster),
              ("since", window[0]), ("until", window[1])]
    return f"{web}/search?{urlencode([(k, v) for k, v in params if v])}"
