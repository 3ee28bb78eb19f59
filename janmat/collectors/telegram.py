"""Telegram public channels: runs the ``telegram`` Scrapy spider (``crawlers/spiders/telegram.py``).

The spider runs in its own process (Twisted's reactor cannot restart inside one process) with the project's
Scrapy settings, so its items pass through the same ITEM_PIPELINES as the news crawl. The spider saves its
own cursors; this adapter only starts it and reads back its counts.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from crawlers.process import run_spider, spider_env
from janmat.collectors.base import CollectContext, Collector, rfc3339
from janmat.collectors.errors import CollectorError
from janmat.collectors.watchlist import Watchlist
from janmat.core.mention import Platform
from janmat.core.settings import JanmatSettings

_TAIL_LINES = 15


class TelegramCollector(Collector):
    """New messages of the watchlist's public Telegram channels."""

    name = "telegram"
    platform = Platform.telegram
    needs_open_web = True

    def unavailable(self, settings: JanmatSettings, watchlist: Watchlist) -> str | None:
        if not watchlist.telegram.channels:
            return "telegram: skipped — no channels under telegram.channels in the watchlist"
        return super().unavailable(settings, watchlist)

    def collect(self, ctx: CollectContext) -> None:
        watchlist = ctx.settings.collectors.watchlist
        env = spider_env(**({"JANMAT_WATCHLIST": str(watchlist)} if watchlist else {}))
        log_path = ctx.settings.state_dir / "telegram-last-run.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            report_path = Path(tmp) / "report.json"
            args = {"channels": ",".join(ctx.watchlist.telegram.channels), "report": str(report_path)}
            if ctx.since:
                args["since"] = rfc3339(ctx.since)
            with log_path.open("w", encoding="utf-8") as log_file:
                status = run_spider("telegram", args, cwd=tmp, output=log_file, env=env)
            if not report_path.exists():
                tail = "\n".join(log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-_TAIL_LINES:])
                raise CollectorError(f"telegram: the spider did not run (exit {status}); "
                                     f"see {log_path}:\n{tail}")
            report = json.loads(report_path.read_text(encoding="utf-8"))
        ctx.report.fetched += report["fetched"]
        ctx.report.duplicates += report["dropped"]
        problems = sorted(set(report["broken"]) | set(report["incomplete"]))
        if problems or report["errors"]:
            raise CollectorError(f"telegram: {len(problems)} channel(s) not fully collected ({', '.join(problems)}); "
                                 f"their cursors stay put and the next run fetches them again — see {log_path}")
