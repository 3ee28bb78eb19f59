"""Claim-spread alerts: a known false or misleading claim that starts spreading raises one alert of kind ``claim``.

At each check (the monitor runs ``check_claim_spread`` every ``JANMAT_CLAIMS_SPREAD_CHECK_SECONDS``) every claim
with matched mentions in the last window is tracked over that window (``janmat.store.claims_tracker``: its
matched mentions and their near-duplicates, rebuttals left out). It spreads when it has at least
``spread_min_mentions`` items from ``spread_min_sources`` outlets or accounts. A spreading claim raises an alert
unless it raised one within ``spread_quiet_hours``.

A spike window whose mentions are mostly one such claim spreading (``claim_behind_spike``) is that claim's event:
the spike evaluation defers to the claim alert, so one event raises one alert, the one naming the claim and its
rebuttal (``docs/alerts.md``).

The alert's id counts the claim's alerts (``claim:<id>:<n>``), and the claim records the alert only after
``enqueue`` returned: a check that dies in between queues the same id again next time, which the outbox ignores.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Protocol

from janmat.alerts.model import Alert, AlertMention
from janmat.core.errors import ConfigError
from janmat.core.settings import ClaimSettings, JanmatSettings, get_settings
from janmat.store.base import MentionStore
from janmat.store.claims import ClaimStore, StoredClaim
from janmat.store.claims_backends import claim_store_for
from janmat.store.claims_tracker import ClaimTrack, TrackedMention, track_claim

log = logging.getLogger(__name__)

RULE_ID = "claim-spread"
RULE_NAME = "Claim spreading / दावा फैल रहा है"


def spreading(track: ClaimTrack, settings: ClaimSettings) -> bool:
    """Whether a claim's items in the window are enough to call it spreading."""
    return track.mentions >= settings.spread_min_mentions and len(track.sources) >= settings.spread_min_sources


def quiet(claim: StoredClaim, now: datetime, settings: ClaimSettings) -> bool:
    """Whether the claim may raise an alert now (none within the quiet hours)."""
    return claim.last_alert_at is None or now - claim.last_alert_at >= timedelta(hours=settings.spread_quiet_hours)


def claim_alert(track: ClaimTrack, start: datetime, end: datetime) -> Alert:
    """The alert for a claim spreading in the window ``start``–``end``."""
    claim = track.claim
    top = sorted(track.items, key=lambda item: (-item.engagement, item.at))[:3]
    cluster = track.clusters[0][0] if track.clusters else None
    platforms = ", ".join(f"{name} {n}" for name, n in track.platforms.items())
    return Alert(
        id=f"claim:{claim.id}:{claim.spread_alerts + 1}", rule_id=RULE_ID, rule_name=RULE_NAME, kind="claim",
        district=claim.districts[0] if claim.districts else None, scheme=claim.schemes[0] if claim.schemes else None,
        claim_id=claim.id, cluster=cluster, window_start=start, window_end=end, count=track.mentions,
        reason=(f"claim {claim.id} ({claim.status}) repeated in {track.mentions} mentions from "
                f"{len(track.sources)} outlets or accounts ({platforms}); rebuttal: {claim.url or 'none yet'}"),
        top=[_top(item) for item in top],
    )


def _top(item: TrackedMention) -> AlertMention:
    return AlertMention(id=item.id, title=item.title, snippet=item.snippet, url=item.url, source=item.source,
                        published_at=item.at)


def detect_claim_spread(claims: ClaimStore, now: datetime | None = None,
                        settings: JanmatSettings | None = None) -> list[Alert]:
    """The alerts due now for claims that started spreading (nothing is queued or recorded)."""
    config = (settings or get_settings()).claims
    end = now or datetime.now(UTC)
    start = end - timedelta(minutes=config.spread_window_minutes)
    counts = claims.sighting_counts(since=start, until=end)
    known = claims.get_many(claim_id for claim_id, _ in counts)
    alerts = []
    for claim_id, _ in counts:
        claim = known.get(claim_id)
        if claim is None or claim.status not in config.spread_statuses or not quiet(claim, end, config):
            continue
        track = track_claim(claims, claim, since=start, until=end)
        if spreading(track, config):
            alerts.append(claim_alert(track, start, end))
    return alerts


def check_claim_spread(claims: ClaimStore, now: datetime | None = None,
                       settings: JanmatSettings | None = None) -> list[Alert]:
    """Queue an alert for each claim that started spreading (``janmat.alerts.notify.enqueue``) and record it on the
    claim; returns the alerts queued."""
    from janmat.alerts.notify import enqueue  # late: the channels load only when something fires

    settings = settings or get_settings()
    moment = now or datetime.now(UTC)
    alerts = detect_claim_spread(claims, moment, settings)
    for alert in alerts:
        enqueue(alert, settings)
        claims.mark_alerted(alert.claim_id or "", moment)
        log.info("claim %s is spreading: %s", alert.claim_id, alert.reason)
    return alerts


class _Seen(Protocol):
    id: str
    source: str | None


def claim_behind_spike(store: MentionStore, facts: Sequence[_Seen], start: datetime, end: datetime,
                       settings: JanmatSettings | None = None) -> str | None:
    """The known false or misleading claim that at least half of a spike window's mentions repeat, when those
    mentions are enough to call it spreading; None when there is none (or the store keeps no claims)."""
    config = (settings or get_settings()).claims
    ids = {fact.id for fact in facts}
    try:
        claims = claim_store_for(store)
    except ConfigError:
        return None
    covered: dict[str, set[str]] = {}
    for seen in claims.sightings(since=start, until=end):
        if seen.mention.id in ids:
            covered.setdefault(seen.claim_id, set()).add(seen.mention.id)
    known = claims.get_many(covered)
    for claim_id, found in sorted(covered.items(), key=lambda item: -len(item[1])):
        claim = known.get(claim_id)
        sources = {fact.source for fact in facts if fact.id in found}
        if (claim is not None and claim.status in config.spread_statuses and 2 * len(found) >= len(ids)
                and len(found) >= config.spread_min_mentions and len(sources) >= config.spread_min_sources):
            return claim_id
    return None
