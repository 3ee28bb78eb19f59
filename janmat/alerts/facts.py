"""The few facts about a mention that alerting needs, read in bulk from any store.

Spike detection counts mentions per district and scheme over days of history, so it reads these small records
instead of whole documents: SQLite by one SQL query over the store file's own tables, the search engines by a
scroll with ``_source`` limited to the fields below. Both give the same facts as ``fact_from_mention`` gives for
a Mention in hand (the alert stage), so a rule matches a mention the same way whichever path it came by.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import NamedTuple

from janmat.core.mention import Mention
from janmat.store.base import MentionQuery, MentionStore
from janmat.store.engine import EngineStore
from janmat.store.engine_docs import source_key
from janmat.store.engine_query import filter_clauses
from janmat.store.sqlite import SQLiteStore, utc_text
from nlp.normalize import search_terms

_SEP, _PAIR = "\x1f", "\x1e"
_ENGINE_FIELDS = ["id", "published_at", "district_tags", "district_keys", "scheme_ids", "sentiment.label",
                  "platform", "lang", "misinformation.flagged", "near_dup_cluster", "source_key"]


class Fact(NamedTuple):
    """One mention as alerting sees it (a named tuple: tens of thousands are read per spike evaluation)."""

    id: str
    at: float
    """When it was published (else fetched), in whole seconds since the epoch (UTC)."""
    districts: tuple[str, ...]
    """The district keys it is tagged with (what spikes count under)."""
    findable: tuple[str, ...]
    """Every district key it is findable under (tags plus ``also_under``: what district conditions test)."""
    schemes: tuple[str, ...]
    sentiment: str | None
    platform: str
    lang: str | None
    misinformation: bool
    cluster: str | None
    source: str | None
    terms: tuple[str, ...] = ()
    """Its search terms (``nlp.normalize.search_terms``), read only when a rule has query text."""

    @property
    def negative(self) -> bool:
        """True when its tone is negative."""
        return self.sentiment == "negative"

    @property
    def story(self) -> str:
        """Its near-duplicate cluster, or its own id when it has none."""
        return self.cluster or self.id


def epoch(moment: datetime) -> float:
    """Whole seconds since the epoch (the stores keep publication times to the second)."""
    return float(int(moment.timestamp()))


def fact_from_mention(mention: Mention) -> Fact:
    """The facts of a mention in hand."""
    return Fact(
        id=mention.id,
        at=epoch(mention.published_at or mention.fetched_at),
        districts=tuple(mention.tagged_district_keys),
        findable=tuple(mention.district_keys),
        schemes=tuple(dict.fromkeys(mention.scheme_ids)),
        sentiment=mention.sentiment.label if mention.sentiment else None,
        platform=mention.platform.value,
        lang=mention.lang,
        misinformation=mention.misinformation.flagged,
        cluster=mention.near_dup_cluster,
        source=source_key(mention),
        terms=tuple(search_terms(mention.full_text())),
    )


def read_facts(store: MentionStore, since: datetime, until: datetime, *, terms: bool = False) -> list[Fact]:
    """Facts of every mention published in [since, until], oldest first (``terms`` only when asked for)."""
    if isinstance(store, SQLiteStore):
        found = list(_sqlite_facts(store, since, until, terms))
    elif isinstance(store, EngineStore):
        found = list(_engine_facts(store, since, until, terms))
    else:
        found = list(_searched_facts(store, since, until))
    found.sort(key=lambda fact: (fact.at, fact.id))
    return found


def earliest_publication(store: MentionStore) -> datetime | None:
    """When the oldest dated mention in the store was published (how much history a baseline can have)."""
    hits = store.search(MentionQuery(limit=1, sort="oldest")).hits
    return hits[0].mention.published_at if hits and hits[0].mention.published_at else None


def _sqlite_facts(store: SQLiteStore, since: datetime, until: datetime, terms: bool) -> Iterator[Fact]:
    term_column = ", (SELECT t.terms FROM mention_terms t WHERE t.rowid = m.rowid)" if terms else ", NULL"
    sql = (
        "SELECT m.id, CAST(strftime('%s', m.published_at) AS REAL), m.sentiment, m.platform, m.lang, "
        "m.misinformation, m.near_dup_cluster, "
        f"m.source, (SELECT group_concat(d.district || '{_PAIR}' || d.tagged, '{_SEP}') FROM mention_districts d "
        f"WHERE d.mention_rowid = m.rowid), (SELECT group_concat(s.scheme, '{_SEP}') FROM mention_schemes s "
        f"WHERE s.mention_rowid = m.rowid){term_column} FROM mentions m "
        "WHERE m.published_at >= ? AND m.published_at <= ?"
    )
    # A connection of its own (read-only): the store's connection and lock stay free for its writers.
    db = sqlite3.connect(f"{store.path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        rows = db.execute(sql, (utc_text(since), utc_text(until))).fetchall()
    finally:
        db.close()
    for mid, published, sentiment, platform, lang, flagged, cluster, source, districts, schemes, text in rows:
        pairs = [item.split(_PAIR) for item in districts.split(_SEP)] if districts else []
        yield Fact(
            id=mid,
            at=published,
            districts=tuple(key for key, tagged in pairs if tagged == "1"),
            findable=tuple(key for key, _ in pairs),
            schemes=tuple(schemes.split(_SEP)) if schemes else (),
            sentiment=sentiment,
            platform=platform,
            lang=lang,
            misinformation=bool(flagged),
            cluster=cluster,
            source=source,
            terms=tuple(text.split()) if text else (),
        )


def _engine_facts(store: EngineStore, since: datetime, until: datetime, terms: bool) -> Iterator[Fact]:
    store.ensure_ready()
    window = filter_clauses(MentionQuery(since=since, until=until))  # the store's own date semantics
    fields = [*_ENGINE_FIELDS, "terms"] if terms else _ENGINE_FIELDS
    for hits in store.scan({"query": {"bool": {"filter": window}}, "_source": fields}):
        for hit in hits:
            doc = hit["_source"]
            published = datetime.fromisoformat(doc["published_at"].replace("Z", "+00:00"))
            yield Fact(
                id=doc["id"],
                at=epoch(published),
                districts=tuple(doc.get("district_tags") or ()),
                findable=tuple(doc.get("district_keys") or ()),
                schemes=tuple(dict.fromkeys(doc.get("scheme_ids") or ())),
                sentiment=(doc.get("sentiment") or {}).get("label"),
                platform=doc.get("platform") or "news",
                lang=doc.get("lang"),
                misinformation=bool((doc.get("misinformation") or {}).get("flagged")),
                cluster=doc.get("near_dup_cluster"),
                source=doc.get("source_key"),
                terms=tuple((doc.get("terms") or "").split()),
            )


def _searched_facts(store: MentionStore, since: datetime, until: datetime) -> Iterable[Fact]:
    """Any other store, through its search: pages of oldest-first results, restarting after the last time seen."""
    seen: set[str] = set()
    start = since
    while True:
        hits = store.search(MentionQuery(since=start, until=until, sort="oldest", limit=1000)).hits
        fresh = [hit.mention for hit in hits if hit.mention.id not in seen]
        for mention in fresh:
            seen.add(mention.id)
            yield fact_from_mention(mention)
        if len(hits) < 1000 or not fresh:
            return
        start = max(m.published_at or start for m in fresh)
