"""``janmat alerts outbox [--json]`` and ``janmat alerts deliver``: the notification outbox, per channel.

Commands of the ``alerts`` group; ``add_outbox_commands(alerts_app)`` attaches them to it.
"""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import asdict
from typing import Annotated, Any

import typer
from rich.table import Table

from janmat.cli.console import clear_errors, err, out
from janmat.cli.options import JsonOption
from janmat.core.errors import ConfigError
from janmat.core.i18n import t


@clear_errors
def outbox_command(as_json: JsonOption = False) -> None:
    """Show how many alerts are pending, delivered and failed per channel, and the latest error."""
    from janmat.alerts.notify import CHANNELS, outbox_path, outbox_status
    from janmat.alerts.notify.channels import configured
    from janmat.core.settings import get_settings

    settings = get_settings()
    found = outbox_status(settings)
    channels = [c for c in CHANNELS if c in found or c in configured(settings.notify)]
    rows = [_status_row(channel, found.get(channel)) for channel in channels]
    if as_json:
        payload = {"outbox": str(outbox_path(settings)), "channels": rows}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
        return
    if not found:
        out.print(t("notify_outbox_empty"))
    table = Table()
    for key in ("notify_channel", "notify_pending", "notify_delivered", "notify_failed", "notify_oldest",
                "notify_last_error"):
        table.add_column(t(key))
    for row in rows:
        table.add_row(row["channel"], str(row["pending"]), str(row["delivered"]), str(row["failed"]),
                      row["oldest_pending"] or "–", row["last_error"] or "–")
    out.print(table)


@clear_errors
def deliver_command(
    retry_failed: Annotated[bool, typer.Option(
        "--retry-failed", help="First queue the alerts given up on again (after fixing the cause).")] = False,
    as_json: JsonOption = False,
) -> None:
    """Send the alerts that are due now, on every channel; exit 1 if some were given up or must be retried."""
    from janmat.alerts.notify import deliver_pending, requeue_failed

    if retry_failed:
        err.print(t("notify_requeued", n=requeue_failed()))
    notify_log = logging.getLogger("janmat.alerts.notify")
    level = notify_log.level
    notify_log.setLevel(logging.CRITICAL)  # this command prints every outcome itself, once
    try:
        report = deliver_pending()
    finally:
        notify_log.setLevel(level)
    if as_json:
        channels = [asdict(channel) for channel in report.channels.values()]
        sys.stdout.write(json.dumps({"channels": channels}, ensure_ascii=False, indent=1) + "\n")
    else:
        for channel in report.channels.values():
            out.print(t("notify_deliver_summary", channel=channel.channel, delivered=channel.delivered,
                        retrying=channel.retrying, waiting=channel.waiting, gave_up=len(channel.gave_up)),
                      highlight=False)
        for channel in report.channels.values():
            for alert, why in channel.gave_up:
                err.print(t("notify_gave_up", alert=alert, channel=channel.channel, why=why), highlight=False)
    wrong = [c.error for c in report.channels.values() if c.misconfigured and c.error]
    if wrong:
        raise ConfigError(wrong[0])
    if report.gave_up or any(c.retrying for c in report.channels.values()):
        raise typer.Exit(1)


def add_outbox_commands(alerts_app: typer.Typer) -> None:
    """Make ``outbox`` and ``deliver`` commands of the ``janmat alerts`` group."""
    alerts_app.command("outbox")(outbox_command)
    alerts_app.command("deliver")(deliver_command)


def _status_row(channel: str, status: Any) -> dict[str, Any]:
    return {
        "channel": channel,
        "pending": status.pending if status else 0,
        "delivered": status.delivered if status else 0,
        "failed": status.failed if status else 0,
        "oldest_pending": status.oldest_pending.isoformat() if status and status.oldest_pending else None,
        "last_error": status.last_error if status else None,
    }
