"""Freshness of ``janmat monitor``: publication in a feed → searchable, and → alert at a webhook.

A local news site (``tests/test_monitor_live_site.py``'s ``LiveNewsSite``) serves ``--sources`` feeds; after a
warm-up, stories appear in random sources at random times (seeded, uniform over ``--minutes``, ``--per-minute`` on
average). A standing query (``kind: match``) per district, and stories taking the districts in turn, make each story
fire one alert to a local webhook receiver. The benchmark watches the store (a search for the newest mentions
every half second) and the receiver, and times each story from the moment it entered its feed.

Two runners, one after the other, measured the same way with the same polling interval (``--interval``, 30 s):

1. ``janmat monitor --role crawl,alert`` with its defaults but the polling interval: each source polled on its own
   timer, probe first, a crawl child per changed source that fetches and hands over to the monitor's inbox; the
   monitor enriches, stores and alerts with its models loaded once, and sends the outbox every
   ``JANMAT_MONITOR_DELIVER_INTERVAL_SECONDS`` (5 s).
2. Baseline: the old deploy loop, made as fast as it gets: one ``scrapy crawl news`` over every source, then
   ``janmat alerts deliver``, then sleep for the interval, sequentially.

Both crawl with ``DOWNLOAD_DELAY=0`` and AutoThrottle off: all sources here share one host, 127.0.0.1, where real
ones are separate hosts, so a per-host delay would serialise sources that are polled in parallel in real life. The
sample articles share their body text (one near-duplicate cluster), so ``JANMAT_ALERTS_STORY_WINDOW`` is 1 s: each story
is its own alert.

Targets (issue 13): p95 publication → searchable < 60 s, publication → webhook < 75 s.

Measured (full run, 20 sources, 5 min, 30 stories; docs/alerts.md "Freshness, measured"): monitor p95 searchable
32.5 s, webhook 33.2 s; the crawl-all loop in the same run 36.9 s and 38.1 s (1.13x, 1.15x).

Run:  .venv/bin/python benchmarks/freshness.py [--minutes 5] [--sources 20] [--interval 30] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawlers.process import spider_env, start_spider  # noqa: E402
from janmat.alerts.rules import parse_rule  # noqa: E402
from janmat.alerts.storage import open_alert_state  # noqa: E402
from janmat.core.urls import mention_id_for_page  # noqa: E402
from janmat.store import MentionQuery, open_store  # noqa: E402
from tests.fakes.alert_receivers import WebhookReceiver  # noqa: E402
from tests.fakes.server import Answer, Seen  # noqa: E402
from tests.test_monitor_live_site import LiveNewsSite, Story  # noqa: E402

CRAWL_SETTINGS = {"AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY": "0"}
DISTRICTS = ["हिसार", "रोहतक", "करनाल", "सिरसा", "पानीपत", "अंबाला", "भिवानी", "जींद", "कैथल", "सोनीपत",
             "फरीदाबाद", "गुरुग्राम", "कुरुक्षेत्र", "यमुनानगर", "पंचकूला", "रेवाड़ी"]
"""One standing query per district; stories take the district used longest ago, so no rule's one-minute
cool-down (the shortest a rule may have) holds a story's alert back."""
SCHEMES = ["आयुष्मान भारत योजना", "चिरायु हरियाणा", "मेरी फसल मेरा ब्योरा", "परिवार पहचान पत्र"]


class TimedReceiver(WebhookReceiver):
    """A webhook receiver that notes when each mention id first arrived in an alert (monotonic clock)."""

    def __init__(self) -> None:
        super().__init__()
        self.first_seen: dict[str, float] = {}

    def route(self, request: Seen) -> Answer:
        arrived = time.monotonic()
        answer = super().route(request)
        try:
            top = json.loads(request.body)["alert"].get("top", [])
        except (ValueError, KeyError, TypeError):
            return answer
        with self.lock:
            for mention in top:
                self.first_seen.setdefault(str(mention.get("id")), arrived)
        return answer


class StoreWatch(threading.Thread):
    """Searches the store for its newest mentions every ``period`` seconds; notes when each id first showed."""

    def __init__(self, db: Path, period: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.db, self.period = db, period
        self.first_seen: dict[str, float] = {}
        self.halt = threading.Event()
        self.failures = 0
        self.last_failure = ""

    def run(self) -> None:
        while not self.halt.wait(self.period):
            if not self.db.exists():
                continue
            try:
                with open_store(f"sqlite:///{self.db}") as store:
                    hits = store.search(MentionQuery(limit=200, sort="newest")).hits
            except Exception as exc:  # a store being created or migrated by the crawl: look again next time
                self.failures += 1
                self.last_failure = f"{exc.__class__.__name__}: {exc}"
                continue
            now = time.monotonic()
            for hit in hits:
                self.first_seen.setdefault(hit.mention.id, now)


@dataclass
class Leg:
    """Delays (seconds) of the stories that arrived, and how many never did."""

    delays: list[float] = field(default_factory=list)
    missing: int = 0

    def cells(self) -> list[str]:
        if not self.delays:
            return ["–", "–", "–"]
        return [f"{statistics.median(self.delays):.1f} s", f"{p95(self.delays):.1f} s", f"{max(self.delays):.1f} s"]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class Runner:
    """Something that polls the site's sources into a store and sends alerts: started, then stopped."""

    name = ""

    def __init__(self, env: dict[str, str], registry: Path, folder: Path, interval: float) -> None:
        self.env, self.registry, self.folder, self.interval = env, registry, folder, interval

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError


class MonitorRunner(Runner):
    """``janmat monitor --role crawl,alert`` as a child process."""

    name = "janmat monitor"

    def start(self) -> None:
        env = {**self.env, "JANMAT_MONITOR_REGISTRY": str(self.registry),
               "JANMAT_MONITOR_CRAWL_INTERVAL_SECONDS": str(self.interval),
               "JANMAT_MONITOR_CRAWL_SETTINGS": json.dumps(CRAWL_SETTINGS), "JANMAT_MONITOR_METRICS_PORT": "0"}
        self.log = (self.folder / "monitor.log").open("wb")
        self.process = subprocess.Popen([sys.executable, "-m", "janmat", "monitor", "--role", "crawl,alert"],
                                        cwd=REPO, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)
            self.process.wait()
        self.log.close()


class LoopRunner(Runner):
    """The old deploy loop: crawl every source in one Scrapy run, send the outbox, sleep, again."""

    name = "baseline: crawl-all loop"

    def start(self) -> None:
        self.halt = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        env = spider_env(**self.env)
        settings = CRAWL_SETTINGS  # no JOBDIR: a kept one would keep its crawl round, and feeds are read once a round
        with (self.folder / "loop.log").open("w", encoding="utf-8") as log:
            while not self.halt.is_set():
                start_spider("news", {"registry": str(self.registry)}, settings, cwd=self.folder, output=log,
                             env=env).wait()
                subprocess.run([sys.executable, "-m", "janmat", "alerts", "deliver"], cwd=REPO, env=env,
                               stdout=log, stderr=subprocess.STDOUT, check=False)
                self.halt.wait(self.interval)

    def stop(self) -> None:
        self.halt.set()
        self.thread.join(timeout=600)


@dataclass
class Result:
    """One runner's measurements."""

    name: str
    stories: int
    searchable: Leg
    webhook: Leg
    warmup: float


def schedule(minutes: float, per_minute: float, sources: int, seed: int) -> list[tuple[float, int]]:
    """(seconds after the start, source) of each story to publish, in time order."""
    rng = random.Random(seed)
    count = max(1, round(minutes * per_minute))
    return sorted((rng.uniform(0, minutes * 60), rng.randrange(sources)) for _ in range(count))


def add_rules(db: Path) -> None:
    """A standing query per district, sent by webhook, in the store at ``db``."""
    with open_store(f"sqlite:///{db}") as store, open_alert_state(store) as state:
        for district in DISTRICTS:
            state.add_rule(parse_rule({"name": f"{district} (freshness)", "kind": "match", "districts": [district],
                                       "cooldown": "1m", "channels": ["webhook"]}))


def wait_until(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)
    return True


def measure(make: type[Runner], args: argparse.Namespace, console: Console) -> Result:
    """Run one runner against a fresh site, store, receiver and rule; publish the schedule; time every story."""
    with tempfile.TemporaryDirectory(prefix="janmat-fresh-") as scratch, LiveNewsSite(args.sources) as site:
        folder = Path(scratch)
        receiver = TimedReceiver().start()
        data = folder / "data"
        data.mkdir()
        env = {"JANMAT_DATA_DIR": str(data), "JANMAT_STORE": f"sqlite:///{data / 'janmat.db'}",
               "JANMAT_NOTIFY_WEBHOOK_URLS": json.dumps([receiver.url + "/hook"]),
               "JANMAT_ALERTS_STORY_WINDOW": "1s", "PYTHONIOENCODING": "utf-8"}
        env = {**{k: v for k, v in os.environ.items() if k != "JANMAT_REDIS_URL"}, **env}
        add_rules(data / "janmat.db")
        runner = make(env, site.write_registry(folder / "sources.yaml"), folder, args.interval)
        watch = StoreWatch(data / "janmat.db")
        watch.start()
        began = time.monotonic()
        runner.start()
        try:
            # warm: every feed read twice, so each source's first crawl (an empty feed) is behind us
            if not wait_until(lambda: all(len(site.feed_times(n)) >= 2 for n in range(args.sources)), 600):
                console.print(f"[red]{make.name}: not every source was polled twice within 600 s")
            warmup = time.monotonic() - began
            console.print(f"{make.name}: warm after {warmup:.0f} s; publishing for {args.minutes} min")
            stories: list[Story] = []
            start = time.monotonic()
            for number, (at, source) in enumerate(schedule(args.minutes, args.per_minute, args.sources, args.seed)):
                time.sleep(max(0.0, start + at - time.monotonic()))
                stories.append(site.publish(source, district=DISTRICTS[number % len(DISTRICTS)],
                                            scheme=SCHEMES[number % len(SCHEMES)]))
            ids = {mention_id_for_page(site.url_of(story)): story for story in stories}
            wait_until(lambda: set(ids) <= set(watch.first_seen) and set(ids) <= set(receiver.first_seen),
                       3 * args.interval + 120)
        finally:
            runner.stop()
            watch.halt.set()
            receiver.stop()
            if watch.failures:
                console.print(f"[yellow]{make.name}: the store could not be read {watch.failures} time(s); last: "
                              f"{watch.last_failure}")
            if args.logs:
                keep = args.logs / make.__name__
                shutil.copytree(folder, keep, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.db*", "jobs"))
        return Result(make.name, len(stories), leg(ids, watch.first_seen), leg(ids, receiver.first_seen), warmup)


def leg(ids: dict[str, Story], seen: dict[str, float]) -> Leg:
    """Delays from each story's publication to when ``seen`` first had it."""
    found = Leg()
    for mention_id, story in ids.items():
        if mention_id in seen:
            found.delays.append(seen[mention_id] - story.published_monotonic)
        else:
            found.missing += 1
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="how long stories keep appearing")
    parser.add_argument("--sources", type=int, default=20)
    parser.add_argument("--interval", type=float, default=30.0, help="polling interval, seconds (the baseline's sleep)")
    parser.add_argument("--per-minute", type=float, default=6.0, help="stories per minute, over all sources")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--quick", action="store_true", help="1.5 minutes, 5 sources (a smoke run)")
    parser.add_argument("--logs", type=Path, help="copy each runner's logs and state here")
    parser.add_argument("--no-baseline", action="store_true", help="measure the monitor only")
    args = parser.parse_args()
    if args.quick:
        args.minutes, args.sources = 1.5, 5
    console = Console(width=150)
    runners: list[type[Runner]] = [MonitorRunner] + ([] if args.no_baseline else [LoopRunner])
    results = [measure(make, args, console) for make in runners]
    table = Table(title=f"Freshness: {args.sources} sources, {args.minutes:g} min of stories, "
                        f"{args.interval:g} s polling", title_justify="left")
    for column in ("runner", "stories", "warm-up", "→ searchable p50", "p95", "max", "missing",
                   "→ webhook p50", "p95", "max", "missing"):
        table.add_column(column)
    for result in results:
        table.add_row(result.name, str(result.stories), f"{result.warmup:.0f} s", *result.searchable.cells(),
                      str(result.searchable.missing), *result.webhook.cells(), str(result.webhook.missing))
    console.print(table)
    monitor = results[0]
    if monitor.searchable.delays and monitor.webhook.delays:
        console.print(f"targets: p95 searchable {p95(monitor.searchable.delays):.1f} s (< 60 s), "
                      f"p95 webhook {p95(monitor.webhook.delays):.1f} s (< 75 s)")
    if len(results) > 1 and all(r.searchable.delays and r.webhook.delays for r in results):
        base = results[1]
        console.print(f"baseline p95 / monitor p95: searchable "
                      f"{p95(base.searchable.delays) / p95(monitor.searchable.delays):.2f}×, webhook "
                      f"{p95(base.webhook.delays) / p95(monitor.webhook.delays):.2f}×")


if __name__ == "__main__":
    main()
