"""Two-facet counts (``MentionStore.counts2``): the same cross-tabs on SQLite, OpenSearch and Elasticsearch."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta

import pytest

from janmat.core.mention import IST, DistrictTag, Mention, Platform, SchemeTag, Sentiment, Source
from janmat.store import MentionQuery
from janmat.store.base import FACETS
from tests.store_backends import BACKENDS, open_backend  # noqa: F401 - the fixture

DISTRICTS = ["Hisar", "Rohtak", "Karnal", "Sirsa"]
SCHEMES = ["pm-kisan", "chirayu-haryana", "mmpsy"]


def generated(n: int = 120, seed: int = 5) -> list[Mention]:
    """Mentions with zero to two districts and schemes, some without tone or date, days around IST midnight."""
    rng = random.Random(seed)
    start = datetime(2026, 3, 1, 23, 50, tzinfo=IST)
    mentions = []
    for i in range(n):
        districts = [DistrictTag(name=d) for d in rng.sample(DISTRICTS, rng.choice([0, 1, 1, 2]))]
        if i % 17 == 0:  # findable under Hansi too, counted under its tag only
            districts = [DistrictTag(name="Hisar", also_under=["Hansi"])]
        mentions.append(Mention(
            id=f"m{i}", text=f"हिसार रोहतक खबर {i}",
            platform=rng.choice([Platform.news, Platform.x, Platform.youtube]),
            source=Source(name=rng.choice(["दैनिक भास्कर", "Amar Ujala", None])),
            published_at=None if i % 11 == 0 else start + timedelta(minutes=7 * i),
            districts=districts,
            schemes=[SchemeTag(id=s) for s in rng.sample(SCHEMES, rng.choice([0, 1, 2]))],
            sentiment=None if i % 13 == 0 else Sentiment(label=rng.choice(["positive", "negative", "neutral"]),
                                                         score=0.8, model="test"),
            lang=rng.choice(["hi", "en", None]),
        ))
    return mentions


def values(mention: Mention, facet: str) -> list[str]:
    """A mention's values of one facet, as the stores count them."""
    if facet == "district":
        return mention.tagged_district_keys
    if facet == "scheme":
        return mention.scheme_ids
    if facet == "day":
        return [mention.published_at.astimezone(IST).date().isoformat()] if mention.published_at else []
    found = {
        "sentiment": mention.sentiment.label if mention.sentiment else None,
        "source": mention.source.name or mention.source.domain,
        "platform": mention.platform.value,
        "lang": mention.lang,
    }[facet]
    return [found] if found else []


def expected(mentions: list[Mention], by1: str, by2: str) -> Counter:
    return Counter((a, b) for m in mentions for a in values(m, by1) for b in values(m, by2))


@pytest.fixture(params=[pytest.param(b, marks=[pytest.mark.engine] if b != "sqlite" else []) for b in BACKENDS])
def loaded(request, open_backend):  # noqa: F811
    store = open_backend(request.param)
    report = store.upsert(generated())
    assert not report.failed
    store.refresh()
    return store


PAIRS = [("district", "sentiment"), ("scheme", "district"), ("day", "platform"), ("sentiment", "day"),
         ("source", "lang"), ("district", "scheme")]


@pytest.mark.parametrize(("by1", "by2"), PAIRS)
def test_cross_tab_counts_every_pair_of_values_once(loaded, by1: str, by2: str) -> None:
    rows = loaded.counts2(by1, by2)
    assert Counter({(a, b): n for a, b, n in rows}) == expected(generated(), by1, by2)
    assert len({(a, b) for a, b, _ in rows}) == len(rows)


def test_cross_tab_rows_come_grouped_and_ordered(loaded) -> None:
    rows = loaded.counts2("district", "sentiment")
    firsts = list(dict.fromkeys(a for a, _, _ in rows))
    totals = Counter()
    for a, _, n in rows:
        totals[a] += n
    assert firsts == sorted(totals, key=lambda k: (-totals[k], k))
    assert [a for a, _, _ in rows] == sorted((a for a, _, _ in rows), key=firsts.index)  # one block per district
    days = loaded.counts2("day", "sentiment")
    assert [a for a, _, _ in days] == sorted(a for a, _, _ in days)  # days in date order


def test_cross_tab_follows_the_query_filters(loaded) -> None:
    query = MentionQuery(districts=["Hansi"], since=datetime(2026, 3, 2, tzinfo=IST))
    matching = [m for m in generated() if "Hansi" in m.district_keys and m.published_at
                and m.published_at >= query.since]
    rows = loaded.counts2("district", "sentiment", query)
    assert Counter({(a, b): n for a, b, n in rows}) == expected(matching, "district", "sentiment")
    assert {a for a, _, _ in rows} <= {"Hisar"}  # found under Hansi, counted under its tag


def test_a_cross_tab_needs_two_different_facets(loaded) -> None:
    with pytest.raises(ValueError, match="two different facets"):
        loaded.counts2("district", "district")
    with pytest.raises(ValueError):
        loaded.counts2("district", "colour")  # type: ignore[arg-type]


@pytest.mark.parametrize("backend", [pytest.param(b, marks=[pytest.mark.engine] if b != "sqlite" else [])
                                     for b in BACKENDS])
def test_an_empty_store_has_an_empty_cross_tab(open_backend, backend: str) -> None:  # noqa: F811
    assert open_backend(backend).counts2("scheme", "day") == []


def test_facets_are_all_cross_tabbable() -> None:
    assert set(FACETS) == {"district", "scheme", "sentiment", "day", "source", "platform", "lang"}
