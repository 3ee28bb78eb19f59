"""What an alert says: its stable id, the numbers against the baseline, a one-line reason and the top mentions."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

from janmat.alerts.facts import Fact
from janmat.alerts.model import Alert, AlertMention
from janmat.alerts.rules import AlertRule
from janmat.alerts.spikes import Candidate
from janmat.core.mention import Mention
from janmat.store.base import MentionStore

SNIPPET_CHARS = 200
TOP = 3


def moment(seconds: float) -> datetime:
    """Epoch seconds as an aware UTC datetime."""
    return datetime.fromtimestamp(seconds, UTC)


def alert_id(kind: str, *parts: str) -> str:
    """A stable id: the same rule, series and window (or trigger) always give the same id."""
    return f"{kind}-" + hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:20]


def _span(window: float) -> str:
    minutes = round(window / 60)
    return f"{minutes // 60} h" if minutes % 60 == 0 else f"{minutes} min"


def spike_alert(candidate: Candidate, window: float, fired_at: datetime) -> Alert:
    """The alert of a spike candidate (without its top mentions: ``with_top`` adds them)."""
    series, base = candidate.series, candidate.baseline
    share = candidate.negatives / candidate.count
    parts = []
    if not candidate.tone_only:
        parts.append(f"{candidate.count} mentions in {_span(window)} against {base.count:.1f} expected "
                     f"(Poisson p = {candidate.p_volume:.1e})")
    tone = (f"negative share {share:.0%} ({candidate.negatives} of {candidate.count}) against {base.share:.0%} "
            f"usually (binomial p = {candidate.p_tone:.1e})")
    parts.append(tone if candidate.tone_only else f"negative share {share:.0%} against {base.share:.0%}")
    if candidate.explained_without:
        parts.append(f"spread beyond its largest part ({candidate.explained_without.strip('|')})")
    return Alert(
        id=alert_id("spike", series.rule.id, series.key, str(int(candidate.window_start))),
        rule_id=series.rule.id,
        rule_name=series.rule.name,
        kind="spike",
        district=series.district,
        scheme=series.scheme,
        cluster=top_cluster(candidate.facts),
        window_start=moment(candidate.window_start),
        window_end=moment(candidate.window_start + window),
        count=candidate.count,
        baseline=round(base.count, 2),
        negative_share=round(share, 3),
        baseline_negative_share=round(base.share, 3),
        reason="; ".join(parts),
        channels=list(series.rule.channels),
        fired_at=fired_at,
    )


def match_alert(rule: AlertRule, trigger: Fact, window: Sequence[Fact], cooldown: float,
                fired_at: datetime) -> Alert:
    """The alert of a standing query fired by ``trigger``; ``window`` holds its matches in the cool-down before."""
    negatives = sum(fact.negative for fact in window)
    count = max(len(window), 1)
    return Alert(
        id=alert_id("match", rule.id, trigger.id),
        rule_id=rule.id,
        rule_name=rule.name,
        kind="match",
        district=rule.districts[0] if len(rule.districts) == 1 else None,
        scheme=rule.schemes[0] if len(rule.schemes) == 1 else None,
        cluster=trigger.cluster,
        window_start=moment(trigger.at - cooldown),
        window_end=moment(trigger.at),
        count=count,
        negative_share=round(negatives / count, 3),
        reason=f"{count} mention(s) match the standing query «{rule.name}» in the {_span(cooldown)} up to "
               f"{moment(trigger.at).isoformat(timespec='minutes')}",
        channels=list(rule.channels),
        fired_at=fired_at,
    )


def top_cluster(facts: Sequence[Fact]) -> str | None:
    """The near-duplicate cluster most of these mentions belong to (if any holds two or more)."""
    clusters = Counter(fact.cluster for fact in facts if fact.cluster)
    if not clusters:
        return None
    cluster, size = max(clusters.items(), key=lambda item: (item[1], item[0]))
    return cluster if size > 1 else None


def top_facts(facts: Sequence[Fact], first: Fact | None = None) -> list[Fact]:
    """Up to three mentions to show: the earliest of each of the largest stories, negative stories first at equal
    size (``first``'s story leads when given)."""
    stories: dict[str, list[Fact]] = {}
    for fact in sorted(facts, key=lambda fact: (fact.at, fact.id)):
        stories.setdefault(fact.story, []).append(fact)
    ranked = sorted(stories.values(), key=lambda story: (-len(story), -sum(f.negative for f in story), story[0].at))
    if first is not None:
        ranked.sort(key=lambda story: story[0].story != first.story)
    return [story[0] for story in ranked[:TOP]]


def alert_mention(mention: Mention) -> AlertMention:
    """A mention as an alert shows it."""
    text = " ".join(mention.text.split())
    return AlertMention(
        id=mention.id,
        title=mention.title,
        snippet=text[:SNIPPET_CHARS],
        url=mention.canonical_url or mention.url,
        source=mention.source.name or mention.source.domain,
        published_at=mention.published_at,
        sentiment=mention.sentiment.label if mention.sentiment else None,
    )


def with_top(alert: Alert, chosen: Sequence[Fact], store: MentionStore,
             known: dict[str, Mention] | None = None) -> Alert:
    """The alert with its top mentions read from the store (or from ``known`` mentions in hand)."""
    top = []
    for fact in chosen:
        mention = (known or {}).get(fact.id) or store.get(fact.id)
        if mention is not None:
            top.append(alert_mention(mention))
    return alert.model_copy(update={"top": top})
