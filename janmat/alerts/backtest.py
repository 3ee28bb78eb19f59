"""``janmat alerts backtest``: which alerts the rules would have fired over stored history.

The spike windows come from the same detection as the live evaluation (``spikes.detect`` over the same facts) and
the standing queries from the same in-process matching; a ledger in memory holds the cool-downs, so the same
mentions give the same alerts, with the same ids. Unlike a live evaluation, nothing is too old to fire here and
nothing is queued or recorded.
"""

from __future__ import annotations

from datetime import datetime

from janmat.alerts.build import match_alert, moment, spike_alert, top_facts, with_top
from janmat.alerts.durations import seconds
from janmat.alerts.evaluate import deferred_to_claim, match_rules, spike_candidates, spike_rules, window_matches
from janmat.alerts.facts import Fact, epoch, read_facts
from janmat.alerts.ledger import Claim, MemoryLedger
from janmat.alerts.matcher import rule_matches
from janmat.alerts.model import Alert
from janmat.alerts.rules import AlertRule
from janmat.alerts.spikes import SpikeConfig, grid
from janmat.alerts.storage import open_alert_state
from janmat.core.errors import InputError
from janmat.core.settings import JanmatSettings, get_settings
from janmat.store.base import MentionStore


def backtest(store: MentionStore, since: datetime, until: datetime, *, rules: list[AlertRule] | None = None,
             top: bool = False, settings: JanmatSettings | None = None) -> list[Alert]:
    """The alerts that would have fired between ``since`` and ``until``, in the order they would have fired
    (``rules``: the stored ones unless given; ``top``: read each alert's top mentions too)."""
    if since >= until:
        raise InputError(f"--since {since.isoformat()} is not before --until {until.isoformat()}")
    settings = settings or get_settings()
    config = SpikeConfig.from_settings(settings.alerts)
    if rules is None:
        with open_alert_state(store) as state:
            rules = state.rules()
    start, end = epoch(since), epoch(until)
    store.refresh()
    claims: list[tuple[Claim, tuple[Fact, ...] | list[Fact], Fact | None]] = []
    for candidate in spike_candidates(store, spike_rules(rules), grid(start - config.window + 1, end + 1, config.step),
                                      end, config):
        if candidate.moment < start or deferred_to_claim(store, candidate, settings):
            continue
        alert = spike_alert(candidate, config.window, fired_at=moment(candidate.moment))
        cooldown = candidate.series.rule.cooldown_for(settings.alerts).total_seconds()
        claims.append((Claim(alert, candidate.series.key, candidate.moment, cooldown), candidate.facts, None))
    claims += _match_claims(store, match_rules(rules), start, end, settings)
    claims.sort(key=lambda item: item[0].anchor)  # stable: candidates at one moment keep the detector's order
    ledger = MemoryLedger()
    fired = []
    for claim, facts, first in claims:
        if ledger.claim(claim):
            alert = with_top(claim.alert, top_facts(facts, first), store) if top else claim.alert
            fired.append(alert)
    return fired


def _match_claims(store: MentionStore, queries: list[AlertRule], start: float, end: float,
                  settings: JanmatSettings) -> list[tuple[Claim, list[Fact], Fact | None]]:
    if not queries:
        return []
    reach = max(rule.cooldown_for(settings.alerts).total_seconds() for rule in queries)
    facts = read_facts(store, moment(start - reach), moment(end), terms=any(rule.query for rule in queries))
    story = seconds(settings.alerts.story_window)
    claims = []
    for rule in queries:
        cooldown = rule.cooldown_for(settings.alerts).total_seconds()
        for trigger in (fact for fact in facts if start <= fact.at <= end and rule_matches(rule, fact)):
            window = window_matches(rule, trigger, cooldown, facts)
            alert = match_alert(rule, trigger, window, cooldown, fired_at=moment(trigger.at))
            claims.append((Claim(alert, "", trigger.at, cooldown, story), window, trigger))
    return claims
