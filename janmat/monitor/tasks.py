"""The monitor's other jobs: one platform collector's run, spike evaluation, claim-spread checks, and delivery of
the outbox.

Collectors run in the monitor's process through ``janmat.collectors.runner.run_collectors`` (their cursors are
saved only after what they cover is stored, so an interrupted run repeats pages, never skips them). The alert
parts are imported when their job runs, so the monitor starts even where they are not installed; such a job
reports ``skipped`` with the name of what it looked for.
"""

from __future__ import annotations

import logging
import pkgutil
from collections.abc import Callable
from typing import Any

from janmat.core.settings import JanmatSettings
from janmat.monitor.crawl import Outcome

log = logging.getLogger(__name__)

SPIKE_HOOKS = ("janmat.alerts:evaluate_spikes", "janmat.alerts.evaluate:evaluate_spikes")
"""What the alert role calls every ``JANMAT_MONITOR_SPIKE_INTERVAL_SECONDS`` (the first that exists):
``evaluate_spikes(store, settings=…)`` evaluates the spike rules on the stored mentions, queues what fires in the
outbox and returns the alerts it fired; calling it again never fires an alert twice."""
CLAIMS_HOOK = "janmat.alerts.claim_spread:check_claim_spread"
"""What the alert role calls every ``JANMAT_CLAIMS_SPREAD_CHECK_SECONDS``: ``check_claim_spread(claims,
settings=…)`` queues an alert in the outbox for each known false or misleading claim that started spreading and
returns them; a claim raises no second alert within its quiet hours."""
DELIVER_HOOK = "janmat.alerts.notify:deliver_pending"
"""What the alert role calls every ``JANMAT_MONITOR_DELIVER_INTERVAL_SECONDS``: sends what is due in the outbox."""


def resolve(hook: str) -> Callable[..., Any] | None:
    """The function a hook names, or None when its module or name is not there (yet)."""
    try:
        found = pkgutil.resolve_name(hook)
    except (ImportError, AttributeError, ValueError):
        return None
    return found if callable(found) else None


def collect(name: str, settings: JanmatSettings) -> Outcome:
    """Run collector ``name`` once into the store."""
    from janmat.collectors.runner import run_collectors
    from janmat.store import open_store

    with open_store() as store:
        report = run_collectors([name], store=store, settings=settings)[0]
    summary = {"handed": report.fetched, "stored": report.stored + report.updated, "new": report.stored,
               "rejected": report.rejected, "duplicates": report.duplicates, "gone": report.gone,
               "requests": report.requests}
    status = report.status
    return Outcome(status, summary, report.message if status == "failed" else None)


def evaluate_spikes(settings: JanmatSettings) -> Outcome:
    """Evaluate the spike rules once (``SPIKE_HOOKS``)."""
    from janmat.store import open_store

    hook = next(filter(None, map(resolve, SPIKE_HOOKS)), None)
    if hook is None:
        return Outcome("skipped", {"note": f"spike detection not installed ({SPIKE_HOOKS[0]})"})
    with open_store() as store:
        fired = hook(store, settings=settings)
    return Outcome("ok", {"alerts": len(fired)})


def check_claims(settings: JanmatSettings) -> Outcome:
    """Check once for spreading claims (``CLAIMS_HOOK``) in the configured store."""
    hook = resolve(CLAIMS_HOOK)
    if hook is None:
        return Outcome("skipped", {"note": f"claim tracking not installed ({CLAIMS_HOOK})"})
    from janmat.store.claims_backends import open_claims

    with open_claims() as claims:
        fired = hook(claims, settings=settings)
    return Outcome("ok", {"alerts": len(fired)})


def deliver(settings: JanmatSettings) -> Outcome:
    """Send the notifications that are due (``DELIVER_HOOK``)."""
    hook = resolve(DELIVER_HOOK)
    if hook is None:
        return Outcome("skipped", {"note": f"notifications not installed ({DELIVER_HOOK})"})
    report = hook(settings=settings)
    gave_up = list(report.gave_up)
    if not report.channels:  # nothing was due
        return Outcome("idle")
    return Outcome("ok", {"delivered": report.delivered, "gave_up": len(gave_up)},
                   "; ".join(gave_up)[:500] or None)
