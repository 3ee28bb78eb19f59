"""Rules and fired alerts next to the mention indices of OpenSearch or Elasticsearch.

Rules live in ``<prefix>-standing-queries``. On OpenSearch it is a percolator index: each rule is stored with its
conditions as a query (the same DSL a search of the rule runs, ``janmat.store.engine_query``), and new mentions are
matched against all rules at once with a ``percolate`` query. The minimal Elasticsearch build has no percolator
module, so there the index keeps ``query`` as a disabled object and rules are evaluated in process.

Fired alerts live in ``<prefix>-alerts`` (``index_templates/alerts-index.json``), one document per alert id,
written with ``op_type=create``: an alert already recorded is never recorded (nor sent) again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from janmat.alerts.ledger import Claim, blocked_by
from janmat.alerts.model import Alert
from janmat.alerts.rules import STORED, AlertRule
from janmat.alerts.state import AlertState
from janmat.core.mention import Mention
from janmat.store.engine import EngineStore
from janmat.store.engine_client import EngineRequestError
from janmat.store.engine_docs import mention_document
from janmat.store.engine_query import mention_query
from janmat.store.templates import TEMPLATES_DIR

log = logging.getLogger(__name__)
MAX_RULES = 10_000


class EngineAlertState(AlertState):
    """Rules in the standing-queries index, fired alerts in the alerts index."""

    def __init__(self, store: EngineStore) -> None:
        self.store = store
        self.client = store.client
        self.rules_index = store.names.standing_queries
        self.alerts_index = f"{store.names.prefix}-alerts"
        self._percolator: bool | None = None

    # -- indices ---------------------------------------------------------------------------------------------

    @property
    def percolator(self) -> bool:
        """True when the rules index is a percolator index (OpenSearch), after making sure both indices exist."""
        if self._percolator is None:
            features = self.store.ensure_ready()
            if not self.client.exists(f"/{self.rules_index}"):
                body = self.store.templates.standing_queries_index(features)
                body["mappings"]["properties"]["query"] = {"type": "object", "enabled": False}
                self._create(self.rules_index, body)
            mapping = self.client.request("GET", f"/{self.rules_index}/_mapping")
            properties = next(iter(mapping.values()))["mappings"].get("properties", {})
            self._percolator = properties.get("query", {}).get("type") == "percolator"
            if not self.client.exists(f"/{self.alerts_index}"):
                body = json.loads((TEMPLATES_DIR / "alerts-index.json").read_text(encoding="utf-8"))
                body.pop("_meta", None)
                self._create(self.alerts_index, body)
        return self._percolator

    def _create(self, index: str, body: dict[str, Any]) -> None:
        try:
            self.client.request("PUT", f"/{index}", body)
        except EngineRequestError as exc:
            if exc.error_type != "resource_already_exists_exception":
                raise

    # -- rules -------------------------------------------------------------------------------------------------

    def add_rule(self, rule: AlertRule) -> AlertRule:
        """Index the rule (its conditions as a percolator query on OpenSearch)."""
        _ = self.percolator
        rule = rule.with_id()
        dsl, _ = mention_query(rule.mention_query())
        now = datetime.now(UTC).isoformat()
        document = {
            "query": dsl, "name": rule.name, "kind": rule.kind, "channels": list(rule.channels),
            "query_text": rule.query or "", "created_at": self._created_at(rule.id) or now, "updated_at": now,
            "enabled": True, "rule": rule.model_dump(mode="json"),
        }
        self.client.request("PUT", f"/{self.rules_index}/_doc/{rule.id}", document, params={"refresh": "true"})
        return rule

    def _created_at(self, rule_id: str) -> str | None:
        """When a rule with this id was first added (a search, so a new id costs no logged 404)."""
        answer = self.client.request("POST", f"/{self.rules_index}/_search", {
            "query": {"ids": {"values": [rule_id]}}, "_source": ["created_at"]})
        hits = answer["hits"]["hits"]
        return hits[0]["_source"].get("created_at") if hits else None

    def rules(self) -> list[AlertRule]:
        """Every stored rule, oldest first."""
        _ = self.percolator
        answer = self.client.request("POST", f"/{self.rules_index}/_search", {
            "size": MAX_RULES, "query": {"match_all": {}}, "_source": ["rule", "created_at"]})
        hits = sorted(answer["hits"]["hits"], key=lambda hit: (hit["_source"].get("created_at") or "", hit["_id"]))
        return [AlertRule.model_validate(hit["_source"]["rule"], context=STORED) for hit in hits]

    def get_rule(self, rule_id: str) -> AlertRule | None:
        """One rule by id."""
        _ = self.percolator
        answer = self.client.request("POST", f"/{self.rules_index}/_search", {
            "query": {"ids": {"values": [rule_id]}}, "_source": ["rule"]})
        hits = answer["hits"]["hits"]
        return AlertRule.model_validate(hits[0]["_source"]["rule"], context=STORED) if hits else None

    def remove_rule(self, rule_id: str) -> bool:
        """Delete one rule."""
        _ = self.percolator
        try:
            self.client.request("DELETE", f"/{self.rules_index}/_doc/{rule_id}", params={"refresh": "true"})
        except EngineRequestError as exc:
            if exc.status == 404:
                return False
            raise
        return True

    def match(self, rules: list[AlertRule], mentions: Iterable[Mention]) -> dict[str, list[Mention]]:
        """Which mentions each rule matches: one ``percolate`` request on OpenSearch, in process elsewhere."""
        batch = list(mentions)
        if not self.percolator or not batch or not rules:
            return super().match(rules, batch)
        wanted = {rule.id for rule in rules}
        answer = self.client.request("POST", f"/{self.rules_index}/_search", {
            "size": MAX_RULES, "_source": False,
            "query": {"bool": {
                "filter": [{"ids": {"values": sorted(wanted)}}],
                "must": [{"percolate": {"field": "query", "documents": [mention_document(m) for m in batch]}}],
            }},
        })
        found: dict[str, list[Mention]] = {}
        for hit in answer["hits"]["hits"]:
            slots = hit.get("fields", {}).get("_percolator_document_slot", [])
            found[hit["_id"]] = [batch[slot] for slot in sorted(slots)]
        return found

    # -- fired alerts ------------------------------------------------------------------------------------------

    def claim(self, claim: Claim) -> bool:
        """Check the cool-downs against the alerts index, then create the alert's document (once)."""
        _ = self.percolator
        alert = claim.alert
        reach = max(claim.cooldown, claim.story_window or 0)
        near = [{"term": {"series": claim.series}}]
        if alert.cluster:
            near.append({"term": {"cluster": alert.cluster}})
        answer = self.client.request("POST", f"/{self.alerts_index}/_search", {
            "size": 100, "_source": ["series", "cluster", "anchor", "rule_id"],
            "query": {"bool": {"filter": [
                {"term": {"rule_id": alert.rule_id}},
                {"range": {"anchor": {"gt": claim.anchor - reach, "lt": claim.anchor + reach}}},
                {"bool": {"should": near, "minimum_should_match": 1}},
            ]}},
        })
        for hit in answer["hits"]["hits"]:
            earlier = hit["_source"]
            if blocked_by(claim, earlier["series"], earlier["rule_id"], earlier.get("cluster"), earlier["anchor"]):
                return False
        document = {"rule_id": alert.rule_id, "kind": alert.kind, "series": claim.series, "cluster": alert.cluster,
                    "anchor": claim.anchor, "fired_at": alert.fired_at.astimezone(UTC).isoformat(),
                    "queued": False, "alert": alert.model_dump(mode="json")}
        try:
            self.client.request("PUT", f"/{self.alerts_index}/_create/{alert.id}", document,
                                params={"refresh": "true"})
        except EngineRequestError as exc:
            if exc.status == 409:  # recorded already, by this process earlier or by another one
                return False
            raise
        return True

    def settle(self, alert: Alert) -> None:
        """Keep the final alert and mark it queued for notification."""
        self.client.request("POST", f"/{self.alerts_index}/_update/{alert.id}",
                            {"doc": {"alert": alert.model_dump(mode="json"), "queued": True}},
                            params={"refresh": "true"})

    def unsettled(self) -> list[Alert]:
        """Alerts claimed but never handed to the outbox."""
        _ = self.percolator
        answer = self.client.request("POST", f"/{self.alerts_index}/_search", {
            "size": 1000, "query": {"term": {"queued": False}}, "_source": ["alert"], "sort": [{"anchor": "asc"}]})
        return [Alert.model_validate(hit["_source"]["alert"]) for hit in answer["hits"]["hits"]]

    def fired(self, since: datetime | None = None, limit: int = 100) -> list[Alert]:
        """Fired alerts, newest first."""
        _ = self.percolator
        query: dict[str, Any] = {"match_all": {}}
        if since is not None:
            query = {"range": {"fired_at": {"gte": since.astimezone(UTC).isoformat()}}}
        answer = self.client.request("POST", f"/{self.alerts_index}/_search", {
            "size": limit, "query": query, "_source": ["alert"], "sort": [{"fired_at": "desc"}, {"anchor": "desc"}]})
        return [Alert.model_validate(hit["_source"]["alert"]) for hit in answer["hits"]["hits"]]
