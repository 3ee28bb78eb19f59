"""Spike detection and the alert stage on a real SQLite store, with mentions whose tags are set by the test (the
scenario test runs the real Enricher): minimum counts, tone spikes, the most specific explanation, firing once
across re-evaluations and restarts, the hand-over to the notification outbox, and standing queries in the stage."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from janmat.alerts.backtest import backtest
from janmat.alerts.build import spike_alert
from janmat.alerts.evaluate import evaluate_spikes
from janmat.alerts.ledger import Claim
from janmat.alerts.notify import outbox_status
from janmat.alerts.rules import parse_rule
from janmat.alerts.spikes import Baseline, SpikeConfig, first_passing
from janmat.alerts.storage import open_alert_state
from janmat.core.mention import DistrictTag, Mention, Platform, SchemeTag, Sentiment
from janmat.core.settings import get_settings
from janmat.store import MentionStore, open_store
from pipelines.flow import MentionFlow
from tests.store_backends import engine_http_url, remove_store, use_fresh_prefix
from tests.tcp_proxy import CuttableProxy

DISTRICTS = ["Hisar", "Rohtak", "Karnal", "Sirsa", "Jind", "Panipat"]
SCHEMES = ["pm_kisan", "chirayu_haryana", "mfmb", "ppp_family_id"]
# Pre-tagged mentions skip the taggers: the stages that store and alert are what these tests are about.
STORE_AND_ALERT = ["validate", "store", "alert"]


def mention(number: int, when: datetime, district: str | None, scheme: str | None, tone: str = "neutral",
            **extra: object) -> Mention:
    return Mention(
        id=f"m{number}", text=f"mention {number} about {district} and {scheme}", published_at=when,
        url=f"https://news.example.in/{number}.html", platform=Platform.news,
        districts=[DistrictTag(name=district)] if district else [],
        schemes=[SchemeTag(id=scheme)] if scheme else [],
        sentiment=Sentiment(label=tone, score=0.9, model="test"), **extra,
    )


def background(start: datetime, hours: int, per_hour: float, seed: int = 7, first: int = 0) -> list[Mention]:
    """Ordinary coverage: ``per_hour`` mentions an hour on average, spread over districts and schemes."""
    rng = random.Random(seed)
    found = []
    for number in range(int(hours * per_hour)):
        when = start + timedelta(seconds=rng.uniform(0, hours * 3600))
        tone = rng.choice(["neutral", "neutral", "positive", "negative"])
        found.append(mention(first + number, when.replace(microsecond=0), rng.choice(DISTRICTS),
                             rng.choice(SCHEMES), tone))
    return found


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MentionStore:
    monkeypatch.setenv("JANMAT_NOTIFY_WEBHOOK_URLS", '["http://127.0.0.1:9/hook"]')  # queued, never sent here
    get_settings.cache_clear()
    with open_store(f"sqlite:///{tmp_path / 'janmat.db'}") as opened:
        yield opened


START = (datetime.now(UTC) - timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
EVENT = START + timedelta(hours=50)


def burst(first: int, count: int, district: str | None, scheme: str | None, tone: str = "negative",
          minutes: float = 40) -> list[Mention]:
    return [mention(first + n, EVENT + timedelta(minutes=5 + n * minutes / count), district, scheme, tone)
            for n in range(count)]


def fired_after(store: MentionStore, mentions: list[Mention]) -> list:
    store.upsert(mentions)
    return backtest(store, START, EVENT + timedelta(hours=3))


def test_the_tests_fire_at_the_first_mention_that_makes_the_window_significant() -> None:
    config = SpikeConfig.from_settings(get_settings().alerts)
    assert first_passing([1] * 20, Baseline(count=0.2, share=0.2), config) == config.min_count - 1
    assert first_passing([1] * 7, Baseline(count=0.2, share=0.2), config) is None  # below min_count
    # usual volume, negative share up from 20 % to 80 %: a tone spike, found by the binomial test
    tone = [1 if n % 5 else 0 for n in range(20)]
    assert first_passing(tone, Baseline(count=20.0, share=0.2), config) is not None
    assert first_passing([0] * 20, Baseline(count=20.0, share=0.2), config) is None


def test_a_quiet_district_does_not_alert_on_a_few_posts(store: MentionStore) -> None:
    history = background(START, 54, per_hour=2)
    assert fired_after(store, [*history, *burst(10_000, 5, "Hisar", "chirayu_haryana")]) == []
    fired = fired_after(store, burst(20_000, 12, "Hisar", "chirayu_haryana"))
    assert [(a.rule_id, a.district, a.scheme) for a in fired] == [
        ("default:district-scheme", "Hisar", "chirayu_haryana")]


def test_a_tone_spike_at_the_usual_volume_is_found(store: MentionStore) -> None:
    rng = random.Random(3)
    history = [m.model_copy(update={"districts": [DistrictTag(name="Hisar")]})
               for m in background(START, 54, per_hour=12)]
    usual = [mention(30_000 + n, EVENT + timedelta(minutes=1 + n * 2.5), "Hisar", rng.choice(SCHEMES),
                     "negative" if n % 5 else "neutral") for n in range(22)]
    fired = fired_after(store, [*history, *usual])
    assert [(a.rule_id, a.district, a.scheme) for a in fired] == [("default:district", "Hisar", None)]
    alert = fired[0]
    assert alert.count < 2 * alert.baseline  # not a volume spike
    assert alert.reason.startswith("negative share") and "binomial" in alert.reason
    assert alert.negative_share >= 0.75 and alert.baseline_negative_share < 0.35


def test_a_district_spike_spread_over_its_schemes_is_one_district_alert(store: MentionStore) -> None:
    history = background(START, 54, per_hour=2)
    spread = [m for n, scheme in enumerate(SCHEMES) for m in burst(40_000 + 100 * n, 5, "Sirsa", scheme)]
    fired = fired_after(store, [*history, *spread])
    assert [(a.rule_id, a.district, a.scheme) for a in fired] == [("default:district", "Sirsa", None)]
    assert "spread beyond its largest part" in fired[0].reason


def test_one_event_in_one_district_and_scheme_is_one_alert_not_three(store: MentionStore) -> None:
    history = background(START, 54, per_hour=4)
    fired = fired_after(store, [*history, *burst(50_000, 25, "Rohtak", "pm_kisan")])
    assert [(a.rule_id, a.district, a.scheme) for a in fired] == [
        ("default:district-scheme", "Rohtak", "pm_kisan")]


def test_evaluating_again_or_after_a_restart_fires_nothing_twice(store: MentionStore) -> None:
    store.upsert([*background(START, 54, per_hour=2), *burst(60_000, 15, "Jind", "mfmb")])
    polls = [EVENT + timedelta(minutes=m) for m in range(10, 120, 10)]
    fired = [alert for poll in polls for alert in evaluate_spikes(store, poll)]
    fired += evaluate_spikes(store, polls[-1])  # the same moment again, as a second monitor would
    assert [(a.district, a.scheme) for a in fired] == [("Jind", "mfmb")]
    assert [a.id for a in backtest(store, START, polls[-1])] == [fired[0].id]
    assert outbox_status()["webhook"].pending == 1


def test_an_alert_claimed_but_never_queued_is_queued_by_the_next_evaluation(store: MentionStore) -> None:
    store.upsert([*background(START, 54, per_hour=2), *burst(70_000, 15, "Panipat", "ppp_family_id")])
    alert = backtest(store, START, EVENT + timedelta(hours=2))[0]
    with open_alert_state(store) as state:  # a process that stopped between the claim and the hand-over
        assert state.claim(Claim(alert, "Panipat|ppp_family_id", alert.window_start.timestamp() + 600, 3 * 3600))
    assert outbox_status() == {}
    assert evaluate_spikes(store, EVENT + timedelta(hours=1)) == []  # not fired again...
    assert outbox_status()["webhook"].pending == 1  # ...but handed over now
    with open_alert_state(store) as state:
        assert state.unsettled() == []


def test_the_alert_stage_fires_standing_queries_per_batch_and_spikes_after_the_run(store: MentionStore) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    earlier = now - timedelta(days=2, hours=6)
    old = background(earlier, 52, per_hour=2, first=80_000)
    MentionFlow(store, stages=STORE_AND_ALERT).run(old)
    with open_alert_state(store) as state:
        rule = state.add_rule(parse_rule({"name": "चिरायु हिसार", "districts": ["हिसार"], "schemes": ["चिरायु"],
                                          "sentiment": "नकारात्मक", "cooldown": "2h"}))
    fresh = [mention(90_000 + n, now - timedelta(minutes=30 - n), "Hisar", "chirayu_haryana", "negative",
                     near_dup_cluster="story-1") for n in range(12)]
    report = MentionFlow(store, stages=STORE_AND_ALERT, batch_size=4).run(fresh)
    assert report.stored == 12 and not report.rejected
    with open_alert_state(store) as state:
        fired = state.fired()
    kinds = sorted((a.kind, a.rule_id) for a in fired)
    assert kinds == [("match", rule.id), ("spike", "default:district-scheme")]
    match = next(a for a in fired if a.kind == "match")
    assert match.cluster == "story-1" and match.top and match.top[0].url
    assert outbox_status()["webhook"].pending == 2
    # the same mentions again (a re-crawl) fire nothing new
    MentionFlow(store, stages=STORE_AND_ALERT).run(fresh)
    with open_alert_state(store) as state:
        assert len(state.fired()) == 2


def test_a_rule_that_matches_everything_fires_once_per_cooldown_live(store: MentionStore) -> None:
    with open_alert_state(store) as state:
        rule = state.add_rule(parse_rule({"name": "सब कुछ", "cooldown": "1h"}))
    now = datetime.now(UTC).replace(microsecond=0)
    flow = MentionFlow(store, stages=STORE_AND_ALERT, batch_size=5)
    rng = random.Random(5)
    for minute in range(0, 150, 10):  # 2.5 hours of polls, 6 unrelated mentions each
        when = now - timedelta(minutes=150 - minute)
        flow.run([mention(120_000 + minute * 10 + n, when + timedelta(seconds=n), rng.choice(DISTRICTS),
                          rng.choice(SCHEMES), near_dup_cluster=f"story-{minute}-{n}") for n in range(6)])
    with open_alert_state(store) as state:
        fired = sorted(a.window_end for a in state.fired() if a.rule_id == rule.id)
    assert len(fired) == 3  # 90 stories in 2.5 hours, an alert at most once an hour
    assert all(later - earlier >= timedelta(hours=1) for earlier, later in pairwise(fired))


def test_a_backfill_of_old_news_fires_no_standing_query(store: MentionStore) -> None:
    with open_alert_state(store) as state:
        state.add_rule(parse_rule({"name": "everything", "cooldown": "1m"}))
    MentionFlow(store, stages=STORE_AND_ALERT).run(background(START, 10, per_hour=1, first=95_000))
    with open_alert_state(store) as state:
        assert state.fired() == []
    assert backtest(store, START, START + timedelta(hours=10))  # though the backtest lists what would have fired


def test_what_a_spike_alert_says(store: MentionStore) -> None:
    store.upsert([*background(START, 54, per_hour=2), *burst(99_000, 14, "Karnal", "pm_kisan")])
    alert = backtest(store, START, EVENT + timedelta(hours=2), top=True)[0]
    assert (alert.district, alert.scheme, alert.kind) == ("Karnal", "pm_kisan", "spike")
    assert alert.window_end - alert.window_start == timedelta(hours=1)
    assert alert.count == get_settings().alerts.min_count and alert.baseline < 1
    assert alert.reason.startswith(f"{alert.count} mentions in 1 h against")
    assert len(alert.top) == 3 and all(m.url and m.published_at for m in alert.top)
    assert spike_alert.__doc__


@pytest.mark.engine
def test_standing_query_alerts_wait_out_an_engine_outage_and_are_not_lost(monkeypatch, tmp_path: Path) -> None:
    """OpenSearch goes down while a batch is stored: its mentions wait in the store's spool and, for the standing
    queries, in the alert stage's own; when the engine is back, the next batch brings both up to date."""
    monkeypatch.setenv("JANMAT_NOTIFY_WEBHOOK_URLS", '["http://127.0.0.1:9/hook"]')
    monkeypatch.setenv("JANMAT_STORE_RETRY_ATTEMPTS", "1")
    monkeypatch.setenv("JANMAT_STORE_TIMEOUT_SECONDS", "3")
    monkeypatch.setenv("JANMAT_ALERTS_RULES_REFRESH_SECONDS", "0")
    use_fresh_prefix(monkeypatch)
    upstream = urlsplit(engine_http_url("opensearch"))
    proxy = CuttableProxy(upstream.hostname, upstream.port)
    store = open_store(f"opensearch+http://127.0.0.1:{proxy.port}")
    try:
        with open_alert_state(store) as state:
            rule = state.add_rule(parse_rule({"name": "Hisar negative", "districts": "Hisar",
                                              "sentiment": "negative", "cooldown": "1m"}))
        now = datetime.now(UTC).replace(microsecond=0)
        flow = MentionFlow(store, stages=STORE_AND_ALERT)
        proxy.cut()
        down = flow.run([mention(1, now - timedelta(minutes=20), "Hisar", "pm_kisan", "negative")])
        assert down.spooled == 1 and not down.rejected
        assert outbox_status() == {}
        proxy.restore()
        flow.run([mention(2, now - timedelta(minutes=5), "Rohtak", "mfmb", "positive")])
        with open_alert_state(store) as state:
            fired = state.fired()
        assert [(a.rule_id, [m.id for m in a.top]) for a in fired] == [(rule.id, ["m1"])]
        assert outbox_status()["webhook"].pending == 1
    finally:
        remove_store(store)
        proxy.close()
