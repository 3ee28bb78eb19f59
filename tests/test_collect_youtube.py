"""YouTube collector against a local fake of the YouTube Data API v3 (only the base URL differs)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from janmat.collectors.state import CollectorState
from janmat.collectors.topics import Topic
from janmat.collectors.youtube import quota_day
from janmat.core.mention import Platform, mention_id_for_post
from tests.fakes.harness import configure, run, stored
from tests.fakes.youtube_api import FakeYouTube

KEY = "AIzaFakeYouTubeKey0123456789"
LADO = Topic("scheme", "lado_lakshmi", ("लाडो लक्ष्मी", "Lado Lakshmi"))


@pytest.fixture
def fake_yt(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeYouTube]:
    fake = FakeYouTube(KEY).start()
    configure(monkeypatch, youtube_api_key=KEY, youtube_api_base=f"{fake.url}/youtube/v3")
    yield fake
    fake.stop()


def test_videos_statistics_and_comments_become_mentions(fake_yt: FakeYouTube) -> None:
    main = fake_yt.add_video("लाडो लक्ष्मी योजना: 2100 रुपये कब मिलेंगे", minutes_ago=90, views=12000, likes=340,
                             description="लाडो लक्ष्मी योजना की पूरी जानकारी")
    fake_yt.add_comment(main, "मेरी माँ को अभी तक पैसा नहीं मिला", minutes_ago=50, replies=("हमें भी नहीं",))
    fake_yt.add_comment(main, "बहुत अच्छी योजना है", minutes_ago=40)
    quiet = fake_yt.add_video("Lado Lakshmi Yojana apply online", minutes_ago=80, comments_disabled=True)
    removed = fake_yt.add_video("लाडो लक्ष्मी फर्जी वीडियो", minutes_ago=70, removed=True)
    fake_yt.add_video("क्रिकेट समाचार", minutes_ago=60)

    report = run(["youtube"], [LADO])["youtube"]
    assert report.status == "ok", report.message
    assert report.gone == 1  # listed by search, missing from videos.list
    by_post = {m.post_id: m for m in stored("youtube")}
    assert set(by_post) == {main.id, quiet.id, *(c.id for c in main.comments), main.comments[0].replies[0].id}
    assert removed.id not in by_post

    video = by_post[main.id]
    assert (video.engagement.views, video.engagement.likes, video.engagement.comments) == (12000, 340, 3)
    assert video.title.startswith("लाडो लक्ष्मी") and video.text == "लाडो लक्ष्मी योजना की पूरी जानकारी"
    assert video.url == f"https://www.youtube.com/watch?v={main.id}" and video.lang == "hi"
    top, reply = main.comments[0], main.comments[0].replies[0]
    assert by_post[top.id].parent_id == mention_id_for_post(Platform.youtube, main.id)
    assert by_post[reply.id].parent_id == mention_id_for_post(Platform.youtube, top.id)
    assert by_post[top.id].engagement.replies == 1 and by_post[top.id].published_at.tzinfo is not None

    searches = fake_yt.requests_to("/search")
    assert {k: searches[0].params[k] for k in ("type", "relevanceLanguage", "regionCode", "order")} == {
        "type": "video", "relevanceLanguage": "hi", "regionCode": "IN", "order": "date"}
    assert "publishedAfter" in searches[0].params
    assert all("key" not in r.params and r.headers["x-goog-api-key"] == KEY for r in fake_yt.seen)
    assert report.quota_units == 100 + 1 + 2  # search, videos, two commentThreads calls


def test_second_run_collects_only_new_videos_and_new_comments(fake_yt: FakeYouTube) -> None:
    first_video = fake_yt.add_video("लाडो लक्ष्मी का पैसा आया", minutes_ago=300)
    fake_yt.add_comment(first_video, "पहली टिप्पणी", minutes_ago=200)
    assert run(["youtube"], [LADO])["youtube"].fetched == 2

    fake_yt.add_video("Lado Lakshmi second instalment", minutes_ago=20)
    fake_yt.add_comment(first_video, "दूसरी टिप्पणी", minutes_ago=10, replies=("जवाब",))
    second = run(["youtube"], [LADO])["youtube"]
    assert second.status == "ok", second.message
    assert second.fetched == 1 + 2 and second.updated == 0  # the new video, the new comment and its reply
    assert len(stored("youtube")) == 5
    last_search = fake_yt.requests_to("/search")[-1]
    assert last_search.params["publishedAfter"] > first_video.published.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_our_quota_cap_stops_cleanly_and_the_next_day_resumes_without_loss(fake_yt: FakeYouTube,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(120):
        fake_yt.add_video(f"लाडो लक्ष्मी अपडेट {i}", minutes_ago=600 - i)
    configure(monkeypatch, youtube_daily_quota=205)
    first = run(["youtube"], [LADO])["youtube"]
    assert first.status == "stopped" and "quota cap reached" in first.message
    assert first.quota_units == 202 and first.fetched == 100  # two search pages of 50, each with videos.list

    again = run(["youtube"], [LADO])["youtube"]
    assert again.status == "stopped" and again.requests == 0, "the spent quota survives a restart"

    with CollectorState() as state:
        assert state.quota_used("youtube", quota_day()) == 202
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    monkeypatch.setattr("janmat.collectors.youtube.quota_day", lambda: quota_day(datetime.fromisoformat(tomorrow)))
    configure(monkeypatch, youtube_daily_quota=1000)  # room for the last page and the 120 comment checks
    resumed = run(["youtube"], [LADO])["youtube"]
    assert resumed.status == "ok", resumed.message
    assert resumed.fetched == 20 and "pageToken" in fake_yt.requests_to("/search")[-1].params
    videos = [m for m in stored("youtube") if m.post_id.startswith("vid")]
    assert len(videos) == 120 == first.fetched + resumed.fetched


def test_platform_quota_exceeded_stops_cleanly_and_is_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeYouTube(KEY, daily_limit=150).start()
    try:
        configure(monkeypatch, youtube_api_key=KEY, youtube_api_base=f"{fake.url}/youtube/v3")
        for i in range(60):
            fake.add_video(f"Lado Lakshmi {i}", minutes_ago=100 - i)
        report = run(["youtube"], [LADO])["youtube"]
        assert report.status == "stopped" and "quotaExceeded" in report.message
        assert report.fetched == 50
        calls = len(fake.seen)
        again = run(["youtube"], [LADO])["youtube"]
        assert again.status == "stopped" and len(fake.seen) == calls
    finally:
        fake.stop()
