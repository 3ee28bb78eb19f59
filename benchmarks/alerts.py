"""Alert evaluation speed on a week of mentions, against baselines measured in the same run.

N mentions a day (default 4,000) over the last 7 days, pre-tagged with Haryana districts, schemes and tones
(random, seeded), in an embedded SQLite store:

1. ``evaluate_spikes(store, now)`` with the built-in rules (every district, scheme, district × scheme), as the
   monitor's timer runs it. Target p95 < 1 s (the timer fires every 5 minutes). Baselines: reading the week's
   facts alone (``read_facts``) and the store's own count by district over the week.
2. ``backtest`` over the week. Baseline: the live evaluation (one 3-hour catch-up).
3. Standing queries on one 200-mention batch, 20 rules, in process (SQLite, Elasticsearch) and, with
   ``--opensearch URL``, through the percolator. Baseline: writing the batch to the store.

Run:  .venv/bin/python benchmarks/alerts.py [--per-day 4000] [--opensearch http://127.0.0.1:9200]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from janmat.alerts.backtest import backtest  # noqa: E402
from janmat.alerts.evaluate import evaluate_spikes  # noqa: E402
from janmat.alerts.facts import read_facts  # noqa: E402
from janmat.alerts.rules import parse_rule  # noqa: E402
from janmat.alerts.storage import open_alert_state  # noqa: E402
from janmat.core.mention import DistrictTag, Mention, Platform, SchemeTag, Sentiment  # noqa: E402
from janmat.store import MentionQuery, MentionStore, open_store  # noqa: E402
from nlp.gazetteer import load_gazetteer  # noqa: E402
from nlp.schemes import catalogue  # noqa: E402

WORDS = ["किसान", "योजना", "अस्पताल", "पेंशन", "सड़क", "बिजली", "पानी", "धरना", "शिविर", "किस्त", "kisan", "yojana"]
RULES = [
    {"name": "Chirayu negative", "schemes": ["chirayu_haryana"], "sentiment": "negative"},
    {"name": "farmers' protest", "query": '"किसान धरना" OR kisan'},
    {"name": "Hisar", "districts": ["Hisar"]},
    {"name": "posts", "platforms": ["x", "facebook"], "sentiment": "negative"},
    {"name": "flagged", "misinformation": True},
]


def generate(per_day: int, now: datetime, seed: int = 13) -> list[Mention]:
    rng = random.Random(seed)
    districts = sorted(key for key in load_gazetteer().districts if ":" not in key)
    schemes = [scheme.id for scheme in catalogue()]
    found = []
    for number in range(per_day * 7):
        when = now - timedelta(seconds=rng.uniform(0, 7 * 86_400))
        words = " ".join(rng.choices(WORDS, k=12))
        found.append(Mention(
            id=f"b{number}", text=f"{words} {number}", published_at=when.replace(microsecond=0),
            platform=rng.choice([Platform.news, Platform.x, Platform.facebook]),
            districts=[DistrictTag(name=rng.choice(districts))] if rng.random() < 0.8 else [],
            schemes=[SchemeTag(id=rng.choice(schemes))] if rng.random() < 0.6 else [],
            sentiment=Sentiment(label=rng.choice(["neutral", "neutral", "positive", "negative"]), score=0.9,
                                model="bench"),
        ))
    return found


def timed(work: Callable[[], object], runs: int) -> list[float]:
    spent = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        spent.append(time.perf_counter() - began)
    return spent


def row(table: Table, name: str, spent: list[float], baseline: str) -> None:
    ordered = sorted(spent)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    table.add_row(name, f"{statistics.median(spent) * 1000:.0f} ms", f"{p95 * 1000:.0f} ms", baseline)


def standing_queries(store: MentionStore, batch: list[Mention], runs: int) -> list[float]:
    with open_alert_state(store) as state:
        rules = [state.add_rule(parse_rule(rule | {"name": f"{rule['name']} {n}"}))
                 for n in range(4) for rule in RULES]
        return timed(lambda: state.match(rules, batch), runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-day", type=int, default=4000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--opensearch", help="an OpenSearch node for the percolator measurement")
    args = parser.parse_args()
    console = Console()
    now = datetime.now(UTC).replace(microsecond=0)
    mentions = generate(args.per_day, now)
    table = Table(title=f"Alerts on {len(mentions):,} mentions over 7 days (SQLite)", title_justify="left")
    for column in ("measure", "p50", "p95", "baseline (same run)"):
        table.add_column(column)
    with tempfile.TemporaryDirectory() as folder, open_store(f"sqlite:///{Path(folder) / 'bench.db'}") as store:
        for start in range(0, len(mentions), 2000):
            store.upsert(mentions[start:start + 2000])
        week = MentionQuery(since=now - timedelta(days=7), until=now)
        facts = timed(lambda: read_facts(store, now - timedelta(days=7, hours=4), now), args.runs)
        counts = timed(lambda: store.counts("district", week), args.runs)
        spikes = timed(lambda: evaluate_spikes(store, now, notify=False), args.runs)
        read_ms, count_ms = statistics.median(facts) * 1000, statistics.median(counts) * 1000
        row(table, "evaluate_spikes (built-in rules, 3 h catch-up)", spikes,
            f"read_facts {read_ms:.0f} ms; counts by district {count_ms:.0f} ms")
        replay = timed(lambda: backtest(store, now - timedelta(days=6), now), 3)
        ratio = statistics.median(replay) / statistics.median(spikes)
        row(table, "backtest over 6 days", replay, f"= {ratio:.0f}× one live evaluation")
        batch = generate(30, now, seed=99)[:200]
        written = timed(lambda: store.upsert(batch), args.runs)
        row(table, "20 standing queries on a 200-mention batch, in process", standing_queries(store, batch, args.runs),
            f"upsert of the batch {statistics.median(written) * 1000:.0f} ms")
    if args.opensearch:
        prefix = f"bench{uuid.uuid4().hex[:8]}"
        import os

        os.environ["JANMAT_INDEX_PREFIX"] = prefix
        from janmat.core.settings import get_settings

        get_settings.cache_clear()
        engine = open_store(f"opensearch+{args.opensearch}")
        try:
            written = timed(lambda: engine.upsert(batch), 3)
            row(table, "20 standing queries on a 200-mention batch, percolator", standing_queries(engine, batch,
                args.runs), f"upsert of the batch {statistics.median(written) * 1000:.0f} ms")
        finally:
            engine.remove_everything()
            engine.close()
    console.print(table)


if __name__ == "__main__":
    main()
