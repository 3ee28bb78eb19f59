"""Retention: mentions older than a limit are deleted (``janmat retention apply``).

- **SQLite**: one delete by date — ``published_at``, else ``fetched_at`` for undated mentions — in one transaction.
- **OpenSearch / Elasticsearch**: mentions live in monthly indices, so whole months go: every month index whose
  last IST day is older than the limit is deleted. The lifecycle policy (ISM on OpenSearch, ILM on Elasticsearch,
  from ``index_templates/``) is installed with its delete age set to the limit and attached to every month index
  that lacks it, so the engine keeps deleting on its own between runs. An engine without ISM/ILM is told so in the
  report; the month indices are still deleted here.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from janmat.core.errors import InputError
from janmat.core.mention import IST
from janmat.store.base import MentionStore
from janmat.store.engine import EngineStore
from janmat.store.engine_client import EngineRequestError
from janmat.store.sqlite import SQLiteStore
from janmat.store.templates import EngineFeatures, IndexNames, IndexTemplates

_AGE = re.compile(r"^\s*(\d{1,6})\s*([dwy])\s*$")
_DAYS = {"d": 1, "w": 7, "y": 365}
WARM_DAYS = 45
"""The policies' warm phase (force-merge a quiet month) starts at this age; a shorter limit skips it."""


def parse_age(value: str) -> timedelta:
    """``365d``, ``52w`` or ``3y`` (a year is 365 days) as a timedelta of at least one day."""
    found = _AGE.match(value)
    if not found or int(found.group(1)) < 1:
        raise InputError(f"bad age {value!r}: use a number of days, weeks or years such as 365d, 52w or 3y")
    return timedelta(days=int(found.group(1)) * _DAYS[found.group(2)])


@dataclass
class RetentionReport:
    """What ``apply_retention`` did, or would do with ``dry_run``."""

    cutoff: datetime
    dry_run: bool
    deleted_mentions: int = 0
    """Mentions deleted (on an engine: the documents in the deleted indices)."""
    deleted_indices: list[str] = field(default_factory=list)
    policy: str = ""
    """What became of the engine's lifecycle policy: ``installed``, ``unchanged``, ``would install`` or why none."""
    attached: list[str] = field(default_factory=list)
    """Month indices the lifecycle policy was attached to (or would be)."""


def apply_retention(store: MentionStore, older_than: timedelta, *, dry_run: bool = False,
                    now: datetime | None = None) -> RetentionReport:
    """Delete what is older than ``older_than`` (nothing with ``dry_run``: only count it)."""
    cutoff = (now or datetime.now(UTC)) - older_than
    report = RetentionReport(cutoff=cutoff, dry_run=dry_run)
    if isinstance(store, SQLiteStore):
        report.deleted_mentions = store.delete_older_than(cutoff, dry_run=dry_run)
    elif isinstance(store, EngineStore):
        _engine_retention(store, older_than, report)
    else:
        raise InputError(f"retention is not implemented for the store at {store.url}")
    return report


def month_end(month: str) -> datetime:
    """The first IST instant after the ``YYYY.MM`` month."""
    start = datetime.strptime(month, "%Y.%m").replace(tzinfo=IST)
    return (start + timedelta(days=32)).replace(day=1)


def _engine_retention(store: EngineStore, older_than: timedelta, report: RetentionReport) -> None:
    features = store.ensure_ready()
    indices = store.alias_indices()
    expired = [index for index in indices
               if (month := store.names.month_of_index(index)) and month_end(month) <= report.cutoff]
    if expired:
        counts = store.client.request("GET", f"/_cat/count/{','.join(expired)}", params={"format": "json"})
        report.deleted_mentions = sum(int(row.get("count", 0)) for row in counts.get("rows", []))
    kept = [index for index in indices if index not in expired]
    _lifecycle(store, features, older_than, kept, report)
    report.deleted_indices = expired
    if not report.dry_run:
        for index in expired:
            store.client.request("DELETE", f"/{index}")


def lifecycle_policy(templates: IndexTemplates, features: EngineFeatures, names: IndexNames,
                     older_than: timedelta) -> dict[str, Any] | None:
    """The shipped ILM / ISM policy with its delete age set to ``older_than`` (no warm phase when that is shorter
    than it); None when the engine has no lifecycle management."""
    body = templates.lifecycle_policy(features, names)
    if body is None:
        return None
    policy = copy.deepcopy(body["policy"])
    days = max(1, older_than.days)
    if features.kind == "elasticsearch":
        policy["phases"]["delete"]["min_age"] = f"{days}d"
        if days <= WARM_DAYS:
            policy["phases"].pop("warm", None)
        return {"policy": policy}
    states = {state["name"]: state for state in policy["states"]}
    states["warm"]["transitions"][0]["conditions"]["min_index_age"] = f"{days}d"
    if days <= WARM_DAYS:
        states["hot"]["transitions"] = [{"state_name": "delete", "conditions": {"min_index_age": f"{days}d"}}]
        policy["states"] = [state for state in policy["states"] if state["name"] != "warm"]
    return {"policy": policy}


def _lifecycle(store: EngineStore, features: EngineFeatures, older_than: timedelta, indices: list[str],
               report: RetentionReport) -> None:
    """Install the policy with the limit as its delete age and attach it to every month index without it."""
    wanted = lifecycle_policy(store.templates, features, store.names, older_than)
    if wanted is None:
        report.policy = (f"no {'ILM' if features.kind == 'elasticsearch' else 'ISM'} on this engine: month indices "
                         "are deleted only by `janmat retention apply` (run it from cron or the monitor)")
        return
    path = store.client.lifecycle_policy_path(store.names.policy)
    current = _current_policy(store, path)
    same = current is not None and _age_of(current, features) == _age_of(wanted["policy"], features)
    attach = [index for index in indices if not _has_policy(store, features, index)]
    report.attached = attach
    if report.dry_run:
        report.policy = "unchanged" if same else "would install"
        return
    if not same:
        params = {}
        if current is not None and features.kind == "opensearch":  # ISM updates name the version they replace
            params = {"if_seq_no": current["_seq_no"], "if_primary_term": current["_primary_term"]}
        store.client.request("PUT", path, wanted, params=params or None)
    report.policy = "unchanged" if same else "installed"
    for index in attach:
        if features.kind == "elasticsearch":
            store.client.request("PUT", f"/{index}/_settings", {"index.lifecycle.name": store.names.policy})
        else:
            store.client.request("POST", f"/_plugins/_ism/add/{index}", {"policy_id": store.names.policy})


def _current_policy(store: EngineStore, path: str) -> dict[str, Any] | None:
    """The installed policy (ISM: with its ``_seq_no`` / ``_primary_term``), or None."""
    try:
        answer = store.client.request("GET", path)
    except EngineRequestError as exc:
        if exc.status == 404:
            return None
        raise
    if "policy" in answer:  # ISM
        return {**answer["policy"], "_seq_no": answer.get("_seq_no"), "_primary_term": answer.get("_primary_term")}
    found = answer.get(store.names.policy) or {}
    return found.get("policy")  # ILM


def _age_of(policy: dict[str, Any], features: EngineFeatures) -> str | None:
    """The delete age a policy body holds (ILM ``phases.delete.min_age``, ISM the transition into ``delete``)."""
    if features.kind == "elasticsearch":
        return policy.get("phases", {}).get("delete", {}).get("min_age")
    for state in policy.get("states", []):
        for transition in state.get("transitions", []):
            if transition.get("state_name") == "delete":
                return transition.get("conditions", {}).get("min_index_age")
    return None


def _has_policy(store: EngineStore, features: EngineFeatures, index: str) -> bool:
    """True when the month index is managed by our policy."""
    if features.kind == "elasticsearch":
        answer = store.client.request("GET", f"/{index}/_settings/index.lifecycle.name")
        return (answer.get(index, {}).get("settings", {}).get("index", {}).get("lifecycle", {}).get("name")
                == store.names.policy)
    answer = store.client.request("GET", f"/_plugins/_ism/explain/{index}")
    return (answer.get(index) or {}).get("index.plugins.index_state_management.policy_id") == store.names.policy
