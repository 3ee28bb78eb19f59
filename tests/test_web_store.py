"""What the web screens ask of every store backend: sort orders, the cluster filter, spreading clusters and
corrections kept on the mention — the same answers from SQLite, OpenSearch and Elasticsearch."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from janmat.core.mention import IST, Correction, DistrictTag, Mention, Sentiment, Source
from janmat.store.base import MentionQuery
from tests.store_backends import BACKENDS, open_backend  # noqa: F401 - the fixture


def _mention(n: int, *, cluster: str | None, source: str, day: int, text: str = "पेंशन में देरी") -> Mention:
    return Mention(
        id=f"c{n}", text=f"{text} {n}", source=Source(name=source), near_dup_cluster=cluster,
        published_at=datetime(2026, 3, day, 10, tzinfo=IST), districts=[DistrictTag(name="Hisar")],
        sentiment=Sentiment(label="negative", score=0.8, model="t"),
    )


MENTIONS = [
    _mention(1, cluster="k1", source="A", day=1),
    _mention(2, cluster="k1", source="B", day=3),
    _mention(3, cluster="k1", source="B", day=5),
    _mention(4, cluster="k2", source="A", day=2),
    _mention(5, cluster="k2", source="C", day=4),
    _mention(6, cluster="k3", source="A", day=6),
    _mention(7, cluster=None, source="A", day=7, text="किसान सम्मान निधि"),
]


@pytest.fixture(params=BACKENDS)
def store(request, open_backend):  # noqa: F811
    opened = open_backend(request.param)
    assert not opened.upsert(MENTIONS).failed
    opened.refresh()
    return opened


def ids(store, **query) -> list[str]:
    return [hit.mention.id for hit in store.search(MentionQuery(**query)).hits]


def test_sort_newest_and_oldest_with_and_without_text(store):
    assert ids(store) == ["c7", "c6", "c3", "c5", "c2", "c4", "c1"]
    assert ids(store, sort="newest") == ids(store)
    assert ids(store, sort="oldest") == ["c1", "c4", "c2", "c5", "c3", "c6", "c7"]
    assert ids(store, text="पेंशन", sort="oldest") == ["c1", "c4", "c2", "c5", "c3", "c6"]
    assert ids(store, text="पेंशन", sort="newest", limit=2, offset=1) == ["c3", "c5"]


def test_cluster_filter_finds_the_cluster_members(store):
    assert sorted(ids(store, clusters=["k1"])) == ["c1", "c2", "c3"]
    assert store.count(MentionQuery(clusters=["k2", "k3"])) == 3


def test_spreading_clusters_are_the_same_on_every_backend(store):
    spread = store.spreading_clusters(MentionQuery(), limit=5)
    assert [(c.cluster, c.mentions, c.sources) for c in spread] == [("k1", 3, 2), ("k2", 2, 2)]
    assert spread[0].first_seen == datetime(2026, 3, 1, 4, 30, tzinfo=UTC)
    assert spread[0].last_seen == datetime(2026, 3, 5, 4, 30, tzinfo=UTC)
    since_third = store.spreading_clusters(MentionQuery(since=datetime(2026, 3, 3, tzinfo=IST)))
    assert [(c.cluster, c.mentions) for c in since_third] == [("k1", 2)]
    assert store.spreading_clusters(MentionQuery(), min_size=1, limit=10)[-1].cluster == "k3"


def test_corrections_round_trip_and_corrected_tags_are_searched(store):
    mention = store.get("c7")
    correction = Correction(field="sentiment", by="asha", at=datetime(2026, 3, 8, tzinfo=UTC), sentiment="positive")
    corrected = mention.model_copy(update={
        "sentiment": Sentiment(label="positive", score=1.0, model="analyst:asha"), "corrections": [correction],
    })
    store.upsert([corrected])
    store.refresh()
    assert store.get("c7").corrections == [correction]
    assert ids(store, sentiments=["positive"]) == ["c7"]
