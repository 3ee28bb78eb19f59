"""``janmat monitor`` as a real long-running process against a live local news site, a real store and real crawls.

Each test starts ``python -m janmat monitor`` as a child process with short intervals, publishes articles on the
site (``tests/test_monitor_live_site.py``) and checks the store, the job book (``janmat monitor status --json``),
the metrics endpoint and the site's own record of what was fetched.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from itertools import pairwise
from pathlib import Path

import httpx
import pytest

from janmat.core.urls import mention_id_for_page
from janmat.store import MentionQuery, open_store
from tests.fakes.alert_receivers import WebhookReceiver, free_port, sample_alert
from tests.local_site import REPO
from tests.test_crawl_redis import redis_url  # noqa: F401 - the private Redis server fixture
from tests.test_monitor_live_site import LiveNewsSite

FAST_CRAWL = {"AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY": "0", "JANMAT_STORE_BATCH": "1",
              "CONCURRENT_REQUESTS": "2", "LOG_LEVEL": "INFO"}


class MonitorProcess:
    """One ``janmat monitor`` child process with its own data dir (or a shared store), and its log."""

    def __init__(self, data_dir: Path, registry: Path | None, **env: str) -> None:
        self.data_dir = data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        self.env = {**os.environ, "JANMAT_DATA_DIR": str(data_dir), "PYTHONIOENCODING": "utf-8",
                    "JANMAT_MONITOR_CRAWL_SETTINGS": json.dumps(FAST_CRAWL), "JANMAT_MONITOR_METRICS_PORT": "0",
                    "JANMAT_MONITOR_LEASE_SECONDS": "6", **env}
        if registry:
            self.env["JANMAT_MONITOR_REGISTRY"] = str(registry)
        if "JANMAT_REDIS_URL" not in env:
            self.env.pop("JANMAT_REDIS_URL", None)
        self.process: subprocess.Popen[bytes] | None = None
        self.logs: list[Path] = []

    def start(self, role: str = "crawl") -> MonitorProcess:
        """Start the monitor in its own process group (so a test can kill it with its crawls, like a crash)."""
        log = self.data_dir / f"monitor-{len(self.logs)}.log"
        self.logs.append(log)
        with log.open("wb") as output:
            self.process = subprocess.Popen([sys.executable, "-m", "janmat", "monitor", "--role", role], cwd=REPO,
                                            env=self.env, stdout=output, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        return self

    def log_text(self) -> str:
        """Everything every start of this monitor logged."""
        return "".join(log.read_text(encoding="utf-8", errors="replace") for log in self.logs)

    def terminate(self) -> tuple[int, float]:
        """SIGTERM; returns the exit status and how long the monitor took to exit."""
        assert self.process is not None
        began = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        status = self.process.wait(timeout=60)
        return status, time.monotonic() - began

    def kill(self, whole_group: bool) -> None:
        """SIGKILL the monitor, and its crawls too when ``whole_group`` (a crash of the machine)."""
        assert self.process is not None
        if whole_group:
            os.killpg(self.process.pid, signal.SIGKILL)
        else:
            self.process.kill()
        self.process.wait(timeout=10)

    def status(self) -> dict:
        """``janmat monitor status --json``."""
        done = subprocess.run([sys.executable, "-m", "janmat", "monitor", "status", "--json"], cwd=REPO,
                              env=self.env, capture_output=True, text=True, timeout=60, check=True)
        return json.loads(done.stdout)

    def jobs(self) -> dict[str, dict]:
        """The status's jobs by id."""
        return {job["job_id"]: job for job in self.status()["jobs"]}

    def stop_if_running(self) -> None:
        """Kill the monitor and its crawls if a test left it running."""
        if self.process is not None and self.process.poll() is None:
            self.kill(whole_group=True)


def store_ids(data_dir: Path) -> list[str]:
    """Ids of every mention in the embedded store of ``data_dir`` (a list: a duplicate would show twice)."""
    return ids_in(data_dir / "janmat.db")


def ids_in(path: Path) -> list[str]:
    """Ids of every mention in the SQLite store at ``path`` (none when it is not there yet)."""
    if not path.exists():
        return []
    with open_store(f"sqlite:///{path}") as store:
        return [hit.mention.id for hit in store.search(MentionQuery(limit=1000, sort="newest")).hits]


def wait_for(condition: Callable[[], object], timeout: float, what: str, monitor: MonitorProcess) -> object:
    """Poll ``condition`` until it is truthy; fail with the monitor's log when it never is."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if monitor.process is not None and monitor.process.poll() is not None:
            code = monitor.process.returncode
            pytest.fail(f"the monitor exited ({code}) before {what}:\n{monitor.log_text()[-4000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}:\n{monitor.log_text()[-4000:]}")
        time.sleep(0.3)


def why_failed(job: dict, monitor: MonitorProcess) -> str:
    """A job's record, its last error, the log of its last failed crawl and the monitor's log, for a failure."""
    failed_log = monitor.data_dir / "state" / "monitor" / "logs" / f"crawl-{job['job_id'].split(':', 1)[1]}.failed.log"
    crawl_log = failed_log.read_text(encoding="utf-8")[-3000:] if failed_log.exists() else "(no failed crawl's log)"
    return (f"{job}\nlast error: {job['last_error']}\nfailed crawl's log:\n{crawl_log}\n"
            f"monitor's log:\n{monitor.log_text()[-3000:]}")


def ids_of(site: LiveNewsSite, *sources: int) -> set[str]:
    """The mention ids of every story the given sources published."""
    return {mention_id_for_page(site.url_of(story)) for n in sources for story in site.stories[n]}


@pytest.fixture
def site() -> Iterator[LiveNewsSite]:
    with LiveNewsSite(3) as live:
        yield live


@pytest.fixture
def monitors() -> Iterator[list[MonitorProcess]]:
    """Monitors a test started; any left running are killed with their crawls."""
    started: list[MonitorProcess] = []
    yield started
    for monitor in started:
        monitor.stop_if_running()


def test_new_articles_are_stored_searchable_counted_and_shown_in_status(site, tmp_path, monitors) -> None:
    site.publish(0, district="हिसार")
    site.publish(0, district="रोहतक")
    site.publish(1, district="करनाल")
    port = free_port()
    monitor = MonitorProcess(tmp_path / "data", site.write_registry(tmp_path / "sources.yaml"),
                             JANMAT_MONITOR_CRAWL_INTERVAL_SECONDS="3", JANMAT_MONITOR_METRICS_PORT=str(port))
    monitors.append(monitor.start())
    wait_for(lambda: set(store_ids(monitor.data_dir)) == ids_of(site, 0, 1), 120, "the first stories", monitor)

    late = site.publish(2, title="सिरसा में चिरायु योजना के शिविर में देर रात तक भीड़")
    wait_for(lambda: mention_id_for_page(site.url_of(late)) in store_ids(monitor.data_dir), 60, "a new story",
             monitor)
    with open_store(f"sqlite:///{monitor.data_dir / 'janmat.db'}") as store:
        found = store.search(MentionQuery(text="सिरसा भीड़"))
    assert [hit.mention.id for hit in found.hits] == [mention_id_for_page(site.url_of(late))]

    def scrape() -> str:
        return httpx.get(f"http://127.0.0.1:{port}/metrics").text

    # the crawl's counts reach the metrics when its process has ended, a moment after its last store
    wait_for(lambda: 'janmat_mentions_stored_total{source="live-02"} 1.0' in scrape(), 30, "the counts", monitor)
    scraped = scrape()
    assert 'janmat_mentions_stored_total{source="live-00"} 2.0' in scraped
    assert 'janmat_mentions_in_total{source="live-00"} 2.0' in scraped
    assert 'janmat_mentions_rejected_total{source="live-00"} 0.0' in scraped
    assert 'janmat_monitor_job_lag_seconds{job="crawl:live-01"}' in scraped
    assert 'janmat_monitor_queue_depth{queue="outbox"} 0.0' in scraped

    status, seconds = monitor.terminate()
    assert status == 0 and seconds < 30
    jobs = monitor.jobs()
    assert set(jobs) == {"crawl:live-00", "crawl:live-01", "crawl:live-02"}
    for job in jobs.values():
        assert job["runs"] >= 1 and job["failures"] == 0, why_failed(job, monitor)
        assert job["status"] in ("ok", "unchanged", "interrupted"), job
        assert job["last_ok"] is not None
    assert jobs["crawl:live-00"]["runs"] >= 2  # polled again after its first crawl (its feed had not changed)
    assert sum(job["summary"].get("queued", 0) for job in jobs.values()) <= 3  # the last runs, not the totals
    shown = subprocess.run([sys.executable, "-m", "janmat", "monitor", "status"], cwd=REPO, env=monitor.env,
                           capture_output=True, text=True, timeout=60, check=True).stdout
    assert "crawl:live-02" in shown and "Waiting: 0 crawled mentions in the inbox, 0 mentions in the spool" in shown
    assert len(site.fetched) == 4 and all(len(times) == 1 for times in site.fetched.values())


def test_a_restarted_monitor_resumes_on_schedule(site, tmp_path, monitors) -> None:
    site.publish(0)
    monitor = MonitorProcess(tmp_path / "data", site.write_registry(tmp_path / "sources.yaml"),
                             JANMAT_MONITOR_CRAWL_INTERVAL_SECONDS="20")
    monitors.append(monitor.start())
    wait_for(lambda: all(job["runs"] >= 1 for job in monitor.jobs().values()) and len(monitor.jobs()) == 3, 90,
             "a first run of every source", monitor)
    assert monitor.terminate()[0] == 0
    before = monitor.jobs()
    waiting = site.publish(1)

    monitor.start()
    wait_for(lambda: monitor.jobs()["crawl:live-01"]["runs"] > before["crawl:live-01"]["runs"], 90,
             "a run after the restart", monitor)
    # the crawl hands the story to the inbox; the monitor stores it a moment later
    wait_for(lambda: mention_id_for_page(site.url_of(waiting)) in store_ids(monitor.data_dir), 60,
             "the story stored", monitor)
    after = monitor.jobs()
    for job_id, job in after.items():
        previous = before[job_id]
        if job["runs"] > previous["runs"]:  # a run after the restart waited for the due time of the old schedule
            started = _stamp(job["last_started"])
            assert started >= _stamp(previous["next_due"]) - 5.0, (job_id, previous, job)
    assert after["crawl:live-01"]["status"] == "ok"


def test_sigterm_mid_crawl_exits_within_30_seconds_and_the_next_start_resumes_the_queue(tmp_path, monitors) -> None:
    with LiveNewsSite(1) as site:
        stories = [site.publish(0) for _ in range(10)]
        site.delay_seconds = 1.0
        monitor = MonitorProcess(tmp_path / "data", site.write_registry(tmp_path / "sources.yaml"),
                                 JANMAT_MONITOR_CRAWL_INTERVAL_SECONDS="300")
        monitors.append(monitor.start())
        wait_for(lambda: len(site.fetched) >= 3, 90, "a crawl under way", monitor)
        status, seconds = monitor.terminate()
        assert status == 0 and seconds < 30
        job = monitor.jobs()["crawl:live-00"]
        assert job["status"] == "interrupted"
        assert (monitor.data_dir / "state" / "jobs" / "monitor-live-00").is_dir(), "the queue was not saved"
        assert len(site.fetched) < len(stories), "the crawl finished before the stop; nothing to resume"
        feed_hits = site.hits["/s00/feed.xml"]

        site.delay_seconds = 0.0
        monitor.start()
        wait_for(lambda: monitor.jobs()["crawl:live-00"]["status"] == "ok", 90, "the resumed crawl", monitor)
        wait_for(lambda: len(store_ids(monitor.data_dir)) == len(stories), 60, "the inbox drained", monitor)
        assert sorted(store_ids(monitor.data_dir)) == sorted(ids_of(site, 0))
        assert site.hits["/s00/feed.xml"] == feed_hits  # it resumed the saved queue, it did not start over
        assert all(len(times) <= 2 for times in site.fetched.values())
        assert monitor.terminate()[0] == 0


@pytest.mark.parametrize("whole_group", [True, False], ids=["monitor-and-crawl-killed", "monitor-killed-crawl-left"])
def test_sigkill_mid_run_then_restart_loses_no_mention_and_stores_none_twice(tmp_path, monitors,
                                                                             whole_group) -> None:
    with LiveNewsSite(1) as site:
        for _ in range(8):
            site.publish(0)
        site.delay_seconds = 4.0  # slow enough that a crawl left running outlives the restart
        monitor = MonitorProcess(tmp_path / "data", site.write_registry(tmp_path / "sources.yaml"),
                                 JANMAT_MONITOR_CRAWL_INTERVAL_SECONDS="300")
        monitors.append(monitor.start())
        wait_for(lambda: len(store_ids(monitor.data_dir)) >= 2, 90, "some stories stored", monitor)
        monitor.kill(whole_group)
        assert len(store_ids(monitor.data_dir)) < 8, "the crawl finished before the kill"
        for _ in range(2):
            site.publish(0)  # more news while it is down

        if whole_group:
            site.delay_seconds = 0.0
        monitor.env["JANMAT_MONITOR_CRAWL_INTERVAL_SECONDS"] = "3"  # a resumed queue ends; the next poll is soon
        monitor.start()
        if not whole_group:
            wait_for(lambda: "a previous monitor left running" in monitor.log_text(), 60,
                     "the crawl left running stopped", monitor)
            site.delay_seconds = 0.0
        wait_for(lambda: len(store_ids(monitor.data_dir)) >= 10, 120, "every story after the restart", monitor)
        # ok, or unchanged: a probe that found nothing new, which only follows a crawl that finished
        wait_for(lambda: monitor.jobs()["crawl:live-00"]["status"] in ("ok", "unchanged"), 60,
                 "a run that ended well", monitor)
        stored = store_ids(monitor.data_dir)
        assert sorted(stored) == sorted(ids_of(site, 0))  # every story once: none lost, none twice
        assert len(stored) == len(set(stored)) == 10
        assert monitor.terminate()[0] == 0


@pytest.mark.redis
def test_two_monitors_on_one_redis_never_run_the_same_job_twice(site, tmp_path, monitors, redis_url) -> None:  # noqa: F811
    interval = 5.0
    for n in range(3):
        site.publish(n)
    registry = site.write_registry(tmp_path / "sources.yaml")
    shared = {"JANMAT_REDIS_URL": redis_url, "JANMAT_STORE": f"sqlite:///{tmp_path / 'shared.db'}",
              "JANMAT_MONITOR_CRAWL_INTERVAL_SECONDS": str(interval), "JANMAT_MONITOR_PROBE": "false",
              "JANMAT_CRAWL_FRONTIER_IDLE_SECONDS": "0.5", "JANMAT_MONITOR_CRAWL_WORKERS": "1"}
    pair = [MonitorProcess(tmp_path / name, registry, **shared) for name in ("one", "two")]
    monitors.extend(pair)
    began = time.monotonic()
    for monitor in pair:
        monitor.start("crawl,alert")
    time.sleep(30)
    site.publish(1)
    # under load a poll, its hand-off and the drain can take longer than one interval; wait for the story, then
    # let both monitors poll a few more times before stopping them
    wait_for(lambda: sorted(ids_in(tmp_path / "shared.db")) == sorted(ids_of(site, 0, 1, 2)), 90,
             "the late story", pair[0])
    time.sleep(2 * interval)
    for monitor in pair:
        assert monitor.terminate()[0] == 0
    elapsed = time.monotonic() - began

    ran_by = {name: monitor.log_text().count(": ok in") for name, monitor in zip(("one", "two"), pair, strict=True)}
    assert all(ran_by.values()), f"both monitors should have taken jobs: {ran_by}"
    for n in range(3):
        times = site.feed_times(n)
        gaps = [later - earlier for earlier, later in pairwise(times)]
        assert times and all(gap >= interval * 0.75 - 0.5 for gap in gaps), (n, gaps)
        assert len(times) <= elapsed / (interval * 0.75) + 1
    with open_store(f"sqlite:///{tmp_path / 'shared.db'}") as store:
        ids = [hit.mention.id for hit in store.search(MentionQuery(limit=100)).hits]
    assert sorted(ids) == sorted(ids_of(site, 0, 1, 2))
    assert {job["job_id"] for job in pair[0].status()["jobs"]} >= {"crawl:live-00", "alert:deliver"}


def test_the_alert_role_delivers_the_outbox_once_across_restarts(tmp_path, monitors) -> None:
    data = tmp_path / "data"
    alert = sample_alert(1, channels=["webhook"])
    receiver = WebhookReceiver().start()
    try:
        env = {"JANMAT_NOTIFY_WEBHOOK_URLS": json.dumps([receiver.url + "/hook"]),
               "JANMAT_MONITOR_DELIVER_INTERVAL_SECONDS": "1", "JANMAT_NOTIFY_TIMEOUT_SECONDS": "5"}
        _enqueue(data, env, alert)
        monitor = MonitorProcess(data, None, **env)
        monitors.append(monitor.start("alert"))
        wait_for(lambda: len(receiver.received) == 1, 60, "the alert at the webhook", monitor)
        assert monitor.terminate()[0] == 0
        monitor.start("alert")
        wait_for(lambda: monitor.jobs()["alert:deliver"]["runs"] >= 3, 60, "more delivery runs", monitor)
        assert monitor.terminate()[0] == 0
        assert len(receiver.received) == 1
    finally:
        receiver.stop()
    found = monitor.status()
    assert [(a["alert_id"], a["delivery"]) for a in found["last_alerts"]] == [(alert.id, "delivered")]
    jobs = {job["job_id"]: job for job in found["jobs"]}
    assert jobs["alert:deliver"]["failures"] == 0
    assert jobs["alert:spikes"]["status"] in ("ok", "skipped")


def _enqueue(data: Path, env: dict[str, str], alert: object) -> None:
    """Queue an alert in the outbox of ``data`` as the rules engine would (in a child, with that data dir)."""
    code = ("import sys; from janmat.alerts.model import Alert; from janmat.alerts.notify import enqueue; "
            "enqueue(Alert.model_validate_json(sys.stdin.read()))")
    subprocess.run([sys.executable, "-c", code], input=alert.model_dump_json(), text=True, cwd=REPO, check=True,
                   env={**os.environ, **env, "JANMAT_DATA_DIR": str(data)}, timeout=60)


def _stamp(value: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(value).timestamp()
