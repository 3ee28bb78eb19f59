"""The issue's claim scenario: one known false claim, stored with its rebuttal, repeated by 3 outlets and 20 posts
(Hindi and romanised) within an hour, among 2,000 unrelated mentions over 48 simulated hours.

The stream (``tests.alert_stream`` with the claim as its event) goes through the real pipeline into a real SQLite
store in polling intervals; after each one the monitor's alert timers run as the monitor runs them (spike rules,
then the claim-spread check). Exactly one alert must fire, of kind ``claim``, within one polling interval of the
claim spreading; a local webhook receiver gets it once through the outbox; the tracker holds all 23 items with the
rebuttal linked. Also the bad input the issue names: a ClaimReview with missing or malformed fields, and an
analyst's claim without text.
"""

from __future__ import annotations

import json
import logging
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from janmat.alerts.claim_spread import check_claim_spread
from janmat.alerts.evaluate import evaluate_spikes
from janmat.alerts.notify import deliver_pending, outbox_status
from janmat.alerts.storage import open_alert_state
from janmat.core.mention import Mention, Platform, Source, mention_id_for_post, mention_id_for_url
from janmat.core.settings import get_settings
from janmat.monitor import jobs
from janmat.store import open_store
from janmat.store.claims import StoredClaim
from janmat.store.claims_backends import claim_store_for
from janmat.store.claims_reviews import claim_from_record
from janmat.store.claims_tracker import track_claim
from pipelines.flow import MentionFlow
from tests.alert_stream import OUTLETS, Stream, polls, scripted_stream
from tests.claims_sample import T0, sighting
from tests.fakes.alert_receivers import WebhookReceiver

POLL = timedelta(minutes=5)
END = datetime(2026, 3, 12, 6, 0, tzinfo=UTC)
"""The stream's last hour, fixed: the ordinary coverage's times follow the hour of day (IST), so a stream ending
"a day ago" would be another stream at each hour the test runs."""
CLAIM = StoredClaim(
    id="budhapa-pension-band", status="false", lang="hi", url="https://factcheck.example.in/budhapa-pension-band",
    text="हरियाणा सरकार ने बुढ़ापा पेंशन 1 अप्रैल से हमेशा के लिए बंद कर दी है, अब बुजुर्गों को 3000 रुपये नहीं मिलेंगे",
)
# Written for this test: the rumour as three portals and twenty accounts repeat it.
CLAIM_ARTICLES = [
    ("बुढ़ापा पेंशन 1 अप्रैल से बंद? वायरल संदेश से बुजुर्ग परेशान",
     "हरियाणा सरकार ने बुढ़ापा पेंशन 1 अप्रैल से बंद कर दी, बुजुर्गों को अब 3000 रुपये नहीं मिलेंगे, ऐसा संदेश गांवों में "
     "तेजी से फैल रहा है।"),
    ("पेंशन बंद! हरियाणा में बुजुर्गों को 3000 रुपये नहीं मिलेंगे",
     "पेंशन बंद! हरियाणा सरकार 1 अप्रैल से बुजुर्गों को 3000 रुपये बुढ़ापा पेंशन नहीं देगी, गांवों में चर्चा है।"),
    ("Budhapa pension band: Haryana ke buzurgon ko 1 April se 3000 rupaye nahi milenge",
     "Haryana sarkar ne budhapa pension 1 April se hamesha ke liye band kar di, ab 3000 rupaye nahi milenge."),
]
CLAIM_POSTS = [
    "हरियाणा सरकार ने बुढ़ापा पेंशन 1 अप्रैल से बंद कर दी, बुजुर्गों को अब 3000 रुपये नहीं मिलेंगे {n}",
    "सभी बुजुर्ग ध्यान दें! हरियाणा में बुढ़ापा पेंशन 1 अप्रैल से बंद, 3000 रुपये अब नहीं मिलेंगे, आगे भेजें {n}",
    "Haryana sarkar ne budhapa pension 1 April se hamesha ke liye band kar di, ab 3000 rupaye nahi milenge {n}",
    "Sabhi buzurg dhyan dein! budhapa pension 1 April se band, 3000 rupye ab nahi milenge, sabko forward karo {n}",
    "बुढ़ापा पेंशन 1 अप्रैल से हमेशा के लिए बंद, सरकार ने 3000 रुपये देना बंद कर दिया {n}",
]


def claim_event(rng: random.Random, event_start: datetime) -> list[Mention]:
    """The claim's 23 mentions: three portals and twenty accounts within the hour after ``event_start``."""
    found = []
    for number, (title, text) in enumerate(CLAIM_ARTICLES):
        outlet, domain = OUTLETS[3 + number]
        url = f"https://www.{domain}/haryana/budhapa-pension-{number}.html"
        found.append(Mention(id=mention_id_for_url(url), url=url, title=title, text=text,
                             source=Source(name=outlet, domain=domain),
                             published_at=event_start + timedelta(minutes=4 + 20 * number)))
    for number in range(20):
        platform = Platform.x if number % 2 else Platform.facebook
        post_id = f"pension-{number}"
        found.append(Mention(id=mention_id_for_post(platform, post_id), platform=platform, post_id=post_id,
                             text=CLAIM_POSTS[number % len(CLAIM_POSTS)].format(n=rng.randint(10, 99)),
                             source=Source(name=f"@gaon_ki_awaaz{number}"),
                             published_at=event_start + timedelta(minutes=6 + 2.5 * number,
                                                                  seconds=rng.randint(0, 59))))
    return found


def backtest(stream: Stream, store: Path, cwd: Path) -> subprocess.CompletedProcess:
    """``janmat alerts backtest --json`` over the stream's hours."""
    env = {**os.environ, "JANMAT_STORE": f"sqlite:///{store}", "JANMAT_DATA_DIR": str(cwd)}
    shown = subprocess.run([sys.executable, "-m", "janmat", "alerts", "backtest", "--since", stream.start.isoformat(),
                            "--until", stream.end.isoformat(), "--json"], capture_output=True, text=True, env=env,
                           cwd=cwd, timeout=600)
    assert shown.returncode == 0, shown.stderr
    return shown


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Stream, Path, list, WebhookReceiver]]:
    """The stream run live, poll by poll, with the monitor's timers after each poll; then the outbox delivered."""
    data = tmp_path_factory.mktemp("claims-scenario")
    receiver = WebhookReceiver().start()
    patch = pytest.MonkeyPatch()
    patch.setenv("JANMAT_DATA_DIR", str(data))
    patch.setenv("JANMAT_ALERTS_SPIKES_AFTER_RUN", "false")  # the polls below are the monitor's timers
    patch.setenv("JANMAT_NOTIFY_WEBHOOK_URLS", json.dumps([receiver.url + "/hooks/janmat"]))
    patch.setenv("JANMAT_NOTIFY_RETRY_BACKOFF_SECONDS", "1")
    get_settings.cache_clear()
    stream = scripted_stream(event=claim_event, end=END)
    path = data / "janmat.db"
    fired = []
    with open_store(f"sqlite:///{path}") as store:
        claims = claim_store_for(store)
        claims.upsert([CLAIM])
        flow = MentionFlow(store)
        for poll, batch in polls(stream, POLL):
            if batch:
                flow.process((mention.id, mention) for mention in batch)
            fired += [(poll, alert) for alert in evaluate_spikes(store, poll)]
            fired += [(poll, alert) for alert in check_claim_spread(claims, poll)]
        # a restarted monitor checking the event's hour again fires nothing new
        fired += [(stream.end, alert) for alert in check_claim_spread(claims, stream.event_end + POLL)]
    before = outbox_status()
    delivered = [deliver_pending(), deliver_pending()]
    yield stream, path, [*fired, ("outbox", (before, delivered))], receiver
    receiver.stop()
    patch.undo()
    get_settings.cache_clear()


def test_one_claim_alert_within_one_poll_delivered_once_and_nothing_else(scenario) -> None:
    stream, path, fired, receiver = scenario
    before, delivered = fired.pop()[1]
    assert len(fired) == 1, [(poll, alert.kind, alert.rule_id, alert.district, alert.scheme) for poll, alert in fired]
    poll, alert = fired[0]
    assert (alert.kind, alert.rule_id, alert.claim_id) == ("claim", "claim-spread", CLAIM.id)
    # spreading from the 5th mention by the 3rd source on (the defaults): every item here has its own source
    items = sorted(m.published_at for m in stream.mentions if m.id in stream.event_ids)
    settings = get_settings().claims
    assert (settings.spread_min_mentions, settings.spread_min_sources) == (5, 3)
    assert timedelta(0) <= poll - items[4] < POLL
    assert CLAIM.url in alert.reason and len(alert.top) == 3 and {m.id for m in alert.top} <= stream.event_ids
    # queued once, delivered once to the webhook; a second delivery run sends nothing
    assert before["webhook"].pending == 1
    assert [report.delivered for report in delivered] == [1, 0]
    [body] = receiver.alerts()
    assert (body["alert"]["id"], body["alert"]["claim_id"]) == (alert.id, CLAIM.id)
    with open_store(f"sqlite:///{path}") as store, open_alert_state(store) as state:
        assert state.fired() == [] and not state.unsettled(), "no spike rule fired on the claim's mentions"


def test_the_tracker_holds_all_23_items_with_the_rebuttal_linked(scenario) -> None:
    stream, path, _, _ = scenario
    with open_store(f"sqlite:///{path}") as store:
        claims = claim_store_for(store)
        track = track_claim(claims, claims.get(CLAIM.id))
        stored = claims.get(CLAIM.id)
    assert {item.id for item in track.items} == stream.event_ids
    assert track.mentions == 23 and len(track.sources) == 23
    assert track.first_seen.at == min(m.published_at for m in stream.mentions if m.id in stream.event_ids)
    assert track.rebuttals and track.rebuttals[0].url == CLAIM.url
    assert stored.spread_alerts == 1 and stored.last_alert_at is not None


def test_the_backtest_over_the_same_data_lists_no_spike_for_the_claim(scenario, tmp_path: Path) -> None:
    stream, path, _, _ = scenario
    assert backtest(stream, path, tmp_path).stdout.strip() == "", "the claim's mentions raise the claim alert"


def test_the_spike_fires_when_the_claim_is_not_one_that_alerts(scenario, tmp_path: Path) -> None:
    stream, path, _, _ = scenario
    copy = tmp_path / "janmat.db"
    shutil.copyfile(path, copy)
    with open_store(f"sqlite:///{copy}") as store:
        claim_store_for(store).set_status(CLAIM.id, "true")
    shown = backtest(stream, copy, tmp_path)
    rows = [json.loads(line) for line in shown.stdout.splitlines()]
    assert [(row["kind"], row["scheme"]) for row in rows] == [("spike", "old_age_samman")], rows


def test_the_monitor_runs_the_claim_check_on_its_alert_timer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JANMAT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("JANMAT_STORE", f"sqlite:///{tmp_path / 'janmat.db'}")
    monkeypatch.setenv("JANMAT_CLAIMS_SPREAD_CHECK_SECONDS", "45")
    monkeypatch.setenv("JANMAT_NOTIFY_WEBHOOK_URLS", '["http://127.0.0.1:9/hook"]')  # queued, not sent here
    get_settings.cache_clear()
    settings = get_settings()
    job = {job.job_id: job for job in jobs.alert_jobs(settings)}["alert:claims"]
    assert (job.role, job.interval) == ("alert", 45.0)
    now = datetime.now(UTC)
    ago = (now - T0).total_seconds() / 60
    with open_store() as store:
        claim_store_for(store).upsert([CLAIM.model_copy(update={"id": "hghg-band"})])
        store.upsert([sighting(f"p{n}", "hghg-band", ago - 30 + n, source=f"@user{n}") for n in range(6)])
    first = job.run(None)
    again = job.run(None)
    assert (first.status, first.summary) == ("ok", {"alerts": 1})
    assert (again.status, again.summary) == ("ok", {"alerts": 0}), "quiet hours: no second alert"
    assert outbox_status()["webhook"].pending == 1
    get_settings.cache_clear()


def test_a_claim_review_with_missing_or_malformed_fields_is_stored_with_what_it_has(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    record = Mention(
        id="fc1", platform=Platform.factcheck, post_id="https://fc.example.in/p/1", url="https://fc.example.in/p/1",
        text="बुढ़ापा पेंशन बंद होने का दावा", source=Source(name="फ़ैक्ट डेस्क"), lang="hi",
        meta={"claim_review": {"claim": None, "rating": "???", "rating_value": "पांच", "url": "ftp:/broken",
                               "claim_date": "कल", "appearances": "not-a-list", "reviewed_by": None}})
    with caplog.at_level(logging.WARNING, logger="janmat.store.claims_reviews"):
        claim = claim_from_record(record)
    assert claim is not None
    assert (claim.text, claim.status, claim.url, claim.date) == (record.text, "unverified", record.url, None)
    assert claim.reviewer == "फ़ैक्ट डेस्क" and claim.appearances == []
    assert len(claim.problems) >= 4 and len(caplog.records) == len(claim.problems)
    assert all("fc.example.in/p/1" in entry.getMessage() for entry in caplog.records)
    shapeless = record.model_copy(update={"id": "fc2", "meta": {"claim_review": ["not", "an", "object"]}})
    assert claim_from_record(shapeless).text == record.text
    with open_store(f"sqlite:///{tmp_path / 'janmat.db'}") as store:
        claims = claim_store_for(store)
        assert claims.upsert([claim, claim_from_record(shapeless)]).stored == 2
        assert claims.get(claim.id).problems == claim.problems


def test_an_analyst_claim_without_text_is_refused_in_one_line(tmp_path: Path) -> None:
    rows = tmp_path / "claims.jsonl"
    rows.write_text(json.dumps({"id": "khali", "status": "false", "url": "https://e.in/x"}) + "\n", encoding="utf-8")
    env = {**os.environ, "JANMAT_STORE": f"sqlite:///{tmp_path / 'janmat.db'}", "JANMAT_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "janmat", "claims", "add", str(rows)], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=300)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "line 1" in lines[0] and "no text" in lines[0], done.stderr
    with open_store(f"sqlite:///{tmp_path / 'janmat.db'}") as store:
        assert claim_store_for(store).list_claims()[0] == 0
