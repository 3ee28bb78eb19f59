"""What every keeper of rules and fired alerts does (``AlertState``); ``janmat.alerts.storage`` opens the one of a
store. Every state is also the ``Ledger`` of fired alerts."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable

from janmat.alerts.facts import fact_from_mention
from janmat.alerts.ledger import Ledger
from janmat.alerts.matcher import rule_matches
from janmat.alerts.rules import AlertRule
from janmat.core.mention import Mention


class AlertState(Ledger):
    """Rules and fired alerts of one store."""

    @abstractmethod
    def add_rule(self, rule: AlertRule) -> AlertRule:
        """Store the rule (replacing one with the same id) and return it as stored, with its id."""

    @abstractmethod
    def rules(self) -> list[AlertRule]:
        """Every stored rule, oldest first."""

    @abstractmethod
    def remove_rule(self, rule_id: str) -> bool:
        """Delete a rule; False when there is none with that id."""

    def get_rule(self, rule_id: str) -> AlertRule | None:
        """One stored rule by id."""
        return next((rule for rule in self.rules() if rule.id == rule_id), None)

    def match(self, rules: list[AlertRule], mentions: Iterable[Mention]) -> dict[str, list[Mention]]:
        """The mentions each rule matches, by rule id (rules matching none are left out). In process here; the
        OpenSearch state asks its percolator instead."""
        facts = [(mention, fact_from_mention(mention)) for mention in mentions]
        found: dict[str, list[Mention]] = {}
        for rule in rules:
            hits = [mention for mention, fact in facts if rule_matches(rule, fact)]
            if hits:
                found[rule.id] = hits
        return found

    def close(self) -> None:
        """Release connections."""

    def __enter__(self) -> AlertState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
