"""Crawl benchmark: speed of the whole crawl → extract → tag → store path, and extraction quality.

    .venv/bin/python benchmarks/crawl.py [--copies 6]

Reads the saved real pages of ../shared/data/web in place (never copies them). In one run it measures

* quality on the 20 pages with reference text: token-level F1 (title + text) and publish-date accuracy for
  Janmat's extractor, for trafilatura called directly with its defaults, and for news-please's extractor;
* speed: a real ``scrapy crawl`` over a local server that serves every saved article ``--copies`` times under
  distinct URLs (listed in one feed), through the full item pipeline into a fresh SQLite store; pages per second
  and CPU seconds per page (crawler start-up measured with an empty feed and subtracted), against news-please's
  extraction alone on the same pages in this process.

Targets (issue 3): F1 ≥ trafilatura's default and ≥ 0.90 on Hindi pages; dates right on ≥ 95 % of pages that
show one; whole-path throughput ≥ 2× news-please extraction alone, per core.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as dt_time
from pathlib import Path
from xml.sax.saxutils import escape

import trafilatura
from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawlers.extract import extract_page  # noqa: E402
from janmat.core.mention import IST  # noqa: E402
from janmat.demo.server import Reply, SiteServer  # noqa: E402
from janmat.store import open_store  # noqa: E402
from tests.reference_pages import gold_date, gold_text, token_f1  # noqa: E402

warnings.filterwarnings("ignore", module=r"(newspaper|dateutil)\..*")  # news-please's chatter, not results

SHARED = Path(os.environ.get("JANMAT_SHARED_DATA", REPO.parent / "shared" / "data")).resolve()
WEB = SHARED / "web"
console = Console()


@dataclass
class ReferencePage:
    """One saved page with its reference text and (when known) its publish date."""

    file: str
    url: str
    lang: str
    html: bytes
    gold_text: str | None
    gold_date: datetime | None


def reference_pages() -> list[ReferencePage]:
    """Every saved article page, with reference text and date where the data set has them."""
    with (WEB / "index.csv").open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["kind"] == "article"]
    return [ReferencePage(row["file"], row["url"], row["language"], (WEB / row["file"]).read_bytes(),
                          gold_text(WEB, row) if row["has_gold_text"] == "yes" else None,
                          gold_date(WEB, row)) for row in rows]


# ------------------------------------------------------------------ extractors under comparison
def janmat_extract(page: ReferencePage) -> tuple[str, datetime | None]:
    """Janmat's extractor."""
    extracted = extract_page(page.html, page.url)
    return f"{extracted.title or ''}\n{extracted.text}", extracted.published_at


def trafilatura_extract(page: ReferencePage) -> tuple[str, datetime | None]:
    """trafilatura with its defaults (title + text + its date)."""
    document = trafilatura.bare_extraction(page.html.decode("utf-8", "replace"), url=page.url, with_metadata=True)
    if document is None:
        return "", None
    date = datetime.fromisoformat(document.date).replace(tzinfo=IST) if document.date else None
    return f"{document.title or ''}\n{document.text or ''}", date


def newsplease_extract(page: ReferencePage) -> tuple[str, datetime | None]:
    """news-please's extractor on the same HTML (no image fetching)."""
    from newsplease import NewsPlease

    article = NewsPlease.from_html(page.html.decode("utf-8", "replace"), url=page.url, fetch_images=False)
    date = article.date_publish
    if date is not None and date.tzinfo is None:
        date = date.replace(tzinfo=IST)
    return f"{article.title or ''}\n{article.description or ''}\n{article.maintext or ''}", date


EXTRACTORS = {"Janmat": janmat_extract, "trafilatura (default)": trafilatura_extract,
              "news-please": newsplease_extract}


def date_correct(found: datetime | None, expected: datetime) -> bool:
    """Same calendar day in IST; when both sides carry a time of day, also within two minutes."""
    if found is None or found.astimezone(IST).date() != expected.astimezone(IST).date():
        return False
    date_only = found.astimezone(IST).time() == dt_time(0) or expected.astimezone(IST).time() == dt_time(0)
    return date_only or abs(found - expected) <= timedelta(minutes=2)


def measure_quality(pages: list[ReferencePage]) -> dict[str, dict[str, float]]:
    """F1 (all / Hindi / English), date accuracy and CPU per page for each extractor."""
    results: dict[str, dict[str, float]] = {}
    for name, extract in EXTRACTORS.items():
        extract(pages[0])  # warm-up: imports and lazy loads are not per-page costs
        scores: dict[str, list[float]] = {"all": [], "hi": [], "en": []}
        dated = right = 0
        started = time.process_time()
        for page in pages:
            text, date = extract(page)
            if page.gold_text is not None:
                score = token_f1(text, page.gold_text)
                scores["all"].append(score)
                scores[page.lang].append(score)
            if page.gold_date is not None:
                dated += 1
                right += date_correct(date, page.gold_date)
        cpu = time.process_time() - started
        results[name] = {
            "f1": sum(scores["all"]) / len(scores["all"]),
            "f1_hi": sum(scores["hi"]) / len(scores["hi"]),
            "f1_en": sum(scores["en"]) / len(scores["en"]),
            "dates": right / dated,
            "dated": dated,
            "cpu_per_page": cpu / len(pages),
        }
    return results


# ------------------------------------------------------------------ whole path: a real crawl into a store
class CopiesSite(SiteServer):
    """Every saved article served ``copies`` times under distinct URLs, all listed in /feed.xml."""

    def __init__(self, pages: list[ReferencePage], copies: int) -> None:
        super().__init__(WEB)
        self.routes: dict[str, bytes] = {}
        for copy in range(copies):
            for number, page in enumerate(pages):
                self.routes[f"/c{copy}/p{number}.html"] = page.html
        self.empty = False

    def feed(self) -> bytes:
        items = [] if self.empty else [f"<item><title>p</title><link>{escape(self.base_url + path)}</link></item>"
                                       for path in self.routes]
        return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>bench</title>'
                + "".join(items) + "</channel></rss>").encode()

    def respond(self, path: str, request_headers: dict[str, str]) -> Reply:
        """The feed, the article copies, or 404."""
        if path == "/feed.xml":
            return Reply(200, self.feed(), {"Content-Type": "application/rss+xml; charset=utf-8"})
        if path in self.routes:
            return Reply(200, self.routes[path], {"Content-Type": "text/html; charset=utf-8"})
        return Reply(404, b"", {})


def _crawl(site: CopiesSite, scratch: Path, label: str) -> tuple[float, float, int]:
    registry = scratch / f"{label}.yaml"
    registry.write_text(json.dumps({"sources": [{
        "key": "bench", "name": "Benchmark copies", "homepage": site.base_url + "/", "language": "hi",
        "feeds": [site.base_url + "/feed.xml"], "robots_sitemaps": False,
    }]}), encoding="utf-8")
    store_url = f"sqlite:///{scratch / label}.db"
    settings = {"JANMAT_STORE": store_url, "JANMAT_STATE_DIR": str(scratch / f"state-{label}"), "LOG_LEVEL": "WARNING",
                "AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY": "0", "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
                "ROBOTSTXT_OBEY": "False"}
    command = [sys.executable, "-m", "scrapy", "crawl", "feeds", "-a", f"registry={registry}", "-a", "source=bench"]
    for key, value in settings.items():
        command += ["-s", f"{key}={value}"]
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="crawlers.settings", JANMAT_DATA_DIR=str(scratch / "data"))
    env.pop("JANMAT_REDIS_URL", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=REPO, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    with open_store(store_url) as store:
        stored = store.count()
    return wall, cpu, stored


def measure_crawl(pages: list[ReferencePage], copies: int) -> dict[str, float]:
    """Wall and CPU time of a real crawl of ``copies × pages`` articles, start-up subtracted."""
    with tempfile.TemporaryDirectory(prefix="janmat-bench-") as scratch_dir, CopiesSite(pages, copies) as site:
        scratch = Path(scratch_dir)
        site.empty = True
        idle_wall, idle_cpu, _ = _crawl(site, scratch, "startup")
        site.empty = False
        wall, cpu, stored = _crawl(site, scratch, "full")
    fetched = len(site.routes)
    work_wall, work_cpu = max(wall - idle_wall, 1e-9), max(cpu - idle_cpu, 1e-9)
    return {"pages": fetched, "stored": stored, "wall": wall, "cpu": cpu, "startup_wall": idle_wall,
            "startup_cpu": idle_cpu, "pages_per_s": fetched / work_wall, "cpu_per_page": work_cpu / fetched,
            "pages_per_cpu_s": fetched / work_cpu}


def main() -> None:
    """Run both measurements and print the tables and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=6, help="times each saved page is served (default 6)")
    args = parser.parse_args()
    if not WEB.exists():
        raise SystemExit(f"reference pages not found at {WEB} (set JANMAT_SHARED_DATA)")
    pages = reference_pages()
    with_gold = [page for page in pages if page.gold_text is not None]
    console.print(f"{len(pages)} saved article pages, {len(with_gold)} with reference text, "
                  f"{sum(p.gold_date is not None for p in pages)} with a reference date")

    quality = measure_quality(pages)
    table = Table(title="Extraction quality (same pages, same run)")
    for column in ("extractor", "F1 all", "F1 Hindi", "F1 English", "dates right", "CPU ms/page"):
        table.add_column(column, justify="right" if column != "extractor" else "left")
    for name, row in quality.items():
        table.add_row(name, f"{row['f1']:.3f}", f"{row['f1_hi']:.3f}", f"{row['f1_en']:.3f}",
                      f"{row['dates']:.0%} of {row['dated']:.0f}", f"{1000 * row['cpu_per_page']:.1f}")
    console.print(table)

    crawl = measure_crawl(pages, args.copies)
    speed = Table(title="Whole path: scrapy crawl → extract → validate → tag → dedupe → SQLite store")
    for column in ("pages", "stored", "wall s", "CPU s", "start-up s (wall/CPU)", "pages/s", "CPU ms/page"):
        speed.add_column(column, justify="right")
    speed.add_row(str(crawl["pages"]), str(crawl["stored"]), f"{crawl['wall']:.2f}", f"{crawl['cpu']:.2f}",
                  f"{crawl['startup_wall']:.2f}/{crawl['startup_cpu']:.2f}", f"{crawl['pages_per_s']:.1f}",
                  f"{1000 * crawl['cpu_per_page']:.1f}")
    console.print(speed)

    janmat, baseline, newsplease = quality["Janmat"], quality["trafilatura (default)"], quality["news-please"]
    ratios = Table(title="Ratios and targets")
    for column in ("measure", "value", "target", "met"):
        ratios.add_column(column)
    checks = [
        ("F1 Janmat / trafilatura default", janmat["f1"] / baseline["f1"], "≥ 1.00", janmat["f1"] >= baseline["f1"]),
        ("F1 Janmat / news-please", janmat["f1"] / newsplease["f1"], "(reported)", True),
        ("F1 Janmat, Hindi pages", janmat["f1_hi"], "≥ 0.90", janmat["f1_hi"] >= 0.90),
        ("dates right, Janmat", janmat["dates"], "≥ 0.95", janmat["dates"] >= 0.95),
        ("whole-path pages per CPU-s / news-please extraction pages per CPU-s",
         newsplease["cpu_per_page"] / crawl["cpu_per_page"], "≥ 2.00",
         newsplease["cpu_per_page"] / crawl["cpu_per_page"] >= 2.0),
    ]
    for label, value, target, met in checks:
        ratios.add_row(label, f"{value:.2f}", target, "yes" if met else "NO")
    console.print(ratios)


if __name__ == "__main__":
    main()
