"""``janmat monitor [--role …]``: the long-running service; ``janmat monitor status [--json]``: what it did."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Annotated

import typer
from rich.table import Table

from janmat.cli.console import clear_errors, out
from janmat.cli.options import JsonOption
from janmat.core.i18n import t

monitor_app = typer.Typer(
    help="Crawl, collect, store and alert on schedules, until stopped; `status` shows what it did. "
         "/ समय-सारिणी पर क्रॉल, संग्रह, भंडारण और अलर्ट; `status` बताता है क्या हुआ।",
)


@monitor_app.callback(invoke_without_command=True)
@clear_errors
def monitor_command(
    ctx: typer.Context,
    role: Annotated[str, typer.Option("--role", help="crawl, collect, alert or all (comma-separate several); run "
                                                     "roles as separate processes or machines.")] = "all",
) -> None:
    """Run the monitor until SIGTERM or Ctrl-C (docs/monitor.md)."""
    if ctx.invoked_subcommand is not None:
        return
    from janmat.monitor.jobs import parse_roles
    from janmat.monitor.service import Monitor

    monitor = Monitor(parse_roles(role))
    out.print(t("monitor_started", roles=",".join(monitor.roles), jobs=len(monitor.jobs)), highlight=False)
    status = monitor.serve()
    out.print(t("monitor_stopped"), highlight=False)
    raise typer.Exit(status)


def _ago(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "—"
    seconds = (now - moment).total_seconds()
    return _span(seconds) if seconds >= 0 else t("monitor_in", span=_span(-seconds))


def _span(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


@monitor_app.command("status")
@clear_errors
def status_command(as_json: JsonOption = False) -> None:
    """Last run, lag and errors per source and collector, queue depths, last alerts."""
    from janmat.core.settings import get_settings
    from janmat.monitor.status import gather_status

    found = gather_status(get_settings())
    if as_json:
        sys.stdout.write(found.model_dump_json(indent=1) + "\n")
        return
    now = found.generated_at
    if not found.jobs:
        out.print(t("monitor_no_runs"), highlight=False)
    else:
        table = Table(title_justify="left")
        for column in ("monitor_job", "status", "monitor_last_run", "monitor_lag", "monitor_next_due",
                       "monitor_runs", "monitor_failures", "monitor_last_error"):
            table.add_column(t(column), no_wrap=column == "monitor_job")
        colours = {"ok": "green", "idle": "green", "unchanged": "green", "running": "cyan", "failed": "red",
                   "interrupted": "yellow", "stopped": "yellow", "skipped": "dim"}
        for job in found.jobs:
            state = job.status or "—"
            table.add_row(job.job_id, f"[{colours.get(state, 'white')}]{state}[/]", _ago(job.last_started, now),
                          _span(job.lag_seconds) if job.lag_seconds is not None else "—", _ago(job.next_due, now),
                          str(job.runs), str(job.failures), (job.last_error or "")[:80])
        out.print(table)
    queues = found.queues
    out.print(t("monitor_queues", inbox=queues.get("inbox", 0), spool=queues.get("spool", 0),
                articles=queues.get("article_queue", 0), outbox=queues.get("outbox", 0)), highlight=False)
    for monitor in found.monitors:
        out.print(t("monitor_alive", owner=monitor["owner"], roles=",".join(monitor.get("roles", []))),
                  highlight=False)
    if found.last_alerts:
        out.print(t("monitor_last_alerts"), highlight=False)
        for alert in found.last_alerts:
            out.print(f"  {alert.fired_at:%Y-%m-%d %H:%M} {alert.kind} «{alert.rule}» → {alert.channel}: "
                      f"{alert.delivery}  {alert.reason}", highlight=False)
