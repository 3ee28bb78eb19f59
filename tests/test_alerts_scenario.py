"""The issue's scenario: 48 simulated hours of ordinary coverage with one negative event about one scheme in one
district (3 outlets and 20 posts, Hindi and romanised, within an hour) among 2,000 unrelated mentions.

The stream goes through the real pipeline (validate → enrich → dedupe → store → alert) in polling intervals, and
after each interval the spike rules are evaluated as the monitor's timer does. With no rule configured, the built-in
spike rules must fire exactly one alert, for that district × scheme, within one polling interval of the event, and
nothing else; ``janmat alerts backtest`` over the same store must list the same single alert. Also: a malformed
rule is refused naming the field, and a rule that matches everything is accepted but held to its cool-down.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from janmat.alerts.evaluate import evaluate_spikes
from janmat.alerts.facts import read_facts
from janmat.alerts.notify import outbox_status
from janmat.alerts.storage import open_alert_state
from janmat.store import open_store
from pipelines.flow import MentionFlow
from tests.alert_stream import Stream, polls, scripted_stream

REPO = Path(__file__).resolve().parents[1]
POLL = timedelta(minutes=5)
END = datetime(2026, 3, 12, 6, 0, tzinfo=UTC)


def janmat(*args: str, store: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "JANMAT_STORE": f"sqlite:///{store}"}
    return subprocess.run([sys.executable, "-m", "janmat", *args], capture_output=True, text=True, cwd=cwd, env=env,
                          timeout=600)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> tuple[Stream, Path, list]:
    """The stream run live, poll by poll: the store it filled and every (poll time, alert) that fired."""
    data = tmp_path_factory.mktemp("scenario")
    patch = pytest.MonkeyPatch()
    patch.setenv("JANMAT_DATA_DIR", str(data))
    patch.setenv("JANMAT_ALERTS_SPIKES_AFTER_RUN", "false")  # the polls below are the monitor's timer
    patch.setenv("JANMAT_NOTIFY_WEBHOOK_URLS", '["http://127.0.0.1:9/hook"]')  # queued in the outbox, not sent
    from janmat.core.settings import get_settings

    get_settings.cache_clear()
    # A fixed end: ordinary coverage follows the hour of day, so a stream ending "a day ago" is another stream each
    # hour. At some alignments ordinary Hisar posts crowd the event's first minutes and the district alert comes
    # ten minutes before the district x scheme one (docs/alerts.md, "Known limits").
    stream = scripted_stream(end=END)
    path = data / "janmat.db"
    fired = []
    with open_store(f"sqlite:///{path}") as store:
        flow = MentionFlow(store)
        for poll, batch in polls(stream, POLL):
            if batch:
                flow.process((mention.id, mention) for mention in batch)
            fired += [(poll, alert) for alert in evaluate_spikes(store, poll)]
        # a restarted monitor evaluating the last hours again fires nothing new
        fired += [(stream.end, alert) for alert in evaluate_spikes(store, stream.end - timedelta(minutes=30))]
        fired += [(stream.end, alert) for alert in evaluate_spikes(store, stream.end)]
    outbox = outbox_status()
    patch.undo()
    get_settings.cache_clear()
    return stream, path, [*fired, ("outbox", outbox)]


def test_one_spike_alert_for_the_event_within_one_poll_and_nothing_else(scenario) -> None:
    stream, path, fired = scenario
    outbox = fired.pop()[1]
    assert len(fired) == 1, [(poll, alert.rule_id, alert.district, alert.scheme) for poll, alert in fired]
    poll, alert = fired[0]
    assert (alert.kind, alert.rule_id, alert.district, alert.scheme) == (
        "spike", "default:district-scheme", "Hisar", "chirayu_haryana")
    assert stream.event_start <= alert.window_start <= stream.event_start + timedelta(minutes=15)
    # it fired at the first poll after the mention that made the window significant
    with open_store(f"sqlite:///{path}") as store:
        series = [fact for fact in read_facts(store, alert.window_start, alert.window_end)
                  if "Hisar" in fact.districts and "chirayu_haryana" in fact.schemes]
    became_significant = datetime.fromtimestamp(series[alert.count - 1].at, UTC)
    assert timedelta(0) <= poll - became_significant < POLL
    assert stream.event_start < poll <= stream.event_end + POLL
    # what it says: the numbers against the baseline, a reason, three of the event's mentions with links
    assert alert.count >= 8 and alert.baseline is not None and alert.count > 10 * alert.baseline
    assert "mentions in 1 h against" in alert.reason and "Poisson" in alert.reason
    assert len(alert.top) == 3 and {m.id for m in alert.top} <= stream.event_ids
    assert any(m.url for m in alert.top)
    assert alert.negative_share is not None and alert.negative_share > alert.baseline_negative_share
    # handed to the notification outbox once, and recorded once in the store file
    assert outbox["webhook"].pending == 1
    with open_store(f"sqlite:///{path}") as store, open_alert_state(store) as state:
        assert [a.id for a in state.fired()] == [alert.id] and not state.unsettled()


def test_backtest_over_the_same_data_lists_the_same_single_alert(scenario, tmp_path: Path) -> None:
    stream, path, fired = scenario
    live = fired[0][1]
    shown = janmat("alerts", "backtest", "--since", stream.start.isoformat(), "--until", stream.end.isoformat(),
                   "--json", store=path, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    rows = [json.loads(line) for line in shown.stdout.splitlines()]
    assert len(rows) == 1, rows
    row = rows[0]
    assert set(row) == {"rule_id", "kind", "district", "scheme", "window_start", "count", "baseline"}
    assert (row["rule_id"], row["kind"], row["district"], row["scheme"]) == (
        live.rule_id, "spike", "Hisar", "chirayu_haryana")
    assert row["window_start"] == live.model_dump(mode="json")["window_start"]
    assert (row["count"], row["baseline"]) == (live.count, live.baseline)


def test_a_malformed_rule_is_refused_with_one_line_naming_the_field(scenario, tmp_path: Path) -> None:
    _, path, _ = scenario
    cases = {
        "districts": {"name": "Atlantis watch", "districts": ["Atlantis"]},
        "cooldown": {"name": "too soon", "cooldown": "soon"},
        "kind": {"name": "what", "kind": "sometimes"},
        "query": {"name": "quote", "query": '"चिरायु कार्ड'},
        "colour": {"name": "typo", "colour": "red"},
    }
    for field, rule in cases.items():
        target = tmp_path / f"{field}.json"
        target.write_text(json.dumps(rule, ensure_ascii=False), encoding="utf-8")
        refused = janmat("alerts", "add", str(target), store=path, cwd=tmp_path)
        assert refused.returncode == 2 and not refused.stdout
        lines = refused.stderr.strip().splitlines()
        assert len(lines) == 1 and f"{field}:" in lines[0], refused.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed\n", encoding="utf-8")
    refused = janmat("alerts", "add", str(broken), store=path, cwd=tmp_path)
    assert refused.returncode == 2 and len(refused.stderr.strip().splitlines()) == 1
    assert "not valid YAML" in refused.stderr
    listed = janmat("alerts", "list", "--json", store=path, cwd=tmp_path)
    assert [rule["id"] for rule in json.loads(listed.stdout) if not rule["builtin"]] == []


def test_a_rule_that_matches_everything_is_accepted_and_held_to_its_cooldown(scenario, tmp_path: Path) -> None:
    stream, path, _ = scenario
    rule = tmp_path / "everything.yaml"
    rule.write_text("name: सब कुछ (everything)\nkind: match\ncooldown: 6h\n", encoding="utf-8")
    added = janmat("alerts", "add", str(rule), store=path, cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    rule_id = added.stdout.strip()
    assert janmat("alerts", "add", str(rule), store=path, cwd=tmp_path).stdout.strip() == rule_id
    shown = janmat("alerts", "backtest", "--since", stream.start.isoformat(), "--until", stream.end.isoformat(),
                   "--json", store=path, cwd=tmp_path)
    rows = [json.loads(line) for line in shown.stdout.splitlines()]
    matches = [row for row in rows if row["rule_id"] == rule_id]
    # 2,023 matching mentions over 48 hours, one alert per 6 hours at most
    assert 1 <= len(matches) <= 8
    starts = sorted(row["window_start"] for row in matches)
    gaps = [datetime.fromisoformat(b) - datetime.fromisoformat(a) for a, b in pairwise(starts)]
    assert all(gap >= timedelta(hours=6) for gap in gaps)
    assert [row for row in rows if row["kind"] == "spike"] and all(row["count"] >= 1 for row in matches)
    assert janmat("alerts", "remove", rule_id, store=path, cwd=tmp_path).returncode == 0
