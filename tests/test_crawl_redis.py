"""Scale-out: two crawler processes share one Redis frontier, and every URL is fetched exactly once."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest
import redis

from janmat.store import MentionQuery, open_store
from janmat.urls import mention_id_for_page
from tests.conftest import shared_data
from tests.local_site import REPO, SavedPagesSite, crawl_command, crawl_env, hindi_rows, write_registry
from tests.test_crawl_spider import FEED, VIDEO_PAGE, saved_source

pytestmark = pytest.mark.redis


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def redis_url(tmp_path):
    """A real redis-server on a free loopback port, without persistence, stopped after the test."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install -y redis-server)")
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


def test_two_processes_share_the_frontier_and_fetch_each_url_once(tmp_path, redis_url) -> None:
    with SavedPagesSite(shared_data("web")) as site:
        site.delay_seconds = 1.0  # slow pages, so the second process joins while work is left
        registry = write_registry(tmp_path / "sources.yaml", [saved_source()])
        env = crawl_env(JANMAT_REDIS_URL=redis_url)
        workers = []
        for name in ("one", "two"):
            command = crawl_command(
                "feeds", registry, "saved-hindi", site.base_url, f"sqlite:///{tmp_path / name}.db",
                tmp_path / f"state-{name}", "CONCURRENT_REQUESTS=1", "JANMAT_CRAWL_ROUND=test-round",
                "JANMAT_FRONTIER_IDLE_SECONDS=3",
            )
            workers.append(subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE,
                                            stderr=subprocess.PIPE, text=True))
        for worker in workers:
            _, stderr = worker.communicate(timeout=180)
            assert worker.returncode == 0, stderr[-3000:]
            assert "'SCHEDULER': 'scrapy_redis.scheduler.Scheduler'" in stderr

        rows = hindi_rows(site)
        assert {path: count for path, count in site.hits.items() if path in site.pages} == {
            site.path_of(row["url"]): 1 for row in rows
        }
        assert site.hits[site.path_of(FEED)] == 1

    per_process = []
    for name in ("one", "two"):
        with open_store(f"sqlite:///{tmp_path / name}.db") as store:
            per_process.append({hit.mention.id for hit in store.search(MentionQuery(limit=100)).hits})
    expected = {mention_id_for_page(row["url"]) for row in rows if row["file"] != VIDEO_PAGE}
    assert per_process[0] | per_process[1] == expected
    assert not per_process[0] & per_process[1]
    assert per_process[0] and per_process[1], "both processes should have taken work from the shared frontier"
    client = redis.Redis.from_url(redis_url)
    assert client.exists("janmat:feeds:dupefilter")
