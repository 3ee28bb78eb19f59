"""Evaluating the rules live: standing queries on each stored batch, spikes on a timer (or after a pipeline run).

Every alert goes through the store's ledger (``Ledger.claim``: fired once, cool-downs held), is completed with its
top mentions, handed to the notification outbox (``janmat.alerts.notify.enqueue``, durable on return) and only
then marked settled; an alert claimed by a process that stopped before the hand-over is handed over by the next
evaluation. ``janmat.alerts.backtest`` runs the same detection over stored history with a ledger in memory.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import UTC, datetime

from janmat.alerts.build import match_alert, moment, spike_alert, top_facts, with_top
from janmat.alerts.claim_spread import claim_behind_spike
from janmat.alerts.durations import seconds
from janmat.alerts.facts import Fact, earliest_publication, epoch, fact_from_mention, read_facts
from janmat.alerts.ledger import Claim, Ledger
from janmat.alerts.matcher import rule_matches
from janmat.alerts.model import Alert
from janmat.alerts.rules import AlertRule, default_spike_rules
from janmat.alerts.spikes import DAY, Candidate, SpikeConfig, detect, grid
from janmat.alerts.state import AlertState
from janmat.alerts.storage import open_alert_state
from janmat.core.errors import JanmatError, StoreUnavailableError
from janmat.core.mention import Mention
from janmat.core.settings import JanmatSettings, get_settings
from janmat.store.base import MentionStore
from janmat.store.spool import Spool, spool_path

log = logging.getLogger(__name__)


def spike_rules(rules: Sequence[AlertRule]) -> list[AlertRule]:
    """The stored spike rules, or the built-in ones (every district, scheme, district × scheme) when there are
    none."""
    return [rule for rule in rules if rule.kind == "spike"] or default_spike_rules()


def match_rules(rules: Sequence[AlertRule]) -> list[AlertRule]:
    """The stored standing queries."""
    return [rule for rule in rules if rule.kind == "match"]


def hand_over(alert: Alert, ledger: Ledger, *, notify: bool = True) -> None:
    """Queue the alert for its channels, then mark it settled (so a crash in between re-queues it, once: the outbox
    keeps one row per alert and channel)."""
    if notify:
        from janmat.alerts.notify import enqueue  # the delivery side; imported when an alert is due

        enqueue(alert)
    ledger.settle(alert)
    log.info("alert %s fired: %s (%s)", alert.id, alert.rule_name, alert.reason)


def hand_over_unsettled(ledger: Ledger, *, notify: bool = True) -> None:
    """Hand over alerts a stopped process claimed but never queued."""
    for alert in ledger.unsettled():
        hand_over(alert, ledger, notify=notify)


# -- spikes ------------------------------------------------------------------------------------------------------


def spike_candidates(store: MentionStore, rules: Sequence[AlertRule], starts: Sequence[float], until: float,
                     config: SpikeConfig) -> list[Candidate]:
    """The spike windows among ``starts`` that fire with the store's mentions published up to ``until``."""
    first = earliest_publication(store)
    if not starts or first is None:
        return []
    facts = read_facts(store, moment(starts[0] - config.history_days * DAY), moment(until),
                       terms=any(rule.query for rule in rules))
    return detect(rules, facts, starts, earliest=epoch(first), until=until, config=config)


def deferred_to_claim(store: MentionStore, candidate: Candidate, settings: JanmatSettings) -> bool:
    """Whether a spike window is mostly a known false or misleading claim spreading: the claim's own alert speaks
    for that event, so the spike does not fire (docs/alerts.md)."""
    behind = claim_behind_spike(store, candidate.facts, moment(candidate.window_start), moment(candidate.moment + 1),
                                settings)
    if behind is not None:
        log.info("spike %s deferred to claim %s", candidate.series.key, behind)
    return behind is not None


def live_window_starts(now: float, config: SpikeConfig, catchup: float) -> list[float]:
    """Windows a live evaluation looks at: every one that ends less than ``catchup`` ago or is still running."""
    return grid(now - catchup - config.window + 1, now + 1, config.step)


def evaluate_spikes(store: MentionStore, now: datetime | None = None, *, notify: bool = True,
                    settings: JanmatSettings | None = None) -> list[Alert]:
    """Evaluate the spike rules (or the built-in ones) at ``now``; return the alerts that fired and queue them.

    The monitor calls this on a timer and the alert stage after each pipeline run; calling it again, from another
    process or after a restart, never fires an alert twice."""
    settings = settings or get_settings()
    now = now or datetime.now(UTC)
    config = SpikeConfig.from_settings(settings.alerts)
    store.refresh()
    with open_alert_state(store) as state:
        hand_over_unsettled(state, notify=notify)
        rules = spike_rules(state.rules())
        end = epoch(now)
        starts = live_window_starts(end, config, seconds(settings.alerts.catchup))
        fired = []
        for candidate in spike_candidates(store, rules, starts, end, config):
            if deferred_to_claim(store, candidate, settings):
                continue
            alert = spike_alert(candidate, config.window, fired_at=now)
            cooldown = candidate.series.rule.cooldown_for(settings.alerts).total_seconds()
            if state.claim(Claim(alert, candidate.series.key, candidate.moment, cooldown)):
                alert = with_top(alert, top_facts(candidate.facts), store)
                hand_over(alert, state, notify=notify)
                fired.append(alert)
    return fired


# -- standing queries --------------------------------------------------------------------------------------------


def window_matches(rule: AlertRule, trigger: Fact, cooldown: float, facts: Sequence[Fact]) -> list[Fact]:
    """The rule's matches among ``facts`` published in the cool-down up to the trigger (the trigger included)."""
    found = {fact.id: fact for fact in facts
             if trigger.at - cooldown <= fact.at <= trigger.at and rule_matches(rule, fact)}
    found.setdefault(trigger.id, trigger)
    return sorted(found.values(), key=lambda fact: (fact.at, fact.id))


def evaluate_matches(store: MentionStore, state: AlertState, rules: Sequence[AlertRule], mentions: Sequence[Mention],
                     now: datetime | None = None, *, notify: bool = True,
                     settings: JanmatSettings | None = None) -> list[Alert]:
    """Fire the standing queries that new (stored) mentions match: one percolate request on OpenSearch, in process
    elsewhere; return the alerts that fired."""
    settings = settings or get_settings()
    now = now or datetime.now(UTC)
    queries = match_rules(rules)
    if not queries or not mentions:
        return []
    matched = state.match(queries, mentions)
    known = {mention.id: mention for mention in mentions}
    max_age = seconds(settings.alerts.match_max_age)
    story = seconds(settings.alerts.story_window)
    fired = []
    for rule in queries:
        hits = sorted((fact_from_mention(m) for m in matched.get(rule.id, [])), key=lambda f: (f.at, f.id))
        cooldown = rule.cooldown_for(settings.alerts).total_seconds()
        recent: list[Fact] | None = None
        for trigger in hits:
            if epoch(now) - trigger.at > max_age:
                continue
            draft = match_alert(rule, trigger, [trigger], cooldown, now)
            if not state.claim(Claim(draft, "", trigger.at, cooldown, story)):
                continue
            if recent is None:
                store.refresh()
                recent = read_facts(store, moment(trigger.at - cooldown), moment(max(f.at for f in hits)),
                                    terms=bool(rule.query)) + hits
            window = window_matches(rule, trigger, cooldown, recent)
            alert = with_top(match_alert(rule, trigger, window, cooldown, now), top_facts(window, trigger), store,
                             known)
            hand_over(alert, state, notify=notify)
            fired.append(alert)
    return fired


class AlertEvaluator:
    """What the alert stage runs for one store: standing queries on every stored batch (rules re-read every
    ``JANMAT_ALERTS_RULES_REFRESH_SECONDS``), spikes once at the end of a run.

    When the store cannot be reached, the batch's mentions wait in a spool of their own (under the data dir) and
    are evaluated with the next batch, so an outage delays standing-query alerts but loses none."""

    def __init__(self, store: MentionStore, *, notify: bool = True, settings: JanmatSettings | None = None) -> None:
        self.store = store
        self.notify = notify
        self.settings = settings or get_settings()
        self._state: AlertState | None = None
        self._rules: list[AlertRule] = []
        self._read_at = float("-inf")
        prefix = self.settings.store.index_prefix
        self.waiting = Spool(spool_path(self.settings.data_dir / "alert-spool", store.url, prefix))

    @property
    def state(self) -> AlertState:
        """The store's rules and ledger (opened on first use)."""
        if self._state is None:
            self._state = open_alert_state(self.store)
        return self._state

    def rules(self) -> list[AlertRule]:
        """The stored rules, re-read when older than the refresh interval."""
        if time.monotonic() - self._read_at >= self.settings.alerts.rules_refresh_seconds:
            self._rules = self.state.rules()
            self._read_at = time.monotonic()
        return self._rules

    def on_batch(self, mentions: Sequence[Mention], now: datetime | None = None) -> list[Alert]:
        """Evaluate the standing queries on a stored batch (after any batch that waited for the store)."""
        try:
            fired = self._replay(now)
            rules = self.rules()
            if match_rules(rules):
                fired += evaluate_matches(self.store, self.state, rules, mentions, now, notify=self.notify,
                                          settings=self.settings)
            return fired
        except (StoreUnavailableError, JanmatError) as exc:  # the rules may not even be readable: keep the batch
            self.waiting.add(mentions, str(exc))
            log.warning("standing queries not evaluated now (%d mention(s) wait for the store): %s",
                        self.waiting.pending_count(), exc)
            return []

    def _replay(self, now: datetime | None) -> list[Alert]:
        fired: list[Alert] = []
        while entries := self.waiting.head(500):
            fired += evaluate_matches(self.store, self.state, self.rules(), [e.mention for e in entries], now,
                                      notify=self.notify, settings=self.settings)
            self.waiting.done([entry.seq for entry in entries])
        return fired

    def after_run(self, now: datetime | None = None) -> list[Alert]:
        """Evaluate the spike rules once new mentions are stored (a failure is logged; the next run catches up)."""
        try:
            return evaluate_spikes(self.store, now, notify=self.notify, settings=self.settings)
        except (StoreUnavailableError, JanmatError) as exc:
            log.warning("spikes not evaluated now (the next run or the monitor catches up): %s", exc)
            return []

    def close(self) -> None:
        """Release the ledger and the spool."""
        if self._state is not None:
            self._state.close()
        self.waiting.close()
