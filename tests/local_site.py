"""Local HTTP servers and crawl runners for the crawler tests (real pages, real HTTP, real Scrapy).

``SavedPagesSite`` serves ``../shared/data/web`` in place: every saved article at its real URL's path (so a
registry source with ``base_url`` pointing here crawls it exactly as it would the live site), feeds and
sitemaps under ``/feeds/`` and ``/sitemaps/``. Tests add faults (429 with Retry-After, 500, 403, a PDF where an
article should be, a wrong charset header, a slow server) per path.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from janmat.demo.server import Reply, SiteServer

REPO = Path(__file__).resolve().parents[1]


class SavedPagesSite(SiteServer):
    """The saved real pages of ``shared/data/web``, each at its real path, plus per-path faults."""

    def __init__(self, web_dir: Path) -> None:
        super().__init__(web_dir)
        self.web_dir = web_dir
        self.pages: dict[str, Path] = {}
        self.rows: list[dict[str, str]] = []
        with (web_dir / "index.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                self.rows.append(row)
                if row["kind"] == "article" and row["url"].startswith("http"):
                    self.pages[urlsplit(row["url"]).path] = web_dir / row["file"]
        self.faults: dict[str, list[Reply]] = defaultdict(list)
        self.routes: dict[str, Reply] = {}
        self.content_types: dict[str, str] = {}
        self.robots = "User-agent: *\nAllow: /\n"
        self.delay_seconds = 0.0
        self.hit_times: dict[str, list[float]] = defaultdict(list)
        self.request_headers: dict[str, list[dict[str, str]]] = defaultdict(list)
        self._record_lock = threading.Lock()

    def path_of(self, url: str) -> str:
        """The local path a real URL is served at."""
        return urlsplit(url).path

    def respond(self, path: str, request_headers: dict[str, str]) -> Reply:
        """Faults first, then explicit routes, robots.txt, saved pages, feeds and sitemaps."""
        with self._record_lock:
            self.hit_times[path].append(time.monotonic())
            self.request_headers[path].append(request_headers)
        if self.delay_seconds and path in self.pages:
            time.sleep(self.delay_seconds)
        if self.faults.get(path):
            return self.faults[path].pop(0)
        if path in self.routes:
            return self.routes[path]
        if path == "/robots.txt":
            return Reply(200, self.robots.encode(), {"Content-Type": "text/plain; charset=utf-8"})
        if path in self.pages:
            body = self.pages[path].read_bytes()
            content_type = self.content_types.get(path, "text/html; charset=utf-8")
            return Reply(200, body, {"Content-Type": content_type})
        return super().respond(path, request_headers)


def hindi_rows(site: SavedPagesSite) -> list[dict[str, str]]:
    """index.csv rows of the Hindi article pages."""
    return [row for row in site.rows if row["kind"] == "article" and row["language"] == "hi"]


def write_registry(path: Path, sources: list[dict]) -> Path:
    """Write a registry YAML for a test (JSON is valid YAML)."""
    import json

    path.write_text(json.dumps({"sources": sources}, ensure_ascii=False), encoding="utf-8")
    return path


def crawl_command(spider: str, registry: Path, source: str, base_url: str, store_url: str, state_dir: Path,
                  *extra_settings: str, extra_args: tuple[str, ...] = ()) -> list[str]:
    """``python -m scrapy crawl …`` with fast local settings (no politeness delays against 127.0.0.1)."""
    settings = [
        f"JANMAT_STORE={store_url}", f"JANMAT_STATE_DIR={state_dir}", "LOG_LEVEL=INFO",
        "AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "JANMAT_RETRY_BACKOFF_BASE=0.2",
        "JANMAT_STORE_BATCH=5", *extra_settings,
    ]
    command = [sys.executable, "-m", "scrapy", "crawl", spider, "-a", f"registry={registry}",
               "-a", f"source={source}", "-a", f"base_url={base_url}", *extra_args]
    for setting in settings:
        command += ["-s", setting]
    return command


def crawl_env(**extra: str) -> dict[str, str]:
    """Environment for a crawl subprocess (the test's isolated JANMAT_DATA_DIR is inherited)."""
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="crawlers.settings", PYTHONIOENCODING="utf-8")
    env.pop("JANMAT_REDIS_URL", None)
    env.update(extra)
    return env


def run_crawl(
    command: list[str], env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """Run a crawl to completion from the repo root; fail with its log when it exits non-zero."""
    result = subprocess.run(command, cwd=REPO, env=env or crawl_env(), capture_output=True, text=True,
                            timeout=timeout)
    if result.returncode != 0:
        raise AssertionError(f"crawl failed ({result.returncode}):\n{result.stderr[-4000:]}")
    return result
