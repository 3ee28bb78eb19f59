"""Turn topics into each platform's search syntax, split so no query exceeds the platform's length limit.

Platforms match the raw spelling, so every written form is searched: the alias as catalogued and its
normalized form from ``nlp.normalize`` (``गुड़गांव`` also as ``गुडगांव``, ``अम्बाला`` also as ``अंबाला``).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from janmat.collectors.topics import Topic
from nlp.normalize import normalize_text

log = logging.getLogger(__name__)

X_FILTERS = "lang:hi -is:retweet"
"""Appended to every X topic query: Hindi posts, no plain retweets (quotes and replies stay)."""
X_ACCOUNT_FILTERS = "-is:retweet"
# YouTube and Google News document no q length limit; long OR-chains return few or no results in practice,
# so both are kept to short queries (each YouTube search costs 100 quota units, so fewer is better too).
YOUTUBE_QUERY_MAX_CHARS = 128
GNEWS_QUERY_MAX_CHARS = 200

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_PLAIN_WORD = re.compile(r"^[0-9A-Za-z]+$")
_SHORT_LATIN = re.compile(r"^[A-Za-z0-9]{1,3}$")


@dataclass(frozen=True)
class PlatformQuery:
    """One query string for one platform, covering (part of) one topic."""

    platform: str
    topic_key: str
    text: str
    part: int = 1
    parts: int = 1

    @property
    def key(self) -> str:
        """Cursor key: the topic key, with ``#n`` when the topic had to be split into several queries."""
        return self.topic_key if self.parts == 1 else f"{self.topic_key}#{self.part}"


def _dedupe_key(term: str) -> str:
    return " ".join(term.casefold().replace("-", " ").split())


def search_forms(terms: Iterable[str]) -> list[str]:
    """The distinct written forms to search: each term cleaned, plus its normalized Devanagari form.

    Single Latin tokens of up to three letters (``PPP``, ``CRM``) are dropped: on open platforms they match
    mostly unrelated posts, and each scheme has longer names that find it.
    """
    forms: dict[str, str] = {}
    for term in terms:
        clean = " ".join(unicodedata.normalize("NFC", term).translate(_ZERO_WIDTH).replace('"', " ").split())
        if not clean or _SHORT_LATIN.match(clean):
            continue
        for form in (clean, " ".join(normalize_text(clean).split())):
            forms.setdefault(_dedupe_key(form), form)
    # A phrase that contains another wanted phrase adds nothing to an OR query ("किसान सम्मान निधि योजना"
    # is found by "किसान सम्मान निधि"), so only the shortest phrases are kept.
    keys = {key: tuple(key.split()) for key in forms}
    return [form for key, form in forms.items()
            if not any(other != key and _contains(keys[key], keys[other]) for other in keys)]


def _contains(words: tuple[str, ...], part: tuple[str, ...]) -> bool:
    size = len(part)
    return size < len(words) and any(words[i:i + size] == part for i in range(len(words) - size + 1))


def quote(term: str) -> str:
    """A term as a search operand: plain ASCII words bare, everything else as an exact phrase."""
    return term if _PLAIN_WORD.match(term) else f'"{term}"'


def pack(terms: list[str], render: Callable[[list[str]], str], limit: int) -> list[str]:
    """Greedily group terms into as few rendered queries as fit within ``limit`` characters each."""
    queries: list[str] = []
    current: list[str] = []
    for term in terms:
        if len(render([term])) > limit:
            log.warning("search term %r alone exceeds the %d-character query limit; skipped", term, limit)
            continue
        if current and len(render([*current, term])) > limit:
            queries.append(render(current))
            current = []
        current.append(term)
    if current:
        queries.append(render(current))
    return queries


def _queries(platform: str, topic: Topic, texts: list[str]) -> list[PlatformQuery]:
    return [PlatformQuery(platform, topic.key, text, i, len(texts)) for i, text in enumerate(texts, 1)]


def x_render(terms: list[str], filters: str = X_FILTERS) -> str:
    """X recent-search syntax: ``("a b" OR c) lang:hi -is:retweet``."""
    return f"({' OR '.join(quote(t) for t in terms)}) {filters}"


def x_queries(topic: Topic, limit: int) -> list[PlatformQuery]:
    """X recent-search queries for a topic, each at most ``limit`` characters."""
    return _queries("x", topic, pack(search_forms(topic.terms), x_render, limit))


def x_account_queries(accounts: list[str], limit: int) -> list[PlatformQuery]:
    """``from:`` queries for watched X accounts, as few as fit the limit."""
    handles = [f"from:{a.lstrip('@').strip()}" for a in accounts if a.strip()]
    texts = pack(handles, lambda items: f"({' OR '.join(items)}) {X_ACCOUNT_FILTERS}", limit)
    return _queries("x", Topic("keyword", "accounts", tuple(accounts)), texts)


def youtube_render(terms: list[str]) -> str:
    """YouTube ``q`` syntax: alternatives joined by ``|``."""
    return "|".join(quote(t) for t in terms)


def youtube_queries(topic: Topic) -> list[PlatformQuery]:
    """YouTube ``search.list`` q strings for a topic."""
    return _queries("youtube", topic, pack(search_forms(topic.terms), youtube_render, YOUTUBE_QUERY_MAX_CHARS))


def gnews_render(terms: list[str]) -> str:
    """Google News search syntax: alternatives joined by ``OR``."""
    return " OR ".join(quote(t) for t in terms)


def gnews_queries(topic: Topic) -> list[PlatformQuery]:
    """Google News RSS search queries for a topic."""
    return _queries("gnews", topic, pack(search_forms(topic.terms), gnews_render, GNEWS_QUERY_MAX_CHARS))
