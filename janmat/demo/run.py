"""``janmat demo``: serve the sample site on 127.0.0.1, crawl it through the whole pipeline, count what was stored.

The crawl runs as ``python -m scrapy crawl news`` in a child process: Twisted's reactor cannot be restarted in
one process, so a subprocess is what stays correct when the demo is run twice or from inside another program.
The child gets the demo registry, the server's address as ``base_url`` and a fresh state directory (the demo
always crawls everything; its Mentions have stable ids, so a second demo run updates instead of duplicating).
"""

from __future__ import annotations

import json
import logging
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from crawlers.process import spider_env, start_spider
from janmat.core.errors import JanmatError
from janmat.core.settings import get_settings
from janmat.demo.server import SITE_DIR, SiteServer
from janmat.store import open_store
from janmat.store.base import MentionQuery

log = logging.getLogger(__name__)

DEMO_REGISTRY = Path(__file__).with_name("sources.yaml")
DEMO_SOURCE_KEY = "janmat-samachar"
_ARTICLE_PATH = re.compile(r"-\d{5}\.html$")
_CRAWL_TIMEOUT_SECONDS = 300


@dataclass
class DemoSummary:
    """What the demo stored: totals and counts by district, scheme, sentiment and language."""

    store_url: str
    total: int
    with_district: int
    with_scheme: int
    counts: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    pages_fetched: int = 0
    fetched_paths: dict[str, int] = field(default_factory=dict)
    """How often the demo server answered each path (so callers can see what the crawler fetched)."""
    seconds: float = 0.0


def _crawl_settings(store_url: str, state_dir: Path) -> dict[str, str]:
    return {
        "JANMAT_STORE": store_url,
        "JANMAT_STATE_DIR": str(state_dir),
        "LOG_LEVEL": "WARNING",
        # A local server needs no politeness delay; the production defaults stay in crawlers/settings.py.
        "AUTOTHROTTLE_ENABLED": "False",
        "DOWNLOAD_DELAY": "0",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
        "JANMAT_STORE_BATCH": "25",
    }


def _expected_articles(site: Path) -> int | None:
    manifest = site / "manifest.json"
    try:
        return len(json.loads(manifest.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def _run_crawl(server: SiteServer, store_url: str, progress: bool) -> None:
    env = spider_env(unset=("JANMAT_REDIS_URL", "JANMAT_CRAWL_REDIS_URL"))  # the demo is one process on one machine
    args = {"registry": str(DEMO_REGISTRY), "source": DEMO_SOURCE_KEY, "base_url": server.base_url}
    with tempfile.TemporaryDirectory(prefix="janmat-demo-") as scratch:
        settings = _crawl_settings(store_url, Path(scratch) / "state")
        stderr_path = Path(scratch) / "crawl.log"
        with stderr_path.open("w", encoding="utf-8") as stderr, Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=Console(stderr=True), transient=True, disable=not progress,
        ) as bar:
            task = bar.add_task("crawl → tag → store", total=_expected_articles(server.root))
            child = start_spider("news", args, settings, cwd=scratch, output=stderr, env=env)
            started = time.monotonic()
            while child.poll() is None:
                fetched = sum(1 for path in list(server.hits) if _ARTICLE_PATH.search(path))
                bar.update(task, completed=fetched)
                if time.monotonic() - started > _CRAWL_TIMEOUT_SECONDS:
                    child.kill()
                    raise JanmatError(f"the demo crawl did not finish within {_CRAWL_TIMEOUT_SECONDS} s")
                time.sleep(0.2)
        if child.returncode != 0:
            tail = stderr_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-8:]
            raise JanmatError("the demo crawl failed:\n" + "\n".join(tail))


def summarize(store_url: str) -> DemoSummary:
    """Counts of the demo source's mentions in a store."""
    from crawlers.sources import load_registry

    source_name = load_registry(DEMO_REGISTRY).get(DEMO_SOURCE_KEY).name
    query = MentionQuery(sources=[source_name])
    with open_store(store_url) as store:
        store.refresh()  # search engines make the crawl's writes searchable within a second; count them all
        counts = {facet: store.counts(facet, query) for facet in ("district", "scheme", "sentiment", "lang")}
        total = store.count(query)
        with_district = with_scheme = 0
        offset = 0
        while offset < total:
            page = store.search(query.model_copy(update={"limit": 500, "offset": offset}))
            if not page.hits:
                break
            with_district += sum(1 for hit in page.hits if hit.mention.districts)
            with_scheme += sum(1 for hit in page.hits if hit.mention.schemes)
            offset += len(page.hits)
    return DemoSummary(store_url=store_url, total=total, with_district=with_district, with_scheme=with_scheme,
                       counts=counts)


def run_demo(store_url: str | None = None, progress: bool = True, site: Path = SITE_DIR) -> DemoSummary:
    """Serve the sample site, crawl it (feeds, sitemaps, listings) into the store, and summarize the result."""
    store_url = store_url or get_settings().store_url
    open_store(store_url).close()  # a bad store URL fails here, with the store's own clear message
    started = time.monotonic()
    with SiteServer(site) as server:
        _run_crawl(server, store_url, progress)
        fetched = dict(server.hits)
    summary = summarize(store_url)
    summary.pages_fetched = sum(fetched.values())
    summary.fetched_paths = fetched
    summary.seconds = time.monotonic() - started
    log.info("demo: %d pages fetched, %d mentions in %.1f s", summary.pages_fetched, summary.total, summary.seconds)
    return summary
