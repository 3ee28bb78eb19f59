"""The claim store and the claim tracker on every backend: the SQLite file, OpenSearch and Elasticsearch."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from janmat.core.errors import InputError
from janmat.core.mention import Platform
from janmat.store import MentionQuery, MentionStore
from janmat.store.claims import ClaimStore, analyst_claim
from janmat.store.claims_backends import claim_store_for
from janmat.store.claims_tracker import track_claim, track_cluster
from tests.claims_sample import BUS_PASS, CYLINDER, T0, sighting
from tests.store_backends import BACKENDS, open_backend  # noqa: F401 - the fixture

Opener = Callable[[str], MentionStore]


def claims_on(open_backend: Opener, kind: str) -> ClaimStore:  # noqa: F811
    return claim_store_for(open_backend(kind))


@pytest.mark.parametrize("kind", BACKENDS)
def test_claims_are_stored_tagged_listed_and_changed(open_backend: Opener, kind: str) -> None:  # noqa: F811
    claims = claims_on(open_backend, kind)
    report = claims.upsert([CYLINDER, BUS_PASS])
    assert (report.stored, report.updated) == (2, 0)
    stored = claims.get("hghg-band")
    assert stored is not None and stored.text == CYLINDER.text and stored.url == CYLINDER.url
    assert stored.schemes == ["har_ghar_har_grihini"], "tagged from its text by Janmat's scheme tagger"
    total, page = claims.list_claims(["misleading"])
    assert total == 1 and [c.id for c in page] == ["bus-pass"]
    assert claims.list_claims()[0] == 2

    claims.mark_alerted("hghg-band", T0)
    again = claims.upsert([CYLINDER.model_copy(update={"text": CYLINDER.text + " (फिर से)"})])
    assert (again.stored, again.updated) == (0, 1)
    kept = claims.get("hghg-band")
    assert kept.created_at == stored.created_at and kept.spread_alerts == 1 and kept.last_alert_at == T0
    assert kept.text.endswith("(फिर से)")

    assert claims.set_status("hghg-band", "misleading").status == "misleading"
    assert claims.get("hghg-band").status == "misleading"
    with pytest.raises(InputError, match="bad status"):
        claims.set_status("hghg-band", "fake")
    with pytest.raises(InputError, match="no claim"):
        claims.set_status("nope", "false")


@pytest.mark.parametrize("kind", BACKENDS)
def test_a_matcher_reads_only_what_changed_since_its_last_version(open_backend: Opener, kind: str) -> None:  # noqa: F811
    claims = claims_on(open_backend, kind)
    claims.upsert([CYLINDER])
    first, version = claims.claims_since(0)
    assert [c.id for c in first] == ["hghg-band"] and first[0].schemes == ("har_ghar_har_grihini",)
    claims.upsert([BUS_PASS])
    claims.set_status("hghg-band", "true")
    changed, _ = claims.claims_since(version)
    assert {c.id: c.status for c in changed} == {"bus-pass": "misleading", "hghg-band": "true"}


@pytest.mark.parametrize("kind", BACKENDS)
def test_sightings_follow_the_flagged_mentions_however_they_change(open_backend: Opener, kind: str) -> None:  # noqa: F811
    store = open_backend(kind)
    store.upsert([sighting("early", "hghg-band", 0)])  # stored before the claim tables existed
    store.refresh()
    claims = claim_store_for(store)
    store.upsert([sighting("a", "hghg-band", 10), sighting("b", "bus-pass", 20), sighting("c", None, 30)])
    store.refresh()
    assert [(s.claim_id, s.mention.id) for s in claims.sightings(["hghg-band"])] == [("hghg-band", "early"),
                                                                                      ("hghg-band", "a")]
    assert claims.sighting_counts() == [("hghg-band", 2), ("bus-pass", 1)]
    assert dict(claims.sighting_counts(since=T0 + timedelta(minutes=5))) == {"hghg-band": 1, "bus-pass": 1}
    assert [s.mention.id for s in claims.sightings(None, until=T0 + timedelta(minutes=15))] == ["early", "a"]

    store.upsert([sighting("a", "hghg-band", 10, kinds=())])  # an analyst said: not misinformation
    store.delete(MentionQuery(since=T0 + timedelta(minutes=19), until=T0 + timedelta(minutes=21)))  # "b" goes
    store.refresh()
    assert dict(claims.sighting_counts()) == {"hghg-band": 1}


def test_analyst_rows_without_text_id_or_a_known_status_are_refused_in_one_line() -> None:
    good = analyst_claim({"id": "x", "text": " दावा ", "status": "false", "url": "https://e.in/x", "date": "2026-03-01",
                          "extra": "ignored"}, source="analyst: f.jsonl")
    assert (good.text, good.source, good.date.isoformat()) == ("दावा", "analyst: f.jsonl", "2026-03-01")
    for row, words in (({"id": "x", "status": "false"}, "has no text"), ({"id": "x", "text": "  ", "status": "false"},
                                                                        "has no text"),
                       ({"text": "दावा", "status": "false"}, "no id"), ({"id": "x", "text": "दावा"}, "bad status"),
                       ({"id": "x", "text": "दावा", "status": "false", "date": "कल"}, "date")):
        with pytest.raises(InputError, match=words) as caught:
            analyst_claim(row)
        assert "\n" not in str(caught.value)


@pytest.mark.parametrize("kind", BACKENDS)
def test_the_tracker_follows_a_claim_through_matches_clusters_and_rebuttals(open_backend: Opener, kind: str) -> None:  # noqa: F811
    store = open_backend(kind)
    claims = claim_store_for(store)
    record = sighting("record", None, -600, platform=Platform.factcheck, source="फ़ैक्ट चेक डेस्क", kinds=(),
                      text=CYLINDER.text)
    claims.upsert([CYLINDER.model_copy(update={"record_id": "record"})])
    store.upsert([
        record,
        sighting("n1", "hghg-band", 0, source="दैनिक खबर", platform=Platform.news, district="Jind", likes=10),
        sighting("p1", "hghg-band", 5, source="@asha", cluster="k1", shares=4),
        sighting("p2", None, 7, source="@ravi", cluster="k1", kinds=("suspected",), likes=2),  # a missed forward
        sighting("p3", "hghg-band", 70, source="@asha", cluster="k1", district="Jind"),
        sighting("d1", "hghg-band", 80, source="सच की पड़ताल", platform=Platform.news, kinds=("matched", "debunk")),
        sighting("other", "bus-pass", 3, source="@meena", text=BUS_PASS.text),
    ])
    store.refresh()
    track = track_claim(claims, claims.get("hghg-band"))
    assert [item.id for item in track.items] == ["n1", "p1", "p2", "p3"]
    assert {item.id: item.via for item in track.items}["p2"] == "cluster"
    assert track.first_seen.id == "n1" and track.first_seen.source == "दैनिक खबर"
    assert [(s.source, s.mentions) for s in track.sources] == [("दैनिक खबर", 1), ("@asha", 2), ("@ravi", 1)]
    assert track.platforms == {"x": 3, "news": 1}
    assert track.districts == [("Jind", 2)]
    assert (track.engagement.likes, track.engagement.shares, track.engagement_total) == (12, 4, 16)
    assert track.step == "hour" and [(b.mentions, b.total, b.new_sources) for b in track.timeline] == [
        (3, 3, 3), (1, 4, 0)]
    assert [(r.kind, r.mention_id) for r in track.rebuttals] == [("claim", None), ("record", "record"),
                                                                 ("debunk", "d1")]
    assert track.rebuttals[0].url == CYLINDER.url

    window = track_claim(claims, claims.get("hghg-band"), since=T0 + timedelta(minutes=60))
    assert [item.id for item in window.items] == ["p3"]

    cluster = track_cluster(store, claims, "k1")
    assert cluster is not None and [item.id for item in cluster.items] == ["p1", "p2", "p3"]
    assert [c.id for c in cluster.claims] == ["hghg-band"] and cluster.status == "false"
    assert cluster.rebuttals[0].url == CYLINDER.url
    assert track_cluster(store, claims, "no-such-cluster") is None


def test_a_store_without_claims_says_so_in_one_line() -> None:
    from janmat.core.errors import ConfigError

    class Elsewhere(MentionStore):
        """A store of another backend (its methods are never called here)."""

        url = "memory://elsewhere"

    Elsewhere.__abstractmethods__ = frozenset()
    with pytest.raises(ConfigError, match="keeps no claims"):
        claim_store_for(Elsewhere())
