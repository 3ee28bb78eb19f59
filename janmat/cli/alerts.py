"""``janmat alerts``: standing queries and spike rules, what they match, what fired and what would have fired.

Exact forms, because scripts call them: ``add RULE.json|RULE.yaml`` prints the new rule's id; ``list [--json]``;
``remove ID``; ``test RULE.json [--since D]``; ``backtest --since D --until D --json`` prints one JSON object per
line with ``rule_id``, ``kind``, ``district``, ``scheme``, ``window_start``, ``count`` and ``baseline``. The
outbox commands (``outbox``, ``deliver``) come from ``janmat.cli.alerts_outbox``.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from janmat.cli.alerts_outbox import add_outbox_commands
from janmat.cli.console import clear_errors, out
from janmat.cli.options import JsonOption, StoreOption, open_mentions
from janmat.core.errors import InputError
from janmat.core.i18n import t

alerts_app = typer.Typer(help="Alert rules (standing queries, spike rules), what they match and what fired.",
                         no_args_is_help=True)
add_outbox_commands(alerts_app)

RuleFile = Annotated[Path, typer.Argument(help="The rule: a JSON or YAML object (name, kind, query, districts, …).")]
BACKTEST_KEYS = ("rule_id", "kind", "district", "scheme", "window_start", "count", "baseline")


def _line(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


@alerts_app.command("add")
@clear_errors
def add(rule_file: RuleFile, store: StoreOption = None) -> None:
    """Add a rule from RULE.json or RULE.yaml and print its id (adding the same rule again gives the same id)."""
    from janmat.alerts.rules import check_rule_channels, load_rule_file
    from janmat.alerts.storage import open_alert_state
    from janmat.core.settings import get_settings

    rule = load_rule_file(rule_file)
    check_rule_channels(rule, get_settings().notify)
    with open_mentions(store, create=True) as mentions, open_alert_state(mentions) as state:
        stored = state.add_rule(rule)
    sys.stdout.write(stored.id + "\n")


@alerts_app.command("list")
@clear_errors
def list_rules(as_json: JsonOption = False, store: StoreOption = None) -> None:
    """List the rules; with none of kind spike, the built-in spike rules that run instead are listed too."""
    from janmat.alerts.evaluate import spike_rules
    from janmat.alerts.storage import open_alert_state

    with open_mentions(store) as mentions, open_alert_state(mentions) as state:
        rules = state.rules()
    shown = rules + [rule for rule in spike_rules(rules) if rule.is_default]
    if as_json:
        _line([rule.model_dump(mode="json") | {"builtin": rule.is_default} for rule in shown])
        return
    table = Table(title=t("alerts_rules"), title_justify="left")
    for key in ("alerts_id", "alerts_name", "alerts_kind", "alerts_conditions", "alerts_cooldown"):
        table.add_column(t(key))
    for rule in shown:
        table.add_row(rule.id, rule.name, rule.kind, _conditions(rule), rule.cooldown or "–")
    out.print(table)


def _conditions(rule: Any) -> str:
    parts = [f"“{rule.query}”"] if rule.query else []
    for label, values in (("district", rule.districts), ("scheme", rule.schemes), ("sentiment", rule.sentiment),
                          ("platform", [p.value for p in rule.platforms]), ("lang", rule.langs)):
        if values:
            parts.append(f"{t(label)}: {', '.join(values)}")
    if rule.misinformation is not None:
        parts.append(f"{t('misinformation')}: {rule.misinformation}")
    return "; ".join(parts) or t("alerts_everything")


@alerts_app.command("remove")
@clear_errors
def remove(rule_id: Annotated[str, typer.Argument(help="The rule's id (janmat alerts list).")],
           store: StoreOption = None) -> None:
    """Remove a rule."""
    from janmat.alerts.storage import open_alert_state

    with open_mentions(store) as mentions, open_alert_state(mentions) as state:
        if not state.remove_rule(rule_id):
            raise InputError(f"no rule {rule_id!r} (janmat alerts list shows the rules)")
    out.print(t("alerts_removed", id=rule_id), highlight=False)


@alerts_app.command("test")
@clear_errors
def test(
    rule_file: RuleFile,
    since: Annotated[str | None, typer.Option("--since", help="YYYY-MM-DD (IST), ISO datetime, or 24h / 7d.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10_000)] = 20,
    as_json: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Show which stored mentions the rule in RULE.json would match (nothing is added)."""
    from janmat.alerts.rules import load_rule_file
    from janmat.cli.search import ist_time, mention_json
    from janmat.store.filters import parse_when

    rule = load_rule_file(rule_file)
    query = rule.mention_query(since=parse_when(since), limit=limit, sort="newest")
    with open_mentions(store) as mentions:
        result = mentions.search(query)
    if as_json:
        _line({"rule": rule.model_dump(mode="json"), "total": result.total,
               "results": [mention_json(hit.mention) for hit in result.hits]})
        return
    out.print(t("total_results", total=result.total), highlight=False)
    table = Table()
    for key in ("published", "source", "title"):
        table.add_column(t(key))
    for hit in result.hits:
        mention = hit.mention
        table.add_row(ist_time(mention.published_at, "–"), mention.source.name or mention.source.domain or "–",
                      (mention.title or mention.text)[:100])
    out.print(table)


@alerts_app.command("backtest")
@clear_errors
def backtest(
    since: Annotated[str, typer.Option("--since", help="YYYY-MM-DD (IST), ISO datetime, or 24h / 7d.")],
    until: Annotated[str | None, typer.Option("--until", help="YYYY-MM-DD (IST, inclusive) or ISO datetime; "
                                              "default now.")] = None,
    as_json: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """List the alerts the rules would have fired over the stored mentions between --since and --until."""
    from janmat.alerts.backtest import backtest as run_backtest
    from janmat.store.filters import parse_when

    start = parse_when(since)
    end = parse_when(until, end_of_day=True) if until else datetime.now(UTC)
    assert start is not None and end is not None  # both given or defaulted above
    with open_mentions(store) as mentions:
        fired = run_backtest(mentions, start, end)
    if as_json:
        for alert in fired:
            data = alert.model_dump(mode="json")
            _line({key: data[key] for key in BACKTEST_KEYS})
        return
    out.print(t("alerts_backtest_total", n=len(fired)), highlight=False)
    _alert_table(fired)


@alerts_app.command("fired")
@clear_errors
def fired(
    since: Annotated[str | None, typer.Option("--since", help="YYYY-MM-DD (IST), ISO datetime, or 24h / 7d.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10_000)] = 50,
    as_json: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """List the alerts that fired, newest first."""
    from janmat.alerts.storage import open_alert_state
    from janmat.store.filters import parse_when

    with open_mentions(store) as mentions, open_alert_state(mentions) as state:
        found = state.fired(parse_when(since), limit)
    if as_json:
        for alert in found:
            _line(alert.model_dump(mode="json"))
        return
    _alert_table(found)


def _alert_table(alerts: list[Any]) -> None:
    from janmat.cli.search import ist_time

    table = Table()
    for key in ("alerts_window", "alerts_rule", "district", "scheme", "mentions", "alerts_baseline", "alerts_reason"):
        table.add_column(t(key))
    for alert in alerts:
        table.add_row(ist_time(alert.window_start), alert.rule_id,
                      alert.district or "–", alert.scheme or "–", str(alert.count),
                      "–" if alert.baseline is None else f"{alert.baseline:.1f}", alert.reason)
    out.print(table)
