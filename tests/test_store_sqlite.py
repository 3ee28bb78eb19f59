"""The embedded SQLite store: Hindi-aware full text, filters, counts and idempotent upserts."""

from __future__ import annotations

from datetime import datetime

import pytest

from janmat.errors import ConfigError, InputError
from janmat.mention import IST, DistrictTag, Mention, SchemeTag, Sentiment
from janmat.store import MentionQuery, open_store


def mention(mid: str, text: str, *, day: int = 1, district: str | None = None, state: str = "Haryana",
            scheme: str | None = None, sentiment: str = "neutral", title: str | None = None) -> Mention:
    return Mention(
        id=mid,
        text=text,
        title=title,
        published_at=datetime(2026, 3, day, 10, 0, tzinfo=IST),
        districts=[DistrictTag(name=district, state=state)] if district else [],
        schemes=[SchemeTag(id=scheme)] if scheme else [],
        sentiment=Sentiment(label=sentiment, score=0.9, model="test"),
    )


@pytest.fixture
def store(tmp_path):
    with open_store(f"sqlite:///{tmp_path / 'j.db'}") as opened:
        opened.upsert([
            mention("a", "हिसार में किसानों ने धरना दिया", district="Hisar", sentiment="negative", day=2),
            mention("b", "किसान सम्मान निधि की किस्त जारी", scheme="pm-kisan", sentiment="positive", day=3),
            mention("c", "किस बात पर विवाद हुआ, पता नहीं", district="Rohtak", day=4),
            mention("d", "गुड़गाँव में नई सड़क", district="Gurugram", day=5),
            mention("e", "Lucknow mein baarish", district="Lucknow", state="Uttar Pradesh", day=6),
        ])
        yield opened


def ids(result) -> set[str]:
    return {hit.mention.id for hit in result.hits}


def test_plural_query_finds_singular_and_plural(store):
    assert ids(store.search(MentionQuery(text="किसानों"))) == {"a", "b"}


def test_prefix_word_does_not_match_longer_word(store):
    assert ids(store.search(MentionQuery(text="किस"))) == {"c"}


def test_nukta_and_chandrabindu_variants_find_each_other(store):
    for spelling in ("गुडगांव", "गुड़गांव", "गुड़गाँव", "गुड\u200dगांव"):
        assert ids(store.search(MentionQuery(text=spelling))) == {"d"}, spelling


def test_filters_combine_with_text(store):
    assert ids(store.search(MentionQuery(text="किसान", districts=["Hisar"]))) == {"a"}
    assert ids(store.search(MentionQuery(sentiments=["positive"]))) == {"b"}
    assert ids(store.search(MentionQuery(schemes=["pm-kisan"]))) == {"b"}
    assert ids(store.search(MentionQuery(districts=["Uttar Pradesh:Lucknow"]))) == {"e"}


def test_ist_date_range_is_inclusive(store):
    since = datetime(2026, 3, 3, tzinfo=IST)
    until = datetime(2026, 3, 4, 23, 59, tzinfo=IST)
    assert ids(store.search(MentionQuery(since=since, until=until))) == {"b", "c"}


def test_phrase_or_and_exclusion(store):
    assert ids(store.search(MentionQuery(text='"सम्मान निधि"'))) == {"b"}
    assert ids(store.search(MentionQuery(text='"निधि सम्मान"'))) == set()
    assert ids(store.search(MentionQuery(text="धरना OR सड़क"))) == {"a", "d"}
    assert ids(store.search(MentionQuery(text="किसान -धरना"))) == {"b"}


def test_upsert_is_idempotent_and_updates(store):
    report = store.upsert([mention("a", "हिसार में किसानों का धरना खत्म", district="Hisar", sentiment="neutral", day=2)])
    assert (report.stored, report.updated) == (0, 1)
    assert store.count() == 5
    assert store.get("a").sentiment.label == "neutral"
    assert ids(store.search(MentionQuery(text="खत्म"))) == {"a"}
    assert ids(store.search(MentionQuery(text="दिया"))) == set()


def test_counts_by_facets(store):
    assert dict(store.counts("sentiment")) == {"neutral": 3, "negative": 1, "positive": 1}
    assert dict(store.counts("district"))["Hisar"] == 1
    days = store.counts("day")
    assert [d for d, _ in days] == sorted(d for d, _ in days)
    assert dict(days)["2026-03-02"] == 1
    assert dict(store.counts("district", MentionQuery(text="किसान"))) == {"Hisar": 1}


def test_day_is_counted_in_ist(tmp_path):
    # 23:30 IST on 1 March is 18:00 UTC on 1 March, and 00:30 IST on 2 March is still 1 March in UTC.
    with open_store(f"sqlite:///{tmp_path / 'ist.db'}") as target:
        target.upsert([
            Mention(id="late", text="x", published_at=datetime(2026, 3, 1, 23, 30, tzinfo=IST)),
            Mention(id="early", text="y", published_at=datetime(2026, 3, 2, 0, 30, tzinfo=IST)),
        ])
        assert dict(target.counts("day")) == {"2026-03-01": 1, "2026-03-02": 1}


def test_highlights_mark_matched_words(store):
    hit = store.search(MentionQuery(text="किसानों")).hits[0]
    assert any("«" in passage for passage in hit.highlights)


def test_delete_by_query(store):
    assert store.delete(MentionQuery(until=datetime(2026, 3, 3, 23, 0, tzinfo=IST))) == 2
    assert store.count() == 3
    assert ids(store.search(MentionQuery(text="किसान"))) == set()


def test_bad_queries_and_urls_are_clear_errors(store, tmp_path):
    with pytest.raises(InputError):
        store.search(MentionQuery(text='"unbalanced'))
    with pytest.raises(InputError):
        store.search(MentionQuery(text="OR किसान"))
    with pytest.raises(ConfigError):
        open_store("mysql://nowhere")
    with pytest.raises(ConfigError):
        open_store("sqlite://")
