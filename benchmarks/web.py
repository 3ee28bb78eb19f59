"""Web app speed on a big embedded store, against baselines measured in the same run.

On N generated mentions (default 200,000) in SQLite, published over the last year up to now, with near-duplicate
clusters, served by the real app under uvicorn on 127.0.0.1:

1. ``/api/search`` p50 / p95 over a mix of real queries (a word, a word + district + 30 days, district + tone,
   pages 1–5, newest / oldest / relevance). Target p95 < 100 ms. Baselines: the same queries straight through
   ``store.search`` (no HTTP, no app), and ``/api/health`` (an HTTP round trip that does almost nothing).
2. The overview's data (``/api/overview`` for today / 7d / 30d) and the overview page itself. Target p95 <
   300 ms. Baseline: the store's own district count over 30 days.
3. 8 concurrent clients, each a mix of search, overview, search page and mention page requests. Target: no
   error (every reply 200).
4. First load of the overview: bytes of the page and every asset it links to. Target < 500 KB.

Mentions come from ``benchmarks/index.py``'s generator (real Hindi vocabulary from ../shared/data, gazetteer
places, schemes, outlets). Run:  .venv/bin/python benchmarks/web.py [--n 200000] [--db PATH to keep the store]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import httpx
import uvicorn
from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import index as index_bench  # noqa: E402 - benchmarks/index.py, for its mention generator

from janmat.core.mention import IST, Mention  # noqa: E402
from janmat.core.settings import JanmatSettings, WebSettings  # noqa: E402
from janmat.store import MentionQuery, MentionStore, open_store  # noqa: E402
from janmat.store.filters import build_query  # noqa: E402
from janmat.web.app import create_app  # noqa: E402

console = Console(stderr=True)
out = Console(width=150)
CLIENTS = 8


def mentions(material: index_bench.Material, count: int) -> Iterator[Mention]:
    """The generator's mentions moved to end now, with one in 25 copied into a near-duplicate cluster."""
    shift = datetime.now(IST).replace(microsecond=0) - index_bench.END
    rng = random.Random(7)
    for number, mention in enumerate(index_bench.generate(material, count, seed=11, prefix="w")):
        update = {"published_at": mention.published_at + shift, "fetched_at": mention.fetched_at + shift}
        if number % 25 == 0:
            update["near_dup_cluster"] = f"cluster-{rng.randrange(count // 200 or 1)}"
        yield mention.model_copy(update=update)


def load(store: MentionStore, material: index_bench.Material, count: int) -> None:
    """Fill the store in batches, with a progress bar."""
    with index_bench.progress() as bar:
        task = bar.add_task("loading", total=count)
        for batch in index_bench.batches(mentions(material, count), 2000):
            store.upsert(batch)
            bar.advance(task, len(batch))


@contextmanager
def serving(store: MentionStore) -> Iterator[str]:
    """The real app over ``store`` on a free loopback port (rate limit raised: the clients share 127.0.0.1)."""
    settings = JanmatSettings(web=WebSettings(rate_limit="1000000/minute"))
    server = uvicorn.Server(uvicorn.Config(create_app(store=store, settings=settings), host="127.0.0.1", port=0,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def search_params(material: index_bench.Material, rng: random.Random) -> dict[str, str | int]:
    """One realistic search: text and/or filters, a page, an order."""
    district = rng.choice(list(material.places))
    choice = rng.randrange(4)
    params: dict[str, str | int] = {"sort": rng.choice(["relevance", "newest", "oldest"]),
                                    "offset": 20 * rng.randrange(5), "limit": 20}
    if choice == 0:
        params["q"] = rng.choice(material.content_words)
    elif choice == 1:
        params.update(q=rng.choice(material.content_words), district=district, since="30d")
    elif choice == 2:
        params.update(district=district, sentiment="negative", since="7d")
    else:
        params.update(scheme=rng.choice(material.schemes)[0], since="30d")
    return params


def timed(calls: list[Callable[[], object]]) -> tuple[float, float]:
    """p50 and p95 in milliseconds of running each call once (after two warm-up calls)."""
    for call in calls[:2]:
        call()
    times = []
    for call in calls:
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    cuts = statistics.quantiles(times, n=20)
    return statistics.median(times), cuts[18]


def ok(reply: httpx.Response) -> httpx.Response:
    """The reply, or stop the benchmark with its status and body."""
    if reply.status_code != 200:
        raise SystemExit(f"{reply.request.url} answered {reply.status_code}: {reply.text[:300]}")
    return reply


def store_query(params: dict[str, str | int]) -> MentionQuery:
    """The MentionQuery the API builds from these parameters."""
    query = build_query(params.get("q"), districts=[params["district"]] if "district" in params else None,  # type: ignore[list-item]
                        schemes=[params["scheme"]] if "scheme" in params else None,  # type: ignore[list-item]
                        sentiments=[params["sentiment"]] if "sentiment" in params else None,  # type: ignore[list-item]
                        since=params.get("since"), limit=20, offset=int(params["offset"]))  # type: ignore[arg-type]
    return query.model_copy(update={"sort": params["sort"]})


def first_load_bytes(url: str) -> tuple[int, int]:
    """Bytes of the overview page plus every stylesheet, script and icon it links to; and how many files."""
    with httpx.Client(base_url=url) as http:
        page = ok(http.get("/"))
        assets = set(re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text))
        sizes = [len(page.content)] + [len(ok(http.get(asset)).content) for asset in sorted(assets)]
    return sum(sizes), len(sizes)


def concurrent_clients(url: str, material: index_bench.Material, requests_each: int) -> tuple[int, int, float]:
    """``CLIENTS`` threads of mixed requests at once; (requests, errors, seconds)."""
    def client(number: int) -> int:
        rng = random.Random(100 + number)
        errors = 0
        with httpx.Client(base_url=url, timeout=60) as http:
            for n in range(requests_each):
                path, params = [("/api/search", search_params(material, rng)), ("/api/overview", {"period": "7d"}),
                                ("/search", search_params(material, rng)), ("/", {"period": "30d"}),
                                (f"/mentions/w11-{rng.randrange(1000)}", {})][n % 5]
                try:
                    errors += http.get(path, params=params).status_code != 200
                except httpx.HTTPError:
                    errors += 1
        return errors

    start = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        errors = sum(pool.map(client, range(CLIENTS)))
    return CLIENTS * requests_each, errors, time.perf_counter() - start


def main() -> None:
    """Load (or reuse) the store, serve it, measure, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--db", type=Path, help="SQLite file to build once and reuse")
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    material = index_bench.Material.load()
    path = args.db or Path(tempfile.mkdtemp(prefix="janmat-web-bench-")) / "web.db"
    store = open_store(f"sqlite:///{path}")
    if store.count() < args.n:
        load(store, material, args.n)
    total = store.count()
    rng = random.Random(3)
    searches = [search_params(material, rng) for _ in range(args.repeat)]
    rows: list[tuple[str, str, float, float, str]] = []
    with serving(store) as url, httpx.Client(base_url=url, timeout=60) as http:
        p50, p95 = timed([lambda p=p: ok(http.get("/api/search", params=p)) for p in searches])
        queries = [store_query(p) for p in searches]
        s50, s95 = timed([lambda q=q: store.search(q) for q in queries])
        h50, h95 = timed([lambda: ok(http.get("/api/health"))] * args.repeat)
        rows += [("/api/search (mixed)", "< 100", p50, p95, f"{p95 / s95:.2f}× store.search"),
                 ("  baseline: store.search", "", s50, s95, ""), ("  baseline: /api/health", "", h50, h95, "")]
        week = MentionQuery(since=build_query(since="30d").since, limit=0)
        d50, d95 = timed([lambda: store.counts("district", week)] * 30)
        for period in ("today", "7d", "30d"):
            o50, o95 = timed([lambda period=period: ok(http.get("/api/overview", params={"period": period}))] * 30)
            rows.append((f"/api/overview?period={period}", "< 300", o50, o95, f"{o95 / d95:.1f}× one district count"))
        g50, g95 = timed([lambda: ok(http.get("/", params={"period": "30d"}))] * 30)
        rows += [("overview page (HTML, 30d)", "", g50, g95, ""),
                 ("  baseline: counts by district, 30 days", "", d50, d95, "")]
        size, files = first_load_bytes(url)
        requests, errors, seconds = concurrent_clients(url, material, requests_each=25)
    table = Table(title=f"Janmat web app — {total:,} mentions in SQLite ({path})")
    for column in ("measure", "target ms", "p50 ms", "p95 ms", "ratio"):
        table.add_column(column, justify="left" if column in ("measure", "ratio") else "right")
    for name, target, a, b, ratio in rows:
        table.add_row(name, target, f"{a:.1f}", f"{b:.1f}", ratio)
    out.print(table)
    out.print(f"{CLIENTS} concurrent clients: {requests} requests in {seconds:.1f} s, {errors} errors "
                    f"(target 0)")
    out.print(f"first load of the overview: {size / 1024:.1f} KB in {files} files (target < 500 KB)")
    store.close()


if __name__ == "__main__":
    main()
