"""Scoring claim matching on labelled mentions: precision and recall of the returned (mention, claim) pairs,
overall and per language, at the operating threshold."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from nlp.claims.dataset import ClaimSet, Side
from nlp.claims.features import profile
from nlp.claims.matcher import ClaimMatcher, tag_claim_text
from nlp.claims.model import Claim

LANGUAGES = {"hi": "Devanagari", "hi-Latn": "romanised", "en": "English", "mixed": "mixed"}


@dataclass(slots=True)
class Tally:
    """Pairs returned and right, and positive mentions found, for one group of mentions."""

    mentions: int = 0
    positives: int = 0
    found: int = 0
    returned: int = 0
    right: int = 0

    @property
    def precision(self) -> float:
        """Right pairs over returned pairs (1.0 when nothing was returned)."""
        return self.right / self.returned if self.returned else 1.0

    @property
    def recall(self) -> float:
        """Positive mentions whose claim was returned, over positive mentions."""
        return self.found / self.positives if self.positives else 1.0

    def summary(self) -> dict[str, Any]:
        """The counts and the two ratios."""
        return {"mentions": self.mentions, "positives": self.positives, "returned": self.returned,
                "right": self.right, "precision": round(self.precision, 4), "recall": round(self.recall, 4)}


@dataclass(slots=True)
class MatchReport:
    """Claim matching scored on one side of the split."""

    side: str
    threshold: float
    overall: Tally = field(default_factory=Tally)
    by_language: dict[str, Tally] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {"side": self.side, "threshold": self.threshold, "overall": self.overall.summary(),
                "by_language": {name: tally.summary() for name, tally in self.by_language.items()}}


def claims_of(claim_set: ClaimSet) -> list[Claim]:
    """The reference claims as ``Claim`` records."""
    return [Claim.from_row(row) for row in claim_set.claims]


def mention_tags(text: str) -> tuple[list[str], list[str]]:
    """A mention's scheme ids and district keys, as the pipeline's earlier taggers would set them."""
    return tag_claim_text(text)


def evaluate(matcher: ClaimMatcher, mentions: Iterable[dict[str, Any]], side: Side | str = "held_out",
             tags: Callable[[str], tuple[list[str], list[str]]] = mention_tags) -> MatchReport:
    """Match each labelled mention (``text``, ``lang``, ``claim_id`` or null) and count the pairs."""
    report = MatchReport(side=side, threshold=matcher.threshold)
    for mention in mentions:
        schemes, districts = tags(mention["text"])
        returned = [match.claim_id for match in matcher.match(mention["text"], schemes, districts)]
        gold = mention.get("claim_id")
        language = LANGUAGES.get(mention.get("lang", ""), mention.get("lang", "other"))
        for tally in (report.overall, report.by_language.setdefault(language, Tally())):
            tally.mentions += 1
            tally.positives += bool(gold)
            tally.found += gold in returned
            tally.returned += len(returned)
            tally.right += gold in returned
        if returned != ([gold] if gold else []):
            report.errors.append({"id": mention["id"], "lang": mention.get("lang"), "gold": gold,
                                  "returned": returned})
    return report


def candidate_rows(matcher: ClaimMatcher, mentions: Iterable[dict[str, Any]],
                   tags: Callable[[str], tuple[list[str], list[str]]] = mention_tags
                   ) -> list[tuple[str, list[float], int]]:
    """(group, features, label) for every retrieved candidate of every mention: the scorer's training rows. The
    group is the gold claim id (or the mention id for a negative), so cross-validation keeps a claim whole."""
    rows = []
    for mention in mentions:
        schemes, districts = tags(mention["text"])
        found = profile(mention["text"], schemes, districts)
        for claim, features in matcher.candidate_features(found):
            rows.append((mention.get("claim_id") or mention["id"], features, int(claim.id == mention.get("claim_id"))))
    return rows


@dataclass(slots=True)
class RumourTally:
    """Rumour texts found and news texts flagged, for one group of rumour-cue texts."""

    rumours: int = 0
    found: int = 0
    news: int = 0
    flagged: int = 0

    def summary(self) -> dict[str, Any]:
        """The counts and the two rates."""
        return {"rumours": self.rumours, "found": self.found, "news": self.news, "flagged": self.flagged,
                "rumours_found": round(self.found / self.rumours, 4) if self.rumours else None,
                "news_flagged": round(self.flagged / self.news, 4) if self.news else None}


def evaluate_rumour_cues(rows: Iterable[dict[str, Any]], suspected: Callable[[str], bool]) -> dict[str, Any]:
    """Score the ``suspected`` signal on rumour/news texts, overall and per language."""
    overall, by_language = RumourTally(), {}
    misses: list[str] = []
    for row in rows:
        hit = suspected(row["text"])
        language = LANGUAGES.get(row.get("lang", ""), row.get("lang", "other"))
        for tally in (overall, by_language.setdefault(language, RumourTally())):
            if row["label"] == "rumour":
                tally.rumours += 1
                tally.found += hit
            else:
                tally.news += 1
                tally.flagged += hit
        if hit != (row["label"] == "rumour"):
            misses.append(row["id"])
    return {"overall": overall.summary(), "by_language": {k: v.summary() for k, v in by_language.items()},
            "errors": misses}


def split_report(claim_set: ClaimSet, side: Side, matcher: ClaimMatcher | None = None) -> dict[str, Any]:
    """Claim matching and rumour cues scored on one side of the split (``held_out`` for the reported figures)."""
    from nlp.rumour import is_suspected

    matcher = matcher or ClaimMatcher(claims_of(claim_set))
    matching = evaluate(matcher, claim_set.mentions_on(side), side)
    return {"matching": matching.summary(), "matching_errors": matching.errors,
            "rumour_cues": evaluate_rumour_cues(claim_set.rumour_cues_on(side), is_suspected)}
