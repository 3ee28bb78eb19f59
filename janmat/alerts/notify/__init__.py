"""Alert notifications: an outbox on disk and three channels (webhook, e-mail, Telegram).

The rules engine calls ``enqueue(alert)``; the monitor calls ``deliver_pending()`` on a timer and shows
``outbox_status()``. ``docs/notifications.md`` describes the channels, the messages and the delivery guarantees.
"""

from janmat.alerts.notify.channels import CHANNELS, check_channels
from janmat.alerts.notify.delivery import (
    ChannelReport,
    DeliveryReport,
    deliver_pending,
    enqueue,
    outbox_path,
    outbox_status,
    requeue_failed,
)
from janmat.alerts.notify.outbox import ChannelStatus

__all__ = [
    "CHANNELS",
    "ChannelReport",
    "ChannelStatus",
    "DeliveryReport",
    "check_channels",
    "deliver_pending",
    "enqueue",
    "outbox_path",
    "outbox_status",
    "requeue_failed",
]
