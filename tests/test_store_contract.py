"""One contract for every mention store: the same tests, unchanged, on SQLite, OpenSearch and Elasticsearch.

Hindi-aware search (stemming, nukta / chandrabindu / ZWJ variants), filters by canonical district keys, IST date
ranges and day buckets, identical counts, idempotent upserts, delete by query. Engine backends use a real node
and a fresh index prefix per test (see tests/store_backends.py).
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from janmat.core.errors import ConfigError, InputError
from janmat.core.mention import (
    IST,
    DistrictTag,
    Engagement,
    Entity,
    Evidence,
    FactCheckRef,
    Mention,
    Misinformation,
    Platform,
    SchemeTag,
    Sentiment,
    Source,
)
from janmat.store import MentionQuery, open_store
from nlp.districts import get_district_tagger, resolve_district
from tests.store_backends import BACKENDS, open_backend  # noqa: F401 - the fixture


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


@pytest.fixture(params=[pytest.param(b, marks=[pytest.mark.engine] if b != "sqlite" else []) for b in BACKENDS])
def backend(request) -> str:
    return request.param


@pytest.fixture
def empty(backend, open_backend):  # noqa: F811
    return open_backend(backend)


@pytest.fixture
def store(empty):
    empty.upsert([
        mention("a", "हिसार में किसानों ने धरना दिया", district="Hisar", sentiment="negative", day=2),
        mention("b", "किसान सम्मान निधि की किस्त जारी", scheme="pm-kisan", sentiment="positive", day=3),
        mention("c", "किस बात पर विवाद हुआ, पता नहीं", district="Rohtak", day=4),
        mention("d", "गुड़गाँव में नई सड़क", district="Gurugram", day=5),
        mention("e", "Lucknow mein baarish", district="Lucknow", state="Uttar Pradesh", day=6),
    ])
    empty.refresh()
    return empty


def ids(result) -> set[str]:
    return {hit.mention.id for hit in result.hits}


# -- Hindi-aware text search ------------------------------------------------------------------------------------


def test_plural_query_finds_singular_and_plural(store):
    assert ids(store.search(MentionQuery(text="किसानों"))) == {"a", "b"}
    assert ids(store.search(MentionQuery(text="किसान"))) == {"a", "b"}


def test_prefix_word_does_not_match_longer_word(store):
    assert ids(store.search(MentionQuery(text="किस"))) == {"c"}


def test_nukta_and_chandrabindu_variants_find_each_other(store):
    for spelling in ("गुडगांव", "गुड़गांव", "गुड़गाँव", "गुड\u200dगांव", "गुड\u200cगाँव"):
        assert ids(store.search(MentionQuery(text=spelling))) == {"d"}, spelling


def test_phrase_or_and_exclusion(store):
    assert ids(store.search(MentionQuery(text='"सम्मान निधि"'))) == {"b"}
    assert ids(store.search(MentionQuery(text='"निधि सम्मान"'))) == set()
    assert ids(store.search(MentionQuery(text="धरना OR सड़क"))) == {"a", "d"}
    assert ids(store.search(MentionQuery(text="किसान -धरना"))) == {"b"}


def test_highlights_mark_matched_words(store):
    hit = store.search(MentionQuery(text="किसानों")).hits[0]
    assert any("«" in passage for passage in hit.highlights)


# -- filters --------------------------------------------------------------------------------------------------


def test_filters_combine_with_text(store):
    assert ids(store.search(MentionQuery(text="किसान", districts=["Hisar"]))) == {"a"}
    assert ids(store.search(MentionQuery(sentiments=["positive"]))) == {"b"}
    assert ids(store.search(MentionQuery(schemes=["pm-kisan"]))) == {"b"}
    assert ids(store.search(MentionQuery(districts=["Uttar Pradesh:Lucknow"]))) == {"e"}


def test_min_confidence_leaves_uncertain_and_untoned_mentions_out_of_searches_and_counts(empty):
    scored = [("sure", "negative", 0.92), ("edge", "negative", 0.6), ("unsure", "positive", 0.41)]
    empty.upsert([
        *(Mention(id=mid, text=f"हिसार में {mid}", published_at=datetime(2026, 3, 2, 10, 0, tzinfo=IST),
                  districts=[DistrictTag(name="Hisar")], sentiment=Sentiment(label=label, score=score, model="t"))
          for mid, label, score in scored),
        Mention(id="untoned", text="हिसार में बैठक", districts=[DistrictTag(name="Hisar")]),
    ])
    empty.refresh()
    assert ids(empty.search(MentionQuery(min_confidence=0.6))) == {"sure", "edge"}
    assert ids(empty.search(MentionQuery(min_confidence=0.0))) == {"sure", "edge", "unsure"}
    assert ids(empty.search(MentionQuery(text="हिसार", min_confidence=0.9))) == {"sure"}
    assert dict(empty.counts("sentiment", MentionQuery(min_confidence=0.5))) == {"negative": 2}
    assert dict(empty.counts("district", MentionQuery(min_confidence=0.5))) == {"Hisar": 2}
    assert empty.count(MentionQuery(sentiments=["positive"], min_confidence=0.4)) == 1


def test_district_filter_by_any_alias(store):
    for written in ("Hisar", "हिसार", "Hissar"):
        keys = resolve_district(written)
        assert ids(store.search(MentionQuery(districts=keys))) == {"a"}, written
    for written in ("गुड़गांव", "Gurgaon", "गुरुग्राम"):
        assert ids(store.search(MentionQuery(districts=resolve_district(written)))) == {"d"}, written


def test_mention_stays_findable_under_also_under_key(empty):
    empty.upsert([Mention(id="h", text="हांसी में सभा", districts=[DistrictTag(name="Hisar", also_under=["Hansi"])])])
    empty.refresh()
    assert ids(empty.search(MentionQuery(districts=["Hansi"]))) == {"h"}
    assert ids(empty.search(MentionQuery(districts=["Hisar"]))) == {"h"}
    assert dict(empty.counts("district")) == {"Hisar": 1}  # findable under Hansi, counted under its tag only


def test_district_counts_count_each_mention_once_per_tagged_district(empty):
    """Narnaund (a Hansi-area town) before the 22 Dec 2025 split is Hisar's, findable under Hansi; after, Hansi's."""
    tagger = get_district_tagger()
    before, after = datetime(2025, 11, 3, 9, 0, tzinfo=IST), datetime(2026, 1, 15, 9, 0, tzinfo=IST)
    text = "नारनौंद में किसानों ने धरना दिया"
    pre_split = Mention(id="pre", text=text, published_at=before, districts=tagger.tag(text, published_at=before))
    post_split = Mention(id="post", text=text, published_at=after, districts=tagger.tag(text, published_at=after))
    assert [(t.name, t.also_under) for t in pre_split.districts] == [("Hisar", ["Hansi"])]
    assert [(t.name, t.also_under) for t in post_split.districts] == [("Hansi", [])]
    empty.upsert([pre_split, post_split])
    empty.refresh()
    assert ids(empty.search(MentionQuery(districts=["Hansi"]))) == {"pre", "post"}
    assert ids(empty.search(MentionQuery(districts=["Hisar"]))) == {"pre"}
    assert dict(empty.counts("district")) == {"Hisar": 1, "Hansi": 1}
    # Counting the mentions found under Hansi: each under the district it is tagged with.
    assert dict(empty.counts("district", MentionQuery(districts=["Hansi"]))) == {"Hisar": 1, "Hansi": 1}
    assert dict(empty.counts("district", MentionQuery(districts=["Hisar"]))) == {"Hisar": 1}
    # A re-tag that drops the also_under key stops the pre-split mention being found under Hansi.
    empty.upsert([pre_split.model_copy(update={"districts": [DistrictTag(name="Hisar")]})])
    empty.refresh()
    assert ids(empty.search(MentionQuery(districts=["Hansi"]))) == {"post"}
    assert dict(empty.counts("district")) == {"Hisar": 1, "Hansi": 1}


def test_a_mention_tagged_with_both_districts_counts_once_under_each(empty):
    both = Mention(id="both", text="हिसार और हांसी में बैठक", districts=[
        DistrictTag(name="Hisar", also_under=["Hansi"]), DistrictTag(name="Hansi")])
    empty.upsert([both])
    empty.refresh()
    assert dict(empty.counts("district")) == {"Hisar": 1, "Hansi": 1}


def test_ist_date_range_is_inclusive(store):
    since = datetime(2026, 3, 3, tzinfo=IST)
    until = datetime(2026, 3, 4, 23, 59, tzinfo=IST)
    assert ids(store.search(MentionQuery(since=since, until=until))) == {"b", "c"}


def test_date_bounds_compare_whole_seconds_in_any_timezone(empty):
    moment = datetime(2026, 3, 10, 23, 59, 59, 600_000, tzinfo=IST)
    empty.upsert([Mention(id="edge", text="सीमा", published_at=moment)])
    empty.refresh()
    in_utc = moment.astimezone(UTC)
    assert ids(empty.search(MentionQuery(until=in_utc.replace(microsecond=0)))) == {"edge"}
    assert ids(empty.search(MentionQuery(since=in_utc.replace(microsecond=0)))) == {"edge"}
    assert ids(empty.search(MentionQuery(since=moment + timedelta(seconds=1)))) == set()
    assert ids(empty.search(MentionQuery(until=moment - timedelta(seconds=1)))) == set()


# -- writing --------------------------------------------------------------------------------------------------


def test_upsert_is_idempotent_and_updates(store):
    report = store.upsert([mention("a", "हिसार में किसानों का धरना खत्म", district="Hisar", sentiment="neutral", day=2)])
    store.refresh()
    assert (report.stored, report.updated) == (0, 1)
    assert store.count() == 5
    assert store.get("a").sentiment.label == "neutral"
    assert ids(store.search(MentionQuery(text="खत्म"))) == {"a"}
    assert ids(store.search(MentionQuery(text="दिया"))) == set()


def test_repeated_id_in_one_batch_is_stored_once(empty):
    report = empty.upsert([mention("x", "पहला संस्करण"), mention("x", "दूसरा संस्करण"), mention("y", "अलग")])
    empty.refresh()
    assert (report.stored, report.updated, report.failed) == (2, 1, {})
    assert empty.count() == 2
    assert empty.get("x").text == "दूसरा संस्करण"


def test_mention_whose_date_moves_month_is_kept_once(empty):
    undated = Mention(id="m", text="बिना तारीख की खबर", fetched_at=datetime(2026, 1, 20, tzinfo=UTC))
    empty.upsert([undated])
    empty.refresh()
    dated = undated.model_copy(update={"published_at": datetime(2025, 11, 5, 9, 0, tzinfo=IST)})
    report = empty.upsert([dated])
    empty.refresh()
    assert (report.stored, report.updated) == (0, 1)
    assert empty.count() == 1
    assert empty.search(MentionQuery(text="खबर")).total == 1
    assert empty.get("m").published_at == dated.published_at


def test_every_field_round_trips(empty):
    full = Mention(
        id="full",
        platform=Platform.youtube,
        source=Source(name="DPRO Hisar", domain="youtube.com"),
        url="https://www.youtube.com/watch?v=abc",
        title="मुख्यमंत्री का हिसार दौरा",
        text="मुख्यमंत्री ने हिसार में किसानों से बात की।",
        lang="hi",
        published_at=datetime(2026, 2, 14, 18, 45, 12, tzinfo=IST),
        fetched_at=datetime(2026, 2, 14, 14, 0, 0, 123456, tzinfo=UTC),
        author="@dprohisar",
        engagement=Engagement(likes=12, views=3400, comments=None),
        parent_id="parent-1",
        districts=[DistrictTag(name="Hisar", lgd_code=63, place="हिसार", also_under=["Hansi"],
                               evidence=[Evidence(field="title", start=15, end=20, text="हिसार")])],
        schemes=[SchemeTag(id="pm-kisan", name="PM-KISAN")],
        sentiment=Sentiment(label="positive", score=0.81, model="civic-tone-1"),
        entities=[Entity(text="मुख्यमंत्री", label="OFFICE", field="text", start=0, end=11)],
        near_dup_cluster="cluster-7",
        misinformation=Misinformation(
            flagged=True, score=0.7, flags=["debunk-phrase:भ्रामक"],
            matched_factcheck=FactCheckRef(url="https://factcheck.example/1", claim="दावा", rating="False",
                                           published_at=datetime(2026, 2, 1, tzinfo=UTC)),
        ),
        meta={"claim_review": {"rating": 1, "nested": ["a", {"b": None}]}, "row": 7},
    )
    empty.upsert([full])
    empty.refresh()
    assert empty.get("full") == full
    assert empty.search(MentionQuery(text="दौरा")).hits[0].mention == full
    assert empty.get("missing") is None


def test_delete_by_query(store):
    assert store.delete(MentionQuery(until=datetime(2026, 3, 3, 23, 0, tzinfo=IST))) == 2
    assert store.count() == 3
    assert ids(store.search(MentionQuery(text="किसान"))) == set()


def test_delete_by_text_and_district(store):
    assert store.delete(MentionQuery(text="सड़क", districts=["Gurugram"])) == 1
    assert store.get("d") is None
    assert store.count() == 4


# -- counting -------------------------------------------------------------------------------------------------


def test_counts_by_facets(store):
    assert dict(store.counts("sentiment")) == {"neutral": 3, "negative": 1, "positive": 1}
    assert dict(store.counts("district"))["Hisar"] == 1
    days = store.counts("day")
    assert [d for d, _ in days] == sorted(d for d, _ in days)
    assert dict(days)["2026-03-02"] == 1
    assert dict(store.counts("district", MentionQuery(text="किसान"))) == {"Hisar": 1}


def test_day_is_counted_in_ist(backend, open_backend):  # noqa: F811
    # 23:30 IST on 1 March is 18:00 UTC on 1 March, and 00:30 IST on 2 March is still 1 March in UTC.
    target = open_backend(backend)
    target.upsert([
        Mention(id="late", text="x", published_at=datetime(2026, 3, 1, 23, 30, tzinfo=IST)),
        Mention(id="early", text="y", published_at=datetime(2026, 3, 2, 0, 30, tzinfo=IST)),
    ])
    target.refresh()
    assert dict(target.counts("day")) == {"2026-03-01": 1, "2026-03-02": 1}


DISTRICTS = ["Hisar", "Rohtak", "Gurugram", "Karnal", "Panipat", "Sirsa", "Jhajjar", "Nuh"]
SCHEMES = ["pm-kisan", "ayushman-bharat", "mgnrega", "ujjwala", "parivar-pehchan-patra"]
WORDS = ["किसान", "सड़क", "पानी", "बिजली", "अस्पताल", "स्कूल", "मंडी", "धरना", "योजना", "भर्ती"]
SOURCES = ["दैनिक भास्कर", "अमर उजाला", "Tribune", "DPRO Hisar", None]


def generated_mentions(count: int, seed: int = 6) -> list[Mention]:
    """Varied mentions across months and IST midnights, with several districts and schemes each."""
    rng = random.Random(seed)
    start = datetime(2025, 12, 31, 18, 0, tzinfo=UTC)
    out = []
    for number in range(count):
        published = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 70))
        words = rng.sample(WORDS, 3)
        source = rng.choice(SOURCES)
        out.append(Mention(
            id=f"g{number}",
            title=f"{words[0]} पर खबर" if rng.random() < 0.5 else None,
            text=" ".join(words) + " के बारे में लोगों ने बात की",
            platform=rng.choice([Platform.news, Platform.x, Platform.youtube]),
            source=Source(name=source, domain=None if source else "example.in"),
            lang=rng.choice(["hi", "en", "hi-Latn", None]),
            published_at=None if rng.random() < 0.05 else published,
            districts=[DistrictTag(name=d, also_under=["Hansi"] if d == "Hisar" and number % 2 else [])
                       for d in rng.sample(DISTRICTS, rng.randrange(0, 3))],
            schemes=[SchemeTag(id=s) for s in rng.sample(SCHEMES, rng.randrange(0, 3))],
            sentiment=None if rng.random() < 0.1 else Sentiment(
                label=rng.choice(["positive", "negative", "neutral"]), score=0.5, model="test"),
        ))
    return out


def expected_counts(mentions: list[Mention], by: str) -> dict[str, int]:
    """Counted by hand, independently of every store."""
    counter: Counter[str] = Counter()
    for m in mentions:
        if by == "district":  # once per tagged district; also_under keys are for finding, not counting
            counter.update({tag.key for tag in m.districts})
        elif by == "scheme":
            counter.update(m.scheme_ids)
        elif by == "sentiment" and m.sentiment:
            counter[m.sentiment.label] += 1
        elif by == "day" and m.published_at:
            counter[m.published_at.astimezone(IST).date().isoformat()] += 1
        elif by == "source" and (m.source.name or m.source.domain):
            counter[m.source.name or m.source.domain] += 1
        elif by == "platform":
            counter[m.platform.value] += 1
        elif by == "lang" and m.lang:
            counter[m.lang] += 1
    return dict(counter)


def test_counts_are_the_same_numbers_on_every_backend(empty):
    mentions = generated_mentions(400)
    empty.upsert(mentions)
    empty.refresh()
    for by in ("district", "scheme", "sentiment", "day", "source", "platform", "lang"):
        rows = empty.counts(by)
        assert dict(rows) == expected_counts(mentions, by), by
        if by == "day":
            assert [k for k, _ in rows] == sorted(k for k, _ in rows)
        else:
            assert [n for _, n in rows] == sorted((n for _, n in rows), reverse=True), by
    since, until = datetime(2026, 1, 10, tzinfo=IST), datetime(2026, 2, 10, 23, 59, 59, tzinfo=IST)
    chosen = [m for m in mentions
              if "Hisar" in m.district_keys and m.published_at and since <= m.published_at <= until
              and "किसान" in m.full_text()]
    query = MentionQuery(text="किसानों", districts=["Hisar"], since=since, until=until)
    assert empty.count(query) == len(chosen) > 0
    assert dict(empty.counts("scheme", query)) == expected_counts(chosen, "scheme")
    assert dict(empty.counts("day", query)) == expected_counts(chosen, "day")


def test_counts_with_many_values_are_exact(empty):
    mentions = [Mention(id=f"s{n}", text="खबर", source=Source(name=f"स्रोत {n:04d}")) for n in range(1_050)]
    mentions += [Mention(id="extra", text="खबर", source=Source(name="स्रोत 0007"))]
    empty.upsert(mentions)
    empty.refresh()
    rows = empty.counts("source")
    assert len(rows) == 1_050
    assert rows[0] == ("स्रोत 0007", 2)
    assert sum(n for _, n in rows) == 1_051


def test_pages_do_not_overlap(empty):
    mentions = generated_mentions(60, seed=2)
    empty.upsert(mentions)
    empty.refresh()
    first = empty.search(MentionQuery(limit=25))
    second = empty.search(MentionQuery(limit=25, offset=25))
    third = empty.search(MentionQuery(limit=25, offset=50))
    assert first.total == 60
    seen = [h.mention.id for page in (first, second, third) for h in page.hits]
    assert sorted(seen) == sorted(m.id for m in mentions)
    dated = [h.mention.published_at for h in first.hits if h.mention.published_at]
    assert dated == sorted(dated, reverse=True)


# -- errors ---------------------------------------------------------------------------------------------------


def test_bad_queries_and_urls_are_clear_errors(store, tmp_path):
    with pytest.raises(InputError):
        store.search(MentionQuery(text='"unbalanced'))
    with pytest.raises(InputError):
        store.search(MentionQuery(text="OR किसान"))
    with pytest.raises(ConfigError):
        open_store("mysql://nowhere")
    with pytest.raises(ConfigError):
        open_store("sqlite://")
    with pytest.raises(ConfigError):
        open_store("opensearch+http://user:secret@127.0.0.1:9200")
    with pytest.raises(ValueError):
        store.counts("colour")


def test_index_terms_per_token_equal_terms_of_the_whole_text():
    """search_terms memoizes per whitespace token; on real Hindi, English and code-mixed text that must give
    exactly the terms of normalizing the whole text at once (the SQLite and engine indices depend on it)."""
    import csv

    from nlp.normalize import normalize_text, search_terms, stem, words
    from tests.conftest import shared_data

    folder = shared_data("nlp", "constraint2021-hindi-hostility")
    texts = [row["Post"] for row in csv.DictReader(open(folder / "valid.csv", encoding="utf-8", newline=""))]
    mixed = shared_data("nlp", "sentimix2020-hinglish")
    texts += [line for path in sorted(mixed.rglob("*"))[:3] if path.is_file()
              for line in path.read_text(encoding="utf-8", errors="replace").splitlines()[:3000]]
    texts += ["गुड़\u200dगाँव—हिसार  १२:३०|किसानों’ ''PM-KISAN'' … Rohtak:", "क\u093c ख\u0901 \u00a0 ग्राम"]
    assert len(texts) > 2000
    for text in texts:
        assert search_terms(text) == [stem(w.lower()) for w in words(normalize_text(text))], text


def test_engine_store_settings_are_checked(tmp_path, monkeypatch):
    from janmat.core.settings import get_settings

    monkeypatch.setenv("JANMAT_STORE_CA_BUNDLE", str(tmp_path / "missing-ca.pem"))
    get_settings.cache_clear()
    with pytest.raises(ConfigError, match="CA_BUNDLE"):
        open_store("opensearch+https://127.0.0.1:9200")
    monkeypatch.delenv("JANMAT_STORE_CA_BUNDLE")
    monkeypatch.setenv("JANMAT_INDEX_PREFIX", "Not Valid!")
    get_settings.cache_clear()
    with pytest.raises(ConfigError, match="prefix"):
        open_store("elasticsearch+http://127.0.0.1:9201")
    with pytest.raises(ConfigError, match="port"):
        open_store("elasticsearch+http://127.0.0.1:99999")


def test_sqlite_store_from_before_the_tagged_column_is_migrated_on_open(tmp_path):
    """A store written when every district row counted: opening it adds the flag and un-counts also_under rows."""
    import sqlite3

    path = tmp_path / "old.db"
    before, after = datetime(2025, 11, 3, tzinfo=IST), datetime(2026, 1, 15, tzinfo=IST)
    mentions = [
        Mention(id="pre", text="नारनौंद में धरना", published_at=before, districts=[
            DistrictTag(name="Hisar", also_under=["Hansi"]), DistrictTag(name="Lucknow", state="Uttar Pradesh")]),
        Mention(id="post", text="नारनौंद में धरना", published_at=after, districts=[DistrictTag(name="Hansi")]),
        Mention(id="both", text="हिसार और हांसी", published_at=before, districts=[
            DistrictTag(name="Hisar", also_under=["Hansi"]), DistrictTag(name="Hansi")]),
    ]
    store = open_store(f"sqlite:///{path}")
    store.upsert(mentions)
    store.close()
    # Rebuild mention_districts the way earlier versions created it: no tagged column, a row per findable key.
    with sqlite3.connect(path) as db:
        db.executescript("""
            CREATE TABLE old_districts (mention_rowid INTEGER NOT NULL REFERENCES mentions(rowid) ON DELETE CASCADE,
                                        district TEXT NOT NULL, PRIMARY KEY (district, mention_rowid)) WITHOUT ROWID;
            INSERT INTO old_districts SELECT mention_rowid, district FROM mention_districts;
            DROP TABLE mention_districts;
            ALTER TABLE old_districts RENAME TO mention_districts;
            CREATE INDEX mention_districts_rowid ON mention_districts(mention_rowid);
        """)
        assert "tagged" not in {row[1] for row in db.execute("PRAGMA table_info(mention_districts)")}
        assert db.execute("SELECT COUNT(*) FROM mention_districts WHERE district = 'Hansi'").fetchone()[0] == 3
    store = open_store(f"sqlite:///{path}")
    try:
        assert dict(store.counts("district")) == {"Hisar": 2, "Hansi": 2, "Uttar Pradesh:Lucknow": 1}
        assert ids(store.search(MentionQuery(districts=["Hansi"]))) == {"pre", "post", "both"}
    finally:
        store.close()
    reopened = open_store(f"sqlite:///{path}")  # a second open finds the column and changes nothing
    try:
        assert dict(reopened.counts("district")) == {"Hisar": 2, "Hansi": 2, "Uttar Pradesh:Lucknow": 1}
    finally:
        reopened.close()
    with sqlite3.connect(path) as db:
        # the index on mention_rowid alone is replaced by one that carries the flag, so that a date-filtered
        # count by district can read the index only (on 200,000 mentions: 37 → 14 ms)
        indexes = {row[1]: row for row in db.execute("PRAGMA index_list(mention_districts)")}
        assert "mention_districts_rowid" not in indexes
        columns = [row[2] for row in db.execute("PRAGMA index_info(mention_districts_by_mention)")]
        assert columns == ["mention_rowid", "tagged"]


def test_sqlite_store_from_before_the_sentiment_score_column_is_migrated_on_open(tmp_path):
    """A store written before ``sentiment_score``: opening it adds the column, filled from the stored mentions."""
    import sqlite3

    path = tmp_path / "old.db"
    store = open_store(f"sqlite:///{path}")
    store.upsert([mention("a", "हिसार में धरना", sentiment="negative"),
                  Mention(id="b", text="बैठक", sentiment=Sentiment(label="neutral", score=0.4, model="t"))])
    store.close()
    with sqlite3.connect(path) as db:
        db.execute("ALTER TABLE mentions DROP COLUMN sentiment_score")
    store = open_store(f"sqlite:///{path}")
    try:
        assert ids(store.search(MentionQuery(min_confidence=0.5))) == {"a"}
    finally:
        store.close()
