"""Telegram public channels: runs the ``telegram`` Scrapy spider (``crawlers/spiders/telegram.py``).

The spider runs in its own process (Twisted's reactor cannot restart inside one process) with the project's
Scrapy settings, so its items pass through the same item pipeline as the news crawl. This adapter hands it the
watchlist's channels and their cursors, and saves the new cursors the spider reports only after the crawl exited
successfully: a channel's cursor moves only when all its new messages were collected and stored.
"""

from __future__ import annotations

from janmat.collectors.base import CollectContext, Collector, rfc3339
from janmat.collectors.errors import CollectorError
from janmat.collectors.spider import crawl_with_report, log_path
from janmat.collectors.watchlist import Watchlist
from janmat.core.mention import Platform
from janmat.core.settings import JanmatSettings


def cursor_key(channel: str) -> str:
    """The collector-state key of a channel's cursor."""
    return f"channel:{channel}"


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
        channels = [c.strip().lstrip("@") for c in ctx.watchlist.telegram.channels if c.strip()]
        saved = {c: int(ctx.cursor(cursor_key(c)).get("last_id", 0)) for c in channels}
        args = {"channels": ",".join(channels)}
        if ctx.since:  # a backfill reads every channel back to that date, whatever its cursor says
            args["since"] = rfc3339(ctx.since)
        cursors = {c: 0 for c in channels} if ctx.since else saved
        report = crawl_with_report(self.name, "telegram", ctx.settings, args, inputs={"cursors": cursors})
        for channel, newest in report["cursors"].items():
            ctx.state.put(self.name, cursor_key(channel), {"last_id": max(int(newest), saved.get(channel, 0))})
        ctx.report.fetched += report["fetched"]
        ctx.report.duplicates += report["dropped"]
        problems = sorted(set(report["broken"]) | set(report["incomplete"]))
        if problems or report["errors"]:
            raise CollectorError(f"telegram: {len(problems)} channel(s) not fully collected ({', '.join(problems)}); "
                                 f"their cursors stay put and the next run fetches them again — see "
                                 f"{log_path(ctx.settings, self.name)}")
