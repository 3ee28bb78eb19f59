"""Indexing and dashboard-query speed of Janmat's stores, against baselines measured in the same run.

1. Bulk indexing into OpenSearch: mentions/s through ``EngineStore.upsert`` versus opensearch-py's own
   ``helpers.streaming_bulk`` sending the same documents (pre-built, into identically templated indices).
   Target: Janmat ≥ 0.9 × the raw client. Measured twice: with the client and the local node sharing both cores,
   and with each on a core of its own (the node stands in for an engine on its own machines).
2. Dashboard queries, p50 / p95 wall time through the store API (what the web API and notebooks call), on
   N generated mentions: text + district + date filter, and counts by district / scheme / sentiment / IST day
   over a 30-day window. Targets: OpenSearch p95 < 100 ms at 1,000,000 mentions; SQLite p95 < 150 ms at 200,000.

Mentions are generated from real material: Hindi vocabulary with its frequencies from the CONSTRAINT-2021 Hindi
posts, the evaluation set and the seed article in ../shared/data (read by this script only), Haryana place names
from the gazetteer (nlp/resources), scheme names from nlp/resources/schemes.json and outlet names from the
crawler's source registry.

Full run:   .venv/bin/python benchmarks/index.py --opensearch-n 1000000 --sqlite-n 200000
Quick run:  .venv/bin/python benchmarks/index.py --opensearch-n 100000 --sqlite-n 200000 --bulk-n 20000
"""

from __future__ import annotations

import argparse
import bisect
import csv
import gzip
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice
from pathlib import Path
from urllib.parse import urlsplit

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawlers.sources import load_registry  # noqa: E402
from janmat.core.mention import IST, DistrictTag, Engagement, Mention, Platform, SchemeTag, Sentiment, Source  # noqa: E402
from janmat.store import MentionQuery, MentionStore, open_store  # noqa: E402
from janmat.store.engine import EngineStore  # noqa: E402
from janmat.store.engine_docs import mention_document  # noqa: E402
from janmat.store.templates import mention_month  # noqa: E402
from nlp.gazetteer import RESOURCE as GAZETTEER  # noqa: E402

SHARED_DATA = Path(os.environ.get("JANMAT_SHARED_DATA", REPO.parent / "shared" / "data")).resolve()
SCHEMES = REPO / "nlp" / "resources" / "schemes.json"
DEVANAGARI_WORD = re.compile(r"[\u0900-\u0963\u0966-\u097f]{2,}")
END = datetime(2026, 3, 31, 23, 0, tzinfo=IST)
SPAN_DAYS = 365
console = Console(stderr=True)


# -- realistic mentions ---------------------------------------------------------------------------------------


@dataclass
class Material:
    """Real words with their frequencies, Haryana places per district, schemes, outlets."""

    words: list[str]
    cumulative: list[int]
    content_words: list[str]
    places: dict[str, list[str]]
    district_weights: list[tuple[str, int]]
    schemes: list[tuple[str, str]]
    sources: list[tuple[str, str]]

    @classmethod
    def load(cls) -> Material:
        """Read the vocabulary from ../shared/data and the rest from the product's own resources."""
        counts: Counter[str] = Counter()
        hostility = SHARED_DATA / "nlp" / "constraint2021-hindi-hostility"
        if not hostility.is_dir():
            sys.exit(f"reference data not found at {SHARED_DATA} (set JANMAT_SHARED_DATA to the shared/data folder)")
        for name in ("train.csv", "valid.csv", "test.csv"):
            with open(hostility / name, encoding="utf-8", newline="") as handle:
                for row in csv.DictReader(handle):
                    counts.update(DEVANAGARI_WORD.findall(row.get("Post") or ""))
        for line in (SHARED_DATA / "eval" / "dev.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                counts.update(DEVANAGARI_WORD.findall(json.loads(line).get("text", "")))
        for path in (SHARED_DATA / "seed").glob("*.txt"):
            counts.update(DEVANAGARI_WORD.findall(path.read_text(encoding="utf-8")))
        common = counts.most_common(20_000)
        words = [w for w, _ in common]
        cumulative, total = [], 0
        for _, n in common:
            total += n
            cumulative.append(total)
        content = [w for w, _ in common[100:600] if len(w) >= 4]
        gazetteer = json.load(gzip.open(GAZETTEER))
        haryana = {k for k, v in gazetteer["districts"].items() if v["state"] == "Haryana"}
        places: dict[str, list[str]] = {k: [] for k in haryana}
        for place in gazetteer["places"]:
            if place["district"] in haryana and place["kind"] in ("district", "town", "tehsil") and \
                    DEVANAGARI_WORD.fullmatch(place["form"].replace(" ", "")):
                places[place["district"]].append(place["form"])
        # Bigger districts get more coverage: Gurugram and Faridabad most, then a long tail.
        ranked = sorted(haryana, key=lambda k: (k not in ("Gurugram", "Faridabad", "Hisar", "Rohtak"), k))
        district_weights = [(k, max(1, 40 // (rank + 1))) for rank, k in enumerate(ranked)]
        schemes = [(s["id"], s["name_hi"]) for s in json.loads(SCHEMES.read_text(encoding="utf-8"))["schemes"]]
        sources = [(s.name, urlsplit(s.homepage).hostname or "") for s in load_registry().sources]
        return cls(words, cumulative, content, {k: v for k, v in places.items() if v}, district_weights, schemes,
                   sources)

    def sample_words(self, rng: random.Random, count: int) -> list[str]:
        """Words drawn by their real frequency."""
        top = self.cumulative[-1]
        return [self.words[bisect.bisect(self.cumulative, rng.randrange(top))] for _ in range(count)]


def generate(material: Material, count: int, seed: int, prefix: str = "m") -> Iterator[Mention]:
    """``count`` mentions over the year up to END, deterministic for a seed."""
    rng = random.Random(seed)
    districts = [d for d, _ in material.district_weights if d in material.places]
    weights = [w for d, w in material.district_weights if d in material.places]
    for number in range(count):
        tags = list(dict.fromkeys(rng.choices(districts, weights, k=rng.choice((0, 1, 1, 1, 2)))))
        schemes = rng.sample(material.schemes, k=rng.choice((0, 0, 0, 1, 1, 2)))
        body = material.sample_words(rng, rng.randrange(40, 120))
        for district in tags:
            body.insert(rng.randrange(len(body)), rng.choice(material.places[district]))
        for _, name in schemes:
            body.insert(rng.randrange(len(body)), name)
        title = material.sample_words(rng, rng.randrange(6, 12))
        if tags:
            title.insert(0, rng.choice(material.places[tags[0]]))
        source = rng.choice(material.sources)
        published = END - timedelta(seconds=rng.randrange(SPAN_DAYS * 86_400))
        yield Mention(
            id=f"{prefix}{seed}-{number}",
            platform=rng.choices([Platform.news, Platform.x, Platform.youtube, Platform.facebook], [70, 15, 10, 5])[0],
            source=Source(name=source[0], domain=source[1]),
            title=" ".join(title),
            text=" ".join(body),
            lang=rng.choices(["hi", "hi-Latn", "en", "mixed"], [85, 5, 5, 5])[0],
            published_at=published,
            fetched_at=published + timedelta(minutes=rng.randrange(5, 600)),
            engagement=Engagement(likes=rng.randrange(0, 500), shares=rng.randrange(0, 80)),
            districts=[DistrictTag(name=d) for d in tags],
            schemes=[SchemeTag(id=i, name=n) for i, n in schemes],
            sentiment=Sentiment(label=rng.choices(["neutral", "negative", "positive"], [50, 30, 20])[0],
                                score=round(rng.uniform(0.4, 1.0), 3), model="bench"),
        )


def batches(items: Iterator[Mention], size: int) -> Iterator[list[Mention]]:
    while batch := list(islice(items, size)):
        yield batch


def progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, transient=True)


# -- 1. bulk indexing: Janmat vs the raw client -----------------------------------------------------------------


def open_engine(url: str, prefix: str) -> EngineStore:
    os.environ["JANMAT_INDEX_PREFIX"] = prefix
    from janmat.core.settings import get_settings

    get_settings.cache_clear()
    store = open_store(url)
    assert isinstance(store, EngineStore)
    store.remove_everything()
    store.ensure_ready()
    return store


@dataclass
class BulkRun:
    """One timed bulk-indexing pass."""

    path: str
    rate: float
    """mentions/s (wall clock)"""
    engine_cpu_us: float | None
    """OpenSearch JVM CPU time per mention (user + system, all threads), when the node runs on this machine"""
    python_cpu_us: float
    """CPU time of this Python process per mention (all threads)"""


def engine_cpu_seconds() -> Callable[[], float] | None:
    """A reader of the local OpenSearch node's CPU seconds (from /proc), if `janmat engine` started it here."""
    from janmat import engine

    pid = engine.status("opensearch").pid
    if pid is None:
        return None
    tick = os.sysconf("SC_CLK_TCK")

    def read() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick

    return read


def timed(path: str, count: int, run: Callable[[], int], engine_cpu: Callable[[], float] | None) -> BulkRun:
    engine_before = engine_cpu() if engine_cpu else 0.0
    cpu_before, began = time.process_time(), time.perf_counter()
    indexed = run()
    wall = time.perf_counter() - began
    assert indexed == count, f"{path}: indexed {indexed} of {count}"
    engine_us = (engine_cpu() - engine_before) / count * 1e6 if engine_cpu else None
    return BulkRun(path, count / wall, engine_us, (time.process_time() - cpu_before) / count * 1e6)


DEFAULT_CHUNK = 500
"""opensearch-py's ``streaming_bulk`` default chunk size."""
RAW_SHIPPED = "raw streaming_bulk as shipped, documents pre-built"
RAW_TUNED = "raw streaming_bulk tuned as Janmat, documents pre-built"
RAW_INLINE = "raw streaming_bulk tuned as Janmat, documents built inline"
JANMAT = "Janmat EngineStore.upsert"


def bench_bulk(url: str, material: Material, count: int, rounds: int) -> list[BulkRun]:
    """Bulk-index the same mentions four ways, alternating, each pass into fresh, identically templated indices
    whose month indices exist before the clock starts (steady-state indexing, not index creation).

    The raw client sends exactly the documents Janmat sends (``mention_document``), pre-built before the clock
    starts (transport and engine only): once as the library ships (``streaming_bulk``'s default 500 per request,
    the standard-library JSON encoder), once tuned as Janmat tunes it (Janmat's bulk size and its orjson
    encoder), the strictest comparison. The third pass builds the documents inside the timed loop (the work any
    indexer of Janmat mentions must do: normalizing and stemming every word). Janmat also looks up where each id
    lives, so a mention whose month changed is moved rather than duplicated, and spools what the engine refuses.
    """
    from opensearchpy import OpenSearch, helpers

    from janmat.store.opensearch import OrjsonSerializer

    mentions = list(generate(material, count, seed=99, prefix="bulk"))
    shipped_client = OpenSearch(hosts=[url.split("+", 1)[1]], timeout=120)
    tuned_client = OpenSearch(hosts=[url.split("+", 1)[1]], timeout=120, serializer=OrjsonSerializer())
    engine_cpu = engine_cpu_seconds()
    runs: list[BulkRun] = []

    def raw(path: str, round_number: int) -> BulkRun:
        store = open_engine(url, f"bench-raw-{round_number}")
        store._create_indices({store.names.month_index(mention_month(m)) for m in mentions})
        client, chunk = (shipped_client, DEFAULT_CHUNK) if path == RAW_SHIPPED else (tuned_client, store.chunk_size)

        def action(m: Mention) -> dict:
            return {"_index": store.names.month_index(mention_month(m)), "_id": m.id, "_source": mention_document(m)}

        actions = (action(m) for m in mentions) if path == RAW_INLINE else [action(m) for m in mentions]
        run = timed(path, count, lambda: sum(ok for ok, _ in helpers.streaming_bulk(client, actions, chunk_size=chunk)),
                    engine_cpu)
        store.remove_everything()
        store.close()
        return run

    def janmat(round_number: int) -> BulkRun:
        store = open_engine(url, f"bench-janmat-{round_number}")
        store._create_indices({store.names.month_index(mention_month(m), store.generation) for m in mentions})

        def run() -> int:
            report = store.upsert(mentions)
            assert not report.failed and not report.spooled, report
            return report.stored

        result = timed(JANMAT, count, run, engine_cpu)
        store.remove_everything()
        store.close()
        return result

    for round_number in range(rounds):
        runs += [raw(RAW_SHIPPED, round_number), raw(RAW_TUNED, round_number), raw(RAW_INLINE, round_number),
                 janmat(round_number)]
        for run in runs[-4:]:
            console.print(f"  round {round_number + 1}: {run.path}: {run.rate:,.0f} mentions/s")
    shipped_client.close()
    tuned_client.close()
    return runs


@contextmanager
def cores_for(placement: str) -> Iterator[bool]:
    """Run the bulk passes with the client and the local OpenSearch node sharing every core, or each on a core of
    its own (the node's threads on the first core, this process on the second), as when the engine runs on its
    own machines. Both measure the same code; the second shows what the client costs when it does not take CPU
    away from the engine. Affinities are restored afterwards."""
    if placement == "shared cores":
        yield True
        return
    from janmat import engine

    pid = engine.status("opensearch").pid
    cores = sorted(os.sched_getaffinity(0))
    if pid is None or len(cores) < 2:
        yield False
        return
    engine_cores, own_cores = os.sched_getaffinity(pid), os.sched_getaffinity(0)

    def pin_engine(mask: set[int]) -> None:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with suppress(ProcessLookupError):  # a thread that ended meanwhile
                os.sched_setaffinity(int(tid), mask)

    pin_engine({cores[0]})
    os.sched_setaffinity(0, {cores[1]})  # threads started from now on (the prepare worker) inherit it
    try:
        yield True
    finally:
        pin_engine(engine_cores)
        os.sched_setaffinity(0, own_cores)


def bulk_rows(table: Table, runs: list[BulkRun], placement: str, count: int) -> None:
    """The bulk-indexing rows of one placement: best rate and mean CPU per path, and Janmat's ratios."""
    paths = (RAW_SHIPPED, RAW_TUNED, RAW_INLINE, JANMAT)
    best = {path: max(r.rate for r in runs if r.path == path) for path in paths}
    backend = f"OpenSearch, {placement}"
    for path in paths:
        mine = [r for r in runs if r.path == path]
        engine_us = [r.engine_cpu_us for r in mine if r.engine_cpu_us is not None]
        cpu = (f"CPU/mention: engine {statistics.mean(engine_us):.0f} µs, " if engine_us else "CPU/mention: ") + \
            f"python {statistics.mean(r.python_cpu_us for r in mine):.0f} µs"
        table.add_row(f"bulk index: {path}", backend, f"{count:,}", f"{best[path]:,.0f}/s", cpu, "")
    for label, baseline, target in (
        ("raw client as shipped, pre-built documents", RAW_SHIPPED, "target ≥ 0.90"),
        ("raw client tuned as Janmat, pre-built documents", RAW_TUNED, "(strictest)"),
        ("raw client tuned as Janmat, building the documents", RAW_INLINE, ""),
    ):
        table.add_row(f"bulk: Janmat ÷ {label}", backend, f"{count:,}", "", target,
                      f"{best[JANMAT] / best[baseline]:.2f}")


# -- 2. dashboard queries ---------------------------------------------------------------------------------------


def load(store: MentionStore, material: Material, count: int, seed: int, label: str) -> float:
    """Put ``count`` generated mentions into ``store``; mentions/s."""
    began = time.perf_counter()
    with progress() as bar:
        task = bar.add_task(f"loading {label}", total=count)
        for batch in batches(generate(material, count, seed=seed), 5_000):
            report = store.upsert(batch)
            if report.failed or report.spooled:
                sys.exit(f"loading {label} failed: {report.failed or report.spooled}")
            bar.advance(task, len(batch))
    store.refresh()
    return count / (time.perf_counter() - began)


def dashboard_queries(material: Material) -> dict[str, Callable[[MentionStore, random.Random], object]]:
    """The five queries a dashboard sends, each with fresh parameters per call (no cache hits)."""
    districts = [d for d, _ in material.district_weights[:8] if d in material.places]

    def window(rng: random.Random) -> tuple[datetime, datetime]:
        until = END - timedelta(days=rng.randrange(0, 300), hours=rng.randrange(24))
        return until - timedelta(days=30), until

    def text_district_date(store: MentionStore, rng: random.Random) -> object:
        since, until = window(rng)
        query = MentionQuery(text=rng.choice(material.content_words), districts=[rng.choice(districts)],
                             since=since, until=until, limit=20)
        return store.search(query)

    def counts(by: str) -> Callable[[MentionStore, random.Random], object]:
        def run(store: MentionStore, rng: random.Random) -> object:
            since, until = window(rng)
            return store.counts(by, MentionQuery(since=since, until=until))  # type: ignore[arg-type]

        return run

    return {
        "text + district + 30 days, top 20": text_district_date,
        "counts by district, 30 days": counts("district"),
        "counts by scheme, 30 days": counts("scheme"),
        "counts by sentiment, 30 days": counts("sentiment"),
        "counts by IST day, 30 days": counts("day"),
    }


def time_queries(store: MentionStore, material: Material, repeat: int) -> list[tuple[str, float, float]]:
    """p50 and p95 in milliseconds of each dashboard query."""
    rows = []
    for name, run in dashboard_queries(material).items():
        rng = random.Random(name)
        for _ in range(5):
            run(store, rng)
        samples = []
        for _ in range(repeat):
            began = time.perf_counter()
            run(store, rng)
            samples.append((time.perf_counter() - began) * 1000)
        cuts = statistics.quantiles(samples, n=20, method="inclusive")
        rows.append((name, statistics.median(samples), cuts[18]))
    return rows


# -- main -------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--opensearch-url", default="opensearch+" + os.environ.get(
        "JANMAT_TEST_OPENSEARCH_URL", "http://127.0.0.1:9200"))
    parser.add_argument("--opensearch-n", type=int, default=1_000_000, help="mentions for the query benchmark")
    parser.add_argument("--sqlite-n", type=int, default=200_000)
    parser.add_argument("--bulk-n", type=int, default=50_000, help="mentions per bulk-indexing round")
    parser.add_argument("--bulk-rounds", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=60, help="timed calls per query")
    parser.add_argument("--skip", choices=["bulk", "opensearch", "sqlite"], action="append", default=[])
    parser.add_argument("--keep", action="store_true", help="keep the loaded OpenSearch prefix (reused next time)")
    args = parser.parse_args()
    spool_dir = tempfile.TemporaryDirectory(prefix="janmat-bench-")  # never the user's real data dir
    os.environ["JANMAT_DATA_DIR"] = spool_dir.name

    material = Material.load()
    console.print(f"material: {len(material.words)} words, {len(material.places)} districts, "
                  f"{len(material.schemes)} schemes, {len(material.sources)} outlets")
    table = Table(title="benchmarks/index.py", title_justify="left")
    for column in ("measure", "backend", "N", "value", "baseline / target", "ratio"):
        table.add_column(column, justify="left" if column in ("measure", "backend") else "right")

    if "bulk" not in args.skip:
        for placement in ("shared cores", "separate cores"):
            with cores_for(placement) as applied:
                if not applied:
                    console.print(f"[yellow]{placement}: not possible here (needs a local node and 2 cores)[/]")
                    continue
                console.print(f"bulk indexing, {placement}:")
                runs = bench_bulk(args.opensearch_url, material, args.bulk_n, args.bulk_rounds)
            bulk_rows(table, runs, placement, args.bulk_n)

    if "opensearch" not in args.skip:
        store = open_engine_keep(args.opensearch_url, "bench", args.opensearch_n, args.keep)
        if store.count() != args.opensearch_n:
            store.remove_everything()
            store.ensure_ready()
            rate = load(store, material, args.opensearch_n, seed=1, label="OpenSearch")
            table.add_row("load through Janmat, mentions/s", "OpenSearch", f"{args.opensearch_n:,}", f"{rate:,.0f}",
                          "", "")
        for name, p50, p95 in time_queries(store, material, args.repeat):
            table.add_row(name, "OpenSearch", f"{args.opensearch_n:,}", f"p50 {p50:.1f} / p95 {p95:.1f} ms",
                          "p95 < 100 ms", f"{p95 / 100:.2f}")
        if not args.keep:
            store.remove_everything()
        store.close()

    if "sqlite" not in args.skip:
        with tempfile.TemporaryDirectory() as folder:
            store = open_store(f"sqlite:///{Path(folder) / 'bench.db'}")
            rate = load(store, material, args.sqlite_n, seed=1, label="SQLite")
            table.add_row("load through Janmat, mentions/s", "SQLite", f"{args.sqlite_n:,}", f"{rate:,.0f}", "", "")
            for name, p50, p95 in time_queries(store, material, args.repeat):
                table.add_row(name, "SQLite", f"{args.sqlite_n:,}", f"p50 {p50:.1f} / p95 {p95:.1f} ms",
                              "p95 < 150 ms", f"{p95 / 150:.2f}")
            store.close()

    Console(width=170).print(table)


def open_engine_keep(url: str, prefix: str, count: int, keep: bool) -> EngineStore:
    """The query-benchmark store; an existing prefix with the right count is reused when ``--keep`` is given."""
    os.environ["JANMAT_INDEX_PREFIX"] = prefix
    from janmat.core.settings import get_settings

    get_settings.cache_clear()
    store = open_store(url)
    assert isinstance(store, EngineStore)
    if not keep:
        store.remove_everything()
    store.ensure_ready()
    return store


if __name__ == "__main__":
    main()
