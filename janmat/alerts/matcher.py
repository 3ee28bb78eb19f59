"""Does a rule match a mention? The in-process evaluation used on SQLite and on engines without a percolator.

It means exactly what the rule's query means to a store search (``janmat.store.query_parser``): every group of
words must match, a quoted phrase is consecutive search terms, excluded words must not occur; district conditions
test every key a mention is findable under, like a ``--district`` search.
"""

from __future__ import annotations

from functools import lru_cache

from janmat.alerts.facts import Fact
from janmat.alerts.rules import EACH, AlertRule
from janmat.store.query_parser import ParsedQuery, Phrase, parse_query


@lru_cache(maxsize=512)
def _parsed(text: str) -> ParsedQuery:
    return parse_query(text)


def _has_phrase(terms: tuple[str, ...], present: frozenset[str], phrase: Phrase) -> bool:
    words = phrase.terms
    if len(words) == 1:
        return words[0] in present
    if not all(word in present for word in words):
        return False
    size = len(words)
    return any(terms[i:i + size] == words for i in range(len(terms) - size + 1) if terms[i] == words[0])


def text_matches(text: str | None, terms: tuple[str, ...]) -> bool:
    """True when search terms ``terms`` satisfy the query ``text`` (no text matches everything)."""
    if not text:
        return True
    parsed = _parsed(text)
    present = frozenset(terms)
    if any(_has_phrase(terms, present, phrase) for phrase in parsed.excluded):
        return False
    return all(any(_has_phrase(terms, present, phrase) for phrase in group) for group in parsed.groups)


def rule_matches(rule: AlertRule, fact: Fact) -> bool:
    """True when the mention meets every condition of the rule (``"*"`` asks for at least one district / scheme)."""
    districts = [d for d in rule.districts if d != EACH]
    schemes = [s for s in rule.schemes if s != EACH]
    return (
        (not districts or any(key in fact.findable for key in districts))
        and (not schemes or any(scheme in fact.schemes for scheme in schemes))
        and (not rule.sentiment or fact.sentiment in rule.sentiment)
        and (not rule.platforms or fact.platform in {p.value for p in rule.platforms})
        and (not rule.langs or fact.lang in rule.langs)
        and (rule.misinformation is None or fact.misinformation == rule.misinformation)
        and text_matches(rule.query, fact.terms)
    )
