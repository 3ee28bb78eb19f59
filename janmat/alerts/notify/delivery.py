"""Queue alerts (``enqueue``) and send what is due (``deliver_pending``), each channel on its own.

``enqueue`` only writes outbox rows, so the rules engine never waits for a mail server. ``deliver_pending`` runs each
channel with due rows in its own thread: a channel that hangs until its timeout holds up no other. Within a
channel, a target (URL, chat) that did not answer is skipped for the rest of the run, and its rows wait for the next.
A failed try is retried at a time stored on the row, doubling per try (or as the target asked, e.g. Telegram's
``retry_after``); a row is given up, with a logged and reported reason, after ``max_attempts`` tries or
``max_age_hours``.

Rows are marked right after the target accepted the alert, never before the send: marking first would lose the
alert if the process died mid-send. A crash between the target's answer and the mark can therefore resend one alert
to one target, once; the webhook's ``Idempotency-Key`` and the e-mail's stable Message-ID let receivers drop it.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from janmat.alerts.model import Alert
from janmat.alerts.notify.base import Refused, Sender, SendError, Unreachable
from janmat.alerts.notify.channels import SENDERS, configured, problem
from janmat.alerts.notify.message import compose
from janmat.alerts.notify.outbox import ChannelStatus, Outbox, OutboxRow
from janmat.core.settings import JanmatSettings, get_settings

log = logging.getLogger(__name__)
_told: dict[str, str | None] = {}
"""The setting problem last logged per channel: a monitor delivering every 30 s logs it once, not every time."""


@dataclass
class ChannelReport:
    """What one channel did in one run."""

    channel: str
    delivered: int = 0
    retrying: int = 0
    """Tried and failed; tried again later."""
    waiting: int = 0
    """Due but not tried: the channel or target was down or rate-limited this run, or is not configured."""
    gave_up: list[tuple[str, str]] = field(default_factory=list)
    """(alert id, why) for each alert given up for good in this run."""
    error: str | None = None
    """Why the channel cannot send (a missing setting), or its latest failure."""
    misconfigured: bool = False
    """``error`` names a missing or bad setting: nothing was tried."""


@dataclass
class DeliveryReport:
    """What one ``deliver_pending`` run did, by channel."""

    channels: dict[str, ChannelReport] = field(default_factory=dict)

    @property
    def delivered(self) -> int:
        """Alerts delivered in this run, over all channels."""
        return sum(c.delivered for c in self.channels.values())

    @property
    def gave_up(self) -> list[str]:
        """``channel: alert id: why`` for every alert given up in this run."""
        return [f"{c.channel}: {alert}: {why}" for c in self.channels.values() for alert, why in c.gave_up]


def outbox_path(settings: JanmatSettings) -> Path:
    """The outbox file: ``JANMAT_NOTIFY_OUTBOX`` or ``<data_dir>/outbox.sqlite``."""
    return settings.notify.outbox or settings.data_dir / "outbox.sqlite"


def enqueue(alert: Alert, settings: JanmatSettings | None = None) -> None:
    """Queue the alert for its channels (the rule's, else ``JANMAT_NOTIFY_CHANNELS``, else every configured one);
    durable when this returns, and queueing the same alert again adds nothing."""
    settings = settings or get_settings()
    notify = settings.notify
    channels = list(alert.channels) or notify.channels or configured(notify)
    if not channels:
        log.warning("alert %s: no notification channel is configured, so nobody is told", alert.id)
        return
    with Outbox(outbox_path(settings)) as outbox:
        added = outbox.add(alert, channels, time.time())
    if added:
        log.info("alert %s queued for %s", alert.id, ", ".join(channels))
    for channel in channels:
        why = problem(channel, notify)
        if why:
            log.warning("alert %s waits in the outbox: %s", alert.id, why)


def deliver_pending(now: datetime | None = None, settings: JanmatSettings | None = None) -> DeliveryReport:
    """Send every due alert on every channel that has some, each channel independently; see the module's notes."""
    settings = settings or get_settings()
    moment = now or datetime.now(UTC)
    path = outbox_path(settings)
    report = DeliveryReport()
    if not path.exists():
        return report
    with Outbox(path) as outbox:
        busy = [channel for channel, found in outbox.status().items() if found.pending]
        if not busy:
            return report
        with ThreadPoolExecutor(max_workers=len(busy), thread_name_prefix="notify") as pool:
            runs = {channel: pool.submit(_run_channel, channel, outbox, settings, moment) for channel in busy}
        report.channels = {channel: run.result() for channel, run in runs.items()}
    return report


def outbox_status(settings: JanmatSettings | None = None) -> dict[str, ChannelStatus]:
    """Pending, delivered and failed alerts per channel (for ``janmat alerts outbox`` and ``monitor status``)."""
    path = outbox_path(settings or get_settings())
    if not path.exists():
        return {}
    with Outbox(path) as outbox:
        return outbox.status()


def requeue_failed(settings: JanmatSettings | None = None) -> int:
    """Queue every given-up alert again, with fresh tries (after fixing what made it fail)."""
    path = outbox_path(settings or get_settings())
    if not path.exists():
        return 0
    with Outbox(path) as outbox:
        return outbox.requeue_failed(time.time())


def _run_channel(channel: str, outbox: Outbox, settings: JanmatSettings, moment: datetime) -> ChannelReport:
    """One channel's run; whatever goes wrong stays in its report."""
    report = ChannelReport(channel)
    try:
        _deliver_channel(channel, outbox, settings, moment, report)
    except Exception as exc:  # a bug or a broken outbox must not end the other channels' runs
        log.exception("delivering %s alerts failed", channel)
        report.error = f"{type(exc).__name__}: {exc}"
    return report


def _deliver_channel(channel: str, outbox: Outbox, settings: JanmatSettings, moment: datetime,
                     report: ChannelReport) -> None:
    notify = settings.notify
    now = moment.timestamp()
    for row in outbox.expired(channel, now - notify.max_age_hours * 3600, now):
        why = f"not delivered within {notify.max_age_hours:g} h" + (f"; last error: {row.last_error}"
                                                                     if row.last_error else "")
        _give_up(outbox, row, now, why, report, tried=False)
    report.error = problem(channel, notify)
    report.misconfigured = report.error is not None
    if _told.get(channel) != report.error:
        _told[channel] = report.error
        if report.error:
            log.error("%s alerts wait: %s", channel, report.error)
    if not report.misconfigured:
        _send_due(channel, outbox, settings, moment, report)
    report.waiting = outbox.count_due(channel, now)


def _send_due(channel: str, outbox: Outbox, settings: JanmatSettings, moment: datetime,
              report: ChannelReport) -> None:
    """Take the channel's due rows one at a time, until none is left or every target is down."""
    sender = SENDERS[channel](settings)
    down: set[str] = set()
    taken: list[str] = []
    try:
        while len(down) < len(sender.targets):
            row = outbox.take(channel, moment.timestamp(), settings.notify.lease_seconds, skip=taken)
            if row is None:
                break
            taken.append(row.alert_id)
            _deliver_row(row, sender, outbox, settings, moment, down, report)
    finally:
        sender.close()


def _deliver_row(row: OutboxRow, sender: Sender, outbox: Outbox, settings: JanmatSettings, moment: datetime,
                 down: set[str], report: ChannelReport) -> None:
    """Send one alert to each of the channel's targets that does not have it yet and is not down this run."""
    now = moment.timestamp()
    todo = [target for target in sender.targets if target not in row.done_targets]
    live = [target for target in todo if target not in down]
    if not live:
        if todo:
            outbox.release(row)
        else:  # every target took it before a crash kept us from marking the row
            outbox.delivered(row, now)
            report.delivered += 1
        return
    message = compose(row.alert, settings, moment)
    unreachable: Unreachable | None = None
    refused: Refused | None = None
    notes = []
    for target in live:
        try:
            note = sender.send(target, message, row.alert)
        except Unreachable as exc:
            down.add(target)
            unreachable = exc
        except Refused as exc:
            refused = exc
        except SendError as exc:  # a sender raising the base class means "try again"
            unreachable = Unreachable(str(exc))
        else:
            outbox.target_done(row, target)
            if note:
                notes.append(note)
    if unreachable:
        _retry(outbox, row, now, unreachable, settings, report)
    elif refused:
        _give_up(outbox, row, now, f"refused: {refused}", report, tried=True)
    elif len(live) < len(todo):
        outbox.release(row)  # delivered to the live targets; the others were down this run
    else:
        outbox.delivered(row, now, "; ".join(notes) or None)
        report.delivered += 1
        log.info("alert %s delivered by %s", row.alert_id, row.channel)


def _retry(outbox: Outbox, row: OutboxRow, now: float, failure: Unreachable, settings: JanmatSettings,
           report: ChannelReport) -> None:
    notify = settings.notify
    tries = row.attempts + 1
    error = str(failure)
    report.error = error
    if tries >= notify.max_attempts:
        _give_up(outbox, row, now, f"{tries} tries failed; last error: {error}", report, tried=True)
        return
    backoff = min(notify.retry_backoff_seconds * 2 ** (tries - 1), notify.retry_backoff_max_seconds)
    outbox.retry(row, now, now + max(backoff, failure.retry_after or 0.0), error)
    report.retrying += 1
    log.warning("alert %s not delivered by %s (try %d), will retry: %s", row.alert_id, row.channel, tries, error)


def _give_up(outbox: Outbox, row: OutboxRow, now: float, why: str, report: ChannelReport, tried: bool) -> None:
    outbox.fail(row, now, why, tried=tried)
    report.gave_up.append((row.alert_id, why))
    log.error("gave up on alert %s via %s: %s", row.alert_id, row.channel, why)

