"""Alerts in the web app: the JSON API under ``/api/alerts``, the Alerts screen (``/alerts``: the rules and the
alerts fired in the last 7 days) and the overview's "alerts of the day" panel.

Reading rules and fired alerts needs no role beyond the app's own login; adding and removing rules needs the admin
role. The routes say what ``janmat alerts`` says: ``GET /api/alerts`` is ``janmat alerts list --json``, ``POST``
adds a rule (the body is a rule file's object) and answers its id, ``GET /api/alerts/backtest`` gives the rows of
``janmat alerts backtest --json``.
"""

# No "from __future__ import annotations": FastAPI reads these signatures at run time.

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Body, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse

from janmat.alerts.backtest import backtest
from janmat.alerts.evaluate import spike_rules
from janmat.alerts.model import Alert
from janmat.alerts.rules import DEFAULT_PREFIX, EACH, AlertRule, check_rule_channels, parse_rule
from janmat.alerts.storage import open_alert_state
from janmat.core.errors import ConfigError, InputError, JanmatError
from janmat.core.i18n import message
from janmat.core.mention import IST
from janmat.core.settings import get_settings
from janmat.store.base import MentionQuery, MentionStore
from janmat.store.filters import parse_when
from janmat.web.auth import require
from janmat.web.context import WebContext
from janmat.web.display import Words
from janmat.web.pages import render_page
from janmat.web.panels import PanelItem

log = logging.getLogger(__name__)
BACKTEST_KEYS = ("rule_id", "kind", "district", "scheme", "window_start", "count", "baseline")
PANEL_ITEMS = 20
FIRED_DAYS = 7
FIRED_SHOWN = 100
"""The Alerts screen shows the alerts fired in the last ``FIRED_DAYS`` days, at most ``FIRED_SHOWN``, newest first."""


def alerts_router(ctx: WebContext) -> APIRouter:
    """The ``/api/alerts`` routes and the ``/alerts`` screen over the context's store."""
    screens = APIRouter()
    router = APIRouter(prefix="/api/alerts", tags=["alerts"])

    @screens.get("/alerts", include_in_schema=False)
    def alerts_page(request: Request) -> HTMLResponse:
        """The rules (stored, and the built-in spike rules while no spike rule is stored) and the recent firings,
        read through the same state as ``GET /api/alerts`` and ``/api/alerts/fired``."""
        w = ctx.words(request)
        values: dict[str, Any] = {"page": "alerts", "days": FIRED_DAYS, "shown": FIRED_SHOWN}
        try:
            with open_alert_state(ctx.store) as state:
                stored = state.rules()
                fired = state.fired(datetime.now(UTC) - timedelta(days=FIRED_DAYS), FIRED_SHOWN)
        except ConfigError:  # a store that keeps no rules or fired alerts
            return render_page(ctx, request, "alerts.html", kept=False, rules=[], builtin=[], fired=[], **values)
        default_cooldown = ctx.settings.alerts.cooldown
        builtin = [rule for rule in spike_rules(stored) if rule.is_default]
        return render_page(ctx, request, "alerts.html", kept=True, stored=len(stored),
                           rules=[rule_row(rule, w, default_cooldown) for rule in stored],
                           builtin=[rule_row(rule, w, default_cooldown) for rule in builtin],
                           fired=[firing_row(alert, w) for alert in fired], **values)

    @router.get("")
    def list_rules() -> list[dict[str, Any]]:
        """The alert rules, and the built-in spike rules while no spike rule is configured (``builtin: true``)."""
        with open_alert_state(ctx.store) as state:
            rules = state.rules()
        shown = rules + [rule for rule in spike_rules(rules) if rule.is_default]
        return [rule.model_dump(mode="json") | {"builtin": rule.is_default} for rule in shown]

    @router.post("", status_code=201)
    def add_rule(request: Request, rule: Annotated[dict[str, Any], Body()]) -> dict[str, str]:
        """Add a rule (admin): the body is the rule's JSON object; the answer is its id. A malformed rule, or one
        naming a channel that is not configured, is a 400 naming the field or the variable to set."""
        require(request, "admin")
        _same_origin(request)
        stored = parse_rule(rule)
        check_rule_channels(stored, ctx.settings.notify)  # the check `janmat alerts add` makes
        with open_alert_state(ctx.store) as state:
            stored = state.add_rule(stored)
        return {"id": stored.id}

    @router.delete("/{rule_id}")
    def remove_rule(request: Request, rule_id: str) -> dict[str, str]:
        """Remove a rule (admin)."""
        require(request, "admin")
        _same_origin(request)
        with open_alert_state(ctx.store) as state:
            if not state.remove_rule(rule_id):
                raise HTTPException(status_code=404, detail=f"no rule {rule_id!r}")
        return {"removed": rule_id}

    @router.get("/fired", response_model=list[Alert])
    def fired(since: str | None = None, limit: int = 50) -> list[Alert]:
        """Alerts that fired since ``since`` (a date, ISO time or ``24h`` / ``7d``), newest first."""
        if not 1 <= limit <= 1000:
            raise InputError(f"bad limit {limit}: use 1 to 1000")
        with open_alert_state(ctx.store) as state:
            return state.fired(parse_when(since), limit)

    @router.get("/backtest")
    def backtest_rows(since: str, until: str | None = None) -> JSONResponse:
        """What the rules would have fired between ``since`` and ``until`` (default now): one row per alert."""
        start = parse_when(since)
        end = parse_when(until, end_of_day=True) if until else datetime.now(UTC)
        if start is None or end is None:
            raise InputError("backtest needs --since")
        rows = [alert.model_dump(mode="json") for alert in backtest(ctx.store, start, end)]
        return JSONResponse([{key: row[key] for key in BACKTEST_KEYS} for row in rows])

    screens.include_router(router)
    return screens


@dataclass
class RuleRow:
    """One rule as the Alerts screen shows it, every value in the page's language."""

    id: str
    name: str
    kind: str
    query: str
    other: str
    """Platform, language and misinformation conditions, or empty."""
    districts: str
    schemes: str
    sentiment: str
    channels: str
    cooldown: str


@dataclass
class FiringRow:
    """One fired alert as the Alerts screen shows it."""

    alert: Alert
    place: str
    numbers: str
    why: str
    search: str


def rule_row(rule: AlertRule, w: Words, default_cooldown: str) -> RuleRow:
    """``rule`` in the page's language: district and scheme names, tone labels, channels, the cool-down."""
    builtin = rule.id.removeprefix(DEFAULT_PREFIX) if rule.is_default else None
    other = [f"{w('platform')}: {', '.join(w('platform_' + p.value) for p in rule.platforms)}"] if rule.platforms \
        else []
    if rule.langs:
        other.append(f"{w('lang')}: {', '.join(rule.langs)}")
    if rule.misinformation is not None:
        other.append(f"{w('misinformation')}: {w('yes' if rule.misinformation else 'no')}")
    return RuleRow(
        id=rule.id,
        name=w(f"alerts_builtin_{builtin}") if builtin else rule.name,
        kind=w(f"alerts_kind_{rule.kind}"),
        query=rule.query or w("alerts_everything"),
        other="; ".join(other),
        districts=_names(rule.districts, w.district, w("alerts_each_district"), w),
        schemes=_names(rule.schemes, w.scheme, w("alerts_each_scheme"), w),
        sentiment=", ".join(w(label) for label in rule.sentiment) or w("any"),
        channels=", ".join(w(f"alerts_channel_{c}") for c in rule.channels) or w("alerts_channels_configured"),
        cooldown=rule.cooldown or w("alerts_cooldown_default", cooldown=default_cooldown),
    )


def _names(keys: list[str], name: Any, each: str, w: Words) -> str:
    if keys == [EACH]:
        return each
    return ", ".join(name(key) for key in keys) or w("any")


def firing_row(alert: Alert, w: Words) -> FiringRow:
    """A fired alert in the page's language: where (district × scheme), the count against the baseline, why, and
    the search for its window."""
    place = " × ".join(part for part in (w.district(alert.district) if alert.district else None,
                                         w.scheme(alert.scheme) if alert.scheme else None) if part)
    if alert.baseline is None:
        numbers = w.number(alert.count)
    else:
        numbers = w("alerts_count_baseline", count=w.number(alert.count), baseline=f"{alert.baseline:.1f}")
    if alert.kind == "spike" and alert.baseline:
        why = w("notify_why_spike", ratio=f"{alert.count / alert.baseline:.1f}", rule=alert.rule_name)
    elif alert.kind == "spike":
        why = w("notify_why_spike_new", rule=alert.rule_name)
    else:
        why = w(f"notify_why_{alert.kind}", rule=alert.rule_name, claim=alert.claim_id or "")
    return FiringRow(alert=alert, place=place or "–", numbers=numbers, why=why, search=_search_link(alert))


def _search_link(alert: Alert) -> str:
    """The search for the alert's mentions: its district, scheme (or story) and window."""
    params = [("district", alert.district), ("scheme", alert.scheme), ("cluster", alert.cluster if
              alert.kind == "match" else None),
              ("since", alert.window_start.astimezone(IST).isoformat(timespec="seconds")),
              ("until", alert.window_end.astimezone(IST).isoformat(timespec="seconds"))]
    return "/search?" + urlencode([(k, v) for k, v in params if v])


def _same_origin(request: Request) -> None:
    """Refuse a rule change posted from another site (the JSON body already rules out plain form posts)."""
    origin = request.headers.get("origin")
    if origin and origin != f"{request.url.scheme}://{request.url.netloc}":
        raise HTTPException(status_code=403, detail="request from another site")


def alerts_panel(store: MentionStore, query: MentionQuery) -> list[PanelItem]:
    """The overview's "alerts of the day": alerts fired since the period's start, newest first, each linking to its
    mentions in the search (the ``create_app(alerts=…)`` source). Titles are in the notifications' language
    (``JANMAT_NOTIFY_LANGUAGE``, Hindi by default), the detail is the rule's name and its English reason."""
    try:
        with open_alert_state(store) as state:
            found = state.fired(query.since, PANEL_ITEMS)
    except JanmatError as exc:  # an engine that is down costs the panel, never the page
        log.warning("alerts panel left empty: %s", exc)
        return []
    lang = get_settings().notify.language  # the language alerts are told in (Hindi unless set to English)
    return [_panel_item(alert, Words(lang), lang) for alert in found]


def _panel_item(alert: Alert, words: Words, lang: str) -> PanelItem:
    place = " × ".join(part for part in (words.district(alert.district) if alert.district else None,
                                         words.scheme(alert.scheme) if alert.scheme else None) if part)
    place = place or alert.rule_name
    baseline = "–" if alert.baseline is None else f"{alert.baseline:.1f}"
    key = "alerts_panel_spike" if alert.kind == "spike" else "alerts_panel_match"
    return PanelItem(
        title=message(key, lang, place=place, count=alert.count, baseline=baseline),
        detail=f"{alert.rule_name} · {alert.reason}",
        at=alert.fired_at,
        link=_search_link(alert),
    )
