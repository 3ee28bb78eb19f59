"""``janmat collect``: run the platform collectors, show the queries they send, show their saved state."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.table import Table

from janmat.cli.console import clear_errors, out
from janmat.cli.options import JsonOption
from janmat.core.i18n import t
from janmat.core.settings import get_settings

collect_app = typer.Typer(
    help="Collect mentions from X, YouTube, Facebook, Telegram, Google News and fact-checkers. "
         "/ सोशल मीडिया, गूगल न्यूज़ और फ़ैक्ट-चेक स्रोतों से उल्लेख जुटाएँ।",
    no_args_is_help=True,
)

PlatformOption = Annotated[
    list[str] | None,
    typer.Option("--platform", "-p", help="x, youtube, facebook, telegram, gnews or factcheck; repeat for several "
                                          "(default: all)."),
]


@collect_app.command("run")
@clear_errors
def run_command(
    platform: PlatformOption = None,
    since: Annotated[str | None, typer.Option(
        "--since", help="Backfill from this time (YYYY-MM-DD IST, ISO datetime, or 24h/7d) instead of resuming "
                        "from the saved cursors; stored items are updated, not duplicated.")] = None,
    store: Annotated[str | None, typer.Option("--store", help="Store URL (default JANMAT_STORE or the embedded "
                                                                "SQLite file).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Collect new items from each platform into the store (exit code 1 if a collector failed)."""
    from janmat.collectors.runner import run_collectors
    from janmat.store import open_store
    from janmat.store.filters import parse_when
    from nlp.normalize import normalize_text

    start = parse_when(normalize_text(since)) if since else None  # normalize: Devanagari digits are fine too
    target = open_store(store) if store else None
    try:
        reports = run_collectors(platform, since=start, store=target)
    finally:
        if target is not None:
            target.close()
    if as_json:
        sys.stdout.write(json.dumps([r.model_dump() for r in reports], ensure_ascii=False, indent=1) + "\n")
    else:
        table = Table(title_justify="left")
        columns = ("collector", "status", "fetched", "new", "updated", "duplicates", "rejected", "gone",
                   "requests", "quota")
        for column in columns:
            table.add_column(t(column), justify="left" if column in ("collector", "status") else "right",
                             no_wrap=column in ("collector", "status"))
        colours = {"ok": "green", "skipped": "dim", "stopped": "yellow", "failed": "red"}
        for r in reports:
            table.add_row(r.collector, f"[{colours[r.status]}]{r.status}[/]", str(r.fetched), str(r.stored),
                          str(r.updated), str(r.duplicates), str(r.rejected), str(r.gone), str(r.requests),
                          str(r.quota_units))
        out.print(table)
        for r in reports:
            if r.message:
                out.print(f"[{colours[r.status]}]{r.message}[/]", highlight=False)
    if any(r.status == "failed" for r in reports):
        raise typer.Exit(1)


@collect_app.command("queries")
@clear_errors
def queries_command(platform: PlatformOption = None, as_json: JsonOption = False) -> None:
    """Print the search queries each platform would be sent, built from the catalogue and the watchlist."""
    from janmat.collectors.queries import gnews_queries, x_account_queries, x_queries, youtube_queries
    from janmat.collectors.runner import pick
    from janmat.collectors.topics import all_topics
    from janmat.collectors.watchlist import load_watchlist

    settings = get_settings()
    watchlist = load_watchlist()
    topics = all_topics(watchlist)
    rows: list[tuple[str, str, str]] = []
    for name in pick(platform):
        if name == "x":
            found = [q for t in topics for q in x_queries(t, settings.collectors.x_query_max_chars)]
            if watchlist.x.accounts:
                found += x_account_queries(watchlist.x.accounts, settings.collectors.x_query_max_chars)
            rows += [("x", q.key, q.text) for q in found]
        elif name == "youtube":
            rows += [("youtube", q.key, q.text) for t in topics for q in youtube_queries(t)]
            rows += [("youtube", f"channel:{c}", f"channelId={c}") for c in watchlist.youtube.channels]
        elif name == "gnews":
            rows += [("gnews", q.key, q.text) for t in topics for q in gnews_queries(t)]
        elif name == "facebook":
            rows += [("facebook", f"page:{p}", f"/{p}/posts") for p in watchlist.facebook.pages]
        elif name == "telegram":
            base = settings.collectors.telegram_base
            rows += [("telegram", f"channel:{c}", f"{base}/s/{c}") for c in watchlist.telegram.channels]
        elif name == "factcheck":
            rows += [("factcheck", f.name, f.url) for f in watchlist.factcheck.feeds if f.enabled]
    if as_json:
        payload = [{"platform": p, "key": k, "query": q} for p, k, q in rows]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
        return
    table = Table(title_justify="left")
    for column in ("platform", "topic", "query"):
        table.add_column(t(column))
    for row in rows:
        table.add_row(*row)
    out.print(table)


@collect_app.command("status")
@clear_errors
def status_command(platform: PlatformOption = None, as_json: JsonOption = False) -> None:
    """Show each collector's saved cursors, today's YouTube quota and the article URLs queued for the crawler."""
    from crawlers.article_queue import ArticleQueue
    from janmat.collectors.runner import pick
    from janmat.collectors.state import CollectorState
    from janmat.collectors.youtube import quota_day

    settings = get_settings()
    names = set(pick(platform))
    day = quota_day()
    with CollectorState() as state:
        cursors = [c for c in state.cursors() if c[0] in names]
        used = state.quota_used("youtube", day)
    queue = ArticleQueue()
    pending = queue.pending()
    queue.close()
    if as_json:
        payload = {
            "cursors": [{"collector": c, "key": k, "cursor": v, "updated_at": u} for c, k, v, u in cursors],
            "youtube_quota": {"day": day, "used": used, "cap": settings.collectors.youtube_daily_quota},
            "article_queue_pending": pending,
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
        return
    table = Table(title_justify="left")
    for column in ("collector", "key", "cursor", "saved_at"):
        table.add_column(t(column))
    for collector, key, value, updated in cursors:
        table.add_row(collector, key, json.dumps(value, ensure_ascii=False)[:100], updated)
    out.print(table)
    out.print(t("quota_today", day=day, used=used, cap=settings.collectors.youtube_daily_quota), highlight=False)
    out.print(t("queued", n=pending), highlight=False)
